"""Findings → supplier scores, risk tiers, confidence and a deterministic ranking.

The model (docs/scoring.md explains it with worked examples):

* Every rule has a **kind**, and each kind is a dimension of the score kept apart from the others:
  ``indicator`` → *indicators* (evidence of forced-labour conditions), ``control`` → *control gaps*
  (missing safeguards), ``exposure`` → *exposure* (sector, goods, country, migrant and agency
  shares: inherent risk, never by itself wrongdoing), ``evidence`` → *evidence quality*.
* A rule's weight is ``severity_points[severity] × kind_factor[kind]``, so a critical indicator
  always outweighs a control gap or an exposure of the same or lower severity. Its points are its
  share of 100 over every rule in the set: fixed by the rule set, not by the supplier.
* For one supplier a rule is a finding (TRUE: all its points), silent (FALSE: none) or unknown
  (NULL: a fraction ``unknown_factor`` of its points under the default ``gap`` policy, all of them
  under the ``risk`` policy). Unknown is never worth zero, so nothing known scores as clean.
* A rule's contribution can also be **inherited**: a sub-tier supplier's findings reach each
  supplier above it at ``tier_decay`` per tier, a shared recruiter's findings reach every supplier
  that uses it at ``recruiter_factor`` (auditor/inherit.py). Per rule the supplier gets the larger of
  its own factor and the inherited one; the difference is shown as inherited, never merged.
* score = own + inherited (0–100, the sum of every contribution). The own points per dimension give
  the sub-scores (each 0–100 of its dimension).
* Tier: any own critical **indicator** makes the supplier critical whatever the score (amfori /
  RBA zero tolerance); an own high indicator or a score ≥ ``high_cutoff`` makes it high; an
  inherited critical indicator lifts it to at least ``inherited_critical_tier``; else medium from
  ``medium_cutoff``, else low.
* Confidence = the severity-weighted share of the rules that could be evaluated for the supplier.
* Rank: tier, then score (higher first), then confidence (lower first: less is known), then
  supplier_id — a total, stable order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from auditor.engine import Evaluation
from auditor.load import DQ_SCHEMA, FILE, ROW, SHEET
from auditor.rules import SEVERITIES, CompiledRule

Tier = Literal["critical", "high", "medium", "low"]
TIERS: tuple[Tier, ...] = ("critical", "high", "medium", "low")
# Rule kind → the sub-score it feeds (JSON field names of the supplier record).
DIMENSIONS: dict[str, str] = {"exposure": "exposure", "indicator": "indicators", "control": "control_gaps", "evidence": "evidence_quality"}
KIND_ORDER: tuple[str, ...] = ("indicator", "control", "exposure", "evidence")  # for top reasons
SUBSCORE_FIELDS: tuple[str, ...] = tuple(DIMENSIONS.values())
# Supplier fields this model adds to the JSON report (after the original ones).
NEW_SUPPLIER_FIELDS: tuple[str, ...] = ("score_own", "score_inherited", *SUBSCORE_FIELDS, "inherited_critical", "inherited_from")
CONTRIBUTION_SCHEMA = pl.Schema(
    {"supplier_id": pl.String, "rule_id": pl.String, "kind": pl.String, "severity": pl.String, "dimension": pl.String,
     "status": pl.String, "factor": pl.Float64, "points": pl.Float64, "max_points": pl.Float64,
     "source_type": pl.String, "source_id": pl.String, "depth": pl.Int64}
)


class ScoringConfig(BaseModel):
    """Weights and cut-offs of the scoring model; every value is a documented policy default (docs/scoring.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Relative weight of a rule inside its dimension (Global Trace rates indicators 1–5; we use 1/2/5/10).
    severity_points: dict[str, float] = Field(default_factory=lambda: {"critical": 10.0, "high": 5.0, "medium": 2.0, "low": 1.0})
    # Multiplier by kind: evidence of forced labour counts most, exposure (never wrongdoing by itself) less.
    kind_factor: dict[str, float] = Field(default_factory=lambda: {"indicator": 1.0, "control": 0.6, "exposure": 0.5, "evidence": 0.3})
    # gap: unknown carries `unknown_factor` of a rule's points (FLSRI: unknown is not zero, nor a finding);
    # risk: unknown carries all of them (Sedex: an incomplete answer is treated as risk).
    missing_data: Literal["gap", "risk"] = "gap"
    unknown_factor: float = Field(0.25, gt=0.0, le=1.0)
    # Inheritance: a finding n tiers below counts tier_decay**n; a shared recruiter's at recruiter_factor.
    tier_decay: float = Field(0.5, ge=0.0, le=1.0)
    recruiter_factor: float = Field(0.5, ge=0.0, le=1.0)
    max_inherit_depth: int = Field(5, ge=0, le=50)
    inherit_kinds: tuple[str, ...] = ("indicator", "control", "exposure")
    inherited_critical_tier: Literal["critical", "high", "medium", "low"] = "high"
    high_cutoff: float = Field(30.0, ge=0.0, le=100.0)
    medium_cutoff: float = Field(12.0, ge=0.0, le=100.0)

    @field_validator("severity_points")
    @classmethod
    def _every_severity(cls, value: dict[str, float]) -> dict[str, float]:
        missing = [s for s in SEVERITIES if s not in value]
        if missing or any(v <= 0 for v in value.values()):
            raise ValueError(f"needs a positive value for every severity ({', '.join(SEVERITIES)})")
        return value

    @field_validator("kind_factor")
    @classmethod
    def _every_kind(cls, value: dict[str, float]) -> dict[str, float]:
        missing = [k for k in DIMENSIONS if k not in value]
        if missing or any(v < 0 for v in value.values()) or not any(v > 0 for v in value.values()):
            raise ValueError(f"needs a weight ≥ 0 for every kind ({', '.join(DIMENSIONS)}), at least one > 0")
        return value

    @field_validator("inherit_kinds")
    @classmethod
    def _known_kinds(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in value if k not in DIMENSIONS]
        if unknown:
            raise ValueError(f"unknown rule kind(s) {', '.join(unknown)} (choose from {', '.join(DIMENSIONS)})")
        return value

    @model_validator(mode="after")
    def _cutoffs_in_order(self) -> ScoringConfig:
        if self.medium_cutoff > self.high_cutoff:
            raise ValueError(f"medium_cutoff ({self.medium_cutoff:g}) is above high_cutoff ({self.high_cutoff:g})")
        return self

    @property
    def unknown_weight(self) -> float:
        """The share of a rule's points an unknown answer carries under the missing-data policy."""
        return 1.0 if self.missing_data == "risk" else self.unknown_factor


@dataclass
class ScoreModel:
    """The ranked suppliers and what they are made of, for explain, docs and the renderers."""

    suppliers: pl.DataFrame  # one row per supplier, ranked
    keyed: pl.DataFrame  # KEYED_CONTRIBUTIONS: every non-zero own or inherited contribution, on integer keys (unordered)
    ids: pl.Series  # supplier and recruiter ids by key (_s, _k)
    recruiter_inherited: pl.DataFrame  # every supplier × rule a shared recruiter passes on (inherit.INHERITED_SCHEMA)
    recruiter_findings: pl.DataFrame  # findings of shared recruiters (engine FINDING_COLUMNS, supplier_id = recruiter key)
    points: pl.DataFrame  # per rule: kind, severity, dimension, points, severity weight
    data_quality: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=DQ_SCHEMA))  # broken tier links
    config: ScoringConfig = field(default_factory=ScoringConfig)
    edges: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"supplier_id": pl.String, "parent_id": pl.String}))
    fired: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"supplier_id": pl.String, "rule_id": pl.String}))

    @property
    def contributions(self) -> pl.DataFrame:
        """Every contribution as CONTRIBUTION_SCHEMA (ids and words, one row each): built on request."""
        return contributions_frame(self.keyed, self.ids, self.points)

    def contributions_of(self, supplier_id: str) -> pl.DataFrame:
        """One supplier's contributions (CONTRIBUTION_SCHEMA)."""
        key = self.ids.search_sorted(supplier_id)  # ids are sorted and unique: the key is the position
        if key >= self.ids.len() or self.ids[key] != supplier_id:
            return pl.DataFrame(schema=CONTRIBUTION_SCHEMA)
        return contributions_frame(self.keyed.filter(pl.col("_s") == key), self.ids, self.points)

    def inherited_sources(self, supplier_id: str) -> pl.DataFrame:
        """Every source of inherited risk for one supplier, winning or not (sub-tiers and shared recruiters)."""
        from auditor import inherit

        # Built on request: across a whole portfolio these are every finding × every supplier above it.
        sub_tiers = inherit.sub_tier_sources(self.edges, self.fired, self.config, supplier_id)
        recruiters = self.recruiter_inherited.filter(pl.col("supplier_id") == supplier_id)
        return pl.concat([sub_tiers, recruiters], how="vertical")


