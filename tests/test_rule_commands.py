"""`auditor rules list | show | validate | docs` from the command line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from auditor.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_rules_list_filters_by_category_severity_and_kind():
    result = run("rules", "list", "--category", "governance", "--severity", "critical")
    assert result.exit_code == 0
    assert "GOV-006" in result.stdout and "GOV-001" not in result.stdout


def test_rules_list_filters_by_kind():
    result = run("rules", "list", "--kind", "exposure", "--category", "SR")
    assert "SR-003" in result.stdout and "SR-004" not in result.stdout  # SR-004 is a control


def test_rules_list_rejects_an_unknown_severity_with_exit_2():
    result = run("rules", "list", "--severity", "huge")
    assert result.exit_code == 2
    assert "critical, high, medium, low" in result.output


def test_rules_show_gives_quote_paragraph_example_and_remediation():
    result = run("rules", "show", "SR-003")
    assert result.exit_code == 0
    page = result.stdout
    assert "the United States Department of Labor was drawing up a list of products" in page
    assert "¶31" in page
    assert "## Example" in page and "## Remediation" in page and "## Sources" in page
    assert "ILAB List of Goods, 2022 edition (as of 2022-09-28), for forced labour in TH: Shrimp" in page


def test_rules_show_lowercase_id_works_and_unknown_id_exits_2():
    assert run("rules", "show", "fa-001").exit_code == 0
    assert run("rules", "show", "ZZ-999").exit_code == 2


def test_rules_validate_reports_a_users_broken_example(tmp_path: Path):
    pack = tmp_path / "mine.toml"
    pack.write_text('''
[[rule]]
id = "MY-001"
title = "Mine"
kind = "control"
severity = "low"
when = "NOT code_of_conduct_signed"
message = "No code"
remediation = "Sign it."
due_days = 30
[[rule.cite]]
source = "internal-policy"
quote = "Suppliers sign the code."
[[rule.examples]]
fires = true
row = { code_of_conduct_signed = true }
[[rule.examples]]
fires = false
row = { code_of_conduct_signed = true }
''', encoding="utf-8")
    result = run("rules", "validate", str(tmp_path))
    assert result.exit_code == 2
    assert "MY-001" in result.output and "example 1 should fire" in result.output


def test_rules_docs_check_passes_on_the_committed_docs():
    docs = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert run("rules", "docs", "--check", "--output", str(docs)).exit_code == 0


def test_rules_docs_check_fails_on_stale_docs(tmp_path: Path):
    stale = tmp_path / "rules.md"
    stale.write_text("# Rules\n", encoding="utf-8")
    assert run("rules", "docs", "--check", "--output", str(stale)).exit_code == 1
