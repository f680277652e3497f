"""Workbooks as people really build them: titles, merges, odd headers, hidden sheets, dates, formulas."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from auditor.errors import InputError
from auditor.load import load
from conftest import write_xlsx


def _dq(loaded, **where) -> list[dict]:
    frame = loaded.data_quality
    for key, value in where.items():
        frame = frame.filter(pl.col(key) == value)
    return frame.to_dicts()


def test_title_rows_above_header_are_skipped_and_rows_keep_excel_numbers(tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", [["Supplier list Q3"], ["Prepared by sourcing"], [],
                                            ["Supplier ID", "Supplier Name", "Country"], ["S1", "Alpha", "Vietnam"]])
    loaded = load([path])
    assert loaded.suppliers.select("_row", "supplier_id", "country").rows() == [(5, "S1", "VN")]


def test_header_row_option_overrides_detection(tmp_path):
    # Row 1 looks like a header (it names two contract columns) but the real one is row 3.
    path = write_xlsx(tmp_path / "t.xlsx", [["supplier_id", "supplier_name"], ["old export below"],
                                            ["supplier_id", "supplier_name", "headcount"], ["S1", "Alpha", "10"]])
    loaded = load([path], header_row=3)
    assert loaded.suppliers.select("_row", "headcount").rows() == [(4, 10)]


def test_header_row_outside_sheet_is_an_input_error(tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", [["supplier_id", "supplier_name"], ["S1", "Alpha"]])
    with pytest.raises(InputError, match="--header-row 40 is outside the sheet"):
        load([path], header_row=40)


def test_merged_data_cells_are_reported(tmp_path):
    def merge(workbook):
        workbook["Suppliers"].merge_cells("C2:C3")

    path = write_xlsx(tmp_path / "m.xlsx", [["supplier_id", "supplier_name", "country"], ["S1", "Alpha", "VN"], ["S2", "Beta", None]],
                      edit=merge)
    loaded = load([path])
    assert loaded.suppliers.get_column("country").to_list() == ["VN", None]
    [entry] = _dq(loaded, column="country")
    assert entry["cell"] == "C2" and "merged cells C2:C3" in entry["problem"]


def test_blank_header_over_data_is_reported(tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", [["supplier_id", None, "supplier_name"], ["S1", "stray", "Alpha"]])
    loaded = load([path])
    [entry] = [e for e in _dq(loaded) if "no header" in e["problem"]]
    assert entry["cell"] == "B1" and entry["effect"] == "column ignored"


def test_duplicate_header_is_reported_and_first_column_used(tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", [["supplier_id", "supplier_name", "Supplier Name"], ["S1", "Alpha", "Other"]])
    loaded = load([path])
    assert loaded.suppliers.get_column("supplier_name").to_list() == ["Alpha"]
    [entry] = [e for e in _dq(loaded) if "second column" in (e["problem"] or "")]
    assert entry["cell"] == "C1" and "first is column B" in entry["problem"]


def test_hidden_helper_sheet_does_not_hide_the_only_visible_sheet(tmp_path):
    def hide(workbook):
        workbook["Lists"].sheet_state = "hidden"

    path = write_xlsx(tmp_path / "h.xlsx", [["supplier_id", "supplier_name"], ["S1", "Alpha"]], sheet="Data",
                      extra={"Lists": [["yes"], ["no"]]}, edit=hide)
    loaded = load([path])
    assert loaded.suppliers.get_column("_sheet").to_list() == ["Data"]


def test_hidden_suppliers_sheet_is_read_and_reported(tmp_path):
    def hide(workbook):
        workbook["Suppliers"].sheet_state = "hidden"

    path = write_xlsx(tmp_path / "h.xlsx", [["supplier_id", "supplier_name"], ["S1", "Alpha"]],
                      extra={"Cover": [["Read me"]]}, edit=hide)
    loaded = load([path])
    assert loaded.suppliers.height == 1
    assert any("hidden" in e["problem"] for e in _dq(loaded, sheet="Suppliers"))


def test_serial_text_and_real_dates_all_read(tmp_path):
    rows = [["supplier_id", "supplier_name", "last_audit_date"],
            ["S1", "Alpha", dt.date(2024, 3, 1)], ["S2", "Beta", 45352], ["S3", "Gamma", "2024-03-01"],
            ["S4", "Delta", "1 March 2024"], ["S5", "Eps", "someday"]]
    loaded = load([write_xlsx(tmp_path / "d.xlsx", rows)])
    assert loaded.suppliers.get_column("last_audit_date").to_list() == [dt.date(2024, 3, 1)] * 4 + [None]
    [entry] = _dq(loaded, column="last_audit_date")
    assert entry["cell"] == "C6" and entry["value"] == "someday"


def test_formula_without_cached_value_is_reported_not_read_as_blank(tmp_path):
    # openpyxl writes formulas without a calculated value, as any script would.
    rows = [["supplier_id", "supplier_name", "headcount"], ["S1", "Alpha", "=40+2"], ["S2", "Beta", 7]]
    loaded = load([write_xlsx(tmp_path / "f.xlsx", rows)])
    assert loaded.suppliers.get_column("headcount").to_list() == [None, 7]
    [entry] = _dq(loaded, column="headcount")
    assert entry["cell"] == "C2" and entry["value"] == "=40+2" and "formula without a calculated value" in entry["problem"]


def test_32000_character_cell_is_kept_whole(tmp_path):
    name = "Ä" + "x" * 31_998 + "Z"
    loaded = load([write_xlsx(tmp_path / "l.xlsx", [["supplier_id", "supplier_name"], ["S1", name]])])
    assert loaded.suppliers.get_column("supplier_name").to_list() == [name]


def test_right_to_left_and_cjk_text_round_trips(tmp_path):
    names = ["مصنع النسيج الحديث", "上海服装有限公司", "שמלות בע\"מ", "株式会社テキスタイル"]
    rows = [["supplier_id", "supplier_name"], *[[f"S{i}", n] for i, n in enumerate(names)]]
    loaded = load([write_xlsx(tmp_path / "u.xlsx", rows)])
    assert loaded.suppliers.get_column("supplier_name").to_list() == names
    assert loaded.data_quality.is_empty()


def test_empty_suppliers_sheet_is_an_input_error(tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", [])
    with pytest.raises(InputError, match="Suppliers"):
        load([path])


def test_hidden_rows_are_audited_and_reported(tmp_path):
    def hide(workbook):
        workbook["Suppliers"].row_dimensions[3].hidden = True

    path = write_xlsx(tmp_path / "r.xlsx", [["supplier_id", "supplier_name"], ["S1", "Alpha"], ["S2", "Hidden Beta"]], edit=hide)
    loaded = load([path])
    assert loaded.suppliers.get_column("supplier_id").to_list() == ["S1", "S2"]
    [entry] = [e for e in _dq(loaded) if "hidden in Excel" in e["problem"]]
    assert entry["row"] == 3 and "row(s) 3 " in entry["problem"]


@pytest.mark.parametrize("scan_bytes", [2, 3, 5, 64])
def test_a_formula_is_found_whatever_chunk_the_sheet_is_scanned_in(tmp_path, monkeypatch, scan_bytes):
    from auditor import xlsx_inspect

    monkeypatch.setattr(xlsx_inspect, "_SCAN_BYTES", scan_bytes)  # markers cut across chunk boundaries
    rows = [["supplier_id", "supplier_name", "headcount"], ["S1", "Alpha of fifty", "=40+2"], ["S2", "Beta", 7], ["S3", "Gamma", 8]]

    def merge(workbook):
        workbook["Suppliers"].merge_cells("B3:B4")

    loaded = load([write_xlsx(tmp_path / "f.xlsx", rows, edit=merge)])
    [formula] = _dq(loaded, column="headcount")
    assert formula["cell"] == "C2" and "formula without a calculated value" in formula["problem"]
    assert any("merged cells B3:B4" in entry["problem"] for entry in _dq(loaded))


def test_letters_f_in_text_are_not_taken_for_formulas():
    from auditor import xlsx_inspect

    assert not xlsx_inspect._formula_tag(b'<c r="B2" t="inlineStr"><is><t>Fifty fine fabrics: for staff</t></is></c>')
    assert all(xlsx_inspect._formula_tag(xml) for xml in (b"<c><f>SUM(A1)</f></c>", b"<x:c><x:f>1+1</x:f>", b'<x:f t="shared"/>'))


@pytest.mark.parametrize("scan_bytes", [2, 5, 64])
def test_a_merged_range_alone_is_found_whatever_chunk_the_sheet_is_scanned_in(tmp_path, monkeypatch, scan_bytes):
    from auditor import xlsx_inspect

    monkeypatch.setattr(xlsx_inspect, "_SCAN_BYTES", scan_bytes)
    rows = [["supplier_id", "supplier_name", "headcount"], ["S1", "Alpha", 6], ["S2", "Beta", 7], ["S3", "Gamma", 8]]

    def merge(workbook):
        workbook["Suppliers"].merge_cells("B3:B4")

    assert any("merged cells B3:B4" in entry["problem"] for entry in _dq(load([write_xlsx(tmp_path / "m.xlsx", rows, edit=merge)])))
