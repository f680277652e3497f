"""Progress bars: drawn on a terminal, silent in CI and when stderr is piped."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from auditor import progress

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_suppliers" / "sample_suppliers.xlsx"


def test_no_progress_when_the_console_is_not_a_terminal():
    out = io.StringIO()
    with progress.steps(Console(file=out)) as step, step("Reading"):
        pass
    assert out.getvalue() == ""


def test_progress_is_drawn_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    assert progress.enabled(console)
    with progress.steps(console) as step, step("Reading 1 file(s)"):
        pass
    assert "Reading 1 file(s)" in out.getvalue()


def test_a_step_that_says_how_far_it_is_shows_the_share_done(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with progress.steps(console) as step, step("Writing xlsx") as tick:
        tick(60, 200)
    assert "30%" in out.getvalue()


def test_without_a_terminal_a_step_still_takes_ticks():
    with progress.steps(Console(file=io.StringIO())) as step, step("Writing xlsx") as tick:
        tick(1, 2)  # nothing drawn, nothing raised


def test_no_progress_in_ci_even_on_a_terminal(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert not progress.enabled(Console(file=io.StringIO(), force_terminal=True))


def test_audit_with_piped_stderr_prints_no_progress(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    done = subprocess.run([sys.executable, "-m", "auditor", "audit", str(SAMPLE), "-o", f"json:{tmp_path / 'a.json'}"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr
    for label in ("Reading", "Evaluating", "Scoring", "Writing"):
        assert label not in done.stderr
        assert label not in done.stdout
    assert "\x1b[?25l" not in done.stderr  # rich hides the cursor while a live display runs
