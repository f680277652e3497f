"""Hostile rule conditions are rejected before polars sees them, and no file is ever read."""

from __future__ import annotations

import polars as pl
import pytest

from auditor import rules, sqlguard
from auditor.errors import RulesError

SECRET = "TOP-SECRET-3f9a1c"

HOSTILE = {
    "select": "headcount > 0 AND (SELECT 1) = 1",
    "subquery": "supplier_id IN (SELECT supplier_id FROM read_csv('{path}'))",
    "read_csv": "read_csv('{path}') IS NOT NULL",
    "read_parquet": "read_parquet('{path}') IS NOT NULL",
    "read_ndjson": "read_ndjson('{path}') IS NOT NULL",
    "read_json": "read_json('{path}') IS NOT NULL",
    "url": "supplier_name = 'https://example.invalid/x.csv'",
    "file_url": "supplier_name = 'file:///etc/passwd'",
    "semicolon": "headcount > 0; SELECT * FROM read_csv('{path}')",
    "unknown_function": "evil(headcount) > 0",
    "with": "WITH t AS (SELECT 1) headcount > 0",
    "quoted_identifier": '"headcount" > 0',
    "comment": "headcount > 0 -- sneaky",
    "union": "headcount > 0 UNION SELECT 1",
    "unknown_column": "password > 0",
    "upper_case_and_spaces": "READ_CSV  ('{path}') IS NOT NULL",
    "fullwidth_lookalike": "ｒｅａｄ_csv('{path}') IS NOT NULL",
    "newline_select": "headcount > 0 AND supplier_id IN (\nselect\nsupplier_id from read_csv('{path}'))",
    "read_csv_as_bare_word": "read_csv IS NOT NULL",
}


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text(f"supplier_id\n{SECRET}\n")
    return path


@pytest.fixture
def polars_must_not_see(monkeypatch):
    """Fail the test if a condition reaches polars' SQL parser."""
    def trap(*args, **kwargs):
        raise AssertionError(f"polars.sql_expr was called with {args!r}")

    monkeypatch.setattr(pl, "sql_expr", trap)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_condition_is_screened_out(name, secret_file, polars_must_not_see):
    sql = HOSTILE[name].format(path=secret_file)
    assert sqlguard.screen(sql, pl.Schema({"headcount": pl.Int64, "supplier_id": pl.String, "supplier_name": pl.String}).names())
    with pytest.raises(ValueError) as raised:
        rules.compile_condition(sql)
    assert SECRET not in str(raised.value)


def _pack(tmp_path, when: str) -> object:
    """A rule pack that is valid in every way except, possibly, its condition."""
    from auditor.reference import bundled_rules_dir

    text = (bundled_rules_dir() / "sector.toml").read_text(encoding="utf-8")
    original = '''when = "sector_risk = 'high'"'''
    assert original in text
    path = tmp_path / "evil.toml"
    path.write_text(text.replace(original, f"when = {when!r}" if '"' in when else f'when = "{when}"'), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["subquery", "read_csv", "read_parquet", "semicolon"])
def test_hostile_rule_pack_fails_with_exit_2_and_leaks_nothing(name, tmp_path, secret_file, run_cli):
    pack = _pack(tmp_path, HOSTILE[name].format(path=secret_file))
    code, out, err = run_cli("rules", "validate", pack)
    assert code == 2
    assert "SR-001" in err
    assert SECRET not in out + err


def test_hostile_rule_pack_raises_rules_error_naming_rule(tmp_path, secret_file):
    with pytest.raises(RulesError) as raised:
        rules.load_rules([_pack(tmp_path, HOSTILE["read_csv"].format(path=secret_file))])
    assert any("SR-001" in p and "read_csv" in p for p in raised.value.problems)
    assert SECRET not in str(raised.value)


def test_plain_condition_still_compiles():
    expr = rules.compile_condition("headcount > 10 AND coalesce(uses_recruiters, false)")
    assert isinstance(expr, pl.Expr)


def test_the_same_pack_with_a_plain_condition_loads(tmp_path):
    assert [c.id for c in rules.load_rules([_pack(tmp_path, "sector_risk = 'high'")])][:1] == ["SR-001"]
