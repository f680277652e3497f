"""Findings in risk order with their suppression status: the shared input of the CI renderers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from auditor.rules import SEVERITY_ORDER

if TYPE_CHECKING:
    from auditor.audit import AuditResult

# SARIF level and GitHub annotation level for each severity (ecosystem.md §4.3).
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}


def ranked_findings(result: AuditResult) -> pl.DataFrame:
    """Findings by risk: severity, then the supplier's rank, then rule id; with rank, failing and suppressed flags.

    A total order on unique (supplier_id, rule_id) pairs, so every renderer is deterministic.
    """
    suppressed = list(result.extra.get("suppressed", {}))
    rule_order = {rule_id: i for i, rule_id in enumerate(sorted({c.id for c in result.rules}))}
    rank_of = result.suppliers.select("supplier_id", pl.col("rank").alias("supplier_rank"))
    keys = result.evaluation.finding_keys
    if keys is not None and keys.height == result.findings.height and list(result.evaluation.rule_ids) == list(rule_order):
        # The engine's integer twins: each finding's supplier row and rule position, so its rank is a gather, not a join.
        rows = result.loaded.suppliers.select("supplier_id").join(rank_of, on="supplier_id", how="left", maintain_order="left")
        ranked = result.findings.with_columns(rows.get_column("supplier_rank").gather(keys.get_column("pos")))
        rule = keys.get_column("rule").cast(pl.UInt64)
    else:
        ranked = result.findings.join(rank_of, on="supplier_id", how="left", maintain_order="left")
        rule = pl.col("rule_id").replace_strict(rule_order, default=(1 << 16) - 1, return_dtype=pl.UInt64)
    # Millions of rows at scale: one UInt64 sort key (severity, rank, rule position) instead of four columns with text.
    # Ranks and rule positions fit 32 and 16 bits; a finding outside both (no rank, unknown rule) sorts last, in engine order.
    severity = pl.col("severity").replace_strict(SEVERITY_ORDER, default=len(SEVERITY_ORDER), return_dtype=pl.UInt64)
    rank = pl.col("supplier_rank").cast(pl.UInt64).fill_null((1 << 32) - 1)
    return (
        ranked.with_columns(
            result.failing().alias("failing"),
            pl.col("fingerprint").is_in(pl.Series(suppressed, dtype=pl.String).implode()).alias("suppressed")
            if suppressed else pl.lit(False).alias("suppressed"),
            (severity * (1 << 48) + rank * (1 << 16) + rule).alias("_key"),
        )
        .sort("_key", maintain_order=True)
        .drop("_key")
    )


def location(row: dict) -> str:
    """`Sheet!Cell` (or just the cell for a CSV), as a person finds it in the file."""
    return f"{row['sheet']}!{row['cell']}" if row.get("sheet") else str(row["cell"])
