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

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from auditor import hits
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
    outcome: pl.DataFrame  # every supplier row's rule outcomes, one column per rule in _r order (auditor.hits)
    supplier_keys: pl.Series  # each supplier row's key (_s)
    ids: pl.Series  # supplier and recruiter ids by key (_s, _k)
    recruiter_inherited: pl.DataFrame  # every supplier × rule a shared recruiter passes on (inherit.INHERITED_SCHEMA)
    recruiter_findings: pl.DataFrame  # findings of shared recruiters (engine FINDING_COLUMNS, supplier_id = recruiter key)
    points: pl.DataFrame  # per rule: kind, severity, dimension, points, severity weight
    data_quality: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=DQ_SCHEMA))  # broken tier links
    config: ScoringConfig = field(default_factory=ScoringConfig)
    edges: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"supplier_id": pl.String, "parent_id": pl.String}))
    row_rank: pl.Series | None = None  # each supplier row's rank, row for row with the supplier frame scored
    _inherited: pl.DataFrame | None = None

    @property
    def inherited(self) -> pl.DataFrame:
        """Every inherited contribution (KEYED_CONTRIBUTIONS, on integer keys, unordered), worked out again on request:
        kept whole it would hold 150 MB at 1M rows for the few reports that break scores down."""
        if self._inherited is None:
            keys = self.ids.to_frame("id").with_row_index("key")
            self._inherited = pl.concat([contributions for contributions, _ in _inherited_groups(
                self.outcome, self.supplier_keys, keys, self.points, self.edges, self.recruiter_inherited, self.config)])
        return self._inherited

    @property
    def contributions(self) -> pl.DataFrame:
        """Every contribution as CONTRIBUTION_SCHEMA (ids and words, one row each): built on request."""
        own = own_contributions(self.outcome, self.supplier_keys, self.points, self.config.unknown_weight)
        return contributions_frame(pl.concat([own, self.inherited]), self.ids, self.points)

    def contributions_of(self, supplier_id: str) -> pl.DataFrame:
        """One supplier's contributions (CONTRIBUTION_SCHEMA)."""
        key = self.ids.search_sorted(supplier_id)  # ids are sorted and unique: the key is the position
        if key >= self.ids.len() or self.ids[key] != supplier_id:
            return pl.DataFrame(schema=CONTRIBUTION_SCHEMA)
        rows = (self.supplier_keys == key).arg_true()
        own = own_contributions(self.outcome[rows], self.supplier_keys.gather(rows), self.points, self.config.unknown_weight)
        return contributions_frame(pl.concat([own, self.inherited.filter(pl.col("_s") == key)]), self.ids, self.points)

    def inherited_sources(self, supplier_id: str) -> pl.DataFrame:
        """Every source of inherited risk for one supplier, winning or not (sub-tiers and shared recruiters)."""
        from auditor import inherit

        # Built on request: across a whole portfolio these are every finding × every supplier above it.
        keyed = _fired(self.outcome, self.supplier_keys, self.points.filter(pl.col("kind").is_in(list(self.config.inherit_kinds))))
        fired = pl.DataFrame({"supplier_id": self.ids.gather(keyed.get_column("source")),
                              "rule_id": self.points.get_column("rule_id").gather(keyed.get_column("rule"))})
        sub_tiers = inherit.sub_tier_sources(self.edges, fired, self.config, supplier_id)
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


def _fired(outcome: pl.DataFrame, supplier_keys: pl.Series, rules: pl.DataFrame) -> pl.DataFrame:
    """Findings of `rules` (rule_id, _r) as keys, read off the outcome matrix: source (supplier key), rule (_r)."""
    parts = [
        pl.DataFrame({"source": supplier_keys.filter(outcome.get_column(rule_id).fill_null(False)), "rule": r},
                     schema={"source": pl.UInt32, "rule": pl.UInt32})
        for rule_id, r in rules.select("rule_id", "_r").iter_rows() if rule_id in outcome.columns
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema={"source": pl.UInt32, "rule": pl.UInt32})


def _keys(*ids: pl.Series) -> pl.DataFrame:
    """Every distinct id with an integer key in sorted id order, so joins, group-bys and sorts on the key
    give the same result as on the id at a fraction of the cost (millions of rows at scale)."""
    return _keys_with_rows(*ids)[0]


