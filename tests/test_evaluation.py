"""Rules are evaluated with SQL three-valued logic: TRUE fires, FALSE is silent, NULL is not evaluable."""

from __future__ import annotations

import polars as pl

from auditor.audit import run_audit
from tests.support import write_csv

HEADER = ["supplier_id", "supplier_name", "workers_paid_recruitment_fees", "max_recruitment_fee_usd", "lowest_monthly_wage_usd"]


def _audit(tmp_path, rows):
    path = write_csv(tmp_path / "s.csv", HEADER, rows)
    return run_audit([path], select=["RF-001", "RF-003"])


def test_true_raises_a_finding_with_its_message_and_source_cell(tmp_path):
    result = _audit(tmp_path, [["S1", "One", "yes", "450", "300"]])
    finding = result.findings.filter(pl.col("rule_id") == "RF-001").row(0, named=True)
    assert finding["message"] == "Workers paid recruitment fees (highest reported: 450 USD)"
    assert (finding["file"].endswith("s.csv"), finding["row"], finding["cell"]) == (True, 2, "C2")
    assert finding["fingerprint"].startswith("RF-001:")


def test_each_finding_cell_uses_the_column_letter_of_its_own_file(tmp_path):
    first = write_csv(tmp_path / "a.csv", HEADER, [["S1", "One", "yes", "450", "300"]])
    reordered = [HEADER[0], HEADER[1], "lowest_monthly_wage_usd", "max_recruitment_fee_usd", "workers_paid_recruitment_fees"]
    second = write_csv(tmp_path / "b.csv", reordered, [["S2", "Two", "300", "450", "yes"], ["S3", "Three", "300", "450", "yes"]])
    result = run_audit([first, second], select=["RF-001"])
    cells = dict(result.findings.select("supplier_id", "cell").iter_rows())
    assert cells == {"S1": "C2", "S2": "E2", "S3": "E3"}


def test_false_is_silent(tmp_path):
    result = _audit(tmp_path, [["S1", "One", "no", "0", "300"]])
    assert result.findings.filter(pl.col("rule_id") == "RF-001").is_empty()
    assert result.evaluation.not_evaluable.filter(pl.col("rule_id") == "RF-001").is_empty()


def test_unknown_input_makes_the_rule_not_evaluable_never_a_pass(tmp_path):
    result = _audit(tmp_path, [["S1", "One", "n/a", "", "300"]])
    assert result.findings.is_empty()
    entry = result.evaluation.not_evaluable.filter(pl.col("rule_id") == "RF-001").row(0, named=True)
    assert entry["missing"] == ["workers_paid_recruitment_fees", "max_recruitment_fee_usd"]


def test_one_known_true_input_is_enough_under_or(tmp_path):
    result = _audit(tmp_path, [["S1", "One", "unknown", "80", "300"]])
    assert result.findings.filter(pl.col("rule_id") == "RF-001").height == 1


def test_rule_counts_add_up_for_every_rule(tmp_path):
    result = _audit(tmp_path, [["S1", "One", "yes", "450", "300"], ["S2", "Two", "no", "0", "300"], ["S3", "Three", "", "", ""]])
    for row in result.evaluation.rule_counts.iter_rows(named=True):
        assert row["fired"] + row["silent"] + row["not_evaluable"] == 3


def test_fingerprints_survive_row_moves(tmp_path):
    first = _audit(tmp_path, [["S1", "One", "yes", "450", "300"], ["S2", "Two", "yes", "900", "300"]])
    (tmp_path / "s.csv").unlink()
    moved = _audit(tmp_path, [["S2", "Two", "yes", "900", "300"], ["S1", "One", "yes", "450", "300"]])
    assert sorted(first.findings["fingerprint"]) == sorted(moved.findings["fingerprint"])


def test_the_missing_list_names_the_null_columns_in_rule_order_however_many_there_are():
    from auditor.engine import missing_expr

    few = ["a", "b", "c"]
    many = [f"c{i}" for i in range(10)]
    frame = pl.DataFrame({c: [None, 1, None] for c in few} | {c: [1 if i % 2 else None, 1, 1] for i, c in enumerate(many)})
    frame = frame.with_columns(pl.Series("b", [1, None, None]))
    assert frame.select(missing_expr(few)).to_series().to_list() == [["a", "c"], ["b"], ["a", "b", "c"]]
    assert frame.select(missing_expr(many)).to_series().to_list() == [[c for i, c in enumerate(many) if i % 2 == 0], [], []]


def test_hashes_made_in_batches_equal_one_at_a_time(monkeypatch):
    from auditor import engine

    monkeypatch.setattr(engine, "HASH_BATCH", 3)
    texts = pl.Series([f"SUP-{i}" for i in range(10)])
    assert engine._sha256_prefixes(texts).to_list() == [engine.stable_hash(t) for t in texts.to_list()]
