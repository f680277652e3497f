"""Inherited risk: sub-tier suppliers' findings reach the suppliers above them; a shared recruiter's reach every user.

Tier links (parent_supplier_id) are checked first: a link to a supplier that is not in the input,
and every link on a cycle, becomes a data-quality entry and carries no risk. Everything is a
bounded number of joins over frames (pointer jumping for cycles, one join per tier for
ancestors), never recursion over user data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from auditor.load import FILE, ROW, SHEET, cell_notes

if TYPE_CHECKING:
    from auditor.rules import CompiledRule
    from auditor.scoring import ScoringConfig

INHERITED_SCHEMA = pl.Schema(
    {"supplier_id": pl.String, "rule_id": pl.String, "source_type": pl.String, "source_id": pl.String,
     "depth": pl.Int64, "factor": pl.Float64}
)
EDGE_SCHEMA = pl.Schema({"supplier_id": pl.String, "parent_id": pl.String})
RECRUITER_PREFIX = "recruiter:"


@dataclass
class Links:
    """Usable tier links (child supplier_id → parent_id) and data-quality entries for the broken ones."""

    edges: pl.DataFrame
    data_quality: pl.DataFrame


def _cycle_members(edges: pl.DataFrame) -> pl.DataFrame:
    """supplier_id and cycle key (smallest id on its cycle) of every supplier whose parent links loop back to it.

    Pointer jumping: after k rounds each supplier points 2**k links up and knows the smallest id on
    the way. Once 2**k ≥ the number of suppliers, every pointer that is still set lands on a cycle,
    and the cycle's own members are exactly those landing points.
    """
    jump = edges.select("supplier_id", pl.col("parent_id").alias("to"), pl.min_horizontal("supplier_id", "parent_id").alias("low"))
    rounds = max(1, math.ceil(math.log2(jump.height + 1)))
    for _ in range(rounds):
        # A chain that reaches a supplier without a parent leads to no cycle: dropped, so acyclic supply chains
        # (the usual case) finish in as many rounds as the log of their depth, not of the number of suppliers.
        jump = jump.filter(pl.col("to").is_not_null())
        if jump.is_empty():
            break
        step = jump.select(pl.col("supplier_id").alias("to"), pl.col("to").alias("to2"), pl.col("low").alias("low2"))
        jump = jump.join(step, on="to", how="left").select(
            "supplier_id", pl.col("to2").alias("to"), pl.min_horizontal("low", "low2").alias("low")
        )
    on_cycle = jump.select(pl.col("to").alias("supplier_id")).drop_nulls().unique()
    return on_cycle.join(jump.select("supplier_id", pl.col("low").alias("cycle")), on="supplier_id").sort("supplier_id")


def check_links(suppliers: pl.DataFrame, letters: pl.DataFrame | None = None) -> Links:
    """Split parent links into usable edges and data-quality entries (dangling parents, cycles)."""
    linked = suppliers.select(FILE, SHEET, ROW, "supplier_id", pl.col("parent_supplier_id").alias("parent_id")).filter(
        pl.col("parent_id").is_not_null()
    )
    known = suppliers.select("supplier_id")
    dangling = linked.join(known, left_on="parent_id", right_on="supplier_id", how="anti").with_columns(
        pl.lit("parent_supplier_id names a supplier that is not in the input").alias("problem")
    )
    candidate = linked.join(known, left_on="parent_id", right_on="supplier_id", how="semi")
    cycles = _cycle_members(candidate.select("supplier_id", "parent_id"))
    members = cycles.group_by("cycle").agg(pl.col("supplier_id").sort().str.join(", ").alias("members"), pl.len().alias("size"))
    looped = candidate.join(cycles, on="supplier_id").join(members, on="cycle").with_columns(
        pl.when(pl.col("size") == 1).then(pl.lit("supplier names itself as its parent"))
        .otherwise(pl.format("parent links form a cycle among {}", pl.col("members"))).alias("problem")
    )
    edges = candidate.join(cycles, on="supplier_id", how="anti").select("supplier_id", "parent_id").sort("supplier_id")
    broken = pl.concat([dangling.select(FILE, SHEET, ROW, "parent_id", "problem"), looped.select(FILE, SHEET, ROW, "parent_id", "problem")])
    data_quality = cell_notes(broken, "parent_supplier_id", pl.col("parent_id"), pl.col("problem"),
                              "link ignored: no risk inherited through it", letters).sort(["file", "sheet", "row"], nulls_last=True)
    return Links(edges=edges.cast(dict(EDGE_SCHEMA)), data_quality=data_quality)


def ancestors(edges: pl.DataFrame, max_depth: int) -> pl.DataFrame:
    """Every (source, ancestor, depth) pair up to max_depth tiers apart; edges must be acyclic (check_links)."""
    step = edges.select(pl.col("supplier_id").alias("ancestor"), pl.col("parent_id").alias("next"))
    frontier = edges.select(pl.col("supplier_id").alias("source"), pl.col("parent_id").alias("ancestor"), pl.lit(1, dtype=pl.Int64).alias("depth"))
    found = []
    for _ in range(max_depth):  # bounded: one join per tier, stops when no link goes further
        if frontier.is_empty():
            break
        found.append(frontier)
        frontier = frontier.join(step, on="ancestor").select("source", pl.col("next").alias("ancestor"), (pl.col("depth") + 1).alias("depth"))
    return pl.concat(found) if found else pl.DataFrame(schema={"source": pl.String, "ancestor": pl.String, "depth": pl.Int64})


SUB_TIER_FINDINGS = 1_000_000  # findings followed up the tiers at a time (a group of rules, scoring), to bound memory
KEYED_SCHEMA = pl.Schema({"_s": pl.UInt32, "_r": pl.UInt32, "_k": pl.UInt32, "depth": pl.Int64, "factor": pl.Float64})


def strongest_sub_tiers(edges: pl.DataFrame, fired: pl.DataFrame, config: ScoringConfig, rules: int) -> pl.DataFrame:
    """Per supplier and rule, the strongest sub-tier source: the nearest supplier below with that finding, the
    smallest id among equally near ones (KEYED_SCHEMA: _s supplier above, _r rule, _k source).

    Integer keys throughout: `edges` (child, parent) and `fired` (source, rule) hold supplier keys in id order
    (scoring._keys), so the smallest key is the smallest id; `rules` is the number of rule keys. Only the winner
    is built: the nearest source at depth d+1 is the smallest of the children's nearest at depth d, so each tier
    is one join and one group-by over at most one row per (supplier, rule), never every (finding × ancestor)
    pair. `sub_tier_sources` lists all of them for one supplier when a person asks.
    """
    if edges.is_empty() or fired.is_empty():
        return pl.DataFrame(schema=KEYED_SCHEMA)
    keys = int(max(edges.select(pl.max_horizontal(pl.col("child").max(), pl.col("parent").max())).item(), fired.get_column("source").max())) + 1
    return strongest_of(parents_by_key(edges, keys), fired, config, rules)


def parents_by_key(edges: pl.DataFrame, keys: int) -> pl.Series | pl.DataFrame:
    """Each supplier key's parent key (null for none), by position (keys 0 … keys-1), so a tier step is a gather,
    not a hash join; the edges themselves if a supplier had two parents (the loader rejects the duplicate ids
    that would cause it)."""
    edges = edges.drop_nulls()
    if not edges.get_column("child").is_unique().all():
        return edges
    return pl.repeat(None, keys, dtype=pl.UInt32, eager=True).scatter(edges.get_column("child"), edges.get_column("parent"))


def strongest_of(parents: pl.Series | pl.DataFrame, fired: pl.DataFrame, config: ScoringConfig, rules: int) -> pl.DataFrame:
    """strongest_sub_tiers with the tier links as parents_by_key gives them: scoring calls it a group of rules at a
    time (rules never mix, so the groups together give the same rows), each group reduced before the next."""
    # One integer per (supplier, rule) pair and one per (depth, source): every group-by below is a single min over
    # one UInt64 key, polars' fast path. The smallest (depth, source) is the nearest source, then the smallest id.
    n_rules = max(rules, 1)
    level = fired.select(
        (pl.col("source").cast(pl.UInt64) * n_rules + pl.col("rule")).alias("_pair"), pl.col("source").cast(pl.UInt64).alias("_k")
    )
    found = []
    for depth in range(1, config.max_inherit_depth + 1):  # bounded: one step per tier
        if config.tier_decay ** depth <= 0:
            break
        child = level.with_columns((pl.col("_pair") // n_rules).cast(pl.UInt32).alias("child"))
        if isinstance(parents, pl.Series):
            climbed = child.with_columns(parents.gather(child.get_column("child")).alias("parent")).drop_nulls("parent")
        else:
            climbed = child.join(parents, on="child")
        level = (
            climbed
            .group_by((pl.col("parent").cast(pl.UInt64) * n_rules + pl.col("_pair") % n_rules).alias("_pair"))
            .agg(pl.col("_k").min())
        )
        if level.is_empty():
            break
        found.append(level.select("_pair", (pl.col("_k") + (depth << 32)).alias("_rank")))  # depth above the 32-bit key
    if not found:
        return pl.DataFrame(schema=KEYED_SCHEMA)
    return (
        pl.concat(found).group_by("_pair").agg(pl.col("_rank").min())
        .select(
            (pl.col("_pair") // n_rules).alias("_s"), (pl.col("_pair") % n_rules).alias("_r"),
            (pl.col("_rank") % (1 << 32)).alias("_k"), (pl.col("_rank") // (1 << 32)).alias("depth"),
        )
        .with_columns(pl.lit(config.tier_decay).pow(pl.col("depth")).alias("factor"))
        .cast(dict(KEYED_SCHEMA))
    )


def sub_tier_sources(edges: pl.DataFrame, fired: pl.DataFrame, config: ScoringConfig, supplier_id: str) -> pl.DataFrame:
    """Every sub-tier finding that reaches one supplier, winning or not (INHERITED_SCHEMA), for `explain`."""
    frontier = pl.DataFrame({"source": [supplier_id], "depth": [0]}, schema={"source": pl.String, "depth": pl.Int64})
    below = []
    for _ in range(config.max_inherit_depth):  # bounded: one join per tier, over this supplier's tree only
        frontier = frontier.join(edges, left_on="source", right_on="parent_id").select(
            pl.col("supplier_id").alias("source"), (pl.col("depth") + 1).alias("depth")
        )
        if frontier.is_empty():
            break
        below.append(frontier)
    if not below:
        return pl.DataFrame(schema=INHERITED_SCHEMA)
    return (
        pl.concat(below)
        .join(fired.select(pl.col("supplier_id").alias("source"), "rule_id").unique(), on="source")
        .select(
            pl.lit(supplier_id).alias("supplier_id"), "rule_id", pl.lit("sub-tier").alias("source_type"),
            pl.col("source").alias("source_id"), "depth", pl.lit(config.tier_decay).pow(pl.col("depth")).alias("factor"),
        )
        .filter(pl.col("factor") > 0)
        .cast(dict(INHERITED_SCHEMA))
        .sort(["rule_id", "source_id"])
    )


def recruiter_key(name: pl.Expr) -> pl.Expr:
    """A recruiter's matching key: its name with case, spacing and punctuation ignored."""
    return name.str.to_lowercase().str.replace_all(r"[^0-9a-z\u00c0-\uffff]+", " ").str.strip_chars()


