"""Shared helpers for the CI-interface tests: the sample audit, run once, and validators for the shipped schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_suppliers" / "sample_suppliers.xlsx"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
BIN = Path(sys.executable).parent


@cache
def sample_result():
    """The bundled sample audited with the bundled rules (shared: renderers must not mutate it)."""
    from auditor.audit import run_audit

    return run_audit([SAMPLE])


def fresh_sample_result():
    """A sample audit of its own, for tests that apply a baseline or change options."""
    from auditor.audit import run_audit

    return run_audit([SAMPLE])


def sarif_errors(document: dict) -> list[str]:
    """Every violation of the OASIS SARIF 2.1.0 schema."""
    import jsonschema

    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return [f"{list(e.absolute_path)}: {e.message}" for e in jsonschema.Draft4Validator(schema).iter_errors(document)]


def junit_errors(xml_text: str) -> list[str]:
    """Every violation of the Jenkins/Surefire JUnit XSD."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-10.xsd")))
    schema.validate(etree.fromstring(xml_text.encode("utf-8")))
    return [str(e) for e in schema.error_log]


def run_cli(args: list[str], cwd: Path, env: dict[str, str] | None = None, shell: bool = False) -> subprocess.CompletedProcess:
    """Run the installed `auditor` in a fresh process (its own hash seed, real exit code)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITOR_") and k != "GITHUB_STEP_SUMMARY"}
    full_env["PATH"] = f"{BIN}{os.pathsep}{full_env.get('PATH', '')}"
    full_env.update(env or {})
    command = args[0] if shell else [str(BIN / "auditor"), *args]
    return subprocess.run(command, cwd=cwd, env=full_env, capture_output=True, text=True, shell=shell, executable="/bin/bash" if shell else None)
