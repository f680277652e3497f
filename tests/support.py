"""Small helpers shared by tests: build supplier files and run the CLI in-process."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from auditor.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_XLSX = ROOT / "sample_suppliers" / "sample_suppliers.xlsx"
REPORT_TXT_CANDIDATES = (ROOT.parent / "shared" / "vienna-forum-report-2008.txt", Path("/work/shared/vienna-forum-report-2008.txt"))


def write_csv(path: Path, header: list[str], rows: list[list[object]], delimiter: str = ",") -> Path:
    """Write a small CSV supplier file."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `auditor ARGS` in-process; return exit code, stdout and stderr."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> tuple[int, dict]:
    """Run an audit with `-o json` to stdout and parse the report."""
    code, out, _ = run_cli(*args, "-o", "json")
    return code, json.loads(out)
