"""Rule outcomes as a matrix: one row per supplier row, one Boolean column per rule (TRUE finding, FALSE silent,
NULL not evaluable), so per-supplier sums are sums across columns rather than group-bys over millions of rows."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from auditor.engine import Evaluation

# Status codes of a cell, for the flat lookup (codes) and the long form (long).
SILENT, FINDING, UNKNOWN = 0, 1, 2


def matrix(evaluation: Evaluation, supplier_ids: pl.Series, rule_ids: Sequence[str]) -> pl.DataFrame:
    """The outcomes of `rule_ids` (columns, in that order) for each supplier row (in `supplier_ids` order).

    The engine keeps its matrix (Evaluation.hits); an evaluation built by hand (tests, tools) is turned into one
    from its findings and not-evaluable entries. A rule the evaluation did not run is silent.
    """
    hits = evaluation.hits
    if hits is None or hits.height != supplier_ids.len() or not hits.width:
        hits = _from_entries(evaluation, supplier_ids)  # has a _pos column, so a missing rule gets one FALSE per row
    return hits.select([pl.col(r) if r in hits.columns else pl.repeat(False, pl.len(), dtype=pl.Boolean).alias(r) for r in rule_ids])


def _from_entries(evaluation: Evaluation, supplier_ids: pl.Series) -> pl.DataFrame:
    """matrix() for an evaluation without one: findings TRUE, not-evaluable entries NULL, the rest FALSE."""
    entries = pl.concat(
        [
            evaluation.findings.select("supplier_id", "rule_id", pl.lit(FINDING, dtype=pl.UInt8).alias("code")),
            evaluation.not_evaluable.select("supplier_id", "rule_id", pl.lit(UNKNOWN, dtype=pl.UInt8).alias("code")),
        ]
    ).unique(subset=["supplier_id", "rule_id"], keep="first", maintain_order=True)
    rows = supplier_ids.rename("supplier_id").to_frame().with_row_index("_pos")
    if entries.is_empty():
        return rows.select("_pos")
    placed = entries.join(rows, on="supplier_id")
    if placed.is_empty():
        return rows.select("_pos")
    wide = placed.pivot(on="rule_id", index="_pos", values="code")
    coded = rows.select("_pos").join(wide, on="_pos", how="left", maintain_order="left")
    return coded.select(
        "_pos",
        *[pl.when(pl.col(c) == FINDING).then(True).when(pl.col(c) == UNKNOWN).then(None).otherwise(False).alias(c)
          for c in coded.columns if c != "_pos"],
    )


def factor(rule_id: str, unknown_weight: float) -> pl.Expr:
    """The share of a rule's points a supplier carries: 1 for a finding, `unknown_weight` when unknown, else 0."""
    return pl.col(rule_id).cast(pl.Float64).fill_null(unknown_weight)


def codes(hits: pl.DataFrame) -> pl.Series:
    """Every cell's status code (SILENT/FINDING/UNKNOWN), column after column: cell (row, column) is at
    column × height + row."""
    if not hits.width:
        return pl.Series([], dtype=pl.UInt8)
    return pl.concat([hits.get_column(c).cast(pl.UInt8).fill_null(UNKNOWN) for c in hits.columns])


def long(hits: pl.DataFrame) -> pl.DataFrame:
    """The cells that are not silent, as rows: _pos (row), _c (column index), code (FINDING/UNKNOWN)."""
    if not hits.width or not hits.height:
        return pl.DataFrame(schema={"_pos": pl.UInt32, "_c": pl.UInt32, "code": pl.UInt8})
    return (
        hits.with_row_index("_pos")
        .unpivot(index="_pos", variable_name="_rule", value_name="_hit")
        .filter(pl.col("_hit").is_null() | pl.col("_hit"))
        .select(
            "_pos",
            pl.col("_rule").replace_strict({c: i for i, c in enumerate(hits.columns)}, return_dtype=pl.UInt32).alias("_c"),
            pl.when(pl.col("_hit")).then(FINDING).otherwise(UNKNOWN).cast(pl.UInt8).alias("code"),
        )
    )
