"""The remediation workbook (`-o xlsx:PATH`): where an audit becomes tracked work.

Sheets: Summary (run record, counts, charts), Suppliers (ranked), Findings (one row per finding,
with status, owner, due date and notes to edit), Not evaluable (what to ask each supplier for),
Data quality, Rules. Written with openpyxl in write-only mode so memory stays flat; every text
that came from an input file is written as text, never as a formula. Feeding the edited workbook
back with `--previous` carries the edits forward (auditor/previous.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink

from auditor import citations, schema, scoring
from auditor.render import xlsx_kit as kit
from auditor.rules import SEVERITIES, SEVERITY_ORDER, CompiledRule

if TYPE_CHECKING:
    from auditor.audit import AuditResult

STATUSES = ("open", "in progress", "remediated", "verified", "accepted risk", "false positive", "resolved — not detected")
RESOLVED = "resolved — not detected"
REPORT_NAME = {"vienna-forum-2008": "Vienna Forum report (2008)"}
SEVERITY_COLOURS = {"critical": ("C00000", "FFFFFF"), "high": ("F4B084", "000000"), "medium": ("FFE699", "000000"), "low": ("E2EFDA", "000000")}


@dataclass(frozen=True)
class Column:
    """One column of a sheet: frame column, header, width, and how its cells are written."""

    name: str
    header: str
    width: float = 14
    wrap: bool = False
    editable: bool = False
    hidden: bool = False
    fmt: str | None = None  # number format, e.g. "0%"


# The Findings sheet. Headers are what previous.py reads back, so change them only with care.
FINDINGS_SHEET: tuple[Column, ...] = (
    Column("finding_id", "Finding ID", 26, hidden=True),
    Column("supplier_id", "Supplier ID", 13),
    Column("supplier_name", "Supplier", 24, wrap=True),
    Column("rule_id", "Rule", 9),
    Column("title", "Title", 30, wrap=True),
    Column("severity", "Severity", 10),
    Column("kind", "Kind", 10),
    Column("category", "Category", 16),
    Column("message", "Finding", 44, wrap=True),
    Column("evidence", "Evidence", 30, wrap=True),
    Column("source", "Source cell", 24, wrap=True),
    Column("citation", "Citation", 48, wrap=True),
    Column("remediation", "Remediation", 48, wrap=True),
    Column("status", "Status", 16, editable=True),
    Column("owner", "Owner", 16, editable=True),
    Column("due_date", "Due date", 12, editable=True),
    Column("notes", "Notes", 36, wrap=True, editable=True),
    Column("change", "Change since previous audit", 26, wrap=True),
    Column("first_detected", "First detected", 12),
    Column("resolved_on", "Resolved on", 12),
    Column("evidence_hash", "Evidence hash", 18, hidden=True),
)
DATE_COLUMNS = ("due_date", "first_detected", "resolved_on")
EDITABLE = tuple(c.name for c in FINDINGS_SHEET if c.editable)
# due_date_text keeps a due date typed by hand that is not a date (reported, never dropped).
FINDINGS_SCHEMA = pl.Schema({c.name: (pl.Date if c.name in DATE_COLUMNS else pl.String) for c in FINDINGS_SHEET} | {"due_date_text": pl.String})


# ── frames ────────────────────────────────────────────────────────────────────────────────────


def citation_text(compiled: CompiledRule) -> str:
    """A rule's citations as a person would quote them: source ¶paragraph: “quote”."""
    lines = []
    for cite in compiled.rule.cite:
        source = REPORT_NAME.get(cite.source, cite.title or cite.source)
        lines.append(f"{citations.reference(cite.source, cite.paragraph, source)}: “{cite.quote.strip()}”")
    return "\n".join(lines)


