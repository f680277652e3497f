"""Determinism and the committed example reports: same input and rules, same bytes."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from ci_support import ROOT, run_cli, sample_result

from auditor import report_schema
from auditor.render import json_report

FORMATS = ("json", "csv", "sarif", "junit")


def _sample_audit_args() -> list[str]:
    """The SAMPLE_AUDIT line of the Makefile: the one command `make reports` runs."""
    match = re.search(r"^SAMPLE_AUDIT := (.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, "Makefile has no SAMPLE_AUDIT line"
    return shlex.split(match.group(1))


def test_two_runs_give_byte_identical_machine_outputs(tmp_path):
    outputs = {}
    for run, seed in (("a", "1"), ("b", "2")):  # separate processes with different hash seeds
        args = [*_sample_audit_args(), *(x for f in FORMATS for x in ("-o", f"{f}:{tmp_path}/{run}.{f}"))]
        done = run_cli(args, cwd=ROOT, env={"PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs[run] = {f: (tmp_path / f"{run}.{f}").read_bytes() for f in FORMATS}
    for f in FORMATS:
        assert outputs["a"][f] == outputs["b"][f], f"{f} differs between runs"


def test_committed_sample_json_is_up_to_date(tmp_path):
    done = run_cli([*_sample_audit_args(), "-o", f"json:{tmp_path}/sample-audit.json"], cwd=ROOT)
    assert done.returncode == 0, done.stderr
    fresh = (tmp_path / "sample-audit.json").read_text(encoding="utf-8")
    committed = (ROOT / "reports" / "sample-audit.json").read_text(encoding="utf-8")
    assert fresh == committed, "reports/ is stale: run `make reports` and commit the result"


def test_committed_examples_exist_for_each_documented_format():
    for name in ("sample-audit.json", "sample-audit.md", "sample-audit.sarif"):
        assert (ROOT / "reports" / name).stat().st_size > 0, name


def test_shipped_json_schema_matches_the_models():
    assert report_schema.shipped() == report_schema.render(), "run `make reports` to regenerate auditor/schemas/report.schema.json"


def test_sample_report_validates_against_the_shipped_schema():
    import jsonschema

    schema = json.loads(report_schema.shipped())
    document = json.loads(json_report.render(sample_result()))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(document)]
    assert errors == []


def test_schema_rejects_a_report_missing_findings():
    import jsonschema

    schema = json.loads(report_schema.shipped())
    document = json.loads(json_report.render(sample_result()))
    del document["findings"]
    assert not jsonschema.Draft202012Validator(schema).is_valid(document)


def test_schema_version_in_the_report_is_the_one_the_schema_allows():
    schema = json.loads(report_schema.shipped())
    assert schema["properties"]["schema_version"]["const"] == json_report.SCHEMA_VERSION
