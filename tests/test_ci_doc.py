"""docs/ci.md: the commands its workflow runs work on real-looking input, as written."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from ci_support import ROOT, SAMPLE, junit_errors, run_cli, sarif_errors

DOC = ROOT / "docs" / "ci.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def _auditor_commands(language: str) -> list[str]:
    return [line.strip() for block in _blocks(language) for line in block.splitlines() if line.strip().startswith("auditor ")]


def test_the_documented_workflow_passes_on_the_sample_with_its_baseline(tmp_path):
    (tmp_path / "suppliers").mkdir()
    shutil.copy(SAMPLE, tmp_path / "suppliers" / "sample_suppliers.xlsx")
    config = next(b for b in _blocks("toml") if b.startswith("# auditor.toml"))
    (tmp_path / "auditor.toml").write_text(config)
    summary = tmp_path / "step-summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}

    create = [c for c in _auditor_commands("sh") if c.startswith("auditor baseline create ")]
    workflow = _auditor_commands("yaml")
    assert len(create) == 1 and len(workflow) == 1
    made = run_cli([create[0]], cwd=tmp_path, env=env, shell=True)
    assert made.returncode == 0, made.stderr
    done = run_cli([workflow[0]], cwd=tmp_path, env=env, shell=True)

    assert done.returncode == 0, done.stderr  # the full baseline suppresses every finding
    assert sarif_errors(json.loads((tmp_path / "auditor.sarif").read_text())) == []
    assert junit_errors((tmp_path / "auditor-junit.xml").read_text()) == []
    report = json.loads((tmp_path / "auditor-report.json").read_text())
    assert report["summary"]["suppressed"] == report["summary"]["findings"] > 0
    assert "## Findings by rule" in summary.read_text()
    assert done.stdout.startswith("::group::auditor")


def test_the_documented_workflow_fails_without_the_baseline(tmp_path):
    (tmp_path / "suppliers").mkdir()
    shutil.copy(SAMPLE, tmp_path / "suppliers" / "sample_suppliers.xlsx")
    done = run_cli([_auditor_commands("yaml")[0]], cwd=tmp_path, shell=True)
    assert done.returncode == 1
    assert "::error file=suppliers/sample_suppliers.xlsx,line=" in done.stdout


def test_the_documented_baseline_from_a_reviewed_workbook_accepts_the_rows_marked_with_a_reason(tmp_path):
    import openpyxl

    command = next(c for c in _auditor_commands("sh") if c.startswith("auditor baseline from-workbook "))
    workbook = tmp_path / command.split()[3]
    assert run_cli(["audit", str(SAMPLE), "--fail-on", "never", "-o", f"xlsx:{workbook}"], cwd=tmp_path).returncode == 0
    book = openpyxl.load_workbook(workbook)
    sheet = book["Findings"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    accepted = sheet.cell(2, headers["Finding ID"]).value
    sheet.cell(2, headers["Status"]).value = "false positive"
    sheet.cell(2, headers["Notes"]).value = "site closed in 2025; listed in error"
    book.save(workbook)
    made = run_cli([command], cwd=tmp_path, shell=True)
    assert made.returncode == 0, made.stderr
    entries = json.loads((tmp_path / ".auditor-baseline.json").read_text())["entries"]
    assert list(entries) == [accepted]
    assert entries[accepted]["justification"] == "false positive: site closed in 2025; listed in error"