def recruiter_frame(recruiters: pl.DataFrame, supplier_ids: set[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Shared recruiters as rows rules can read (recruiter_count, recruiters_unverified, recruiters_charging_fees),
    and which suppliers use each one.

    A recruiter is shared when suppliers of two or more sites name it. Its licence counts as verified
    when any row verifies it; it charges fees when any row says so, is unknown when none does and
    some answers are missing.
    """
    rows = recruiters.filter(
        ~pl.col("_blank") & pl.col("supplier_id").is_not_null() & pl.col("recruiter_name").is_not_null()
        & pl.col("supplier_id").is_in(sorted(supplier_ids))
    ).with_columns(recruiter_key(pl.col("recruiter_name")).alias("_key"))
    # The row a finding points to: one reporting fees if any, else one without a verified licence, else the first.
    rows = rows.sort(
        [pl.col("charges_workers_fees").fill_null(False), ~(pl.col("licence_verified").fill_null(False) & pl.col("licence_number").is_not_null()), FILE, ROW],
        descending=[True, True, False, False],
    )
    users = rows.group_by("_key").agg(pl.col("supplier_id").unique().sort().alias("users")).filter(pl.col("users").list.len() >= 2)
    verified = pl.col("licence_verified").fill_null(False) & pl.col("licence_number").is_not_null()
    fees = pl.col("charges_workers_fees")
    frame = (
        rows.join(users, on="_key", how="semi")
        .group_by("_key", maintain_order=True)
        .agg(
            pl.col(FILE).first(), pl.col(SHEET).first(), pl.col(ROW).first(),
            pl.col("recruiter_name").sort_by([FILE, ROW]).first().alias("supplier_name"),  # the spelling seen first
            pl.lit(1, dtype=pl.Int64).alias("recruiter_count"),
            pl.when(verified.any()).then(0).otherwise(1).cast(pl.Int64).alias("recruiters_unverified"),
            pl.when(fees.fill_null(False).any()).then(1).when(fees.is_null().any()).then(None).otherwise(0).cast(pl.Int64).alias("recruiters_charging_fees"),
        )
        .with_columns((pl.lit(RECRUITER_PREFIX) + pl.col("supplier_name")).alias("supplier_id"))
        .sort("supplier_id")
    )
    used_by = frame.select("supplier_id", "_key").join(users, on="_key").select("supplier_id", "users")
    return frame.drop("_key"), used_by


def from_recruiters(
    recruiters: pl.DataFrame | None, rules: Sequence[CompiledRule], config: ScoringConfig, supplier_ids: set[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Findings of shared recruiters (rules that read only recruiter columns) and their inheritance by each user."""
    from auditor import engine
    from auditor.recruiters import DERIVED

    empty = pl.DataFrame(schema=INHERITED_SCHEMA)
    no_findings = pl.DataFrame(schema={c: pl.String for c in engine.FINDING_COLUMNS})
    recruiter_rules = [c for c in rules if c.columns and set(c.columns) <= set(DERIVED) and c.rule.kind in config.inherit_kinds]
    if recruiters is None or recruiters.is_empty() or not recruiter_rules or config.recruiter_factor <= 0:
        return no_findings, empty
    frame, used_by = recruiter_frame(recruiters, supplier_ids)
    if frame.is_empty():
        return no_findings, empty
    findings = engine.evaluate(frame, recruiter_rules).findings
    inherited = (
        findings.select(pl.col("supplier_id").alias("source_id"), "rule_id")
        .join(used_by.rename({"supplier_id": "source_id"}), on="source_id")
        .explode("users")
        .select(
            pl.col("users").alias("supplier_id"), "rule_id", pl.lit("recruiter").alias("source_type"), "source_id",
            pl.lit(1, dtype=pl.Int64).alias("depth"), pl.lit(config.recruiter_factor).alias("factor"),
        )
        .cast(dict(INHERITED_SCHEMA))
        .sort(["supplier_id", "rule_id", "source_id"])
    )
    return findings, inherited
