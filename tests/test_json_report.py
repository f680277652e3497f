"""The JSON report text is written by polars, one object per line, and is exactly the documented data."""

from __future__ import annotations

import json

from auditor.audit import run_audit
from auditor.render import json_report
from tests.support import SAMPLE_XLSX, write_csv


def _same(result) -> None:
    text = json_report.render(result)
    assert json.loads(text) == json.loads(json.dumps(json_report.document(result), default=str))


def test_the_written_report_is_the_document_for_the_sample():
    _same(run_audit([SAMPLE_XLSX]))


def test_quotes_newlines_and_non_latin_text_survive_the_fast_writer(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["supplier_id", "supplier_name", "contract_substitution_found"],
                     [['S"1', 'Line one\nline "two" \\ 工厂 مصنع', "yes"]])
    result = run_audit([path], select=["CT-003"])
    _same(result)
    finding = json.loads(json_report.render(result))["findings"][0]
    assert finding["supplier_id"] == 'S"1'


def test_suppressions_are_written_on_the_finding(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["supplier_id", "supplier_name", "contract_substitution_found"], [["S1", "One", "yes"]])
    result = run_audit([path], select=["CT-003"])
    fingerprint = result.findings["fingerprint"][0]
    result.extra["suppressed"] = {fingerprint: {"kind": "external", "status": "accepted", "justification": "reviewed"}}
    _same(result)
    assert json.loads(json_report.render(result))["findings"][0]["suppression"]["justification"] == "reviewed"


def test_every_finding_sits_on_its_own_line():
    text = json_report.render(run_audit([SAMPLE_XLSX]))
    lines = [line for line in text.splitlines() if line.lstrip().startswith('{"fingerprint"')]
    assert len(lines) == json.loads(text)["summary"]["findings"]


def test_reports_are_written_with_the_usual_file_permissions(tmp_path):
    import os

    from auditor.render import write_atomic

    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "r.json", "{}")
    finally:
        os.umask(umask)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o644