def _keys_with_rows(rows: pl.Series, *others: pl.Series) -> tuple[pl.DataFrame, pl.Series]:
    """_keys of `rows` and `others` together, and the key of each of `rows` (in order, null for a null id): one dense
    rank of the ids, not a sort for the keys and a join back onto a million ids."""
    every = pl.concat([i.cast(pl.String) for i in (rows, *others)])
    key = (every.rank("dense") - 1).cast(pl.UInt32)  # the id's place among the distinct ids in sorted order
    keys = pl.DataFrame({"key": key, "id": every}).drop_nulls().unique("key").sort("key")
    return keys, key.head(rows.len()).alias("_s")


def _with_key(frame: pl.DataFrame, keys: pl.DataFrame, id_col: str, key_col: str) -> pl.DataFrame:
    """`frame` with the integer key of its `id_col` as `key_col` (null for a null id)."""
    return frame.join(keys.select(pl.col("id").alias(id_col), pl.col("key").alias(key_col)), on=id_col, how="left")


# Codes of the compact contributions frames (ScoreModel.inherited, own_contributions): what a row is, and where
# inherited risk comes from.
STATUSES: tuple[str, ...] = ("finding", "unknown", "inherited")
SOURCES: tuple[str, ...] = ("own", "sub-tier", "recruiter")
KEYED_CONTRIBUTIONS = pl.Schema(
    {"_s": pl.UInt32, "_r": pl.UInt32, "_k": pl.UInt32, "_status": pl.UInt8, "_source": pl.UInt8,
     "depth": pl.UInt8, "factor": pl.Float64, "points": pl.Float64}
)


def _inherited_contributions(inherited: pl.DataFrame, points: pl.DataFrame, own_factor: Callable[[pl.DataFrame], pl.Series]) -> pl.DataFrame:
    """Per supplier and rule, the inherited part above the supplier's own factor (KEYED_CONTRIBUTIONS rows).

    `inherited` is keyed: _s, _r, _k (source), _source (SOURCES code), depth, factor; `own_factor` gives, for each row
    of a frame with _s and _r, the supplier's own factor for that rule (0 when silent)."""
    # The strongest source of each inherited rule wins (ties: nearer, then by id); ScoreModel.inherited_sources lists the rest.
    # Sub-tier sources are already one per pair: only where a shared recruiter passes on the same rule is there a choice.
    recruiter = pl.col("_source") == SOURCES.index("recruiter")
    best = inherited
    if inherited.select(recruiter.any()).item():
        # One UInt64 per (supplier, rule): sorts on one integer column (millions of rows at scale).
        pair = (pl.col("_s").cast(pl.UInt64) * max(points.height, 1) + pl.col("_r")).alias("_pair")
        keyed = inherited.with_columns(pair)
        contested = keyed.filter(pl.col("_pair").is_in(keyed.filter(recruiter).get_column("_pair").implode()))
        best = pl.concat([
            keyed.filter(~pl.col("_pair").is_in(contested.get_column("_pair").implode())),
            contested.sort(["_pair", "factor", "depth", "_k"], descending=[False, True, False, False]).filter(
                (pl.col("_pair") != pl.col("_pair").shift()).fill_null(True)  # first of each (_s, _r)
            ),
        ]).drop("_pair")
    # Eager column arithmetic: millions of rows at scale, and each step's inputs are freed as soon as it is done.
    factor = (best.get_column("factor") - own_factor(best)).clip(lower_bound=0.0)
    gained = factor * points.sort("_r").get_column("points").gather(best.get_column("_r"))
    return (
        best.select("_s", "_r", "_k", pl.lit(STATUSES.index("inherited"), dtype=pl.UInt8).alias("_status"), "_source", "depth")
        .with_columns(factor.alias("factor"), gained.alias("points"))
        .filter(pl.col("points") > 0)
        .cast(dict(KEYED_CONTRIBUTIONS))
    )


