"""The portfolio summary behind the HTML report: pure functions from an AuditResult to small frames.

Kept apart from the renderer so another output (Markdown) or a richer scoring module can reuse or
replace any piece without touching the page. Nothing here draws or formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from auditor import inherit, schema
from auditor.load import FILE, ROW, SHEET
from auditor.portfolio import crosstab
from auditor.rules import SEVERITIES, CompiledRule
from auditor.scoring import TIERS

if TYPE_CHECKING:
    from auditor.audit import AuditResult

TIER_ORDER = {t: i for i, t in enumerate(TIERS)}
UNKNOWN = "unknown"
OTHER = "other"
# Sources rules may cite, with the edition a reader needs to judge them. Unknown ids fall back to
# the citation's own title/edition fields.
SOURCES: dict[str, tuple[str, str]] = {
    "vienna-forum-2008": (
        "UN.GIFT, The Vienna Forum Report: a way forward to combat human trafficking (UNODC, Vienna Forum, 13–15 February 2008)",
        "2008",
    ),
    "ilab-goods-2022": (
        "U.S. Department of Labor, ILAB, List of Goods Produced by Child Labor or Forced Labor",
        "2022 edition",
    ),
}
# Columns that come from the ILAB goods list or the sector vocabulary built on it.
ILAB_COLUMNS = frozenset({"products", "sector_risk"})


@dataclass(frozen=True)
class Source:
    """One source the rules in this run cite or rely on."""

    id: str
    title: str
    edition: str
    rules: tuple[str, ...]


@dataclass(frozen=True)
class PortfolioView:
    """Everything the portfolio report shows, as plain frames and values."""

    totals: dict[str, int]
    by_chain_tier: pl.DataFrame  # supply_chain_tier ('tier 1' … or portfolio.UNKNOWN), one count column per risk tier, total
    by_category: pl.DataFrame  # category, one count column per severity, total
    completeness: pl.DataFrame  # column, known, total, share (columns the rules read)
    heatmap: pl.DataFrame  # sector, country, suppliers, max_score, worst_tier
    top: pl.DataFrame  # the top suppliers (scored frame rows)
    top_findings: pl.DataFrame  # findings of the top suppliers, most severe first
    inherited: pl.DataFrame  # supplier with sub-suppliers: own tier, worst tier below, via whom
    broken_links: pl.DataFrame  # supplier_id, parent_supplier_id not found in the data
    missing: pl.DataFrame  # rank, supplier_id, supplier_name, rule_id, title, missing, ask_for (the suppliers listed)
    missing_suppliers: int  # suppliers with any rule not evaluable (listed or not)
    sources: tuple[Source, ...]
    rule_packs: tuple[tuple[str, str], ...]  # (file, version)


def by_chain_tier(suppliers: pl.DataFrame) -> pl.DataFrame:
    """Suppliers per supply-chain tier, split by risk tier (portfolio.crosstab's view, without its means)."""
    return crosstab(suppliers, "supply_chain_tier").select("supply_chain_tier", *TIERS, pl.col("suppliers").alias("total"))


def by_category(fired: pl.DataFrame) -> pl.DataFrame:
    """Findings per category, split by severity, most findings first; from the findings per rule (category, severity,
    fired: AuditResult.fired_per_rule), so no finding is built."""
    return (
        fired.group_by("category")
        .agg(*[pl.col("fired").filter(pl.col("severity") == s).sum().cast(pl.Int64).alias(s) for s in SEVERITIES],
             pl.col("fired").sum().cast(pl.Int64).alias("total"))
        .sort(["total", "category"], descending=[True, False])
    )


def completeness(suppliers: pl.DataFrame, rules: list[CompiledRule]) -> pl.DataFrame:
    """How many suppliers have a known value in each column the rules read, least complete first."""
    contract = set(schema.polars_schema().names())
    columns = sorted({c for r in rules for c in r.columns if c in contract and c in suppliers.columns})
    total = suppliers.height
    if not columns:
        return pl.DataFrame(schema={"column": pl.String, "known": pl.Int64, "total": pl.Int64, "share": pl.Float64})
    known = suppliers.select(pl.col(c).is_not_null().sum().cast(pl.Int64).alias(c) for c in columns).row(0)
    return (
        pl.DataFrame({"column": columns, "known": list(known)}, schema={"column": pl.String, "known": pl.Int64})
        .with_columns(pl.lit(total, dtype=pl.Int64).alias("total"))
        .with_columns((pl.col("known") / pl.max_horizontal(pl.col("total"), pl.lit(1))).alias("share"))
        .sort(["share", "column"])
    )


def heatmap(suppliers: pl.DataFrame, max_countries: int = 20) -> pl.DataFrame:
    """Risk by sector × country: suppliers, highest score and worst risk tier in each cell.

    Countries beyond the `max_countries` with the most suppliers are pooled as 'other', so the
    chart stays legible for a global portfolio.
    """
    frame = suppliers.with_columns(pl.col("sector").fill_null(UNKNOWN), pl.col("country").fill_null(UNKNOWN))
    kept = (
        frame.group_by("country").len().sort(["len", "country"], descending=[True, False]).head(max_countries).get_column("country")
    )
    return (
        frame.with_columns(
            pl.when(pl.col("country").is_in(kept.implode())).then(pl.col("country")).otherwise(pl.lit(OTHER)).alias("country"),
            pl.col("tier").replace_strict(TIER_ORDER, return_dtype=pl.Int8).alias("_tier_order"),
        )
        .group_by("sector", "country")
        .agg(pl.len().cast(pl.Int64).alias("suppliers"), pl.col("score").max().alias("max_score"), pl.col("_tier_order").min().alias("_worst"))
        .with_columns(pl.col("_worst").replace_strict(dict(enumerate(TIERS)), return_dtype=pl.String).alias("worst_tier"))
        .drop("_worst")
        .sort("sector", "country")
    )


def ancestors(suppliers: pl.DataFrame, max_depth: int = 50) -> pl.DataFrame:
    """Every (descendant, ancestor) pair along usable parent links: the scoring model's links, so
    dangling parents and cycles (reported as data quality by scoring) carry nothing here either."""
    frame = suppliers.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in (FILE, SHEET) if c not in suppliers.columns)
    if ROW not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Int64).alias(ROW))
    pairs = inherit.ancestors(inherit.check_links(frame).edges, max_depth)
    return pairs.select(pl.col("source").alias("descendant"), "ancestor").unique().sort("ancestor", "descendant")


