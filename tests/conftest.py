"""Shared helpers: small supplier files written on the fly, and the CLI run in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
FACILITY_LISTS = next(
    (p for p in (REPO.parent / "shared" / "data" / "facility-lists", REPO.parent.parent / "shared" / "data" / "facility-lists",
                 Path("/work/shared/data/facility-lists")) if p.is_dir()),
    None,
)
OSH_MAPPING = REPO / "sample_suppliers" / "open-supply-hub.mapping.toml"


def write_xlsx(path: Path, rows: list[list], sheet: str = "Suppliers", extra: dict[str, list[list]] | None = None, edit=None) -> Path:
    """Write rows to an xlsx sheet with openpyxl; `edit(workbook)` may change it before saving."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for name, more in (extra or {}).items():
        other = workbook.create_sheet(name)
        for row in more:
            other.append(row)
    if edit is not None:
        edit(workbook)
    workbook.save(path)
    return path


@pytest.fixture
def run_cli():
    """Run `auditor ARGS…` in-process; returns (exit code, stdout, stderr)."""
    from auditor.cli import app

    def run(*args: str):
        result = CliRunner().invoke(app, [str(a) for a in args])
        return result.exit_code, result.stdout, result.stderr

    return run


def pytest_collection_modifyitems(config, items):
    """Tests marked slow run only when asked for: `pytest -m slow` (the default run stays fast)."""
    if "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with `pytest -m slow`")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