def own_contributions(hits_frame: pl.DataFrame, supplier_keys: pl.Series, points: pl.DataFrame, unknown_weight: float) -> pl.DataFrame:
    """Own contributions (findings and unknowns) as KEYED_CONTRIBUTIONS rows, from the outcome matrix whose columns
    are the rules in `_r` order and whose rows carry the supplier keys `supplier_keys`."""
    cells = hits.long(hits_frame)
    max_points = points.sort("_r").get_column("points")
    finding = pl.col("code") == hits.FINDING
    return cells.select(
        supplier_keys.gather(cells.get_column("_pos")).alias("_s") if cells.height else pl.lit(None, dtype=pl.UInt32).alias("_s"),
        pl.col("_c").alias("_r"), pl.lit(None, dtype=pl.UInt32).alias("_k"),
        pl.when(finding).then(STATUSES.index("finding")).otherwise(STATUSES.index("unknown")).alias("_status"),
        pl.lit(SOURCES.index("own")).alias("_source"), pl.lit(0).alias("depth"),
        pl.when(finding).then(1.0).otherwise(unknown_weight).alias("factor"),
    ).with_columns(
        (pl.col("factor") * pl.lit(max_points).gather(pl.col("_r"))).alias("points"),
    ).cast(dict(KEYED_CONTRIBUTIONS))


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


OWN_SCORES_ROWS = 100_000  # supplier rows summed at a time in _own_scores


def _own_scores(outcome: pl.DataFrame, points: pl.DataFrame, config: ScoringConfig) -> tuple[pl.DataFrame, dict[str, float]]:
    """Each supplier row's own sums, counts, flags and top rules, and each dimension's total points.

    Sums across the rule columns of the outcome matrix (auditor.hits), row by row: no group-by over the
    millions of findings and unknowns a large portfolio has."""
    w = config.unknown_weight
    meta = points.select("rule_id", "points", "sev_weight", "dimension", "severity", "critical_indicator", "high_indicator").to_dicts()
    own_points = {r["rule_id"]: hits.factor(r["rule_id"], w) * r["points"] for r in meta}
    found = {r["rule_id"]: pl.col(r["rule_id"]).fill_null(False) for r in meta}
    dim_total = {d: sum(r["points"] for r in meta if r["dimension"] == d) for d in SUBSCORE_FIELDS}
    dim_total = {d: t for d, t in dim_total.items() if t > 0}

    def total(exprs: list[pl.Expr], dtype: pl.DataType = pl.Float64) -> pl.Expr:
        return pl.sum_horizontal(exprs) if exprs else pl.lit(0, dtype=dtype)

    def anyof(exprs: list[pl.Expr]) -> pl.Expr:
        return pl.any_horizontal(exprs) if exprs else pl.lit(False)

    # Top reasons: own findings by severity, then kind (indicators first), points and rule id (deterministic).
    priority = (
        points.with_columns(
            pl.col("severity").replace_strict({s: i for i, s in enumerate(SEVERITIES)}, return_dtype=pl.Int8).alias("_sev"),
            pl.col("kind").replace_strict({k: i for i, k in enumerate(KIND_ORDER)}, return_dtype=pl.Int8).alias("_kind"),
        )
        .sort(["_sev", "_kind", "points", "_r"], descending=[False, False, True, False])
        .get_column("rule_id").to_list()
    )
    top_rules = pl.concat_list("_top0", "_top1", "_top2").list.drop_nulls().list.eval(
        pl.element().replace_strict(dict(enumerate(priority)), return_dtype=pl.String)
    )
    columns = [
        total(list(own_points.values())).alias("score_own"),
        *[(100 * total([own_points[r["rule_id"]] for r in meta if r["dimension"] == d]) / dim_total[d]).alias(d) for d in dim_total],
        total([f.cast(pl.Int64) for f in found.values()], pl.Int64).alias("findings"),
        total([pl.col(r["rule_id"]).is_null().cast(pl.Int64) for r in meta], pl.Int64).alias("not_evaluable"),
        total([pl.col(r["rule_id"]).is_null().cast(pl.Float64) * r["sev_weight"] for r in meta]).alias("unknown_sev"),
        anyof([found[r["rule_id"]] for r in meta if r["critical_indicator"]]).alias("has_critical"),
        anyof([found[r["rule_id"]] for r in meta if r["high_indicator"]]).alias("has_high_indicator"),
        *[total([found[r["rule_id"]].cast(pl.Int64) for r in meta if r["severity"] == s], pl.Int64).alias(f"n_{s}") for s in SEVERITIES],
        top_rules.alias("top_rules"),
    ]
    # The first three findings in priority order, each as the first finding ranked after the one before: a few
    # vectorised passes over the rule columns (a list of every rule per supplier costs 100× more).
    passes = []
    for k in range(3):  # each pass reads the column the pass before wrote (not its expression: that would nest)
        after = pl.col(f"_top{k - 1}") if k else pl.lit(-1)
        passes.append(pl.coalesce([pl.when(pl.col(rid) & (pl.lit(i) > after)).then(pl.lit(i)) for i, rid in enumerate(priority)]).alias(f"_top{k}")
                      if priority else pl.lit(None, dtype=pl.Int32).alias(f"_top{k}"))

    def own_of(rows: pl.DataFrame) -> pl.DataFrame:
        ranked = rows.lazy()
        for nth in passes:
            ranked = ranked.with_columns(nth)
        return ranked.select(columns).collect()

    # Row by row, so a slice of rows at a time gives the same result: every term of these sums over the rule columns
    # is a temporary column, gigabytes for a million rows at once (docs/benchmarks-notes.md).
    own = pl.concat([own_of(outcome.slice(start, OWN_SCORES_ROWS)) for start in range(0, max(outcome.height, 1), OWN_SCORES_ROWS)])
    return own, dim_total



