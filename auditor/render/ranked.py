"""Findings in risk order with their suppression status: the shared input of the CI renderers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import polars as pl

from auditor.engine import FINDING_COLUMNS, HIT
from auditor.load import FILE
from auditor.rules import SEVERITY_ORDER

if TYPE_CHECKING:
    from auditor.audit import AuditResult

# SARIF level and GitHub annotation level for each severity (ecosystem.md §4.3).
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}


def row_rank(result: AuditResult) -> pl.Series:
    """Each evaluated supplier row's rank ("supplier_rank"), row for row with the engine's frame."""
    model = result.extra.get("scoring")
    if model is not None and model.row_rank is not None and model.row_rank.len() == result.loaded.suppliers.height:
        return model.row_rank.alias("supplier_rank")  # (a join on a million supplier ids costs a quarter of a GB)
    rank_of = result.suppliers.select("supplier_id", pl.col("rank").alias("supplier_rank"))
    return result.loaded.suppliers.select("supplier_id").join(rank_of, on="supplier_id", how="left", maintain_order="left").get_column("supplier_rank")


def finding_counts(result: AuditResult) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(file, rule id) → findings, failing, suppressed. Counted on the engine's outcome matrix when nothing is
    suppressed (no finding built); otherwise over the ranked findings, a batch at a time."""
    evaluated = result.evaluation.evaluated
    counts: dict[tuple[str, str], tuple[int, int, int]] = {}
    if evaluated is not None and evaluated.frame.height == result.loaded.suppliers.height and not result.extra.get("suppressed"):
        severity = pl.DataFrame({"rule_id": [c.id for c in evaluated.rules], "severity": [c.rule.severity for c in evaluated.rules]},
                                schema={"rule_id": pl.String, "severity": pl.String})
        per = (
            evaluated.frame.group_by(FILE).agg(pl.col(HIT + c.id).sum().cast(pl.Int64).alias(c.id) for c in evaluated.rules)
            .unpivot(index=FILE, variable_name="rule_id", value_name="n").filter(pl.col("n") > 0)
            .join(severity, on="rule_id").select(FILE, "rule_id", "n", pl.when(result.failing()).then(pl.col("n")).otherwise(0).alias("failing"),
                                                 pl.lit(0).alias("suppressed"))
        )
    else:
        per = pl.concat([batch.group_by("file", "rule_id").agg(pl.len(), pl.col("failing").sum(), pl.col("suppressed").sum())
                         for batch in ranked_batches(result)])
    for file, rule, n, failing, suppressed in per.iter_rows():
        old = counts.get((file, rule), (0, 0, 0))
        counts[(file, rule)] = (old[0] + int(n), old[1] + int(failing), old[2] + int(suppressed))
    return counts


def ranked_batches(result: AuditResult, severities: Sequence[str] | None = None) -> Iterator[pl.DataFrame]:
    """The findings by risk, a batch at a time (see ranked_findings): never all of them in memory at once; only those of
    `severities`, when given.

    At least one frame, empty when nothing was found."""
    evaluated = result.evaluation.evaluated
    if evaluated is None or evaluated.frame.height != result.loaded.suppliers.height:
        whole = _ranked_by_sort(result)  # an evaluation built by hand: its findings are all there is
        yield whole if severities is None else whole.filter(pl.col("severity").is_in(list(severities)))
        return
    rank = row_rank(result)
    empty = True
    for batch in evaluated.risk_ordered(rank, severities=severities):
        empty = False
        yield with_flags(batch, result)
    if empty and severities is None:  # always one frame, so a writer has the columns even when nothing was found
        yield _ranked_by_sort(result)
    elif empty:  # none of these severities, though perhaps millions of others: the columns without building any
        none = evaluated.findings(pl.Series("__pos", [], dtype=pl.UInt32))
        yield with_flags(none.select(*FINDING_COLUMNS, pl.lit(None, dtype=rank.dtype).alias(rank.name)), result)


def ranked_findings(result: AuditResult) -> pl.DataFrame:
    """Findings by risk: severity, then the supplier's rank, then rule id; with rank, failing and suppressed flags.

    A total order on unique (supplier_id, rule_id) pairs, so every renderer is deterministic.
    """
    return pl.concat(list(ranked_batches(result)), how="vertical")


def top_ranked(result: AuditResult, n: int, severities: Sequence[str] | None = None, open_only: bool = False) -> pl.DataFrame:
    """The first `n` findings by risk (ranked_findings), building only the batches that hold them; only those of
    `severities` when given, and only those no baseline suppressed with `open_only`."""
    parts, have = [], 0
    for batch in ranked_batches(result, severities):
        parts.append((batch.filter(~pl.col("suppressed")) if open_only else batch).head(n - have))
        have += parts[-1].height
        if have >= n:
            break
    return pl.concat(parts, how="vertical")


def with_flags(findings: pl.DataFrame, result: AuditResult) -> pl.DataFrame:
    """The failing and suppressed flags of each finding."""
    suppressed = list(result.extra.get("suppressed", {}))
    return findings.with_columns(
        result.failing().alias("failing"),
        pl.col("fingerprint").is_in(pl.Series(suppressed, dtype=pl.String).implode()).alias("suppressed")
        if suppressed else pl.lit(False).alias("suppressed"),
    )


def _ranked_by_sort(result: AuditResult) -> pl.DataFrame:
    """ranked_findings for findings held whole: joined to the ranks and sorted."""
    rule_order = {rule_id: i for i, rule_id in enumerate(sorted({c.id for c in result.rules}))}
    rank_of = result.suppliers.select("supplier_id", pl.col("rank").alias("supplier_rank"))
    ranked = result.findings.join(rank_of, on="supplier_id", how="left", maintain_order="left")
    # One UInt64 sort key (severity, rank, rule position) instead of four columns with text. Ranks and rule positions
    # fit 32 and 16 bits; a finding outside both (no rank, unknown rule) sorts last, in engine order.
    rule = pl.col("rule_id").replace_strict(rule_order, default=(1 << 16) - 1, return_dtype=pl.UInt64)
    severity = pl.col("severity").replace_strict(SEVERITY_ORDER, default=len(SEVERITY_ORDER), return_dtype=pl.UInt64)
    rank = pl.col("supplier_rank").cast(pl.UInt64).fill_null((1 << 32) - 1)
    return with_flags(ranked.sort(severity * (1 << 48) + rank * (1 << 16) + rule, maintain_order=True), result)


def location(row: dict) -> str:
    """`Sheet!Cell` (or just the cell for a CSV), as a person finds it in the file."""
    return f"{row['sheet']}!{row['cell']}" if row.get("sheet") else str(row["cell"])