def rules_info(rules: list[CompiledRule]) -> pl.DataFrame:
    """Per rule: citation, remediation, due days and what to ask for, to join onto findings."""
    return pl.DataFrame(
        {
            "rule_id": [c.id for c in rules],
            "citation": [citation_text(c) for c in rules],
            "remediation": [" ".join(c.rule.remediation.split()) for c in rules],
            "due_days": [c.rule.due_days for c in rules],
            "ask_for": [" ".join(c.rule.ask_for.split()) for c in rules],
        },
        schema={"rule_id": pl.String, "citation": pl.String, "remediation": pl.String, "due_days": pl.Int64, "ask_for": pl.String},
    )


def _display_value(name: str, value: Any) -> str:
    if value is None:
        return "unknown"
    try:
        kind = schema.spec(name).type
    except KeyError:
        kind = "text"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "fraction" and isinstance(value, (int, float)):
        return f"{value * 100:.1f}".removesuffix(".0") + "%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def evidence_text(evidence: str) -> str:
    """The evidence JSON as 'column: value' lines, values written as in messages (45%, yes, unknown)."""
    values = json.loads(evidence)
    return "\n".join(f"{k}: {_display_value(k, v)}" for k, v in values.items())


def _file_name(column: str) -> pl.Expr:
    """The file's name without its folders (paths differ between machines; the name is what a reader looks for)."""
    return pl.col(column).str.replace(r"^.*[\\/]", "")


def _row_source(file: str, sheet: str, row: str) -> pl.Expr:
    """'file › sheet row N' (a dash for a CSV's sheet): the input row an entry came from."""
    return pl.format("{} › {} row {}", _file_name(file), pl.col(sheet).fill_null("-"), pl.col(row)).alias("source")


def _source_expr() -> pl.Expr:
    name = _file_name("file")
    return pl.when(pl.col("sheet").is_not_null()).then(pl.format("{} › {}!{}", name, pl.col("sheet"), pl.col("cell"))) \
        .otherwise(pl.format("{} row {} ({})", name, pl.col("row"), pl.col("column")))


def findings_sheet(result: AuditResult, audit_date: date) -> pl.DataFrame:
    """The Findings sheet as a frame, in rank order, with fresh tracking columns (status open, due dates)."""
    findings = result.findings
    evidence = findings.get_column("evidence").unique().to_list()
    shown = {e: evidence_text(e) for e in evidence}  # once per distinct value, not per finding
    ranks = result.suppliers.select("supplier_id", "rank")
    severity_order = pl.col("severity").replace_strict(SEVERITY_ORDER, default=len(SEVERITY_ORDER), return_dtype=pl.Int64)
    return (
        findings.lazy()
        .join(ranks.lazy(), on="supplier_id", how="left", maintain_order="left")
        .sort([pl.col("rank"), severity_order, pl.col("rule_id")], nulls_last=True)
        # After the sort: a rule's long citation and remediation are then never sorted along with every finding.
        .join(rules_info(result.rules).lazy(), on="rule_id", how="left", maintain_order="left")
        .select(
            pl.col("fingerprint").alias("finding_id"), "supplier_id", "supplier_name", "rule_id", "title", "severity", "kind",
            "category", "message", pl.col("evidence").replace_strict(shown, return_dtype=pl.String).alias("evidence"),
            _source_expr().alias("source"), "citation", "remediation",
            pl.lit("open").alias("status"), pl.lit(None, dtype=pl.String).alias("owner"),
            (pl.lit(audit_date) + pl.duration(days=pl.col("due_days").fill_null(0))).cast(pl.Date).alias("due_date"),
            pl.lit(None, dtype=pl.String).alias("notes"), pl.lit(None, dtype=pl.String).alias("change"),
            pl.lit(audit_date).alias("first_detected"), pl.lit(None, dtype=pl.Date).alias("resolved_on"),
            "evidence_hash", pl.lit(None, dtype=pl.String).alias("due_date_text"),
        )
        .collect()
        .cast(dict(FINDINGS_SCHEMA))
    )


def tracked_findings(result: AuditResult, audit_date: date) -> pl.DataFrame:
    """The Findings sheet with the previous workbook's edits carried forward, when one was given."""
    if "workbook_findings" in result.extra:
        return result.extra["workbook_findings"]
    return findings_sheet(result, audit_date)


