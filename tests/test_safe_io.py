"""Outputs are written atomically, and rule and config files are read with safe parsers only."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

import polars as pl

from auditor.render import write_atomic
from auditor.render.batches import sink

PACKAGE = Path(__file__).resolve().parent.parent / "auditor"


def test_write_atomic_replaces_the_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    write_atomic(target, "new")
    assert target.read_text() == "new"


def test_interrupted_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "audit.xlsx"
    target.write_bytes(b"good workbook")
    real_write_bytes = Path.write_bytes

    def interrupted(path, data):
        real_write_bytes(path, data[:3])  # part of the payload reaches the disk, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"half-written new workbook")
    monkeypatch.undo()
    assert target.read_bytes() == b"good workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["audit.xlsx"]  # no temporary file left behind


def test_a_streamed_write_that_fails_between_batches_leaves_the_old_file_intact(tmp_path):
    target = tmp_path / "findings.parquet"
    target.write_bytes(b"good findings")

    def batches():
        yield pl.DataFrame({"rule_id": ["FEE-001"]})
        raise KeyboardInterrupt  # Ctrl-C while the second batch is built

    with pytest.raises(KeyboardInterrupt):
        sink(batches(), target, lambda lazy, path: lazy.sink_parquet(path))
    assert target.read_bytes() == b"good findings"
    assert [p.name for p in tmp_path.iterdir()] == ["findings.parquet"]


def test_failed_rename_leaves_the_old_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old")

    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def _calls(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                names.add(f"{func.value.id}.{func.attr}")
    return names


def test_no_module_evaluates_or_imports_user_supplied_code():
    unsafe = {"eval", "exec", "compile", "__import__", "importlib.import_module", "pickle.load", "pickle.loads",
              "yaml.load", "yaml.unsafe_load", "marshal.loads", "runpy.run_path", "runpy.run_module"}
    found = {}
    for path in PACKAGE.rglob("*.py"):
        hits = _calls(ast.parse(path.read_text(encoding="utf-8"))) & unsafe
        if hits:
            found[path.name] = sorted(hits)
    assert found == {}


def test_rule_and_mapping_files_are_read_with_tomllib():
    for name in ("rules.py", "mapping.py", "reference.py"):
        calls = _calls(ast.parse((PACKAGE / name).read_text(encoding="utf-8")))
        assert calls & {"tomllib.loads", "tomllib.load"}, name
