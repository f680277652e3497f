"""Bad values are reported cell by cell; no row disappears without a data-quality entry."""

from __future__ import annotations

import polars as pl
import pytest

from auditor.errors import InputError
from auditor.load import load


def _csv(tmp_path, text: str, name: str = "s.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _dq(loaded, column: str) -> list[dict]:
    return loaded.data_quality.filter(pl.col("column") == column).to_dicts()


def test_duplicate_supplier_id_is_reported_and_counted(tmp_path):
    path = _csv(tmp_path, "supplier_id,supplier_name\nS1,Alpha\nS2,Beta\nS1,Alpha again\n")
    loaded = load([path])
    assert loaded.suppliers.get_column("supplier_id").to_list() == ["S1", "S2"]
    [entry] = _dq(loaded, "supplier_id")
    assert entry["row"] == 4 and entry["cell"] == "A4" and entry["effect"] == "row rejected"
    assert "duplicate supplier_id" in entry["problem"] and "row 2" in entry["problem"]
    assert loaded.rows_read == loaded.suppliers.height + loaded.rows_rejected == 3


def test_missing_required_column_names_file_row_and_headers(tmp_path):
    path = _csv(tmp_path, "supplier_name,country\nAlpha,VN\n")
    with pytest.raises(InputError) as raised:
        load([path])
    message = str(raised.value)
    assert str(path) in message and "row 1" in message and "supplier_id" in message and "supplier_name, country" in message


def test_fraction_above_one_is_reported_not_used(tmp_path):
    path = _csv(tmp_path, "supplier_id,supplier_name,share_migrant_workers\nS1,Alpha,140%\nS2,Beta,250\nS3,Gamma,1.5\n")
    loaded = load([path])
    # A bare number from 1 to 100 is read as a percentage (DESIGN.md §3), with a note; above 100 it is not a share.
    assert loaded.suppliers.get_column("share_migrant_workers").to_list() == [None, None, 0.015]
    problems = {e["cell"]: e["problem"] for e in _dq(loaded, "share_migrant_workers")}
    assert "outside 0–1" in problems["C2"] and "outside 0–1" in problems["C3"]
    assert "read as a percentage" in problems["C4"]


def test_negative_count_is_reported_not_used(tmp_path):
    path = _csv(tmp_path, "supplier_id,supplier_name,headcount\nS1,Alpha,-5\n")
    loaded = load([path])
    assert loaded.suppliers.get_column("headcount").to_list() == [None]
    [entry] = _dq(loaded, "headcount")
    assert entry["cell"] == "C2" and entry["value"] == "-5" and "below the minimum" in entry["problem"]


def test_parent_link_to_unknown_supplier_is_reported_and_row_kept(tmp_path):
    from auditor.audit import run_audit

    path = _csv(tmp_path, "supplier_id,supplier_name,parent_supplier_id\nS1,Alpha,\nS2,Beta,S1\nS3,Gamma,S9\n")
    result = run_audit([path])  # link checks belong to the scoring model (auditor/inherit.py), which reports them
    assert result.suppliers.height == 3
    [entry] = _dq(result.loaded, "parent_supplier_id")
    assert (entry["row"], entry["cell"], entry["value"]) == (4, "C4", "S9")
    assert "not in the input" in entry["problem"]


def test_blank_rows_and_missing_names_are_rejected_with_entries(tmp_path):
    path = _csv(tmp_path, "supplier_id,supplier_name\nS1,Alpha\n,\nS3,\n")
    loaded = load([path])
    assert loaded.suppliers.height == 1
    rejected = loaded.data_quality.filter(pl.col("effect") == "row rejected")
    assert sorted(rejected.get_column("row").to_list()) == [3, 4]


def test_reconciliation_holds_per_file(tmp_path):
    one = _csv(tmp_path, "supplier_id,supplier_name\nS1,Alpha\nS1,Dup\n", "one.csv")
    two = _csv(tmp_path, "supplier_id,supplier_name\nS2,Beta\n,\nS3,Gamma\n", "two.csv")
    loaded = load([one, two])
    by_file = {f["file"]: f for f in loaded.files}
    assert by_file[str(one)] == {"file": str(one), "rows_read": 2, "rows_assessed": 1, "rows_rejected": 1}
    assert by_file[str(two)] == {"file": str(two), "rows_read": 3, "rows_assessed": 2, "rows_rejected": 1}
    for f in loaded.files:
        rejected = loaded.data_quality.filter((pl.col("file") == f["file"]) & (pl.col("effect") == "row rejected")).height
        assert f["rows_rejected"] == rejected


def test_summary_carries_per_file_counts(tmp_path):
    from auditor.audit import run_audit

    path = _csv(tmp_path, "supplier_id,supplier_name\nS1,Alpha\n")
    summary = run_audit([path]).summary()
    assert summary["files"] == [{"file": str(path), "rows_read": 1, "rows_assessed": 1, "rows_rejected": 0}]


def test_infinite_and_huge_numbers_are_reported_not_crashing(tmp_path):
    path = _csv(tmp_path, "supplier_id,supplier_name,headcount,avg_weekly_hours\nS1,A,INFINITY,NaN\nS2,B,1e19,1e400\n")
    loaded = load([path])
    assert loaded.suppliers.select("headcount", "avg_weekly_hours").rows() == [(None, None), (None, None)]
    problems = {e["cell"]: e["problem"] for e in loaded.data_quality.to_dicts()}
    assert problems == {"C2": "not a number", "D2": "not a number", "C3": "number too large", "D3": "not a number"}