def audit_date_of(result: AuditResult) -> date:
    """The audit date the run was given (--audit-date), else today."""
    value = result.extra.get("audit_date")
    return value if isinstance(value, date) else date.today()


# ── sheet writing ─────────────────────────────────────────────────────────────────────────────


def _template(ws: Any, column: Column, dtype: pl.DataType) -> Any:
    """The style a column's cells share: top-aligned (rows are tall), wrapped, unlocked or formatted as needed."""
    fmt = column.fmt or ("yyyy-mm-dd" if dtype == pl.Date else "yyyy-mm-dd hh:mm" if isinstance(dtype, pl.Datetime) else None)
    return kit.style(ws, alignment=kit.WRAP if column.wrap else kit.TOP, number_format=fmt,
                     protection=kit.UNLOCKED if column.editable else None)


LINE_HEIGHT = 15.0  # points per line of 11-point text
MAX_LINES = 8  # taller rows are cut; the full text is in the cell


def row_lines(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pl.Series:
    """Estimated lines each row needs so wrapped text shows (LibreOffice does not fit row heights on load)."""
    wrapped = [c for c in columns if c.wrap and frame.schema[c.name] == pl.String]
    if not wrapped or frame.is_empty():
        return pl.Series("lines", [1] * frame.height, dtype=pl.Int64)
    per_column = [
        (pl.col(c.name).fill_null("").str.len_chars() / max(c.width - 1, 1)).ceil().cast(pl.Int64)
        + pl.col(c.name).fill_null("").str.count_matches("\n")
        for c in wrapped
    ]
    return frame.select(pl.max_horizontal(*per_column).clip(1, MAX_LINES).alias("lines")).to_series()


TABLE_BATCH = 20_000  # rows made into text at once, so a sheet's wide text is never in memory whole


def _table(ws: Any, frame: pl.DataFrame, columns: tuple[Column, ...], *, freeze: str = "B2",
           protect: bool = False, links: dict[int, str] | None = None, link_column: str | None = None,
           fallback: tuple[str, str] | None = None, widen: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
           advance: Callable[[int], None] | None = None) -> int:
    """Write a header and one row per frame row; return the last row number written.

    Rows go through kit.FastRows: every str is written as text (never a formula), each column's
    cells share one style. `links` maps a row number to the in-workbook
    location its `link_column` cell points to. `fallback` = (column, text column): text written
    in the column's empty cells (a due date typed by hand that is not a date). `widen` adds the
    columns a narrow frame lacks (joined titles, formatted sources), TABLE_BATCH rows at a time;
    `advance(n)` hears of each batch of n rows written.
    """
    widen = widen or (lambda batch: batch)
    names = [c.name for c in columns]
    schema = widen(frame.head(0)).select(names).schema
    kit.set_widths(ws, [c.width for c in columns], [c.hidden for c in columns])
    ws.freeze_panes = freeze  # these three before the first append, or openpyxl ignores them
    kit.landscape(ws)
    fallback_at = names.index(fallback[0]) if fallback else -1
    header_lines = max(-(-len(c.header) // max(int(c.width) - 2, 1)) for c in columns)
    heights = kit.RowHeights(min(header_lines, 3), [], LINE_HEIGHT)
    ws.row_dimensions = heights
    ws.append(kit.header_row(ws, [c.header for c in columns]))
    templates = [_template(ws, c, schema[c.name]) for c in columns]
    # Editable cells are written even when empty, so they stay unlocked on a protected sheet.
    kit.install_fast_rows(ws, templates, [c.editable for c in columns])
    link_style = kit.style(ws, alignment=kit.TOP, font=kit.LINK_FONT)
    link_at = names.index(link_column) if link_column else -1
    row_number = 1
    for batch in frame.iter_slices(TABLE_BATCH):
        wide = widen(batch)
        fallback_text = wide.get_column(fallback[1]).to_list() if fallback else None
        wide = kit.clean_text(wide.select(names))
        heights.lines.extend(row_lines(wide, columns).to_list())  # asked for row by row as rows are written
        for offset, values in enumerate(wide.iter_rows()):
            row_number += 1
            if fallback_text is not None and values[fallback_at] is None and fallback_text[offset] is not None:
                values = (*values[:fallback_at], fallback_text[offset], *values[fallback_at + 1:])
            if links and row_number in links:
                cell = kit.styled(ws, values[link_at], link_style)
                cell.hyperlink = Hyperlink(ref="", location=links[row_number])
                values = (*values[:link_at], cell, *values[link_at + 1:])
            ws.append(values)
        if advance is not None:
            advance(wide.height)
    last_col = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last_col}{max(row_number, 2)}"
    if protect:
        ws.protection.sheet = True
        for allowed in ("autoFilter", "sort", "formatColumns", "formatRows", "formatCells", "selectLockedCells", "selectUnlockedCells"):
            setattr(ws.protection, allowed, False)  # False = the user may do it
    return row_number


def _severity_colours(ws: Any, letter: str, last_row: int, values: dict[str, tuple[str, str]]) -> None:
    cells = f"{letter}2:{letter}{max(last_row, 2)}"
    for value, (fill, font) in values.items():
        ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=[f'"{value}"'],
                                                        fill=PatternFill("solid", bgColor=fill), font=Font(color=font)))