def _exact(value: pl.Expr) -> pl.Expr:
    """A sum of float points with the noise of its summation order removed (six decimals are far below any display)."""
    return value.round(6)


def display(value: pl.Expr) -> pl.Expr:
    """A score as shown: one decimal, halves rounded away from zero as a person would (35.25 → 35.3), whatever
    order the float terms were added in."""
    return _exact(value).round(1, mode="half_away_from_zero")


def rule_points(rules: Sequence[CompiledRule], config: ScoringConfig) -> pl.DataFrame:
    """Each rule's points (its share of 100) and severity weight (for confidence)."""
    meta = pl.DataFrame(
        {
            "rule_id": [c.id for c in rules],
            "kind": [c.rule.kind for c in rules],
            "severity": [c.rule.severity for c in rules],
            "sev_weight": [config.severity_points[c.rule.severity] for c in rules],
        },
        schema={"rule_id": pl.String, "kind": pl.String, "severity": pl.String, "sev_weight": pl.Float64},
    )
    weight = pl.col("sev_weight") * pl.col("kind").replace_strict(config.kind_factor, return_dtype=pl.Float64)
    return meta.with_columns(
        pl.col("kind").replace_strict(DIMENSIONS, return_dtype=pl.String).alias("dimension"),
        (100 * weight / weight.sum()).fill_nan(0.0).alias("points"),
        ((pl.col("kind") == "indicator") & (pl.col("severity") == "critical")).alias("critical_indicator"),
        ((pl.col("kind") == "indicator") & (pl.col("severity") == "high")).alias("high_indicator"),
    )


