"""Findings → supplier scores, risk tiers, confidence and a deterministic ranking.

The model is explained in docs/scoring.md. In short: each rule carries points by severity, scaled
by its kind; a supplier's score is the share of the points of the rules it was checked against
that it raised, with rules that could not be evaluated counted at a fraction (unknown is a gap,
never a pass); any critical indicator makes the supplier critical whatever its score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from auditor.engine import Evaluation
from auditor.load import FILE, ROW, SHEET
from auditor.rules import SEVERITIES, CompiledRule

Tier = Literal["critical", "high", "medium", "low"]
TIERS: tuple[Tier, ...] = ("critical", "high", "medium", "low")


class ScoringConfig(BaseModel):
    """Weights and cut-offs of the scoring model; every value is a documented policy default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    severity_points: dict[str, float] = Field(default_factory=lambda: {"critical": 10.0, "high": 5.0, "medium": 2.0, "low": 1.0})
    kind_factor: dict[str, float] = Field(default_factory=lambda: {"indicator": 1.0, "control": 0.6, "exposure": 0.5, "evidence": 0.3})
    unknown_factor: float = Field(0.5, ge=0.0, le=1.0)  # share of a rule's points an unknown answer carries
    high_cutoff: float = 25.0
    medium_cutoff: float = 10.0


def rule_weights(rules: Sequence[CompiledRule], config: ScoringConfig) -> pl.DataFrame:
    """Each rule's points: severity points × kind factor."""
    return pl.DataFrame(
        {
            "rule_id": [c.id for c in rules],
            "weight": [config.severity_points[c.rule.severity] * config.kind_factor[c.rule.kind] for c in rules],
            "critical_indicator": [c.rule.severity == "critical" and c.rule.kind == "indicator" for c in rules],
            "high_indicator": [c.rule.severity == "high" and c.rule.kind == "indicator" for c in rules],
        },
        schema={"rule_id": pl.String, "weight": pl.Float64, "critical_indicator": pl.Boolean, "high_indicator": pl.Boolean},
    )


def score(suppliers: pl.DataFrame, evaluation: Evaluation, rules: Sequence[CompiledRule], config: ScoringConfig | None = None) -> pl.DataFrame:
    """One row per supplier: rank, risk tier, score (0–100), confidence (0–1) and top reasons."""
    config = config or ScoringConfig()
    weights = rule_weights(rules, config)
    total = float(weights.get_column("weight").sum()) or 1.0
    fired = (
        # Heaviest rules first, ties by rule_id: a fixed order of the rules, so findings sort on one small integer.
        evaluation.findings.lazy()
        .join(weights.sort(["weight", "rule_id"], descending=[True, False]).with_row_index("_priority").lazy(), on="rule_id")
        .sort("_priority")
        .group_by("supplier_id", maintain_order=True)
        .agg(
            pl.col("weight").sum().alias("fired_weight"),
            pl.len().alias("findings"),
            pl.col("critical_indicator").any().alias("has_critical"),
            pl.col("high_indicator").any().alias("has_high_indicator"),
            pl.col("rule_id").head(3).alias("top_rules"),
            pl.col("title").head(3).alias("top_reasons"),
            *[(pl.col("severity") == s).sum().alias(f"n_{s}") for s in SEVERITIES],
        )
    )
    unknown = (
        evaluation.not_evaluable.lazy().join(weights.lazy(), on="rule_id")
        .group_by("supplier_id").agg(pl.col("weight").sum().alias("unknown_weight"), pl.len().alias("not_evaluable"))
    )
    scored = (
        suppliers.lazy()
        .select(FILE, SHEET, ROW, "supplier_id", "supplier_name", "country", "sector", pl.col("tier").alias("supply_chain_tier"), "parent_supplier_id")
        .join(fired, on="supplier_id", how="left")
        .join(unknown, on="supplier_id", how="left")
        .with_columns(
            pl.col("fired_weight", "unknown_weight").fill_null(0.0),
            pl.col("findings", "not_evaluable", *[f"n_{s}" for s in SEVERITIES]).fill_null(0).cast(pl.Int64),
            pl.col("has_critical", "has_high_indicator").fill_null(False),
            pl.col("top_rules", "top_reasons").fill_null([]),
        )
        .with_columns(
            (100 * (pl.col("fired_weight") + config.unknown_factor * pl.col("unknown_weight")) / total).round(1).alias("score"),
            (1 - pl.col("unknown_weight") / total).round(3).alias("confidence"),
        )
        .with_columns(
            pl.when(pl.col("has_critical")).then(pl.lit("critical"))
            .when(pl.col("has_high_indicator") | (pl.col("score") >= config.high_cutoff)).then(pl.lit("high"))
            .when(pl.col("score") >= config.medium_cutoff).then(pl.lit("medium"))
            .otherwise(pl.lit("low")).alias("tier")
        )
        .with_columns(pl.col("tier").replace_strict({t: i for i, t in enumerate(TIERS)}, return_dtype=pl.Int8).alias("_tier_order"))
        # Ties break on lower confidence first (less is known), then supplier_id: a total, stable order.
        .sort(["_tier_order", "score", "confidence", "supplier_id"], descending=[False, True, False, False])
        .with_row_index("rank", offset=1)
        .with_columns(pl.col("rank").cast(pl.Int64))
        .drop("_tier_order")
        .collect()
    )
    return scored