def inherited(suppliers: pl.DataFrame) -> pl.DataFrame:
    """Suppliers with sub-suppliers: their own risk tier next to the worst one anywhere below them."""
    ranked = suppliers.select(
        "supplier_id", "supplier_name", "supply_chain_tier", "tier", "score", "rank",
        pl.col("tier").replace_strict(TIER_ORDER, return_dtype=pl.Int8).alias("_order"),
    )
    below = (
        ancestors(suppliers)
        .join(ranked.select(pl.col("supplier_id").alias("descendant"), pl.col("supplier_name").alias("via_name"), pl.col("tier").alias("via_tier"),
                            pl.col("_order").alias("_via_order"), pl.col("score").alias("_via_score")), on="descendant")
        .sort(["_via_order", "_via_score", "descendant"], descending=[False, True, False])
        .group_by("ancestor", maintain_order=True)
        .agg(pl.len().cast(pl.Int64).alias("sub_suppliers"), pl.col("descendant").first().alias("via"), pl.col("via_name").first(),
             pl.col("via_tier").first().alias("worst_below"), pl.col("_via_order").first().alias("_below_order"))
    )
    return (
        ranked.join(below, left_on="supplier_id", right_on="ancestor")
        .with_columns((pl.col("_below_order") < pl.col("_order")).alias("inherits"))
        .with_columns(pl.when(pl.col("inherits")).then(pl.col("worst_below")).otherwise(pl.col("tier")).alias("effective_tier"))
        .sort(["inherits", "_below_order", "rank"], descending=[True, False, False])
        .drop("_order", "_below_order")
    )


def broken_links(suppliers: pl.DataFrame) -> pl.DataFrame:
    """Suppliers whose parent_supplier_id names no supplier in the data (a gap in chain mapping)."""
    return suppliers.filter(
        pl.col("parent_supplier_id").is_not_null() & ~pl.col("parent_supplier_id").is_in(suppliers.get_column("supplier_id").implode())
    ).select("supplier_id", "supplier_name", "parent_supplier_id").sort("supplier_id")


