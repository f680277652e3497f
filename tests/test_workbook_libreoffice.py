"""Open the remediation workbook as a person would, in LibreOffice (headless): it loads, converts and shows the findings."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from auditor.audit import run_audit
from auditor.render import workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc"),
]
SAMPLE = Path(__file__).resolve().parents[1] / "sample_suppliers" / "sample_suppliers.xlsx"
# CSV filter options: comma, double quote, UTF-8, from row 1, …, last field -1 = every sheet to its own file.
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def convert(source: Path, target: str, outdir: Path, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", target,
         "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=240,
    )


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    base = tmp_path_factory.mktemp("lo")
    result = run_audit([SAMPLE])
    result.extra["audit_date"] = date(2026, 11, 27)
    book = base / "audit.xlsx"
    workbook.render(result, book)
    profile = base / "profile"
    runs = [convert(book, CSV_ALL_SHEETS, base / "csv", profile), convert(book, "pdf", base / "pdf", profile)]
    return result, base, runs


def test_libreoffice_loads_and_converts_the_workbook_without_errors(converted):
    _, _, runs = converted
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "could not be loaded" not in run.stdout + run.stderr
        assert "Error" not in run.stderr


def test_every_sheet_converts_to_csv(converted):
    _, base, _ = converted
    names = sorted(p.stem.removeprefix("audit-") for p in (base / "csv").glob("*.csv"))
    assert names == sorted(["Summary", "Suppliers", "Findings", "Not evaluable", "Data quality", "Rules"])


def test_libreoffice_shows_every_finding_with_its_message(converted):
    result, base, _ = converted
    with (base / "csv" / "audit-Findings.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == result.findings.height
    expected = dict(zip(result.findings.get_column("fingerprint"), result.findings.get_column("message")))
    assert {r["Finding ID"]: r["Finding"] for r in rows} == expected
    assert {r["Status"] for r in rows} == {"open"}


def test_formula_like_supplier_name_is_shown_as_typed_not_evaluated(converted):
    _, base, _ = converted
    with (base / "csv" / "audit-Suppliers.csv").open(encoding="utf-8", newline="") as handle:
        names = [r["Supplier"] for r in csv.DictReader(handle)]
    assert '=HYPERLINK("http://example.invalid","click")' in names
    assert "click" not in names


def test_workbook_prints_to_pdf(converted):
    _, base, _ = converted
    pdf = (base / "pdf" / "audit.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") + pdf.count(b"/Type/Page") > 6  # at least a page per sheet
