"""`auditor baseline from-workbook`: the findings a reviewer marked accepted risk or false positive stop failing CI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor import baseline
from auditor.cli import app
from tests.test_previous_workbook import FEES, audit, edit, finding_id, findings, suppliers_csv

runner = CliRunner()
REASON = "Fee refunded to all 12 workers on 2026-10-02; receipts in CMP-7"


@pytest.fixture(autouse=True)
def _no_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no auditor.toml or pyproject.toml of the repository applies
    for name in ("AUDITOR_FAIL_ON", "AUDITOR_BASELINE", "AUDITOR_CONFIG", "AUDITOR_EXIT_ZERO", "AUDITOR_SELECT", "AUDITOR_IGNORE", "AUDITOR_OUTPUT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def reviewed(tmp_path) -> tuple[Path, Path]:
    """Three suppliers charging fees (RF-001, high); the reviewer marks S1 a false positive with a reason and S2
    accepted risk without one, and leaves S3 open. Rows are sorted backwards first, as people sort."""
    source = suppliers_csv(tmp_path / "s.csv", S1=FEES, S2=FEES, S3=FEES)
    audit([source], tmp_path / "audit.xlsx", "2026-11-27")
    edited = edit(tmp_path / "audit.xlsx", tmp_path / "reviewed.xlsx", {
        finding_id("RF-001", "S1"): {"Status": "False positive", "Notes": REASON, "Owner": "a.khan"},
        finding_id("RF-001", "S2"): {"Status": "accepted risk"},
    })
    return source, edited


def from_workbook(workbook: Path, out: Path, *extra: str):
    outcome = runner.invoke(app, ["baseline", "from-workbook", str(workbook), "-o", str(out), *extra])
    assert outcome.exit_code == 0, outcome.output
    return outcome


def entries(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["entries"]


def ci(source: Path, *extra: str) -> int:
    return runner.invoke(app, ["audit", str(source), "--select", "RF-001", "--fail-on", "high", *extra]).exit_code


def test_a_row_marked_false_positive_with_a_reason_becomes_an_entry_with_that_reason(reviewed, tmp_path):
    _, workbook = reviewed
    from_workbook(workbook, tmp_path / "b.json", "--expires", "2027-06-30")
    fid = finding_id("RF-001", "S1")
    assert entries(tmp_path / "b.json") == {fid: {
        "rule_id": "RF-001", "supplier_id": "S1", "evidence_hash": findings(workbook)[fid]["Evidence hash"],
        "justification": f"false positive: {REASON}", "who": "a.khan", "expires": "2027-06-30",
    }}


def test_a_row_accepted_without_a_reason_is_skipped_naming_its_notes_cell(reviewed, tmp_path):
    _, workbook = reviewed
    outcome = from_workbook(workbook, tmp_path / "b.json")
    assert finding_id("RF-001", "S2") not in entries(tmp_path / "b.json")
    assert "Findings!" in outcome.output and "accepted risk without a reason in Notes: not baselined" in outcome.output
    assert "1 row(s) skipped" in outcome.output


def test_the_justification_option_stands_in_for_empty_notes_only(reviewed, tmp_path):
    _, workbook = reviewed
    from_workbook(workbook, tmp_path / "b.json", "--justification", "Q4 risk review", "--who", "compliance-board")
    made = entries(tmp_path / "b.json")
    assert made[finding_id("RF-001", "S2")]["justification"] == "accepted risk: Q4 risk review"
    assert made[finding_id("RF-001", "S1")]["justification"] == f"false positive: {REASON}"
    assert {e["who"] for e in made.values()} == {"compliance-board"}
    assert finding_id("RF-001", "S3") not in made  # still open: not accepted


def test_a_reviewed_workbook_made_into_a_baseline_stops_ci_failing_on_exactly_those_findings(tmp_path):
    source = suppliers_csv(tmp_path / "s.csv", S1=FEES, S2=FEES)
    audit([source], tmp_path / "audit.xlsx", "2026-11-27")
    assert ci(source) == 1
    one = edit(tmp_path / "audit.xlsx", tmp_path / "one.xlsx", {finding_id("RF-001", "S1"): {"Status": "false positive", "Notes": REASON}})
    from_workbook(one, tmp_path / "b.json")
    assert ci(source, "--baseline", str(tmp_path / "b.json")) == 1  # S2 still fails
    both = edit(one, tmp_path / "both.xlsx", {finding_id("RF-001", "S2"): {"Status": "Accepted risk", "Notes": "buyer-funded refund under way"}})
    from_workbook(both, tmp_path / "b.json")
    assert ci(source, "--baseline", str(tmp_path / "b.json")) == 0


def test_evidence_changed_since_the_review_fails_again(reviewed, tmp_path):
    _, workbook = reviewed
    from_workbook(workbook, tmp_path / "b.json")
    worse = suppliers_csv(tmp_path / "worse.csv", S1={**FEES, "max_recruitment_fee_usd": "900"})
    assert ci(worse, "--baseline", str(tmp_path / "b.json")) == 1


def test_other_entries_of_the_file_are_kept_and_an_unchanged_entry_keeps_its_expiry(reviewed, tmp_path):
    _, workbook = reviewed
    out = tmp_path / "b.json"
    from_workbook(workbook, out, "--expires", "2027-01-31")
    made = baseline.read(out)
    other = baseline.Entry(rule_id="FA-001", supplier_id="S9", evidence_hash="0" * 16, justification="onboarding", who="x")
    out.write_text(baseline.dumps(baseline.Baseline(entries={**made.entries, "FA-001:feed": other})), encoding="utf-8")
    outcome = from_workbook(workbook, out, "--expires", "2028-01-31")
    again = entries(out)
    assert again["FA-001:feed"]["justification"] == "onboarding"
    assert again[finding_id("RF-001", "S1")]["expires"] == "2027-01-31"
    assert "0 new, 0 updated, 1 unchanged; 1 other entries kept" in outcome.output
    from_workbook(workbook, out, "--fresh")
    assert set(entries(out)) == {finding_id("RF-001", "S1")}


def test_a_status_typed_by_hand_that_is_not_in_the_list_is_reported_not_guessed(reviewed, tmp_path):
    _, workbook = reviewed
    typo = edit(workbook, tmp_path / "typo.xlsx", {finding_id("RF-001", "S3"): {"Status": "accepted", "Notes": "ok"}}, reverse_rows=False)
    outcome = from_workbook(typo, tmp_path / "b.json")
    assert finding_id("RF-001", "S3") not in entries(tmp_path / "b.json")
    assert "status 'accepted' is not one of the list: not baselined" in outcome.output


def test_a_workbook_auditor_did_not_write_is_exit_2_naming_it(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Suppliers"
    book.save(tmp_path / "other.xlsx")
    outcome = runner.invoke(app, ["baseline", "from-workbook", str(tmp_path / "other.xlsx"), "-o", str(tmp_path / "b.json")])
    assert outcome.exit_code == 2
    assert "other.xlsx" in outcome.output and "no sheet named 'Findings'" in outcome.output
    assert not (tmp_path / "b.json").exists()


def test_the_accepting_statuses_are_statuses_of_the_workbook_dropdown():
    from auditor.render.workbook import STATUSES

    assert set(baseline.ACCEPTING) <= set(STATUSES)  # a renamed dropdown entry must not leave from-workbook accepting nothing


def append_row(path: Path, out: Path, values: dict[str, object]) -> tuple[Path, int]:
    """Add a row under the Findings table, as a person who unprotected the sheet might; returns its row number."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Findings"]
    headers = {c.value: c.column for c in ws[1]}
    row = ws.max_row + 1
    for header, value in values.items():
        ws.cell(row, headers[header]).value = value
    wb.save(out)
    return out, row