def _letter(columns: tuple[Column, ...], name: str) -> str:
    return get_column_letter([c.name for c in columns].index(name) + 1)


def _write_findings(wb: Workbook, frame: pl.DataFrame, advance: Callable[[int], None] | None = None) -> int:
    ws = wb.create_sheet("Findings")
    last = _table(ws, frame, FINDINGS_SHEET, freeze="C2", protect=True, fallback=("due_date", "due_date_text"), advance=advance)
    rows = max(last, 2)
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True, showErrorMessage=True,
                            errorTitle="Status", error="Choose a status from the list.", promptTitle="Status",
                            prompt="open · in progress · remediated · verified · accepted risk · false positive", showInputMessage=True)
    status.add(f"{_letter(FINDINGS_SHEET, 'status')}2:{_letter(FINDINGS_SHEET, 'status')}{rows}")
    due = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                         showErrorMessage=True, errorStyle="warning", errorTitle="Due date", error="Enter a date (YYYY-MM-DD).")
    due.add(f"{_letter(FINDINGS_SHEET, 'due_date')}2:{_letter(FINDINGS_SHEET, 'due_date')}{rows}")
    ws.data_validations.append(status)
    ws.data_validations.append(due)
    _severity_colours(ws, _letter(FINDINGS_SHEET, "severity"), rows, SEVERITY_COLOURS)
    change = _letter(FINDINGS_SHEET, "change")
    ws.conditional_formatting.add(f"{change}2:{change}{rows}", FormulaRule(
        formula=[f'OR(ISNUMBER(SEARCH("reopened",{change}2)),ISNUMBER(SEARCH("again",{change}2)),ISNUMBER(SEARCH("not recognised",{change}2)))'],
        fill=PatternFill("solid", bgColor="F8CBAD")))
    status_letter = _letter(FINDINGS_SHEET, "status")
    ws.conditional_formatting.add(f"A2:{get_column_letter(len(FINDINGS_SHEET))}{rows}", FormulaRule(
        formula=[f'${status_letter}2="{RESOLVED}"'], font=Font(color="808080")))
    return last


SUPPLIERS_SHEET: tuple[Column, ...] = (
    Column("rank", "Rank", 7), Column("supplier_id", "Supplier ID", 13), Column("supplier_name", "Supplier", 28, wrap=True),
    Column("country", "Country", 9), Column("sector", "Sector", 16), Column("risk_tier", "Risk tier", 10),
    Column("score", "Score (0–100)", 10), Column("confidence", "Known (share of rules evaluable)", 14, fmt="0%"),
    Column("findings", "Findings (link)", 10), Column("n_critical", "Critical", 9), Column("n_high", "High", 8),
    Column("n_medium", "Medium", 9), Column("n_low", "Low", 8), Column("not_evaluable", "Not evaluable", 11),
    Column("top_reasons", "Top reasons", 60, wrap=True), Column("supply_chain_tier", "Supply-chain tier", 10),
    Column("parent_supplier_id", "Parent supplier", 13), Column("source", "Source row", 24),
)


