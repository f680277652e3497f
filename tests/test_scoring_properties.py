"""Properties of the scoring model that must hold for any rule set, any answers and any tier links (hypothesis)."""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_fixtures import make_evaluation, make_rules, make_suppliers

from auditor.rules import SEVERITIES
from auditor.scoring import TIERS, ScoringConfig, model

KINDS = ("indicator", "control", "exposure", "evidence")
STATUS = ("silent", "unknown", "finding")
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def portfolios(draw, min_suppliers=1):
    """Rules, suppliers with parent links (cycles and self-links allowed), answers and a scoring policy."""
    specs = draw(st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(SEVERITIES)), min_size=1, max_size=7))
    rules = make_rules(specs)
    n = draw(st.integers(min_suppliers, 6))
    ids = [f"S{i}" for i in range(n)]
    parents = {s: p for s in ids if (p := draw(st.one_of(st.none(), st.sampled_from(ids)))) is not None}
    statuses = {(s, r.id): draw(st.sampled_from(STATUS)) for s in ids for r in rules}
    config = ScoringConfig(
        missing_data=draw(st.sampled_from(["gap", "risk"])),
        unknown_factor=draw(st.floats(0.05, 1.0)),
        tier_decay=draw(st.floats(0.0, 1.0)),
    )
    return rules, ids, parents, statuses, config


def run(rules, ids, parents, statuses, config) -> pl.DataFrame:
    evaluation = make_evaluation({k: v for k, v in statuses.items() if v != "silent"})
    return model(make_suppliers(ids, parents), evaluation, rules, config).suppliers


def by_id(frame: pl.DataFrame) -> dict[str, dict]:
    return {r["supplier_id"]: r for r in frame.iter_rows(named=True)}


def tier_index(tier: str) -> int:
    return TIERS.index(tier)


@FAST
@given(portfolios(), st.data())
def test_adding_a_finding_never_lowers_any_score_or_tier(portfolio, data):
    rules, ids, parents, statuses, config = portfolio
    open_cells = [k for k, v in statuses.items() if v != "finding"]
    if not open_cells:
        return
    cell = data.draw(st.sampled_from(open_cells))
    before = by_id(run(rules, ids, parents, statuses, config))
    after = by_id(run(rules, ids, parents, {**statuses, cell: "finding"}, config))
    for s in ids:
        assert after[s]["score"] >= before[s]["score"]
        assert tier_index(after[s]["tier"]) <= tier_index(before[s]["tier"])


@FAST
@given(portfolios(), st.data())
def test_evidence_that_a_safeguard_exists_never_raises_any_score(portfolio, data):
    rules, ids, parents, statuses, config = portfolio
    controls = {r.id for r in rules if r.rule.kind == "control"}
    gaps = [k for k, v in statuses.items() if k[1] in controls and v != "silent"]
    assert_clearing_never_raises(rules, ids, parents, statuses, config, gaps, data)


@FAST
@given(portfolios(), st.data())
def test_evidence_that_clears_any_rule_never_raises_any_score_or_tier(portfolio, data):
    rules, ids, parents, statuses, config = portfolio
    open_cells = [k for k, v in statuses.items() if v != "silent"]
    assert_clearing_never_raises(rules, ids, parents, statuses, config, open_cells, data)


def assert_clearing_never_raises(rules, ids, parents, statuses, config, gaps, data):
    if not gaps:
        return
    cell = data.draw(st.sampled_from(gaps))
    before = by_id(run(rules, ids, parents, statuses, config))
    after = by_id(run(rules, ids, parents, {**statuses, cell: "silent"}, config))
    for s in ids:
        assert after[s]["score"] <= before[s]["score"]
        assert tier_index(after[s]["tier"]) >= tier_index(before[s]["tier"])


@FAST
@given(portfolios(), st.data())
def test_an_unknown_answer_never_scores_as_clean(portfolio, data):
    rules, ids, parents, statuses, config = portfolio
    silent = [k for k, v in statuses.items() if v == "silent"]
    if not silent:
        return
    cell = data.draw(st.sampled_from(silent))
    before = by_id(run(rules, ids, parents, statuses, config))
    after = by_id(run(rules, ids, parents, {**statuses, cell: "unknown"}, config))
    supplier = cell[0]
    assert after[supplier]["confidence"] < before[supplier]["confidence"]
    assert after[supplier]["score"] >= before[supplier]["score"]
    assert after[supplier]["rank"] <= before[supplier]["rank"] or after[supplier]["tier"] == before[supplier]["tier"]


@FAST
@given(st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(SEVERITIES)), min_size=1, max_size=7),
       st.sampled_from(["gap", "risk"]), st.floats(0.05, 1.0))
def test_a_supplier_nobody_knows_anything_about_ranks_above_a_verified_clean_one(specs, policy, factor):
    rules = make_rules(specs)
    statuses = {("OPAQUE", r.id): "unknown" for r in rules}
    ranked = by_id(run(rules, ["CLEAN", "OPAQUE"], {}, statuses, ScoringConfig(missing_data=policy, unknown_factor=factor)))
    assert ranked["OPAQUE"]["rank"] < ranked["CLEAN"]["rank"]
    assert ranked["OPAQUE"]["score"] > ranked["CLEAN"]["score"] == 0.0
    assert ranked["OPAQUE"]["confidence"] == 0.0 < ranked["CLEAN"]["confidence"] == 1.0


@FAST
@given(portfolios(min_suppliers=2), st.randoms(use_true_random=False))
def test_ranking_is_a_total_order_that_does_not_depend_on_input_order(portfolio, random):
    rules, ids, parents, statuses, config = portfolio
    first = run(rules, ids, parents, statuses, config)
    shuffled = list(ids)
    random.shuffle(shuffled)
    second = run(rules, shuffled, parents, statuses, config)
    assert first.get_column("rank").to_list() == list(range(1, len(ids) + 1))
    assert sorted(first.get_column("supplier_id").to_list()) == sorted(ids)
    columns = ["rank", "supplier_id", "tier", "score", "confidence", "score_own", "score_inherited"]
    assert first.select(columns).equals(second.select(columns))


def test_clearing_a_parents_unknown_answer_does_not_lift_it_through_an_inherited_critical_indicator():
    rules = make_rules([("indicator", "critical")] + [("control", "high")] * 20)  # keeps the score under the cut-offs
    critical = rules[0].id
    config = ScoringConfig(unknown_factor=0.5, tier_decay=0.5)  # inherited factor equals the unknown factor
    unknown = by_id(run(rules, ["P", "C"], {"C": "P"}, {("P", critical): "unknown", ("C", critical): "finding"}, config))
    cleared = by_id(run(rules, ["P", "C"], {"C": "P"}, {("C", critical): "finding"}, config))
    assert unknown["P"]["tier"] == cleared["P"]["tier"] == config.inherited_critical_tier
    assert cleared["P"]["score"] <= unknown["P"]["score"]
