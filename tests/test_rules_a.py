"""The rules-A packs and the contract columns added for them (v1 additions: rules A)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from auditor import schema
from auditor.audit import default_rules_dirs, run_audit
from auditor.examples import example_frame, outcome
from auditor.rules import Example, load_rules

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_suppliers" / "sample_suppliers.xlsx"
RULES = {c.id: c for c in load_rules(default_rules_dirs())}
RULES_A_PREFIXES = ("RF", "RI", "CT", "IN", "MW", "VU", "CL", "DOC", "WG", "HR", "LC")
RULES_A = sorted(rid for rid, c in RULES.items() if c.rule.prefix in RULES_A_PREFIXES)
RULES_A_COLUMNS = [
    "recruitment_related_costs_charged", "recruitment_chain_layers", "workers_hold_contract_copy", "headcount_payroll",
    "share_workers_irregular_status", "work_permit_tied_to_employer", "share_refugee_asylum_stateless",
    "grievance_channel_in_worker_languages", "gbv_harassment_policy", "legal_min_working_age", "young_worker_protections",
    "age_verification_procedure", "lockable_document_storage", "debt_repaid_by_wage_deduction", "wages_withheld_or_delayed",
    "unlawful_wage_deductions", "overtime_voluntary", "workers_allowed_personal_phones", "employer_provided_housing",
    "housing_meets_standards", "informal_recruitment_channels", "child_remediation_procedure", "resignation_penalty",
]


def judge(rule_id: str, **row) -> bool | None:
    """What a rule says about one supplier row: True fires, False silent, None not evaluable."""
    return outcome(RULES[rule_id], Example(fires=True, row=row))


def test_rules_a_owns_at_least_27_rules():
    assert len(RULES_A) >= 27


def test_new_columns_are_a_contiguous_block_after_the_v1_columns():
    names = [c.name for c in schema.SUPPLIER_COLUMNS]
    start = names.index("code_of_conduct_signed") + 1
    assert names[start:start + len(RULES_A_COLUMNS)] == RULES_A_COLUMNS


def test_every_new_column_has_a_description_and_aliases_that_reach_it():
    index = schema.header_index("suppliers")
    for name in RULES_A_COLUMNS:
        spec = schema.spec(name)
        assert spec.description and spec.aliases, name
        assert all(index[schema.normalise_header(alias)] == name for alias in spec.aliases), name


def test_new_columns_parse_like_their_type():
    frame = example_frame(Example(fires=True, row={
        "headcount_payroll": "1,200", "share_workers_irregular_status": "15%", "work_permit_tied_to_employer": "Y",
        "legal_min_working_age": "n/a",
    }))
    assert frame.select("headcount_payroll", "share_workers_irregular_status", "work_permit_tied_to_employer",
                        "legal_min_working_age").row(0) == (1200, 0.15, True, None)
    assert frame.schema["headcount_payroll"] == pl.Int64


def test_unknown_housing_standard_is_not_evaluable_but_no_housing_is_silent():
    assert judge("LC-004", employer_provided_housing="yes", housing_meets_standards="unknown") is None
    assert judge("LC-004", employer_provided_housing="no", housing_meets_standards="unknown") is False


def test_child_below_the_floor_fires_even_when_the_legal_age_is_unknown():
    assert judge("CL-001", min_worker_age=12, legal_min_working_age="n/a") is True


def test_child_above_the_floor_needs_the_legal_age_to_be_judged():
    assert judge("CL-001", min_worker_age=15, legal_min_working_age="n/a") is None
    assert judge("CL-001", min_worker_age=15, legal_min_working_age=16) is True
    assert judge("CL-001", min_worker_age=15, legal_min_working_age=14) is False


def test_employer_tied_permit_fires_migrant_rule_when_irregular_share_unknown():
    assert judge("MW-002", work_permit_tied_to_employer="yes", share_workers_irregular_status="-") is True
    assert judge("MW-002", work_permit_tied_to_employer="no", share_workers_irregular_status="-") is None


def test_headcount_gap_within_tolerance_is_silent():
    assert judge("IN-004", headcount=100, headcount_payroll=95) is False
    assert judge("IN-004", headcount=100, headcount_payroll=80) is True
    assert judge("IN-004", headcount=100) is None


def test_hours_limit_can_be_overridden_in_configuration():
    stricter = load_rules(default_rules_dirs(), params={"HR-001": {"max_total": 48}})
    hr001 = next(c for c in stricter if c.id == "HR-001")
    assert outcome(hr001, Example(fires=True, row={"max_weekly_hours": 58})) is True
    assert judge("HR-001", max_weekly_hours=58) is False


@pytest.mark.parametrize("rule_id", ["HR-001", "HR-002", "HR-003", "HR-004", "WG-004", "WG-005"])
def test_hours_and_wage_withholding_rules_cite_their_real_source_not_the_report(rule_id):
    cites = RULES[rule_id].rule.cite
    assert all(c.source != "vienna-forum-2008" for c in cites)
    assert all(c.title and c.url and c.edition and c.paragraph for c in cites)


@pytest.mark.parametrize("rule_id", RULES_A)
def test_rules_a_state_why_and_what_to_ask_for(rule_id):
    rule = RULES[rule_id].rule
    assert rule.description and rule.ask_for
    if rule.params:
        assert "policy" in rule.description or "ETI" in rule.description or "C138" in rule.description


@pytest.mark.parametrize("rule_id", [r for r in RULES_A if RULES[r].rule.kind == "exposure"])
def test_exposure_rules_say_they_are_not_wrongdoing(rule_id):
    text = " ".join(RULES[rule_id].rule.description.split())
    assert "¶209(g)" in text
    assert any(phrase in text for phrase in ("not wrongdoing", "not itself wrongdoing", "never a finding", "not a risk finding"))


@pytest.fixture(scope="module")
def sample_audit():
    return run_audit([SAMPLE], select=RULES_A)


def test_every_rules_a_rule_fires_for_some_sample_supplier_and_not_for_others(sample_audit):
    findings = sample_audit.findings
    fired = findings.group_by("rule_id").agg(pl.col("supplier_id").n_unique().alias("n"))
    counts = dict(zip(fired["rule_id"], fired["n"]))
    suppliers = sample_audit.loaded.suppliers.height
    never = [r for r in RULES_A if counts.get(r, 0) == 0]
    always = [r for r in RULES_A if counts.get(r, 0) == suppliers]
    assert never == [] and always == []
