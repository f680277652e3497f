"""`auditor audit … --previous OLD.xlsx`: triage carried forward by finding id, changes flagged."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from auditor import previous
from auditor.cli import app
from auditor.engine import stable_hash
from auditor.render import workbook
from auditor.render.workbook import RESOLVED

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_suppliers" / "sample_suppliers.xlsx"
FEES = {"workers_paid_recruitment_fees": "yes", "max_recruitment_fee_usd": "450"}
NO_FEES = {"workers_paid_recruitment_fees": "no", "max_recruitment_fee_usd": "0"}


def suppliers_csv(path: Path, **answers: dict) -> Path:
    """One supplier per keyword (S1=…, S2=…) with the given answers."""
    rows = [{"supplier_id": sid, "supplier_name": f"Site {sid}", **values} for sid, values in answers.items()]
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def audit(inputs: list[Path], out: Path, audit_date: str, *extra: str) -> None:
    """Audit with RF-001 only (unless the test selects rules), so other rules' findings do not blur the picture."""
    selection = [] if {"--select", "--ignore"} & set(extra) else ["--select", "RF-001"]
    run = CliRunner().invoke(app, ["audit", *map(str, inputs), "--audit-date", audit_date, "--fail-on", "never",
                                   "-o", f"xlsx:{out}", *selection, *extra])
    assert run.exit_code == 0, run.output


def finding_id(rule: str, supplier: str) -> str:
    return f"{rule}:{stable_hash(supplier)}"


