"""Files that cannot be read end as exit 2 with one line naming the file and what is wrong."""

from __future__ import annotations

import pytest

from conftest import FACILITY_LISTS, write_xlsx

GOOD_ROWS = [["supplier_id", "supplier_name", "country"], ["S1", "Alpha", "VN"]]


def _one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0]


def test_zero_byte_file_is_reported_as_empty(tmp_path, run_cli):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    code, _, err = run_cli("audit", path)
    _one_line_error(code, err, str(path), "empty")


def test_missing_file_is_reported(tmp_path, run_cli):
    code, _, err = run_cli("audit", tmp_path / "nope.xlsx")
    _one_line_error(code, err, "nope.xlsx", "no such file")


def test_directory_is_reported(tmp_path, run_cli):
    code, _, err = run_cli("audit", tmp_path)
    _one_line_error(code, err, str(tmp_path), "directory")


def test_corrupt_xlsx_is_reported(tmp_path, run_cli):
    good = write_xlsx(tmp_path / "good.xlsx", GOOD_ROWS)
    data = bytearray(good.read_bytes())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bytes(data[: len(data) // 2]))  # truncated download
    code, _, err = run_cli("audit", bad)
    _one_line_error(code, err, str(bad), "damaged")


def test_text_file_named_xlsx_is_reported(tmp_path, run_cli):
    path = tmp_path / "fake.xlsx"
    path.write_text("supplier_id,supplier_name\nS1,Alpha\n")
    code, _, err = run_cli("audit", path)
    _one_line_error(code, err, str(path), "not an xlsx workbook")


def test_password_protected_xlsx_is_reported(tmp_path, run_cli):
    # Excel stores an encrypted xlsx as an OLE compound file holding an EncryptionInfo stream.
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512)
    code, _, err = run_cli("audit", path)
    _one_line_error(code, err, str(path), "password-protected")


def test_xlsx_renamed_csv_is_reported(tmp_path, run_cli):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(write_xlsx(tmp_path / "real.xlsx", GOOD_ROWS).read_bytes())
    code, _, err = run_cli("audit", path)
    _one_line_error(code, err, str(path), "xlsx workbook with a .csv name")


def test_damaged_legacy_xls_is_reported(tmp_path, run_cli):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 600)
    code, _, err = run_cli("audit", path)
    _one_line_error(code, err, str(path))


def test_unsupported_extension_is_reported(tmp_path, run_cli):
    path = tmp_path / "suppliers.pdf"
    path.write_bytes(b"%PDF-1.7")
    code, _, err = run_cli("audit", path)
    _one_line_error(code, err, str(path), "unsupported file type")


@pytest.mark.skipif(FACILITY_LISTS is None or not (FACILITY_LISTS / "12.xls").exists(),
                    reason="../shared/data/facility-lists/12.xls (Open Supply Hub sample) is not present")
def test_legacy_xls_is_read(tmp_path):
    from auditor.load import load
    from auditor.mapping import load_mapping
    from conftest import OSH_MAPPING

    loaded = load([FACILITY_LISTS / "12.xls"], mapping=load_mapping(OSH_MAPPING))
    assert loaded.rows_read == 15
    assert loaded.suppliers.height == 15


def test_long_error_stays_on_one_line(tmp_path, run_cli):
    path = tmp_path / ("a-rather-long-folder-name-" * 4) / "suppliers.csv"
    path.parent.mkdir()
    path.write_text(",".join(f"Unrelated column number {i}" for i in range(12)) + "\n1,2\n")
    code, _, err = run_cli("audit", path)
    _one_line_error(code, err, str(path), "required column(s) supplier_id, supplier_name not found")


def test_reader_library_warnings_do_not_reach_stderr(capfd):
    # calamine logs damaged sheet XML ("'worksheet' not a valid worksheet") through Python logging;
    # with no handler, Python would print it next to auditor's one-line error.
    import logging

    import auditor.xlsx_inspect  # noqa: F401  (installs the handlers)

    logging.getLogger("calamine.xlsx").warning("'worksheet' not a valid worksheet")
    assert capfd.readouterr().err == ""


def test_legacy_xls_named_xlsx_is_reported(tmp_path, run_cli):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    code, _, err = run_cli("audit", path)
    _one_line_error(code, err, str(path), "legacy Excel (.xls) workbook with an .xlsx name")


def test_xlsx_with_a_part_failing_its_checksum_is_reported(tmp_path, run_cli):
    import zipfile

    good = write_xlsx(tmp_path / "good.xlsx", GOOD_ROWS)
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("xl/worksheets/"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)  # local header, then the data
    data[start + info.compress_size // 2] ^= 0xFF  # one flipped byte inside the sheet's compressed data
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bytes(data))
    code, _, err = run_cli("audit", bad)
    _one_line_error(code, err, str(bad), "damaged")
