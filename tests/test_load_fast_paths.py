"""The loader's fast paths give the same typed values and data-quality notes as parsing every cell."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from auditor import load, schema
from auditor.audit import run_audit


def _raw_sheet(columns: dict[str, list[str | None]]) -> load.RawSheet:
    frame = pl.DataFrame({load.ROW: list(range(2, 2 + len(next(iter(columns.values())))))} | columns,
                         schema={load.ROW: pl.Int64} | {k: pl.String for k in columns})
    letters = {name: load.column_letter(i) for i, name in enumerate(columns)}
    return load.RawSheet(file="f.csv", sheet=None, kind="suppliers", frame=frame, letters=letters, header_row=1)


MESSY = {
    "supplier_id": ["S1", "S2", "S3", "S4", "S5", "S6"],
    "supplier_name": ["A", "B", "C", "D", "E", "F"],
    "headcount": ["120", "120", "1,200", "about 300", "nan", None],
    "share_migrant_workers": ["45%", "45", "0.45", "140%", "n/a", "45%"],
    "uses_recruiters": ["Yes", " yes ", "maybe", "N", "", "Yes"],
    "last_audit_date": ["2024-05-01", "45000", "31/02/2025", "2024-05-01 00:00:00", "-", "2024-05-01"],
    "country": ["Bangladesh", "BD", "Atlantis", "bd", None, "BD"],
}


def test_typed_values_match_parsing_each_cell_directly():
    raw = _raw_sheet(MESSY)
    frame, _ = load.type_sheet(raw)
    for name in MESSY:
        if name == "supplier_id":
            continue
        expected, _ = load.parse_cells(raw.frame.get_column(name), schema.spec(name))
        assert frame.get_column(name).to_list() == expected.to_list(), name


def test_each_problem_cell_is_reported_once_with_its_raw_text():
    _, dq = load.type_sheet(_raw_sheet(MESSY))
    reported = set(zip(dq.get_column("cell").to_list(), dq.get_column("value").to_list()))
    assert ("C5", "about 300") in reported
    assert ("C6", "nan") in reported  # "nan" is not a number a person meant
    assert ("D3", "45") in reported  # bare 45 read as 45% with a note
    assert ("E4", "maybe") in reported
    assert ("F4", "31/02/2025") in reported
    assert ("G4", "Atlantis") in reported
    assert dq.height == len(reported)


def test_blank_rows_are_found_anywhere_in_the_sheet():
    columns = {"supplier_id": ["S1", None, " ", "S4"], "supplier_name": ["A", None, "", None], "headcount": ["1", None, None, None]}
    frame, _ = load.type_sheet(_raw_sheet(columns))
    assert frame.get_column("_blank").to_list() == [False, True, True, False]


def test_utf8_bom_csv_header_is_matched(tmp_path: Path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfSupplier ID,Supplier Name\nS1,Acme\n")
    loaded = load.load([path])
    assert loaded.suppliers.get_column("supplier_id").to_list() == ["S1"]


def test_duplicate_ids_are_still_rejected(tmp_path: Path):
    path = tmp_path / "dup.csv"
    path.write_text("Supplier ID,Supplier Name\nS1,A\nS2,B\nS1,C\n", encoding="utf-8")
    loaded = load.load([path])
    assert loaded.suppliers.get_column("supplier_name").to_list() == ["A", "B"]
    assert loaded.data_quality.filter(pl.col("effect") == "row rejected").get_column("row").to_list() == [4]


def test_streaming_evaluation_gives_the_same_result():
    sample = Path(__file__).resolve().parent.parent / "sample_suppliers" / "sample_suppliers.xlsx"
    in_memory = run_audit([sample], streaming=False)
    streamed = run_audit([sample], streaming=True)
    assert_frame_equal(in_memory.findings, streamed.findings)
    assert_frame_equal(in_memory.evaluation.not_evaluable, streamed.evaluation.not_evaluable)
    assert_frame_equal(in_memory.suppliers, streamed.suppliers)


def test_the_json_report_lists_findings_by_supplier_then_rule():
    import json

    from auditor.render import json_report

    sample = Path(__file__).resolve().parent.parent / "sample_suppliers" / "sample_suppliers.xlsx"
    listed = [(f["supplier_id"], f["rule_id"]) for f in json.loads(json_report.render(run_audit([sample])))["findings"]]
    assert len(listed) > 100 and listed == sorted(listed)


def test_a_column_with_no_values_types_as_unknown_without_problems():
    frame, dq = load.type_sheet(_raw_sheet({"supplier_id": ["S1", "S2"], "supplier_name": ["A", "B"],
                                            "headcount": [None, None], "share_migrant_workers": ["", "n/a"]}))
    assert frame.get_column("headcount").to_list() == [None, None]
    assert frame.get_column("share_migrant_workers").to_list() == [None, None]
    assert dq.is_empty()


def test_goods_columns_worked_out_per_distinct_pair_match_row_by_row():
    from auditor import goods

    suppliers = pl.DataFrame({
        "country": ["BD", "BD", None, "CN", "BD", "IN", None, "CN"],
        "products": ["cotton;garments", "cotton;garments", "cotton", "electronics", None, "Rice", None, "electronics"],
    })
    assert_frame_equal(goods.goods_columns(suppliers), goods._goods_columns(suppliers))


def _typed_parquet(path: Path) -> Path:
    import datetime

    pl.DataFrame({
        "Supplier ID": ["S1", "S2", None, None, "S5", "S6"],
        "Supplier Name": ["A", "B", None, None, "E", "F"],
        "headcount": [120, 2**53 - 1, None, 7, 0, None],  # typed as read
        "tier": [1, 2, None, None, 0, 1],  # 0 is below the minimum: parsed from text, with a note
        "share_migrant_workers": [0.45, 1.0, None, None, 0.0, 1e-300],
        "share_agency_workers": [0.45, 45.0, None, None, 0.2, 0.1],  # 45 is read as 45% with a note
        "lowest_monthly_wage_usd": [0.1, 1 / 3, None, None, 5e-324, 1.7976931348623157e308],
        "uses_recruiters": [True, False, None, None, True, None],
        "last_audit_date": [datetime.date(2024, 2, 29), datetime.date(1900, 1, 1), None, None, datetime.date(9999, 12, 31), None],
    }).write_parquet(path)
    return path


def test_typed_parquet_columns_load_exactly_as_their_text_would(tmp_path, monkeypatch):
    path = _typed_parquet(tmp_path / "typed.parquet")
    kept = load.read_raw(path)[0][0].typed
    assert {"headcount", "share_migrant_workers", "lowest_monthly_wage_usd", "uses_recruiters", "last_audit_date"} <= set(kept)
    assert not {"tier", "share_agency_workers"} & set(kept)
    fast = load.load([path])
    monkeypatch.setattr(load, "_typed_as_read", lambda column, spec: False)
    assert not load.read_raw(path)[0][0].typed
    text = load.load([path])
    assert_frame_equal(fast.suppliers, text.suppliers)
    assert_frame_equal(fast.data_quality, text.data_quality)
    assert (fast.rows_read, fast.rows_rejected) == (text.rows_read, text.rows_rejected)
    assert fast.data_quality.filter(pl.col("problem") == "blank row").get_column("row").to_list() == [4]


def test_utf8_csv_read_from_the_file_keeps_text_and_delimiter(tmp_path: Path):
    path = tmp_path / "utf8.csv"
    path.write_text("Supplier ID;Supplier Name\nS1;Café Ñandú\nS2;上海服装\n", encoding="utf-8")
    assert load.load([path]).suppliers.get_column("supplier_name").to_list() == ["Café Ñandú", "上海服装"]


def test_utf8_csv_of_only_white_space_is_empty(tmp_path: Path):
    import pytest

    from auditor.errors import InputError

    path = tmp_path / "blank.csv"
    path.write_text("\u00a0 \n\u202f\n", encoding="utf-8")
    with pytest.raises(InputError, match="the file is empty"):
        load.load([path])


def _streamed_and_whole(path: Path, monkeypatch) -> tuple[load.Loaded, load.Loaded, bool]:
    monkeypatch.setattr(load, "CSV_STREAM_BYTES", 0)
    monkeypatch.setattr(load, "CSV_BLOCK_BYTES", 1200)
    streamed = load.read_raw(path, stream=True)[0][0].more is not None
    in_batches = load.load([path])
    monkeypatch.setattr(load, "CSV_STREAM_BYTES", 2**62)
    return in_batches, load.load([path]), streamed


def _assert_same_load(a: load.Loaded, b: load.Loaded) -> None:
    assert_frame_equal(a.suppliers, b.suppliers)
    assert_frame_equal(a.data_quality, b.data_quality)
    assert_frame_equal(a.letters, b.letters)
    assert (a.rows_read, a.rows_rejected, a.files) == (b.rows_read, b.rows_rejected, b.files)


def _messy_rows(n: int) -> list[str]:
    rows = []
    for i in range(n):
        sid = "S1" if i == 95 else ("" if i == 70 else f"S{i}")  # a duplicate id and a missing one in later batches
        name = "" if i == 70 else f"Name {i}"
        headcount = ["120", "about 300", "\"1,200\"", "", "-5"][i % 5]
        share = ["45%", "45", "0.45", "140%", "n/a"][i % 5] if i > 50 else "0.2"  # new texts after the first batch
        rows.append(f"{sid},{name},{headcount},{share},{'Yes' if i % 3 else 'maybe'}")
    rows[60] = ",,,,"  # a blank row
    rows[110] = "S110,Short row"  # fewer cells than the header
    return rows


def test_a_csv_read_in_row_batches_loads_as_when_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_text("Supplier ID,Supplier Name,Headcount,Share migrant workers,Uses recruiters\n" + "\n".join(_messy_rows(130)) + "\n", encoding="utf-8")
    in_batches, whole, streamed = _streamed_and_whole(path, monkeypatch)
    assert streamed
    _assert_same_load(in_batches, whole)
    assert {"blank row", "duplicate supplier_id (first at " + str(path) + " row 3)"} <= set(whole.data_quality.get_column("problem"))


def test_columns_typed_two_at_a_time_load_as_one_at_a_time(tmp_path, monkeypatch):
    sample = Path(__file__).resolve().parent.parent / "sample_suppliers" / "sample_suppliers.xlsx"
    path = tmp_path / "big.csv"
    path.write_text("Supplier ID,Supplier Name,Headcount,Share migrant workers,Uses recruiters\n" + "\n".join(_messy_rows(130)) + "\n", encoding="utf-8")
    monkeypatch.setattr(load, "CSV_STREAM_BYTES", 0)  # the CSV in row batches: texts parsed in one batch are reused in the next
    monkeypatch.setattr(load, "CSV_BLOCK_BYTES", 1200)
    monkeypatch.setattr(load, "TYPING_THREADS", 2)
    together = [load.load([sample]), load.load([path])]
    monkeypatch.setattr(load, "TYPING_THREADS", 1)
    for a, b in zip(together, [load.load([sample]), load.load([path])]):
        _assert_same_load(a, b)
    assert together[1].data_quality.height > 0


def test_a_ragged_row_in_a_later_batch_falls_back_to_the_whole_file(tmp_path, monkeypatch):
    path = tmp_path / "ragged.csv"
    rows = _messy_rows(130)
    rows[100] += ",extra"
    path.write_text("Supplier ID,Supplier Name,Headcount,Share migrant workers,Uses recruiters\n" + "\n".join(rows) + "\n", encoding="utf-8")
    in_batches, whole, _ = _streamed_and_whole(path, monkeypatch)
    _assert_same_load(in_batches, whole)
    assert any("but no header" in p for p in whole.data_quality.get_column("problem"))


def test_a_later_batch_that_fails_falls_back_to_reading_the_whole_file(tmp_path, monkeypatch):
    from dataclasses import replace

    path = tmp_path / "big.csv"
    path.write_text("Supplier ID,Supplier Name,Headcount,Share migrant workers,Uses recruiters\n" + "\n".join(_messy_rows(130)) + "\n", encoding="utf-8")
    whole = load.load([path])
    monkeypatch.setattr(load, "CSV_STREAM_BYTES", 0)
    monkeypatch.setattr(load, "CSV_BLOCK_BYTES", 1200)
    streamed_sheet = load._streamed_csv_sheet

    def failing_after_one_batch(*args, **kwargs):
        raw = streamed_sheet(*args, **kwargs)

        def more():
            yield next(raw.more)
            raise pl.exceptions.ComputeError("found more fields than defined in 'Schema'")  # as a ragged row does
        return replace(raw, more=more())

    monkeypatch.setattr(load, "_streamed_csv_sheet", failing_after_one_batch)
    _assert_same_load(load.load([path]), whole)


def test_a_block_of_records_ends_at_a_newline_outside_quotes():
    block = b'S1,"two\nlines"\nS2,"a ""quoted"" word\nand more'
    assert load._record_end(block) == block.index(b"\nS2") + 1
    assert load._record_end(b'S1,"never closed\nstill inside\n') is None


def test_a_quoted_cell_across_a_block_boundary_loads_as_when_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "multiline.csv"
    rows = _messy_rows(130)
    for i in range(30, 130, 7):  # cells spanning lines, with escaped quotes, wherever the blocks happen to be cut
        rows[i] = f'S{i},"Name {i}\nline two, ""quoted""\nline three",120,0.2,Yes'
    path.write_text("Supplier ID,Supplier Name,Headcount,Share migrant workers,Uses recruiters\n" + "\n".join(rows) + "\n", encoding="utf-8")
    in_batches, whole, streamed = _streamed_and_whole(path, monkeypatch)
    assert streamed
    _assert_same_load(in_batches, whole)
    assert 'Name 37\nline two, "quoted"\nline three' in whole.suppliers.get_column("supplier_name").to_list()


def test_a_later_block_of_short_rows_is_padded_as_when_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "short.csv"
    rows = _messy_rows(130)
    rows[100:] = [f"S{i},Name {i}" for i in range(100, 130)]  # whole blocks of rows with two cells of five
    path.write_text("Supplier ID,Supplier Name,Headcount,Share migrant workers,Uses recruiters\n" + "\n".join(rows) + "\n", encoding="utf-8")
    in_batches, whole, _ = _streamed_and_whole(path, monkeypatch)
    _assert_same_load(in_batches, whole)
    assert whole.suppliers.filter(pl.col("supplier_id") == "S120").get_column("headcount").to_list() == [None]


def test_a_later_block_that_is_not_utf8_falls_back_to_the_whole_file(tmp_path, monkeypatch):
    path = tmp_path / "cp1252.csv"
    rows = _messy_rows(130)
    rows[120] = "S120,Café Ñandú,120,0.2,Yes"
    path.write_bytes(("Supplier ID,Supplier Name,Headcount,Share migrant workers,Uses recruiters\n" + "\n".join(rows) + "\n").encode("cp1252"))
    in_batches, whole, streamed = _streamed_and_whole(path, monkeypatch)
    assert streamed  # the first blocks are ASCII
    _assert_same_load(in_batches, whole)
    assert "Café Ñandú" in whole.suppliers.get_column("supplier_name").to_list()


def test_columns_of_one_kind_typed_together_across_row_batches_match_parsing_each_cell():
    # Two yes/no columns share one parse of their texts; the second batch brings texts neither column had before.
    first = {"supplier_id": ["S1", "S2"], "supplier_name": ["A", "B"], "uses_recruiters": ["Yes", "no"], "employer_pays_policy": ["N", None]}
    second = {"supplier_id": ["S3", "S4"], "supplier_name": ["C", "D"], "uses_recruiters": ["maybe", "N"], "employer_pays_policy": ["Yes", " yes "]}
    seen = load.ParsedTexts()
    for columns in (first, second):
        raw = _raw_sheet(columns)
        frame, dq = load._type_columns(raw, raw.frame.to_dict(), seen)
        for name in ("uses_recruiters", "employer_pays_policy"):
            expected, problems = load.parse_cells(raw.frame.get_column(name), schema.spec(name))
            assert frame.get_column(name).to_list() == expected.to_list(), name
            assert dq.filter(pl.col("column") == name).get_column("problem").to_list() == problems.drop_nulls().to_list()
    assert len(seen.tables) == 1  # one table for the two yes/no columns, kept for the next batch


def test_a_column_with_many_distinct_texts_keeps_its_own_table_and_types_alike(monkeypatch):
    monkeypatch.setattr(load, "SHARED_TEXTS", 2)
    columns = {"supplier_id": ["S1", "S2", "S3", "S4"], "supplier_name": ["A", "B", "C", "D"],
               "headcount": ["10", "10", "20", None], "headcount_payroll": ["1", "2", "3", "about 4"]}
    raw = _raw_sheet(columns)
    seen = load.ParsedTexts()
    frame, _ = load._type_columns(raw, raw.frame.to_dict(), seen)
    assert seen.routes["headcount"] == load._kind(schema.spec("headcount"))  # two distinct texts: the kind's table
    assert seen.routes["headcount_payroll"][-1] == "headcount_payroll"  # four: a table of its own
    for name in ("headcount", "headcount_payroll"):
        assert frame.get_column(name).to_list() == load.parse_cells(raw.frame.get_column(name), schema.spec(name))[0].to_list()