def _write_suppliers(wb: Workbook, result: AuditResult, findings: pl.DataFrame, advance: Callable[[int], None] | None = None) -> None:
    ws = wb.create_sheet("Suppliers")
    first_rows = (
        findings.with_row_index("_r", offset=2).group_by("supplier_id").agg(pl.col("_r").min())
    )
    frame = (
        result.suppliers.join(first_rows, on="supplier_id", how="left")
        .with_columns(
            pl.col("tier").alias("risk_tier"),
            scoring.top_reasons(result.rules).list.join("; "),
            _row_source("_file", "_sheet", "_row"),
        )
        .sort("rank")
    )
    links = {i: f"'Findings'!B{r}" for i, r in enumerate(frame.get_column("_r").to_list(), 2) if r is not None}
    last = _table(ws, frame, SUPPLIERS_SHEET, freeze="C2", links=links, link_column="findings", advance=advance)
    _severity_colours(ws, _letter(SUPPLIERS_SHEET, "risk_tier"), last, SEVERITY_COLOURS)


NOT_EVALUABLE_SHEET: tuple[Column, ...] = (
    Column("rank", "Supplier rank", 8), Column("supplier_id", "Supplier ID", 13), Column("supplier_name", "Supplier", 26, wrap=True),
    Column("rule_id", "Rule", 9), Column("title", "Rule title", 34, wrap=True), Column("missing", "Missing evidence (columns)", 30, wrap=True),
    Column("ask_for", "What to ask the supplier for", 60, wrap=True), Column("source", "Source row", 24),
)


def _write_not_evaluable(wb: Workbook, result: AuditResult, advance: Callable[[int], None] | None = None) -> None:
    ws = wb.create_sheet("Not evaluable")
    # One row per supplier and rule it could not evaluate: several per supplier, so the sorted frame stays narrow
    # and names, titles and what to ask for are joined a batch at a time as the rows are written.
    narrow = (
        result.evaluation.not_evaluable.join(result.suppliers.select("supplier_id", "rank"), on="supplier_id", how="left")
        .sort(["rank", "rule_id"], nulls_last=True, maintain_order=True)
    )
    names = result.suppliers.select("supplier_id", "supplier_name")
    rules = pl.DataFrame({"rule_id": [c.id for c in result.rules], "title": [c.rule.title for c in result.rules]}) \
        .join(rules_info(result.rules).select("rule_id", "ask_for"), on="rule_id", how="left")

    def widen(batch: pl.DataFrame) -> pl.DataFrame:
        return (
            batch.join(names, on="supplier_id", how="left", maintain_order="left")
            .join(rules, on="rule_id", how="left", maintain_order="left")
            .with_columns(
                pl.col("missing").list.join(", "),
                _row_source("file", "sheet", "row"),
            )
        )

    _table(ws, narrow, NOT_EVALUABLE_SHEET, freeze="C2", widen=widen, advance=advance)


DATA_QUALITY_SHEET: tuple[Column, ...] = (
    Column("file", "File", 30, wrap=True), Column("sheet", "Sheet", 12), Column("row", "Row", 7), Column("cell", "Cell", 8),
    Column("column", "Column", 24), Column("value", "Value as read", 26, wrap=True), Column("problem", "Problem", 48, wrap=True),
    Column("effect", "Effect", 26, wrap=True),
)


def _write_data_quality(wb: Workbook, result: AuditResult) -> None:
    ws = wb.create_sheet("Data quality")
    _table(ws, result.loaded.data_quality, DATA_QUALITY_SHEET, freeze="A2")


