"""Inherited risk: the scoring path keeps only the strongest sub-tier source, explain lists them all."""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import inherit
from auditor.scoring import ScoringConfig

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _frames(parents: dict[str, str], fired: list[tuple[str, str]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    edges = pl.DataFrame({"supplier_id": list(parents), "parent_id": list(parents.values())}, schema=inherit.EDGE_SCHEMA)
    findings = pl.DataFrame({"supplier_id": [s for s, _ in fired], "rule_id": [r for _, r in fired]},
                            schema={"supplier_id": pl.String, "rule_id": pl.String})
    return edges, findings


def _strongest(edges: pl.DataFrame, fired: pl.DataFrame, config: ScoringConfig) -> dict[tuple[str, str], tuple[str, int]]:
    """strongest_sub_tiers on the ids' positions in sorted order (as scoring keys them), turned back into ids."""
    ids = pl.concat([edges.get_column("supplier_id"), edges.get_column("parent_id"), fired.get_column("supplier_id")]).unique().sort()
    rule_ids = fired.get_column("rule_id").unique().sort()
    key = {v: i for i, v in enumerate(ids.to_list())}
    rule = {v: i for i, v in enumerate(rule_ids.to_list())}
    keyed_edges = pl.DataFrame({"child": [key[c] for c in edges.get_column("supplier_id")],
                                "parent": [key[p] for p in edges.get_column("parent_id")]}, schema={"child": pl.UInt32, "parent": pl.UInt32})
    keyed_fired = pl.DataFrame({"source": [key[s] for s in fired.get_column("supplier_id")],
                                "rule": [rule[r] for r in fired.get_column("rule_id")]}, schema={"source": pl.UInt32, "rule": pl.UInt32})
    keyed = inherit.strongest_sub_tiers(keyed_edges, keyed_fired, config, rule_ids.len())
    return {(ids[s], rule_ids[r]): (ids[k], d) for s, r, k, d in keyed.select("_s", "_r", "_k", "depth").iter_rows()}


def test_the_nearest_sub_tier_source_wins_over_a_deeper_one():
    # A ← B ← C: B and C both have R1; for A the direct supplier B (depth 1) is the strongest source.
    edges, fired = _frames({"B": "A", "C": "B"}, [("B", "R1"), ("C", "R1")])
    strongest = _strongest(edges, fired, ScoringConfig())
    assert strongest[("A", "R1")] == ("B", 1)
    assert strongest[("B", "R1")] == ("C", 1)


def test_equally_near_sources_resolve_to_the_smallest_supplier_id():
    edges, fired = _frames({"Z": "A", "M": "A"}, [("Z", "R1"), ("M", "R1")])
    assert _strongest(edges, fired, ScoringConfig())[("A", "R1")] == ("M", 1)


def test_no_source_beyond_the_maximum_depth():
    edges, fired = _frames({"B": "A", "C": "B", "D": "C"}, [("D", "R1")])
    strongest = _strongest(edges, fired, ScoringConfig(max_inherit_depth=2))
    assert ("B", "R1") in strongest and ("C", "R1") in strongest
    assert ("A", "R1") not in strongest  # three tiers above D


def test_a_supplier_listed_under_two_parents_passes_its_risk_to_both():
    # Scoring's edges never list a supplier twice (the loader rejects duplicate ids); built by hand, they may.
    edges = pl.DataFrame({"supplier_id": ["C", "C", "B"], "parent_id": ["A", "B", "X"]}, schema=inherit.EDGE_SCHEMA)
    _, fired = _frames({}, [("C", "R1")])
    strongest = _strongest(edges, fired, ScoringConfig())
    assert strongest[("A", "R1")] == ("C", 1) and strongest[("B", "R1")] == ("C", 1) and strongest[("X", "R1")] == ("C", 2)


def test_explain_lists_every_source_including_the_losing_ones():
    edges, fired = _frames({"B": "A", "C": "B"}, [("B", "R1"), ("C", "R1")])
    sources = inherit.sub_tier_sources(edges, fired, ScoringConfig(), "A")
    assert sources.select("source_id", "depth", "factor").rows() == [("B", 1, 0.5), ("C", 2, 0.25)]


@st.composite
def forests(draw):
    """Suppliers with at most one parent each, parents earlier in the list (acyclic), and findings."""
    n = draw(st.integers(1, 12))
    ids = [f"S{i:02d}" for i in range(n)]
    parents = {ids[i]: ids[draw(st.integers(0, i - 1))] for i in range(1, n) if draw(st.booleans())}
    fired = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(["R1", "R2", "R3"])), max_size=20))
    depth = draw(st.integers(0, 6))
    return parents, fired, depth


@FAST
@given(forests())
def test_the_strongest_source_is_the_nearest_then_smallest_of_all_sources(forest):
    parents, fired, depth = forest
    edges, findings = _frames(parents, fired)
    config = ScoringConfig(max_inherit_depth=depth)
    strongest = _strongest(edges, findings, config) if not findings.is_empty() else {}
    expected = {}
    for supplier in sorted({s for s, _ in fired} | set(parents) | set(parents.values())):
        every = inherit.sub_tier_sources(edges, findings, config, supplier)
        for rule, group in every.group_by("rule_id"):
            best = group.sort(["depth", "source_id"]).row(0, named=True)
            expected[(supplier, rule[0])] = (best["source_id"], best["depth"])
    assert strongest == expected


