"""The scoring model on real workbooks: dimensions, critical override, missing data, inherited risk, tier links."""

from __future__ import annotations

import json

import polars as pl
import pytest
from pydantic import ValidationError
from scoring_fixtures import clean, write_rules, write_workbook

from auditor.audit import run_audit
from auditor.render import json_report
from auditor.scoring import ScoringConfig


@pytest.fixture
def rules_dir(tmp_path):
    return write_rules(tmp_path / "rules")


def audit(tmp_path, rules_dir, suppliers, recruiters=(), config=None, name="s.xlsx", ignore=()):
    path = write_workbook(tmp_path / name, suppliers, None if recruiters is None else list(recruiters))
    return run_audit([path], rules_dirs=[rules_dir], scoring_config=config, ignore=ignore)


def row(result, supplier_id):
    return result.suppliers.filter(pl.col("supplier_id") == supplier_id).row(0, named=True)


def chain(child_substitution: str) -> list[dict]:
    return [clean("P1"), clean("C1", tier=2, parent_supplier_id="P1", contract_substitution_found=child_substitution)]


def test_sub_tier_critical_finding_raises_parent_score_and_removing_it_lowers_it(tmp_path, rules_dir):
    with_finding = audit(tmp_path, rules_dir, chain("yes"), name="a.xlsx")
    without = audit(tmp_path, rules_dir, chain("no"), name="b.xlsx")
    assert row(with_finding, "P1")["score"] > row(without, "P1")["score"]
    assert row(without, "P1")["score"] == 0.0


def test_inherited_risk_is_kept_apart_from_the_parents_own_findings(tmp_path, rules_dir):
    result = audit(tmp_path, rules_dir, chain("yes"))
    parent = row(result, "P1")
    assert parent["findings"] == 0 and parent["score_own"] == 0.0
    assert parent["score_inherited"] > 0 and parent["inherited_from"] == ["C1"]
    assert result.findings.filter(pl.col("supplier_id") == "P1").is_empty()


def test_inherited_critical_indicator_lifts_parent_to_high_but_not_critical(tmp_path, rules_dir):
    result = audit(tmp_path, rules_dir, chain("yes"))
    assert row(result, "C1")["tier"] == "critical"
    assert row(result, "P1")["tier"] == "high"
    assert row(result, "P1")["inherited_critical"] is True


def test_finding_two_tiers_down_reaches_the_top_at_the_decay_squared(tmp_path, rules_dir):
    suppliers = [clean("P1"), clean("C1", tier=2, parent_supplier_id="P1"),
                 clean("G1", tier=3, parent_supplier_id="C1", contract_substitution_found="yes")]
    result = audit(tmp_path, rules_dir, suppliers)
    assert row(result, "P1")["score_inherited"] == pytest.approx(row(result, "C1")["score_inherited"] * 0.5, abs=0.06)
    assert row(result, "P1")["inherited_from"] == ["G1"]


def test_shared_recruiter_carries_its_findings_to_each_supplier_using_it(tmp_path, rules_dir):
    suppliers = [clean("A"), clean("B"), clean("C")]
    recruiters = [
        {"supplier_id": "A", "recruiter_name": "Gulf Bridge Recruitment", "licence_number": "L1", "licence_verified": "yes", "charges_workers_fees": "yes"},
        {"supplier_id": "B", "recruiter_name": "gulf bridge  recruitment", "licence_number": "L1", "licence_verified": "yes", "charges_workers_fees": "no"},
        {"supplier_id": "C", "recruiter_name": "Other Agency", "licence_number": "L2", "licence_verified": "yes", "charges_workers_fees": "no"},
    ]
    result = audit(tmp_path, rules_dir, suppliers, recruiters)
    b = row(result, "B")
    assert b["findings"] == 0 and b["score_inherited"] > 0
    assert b["inherited_from"] == ["recruiter:Gulf Bridge Recruitment"]
    assert row(result, "C")["score"] == 0.0
    # A already has the finding itself: the same condition is not counted twice.
    assert row(result, "A")["score_inherited"] == 0.0 and row(result, "A")["findings"] == 1


def test_dangling_parent_link_is_a_data_quality_entry(tmp_path, rules_dir):
    result = audit(tmp_path, rules_dir, [clean("A", tier=2, parent_supplier_id="NOPE")])
    dq = result.loaded.data_quality.filter(pl.col("column") == "parent_supplier_id")
    assert dq.height == 1
    entry = dq.row(0, named=True)
    assert entry["value"] == "NOPE" and entry["row"] == 2 and entry["cell"] == "D2" and "not in the input" in entry["problem"]


def test_parent_cycle_is_reported_for_each_member_and_carries_no_risk(tmp_path, rules_dir):
    suppliers = [clean("A", parent_supplier_id="B", contract_substitution_found="yes"), clean("B", parent_supplier_id="C"),
                 clean("C", parent_supplier_id="A"), clean("D", parent_supplier_id="D"), clean("E", parent_supplier_id="A")]
    result = audit(tmp_path, rules_dir, suppliers)
    dq = result.loaded.data_quality.filter(pl.col("column") == "parent_supplier_id")
    assert sorted(dq.get_column("row").to_list()) == [2, 3, 4, 5]  # A, B, C and the self-link D; not E
    problems = dq.get_column("problem").to_list()
    assert "parent links form a cycle among A, B, C" in problems and "supplier names itself as its parent" in problems
    assert row(result, "B")["score_inherited"] == 0.0 and row(result, "C")["score_inherited"] == 0.0


