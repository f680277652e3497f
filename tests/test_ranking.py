"""Scoring: critical indicators dominate, unknown is never clean, and the ranking is total and stable."""

from __future__ import annotations

from auditor.audit import run_audit
from tests.support import write_csv

HEADER = ["supplier_id", "supplier_name", "contract_substitution_found", "share_documents_held_by_employer",
          "share_written_contracts", "registered_business", "homeworkers_or_outworkers"]


SELECT = ["CT-003", "DOC-001", "CT-001", "IN-001", "IN-003"]  # rules reading only the columns above


def _ranked(tmp_path, rows):
    path = write_csv(tmp_path / "s.csv", HEADER, rows)
    return {r["supplier_id"]: r for r in run_audit([path], select=SELECT).suppliers.to_dicts()}


def test_a_critical_indicator_makes_the_supplier_critical_whatever_its_score(tmp_path):
    ranked = _ranked(tmp_path, [["S1", "One", "yes", "0", "1", "yes", "no"], ["S2", "Two", "no", "0", "0.5", "no", "yes"]])
    assert ranked["S1"]["tier"] == "critical"
    assert ranked["S2"]["tier"] != "critical"
    assert ranked["S1"]["rank"] == 1


def test_an_unknown_supplier_ranks_above_a_verified_clean_one_with_lower_confidence(tmp_path):
    ranked = _ranked(tmp_path, [["CLEAN", "Clean", "no", "0", "1", "yes", "no"], ["DARK", "Dark Ltd", "", "", "", "", ""]])
    assert ranked["DARK"]["rank"] < ranked["CLEAN"]["rank"]
    assert ranked["DARK"]["confidence"] < ranked["CLEAN"]["confidence"]
    assert ranked["DARK"]["score"] > ranked["CLEAN"]["score"]


def test_ties_break_on_supplier_id_so_ranks_are_deterministic(tmp_path):
    rows = [[f"S{i}", f"Same {i}", "no", "0", "1", "yes", "no"] for i in (3, 1, 2)]
    ranked = _ranked(tmp_path, rows)
    assert [ranked[s]["rank"] for s in ("S1", "S2", "S3")] == [1, 2, 3]