def _inherited_groups(outcome: pl.DataFrame, supplier_keys: pl.Series, keys: pl.DataFrame, points: pl.DataFrame,
                      edges: pl.DataFrame, from_recruiters: pl.DataFrame,
                      config: ScoringConfig) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """The inherited part, a group of rules at a time: the strongest source per supplier × rule, above the supplier's
    own factor for that rule (KEYED_CONTRIBUTIONS), and the keys (_s) of suppliers a critical indicator reaches.

    A rule's sources never compete with another rule's, so the groups together are the whole; a caller that reduces
    each group before asking for the next never holds every contribution (hundreds of MB at 1M rows) at once.
    """
    from auditor import inherit

    inheritable = points.filter(pl.col("kind").is_in(list(config.inherit_kinds)))
    keyed_edges = _with_key(_with_key(edges, keys, "supplier_id", "child"), keys, "parent_id", "parent").select("child", "parent")
    parents = inherit.parents_by_key(keyed_edges, keys.height) if keyed_edges.height else None
    recruiter_rows = (
        _with_key(_with_key(from_recruiters, keys, "supplier_id", "_s"), keys, "source_id", "_k")
        .join(points.select("rule_id", "_r"), on="rule_id")
        .select(*inherit.KEYED_SCHEMA, pl.lit(SOURCES.index("recruiter"), dtype=pl.UInt8).alias("_source"))
    )
    # The supplier's own factor for an inherited rule: its matrix cell, found by the supplier's row (its key's row).
    n_keys = keys.height
    row_of_key = pl.Series([None] * n_keys, dtype=pl.UInt32).scatter(supplier_keys, pl.Series(range(supplier_keys.len()), dtype=pl.UInt32)) \
        if supplier_keys.len() else pl.Series([None] * n_keys, dtype=pl.UInt32)
    w = config.unknown_weight
    rule_ids = points.get_column("rule_id")  # by _r

    def own_factor(rows: pl.DataFrame) -> pl.Series:
        if not rows.height or not outcome.height:
            return pl.Series([0.0] * rows.height, dtype=pl.Float64)
        # The cells of only the rules in `rows`, as codes (cell of row i, rule j at j × height + i), looked up with
        # eager gathers: inside an expression, the lookup table costs half a gigabyte more at 1M rows.
        present = rows.get_column("_r").unique().sort()
        codes = hits.codes(outcome.select(rule_ids.gather(present).to_list()))
        local = rows.get_column("_r").replace_strict(present, pl.Series(range(present.len()), dtype=pl.UInt64), return_dtype=pl.UInt64)
        cell = local * outcome.height + row_of_key.gather(rows.get_column("_s")).cast(pl.UInt64)
        return codes.gather(cell).replace_strict({hits.SILENT: 0.0, hits.FINDING: 1.0, hits.UNKNOWN: w}, return_dtype=pl.Float64)

    critical_rules = points.filter(pl.col("critical_indicator")).select("_r")

    def group(sources: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        # Reached from the sources, not the contributions: whether the supplier's own answer is known must not change it.
        return _inherited_contributions(sources, points, own_factor), sources.join(critical_rules, on="_r", how="semi").select("_s").unique()

    # A group of rules at a time, each about SUB_TIER_FINDINGS findings: their findings (as keys), sub-tier sources
    # and cell codes exist for one group at a time, never for every rule at once.
    fired_per_rule = outcome.select(pl.col(inheritable.get_column("rule_id").to_list()).sum()).row(0) \
        if outcome.height and inheritable.height else (0,) * inheritable.height
    covered = []
    for rules_in_group in _by_findings(inheritable.select("rule_id", "_r"), fired_per_rule, inherit.SUB_TIER_FINDINGS):
        covered.append(rules_in_group.get_column("_r"))
        sub_tier = pl.DataFrame(schema=inherit.KEYED_SCHEMA)
        if parents is not None:
            sub_tier = inherit.strongest_of(parents, _fired(outcome, supplier_keys, rules_in_group), config, points.height)
        recruiters = recruiter_rows.filter(pl.col("_r").is_in(rules_in_group.get_column("_r").implode()))
        if sub_tier.height or recruiters.height:
            yield group(pl.concat([sub_tier.with_columns(pl.lit(SOURCES.index("sub-tier"), dtype=pl.UInt8).alias("_source")), recruiters]))
        del sub_tier, recruiters
    rest = recruiter_rows.filter(~pl.col("_r").is_in(pl.concat(covered).implode())) if covered else recruiter_rows
    yield group(rest)  # at least one group, so a caller has the columns even when nothing is inherited


def _by_findings(rules: pl.DataFrame, findings: Sequence[int], limit: int) -> Iterator[pl.DataFrame]:
    """`rules` (rows in order) in consecutive groups of about `limit` findings each (`findings`: each rule's count);
    a rule with more than `limit` findings is a group of its own."""
    start, total = 0, 0
    for i, count in enumerate(findings):
        if i > start and total + count > limit:
            yield rules.slice(start, i - start)
            start, total = i, 0
        total += count
    if start < rules.height:
        yield rules.slice(start)


def _inherited_totals(groups: Iterator[tuple[pl.DataFrame, pl.DataFrame]], ids: pl.Series) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each supplier key's score_inherited and inherited_from (ids), and the keys reached by a critical indicator
    (inherited_critical), from _inherited_groups: each group is reduced to per-supplier sums and source pairs before
    the next is made."""
    sums, pairs, reached = [], [], []
    for contributions, critical in groups:
        sums.append(contributions.group_by("_s").agg(pl.col("points").sum()))
        # Each (supplier, source) pair as one integer: a unique over two columns costs several times the memory.
        pairs.append(contributions.select((pl.col("_s").cast(pl.UInt64) * (1 << 32) + pl.col("_k")).alias("_pair")).get_column("_pair").unique())
        reached.append(critical)
        del contributions
    inherited_critical = pl.concat(reached).unique().with_columns(pl.lit(True).alias("inherited_critical"))
    every_pair = pl.concat(pairs).unique().sort()  # in key order: id order
    sources = pl.DataFrame({"_s": (every_pair // (1 << 32)).cast(pl.UInt32), "_k": (every_pair % (1 << 32)).cast(pl.UInt32)})
    per_key = (
        pl.concat(sums).lazy().group_by("_s").agg(pl.col("points").sum().alias("score_inherited"))
        .join(
            sources.select("_s", ids.gather(sources.get_column("_k")).alias("inherited_from")).lazy()
            .group_by("_s", maintain_order=True).agg("inherited_from"),
            on="_s", how="left",
        )
        .collect()
    )
    return per_key, inherited_critical


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
    supplier_ids = suppliers.get_column("supplier_id")
    keys, supplier_keys = _keys_with_rows(supplier_ids, recruiter_findings.get_column("supplier_id"))  # supplier_keys: by row
    ids = keys.get_column("id")
    points = _with_key(points, _keys(points.get_column("rule_id")), "rule_id", "_r").sort("_r")
    rule_ids = points.get_column("rule_id").to_list()  # _r order: column c of the matrix is rule key c
    outcome = hits.matrix(evaluation, supplier_ids, rule_ids)

    # The supplier's own sums and the inherited part read the same matrix and nothing of each other: each is a chain
    # of polars steps that keeps one core busy at most, so they run side by side.
    with ThreadPoolExecutor(max_workers=1) as side:
        own_pending = side.submit(_own_scores, outcome, points, config)
        per_key, inherited_critical = _inherited_totals(
            _inherited_groups(outcome, supplier_keys, keys, points, links.edges, from_recruiters, config), ids)
        own, dim_total = own_pending.result()
    floor = TIERS.index(config.inherited_critical_tier)
    # Ranked on the numbers alone; the supplier's own columns are then gathered once, straight into rank order, so
    # the text of a million suppliers is never held both as read and as ranked.
    ranked = (
        pl.DataFrame([supplier_keys.alias("_s"), *own.get_columns()]).lazy()
        .with_row_index("_at")
        .join(per_key.lazy(), on="_s", how="left", maintain_order="left")
        .join(inherited_critical.lazy(), on="_s", how="left", maintain_order="left")
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
        .collect()
    )
    del own  # (what the numbers did not take over is freed before they are put in order)
    # Ties break on lower confidence first (less is known), then supplier_id: a total, stable order.
    at = ranked.select(pl.arg_sort_by(["_tier_order", "_score_exact", "confidence", "_s"],  # _s: supplier_id order
                                      descending=[False, True, False, False], maintain_order=True)).to_series()
    ranks = pl.int_range(1, at.len() + 1, dtype=pl.Int64, eager=True).alias("rank")  # in rank order
    row_rank = pl.Series("rank", [0] * at.len(), dtype=pl.Int64).scatter(at, ranks)  # row by row
    # Into rank order a column at a time, each unordered column dropped once gathered: never the whole frame twice.
    ranked = ranked.drop("_at", "_tier_order", "_score_exact", "unknown_sev", "_s")
    ordered = [ranked.drop_in_place(name).gather(at) for name in list(ranked.columns)]
    own_columns = suppliers.select(
        pl.col(FILE, SHEET, ROW, "supplier_id", "supplier_name", "country", "sector").gather(at),
        pl.col("tier").gather(at).alias("supply_chain_tier"), pl.col("parent_supplier_id").gather(at),
    )
    scored = own_columns.hstack([ranks, *ordered])
    # The supplier record's fields in their documented order.
    fields = ["rank", FILE, SHEET, ROW, "supplier_id", "supplier_name", "country", "sector", "supply_chain_tier", "parent_supplier_id",
              "score_own", "score_inherited", *SUBSCORE_FIELDS, "findings", "not_evaluable", "has_critical", "has_high_indicator",
              "inherited_from", *[f"n_{s}" for s in SEVERITIES], "top_rules", "inherited_critical", "confidence", "tier", "score"]
    return ScoreModel(
        suppliers=scored.select(fields), outcome=outcome, supplier_keys=supplier_keys, ids=ids,
        recruiter_inherited=from_recruiters, recruiter_findings=recruiter_findings,
        points=points, data_quality=links.data_quality, config=config, edges=links.edges, row_rank=row_rank,
    )


def top_reasons(rules: Sequence[CompiledRule]) -> pl.Expr:
    """The titles of a supplier's top_rules, for reports that show them in words."""
    titles = {c.id: c.rule.title for c in rules}
    return pl.col("top_rules").list.eval(pl.element().replace_strict(titles, default="")).alias("top_reasons")


def score(suppliers: pl.DataFrame, evaluation: Evaluation, rules: Sequence[CompiledRule], config: ScoringConfig | None = None) -> pl.DataFrame:
    """One row per supplier: rank, risk tier, score (0–100), confidence (0–1), sub-scores and top reasons."""
    return model(suppliers, evaluation, rules, config).suppliers
