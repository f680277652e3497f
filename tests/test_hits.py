"""The outcome matrix: one row per supplier row, one column per rule (TRUE finding, FALSE silent, NULL unknown)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from auditor import engine, hits, load, rules
from auditor.audit import default_rules_dirs

SAMPLE = Path(__file__).resolve().parents[1] / "sample_suppliers" / "sample_suppliers.xlsx"


def _sample_evaluation() -> tuple[pl.DataFrame, engine.Evaluation]:
    loaded = load.load([SAMPLE])
    return loaded.suppliers, engine.evaluate(loaded.suppliers, rules.load_rules(default_rules_dirs()), loaded.letters)


def test_a_matrix_rebuilt_from_findings_and_unknowns_equals_the_engines():
    suppliers, evaluation = _sample_evaluation()
    rule_ids = evaluation.hits.columns
    by_hand = engine.Evaluation(findings=evaluation.findings, not_evaluable=evaluation.not_evaluable, rule_counts=evaluation.rule_counts)
    ids = suppliers.get_column("supplier_id")
    assert_frame_equal(hits.matrix(by_hand, ids, rule_ids), hits.matrix(evaluation, ids, rule_ids))


def test_matrix_cells_count_the_findings_and_unknowns_of_each_rule():
    suppliers, evaluation = _sample_evaluation()
    outcome = hits.matrix(evaluation, suppliers.get_column("supplier_id"), evaluation.hits.columns)
    counts = {r["rule_id"]: (r["fired"], r["not_evaluable"]) for r in evaluation.rule_counts.iter_rows(named=True)}
    for rule_id in outcome.columns:
        column = outcome.get_column(rule_id)
        assert (column.fill_null(False).sum(), column.null_count()) == counts[rule_id]


def test_a_rule_the_evaluation_did_not_run_is_silent():
    suppliers, evaluation = _sample_evaluation()
    outcome = hits.matrix(evaluation, suppliers.get_column("supplier_id"), ["ZZ-999"])
    assert outcome.height == suppliers.height and not outcome.get_column("ZZ-999").any()


def test_codes_lay_the_cells_out_column_after_column():
    outcome = pl.DataFrame({"A": [True, False, None], "B": [None, True, False]})
    codes = hits.codes(outcome)
    assert codes.to_list() == [hits.FINDING, hits.SILENT, hits.UNKNOWN, hits.UNKNOWN, hits.FINDING, hits.SILENT]
    assert codes[1 * outcome.height + 2] == hits.SILENT  # column B, row 2


def test_long_lists_only_the_cells_that_are_not_silent():
    outcome = pl.DataFrame({"A": [True, False, None], "B": [None, True, False]})
    assert sorted(hits.long(outcome).rows()) == [(0, 0, hits.FINDING), (0, 1, hits.UNKNOWN), (1, 1, hits.FINDING), (2, 0, hits.UNKNOWN)]
