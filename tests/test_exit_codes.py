"""The command line: ranked audit of the sample, CSV equivalence, and exit codes 0/1/2."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook

from tests.support import SAMPLE_XLSX, run_cli, run_json, write_csv

RECRUITER_COLUMNS = {"recruiter_count", "recruiters_unverified", "recruiters_charging_fees"}


def test_auditing_the_sample_ranks_every_supplier_and_exits_1():
    code, report = run_json("audit", str(SAMPLE_XLSX))
    assert code == 1
    summary = report["summary"]
    assert summary["rows_read"] == summary["rows_assessed"] + summary["rows_rejected"]
    assert sorted(s["rank"] for s in report["suppliers"]) == list(range(1, summary["rows_assessed"] + 1))
    assert report["findings"] and all(f["source"]["sheet"] == "Suppliers" for f in report["findings"])


def test_the_sample_reports_its_messy_cells():
    _, report = run_json("audit", str(SAMPLE_XLSX))
    problems = {(d["cell"], d["value"]) for d in report["data_quality"]}
    assert ("J5", "about 300") in problems
    assert ("C23", "Atlantis") in problems


def test_the_suppliers_sheet_as_csv_gives_the_same_findings_for_rules_without_recruiters(tmp_path):
    sheet = load_workbook(SAMPLE_XLSX, read_only=True)["Suppliers"]
    path = tmp_path / "suppliers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if v is None else (v.isoformat()[:10] if hasattr(v, "isoformat") else v) for v in row])
    _, from_xlsx = run_json("audit", str(SAMPLE_XLSX))
    _, from_csv = run_json("audit", str(path))

    def comparable(report):
        return sorted((f["fingerprint"], f["message"]) for f in report["findings"]
                      if not set(f["evidence"]) & RECRUITER_COLUMNS)

    assert comparable(from_csv) == comparable(from_xlsx)
    assert len(comparable(from_csv)) > 50


def test_fail_on_never_exits_0():
    code, _, _ = run_cli("audit", str(SAMPLE_XLSX), "--fail-on", "never")
    assert code == 0


def test_no_finding_at_or_above_fail_on_exits_0(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["supplier_id", "supplier_name", "registered_business"], [["S1", "One", "no"]])
    code, _, _ = run_cli("audit", str(path), "--select", "IN-001", "--fail-on", "critical")
    assert code == 0
    code, _, _ = run_cli("audit", str(path), "--select", "IN-001", "--fail-on", "high")
    assert code == 1


def test_a_missing_file_exits_2_with_one_line():
    code, _, err = run_cli("audit", "no/such/file.xlsx")
    assert code == 2
    assert err.strip().splitlines() == ["error: no/such/file.xlsx: no such file"]


def test_an_unknown_output_format_exits_2():
    code, _, err = run_cli("audit", str(SAMPLE_XLSX), "-o", "pdf:x.pdf")
    assert code == 2
    assert "unknown format 'pdf'" in err


def test_json_on_stdout_moves_the_table_to_stderr():
    code, out, err = run_cli("audit", str(SAMPLE_XLSX), "-o", "json")
    assert json.loads(out)["tool"]["name"] == "auditor"
    assert "Suppliers ranked by forced-labour risk" in err


def test_an_internal_error_exits_2_not_1(tmp_path, monkeypatch):
    import auditor.engine

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(auditor.engine, "evaluate", broken)
    code, _, err = run_cli("audit", str(SAMPLE_XLSX))
    assert code == 2
    assert "internal error: RuntimeError: boom" in err


def test_version_is_printed():
    code, out, _ = run_cli("--version")
    assert code == 0 and out.startswith("auditor ")