def own_status(evaluation: Evaluation, points: pl.DataFrame, config: ScoringConfig) -> pl.DataFrame:
    """Per supplier × rule that is not silent: status (finding/unknown) and the factor of its points."""
    found = evaluation.findings.select("supplier_id", "rule_id", pl.lit("finding").alias("status"), pl.lit(1.0).alias("factor"))
    unknown = evaluation.not_evaluable.select(
        "supplier_id", "rule_id", pl.lit("unknown").alias("status"), pl.lit(config.unknown_weight).alias("factor")
    )
    return pl.concat([found, unknown]).join(points.select("rule_id"), on="rule_id", how="semi")


def _own_keyed(evaluation: Evaluation, suppliers: pl.DataFrame, keys: pl.DataFrame, points: pl.DataFrame, config: ScoringConfig) -> pl.DataFrame:
    """own_status on integer keys: _s (supplier key, see _keys), _r (rule key in `points`), status, factor."""
    statuses = (("finding", 1.0, evaluation.finding_keys), ("unknown", config.unknown_weight, evaluation.unknown_keys))
    if evaluation.finding_keys is None or evaluation.unknown_keys is None:  # built by hand, not by the engine: join on ids
        own = own_status(evaluation, points, config)
        return _with_key(own, keys, "supplier_id", "_s").join(points.select("rule_id", "_r"), on="rule_id").select("_s", "_r", "status", "factor")
    # The engine's integer twins: a gather for the supplier key, a join with at most one row per rule for the rule key.
    supplier_key = _with_key(suppliers.select("supplier_id"), keys, "supplier_id", "_s").get_column("_s")
    rule_key = pl.DataFrame({"rule_id": evaluation.rule_ids}, schema={"rule_id": pl.String}).with_row_index("rule").join(
        points.select("rule_id", "_r"), on="rule_id"
    ).select("rule", "_r")
    parts = [
        frame.join(rule_key, on="rule").select(
            supplier_key.gather(frame.get_column("pos")).alias("_s") if frame.height else pl.lit(None, dtype=pl.UInt32).alias("_s"),
            "_r", pl.lit(status).alias("status"), pl.lit(factor).alias("factor"),
        )
        for status, factor, frame in statuses
    ]
    return pl.concat(parts, how="vertical")


