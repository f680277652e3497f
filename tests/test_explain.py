"""`auditor explain`: every contribution with rule, evidence, citation and source; the missing data worth asking for."""

from __future__ import annotations

import json

import pytest
from scoring_fixtures import RULE_PACK, clean, write_rules, write_workbook
from typer.testing import CliRunner

from auditor.audit import run_audit
from auditor.cli import app
from auditor.explain import explain


@pytest.fixture
def workbook(tmp_path):
    suppliers = [
        clean("P1", grievance_channel_anonymous="no"),
        clean("C1", tier=2, parent_supplier_id="P1", contract_substitution_found="yes"),
        {"supplier_id": "OPAQUE", "supplier_name": "Nobody knows", "grievance_channel_anonymous": "no"},
    ]
    return write_workbook(tmp_path / "suppliers.xlsx", suppliers, [])


@pytest.fixture
def rules_dir(tmp_path):
    return write_rules(tmp_path / "rules")


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_explain_shows_each_own_contribution_with_evidence_and_citation(workbook, rules_dir):
    result = invoke("explain", "P1", str(workbook), "--rules", str(rules_dir))
    assert result.exit_code == 0, result.output
    assert "TST-003" in result.output and "finding: No anonymous grievance channel" in result.output
    assert "grievance_channel_anonymous = no" in result.output
    assert "Vienna Forum ¶199: “providing guidance on recruitment fees”" in result.output


def test_explain_shows_inherited_contributions_with_their_source(workbook, rules_dir):
    result = invoke("explain", "P1", str(workbook), "--rules", str(rules_dir))
    assert "inherited: Contract substitution" in result.output
    assert "inherited from C1 (1 tier(s) below" in result.output
    assert "Vienna Forum ¶173" in result.output


def test_contributions_add_up_to_the_score(workbook, rules_dir):
    audit = run_audit([workbook], rules_dirs=[rules_dir])
    for supplier_id in ("P1", "C1", "OPAQUE"):
        explanation = explain(audit, supplier_id)
        total = sum(c["points"] for c in explanation.contributions)
        assert total == pytest.approx(explanation.supplier["score"], abs=0.1)


def test_missing_data_is_ranked_by_the_confidence_it_would_add(workbook, rules_dir):
    explanation = explain(run_audit([workbook], rules_dirs=[rules_dir]), "OPAQUE")
    gains = [m["confidence_gain"] for m in explanation.missing]
    assert gains == sorted(gains, reverse=True)
    assert explanation.missing[0]["column"] == "contract_substitution_found"  # the critical indicator's input
    assert explanation.missing[0]["unlocks"] == ["TST-001"]


def test_explain_json_lists_citations_and_missing_data(workbook, rules_dir):
    result = invoke("explain", "OPAQUE", str(workbook), "--rules", str(rules_dir), "--json")
    document = json.loads(result.output)
    statuses = {c["rule_id"]: c["status"] for c in document["contributions"]}
    assert statuses["TST-003"] == "finding" and statuses["TST-001"] == "unknown"
    assert all(c["citations"] and c["citations"][0]["quote"] for c in document["contributions"])
    assert document["missing_data"][0]["column"] == "contract_substitution_found"


def test_explain_of_an_unknown_supplier_exits_2_with_one_line(workbook, rules_dir):
    result = invoke("explain", "p1", str(workbook), "--rules", str(rules_dir))
    assert result.exit_code == 2
    assert "no supplier 'p1'" in result.output and "did you mean P1?" in result.output


def test_rule_pack_fixture_is_valid(rules_dir):
    result = invoke("rules", "validate", str(rules_dir))
    assert result.exit_code == 0, result.output
    assert RULE_PACK.count("[[rule]]") == 6
