"""Outputs are written atomically, and rule and config files are read with safe parsers only."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from auditor.render import write_atomic

PACKAGE = Path(__file__).resolve().parent.parent / "auditor"


def test_write_atomic_replaces_the_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    write_atomic(target, "new")
    assert target.read_text() == "new"


def test_interrupted_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "audit.xlsx"
    target.write_bytes(b"good workbook")
    real_fdopen = os.fdopen

    class Interrupted:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()
            return False

        def write(self, data):
            self.handle.write(data[:3])  # part of the payload reaches the disk, then Ctrl-C
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Interrupted(real_fdopen(fd, mode)))
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"half-written new workbook")
    assert target.read_bytes() == b"good workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["audit.xlsx"]  # no temporary file left behind


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