def _keys(*ids: pl.Series) -> pl.DataFrame:
    """Every distinct id with an integer key in sorted id order, so joins, group-bys and sorts on the key
    give the same result as on the id at a fraction of the cost (millions of rows at scale)."""
    return pl.concat([i.cast(pl.String) for i in ids]).drop_nulls().unique().sort().to_frame("id").with_row_index("key")


def _with_key(frame: pl.DataFrame, keys: pl.DataFrame, id_col: str, key_col: str) -> pl.DataFrame:
    """`frame` with the integer key of its `id_col` as `key_col` (null for a null id)."""
    return frame.join(keys.select(pl.col("id").alias(id_col), pl.col("key").alias(key_col)), on=id_col, how="left")


# Codes of the compact contributions frame (ScoreModel.keyed): what a row is, and where inherited risk comes from.
STATUSES: tuple[str, ...] = ("finding", "unknown", "inherited")
SOURCES: tuple[str, ...] = ("own", "sub-tier", "recruiter")
KEYED_CONTRIBUTIONS = pl.Schema(
    {"_s": pl.UInt32, "_r": pl.UInt32, "_k": pl.UInt32, "_status": pl.UInt8, "_source": pl.UInt8,
     "depth": pl.UInt8, "factor": pl.Float64, "points": pl.Float64}
)


def _keyed_contributions(own: pl.DataFrame, inherited: pl.DataFrame, points: pl.DataFrame) -> pl.DataFrame:
    """Own contributions plus, per rule, the inherited part above the supplier's own factor, as integers and
    floats only (KEYED_CONTRIBUTIONS): millions of rows at scale, so no text per row (see contributions_frame).

    `own` is keyed (_own_keyed); `inherited` is keyed: _s, _r, _k (source), source_type, depth, factor."""
    max_points = points.select("_r", pl.col("points").alias("max_points"))
    own_rows = own.join(max_points, on="_r", maintain_order="left").select(
        "_s", "_r", pl.lit(None, dtype=pl.UInt32).alias("_k"),
        pl.col("status").replace_strict({s: i for i, s in enumerate(STATUSES)}, return_dtype=pl.UInt8).alias("_status"),
        pl.lit(0, dtype=pl.UInt8).alias("_source"), pl.lit(0, dtype=pl.UInt8).alias("depth"),
        "factor", (pl.col("factor") * pl.col("max_points")).alias("points"),
    )
    # One UInt64 per (supplier, rule): sorts and joins on one integer column (millions of rows at scale).
    pair = (pl.col("_s").cast(pl.UInt64) * max(points.height, 1) + pl.col("_r")).alias("_pair")
    inherited = inherited.with_columns(pair)
    # The strongest source of each inherited rule wins (ties: nearer, then by id); ScoreModel.inherited_sources lists the rest.
    # Sub-tier sources are already one per pair; only a shared recruiter can compete with one.
    if inherited.get_column("_pair").is_duplicated().any():
        best = inherited.sort(["_pair", "factor", "depth", "_k"], descending=[False, True, False, False]).filter(
            (pl.col("_pair") != pl.col("_pair").shift()).fill_null(True)  # first of each (_s, _r)
        )
    else:
        best = inherited.sort("_pair")
    inherited_rows = (
        best.join(own.select(pair, pl.col("factor").alias("own_factor")), on="_pair", how="left", maintain_order="left")
        .join(max_points, on="_r", maintain_order="left")
        .with_columns((pl.col("factor") - pl.col("own_factor").fill_null(0.0)).clip(lower_bound=0.0).alias("factor"))
        .with_columns((pl.col("factor") * pl.col("max_points")).alias("points"))
        .filter(pl.col("points") > 0)
        .select(
            "_s", "_r", "_k", pl.lit(STATUSES.index("inherited"), dtype=pl.UInt8).alias("_status"),
            pl.col("source_type").replace_strict({s: i for i, s in enumerate(SOURCES)}, return_dtype=pl.UInt8).alias("_source"),
            "depth", "factor", "points",
        )
    )
    return pl.concat([own_rows.cast(dict(KEYED_CONTRIBUTIONS)), inherited_rows.cast(dict(KEYED_CONTRIBUTIONS))], how="vertical")


