"""Rule packs: validated strictly, screened before polars sees them, every error reported at once."""

from __future__ import annotations


import pytest

from auditor.audit import default_rules_dirs
from auditor.errors import RulesError
from auditor.examples import check_examples
from auditor.rules import load_rules, select_rules
from tests.support import run_cli

GOOD_RULE = """
[[rule]]
id = "XX-001"
title = "A test rule"
kind = "indicator"
severity = "high"
when = "{when}"
message = "m"
remediation = "r"
due_days = 30
[[rule.cite]]
source = "vienna-forum-2008"
paragraph = "199"
quote = "providing guidance on recruitment fees"
[[rule.examples]]
fires = true
row = {{ workers_paid_recruitment_fees = true }}
[[rule.examples]]
fires = false
row = {{ workers_paid_recruitment_fees = false }}
"""


def _pack(tmp_path, when: str, name: str = "pack.toml"):
    path = tmp_path / name
    path.write_text(GOOD_RULE.format(when=when), encoding="utf-8")
    return path


BUNDLED = load_rules(default_rules_dirs())


@pytest.mark.parametrize("compiled", BUNDLED, ids=lambda c: c.id)
def test_every_bundled_rule_cites_a_source_with_a_quote(compiled):
    assert compiled.rule.cite and all(c.quote.strip() for c in compiled.rule.cite)


def test_the_starter_set_covers_the_four_mission_areas():
    prefixes = {c.rule.prefix for c in BUNDLED}
    assert {"RF", "CT", "IN", "SR"} <= prefixes
    assert len(BUNDLED) >= 12


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("country IN (SELECT token FROM read_csv('/etc/hostname'))", "keyword SELECT is not allowed"),
        ("workers_paid_recruitment_fees; DROP TABLE x", "';' is not allowed"),
        ("no_such_column > 1", "unknown column 'no_such_column'"),
        ("read_parquet('x.parquet') IS NULL", "function read_parquet() is not in the allowlist"),
        ("MAX(headcount) > 10", "function MAX() is not in the allowlist"),
        ("headcount + 1", "must be a true/false condition"),
        ("country = 5", "does not compile"),
    ],
)
def test_unsafe_or_invalid_conditions_are_rejected_naming_file_and_rule(tmp_path, when, expected):
    _pack(tmp_path, when)
    with pytest.raises(RulesError) as caught:
        load_rules([tmp_path])
    (problem,) = caught.value.problems
    assert "pack.toml: XX-001: when:" in problem
    assert expected in problem


def test_every_error_in_every_file_is_reported_at_once(tmp_path):
    _pack(tmp_path, "no_such_column > 1", "a.toml")
    (tmp_path / "b.toml").write_text(GOOD_RULE.format(when="headcount > 1").replace('severity = "high"', 'severity = "extreme"\nseverty = "x"'))
    with pytest.raises(RulesError) as caught:
        load_rules([tmp_path])
    text = "\n".join(caught.value.problems)
    assert "a.toml: XX-001: when: unknown column" in text
    assert "b.toml: XX-001: severity:" in text
    assert "b.toml: XX-001: severty: Extra inputs are not permitted" in text


def test_a_bad_pack_exits_2_with_file_and_rule_named(tmp_path):
    _pack(tmp_path, "headcount > (SELECT 1)")
    code, _, err = run_cli("rules", "validate", str(tmp_path))
    assert code == 2
    assert "pack.toml: XX-001: when: keyword SELECT is not allowed" in err


def test_audit_with_a_bad_pack_exits_2(tmp_path):
    _pack(tmp_path, "headcount > 1; SELECT 1")
    code, _, err = run_cli("audit", "sample_suppliers/sample_suppliers.xlsx", "--rules", str(tmp_path))
    assert code == 2
    assert "XX-001" in err


def test_a_bad_pack_is_reported_before_a_bad_input_file(tmp_path):
    # The rules load while the files are read: a broken rule must still be the error the user sees first.
    _pack(tmp_path, "headcount > 1; SELECT 1")
    code, _, err = run_cli("audit", str(tmp_path / "no-such-file.csv"), "--rules", str(tmp_path))
    assert code == 2
    assert "XX-001" in err
    assert "no such file" not in err


def test_an_example_that_does_not_do_what_it_says_is_reported(tmp_path):
    _pack(tmp_path, "NOT workers_paid_recruitment_fees")
    (compiled,) = load_rules([tmp_path])
    problems = check_examples(compiled)
    assert len(problems) == 2
    assert "example 1 should fire but stayed silent" in problems[0]


def test_select_and_ignore_take_ids_prefixes_and_categories():
    ids = lambda rules: {c.id for c in rules}  # noqa: E731
    assert ids(select_rules(BUNDLED, ["RF"])) == {c.id for c in BUNDLED if c.id.startswith("RF-")}
    assert ids(select_rules(BUNDLED, ["contracts"])) == {c.id for c in BUNDLED if c.id.startswith("CT-")}
    assert "CT-001" not in ids(select_rules(BUNDLED, ignore=["CT-001"]))


def test_a_selector_that_matches_nothing_is_an_error():
    with pytest.raises(RulesError, match="ZZ"):
        select_rules(BUNDLED, ["ZZ"])


def test_rule_show_prints_the_quote_and_paragraph():
    code, out, _ = run_cli("rules", "show", "RF-001")
    assert code == 0
    assert "providing guidance on recruitment fees" in out
    assert "¶199" in out
