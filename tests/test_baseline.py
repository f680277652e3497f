"""Baselines: accepted findings stop failing the run until they expire or their evidence changes."""

from __future__ import annotations

import json
from datetime import date

import pytest
from ci_support import SAMPLE, fresh_sample_result
from typer.testing import CliRunner

from auditor import baseline
from auditor.cli import app
from auditor.errors import ConfigError

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no auditor.toml or pyproject.toml of the repository applies
    for name in ("AUDITOR_FAIL_ON", "AUDITOR_BASELINE", "AUDITOR_CONFIG", "AUDITOR_EXIT_ZERO", "AUDITOR_SELECT", "AUDITOR_IGNORE", "AUDITOR_OUTPUT"):
        monkeypatch.delenv(name, raising=False)


def _create(tmp_path, *extra: str):
    path = tmp_path / ".auditor-baseline.json"
    outcome = runner.invoke(app, ["baseline", "create", str(SAMPLE), "-o", str(path), "--who", "ci-test", *extra])
    assert outcome.exit_code == 0, outcome.output
    return path


def test_a_full_baseline_makes_the_sample_pass(tmp_path):
    path = _create(tmp_path)
    assert runner.invoke(app, ["audit", str(SAMPLE)]).exit_code == 1
    assert runner.invoke(app, ["audit", str(SAMPLE), "--baseline", str(path)]).exit_code == 0


def test_baseline_file_is_sorted_and_keyed_by_fingerprint(tmp_path):
    path = _create(tmp_path, "--justification", "CMP-42 remediation plan", "--expires", "2031-01-31")
    text = path.read_text()
    data = json.loads(text)
    assert list(data["entries"]) == sorted(data["entries"])
    result = fresh_sample_result()
    assert set(data["entries"]) == set(result.findings.get_column("fingerprint"))
    entry = next(iter(data["entries"].values()))
    assert entry["justification"] == "CMP-42 remediation plan" and entry["who"] == "ci-test" and entry["expires"] == "2031-01-31"
    assert text == baseline.dumps(baseline.Baseline.model_validate(data))  # writing is stable


def test_baselined_findings_are_reported_as_suppressed_not_dropped(tmp_path):
    path = _create(tmp_path)
    report = tmp_path / "r.json"
    runner.invoke(app, ["audit", str(SAMPLE), "--baseline", str(path), "-o", f"json:{report}"])
    data = json.loads(report.read_text())
    assert data["summary"]["findings"] == len(data["findings"]) == data["summary"]["suppressed"]
    assert all(f["suppression"]["kind"] == "baseline" for f in data["findings"])
    assert data["summary"]["failing_findings"] == 0


def _one_entry(result, **changes) -> baseline.Baseline:
    failing = result.failing_findings().row(0, named=True)
    entry = baseline.Entry(rule_id=failing["rule_id"], supplier_id=failing["supplier_id"], evidence_hash=failing["evidence_hash"],
                           justification="accepted", who="me", expires=date(2030, 1, 1))
    return baseline.Baseline(entries={failing["fingerprint"]: entry.model_copy(update=changes)})


def test_an_expired_entry_fails_again():
    result = fresh_sample_result()
    before = result.failing_findings().height
    outcome = baseline.apply(result, _one_entry(result, expires=date(2020, 1, 1)), today=date(2026, 11, 27), file="b.json")
    assert len(outcome["expired"]) == 1 and outcome["suppressed"] == 0
    assert result.failing_findings().height == before


def test_changed_evidence_fails_again():
    result = fresh_sample_result()
    before = result.failing_findings().height
    outcome = baseline.apply(result, _one_entry(result, evidence_hash="0000000000000000"), today=date(2026, 11, 27), file="b.json")
    assert len(outcome["changed"]) == 1 and outcome["suppressed"] == 0
    assert result.failing_findings().height == before


def test_a_current_entry_suppresses_exactly_its_finding():
    result = fresh_sample_result()
    before = result.failing_findings().height
    outcome = baseline.apply(result, _one_entry(result), today=date(2026, 11, 27), file="b.json")
    assert outcome["suppressed"] == 1
    assert result.failing_findings().height == before - 1


def test_entries_matching_no_finding_are_listed():
    result = fresh_sample_result()
    stale = baseline.Entry(rule_id="RF-001", supplier_id="GONE-1", evidence_hash="x", justification="j", who="w")
    outcome = baseline.apply(result, baseline.Baseline(entries={"RF-001:gone": stale}), today=date(2026, 11, 27), file="b.json")
    assert outcome["unmatched"] == [{"fingerprint": "RF-001:gone", "rule_id": "RF-001", "supplier_id": "GONE-1"}]


def test_terminal_lists_expired_and_unmatched_entries(tmp_path):
    path = _create(tmp_path, "--expires", "2020-01-01")
    data = json.loads(path.read_text())
    data["entries"]["RF-001:gone"] = {"rule_id": "RF-001", "supplier_id": "GONE-1", "evidence_hash": "x", "justification": "j", "who": "w", "expires": None}
    path.write_text(json.dumps(data))
    outcome = runner.invoke(app, ["audit", str(SAMPLE), "--baseline", str(path)])
    assert outcome.exit_code == 1
    assert "expired (failing again)" in outcome.output and "match no finding" in outcome.output


def test_a_broken_baseline_file_is_exit_2_naming_the_file(tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"entries": {"x": {"rule_id": "RF-001"}}}')
    outcome = runner.invoke(app, ["audit", str(SAMPLE), "--baseline", str(path)])
    assert outcome.exit_code == 2 and str(path) in outcome.output


def test_expiry_options():
    today = date(2026, 11, 27)
    assert baseline.parse_expiry(None, None, today) == date(2027, 11, 27)
    assert baseline.parse_expiry(None, 30, today) == date(2026, 12, 27)
    assert baseline.parse_expiry("never", None, today) is None
    with pytest.raises(ConfigError):
        baseline.parse_expiry("soon", None, today)


def test_recreating_a_baseline_keeps_recorded_reasons_and_drops_gone_findings(tmp_path):
    path = _create(tmp_path, "--justification", "first reason", "--expires", "2031-01-31")
    data = json.loads(path.read_text())
    data["entries"]["RF-001:gone"] = {"rule_id": "RF-001", "supplier_id": "GONE-1", "evidence_hash": "x", "justification": "j", "who": "w", "expires": None}
    path.write_text(json.dumps(data))
    _create(tmp_path, "--justification", "second reason")
    again = json.loads(path.read_text())["entries"]
    assert "RF-001:gone" not in again
    assert {e["justification"] for e in again.values()} == {"first reason"}
    _create(tmp_path, "--justification", "second reason", "--fresh")
    assert {e["justification"] for e in json.loads(path.read_text())["entries"].values()} == {"second reason"}