RULES_SHEET: tuple[Column, ...] = (
    Column("rule_id", "Rule", 9), Column("title", "Title", 32, wrap=True), Column("category", "Category", 16),
    Column("kind", "Kind", 10), Column("severity", "Severity", 10), Column("ilo_indicators", "ILO indicators", 22, wrap=True),
    Column("description", "Why", 60, wrap=True), Column("when", "Fires when (SQL over the data contract)", 40, wrap=True),
    Column("citation", "Citation", 60, wrap=True), Column("remediation", "Remediation", 50, wrap=True),
    Column("due_days", "Due (days)", 9), Column("ask_for", "Ask for when unknown", 40, wrap=True),
    Column("fired", "Fired", 8), Column("not_evaluable", "Not evaluable", 10), Column("pack", "Pack (version)", 26, wrap=True),
)


def _write_rules(wb: Workbook, result: AuditResult) -> None:
    ws = wb.create_sheet("Rules")
    frame = pl.DataFrame(
        {
            "rule_id": [c.id for c in result.rules], "title": [c.rule.title for c in result.rules],
            "category": [c.rule.category for c in result.rules], "kind": [c.rule.kind for c in result.rules],
            "severity": [c.rule.severity for c in result.rules],
            "ilo_indicators": [", ".join(c.rule.ilo_indicators) for c in result.rules],
            "description": [" ".join(c.rule.description.split()) for c in result.rules],
            "when": [c.rule.condition() for c in result.rules],
            "pack": [f"{c.file} ({c.pack_version})" for c in result.rules],
        }
    ).join(rules_info(result.rules), on="rule_id").join(
        result.evaluation.rule_counts.select("rule_id", pl.col("fired").cast(pl.Int64), pl.col("not_evaluable").cast(pl.Int64)),
        on="rule_id", how="left",
    )
    last = _table(ws, frame, RULES_SHEET, freeze="B2")
    _severity_colours(ws, _letter(RULES_SHEET, "severity"), last, SEVERITY_COLOURS)


def _counts(frame: pl.DataFrame, column: str, order: tuple[str, ...] | None = None) -> list[tuple[str, int]]:
    counts = dict(frame.group_by(column).len().iter_rows()) if frame.height else {}
    keys = list(order) if order else sorted(k for k in counts if k is not None)
    return [(k, int(counts.get(k, 0))) for k in keys]


CHANGE_KINDS = (("new", "new"), ("reopened", "reopened"), ("evidence changed", "evidence changed"),
                ("detected again", "detected again"), ("not detected", "no longer detected"),
                ("not checked", "not checked (rule or supplier not in this audit)"), ("not recognised", "status not recognised"))


def change_kind(changes: pl.Expr) -> pl.Expr:
    """Each 'change since previous audit' note (a list) folded to its kind, for counting."""
    kind = pl.element()
    expr = pl.lit(None, dtype=pl.String)
    for needle, label in reversed(CHANGE_KINDS):
        expr = pl.when(kind.str.contains(needle, literal=True)).then(pl.lit(label)).otherwise(expr)
    return changes.list.eval(expr)


