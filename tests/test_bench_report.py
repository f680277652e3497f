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


def test_the_write_floor_writes_the_findings_file_it_read_unchanged(tmp_path):
    import polars as pl

    from benchmarks import child

    findings = pl.DataFrame({"supplier_rank": [1, 2], "rule_id": ["RF-001", "DOC-001"], "message": ["a fee", "papers held"]})
    findings.write_parquet(tmp_path / "in.parquet")
    timed = child.write_alone(tmp_path / "in.parquet", tmp_path / "out.parquet")
    assert timed["count"] == 2 and timed["seconds"] >= 0
    assert pl.read_parquet(tmp_path / "out.parquet").equals(findings)


def test_the_output_side_adds_reading_and_writing_as_the_audits_lower_bound(monkeypatch):
    monkeypatch.setattr(run.os, "cpu_count", lambda: 2)
    floor = run.Sample(seconds=[2.0, 2.2, 2.4], rss_mb=[400.0] * 3, cpu=[4.0] * 3)
    write = run.Sample(seconds=[3.0, 3.5, 4.0], rss_mb=[900.0] * 3, cpu=[7.0] * 3)
    lines = run.output_side({"floor": floor}, write, 12_537_827, 1_000_000)
    assert "| both, the audit's lower bound | 5.70 (2.59× the floor) | 11.00 (2× the floor on 2 cores allows 8.80) |" in lines
    assert run.output_side(None, write, 0, 1_000_000) == []