def test_a_repeated_finding_id_row_is_reported_naming_its_cell_and_the_first_row_decides(reviewed, tmp_path):
    _, workbook = reviewed
    s3 = findings(workbook)[finding_id("RF-001", "S3")]
    copy, row = append_row(workbook, tmp_path / "copy.xlsx", {**s3, "Status": "false positive", "Notes": "pasted twice"})
    outcome = from_workbook(copy, tmp_path / "b.json")
    assert finding_id("RF-001", "S3") not in entries(tmp_path / "b.json")  # the first row (still open) decides
    assert f"copy.xlsx Findings!A{row}: finding id repeated (first at row" in outcome.output
    assert "2 row(s) skipped" in outcome.output  # this row and S2's accepted risk without a reason


def test_an_edited_row_without_a_finding_id_is_reported_not_dropped_silently(reviewed, tmp_path):
    _, workbook = reviewed
    loose, row = append_row(workbook, tmp_path / "loose.xlsx", {"Status": "accepted risk", "Notes": "all of them, see memo"})
    outcome = from_workbook(loose, tmp_path / "b.json")
    assert f"loose.xlsx Findings!A{row}: row has a status, owner, due date or notes but no finding id" in outcome.output
    assert set(entries(tmp_path / "b.json")) == {finding_id("RF-001", "S1")}