def _write_summary(wb: Workbook, result: AuditResult, findings: pl.DataFrame, audit_date: date) -> None:
    from auditor.scoring import TIERS

    ws = wb.create_sheet("Summary")
    kit.set_widths(ws, [34, 70])
    kit.landscape(ws, title_rows=None)
    title = kit.style(ws, font=Font(bold=True, size=14))
    bold = kit.style(ws, font=Font(bold=True))
    plain = kit.style(ws, alignment=kit.TOP)
    wrap = kit.style(ws, alignment=Alignment(horizontal="left", vertical="top", wrap_text=True))
    rows: list[list[Any]] = []

    def line(label: str, *values: Any, label_style: Any = bold) -> None:
        rows.append([kit.text_cell(ws, label, label_style), *[kit.styled(ws, v, wrap) if v is not None else None for v in values]])

    rows.append([kit.text_cell(ws, "Forced-labour risk audit: remediation workbook", title)])
    rows.append([kit.text_cell(ws, "Edit Status, Owner, Due date and Notes on the Findings sheet. Re-run the audit with "
                                   "--previous on this file to carry them forward.", plain)])
    rows.append([])
    summary = result.summary()
    line("Audit date", audit_date)
    line("Tool", f"auditor {result.tool_version}")
    for info in result.loaded.inputs:
        line("Input file", info.path)
        line("  sha256", info.sha256, label_style=plain)
    for file, version in sorted({(c.file, c.pack_version) for c in result.rules}):
        line("Rule pack (version)", f"{file} ({version})")
    line("Rules run", len(result.rules))
    if result.extra.get("previous_path"):
        line("Previous workbook", str(result.extra["previous_path"]))
    line("Rows read", summary["rows_read"])
    line("Suppliers assessed", summary["rows_assessed"])
    line("Rows rejected", summary["rows_rejected"])
    line("Findings raised", summary["findings"])
    line("Not evaluable (supplier × rule)", summary["not_evaluable"])
    line("Data-quality notes", result.loaded.data_quality.height)
    rows.append([])

    def block(heading: str, pairs: list[tuple[str, int]]) -> tuple[int, int]:
        rows.append(kit.header_row(ws, [heading, "Count"]))
        first = len(rows) + 1
        for key, count in pairs:
            rows.append([kit.text_cell(ws, key, plain), kit.styled(ws, count, wrap)])
        last = len(rows)
        rows.append([])
        return first, last

    tiers = block("Suppliers by risk tier", [(t, summary["suppliers_by_tier"].get(t, 0)) for t in TIERS])
    categories = block("Findings by category", sorted(summary["findings_by_category"].items()))
    block("Findings by severity", [(s, summary["findings_by_severity"].get(s, 0)) for s in SEVERITIES])
    block("Findings by status", _counts(findings, "status", STATUSES))
    changes = [(k, n) for k, n in _counts(findings.select(change_kind(pl.col("change").str.split("; ")).alias("change")).explode("change"), "change") if n]
    if changes:
        block("Changes since the previous workbook", changes)
    for row in rows:
        ws.append(row)
    for (first, last), chart_title, anchor, y_title in ((tiers, "Suppliers by risk tier", "D4", "Suppliers"),
                                                        (categories, "Findings by category", "D21", "Findings")):
        if last < first:
            continue
        chart = BarChart()
        chart.type = "col" if chart_title.startswith("Suppliers") else "bar"
        chart.title = chart_title
        chart.y_axis.title = y_title
        chart.legend = None
        chart.add_data(Reference(ws, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        chart.width, chart.height = 16, 8
        ws.add_chart(chart, anchor)


# ── entry point ───────────────────────────────────────────────────────────────────────────────


def _rows_written(tick: Callable[[int, int], None], total: int) -> Callable[[int], None]:
    """An advance(n) that counts n more rows written and tells `tick` how many of `total` that makes."""
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        tick(done, total)

    tick(0, total)
    return advance


def render(result: AuditResult, path: Path, tick: Callable[[int, int], None] | None = None) -> None:
    """Write the remediation workbook to `path` (atomically; same input and audit date → same bytes).

    `tick(done, total)` (a progress.Tick) hears of the rows of the three long sheets as they are written."""
    audit_date = audit_date_of(result)
    findings = tracked_findings(result, audit_date)
    advance = None
    if tick is not None:  # counted, not built: the not-evaluable rows are made only when their sheet is written
        advance = _rows_written(tick, result.suppliers.height + findings.height + result.not_evaluable_count())
    wb = Workbook(write_only=True)
    _write_summary(wb, result, findings, audit_date)
    _write_suppliers(wb, result, findings, advance)
    _write_findings(wb, findings, advance)
    _write_not_evaluable(wb, result, advance)
    _write_data_quality(wb, result)
    _write_rules(wb, result)
    kit.save_deterministic(wb, Path(path), datetime.combine(audit_date, time(0, 0)))
