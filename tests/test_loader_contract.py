"""The loader reads every row, keeps spreadsheet row numbers and reports what it cannot use."""

from __future__ import annotations

import polars as pl
import pytest
from openpyxl import Workbook

from auditor.errors import InputError
from auditor.load import load
from tests.support import write_csv


def _only(frame: pl.DataFrame, **where: object) -> dict:
    rows = frame.filter(*[pl.col(k) == v for k, v in where.items()]).to_dicts()
    assert len(rows) == 1, rows
    return rows[0]


def test_text_in_a_numeric_column_is_reported_with_its_row_number(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["supplier_id", "supplier_name", "headcount"],
                     [["S1", "One", "120"], ["S2", "Two", "abc"], ["S3", "Three", "80"]])
    loaded = load([path])
    entry = _only(loaded.data_quality, column="headcount")
    assert (entry["row"], entry["cell"], entry["value"]) == (3, "C3", "abc")
    assert entry["problem"] == "not a number"
    assert loaded.suppliers.filter(pl.col("supplier_id") == "S2")["headcount"].to_list() == [None]


def test_headers_match_case_punctuation_and_aliases(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["Supplier ID", "SUPPLIER-NAME", "Recruitment fees paid by workers?"],
                     [["S1", "One", "Yes"]])
    row = load([path]).suppliers.row(0, named=True)
    assert (row["supplier_id"], row["supplier_name"], row["workers_paid_recruitment_fees"]) == ("S1", "One", True)


@pytest.mark.parametrize(("cell", "expected"), [("0.45", 0.45), ("45%", 0.45), (" 45 % ", 0.45), ("n/a", None), ("", None), ("-", None)])
def test_fractions_accept_decimals_and_percentages(tmp_path, cell, expected):
    path = write_csv(tmp_path / "s.csv", ["supplier_id", "supplier_name", "share_migrant_workers"], [["S1", "One", cell]])
    assert load([path]).suppliers["share_migrant_workers"].to_list() == [expected]


def test_a_bare_percentage_number_is_used_with_a_note(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["supplier_id", "supplier_name", "share_migrant_workers"], [["S1", "One", "45"]])
    loaded = load([path])
    assert loaded.suppliers["share_migrant_workers"].to_list() == [0.45]
    assert _only(loaded.data_quality, column="share_migrant_workers")["effect"] == "value used as read"


@pytest.mark.parametrize(("cell", "expected"), [("yes", True), ("Y", True), ("TRUE", True), ("1", True),
                                                ("no", False), ("n", False), ("false", False), ("0", False),
                                                ("unknown", None), ("n/a", None)])
def test_booleans_are_read_leniently_and_unknown_is_never_false(tmp_path, cell, expected):
    path = write_csv(tmp_path / "s.csv", ["supplier_id", "supplier_name", "registered_business"], [["S1", "One", cell]])
    assert load([path]).suppliers["registered_business"].to_list() == [expected]


def test_country_names_become_iso_codes(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["supplier_id", "supplier_name", "country"],
                     [["S1", "One", "Bangladesh"], ["S2", "Two", "vn"], ["S3", "Three", "Côte d'Ivoire"], ["S4", "Four", "Burma"]])
    assert load([path]).suppliers["country"].to_list() == ["BD", "VN", "CI", "MM"]


def test_every_row_is_assessed_or_rejected(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["supplier_id", "supplier_name", "headcount"],
                     [["S1", "One", "1"], ["", "", ""], ["", "No id", "3"], ["S1", "Duplicate", "4"], ["S5", "Five", "5"]])
    loaded = load([path])
    assert loaded.rows_read == 5
    assert loaded.suppliers["supplier_id"].to_list() == ["S1", "S5"]
    assert loaded.rows_read == loaded.suppliers.height + loaded.rows_rejected
    rejected = loaded.data_quality.filter(pl.col("effect") == "row rejected").sort("row")
    assert rejected["row"].to_list() == [3, 4, 5]
    assert rejected["problem"].to_list()[0] == "blank row"
    assert "duplicate supplier_id" in rejected["problem"].to_list()[2]


def test_xlsx_rows_keep_their_spreadsheet_numbers_across_title_and_empty_rows(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Suppliers"
    ws["A1"] = "Supplier self-assessment, Q3 (confidential)"
    ws.append([])
    ws.append(["Supplier ID", "Supplier Name", "Headcount"])
    ws.append(["S1", "One", 10])
    ws.append([None, None, None])
    ws.append(["S2", "Two", "lots"])
    wb.save(tmp_path / "s.xlsx")
    loaded = load([tmp_path / "s.xlsx"])
    assert loaded.suppliers.select("supplier_id", "_row").rows() == [("S1", 4), ("S2", 6)]
    assert _only(loaded.data_quality, column="headcount")["cell"] == "C6"


def test_recruiters_sheet_is_folded_into_supplier_columns(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Suppliers"
    ws.append(["supplier_id", "supplier_name"])
    ws.append(["S1", "One"])
    ws.append(["S2", "Two"])
    rs = wb.create_sheet("Recruiters")
    rs.append(["supplier_id", "recruiter_name", "licence_number", "licence_verified", "charges_workers_fees"])
    rs.append(["S1", "Agency A", "L-1", "yes", "no"])
    rs.append(["S1", "Agency B", "", "no", "yes"])
    rs.append(["S9", "Agency C", "L-3", "yes", "no"])
    wb.save(tmp_path / "s.xlsx")
    loaded = load([tmp_path / "s.xlsx"])
    rows = {r["supplier_id"]: r for r in loaded.suppliers.to_dicts()}
    assert (rows["S1"]["recruiter_count"], rows["S1"]["recruiters_unverified"], rows["S1"]["recruiters_charging_fees"]) == (2, 1, 1)
    assert (rows["S2"]["recruiter_count"], rows["S2"]["recruiters_unverified"]) == (0, 0)
    orphan = _only(loaded.data_quality, sheet="Recruiters")
    assert (orphan["row"], orphan["value"]) == (4, "S9")


def test_a_missing_required_column_is_an_input_error_naming_the_file(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["name", "headcount"], [["One", "1"]])
    with pytest.raises(InputError, match=r"s\.csv.*supplier_id"):
        load([path])