def missing(result: AuditResult, suppliers: int | None = None) -> tuple[pl.DataFrame, int]:
    """Rules that could not be evaluated, per supplier in rank order, with what to ask for: for the first `suppliers`
    suppliers with any (default all); and how many suppliers have any. Only the entries shown are built."""
    ids = result.evaluation.not_evaluable_suppliers()
    ranked = result.suppliers.select("supplier_id", "supplier_name", "rank").filter(pl.col("supplier_id").is_in(ids.implode())).sort("rank")
    shown = ranked if suppliers is None else ranked.head(suppliers)
    rules = pl.DataFrame(
        {"rule_id": [c.id for c in result.rules], "title": [c.rule.title for c in result.rules], "ask_for": [c.rule.ask_for for c in result.rules]},
        schema={"rule_id": pl.String, "title": pl.String, "ask_for": pl.String},
    )
    entries = (
        result.evaluation.not_evaluable_of(shown.get_column("supplier_id").to_list()).select("supplier_id", "rule_id", "missing")
        .join(shown, on="supplier_id", how="left")
        .join(rules, on="rule_id", how="left")
        .sort("rank", "rule_id")
        .select("rank", "supplier_id", "supplier_name", "rule_id", "title", "missing", "ask_for")
    )
    return entries, ranked.height


def sources(rules: list[CompiledRule]) -> tuple[Source, ...]:
    """The sources this run's rules cite, and the ILAB goods list when a rule relies on it."""
    cited: dict[str, list[str]] = {}
    extra: dict[str, tuple[str, str]] = {}
    for compiled in rules:
        for cite in compiled.rule.cite:
            cited.setdefault(cite.source, []).append(compiled.id)
            if cite.source not in SOURCES:
                extra.setdefault(cite.source, (cite.title or cite.source, cite.edition or ""))
        if ILAB_COLUMNS.intersection(compiled.columns) and not any("ilab" in c.source for c in compiled.rule.cite):
            cited.setdefault("ilab-goods-2022", []).append(compiled.id)
    out = []
    known = list(SOURCES)
    for source_id in sorted(cited, key=lambda s: (known.index(s) if s in known else len(known), s)):
        title, edition = SOURCES.get(source_id) or extra[source_id]
        out.append(Source(source_id, title, edition, tuple(sorted(set(cited[source_id])))))
    return tuple(out)


def build(result: AuditResult, top_n: int = 10, list_suppliers: int | None = None) -> PortfolioView:
    """The whole portfolio view of one audit; `list_suppliers` cuts the list of what is missing to that many suppliers
    (the page shows no more), so a large audit never builds every not-evaluable entry."""
    suppliers = result.suppliers
    top = suppliers.filter(pl.col("rank") <= top_n).sort("rank")
    severity_order = {s: i for i, s in enumerate(SEVERITIES)}
    top_findings = (
        result.evaluation.findings_of(top.get_column("supplier_id").to_list()).join(top.select("supplier_id", "rank"), on="supplier_id")
        .with_columns(pl.col("severity").replace_strict(severity_order, return_dtype=pl.Int8).alias("_sev"))
        .sort("rank", "_sev", "rule_id")
        .drop("_sev")
    )
    missing_entries, missing_suppliers = missing(result, list_suppliers)
    summary = result.summary()
    totals = {k: int(summary[k]) for k in ("rows_read", "rows_assessed", "rows_rejected", "findings", "not_evaluable", "data_quality", "rules", "failing_findings")}
    return PortfolioView(
        totals=totals,
        by_chain_tier=by_chain_tier(suppliers),
        by_category=by_category(result.fired_per_rule()),
        completeness=completeness(result.loaded.suppliers, result.rules),
        heatmap=heatmap(suppliers),
        top=top,
        top_findings=top_findings,
        inherited=inherited(suppliers),
        broken_links=broken_links(suppliers),
        missing=missing_entries,
        missing_suppliers=missing_suppliers,
        sources=sources(result.rules),
        rule_packs=tuple(sorted({(c.file, c.pack_version) for c in result.rules})),
    )
