"""CSV files as people really save them: encodings, delimiters, quoting and number formats."""

from __future__ import annotations

import polars as pl
import pytest

from auditor.load import load

HEADER = "supplier_id{d}supplier_name{d}country{d}headcount{d}max_recruitment_fee_usd{d}share_migrant_workers"


def _csv(tmp_path, text: str, encoding: str = "utf-8", name: str = "s.csv", delimiter: str = ",") -> object:
    path = tmp_path / name
    path.write_bytes(text.replace("{d}", delimiter).encode(encoding))
    return path


def _one(loaded, column: str):
    return loaded.suppliers.get_column(column).to_list()


def test_utf8_with_bom_header_is_matched(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "supplier_id,supplier_name\nS1,Café Ñandú\n".encode())
    loaded = load([path])
    assert _one(loaded, "supplier_id") == ["S1"]
    assert _one(loaded, "supplier_name") == ["Café Ñandú"]


def test_cp1252_text_is_decoded(tmp_path):
    path = _csv(tmp_path, "supplier_id,supplier_name\nS1,Société Générale – Œuvre\n", encoding="cp1252")
    assert _one(load([path]), "supplier_name") == ["Société Générale – Œuvre"]


def test_latin1_text_is_decoded(tmp_path):
    path = _csv(tmp_path, "supplier_id,supplier_name\nS1,Fábrica São João\n", encoding="latin-1")
    assert _one(load([path]), "supplier_name") == ["Fábrica São João"]


def test_semicolon_delimiter_with_decimal_commas(tmp_path):
    text = HEADER + "\nS1{d}Alpha{d}VN{d}1.200{d}450,50{d}0,45\n"
    # European Excel: ';' between fields, ',' as decimal mark, '.' grouping thousands.
    path = _csv(tmp_path, text, delimiter=";")
    loaded = load([path])
    assert _one(loaded, "max_recruitment_fee_usd") == [450.5]
    assert _one(loaded, "share_migrant_workers") == [0.45]


def test_tab_delimiter(tmp_path):
    path = _csv(tmp_path, HEADER + "\nS1{d}Alpha{d}VN{d}120{d}0{d}10%\n", delimiter="\t", name="s.tsv")
    loaded = load([path])
    assert _one(loaded, "headcount") == [120]
    assert _one(loaded, "share_migrant_workers") == [0.1]


def test_quoted_newline_stays_in_one_cell_and_rows_keep_numbers(tmp_path):
    path = _csv(tmp_path, 'supplier_id,supplier_name,country\nS1,"Alpha\nTextiles",VN\nS2,Beta,TH\n')
    loaded = load([path])
    assert _one(loaded, "supplier_name") == ["Alpha\nTextiles", "Beta"]
    assert loaded.rows_read == 2


def test_thousands_separators_are_read(tmp_path):
    path = _csv(tmp_path, 'supplier_id,supplier_name,headcount,max_recruitment_fee_usd\nS1,Alpha,"1,200","$2,500.75"\n')
    loaded = load([path])
    assert _one(loaded, "headcount") == [1200]
    assert _one(loaded, "max_recruitment_fee_usd") == [2500.75]


def test_non_breaking_spaces_are_trimmed_and_group_digits(tmp_path):
    path = _csv(tmp_path, "supplier_id,supplier_name,country,headcount\n\u00a0S1\u00a0,Alpha\u00a0\u00a0,\u00a0VN,1\u00a0200\n")
    loaded = load([path])
    assert _one(loaded, "supplier_id") == ["S1"]
    assert _one(loaded, "country") == ["VN"]
    assert _one(loaded, "headcount") == [1200]


def test_unparseable_cell_names_file_row_column_and_cell(tmp_path):
    path = _csv(tmp_path, "supplier_id,supplier_name,headcount\nS1,Alpha,lots\n")
    dq = load([path]).data_quality.filter(pl.col("column") == "headcount").row(0, named=True)
    assert (dq["file"], dq["row"], dq["cell"], dq["value"]) == (str(path), 2, "C2", "lots")
    assert "not a number" in dq["problem"]


def test_cells_beyond_the_header_are_reported_not_dropped(tmp_path):
    path = _csv(tmp_path, "supplier_id,supplier_name\nS1,Alpha,stray,more\nS2,Beta\n")
    loaded = load([path])
    assert loaded.rows_read == 2
    notes = [e for e in loaded.data_quality.to_dicts() if "no header" in e["problem"]]
    assert [(e["cell"], e["effect"]) for e in notes] == [("C1", "column ignored"), ("D1", "column ignored")]


def test_excel_unicode_text_export_utf16_tab_delimited(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("supplier_id\tsupplier_name\tcountry\nS1\t上海服装\tChina\n".encode("utf-16"))
    loaded = load([path])
    assert loaded.suppliers.select("supplier_name", "country").rows() == [("上海服装", "CN")]


def test_broken_utf16_is_an_input_error(tmp_path):
    from auditor.errors import InputError

    path = tmp_path / "broken.csv"
    path.write_bytes(b"\xff\xfe" + "supplier_id".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate half
    with pytest.raises(InputError, match="encoding"):
        load([path])


def test_unclosed_quote_names_the_row(tmp_path, run_cli):
    path = _csv(tmp_path, 'supplier_id,supplier_name,country\nS1,Alpha 5" Mill,VN\nS2,"Beta,TH\nS3,Gamma,CN\n')
    code, _, err = run_cli("audit", path)
    assert code == 2 and err.count("\n") == 1
    assert f"{path} row 3: not a readable CSV file" in err
