"""Text that a spreadsheet program could run as a formula is written as text."""

from __future__ import annotations

import csv
import io
import zipfile

import polars as pl
import pytest

from auditor.safe_text import escape_frame, escape_text, is_formula_like, xlsx_text_cell

DANGEROUS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1"]
HARMLESS = ["Alpha Textiles", "", "1 = 1", "a-b", "x@y.com", "45%", "'quoted"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_is_prefixed_with_an_apostrophe(text):
    assert is_formula_like(text)
    assert escape_text(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_text_is_unchanged(text):
    assert escape_text(text) == text


def test_numbers_and_none_pass_through():
    assert escape_text(-5) == -5 and escape_text(None) is None and escape_text(1.5) == 1.5


def test_escape_frame_escapes_string_columns_only():
    frame = pl.DataFrame({"name": [*DANGEROUS, "Alpha", None], "n": list(range(len(DANGEROUS) + 2))})
    out = escape_frame(frame)
    assert out.get_column("name").to_list() == [escape_text(t) for t in DANGEROUS] + ["Alpha", None]
    assert out.get_column("n").to_list() == frame.get_column("n").to_list()


def test_csv_written_from_escaped_frame_has_no_cell_starting_with_a_trigger():
    out = escape_frame(pl.DataFrame({"name": DANGEROUS}))
    cells = [row[0] for row in csv.reader(io.StringIO(out.write_csv()))][1:]
    assert cells and all(not is_formula_like(c) for c in cells)


def test_xlsx_text_cell_stores_a_string_not_a_formula(tmp_path):
    from openpyxl import Workbook, load_workbook

    workbook = Workbook()
    for i, text in enumerate(DANGEROUS, 1):
        xlsx_text_cell(workbook.active.cell(row=i, column=1), text)
    path = tmp_path / "out.xlsx"
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    values = [row[0] for row in load_workbook(path).active.iter_rows(values_only=True)]
    assert values == DANGEROUS