def test_a_shared_recruiter_and_a_sub_tier_passing_the_same_rule_leave_one_contribution_the_stronger():
    from auditor.scoring import KEYED_CONTRIBUTIONS, SOURCES, _inherited_contributions

    points = pl.DataFrame({"_r": [0, 1], "points": [10.0, 4.0]}, schema={"_r": pl.UInt32, "points": pl.Float64})
    inherited = pl.DataFrame(
        {"_s": [7, 7, 7], "_r": [0, 0, 1], "_k": [3, 9, 3], "depth": [2, 1, 2], "factor": [0.25, 0.5, 0.25],
         "_source": [SOURCES.index(s) for s in ("sub-tier", "recruiter", "sub-tier")]},
        schema={"_s": pl.UInt32, "_r": pl.UInt32, "_k": pl.UInt32, "depth": pl.Int64, "factor": pl.Float64, "_source": pl.UInt8},
    )
    rows = _inherited_contributions(inherited, points, lambda rows: pl.Series([0.0] * rows.height)).sort("_r")
    assert rows.schema == KEYED_CONTRIBUTIONS
    assert rows.select("_r", "_k", "_source", "points").rows() == [(0, 9, SOURCES.index("recruiter"), 5.0), (1, 3, SOURCES.index("sub-tier"), 1.0)]


def test_inherited_points_are_only_what_exceeds_the_suppliers_own_factor():
    from auditor.scoring import SOURCES, _inherited_contributions

    points = pl.DataFrame({"_r": [0], "points": [10.0]}, schema={"_r": pl.UInt32, "points": pl.Float64})
    inherited = pl.DataFrame({"_s": [1, 2], "_r": [0, 0], "_k": [5, 5], "depth": [1, 1], "factor": [0.5, 0.5],
                              "_source": [SOURCES.index("sub-tier")] * 2},
                             schema={"_s": pl.UInt32, "_r": pl.UInt32, "_k": pl.UInt32, "depth": pl.Int64, "factor": pl.Float64,
                                     "_source": pl.UInt8})
    own = pl.when(pl.col("_s") == 1).then(0.25).otherwise(1.0)  # supplier 1 unknown (0.25), supplier 2 has the finding itself
    rows = _inherited_contributions(inherited, points, lambda rows: rows.select(own).to_series())
    assert rows.select("_s", "factor", "points").rows() == [(1, 0.25, 2.5)]


def test_scores_are_the_same_when_inheritance_takes_one_rule_at_a_time(monkeypatch):
    # Scoring follows findings up the tiers a group of rules at a time (about SUB_TIER_FINDINGS findings each); a
    # limit of one finding makes every rule its own group, and nothing about the result may change.
    from support import SAMPLE_XLSX

    from auditor.audit import run_audit

    whole = run_audit([SAMPLE_XLSX])
    monkeypatch.setattr(inherit, "SUB_TIER_FINDINGS", 1)
    one_by_one = run_audit([SAMPLE_XLSX])
    assert whole.suppliers.filter(pl.col("score_inherited") > 0).height > 0
    assert one_by_one.suppliers.equals(whole.suppliers)
    by = ["supplier_id", "rule_id", "source_id"]
    assert one_by_one.extra["scoring"].contributions.sort(by, nulls_last=True).equals(
        whole.extra["scoring"].contributions.sort(by, nulls_last=True))


def test_rules_are_grouped_in_order_by_their_count_of_findings():
    from auditor.scoring import _by_findings

    rules = pl.DataFrame({"rule_id": ["A", "B", "C", "D", "E"], "_r": [0, 1, 2, 3, 4]})
    groups = [g.get_column("rule_id").to_list() for g in _by_findings(rules, [3, 4, 9, 0, 2], limit=8)]
    assert groups == [["A", "B"], ["C"], ["D", "E"]]  # C alone is over the limit: a group of its own


def test_supplier_keys_from_one_rank_match_the_sorted_keys_joined_back():
    from auditor.scoring import _keys, _keys_with_rows, _with_key

    rows = pl.Series(["S10", "S2", "S10b", "S1", None, "shared:Agency"], dtype=pl.String)
    others = pl.Series(["shared:Agency", "shared:Other"], dtype=pl.String)  # shared recruiters' ids sort among the suppliers'
    keys, by_row = _keys_with_rows(rows, others)
    assert keys.equals(_keys(rows, others))
    assert keys.get_column("id").to_list() == ["S1", "S10", "S10b", "S2", "shared:Agency", "shared:Other"]
    assert keys.get_column("key").to_list() == [0, 1, 2, 3, 4, 5]
    joined = _with_key(rows.alias("supplier_id").to_frame(), keys, "supplier_id", "_s").get_column("_s")
    assert by_row.to_list() == joined.to_list() == [1, 3, 2, 0, None, 4]  # S1, S10, S10b, S2, shared:Agency
