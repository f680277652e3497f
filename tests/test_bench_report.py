"""The benchmark report keeps the measured tables and the hand-written notes apart."""

from __future__ import annotations

from benchmarks import run


def test_notes_replace_the_old_notes_instead_of_piling_up(tmp_path, monkeypatch):
    notes = tmp_path / "notes.md"
    notes.write_text("## Notes (hand-written; appended)\n\nnew findings\n")
    monkeypatch.setattr(run, "NOTES", notes)
    measured = "# Benchmarks\n\n| rows | s |\n\n## Notes (hand-written; appended)\n\nold findings\n"
    once = run.with_notes(measured)
    assert once == "# Benchmarks\n\n| rows | s |\n\n## Notes (hand-written; appended)\n\nnew findings\n"
    assert run.with_notes(once) == once