def test_all_unknown_supplier_ranks_above_and_is_less_certain_than_a_verified_clean_one(tmp_path, rules_dir):
    for policy in ("gap", "risk"):
        suppliers = [clean("CLEAN"), {"supplier_id": "OPAQUE", "supplier_name": "Nobody knows"}]
        result = audit(tmp_path, rules_dir, suppliers, None, ScoringConfig(missing_data=policy), name=f"{policy}.xlsx", ignore=("TST-006",))
        assert row(result, "OPAQUE")["not_evaluable"] == len(result.rules)
        unknown, verified = row(result, "OPAQUE"), row(result, "CLEAN")
        assert unknown["rank"] < verified["rank"]
        assert unknown["confidence"] < verified["confidence"] == 1.0
        assert unknown["score"] > verified["score"] == 0.0


def test_risk_policy_scores_unknown_like_a_finding(tmp_path, rules_dir):
    gap = audit(tmp_path, rules_dir, [{"supplier_id": "U", "supplier_name": "U"}], None, name="g.xlsx")
    risk = audit(tmp_path, rules_dir, [{"supplier_id": "U", "supplier_name": "U"}], None, ScoringConfig(missing_data="risk"), name="r.xlsx")
    assert row(risk, "U")["score"] == 100.0
    assert 0 < row(gap, "U")["score"] < 100.0


def test_any_critical_indicator_makes_the_supplier_critical_whatever_its_score(tmp_path, rules_dir):
    many = clean("MANY", workers_paid_recruitment_fees="yes", grievance_channel_anonymous="no", share_migrant_workers="90%",
                 worker_interviews_offsite="no")
    result = audit(tmp_path, rules_dir, [clean("ONE", contract_substitution_found="yes"), many])
    assert row(result, "ONE")["tier"] == "critical" and row(result, "MANY")["tier"] != "critical"
    assert row(result, "ONE")["findings"] < row(result, "MANY")["findings"]
    assert row(result, "ONE")["rank"] == 1


def test_sub_scores_keep_exposure_indicators_controls_and_evidence_apart(tmp_path, rules_dir):
    result = audit(tmp_path, rules_dir, [clean("X", share_migrant_workers="90%"), clean("Y", worker_interviews_offsite="no")])
    x, y = row(result, "X"), row(result, "Y")
    assert x["exposure"] == 100.0 and x["indicators"] == x["control_gaps"] == x["evidence_quality"] == 0.0
    assert y["evidence_quality"] == 100.0 and y["exposure"] == 0.0
    assert x["tier"] == "low"  # exposure alone is never a finding of wrongdoing


def test_scoring_config_rejects_unknown_keys_and_a_zero_unknown_factor():
    with pytest.raises(ValidationError):
        ScoringConfig(unknown_weights=0.3)
    with pytest.raises(ValidationError):
        ScoringConfig(unknown_factor=0.0)  # unknown would score as clean
    with pytest.raises(ValidationError):
        ScoringConfig(severity_points={"critical": 10.0})
    with pytest.raises(ValidationError):
        ScoringConfig(high_cutoff=10.0, medium_cutoff=20.0)


def test_json_report_keeps_the_original_supplier_fields_and_adds_the_model_fields(tmp_path, rules_dir):
    result = audit(tmp_path, rules_dir, chain("yes"))
    supplier = json.loads(json_report.render(result))["suppliers"][0]
    for name in ("rank", "supplier_id", "tier", "score", "confidence", "findings", "not_evaluable", "top_rules",
                 "score_own", "score_inherited", "exposure", "indicators", "control_gaps", "evidence_quality", "inherited_from"):
        assert name in supplier


def test_same_input_gives_the_same_ranking_and_contributions(tmp_path, rules_dir):
    suppliers = [clean(f"S{i}", contract_substitution_found="yes" if i % 3 == 0 else "no", share_migrant_workers="n/a" if i % 2 else "10%")
                 for i in range(12)]
    first = audit(tmp_path, rules_dir, suppliers, name="one.xlsx")
    second = audit(tmp_path, rules_dir, list(reversed(suppliers)), name="two.xlsx")
    cols = ["rank", "supplier_id", "tier", "score", "confidence"]
    assert first.suppliers.select(cols).equals(second.suppliers.select(cols))


def test_displayed_scores_round_halves_away_from_zero_whatever_the_summation_order():
    from auditor.scoring import display

    terms = [0.56, 4.38, 19.51]  # 24.45: one order lands a hair above it in binary floats, the other exactly on it
    forwards, backwards = 0.0, 0.0
    for t in terms:
        forwards += t
    for t in reversed(terms):
        backwards += t
    assert forwards != backwards
    shown = pl.select(display(pl.lit(forwards)).alias("f"), display(pl.lit(backwards)).alias("b"), display(pl.lit(10.25)).alias("h"))
    assert shown.row(0) == (24.5, 24.5, 10.3)
