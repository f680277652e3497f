"""CSV: one row per finding, in risk order, safe to open in Excel or LibreOffice.

Text from spreadsheets is data: a cell that starts with = + - @, a tab or a carriage return would be
run as a formula by a spreadsheet program, so it gets a leading apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from auditor.render.batches import sink
from auditor.render.ranked import ranked_batches

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


def findings_batches(result: AuditResult) -> Iterator[pl.DataFrame]:
    """The findings as exported, a batch at a time in risk order: suppression columns added, nothing escaped yet."""
    suppressed = result.extra.get("suppressed", {})
    justification = {fp: s["justification"] for fp, s in suppressed.items()}
    why = (pl.col("fingerprint").replace_strict(justification, default=None, return_dtype=pl.String) if justification
           else pl.lit(None, dtype=pl.String))  # no baseline: skip a lookup per finding
    for frame in ranked_batches(result):
        yield frame.with_columns(why.alias("suppression_justification")).select(COLUMNS)


def findings_frame(result: AuditResult) -> pl.DataFrame:
    """The findings as exported, whole (findings_batches)."""
    return pl.concat(list(findings_batches(result)), how="vertical")


def _escaped(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column formula-safe."""
    return frame.with_columns(formula_safe(name) for name, dtype in frame.schema.items() if dtype == pl.String)


def pieces(result: AuditResult) -> Iterator[str]:
    """The CSV text a batch of findings at a time (the header with the first), for standard output."""
    for i, frame in enumerate(findings_batches(result)):
        yield _escaped(frame).write_csv(include_header=i == 0)


def render(result: AuditResult) -> str:
    """The findings as CSV text (UTF-8, header row, comma-separated, RFC 4180 quoting)."""
    return "".join(pieces(result))


def write(result: AuditResult, path: Path) -> None:
    """The same CSV as render, streamed to `path` a batch of findings at a time."""
    sink((_escaped(frame) for frame in findings_batches(result)), path, lambda lazy, target: lazy.sink_csv(target, maintain_order=True))