def edit(path: Path, out: Path, edits: dict[str, dict[str, object]], reverse_rows: bool = True) -> Path:
    """Edit cells by finding id and header name, as a person would in Excel; optionally sort rows backwards first."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Findings"]
    headers = {c.value: c.column for c in ws[1]}
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    if reverse_rows:
        rows.reverse()
        for r, values in enumerate(rows, 2):
            for c, value in enumerate(values, 1):
                ws.cell(r, c).value = value
    for row in ws.iter_rows(min_row=2):
        fid = row[0].value
        for header, value in edits.get(fid, {}).items():
            row[headers[header] - 1].value = value
    wb.save(out)
    return out


def findings(path: Path) -> dict[str, dict]:
    frame = pl.read_excel(path, sheet_name="Findings", infer_schema_length=0)
    return {row["Finding ID"]: row for row in frame.iter_rows(named=True)}


@pytest.fixture
def first(tmp_path) -> tuple[Path, Path]:
    source = suppliers_csv(tmp_path / "s.csv", S1=FEES, S2=FEES, S3=FEES)
    out = tmp_path / "first.xlsx"
    audit([source], out, "2026-11-27")
    return source, out


def test_three_edited_statuses_owner_due_date_and_notes_carry_forward_after_sorting(tmp_path, first):
    source, old = first
    edited = edit(old, tmp_path / "edited.xlsx", {
        finding_id("RF-001", "S1"): {"Status": "in progress", "Owner": "j.doe", "Notes": "Fee refund agreed"},
        finding_id("RF-001", "S2"): {"Status": "accepted risk", "Due date": datetime(2027, 3, 1)},
        finding_id("RF-001", "S3"): {"Status": "false positive", "Notes": "@mention: -2 workers affected"},
    })
    new = tmp_path / "second.xlsx"
    audit([source], new, "2026-12-15", "--previous", str(edited))
    rows = findings(new)
    s1, s2, s3 = (rows[finding_id("RF-001", s)] for s in ("S1", "S2", "S3"))
    assert (s1["Status"], s1["Owner"], s1["Notes"]) == ("in progress", "j.doe", "Fee refund agreed")
    assert (s2["Status"], s2["Due date"][:10]) == ("accepted risk", "2027-03-01")
    assert (s3["Status"], s3["Notes"]) == ("false positive", "@mention: -2 workers affected")
    assert s1["First detected"][:10] == "2026-11-27"
    assert all(r["Change since previous audit"] is None for r in (s1, s2, s3))


def test_due_date_left_alone_keeps_the_first_audits_deadline(tmp_path, first):
    source, old = first
    new = tmp_path / "second.xlsx"
    audit([source], new, "2026-12-15", "--previous", str(old))
    assert findings(new)[finding_id("RF-001", "S1")]["Due date"][:10] == "2026-12-27"  # 2026-11-27 + 30 days


def test_finding_no_longer_raised_stays_listed_as_resolved_with_the_date(tmp_path, first):
    _, old = first
    fixed = suppliers_csv(tmp_path / "s.csv", S1=NO_FEES, S2=FEES, S3=FEES)
    edited = edit(old, tmp_path / "edited.xlsx", {finding_id("RF-001", "S1"): {"Status": "in progress", "Owner": "j.doe"}})
    new = tmp_path / "second.xlsx"
    audit([fixed], new, "2026-12-15", "--previous", str(edited))
    row = findings(new)[finding_id("RF-001", "S1")]
    assert row["Status"] == RESOLVED
    assert row["Resolved on"][:10] == "2026-12-15"
    assert row["Owner"] == "j.doe"
    assert "not detected" in row["Change since previous audit"] and "in progress" in row["Change since previous audit"]


def test_resolved_date_is_kept_on_later_audits(tmp_path, first):
    _, old = first
    fixed = suppliers_csv(tmp_path / "s.csv", S1=NO_FEES, S2=FEES, S3=FEES)
    second, third = tmp_path / "second.xlsx", tmp_path / "third.xlsx"
    audit([fixed], second, "2026-12-15", "--previous", str(old))
    audit([fixed], third, "2027-01-15", "--previous", str(second))
    row = findings(third)[finding_id("RF-001", "S1")]
    assert (row["Status"], row["Resolved on"][:10]) == (RESOLVED, "2026-12-15")


def test_remediated_or_verified_finding_that_fires_again_is_flagged_reopened(tmp_path, first):
    source, old = first
    edited = edit(old, tmp_path / "edited.xlsx", {finding_id("RF-001", "S1"): {"Status": "remediated"},
                                                  finding_id("RF-001", "S2"): {"Status": "verified"}})
    new = tmp_path / "second.xlsx"
    audit([source], new, "2026-12-15", "--previous", str(edited))
    rows = findings(new)
    for supplier, was in (("S1", "remediated"), ("S2", "verified")):
        row = rows[finding_id("RF-001", supplier)]
        assert row["Status"] == was  # a person's status is never overwritten
        assert row["Change since previous audit"].startswith(f"reopened: detected again after being marked {was}")
    assert rows[finding_id("RF-001", "S3")]["Change since previous audit"] is None


def test_finding_resolved_by_the_tool_reopens_when_detected_again(tmp_path, first):
    source, old = first
    fixed = suppliers_csv(tmp_path / "fixed.csv", S1=NO_FEES, S2=FEES, S3=FEES)
    second, third = tmp_path / "second.xlsx", tmp_path / "third.xlsx"
    audit([fixed], second, "2026-12-15", "--previous", str(old))
    audit([source], third, "2027-01-15", "--previous", str(second))
    row = findings(third)[finding_id("RF-001", "S1")]
    assert row["Status"] == "open" and row["Resolved on"] is None
    assert "detected again" in row["Change since previous audit"]


def test_changed_evidence_is_flagged(tmp_path, first):
    _, old = first
    changed = suppliers_csv(tmp_path / "s.csv", S1={**FEES, "max_recruitment_fee_usd": "900"}, S2=FEES, S3=FEES)
    new = tmp_path / "second.xlsx"
    audit([changed], new, "2026-12-15", "--previous", str(old))
    rows = findings(new)
    assert rows[finding_id("RF-001", "S1")]["Change since previous audit"] == "evidence changed"
    assert rows[finding_id("RF-001", "S2")]["Change since previous audit"] is None


def test_new_findings_are_marked_new(tmp_path, first):
    source, old = first
    more = suppliers_csv(tmp_path / "more.csv", S1=FEES, S2=FEES, S3=FEES, S4=FEES)
    new = tmp_path / "second.xlsx"
    audit([more], new, "2026-12-15", "--previous", str(old))
    row = findings(new)[finding_id("RF-001", "S4")]
    assert (row["Change since previous audit"], row["First detected"][:10]) == ("new", "2026-12-15")


def test_a_status_typed_by_hand_outside_the_list_is_kept_and_reported_with_its_cell(tmp_path, first):
    source, old = first
    edited = edit(old, tmp_path / "edited.xlsx", {finding_id("RF-001", "S2"): {"Status": "done!"}}, reverse_rows=False)
    wb = openpyxl.load_workbook(edited)
    ws = wb["Findings"]
    status_col = openpyxl.utils.get_column_letter({c.value: c.column for c in ws[1]}["Status"])
    row_no = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == finding_id("RF-001", "S2"))
    new = tmp_path / "second.xlsx"
    audit([source], new, "2026-12-15", "--previous", str(edited))
    row = findings(new)[finding_id("RF-001", "S2")]
    assert row["Status"] == "done!"
    assert "not recognised" in row["Change since previous audit"]
    quality = pl.read_excel(new, sheet_name="Data quality", infer_schema_length=0)
    entry = quality.filter(pl.col("Column") == "status").row(0, named=True)
    assert (entry["Cell"], entry["Value as read"], entry["Sheet"]) == (f"{status_col}{row_no}", "done!", "Findings")
    assert entry["File"] == str(edited)


@pytest.mark.parametrize("typed, meant", [("In Progress", "in progress"), ("accepted_risk", "accepted risk"),
                                          ("FALSE-POSITIVE", "false positive"), ("resolved - not detected", RESOLVED)])
def test_status_spellings_fold_to_the_list(typed, meant):
    assert previous.STATUS_LOOKUP[previous.status_key(typed)] == meant


def test_findings_of_rules_not_run_are_not_called_resolved(tmp_path, first):
    source, old = first
    new = tmp_path / "second.xlsx"
    audit([source], new, "2026-12-15", "--previous", str(old), "--select", "RF-002")
    row = findings(new)[finding_id("RF-001", "S1")]
    assert row["Status"] == "open"
    assert row["Change since previous audit"] == "not checked: the rule was not run in this audit"


@pytest.mark.parametrize("batch", [20_000, 1], ids=["one batch", "a batch per row"])
def test_a_due_date_typed_as_text_is_kept_and_reported(tmp_path, first, monkeypatch, batch):
    monkeypatch.setattr(workbook, "TABLE_BATCH", batch)  # the typed text must follow its row into whichever batch
    source, old = first
    edited = edit(old, tmp_path / "edited.xlsx", {finding_id("RF-001", "S3"): {"Due date": "next week"}})
    new = tmp_path / "second.xlsx"
    audit([source], new, "2026-12-15", "--previous", str(edited))
    assert findings(new)[finding_id("RF-001", "S3")]["Due date"] == "next week"
    quality = pl.read_excel(new, sheet_name="Data quality", infer_schema_length=0)
    assert quality.filter(pl.col("Column") == "due_date").get_column("Value as read").to_list() == ["next week"]


def test_previous_must_be_an_auditor_workbook(tmp_path):
    run = CliRunner().invoke(app, ["audit", str(SAMPLE), "--previous", str(SAMPLE), "-o", f"xlsx:{tmp_path / 'a.xlsx'}"])
    assert run.exit_code == 2
    assert "no sheet named 'Findings'" in run.output


def test_missing_previous_workbook_is_exit_2(tmp_path):
    run = CliRunner().invoke(app, ["audit", str(SAMPLE), "--previous", str(tmp_path / "nope.xlsx")])
    assert run.exit_code == 2
    assert "not found" in run.output


def test_merge_is_a_pure_function_of_frames():
    current = pl.DataFrame({"finding_id": ["RF-001:a"], "supplier_id": ["S1"], "rule_id": ["RF-001"], "status": ["open"],
                            "owner": [None], "notes": [None], "due_date": [date(2027, 1, 1)], "evidence_hash": ["h1"],
                            "first_detected": [date(2026, 12, 1)], "change": [None], "resolved_on": [None], "due_date_text": [None]},
                           schema_overrides={"owner": pl.String, "notes": pl.String, "change": pl.String, "resolved_on": pl.Date, "due_date_text": pl.String})
    from auditor.render.workbook import FINDINGS_SCHEMA

    current = current.with_columns(pl.lit(None, dtype=dtype).alias(name) for name, dtype in FINDINGS_SCHEMA.items() if name not in current.columns).select(FINDINGS_SCHEMA.names())
    old = pl.DataFrame({"_row": [2], **{name: [None] for name in FINDINGS_SCHEMA.names() if name != "due_date_text"}}, schema_overrides={n: pl.String for n in FINDINGS_SCHEMA.names()})
    old = old.with_columns(pl.lit("RF-001:a").alias("finding_id"), pl.lit("Verified").alias("status"), pl.lit("h0").alias("evidence_hash"))
    rows, notes = previous.prepare(previous.PreviousWorkbook("old.xlsx", old, {"status": "N"}))
    merged = previous.merge(current, rows, date(2026, 12, 15), rules_run={"RF-001"}, suppliers_run={"S1"})
    assert notes.height == 0
    assert merged.row(0, named=True)["status"] == "verified"
    assert merged.row(0, named=True)["change"] == "reopened: detected again after being marked verified; evidence changed"


def test_summary_counts_statuses_and_changes_since_the_previous_workbook(tmp_path, first):
    _, old = first
    changed = suppliers_csv(tmp_path / "s.csv", S1=NO_FEES, S2={**FEES, "max_recruitment_fee_usd": "900"}, S3=FEES)
    edited = edit(old, tmp_path / "edited.xlsx", {finding_id("RF-001", "S3"): {"Status": "verified"}})
    new = tmp_path / "second.xlsx"
    audit([changed], new, "2026-12-15", "--previous", str(edited))
    rows = [r for r in openpyxl.load_workbook(new)["Summary"].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == "Changes since the previous workbook")
    changes = {r[0]: r[1] for r in rows[start + 1:] if r and r[0]}
    assert changes == {"reopened": 1, "evidence changed": 1, "no longer detected": 1}
    start = next(i for i, r in enumerate(rows) if r[0] == "Findings by status")
    statuses = {r[0]: r[1] for r in rows[start + 1:start + 8]}
    assert (statuses["verified"], statuses[RESOLVED]) == (1, 1)


def test_the_workbook_can_be_updated_in_place(tmp_path, first):
    source, old = first
    edit(old, old, {finding_id("RF-001", "S1"): {"Status": "in progress"}})
    audit([source], old, "2026-12-15", "--previous", str(old))
    assert findings(old)[finding_id("RF-001", "S1")]["Status"] == "in progress"


def test_when_nothing_is_raised_any_more_every_finding_is_resolved(tmp_path, first):
    _, old = first
    fixed = suppliers_csv(tmp_path / "s.csv", S1=NO_FEES, S2=NO_FEES, S3=NO_FEES)
    new = tmp_path / "second.xlsx"
    audit([fixed], new, "2026-12-15", "--previous", str(old))
    rows = findings(new)
    assert rows and {r["Status"] for r in rows.values()} == {RESOLVED}


def old_sheet(rows: list[dict]) -> previous.PreviousWorkbook:
    """A previous Findings sheet as read from a file: text cells, spreadsheet rows from 2."""
    from auditor.render.workbook import FINDINGS_SCHEMA

    names = [n for n in FINDINGS_SCHEMA.names() if n != "due_date_text"]
    frame = pl.DataFrame([{"_row": i, **{n: r.get(n) for n in names}} for i, r in enumerate(rows, 2)],
                         schema={"_row": pl.Int64, **{n: pl.String for n in names}})
    return previous.PreviousWorkbook("old.xlsx", frame, {"finding_id": "A", "status": "N"})


def test_a_repeated_finding_id_keeps_the_first_row_and_reports_the_copy():
    rows, notes = previous.prepare(old_sheet([{"finding_id": "RF-001:a", "status": "verified"},
                                              {"finding_id": "RF-001:a", "status": "open"}]))
    assert rows.get_column("_status").to_list() == ["verified"]
    assert notes.select("cell", "problem").to_dicts() == [{"cell": "A3", "problem": "finding id repeated (first at row 2)"}]


def test_an_edited_row_without_a_finding_id_is_reported_not_dropped_silently():
    rows, notes = previous.prepare(old_sheet([{"finding_id": None, "status": "in progress", "owner": "j.doe"},
                                              {"finding_id": None}]))
    assert rows.height == 0
    assert notes.select("row", "effect").to_dicts() == [{"row": 2, "effect": "not carried forward (the finding id links a row to a finding)"}]