def contributions_frame(keyed: pl.DataFrame, ids: pl.Series, points: pl.DataFrame) -> pl.DataFrame:
    """Compact contributions (KEYED_CONTRIBUTIONS) as people read them (CONTRIBUTION_SCHEMA), ids and words back."""
    rule_cols = points.select("_r", "rule_id", "kind", "severity", "dimension", pl.col("points").alias("max_points"))
    return (
        keyed.join(rule_cols, on="_r", how="left", maintain_order="left")
        .with_columns(
            ids.gather(keyed.get_column("_s")).alias("supplier_id"),
            pl.when(pl.col("_k").is_not_null()).then(ids.gather(keyed.get_column("_k").fill_null(0))).alias("source_id"),
            pl.col("_status").replace_strict(dict(enumerate(STATUSES)), return_dtype=pl.String).alias("status"),
            pl.col("_source").replace_strict(dict(enumerate(SOURCES)), return_dtype=pl.String).alias("source_type"),
        )
        .select(CONTRIBUTION_SCHEMA.names())
        .cast(dict(CONTRIBUTION_SCHEMA))
    )


def model(
    suppliers: pl.DataFrame,
    evaluation: Evaluation,
    rules: Sequence[CompiledRule],
    config: ScoringConfig | None = None,
    *,
    recruiters: pl.DataFrame | None = None,
    letters: pl.DataFrame | None = None,
) -> ScoreModel:
    """Score, tier, rank and decompose every supplier (own and inherited contributions)."""
    from auditor import inherit

    config = config or ScoringConfig()
    points = rule_points(rules, config)
    total_sev = float(points.get_column("sev_weight").sum()) or 1.0
    links = inherit.check_links(suppliers, letters)
    recruiter_findings, from_recruiters = inherit.from_recruiters(recruiters, rules, config, set(suppliers.get_column("supplier_id").to_list()))
    # Integer keys in id order (see _keys) for every supplier-level join, group-by and sort below. Inherited ids are
    # suppliers' (tier links, recruiter users) or shared recruiters' (their findings), so they need no scan of their own.
    own_ids = evaluation.findings.get_column("supplier_id").unique() if evaluation.finding_keys is None else pl.Series([], dtype=pl.String)
    keys = _keys(suppliers.get_column("supplier_id"), own_ids, recruiter_findings.get_column("supplier_id"))
    rule_keys = _keys(points.get_column("rule_id"))
    points = _with_key(points, rule_keys, "rule_id", "_r")
    own = _own_keyed(evaluation, suppliers, keys, points, config)
    keyed_edges = _with_key(_with_key(links.edges, keys, "supplier_id", "child"), keys, "parent_id", "parent").select("child", "parent")
    inheritable = points.filter(pl.col("kind").is_in(list(config.inherit_kinds)))
    fired = evaluation.findings.select("supplier_id", "rule_id").filter(pl.col("rule_id").is_in(inheritable.get_column("rule_id").implode()))
    keyed_fired = own.filter(pl.col("status") == "finding").join(inheritable.select("_r"), on="_r", how="semi").select(
        pl.col("_s").alias("source"), pl.col("_r").alias("rule")
    )
    tiers_keyed = inherit.strongest_sub_tiers(keyed_edges, keyed_fired, config, rule_keys.height)
    keyed_inherited = pl.concat(
        [
            tiers_keyed.with_columns(pl.lit("sub-tier").alias("source_type")),
            _with_key(_with_key(from_recruiters, keys, "supplier_id", "_s"), keys, "source_id", "_k")
            .join(points.select("rule_id", "_r"), on="rule_id").select(*inherit.KEYED_SCHEMA, "source_type"),
        ],
        how="vertical",
    )
    keyed = _keyed_contributions(own, keyed_inherited, points)
    ids = keys.get_column("id")

    dims = {d: (pl.col("_dim") == i) for i, d in enumerate(SUBSCORE_FIELDS)}
    dim_points = points.group_by("dimension").agg(pl.col("points").sum()).filter(pl.col("points") > 0)
    dim_total = dict(zip(dim_points.get_column("dimension").to_list(), dim_points.get_column("points").to_list()))
    own_c = pl.col("_source") == SOURCES.index("own")
    found_c = own_c & (pl.col("_status") == STATUSES.index("finding"))
    unknown_c = pl.col("_status") == STATUSES.index("unknown")
    codes = points.lazy().select(
        "_r", "sev_weight", "critical_indicator", "high_indicator",
        pl.col("dimension").replace_strict({d: i for i, d in enumerate(SUBSCORE_FIELDS)}, return_dtype=pl.UInt8).alias("_dim"),
        pl.col("severity").replace_strict({s: i for i, s in enumerate(SEVERITIES)}, return_dtype=pl.UInt8).alias("_sev"),
    )
    # Sums on polars' fast group-by path (masked columns, plain sums). Float sums depend on the order of the terms,
    # so every displayed value goes through display() below: the same figure whatever order polars added in.
    dim_masks = [pl.when(own_c & cond).then(pl.col("points")).otherwise(0.0).alias(d) for d, cond in dims.items() if d in dim_total]
    per_supplier = (
        keyed.lazy()
        .join(codes, on="_r")
        .with_columns(
            pl.when(own_c).then(pl.col("points")).otherwise(0.0).alias("score_own"),
            pl.when(own_c).then(0.0).otherwise(pl.col("points")).alias("score_inherited"),
            *dim_masks,
            found_c.alias("findings"), unknown_c.alias("not_evaluable"),
            pl.when(unknown_c).then(pl.col("sev_weight")).otherwise(0.0).alias("unknown_sev"),
            (found_c & pl.col("critical_indicator")).alias("has_critical"),
            (found_c & pl.col("high_indicator")).alias("has_high_indicator"),
            *[(found_c & (pl.col("_sev") == i)).alias(f"n_{s}") for i, s in enumerate(SEVERITIES)],
        )
        .group_by("_s")
        .agg(
            pl.col("score_own", "score_inherited").sum(),
            *[(100 * pl.col(d).sum() / dim_total[d]).alias(d) for d in dims if d in dim_total],
            pl.col("findings", "not_evaluable").sum().cast(pl.Int64),
            pl.col("unknown_sev").sum(),
            pl.col("has_critical", "has_high_indicator").any(),
            *[pl.col(f"n_{s}").sum().cast(pl.Int64) for s in SEVERITIES],
        )
    )
    # Winning inherited sources per supplier, as keys in id order (ids below).
    inherited_from = (
        keyed.lazy().filter(~own_c).select("_s", "_k").unique().sort("_s", "_k")
        .group_by("_s", maintain_order=True).agg(pl.col("_k").alias("inherited_from"))
    )
    # From the sources, not the contributions: whether the supplier's own answer is known must not change it.
    inherited_critical = (
        keyed_inherited.lazy().join(points.lazy().filter(pl.col("critical_indicator")).select("_r"), on="_r", how="semi")
        .select("_s").unique().with_columns(pl.lit(True).alias("inherited_critical"))
    )
    # Top reasons: own findings by severity, then kind (indicators first), points and rule id (deterministic).
    priority = (
        points.with_columns(
            pl.col("severity").replace_strict({s: i for i, s in enumerate(SEVERITIES)}, return_dtype=pl.Int8).alias("_sev"),
            pl.col("kind").replace_strict({k: i for i, k in enumerate(KIND_ORDER)}, return_dtype=pl.Int8).alias("_kind"),
        )
        .sort(["_sev", "_kind", "points", "_r"], descending=[False, False, True, False])
        .select("_r", pl.int_range(pl.len(), dtype=pl.UInt64).alias("_prio"))
    )
    top = (
        # An own finding's points are its rule's points, so this order is a fixed rank of the rules (_prio).
        keyed.lazy().filter(found_c).join(priority.lazy(), on="_r")
        .sort(pl.col("_s").cast(pl.UInt64) * len(rules) + pl.col("_prio"))
        .group_by("_s", maintain_order=True)
        .agg(pl.col("_r").head(3).alias("top_rules"))  # keys; rule ids below
    )
    # Ids and rule ids back from their keys (sorted keys are sorted ids): once per supplier, not per contribution.
    rule_ids = dict(enumerate(points.sort("_r").get_column("rule_id").to_list()))
    inherited_from = inherited_from.with_columns(
        pl.col("inherited_from").list.eval(pl.element().replace_strict(dict(enumerate(ids.to_list())), return_dtype=pl.String))
    )
    top = top.with_columns(pl.col("top_rules").list.eval(pl.element().replace_strict(rule_ids, return_dtype=pl.String)))
    titles = {c.id: c.rule.title for c in rules}
    floor = TIERS.index(config.inherited_critical_tier)
    scored = (
        suppliers.lazy()
        .select(FILE, SHEET, ROW, "supplier_id", "supplier_name", "country", "sector", pl.col("tier").alias("supply_chain_tier"), "parent_supplier_id")
        .join(keys.lazy().select(pl.col("id").alias("supplier_id"), pl.col("key").alias("_s")), on="supplier_id", how="left")
        .join(per_supplier, on="_s", how="left")
        .join(inherited_from, on="_s", how="left")
        .join(top, on="_s", how="left")
        .join(inherited_critical, on="_s", how="left")
        .with_columns(
            pl.col("score_own", "score_inherited", "unknown_sev").fill_null(0.0),
            *[pl.col(d).fill_null(0.0) for d in SUBSCORE_FIELDS if d in dim_total],
            *[pl.lit(None, dtype=pl.Float64).alias(d) for d in SUBSCORE_FIELDS if d not in dim_total],
            pl.col("findings", "not_evaluable", *[f"n_{s}" for s in SEVERITIES]).fill_null(0).cast(pl.Int64),
            pl.col("has_critical", "has_high_indicator", "inherited_critical").fill_null(False),
            pl.col("top_rules").fill_null([]),
            pl.col("inherited_from").fill_null([]),
        )
        .with_columns(
            # Rounded so that float summation order can never reorder equal scores (byte-identical outputs).
            (pl.col("score_own") + pl.col("score_inherited")).clip(upper_bound=100.0).pipe(_exact).alias("_score_exact"),
            (1 - pl.col("unknown_sev") / total_sev).round(3).alias("confidence"),
            pl.col("top_rules").list.eval(pl.element().replace_strict(titles, default="")).alias("top_reasons"),
        )
        .with_columns(
            pl.min_horizontal(
                pl.when(pl.col("has_critical")).then(0)
                .when(pl.col("has_high_indicator") | (pl.col("_score_exact") >= config.high_cutoff)).then(1)
                .when(pl.col("_score_exact") >= config.medium_cutoff).then(2)
                .otherwise(3),
                pl.when(pl.col("inherited_critical")).then(floor).otherwise(3),
            ).cast(pl.Int8).alias("_tier_order")
        )
        .with_columns(
            pl.col("_tier_order").replace_strict(dict(enumerate(TIERS)), return_dtype=pl.String).alias("tier"),
            display(pl.col("_score_exact")).alias("score"),
            display(pl.col("score_own")), display(pl.col("score_inherited")),
            *[display(pl.col(d)) for d in SUBSCORE_FIELDS],
        )
        # Ties break on lower confidence first (less is known), then supplier_id: a total, stable order.
        .sort(["_tier_order", "_score_exact", "confidence", "_s"], descending=[False, True, False, False])  # _s: supplier_id order
        .with_row_index("rank", offset=1)
        .with_columns(pl.col("rank").cast(pl.Int64))
        .drop("_tier_order", "_score_exact", "unknown_sev", "_s")
        .collect()
    )
    # The supplier record's fields in their documented order (inherited_from after the own-finding flags).
    fields = [c for c in scored.columns if c != "inherited_from"]
    fields.insert(fields.index("has_high_indicator") + 1, "inherited_from")
    return ScoreModel(
        suppliers=scored.select(fields), keyed=keyed, ids=ids, recruiter_inherited=from_recruiters, recruiter_findings=recruiter_findings,
        points=points, data_quality=links.data_quality, config=config, edges=links.edges, fired=fired,
    )


def score(suppliers: pl.DataFrame, evaluation: Evaluation, rules: Sequence[CompiledRule], config: ScoringConfig | None = None) -> pl.DataFrame:
    """One row per supplier: rank, risk tier, score (0–100), confidence (0–1), sub-scores and top reasons."""
    return model(suppliers, evaluation, rules, config).suppliers
