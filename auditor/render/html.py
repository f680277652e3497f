"""The portfolio report as one self-contained HTML page: inline CSS and SVG charts, no script, no network.

Every chart has the table it was drawn from beside it (caption, th scope), so the page reads the same
to a screen reader, in greyscale and on paper. All text that came from a spreadsheet is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from auditor import portfolio, portfolio_view, reference, scoring
from auditor import citations
from auditor.citations import REPORT_SOURCE
from auditor.render import charts
from auditor.rules import SEVERITIES, CompiledRule
from auditor.scoring import TIERS

if TYPE_CHECKING:
    from auditor.audit import AuditResult

TOP_N = 10
MAX_ROWS = 50  # longer lists are cut here and left to the workbook and the JSON report


def esc(value: object) -> str:
    """Any value as escaped HTML text; None is shown as an em dash."""
    return "—" if value is None else html.escape(str(value), quote=True)


def humanise(name: str | None) -> str:
    """snake_case ids as words: 'apparel_textiles' → 'apparel textiles'."""
    return "unknown" if name is None else name.replace("_", " ")


def badge(tier: str) -> str:
    """A risk tier or severity as a labelled badge (the word carries the meaning, colour only helps)."""
    return f'<span class="badge b-{esc(tier)}">{esc(tier)}</span>'


def table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], *, row_header: bool = True, numeric: Sequence[int] = (),
          css: str = "") -> str:
    """A semantic table: caption, column headers with scope, first cell of each row as a row header. Cells are HTML."""
    def cell(i: int, content: str) -> str:
        cls = ' class="num"' if i in numeric else ""
        return f'<th scope="row"{cls}>{content}</th>' if i == 0 and row_header else f"<td{cls}>{content}</td>"

    head = "".join(f'<th scope="col"{" class=num" if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers))
    body = "\n".join("<tr>" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f'<table class="{css}"><caption>{esc(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>'


def figure(number: int, title: str, svg: str, data_table: str, note: str = "") -> str:
    """A chart with its caption and the table behind it."""
    note_html = f'<p class="note">{note}</p>' if note else ""
    return (f'<figure class="chart-block" id="fig-{number}"><figcaption><span class="fig-no">Figure {number}.</span> {esc(title)}</figcaption>'
            f'<div class="chart-row"><div class="chart-svg">{svg}</div><div class="chart-table">{data_table}</div></div>{note_html}</figure>')


# ── sections ──────────────────────────────────────────────────────────────────────────────────────


def _key_figures(view: portfolio_view.PortfolioView, result: AuditResult) -> str:
    counts = result.summary()["suppliers_by_tier"]
    tiles = [
        ("Suppliers assessed", view.totals["rows_assessed"], f"{view.totals['rows_rejected']} rows rejected", ""),
        ("Critical risk", counts.get("critical", 0), "at least one critical indicator", "critical"),
        ("High risk", counts.get("high", 0), "high indicator or score ≥ cut-off", "high"),
        ("Findings", view.totals["findings"], f"from {view.totals['rules']} rules", ""),
        ("Not evaluable", view.totals["not_evaluable"], "checks blocked by missing data", ""),
        ("Data-quality notes", view.totals["data_quality"], "cells read with a problem", ""),
    ]
    items = "".join(f'<div class="tile {("t-" + t) if t else ""}"><dt>{esc(label)}</dt><dd><span class="big">{value}</span>'
                    f'<span class="sub">{esc(sub)}</span></dd></div>' for label, value, sub, t in tiles)
    return f'<dl class="tiles">{items}</dl>'


def _chain_tier_figure(view: portfolio_view.PortfolioView) -> str:
    frame = view.by_chain_tier
    labels = [t if t != portfolio.UNKNOWN else "tier unknown" for t in frame.get_column("supply_chain_tier").to_list()]
    series = {t: frame.get_column(t).to_list() for t in TIERS}
    svg = charts.stacked_bars(labels, series, salt="auditor-fig-1", label="Suppliers per supply-chain tier, by risk tier", xlabel="suppliers")
    rows = [[esc(label), *[str(v) for v in row[1:]]] for label, row in zip(labels, frame.iter_rows())]
    data = table("Suppliers per supply-chain tier (1 = direct) and risk tier", ["Supply-chain tier", *TIERS, "total"], rows, numeric=range(1, 6))
    return figure(1, "Suppliers per supply-chain tier, by risk tier", svg, data,
                  "Supply-chain tier 1 is a direct supplier; 2 supplies tier 1, and so on.")


def _category_figure(view: portfolio_view.PortfolioView) -> str:
    frame = view.by_category
    labels = [humanise(c) for c in frame.get_column("category").to_list()]
    series = {s: frame.get_column(s).to_list() for s in SEVERITIES}
    svg = charts.stacked_bars(labels, series, salt="auditor-fig-2", label="Findings per category, by severity", xlabel="findings")
    rows = [[esc(label), *[str(v) for v in row[1:]]] for label, row in zip(labels, frame.iter_rows())]
    data = table("Findings per category and severity", ["Category", *SEVERITIES, "total"], rows, numeric=range(1, 6))
    return figure(2, "Findings per category, by severity", svg, data)


def _completeness_figure(view: portfolio_view.PortfolioView) -> str:
    frame = view.completeness
    labels = [humanise(c) for c in frame.get_column("column").to_list()]
    svg = charts.share_bars(labels, frame.get_column("share").to_list(), salt="auditor-fig-3",
                            label="Data completeness: share of suppliers with a known value, per column the rules read", xlabel="suppliers with a known value")
    rows = [[esc(label), f"{k} of {t}", f"{s:.0%}"] for label, (_, k, t, s) in zip(labels, frame.iter_rows())]
    data = table("Known values per column the rules read, least complete first", ["Column", "known", "share"], rows, numeric=(1, 2))
    return figure(3, "Data completeness: columns the rules need", svg, data,
                  "A blank, “n/a” or “unknown” cell is unknown, never “no”: rules that need it are listed under "
                  '<a href="#missing">What is missing</a>.')


def _heatmap_figure(view: portfolio_view.PortfolioView) -> str:
    frame = view.heatmap
    sectors = sorted(frame.get_column("sector").unique().to_list())
    countries = sorted(frame.get_column("country").unique().to_list(), key=lambda c: (c in (portfolio_view.UNKNOWN, portfolio_view.OTHER), c))
    cells = {(r["sector"], r["country"]): r for r in frame.iter_rows(named=True)}
    values = [[cells[(s, c)]["max_score"] if (s, c) in cells else None for c in countries] for s in sectors]
    notes = [[(f"{cells[(s, c)]['max_score']:.0f}" + (f"\n×{cells[(s, c)]['suppliers']}" if cells[(s, c)]["suppliers"] > 1 else ""))
              if (s, c) in cells else "" for c in countries] for s in sectors]
    svg = charts.heatmap([humanise(s) for s in sectors], countries, values, notes, salt="auditor-fig-4",
                         label="Heatmap of the highest risk score by sector and country", colour_label="highest score (0–100)")
    names = reference.country_names()
    head = ["Sector", *[c for c in countries]]

    def cell(s: str, c: str) -> str:
        if (s, c) not in cells:
            return ""
        r = cells[(s, c)]
        return f'{r["max_score"]:.0f} <span class="tiny">{esc(r["worst_tier"])}, {r["suppliers"]}</span>'

    rows = [[esc(humanise(s)), *[cell(s, c) for c in countries]] for s in sectors]
    data = table("Highest score, worst risk tier and number of suppliers per sector × country", head, rows, numeric=range(1, len(head)), css="matrix")
    legend = ", ".join(f"{esc(c)} {esc(names.get(c, c))}" for c in countries if c not in (portfolio_view.OTHER, portfolio_view.UNKNOWN))
    if portfolio_view.UNKNOWN in countries:
        legend += "; unknown: country blank or not recognised"
    if portfolio_view.OTHER in countries:
        legend += "; other: the countries with fewer suppliers, pooled"
    fig = (f'<figure class="chart-block wide" id="fig-4"><figcaption><span class="fig-no">Figure 4.</span> Risk by sector × country '
           f"(highest score in each cell; ×N = suppliers in the cell)</figcaption>"
           f'<div class="chart-svg">{svg}</div><details class="print-open" open><summary>Table behind the heatmap</summary><div class="scroll">{data}</div></details>'
           f'<p class="note">Countries: {legend}. Sector and country are exposure: they raise priority, never prove wrongdoing (¶209(g)).</p></figure>')
    return fig


def _citation(rule: CompiledRule | None) -> str:
    if rule is None:
        return ""
    parts = []
    for cite in rule.rule.cite:
        source = "Vienna Forum report" if cite.source == REPORT_SOURCE else cite.title or cite.source
        parts.append(f'<blockquote class="cite"><p>“{esc(cite.quote)}”</p>'
                     f"<footer>{esc(citations.reference(cite.source, cite.paragraph, source))}</footer></blockquote>")
    return "".join(parts)


def _top_suppliers(view: portfolio_view.PortfolioView, result: AuditResult) -> str:
    by_id = {c.id: c for c in result.rules}
    names = reference.country_names()
    findings = view.top_findings.partition_by("supplier_id", as_dict=True, maintain_order=True) if view.top_findings.height else {}
    overview_rows = [
        [str(r["rank"]), f'<a href="#s-{esc(r["supplier_id"])}">{esc(r["supplier_name"])}</a> <span class="id">{esc(r["supplier_id"])}</span>',
         esc(r["country"]), esc(humanise(r["sector"])), badge(r["tier"]), f'{r["score"]:.1f}', f'{r["confidence"]:.0%}', str(r["findings"]),
         esc("; ".join(r["top_reasons"]))]
        for r in view.top.with_columns(scoring.top_reasons(result.rules)).iter_rows(named=True)
    ]
    overview = table(f"The {view.top.height} highest-risk suppliers", ["Rank", "Supplier", "Country", "Sector", "Risk", "Score", "Known", "Findings", "Top reasons"],
                     overview_rows, numeric=(0, 5, 6, 7), css="ranked")
    cards = []
    for r in view.top.iter_rows(named=True):
        supplier_findings = findings.get((r["supplier_id"],))
        rows = []
        if supplier_findings is not None:
            for f in supplier_findings.iter_rows(named=True):
                rows.append([f'{badge(f["severity"])} <span class="id">{esc(f["rule_id"])}</span>',
                             f'<strong>{esc(f["title"])}</strong><br>{esc(f["message"])}'
                             f'<br><span class="where">{esc(f["file"])} · {esc(f["sheet"])} · cell {esc(f["cell"])}</span>',
                             _citation(by_id.get(f["rule_id"]))])
        chain = f'supply-chain tier {esc(r["supply_chain_tier"])}'
        if r["parent_supplier_id"]:
            chain += f', supplies <span class="id">{esc(r["parent_supplier_id"])}</span>'
        country = f'{esc(names.get(r["country"], r["country"]))}' if r["country"] else "country unknown"
        findings_table = table(f"Findings for {r['supplier_id']}, most severe first", ["Finding", "What was found, and where", "Why it matters: the source"],
                               rows, css="findings") if rows else '<p class="note">No findings; the risk comes from checks that could not be made.</p>'
        cards.append(
            f'<article class="supplier" id="s-{esc(r["supplier_id"])}"><h3><span class="rank">#{r["rank"]}</span> {esc(r["supplier_name"])} '
            f'<span class="id">{esc(r["supplier_id"])}</span> {badge(r["tier"])}</h3>'
            f'<p class="meta">{country} · {esc(humanise(r["sector"]))} · {chain} · score {r["score"]:.1f} of 100 · '
            f'{r["confidence"]:.0%} of the rules\' weight could be checked · {r["not_evaluable"]} check(s) not evaluable</p>{findings_table}</article>'
        )
    return overview + "\n" + "\n".join(cards)


def _inherited(view: portfolio_view.PortfolioView) -> str:
    frame = view.inherited
    if frame.is_empty():
        return '<p>No supplier in this data names a parent_supplier_id that is also in the data, so risk cannot be traced through tiers.</p>'
    inheriting = frame.filter(pl.col("inherits"))
    rows = [[f'{esc(r["supplier_name"])} <span class="id">{esc(r["supplier_id"])}</span>', esc(r["supply_chain_tier"]), badge(r["tier"]),
             str(r["sub_suppliers"]), badge(r["worst_below"]), f'{esc(r["via_name"])} <span class="id">{esc(r["via"])}</span>',
             badge(r["effective_tier"]) + (" ↑" if r["inherits"] else "")]
            for r in frame.head(MAX_ROWS).iter_rows(named=True)]
    intro = (f"<p><strong>{inheriting.height}</strong> of {frame.height} suppliers with mapped sub-suppliers have a sub-supplier riskier than "
             "themselves. Their own answers may look fine, but the risk sits further down the chain they manage "
             "(“The complexity of managing the risks of forced labour in global supply chains must be recognized”, Vienna Forum report ¶200(c)). "
             "↑ marks a tier raised by what lies below.</p>")
    out = intro + table("Risk inherited through supply-chain tiers (parent_supplier_id links)",
                        ["Supplier", "Chain tier", "Own risk", "Sub-suppliers below", "Worst below", "Via", "Risk with chain"], rows,
                        numeric=(1, 3), css="inherit") + _more(frame.height, "suppliers with sub-suppliers")
    if view.broken_links.height:
        links = [[f'{esc(r["supplier_name"])} <span class="id">{esc(r["supplier_id"])}</span>', f'<span class="id">{esc(r["parent_supplier_id"])}</span>']
                 for r in view.broken_links.head(MAX_ROWS).iter_rows(named=True)]
        out += table("Links that point to no supplier in the data (chain not mapped)", ["Supplier", "Names parent"], links)
        out += _more(view.broken_links.height, "broken links")
    return out


def _more(total: int, what: str) -> str:
    """A note that a list was cut at MAX_ROWS."""
    if total <= MAX_ROWS:
        return ""
    return f'<p class="note">Showing the first {MAX_ROWS} of {total} {esc(what)}; the JSON report and the workbook list them all.</p>'


def _missing(view: portfolio_view.PortfolioView, result: AuditResult) -> str:
    frame = view.missing  # (the first MAX_ROWS suppliers' entries: portfolio_view.build)
    if frame.is_empty():
        return "<p>Every rule could be evaluated for every supplier.</p>"
    rows = []
    suppliers = view.missing_suppliers
    for (rank, supplier_id, name), group in frame.group_by(["rank", "supplier_id", "supplier_name"], maintain_order=True):
        asks = "".join(f'<li><span class="id">{esc(g["rule_id"])}</span> {esc(g["title"])}: {esc(g["ask_for"] or "the missing values")} '
                       f'<span class="where">(blank: {esc(", ".join(g["missing"]))})</span></li>' for g in group.iter_rows(named=True))
        rows.append([f'#{rank} {esc(name)} <span class="id">{esc(supplier_id)}</span>', str(group.height), f"<ul>{asks}</ul>"])
    dq = result.loaded.data_quality
    out = (f"<p>{view.totals['not_evaluable']} checks could not be made for {suppliers} suppliers because a value they need is blank or unreadable. "
           "Unknown is a gap, not a pass: it counts towards the score at part of its weight. Ask each supplier for:</p>"
           + table("What to ask each supplier for, in rank order", ["Supplier", "Checks", "Ask for"], rows, numeric=(1,), css="asks")
           + _more(suppliers, "suppliers with missing evidence"))
    if dq.height:
        dq_rows = [[f'{esc(r["file"])} · {esc(r["sheet"])} · {esc(r["cell"])}', esc(humanise(r["column"])), f"<code>{esc(r['value'])}</code>",
                    esc(r["problem"]), esc(r["effect"])] for r in dq.head(MAX_ROWS).iter_rows(named=True)]
        out += table("Cells read with a problem (data quality)", ["Cell", "Column", "Value", "Problem", "Effect"], dq_rows)
        out += _more(dq.height, "cells with a data-quality note")
    return out


def _method(view: portfolio_view.PortfolioView, result: AuditResult) -> str:
    packs = "".join(f"<li><code>{esc(f)}</code> version {esc(v)}</li>" for f, v in view.rule_packs)
    sources = "".join(f"<li><strong>{esc(s.title)}</strong>, {esc(s.edition)} <span class=\"id\">{esc(s.id)}</span> — cited by "
                      f"{len(s.rules)} rule(s): {esc(', '.join(s.rules))}</li>" for s in view.sources)
    config = scoring.ScoringConfig()  # the documented defaults (the result does not record a custom config)
    points = ", ".join(f"{esc(k)} {v:g}" for k, v in config.severity_points.items())
    kinds = ", ".join(f"{esc(k)} {v:g}" for k, v in config.kind_factor.items())
    inputs = "".join(f"<li><code>{esc(i.path)}</code> (sheets: {esc(', '.join(i.sheets))}; sha256 <code>{esc(i.sha256[:16])}…</code>)</li>"
                     for i in result.loaded.inputs)
    return (
        "<p>This report is built on the UN.GIFT <em>Vienna Forum Report: a way forward to combat human trafficking</em> (2008). "
        "Each rule is a declarative check over the supplier spreadsheet, cited to a paragraph of the report with a verbatim quote; "
        "where another source is relied on it is named below with its edition.</p>"
        f"<h3>Rules</h3><p>{view.totals['rules']} rules from these packs:</p><ul>{packs}</ul>"
        f"<h3>Sources</h3><ul>{sources}</ul>"
        f"<h3>Scoring</h3><p>Each rule carries points by severity ({points}), scaled by kind "
        f"({kinds}). A supplier's score is the share of all rule points it raised, with "
        f"checks that could not be made counted at {config.unknown_factor:g} of their points; “known” is the share of points that could be checked. Any critical indicator "
        "makes a supplier critical whatever its score. Exposure (sector, country) raises priority and never by itself shows wrongdoing.</p>"
        f"<h3>Inputs</h3><ul>{inputs}</ul>"
        f"<p class=\"note\">auditor {esc(result.tool_version)} · fail-on {esc(result.fail_on)} · {view.totals['failing_findings']} finding(s) at or above it. "
        "The same input and rules give the same page, byte for byte.</p>"
    )


# ── page ──────────────────────────────────────────────────────────────────────────────────────────

CSS = """
:root{--ink:#1d1d1f;--muted:#5a5a5f;--rule:#d9d9de;--bg:#f6f6f4;--card:#fff;--crit:#67000d;--high:#cb181d;--med:#fb6a4a;--low:#fcbba1}
*{box-sizing:border-box}
html{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;color:var(--ink);background:var(--bg);font-size:15px;line-height:1.45}
body{margin:0}
header.top{background:#1d1d1f;color:#fff;padding:28px 40px 22px}
header.top h1{margin:0 0 6px;font-size:1.9rem;letter-spacing:-.01em}
header.top p{margin:0;color:#d0d0d4;max-width:70rem}
nav{background:#2c2c30;padding:8px 40px;font-size:.9rem}
nav a{color:#f0f0f0;margin-right:18px;text-decoration:none;border-bottom:1px solid #777}
main{max-width:1240px;margin:0 auto;padding:10px 40px 40px}
section{margin:26px 0 34px}
h2{font-size:1.4rem;border-bottom:2px solid var(--ink);padding-bottom:4px;margin:0 0 14px}
h3{font-size:1.08rem;margin:18px 0 6px}
.tiles{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin:0 0 18px}
.tile{background:var(--card);border:1px solid var(--rule);border-top:6px solid #777;padding:10px 12px;border-radius:4px}
.tile.t-critical{border-top-color:var(--crit)}.tile.t-high{border-top-color:var(--high)}
.tile dt{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.tile dd{margin:2px 0 0}.tile .big{display:block;font-size:2rem;font-weight:700;line-height:1.1}.tile .sub{font-size:.78rem;color:var(--muted)}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px}
figure.chart-block{background:var(--card);border:1px solid var(--rule);border-radius:4px;margin:0 0 18px;padding:12px 14px}
figcaption{font-weight:700;margin-bottom:6px}.fig-no{color:var(--muted)}
.chart-row{display:grid;grid-template-columns:3fr 2fr;gap:14px;align-items:start}
.grid2 .chart-row{grid-template-columns:1fr}
svg.chart{width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;font-size:.86rem;background:var(--card)}
caption{text-align:left;font-weight:600;color:var(--muted);padding:2px 0 6px;font-size:.82rem}
th,td{border-bottom:1px solid var(--rule);padding:4px 6px;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--ink);font-size:.78rem;text-transform:uppercase;letter-spacing:.03em}
th[scope=row]{font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}
table.matrix td,table.matrix th{font-size:.74rem;padding:3px 4px;text-align:center}
table.matrix th[scope=row]{text-align:left}
.tiny{font-size:.7rem;color:var(--muted);display:block}
.badge{display:inline-block;padding:0 .45em;border-radius:3px;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em;border:1.5px solid;white-space:nowrap}
.b-critical{background:var(--crit);color:#fff;border-color:var(--crit)}
.b-high{background:var(--high);color:#fff;border-color:var(--high)}
.b-medium{background:#fff;color:#8a1c0c;border-color:var(--med);border-style:dashed}
.b-low{background:#fff;color:var(--muted);border-color:var(--low);border-style:dotted}
.id{font-family:"DejaVu Sans Mono",monospace;font-size:.8em;color:var(--muted);white-space:nowrap}
.where{font-size:.78rem;color:var(--muted)}
.note{font-size:.84rem;color:var(--muted);margin:6px 0 0}
article.supplier{background:var(--card);border:1px solid var(--rule);border-left:6px solid var(--ink);border-radius:4px;padding:8px 14px 12px;margin:14px 0;break-inside:avoid-page}
article.supplier h3{margin:4px 0}.rank{color:var(--muted)}
.meta{margin:0 0 8px;color:var(--muted);font-size:.88rem}
table.findings td:first-child{width:9.5rem}table.findings td:last-child{width:38%}
blockquote.cite{margin:0 0 6px;padding:2px 0 2px 10px;border-left:3px solid var(--rule);font-size:.82rem}
blockquote.cite p{margin:0;font-style:italic}blockquote.cite footer{font-size:.74rem;color:var(--muted)}
table.asks ul{margin:0;padding-left:1.1em}table.asks td:nth-child(2){text-align:right;width:4rem}
table.ranked td:last-child{font-size:.8rem}
details summary{cursor:pointer;color:var(--muted);font-size:.85rem;margin:6px 0}
a{color:#7a1010}
table+table{margin-top:18px}
.scroll{overflow-x:auto}
@media (max-width:900px){.tiles{grid-template-columns:repeat(3,1fr)}.grid2,.chart-row{grid-template-columns:1fr}}
@media print{
 @page{size:A4;margin:14mm 12mm}
 html{background:#fff;font-size:10pt}
 header.top{background:#fff;color:#000;border-bottom:3px solid #000;padding:0 0 8px}header.top p{color:#333}
 nav{display:none}
 main{padding:0;max-width:none}
 section{break-before:auto;margin:14px 0}
 h2{break-after:avoid}
 figure.chart-block,article.supplier,.tile{break-inside:avoid;border-color:#999}
 .chart-row,.grid2{grid-template-columns:1fr 1fr}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a{color:#000;text-decoration:none}
 details>summary{display:none}
 table.matrix td,table.matrix th{font-size:6.5pt;padding:2px 1px}
 .scroll{overflow:visible}
}
"""


def render(result: AuditResult) -> str:
    """The portfolio report as one HTML document (deterministic for the same input and rules)."""
    charts.require()
    view = portfolio_view.build(result, TOP_N, list_suppliers=MAX_ROWS)
    inputs = ", ".join(Path(i.path).name for i in result.loaded.inputs)
    sections = [
        ("glance", "The portfolio at a glance",
         _key_figures(view, result) + '<div class="grid2">' + _chain_tier_figure(view) + _category_figure(view) + "</div>" + _completeness_figure(view)),
        ("heatmap", "Where the risk is: sector × country", _heatmap_figure(view)),
        ("top", "Highest-risk suppliers, with reasons and sources", _top_suppliers(view, result)),
        ("chain", "Risk inherited through supply-chain tiers", _inherited(view)),
        ("missing", "What is missing, and whom to ask", _missing(view, result)),
        ("method", "Method and sources", _method(view, result)),
    ]
    nav = "".join(f'<a href="#{sid}">{esc(title.split(",")[0].split(":")[0])}</a>' for sid, title, _ in sections)
    body = "\n".join(f'<section id="{sid}" aria-labelledby="h-{sid}"><h2 id="h-{sid}">{esc(title)}</h2>\n{content}\n</section>' for sid, title, content in sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="auditor">\n<title>Forced-labour risk: portfolio report</title>\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header class="top"><h1>Forced-labour risk in the supply chain</h1><p>{view.totals["rows_assessed"]} supplier sites from '
        f"{esc(inputs)}, checked against {view.totals['rules']} rules cited to the UN.GIFT Vienna Forum report (2008). "
        "Risk is a reason to look closer and to work with suppliers, not a verdict.</p></header>\n"
        f'<nav aria-label="Sections">{nav}</nav>\n<main>\n{body}\n</main>\n</body>\n</html>\n'
    )


def write(result: AuditResult, path: Path) -> None:
    """Write the report to PATH atomically."""
    from auditor.render import write_atomic

    write_atomic(path, render(result))
