"""CSV: one row per finding, in risk order, safe to open in Excel or LibreOffice.

Text from spreadsheets is data: a cell that starts with = + - @, a tab or a carriage return would be
run as a formula by a spreadsheet program, so it gets a leading apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from auditor.render.ranked import ranked_findings

if TYPE_CHECKING:
    from auditor.audit import AuditResult

COLUMNS = ("supplier_rank", "supplier_id", "supplier_name", "rule_id", "severity", "kind", "category", "title", "message",
           "file", "sheet", "row", "column", "cell", "evidence", "fingerprint", "evidence_hash", "failing", "suppressed",
           "suppression_justification")
FORMULA_START = r"^[=+\-@\t\r]"


def formula_safe(column: str) -> pl.Expr:
    """The text column with an apostrophe before any value a spreadsheet would read as a formula."""
    col = pl.col(column)
    return pl.when(col.str.contains(FORMULA_START)).then(pl.lit("'") + col).otherwise(col).alias(column)


def findings_frame(result: AuditResult) -> pl.DataFrame:
    """The findings as exported: risk order, suppression columns added, nothing escaped yet."""
    suppressed = result.extra.get("suppressed", {})
    justification = {fp: s["justification"] for fp, s in suppressed.items()}
    frame = ranked_findings(result)
    why = (pl.col("fingerprint").replace_strict(justification, default=None, return_dtype=pl.String) if justification
           else pl.lit(None, dtype=pl.String))  # no baseline: skip a lookup per finding
    return frame.with_columns(why.alias("suppression_justification")).select(COLUMNS)


def render(result: AuditResult) -> str:
    """The findings as CSV text (UTF-8, header row, comma-separated, RFC 4180 quoting)."""
    frame = findings_frame(result)
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(formula_safe(c) for c in text_columns).write_csv()
