"""The machine outputs: valid against their published schemas, pointing at the spreadsheet, safe to open."""

from __future__ import annotations

import csv
import io
import json

import polars as pl
import pytest
from ci_support import SAMPLE, fresh_sample_result, junit_errors, sarif_errors, sample_result

from auditor import render
from auditor.render import csv_report, github, junit, markdown, sarif


def test_sarif_output_validates_against_the_oasis_schema():
    assert sarif_errors(json.loads(sarif.render(sample_result()))) == []


def test_sarif_lists_every_rule_with_help_text_and_its_citation():
    result = sample_result()
    rules = json.loads(sarif.render(result))["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(c.id for c in result.rules)
    first = next(c for c in result.rules if c.id == rules[0]["id"])
    assert first.rule.cite[0].quote in rules[0]["help"]["text"]
    assert "Remediation" in rules[0]["help"]["markdown"]


def test_sarif_result_points_at_the_spreadsheet_row_and_cell():
    result = sample_result()
    document = json.loads(sarif.render(result))
    first = document["runs"][0]["results"][0]
    finding = result.findings.filter(pl.col("fingerprint") == first["partialFingerprints"]["auditorFinding/v1"]).row(0, named=True)
    location = first["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == sarif.artifact_location(finding["file"])
    assert location["physicalLocation"]["region"]["startLine"] == finding["row"]
    assert location["logicalLocations"][0]["name"] == f"{finding['sheet']}!{finding['cell']}"


def test_sarif_results_are_capped_highest_risk_first_and_the_cut_recorded():
    result = fresh_sample_result()
    result.extra["sarif_max_results"] = 5
    run = json.loads(sarif.render(result))["runs"][0]
    assert len(run["results"]) == 5
    assert {r["properties"]["severity"] for r in run["results"]} == {"critical"}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["descriptor"]["id"] == "results-truncated"
    assert run["properties"]["truncated"] is True and run["properties"]["results_total"] == result.findings.height
    assert sarif_errors({"version": "2.1.0", "runs": [run]}) == []


def test_junit_output_validates_against_the_junit_xsd():
    assert junit_errors(junit.render(sample_result())) == []


def test_junit_has_one_testcase_per_rule_and_a_failure_per_failing_finding():
    from lxml import etree

    result = sample_result()
    root = etree.fromstring(junit.render(result).encode())
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(result.rules)
    assert len(root.findall("testsuite/testcase/failure")) == result.failing_findings().height
    assert int(root.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)


def test_csv_has_one_row_per_finding():
    result = sample_result()
    rows = list(csv.DictReader(io.StringIO(csv_report.render(result))))
    assert len(rows) == result.findings.height
    assert {r["fingerprint"] for r in rows} == set(result.findings.get_column("fingerprint"))


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_get_an_apostrophe(tmp_path, name):
    from auditor.audit import run_audit

    source = tmp_path / "suppliers.csv"
    pl.DataFrame({"supplier_id": ["S-1"], "supplier_name": [name], "workers_paid_recruitment_fees": ["yes"]}).write_csv(source)
    result = run_audit([source], select=["RF-001"])
    rows = list(csv.DictReader(io.StringIO(csv_report.render(result))))
    assert rows[0]["supplier_name"] == "'" + name


@pytest.mark.parametrize("text", ["\tcmd", "\rcmd", "=1", "+1", "-1", "@x"])
def test_formula_guard_covers_tab_and_carriage_return_too(text):
    guarded = pl.DataFrame({"v": [text, "plain"]}).select(csv_report.formula_safe("v")).get_column("v").to_list()
    assert guarded == ["'" + text, "plain"]


def test_sarif_paths_relative_to_the_source_root_or_file_uris():
    assert sarif.artifact_location("data/my suppliers.xlsx") == {"uri": "data/my%20suppliers.xlsx", "uriBaseId": "%SRCROOT%"}
    assert sarif.artifact_location("/srv/a.csv") == {"uri": "file:///srv/a.csv"}


def test_parquet_holds_the_findings_with_their_types(tmp_path):
    result = sample_result()
    render.emit(result, render.parse_output(f"parquet:{tmp_path / 'f.parquet'}"))
    frame = pl.read_parquet(tmp_path / "f.parquet")
    assert frame.height == result.findings.height
    assert frame.schema["row"] == pl.Int64 and frame.schema["failing"] == pl.Boolean


def test_parquet_needs_a_path():
    from auditor.errors import ConfigError

    with pytest.raises(ConfigError, match="needs a path"):
        render.parse_output("parquet")


def test_github_annotations_stop_at_ten_per_level():
    lines = github.annotations(sample_result())
    for level in ("error", "warning", "notice"):
        assert sum(line.startswith(f"::{level} ") for line in lines) <= github.MAX_PER_LEVEL
    assert sum(line.startswith("::error ") for line in lines) == github.MAX_PER_LEVEL  # the sample has more


def test_github_escapes_message_and_property_text():
    assert github.escape_data("50% of\nworkers\r") == "50%25 of%0Aworkers%0D"
    assert github.escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_writes_the_job_summary_when_github_asks(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    github.render(sample_result())
    text = summary.read_text()
    assert text.startswith("earlier step\n") and "## Findings by rule" in text


def test_markdown_summary_counts_match_the_result():
    result = sample_result()
    text = markdown.render(result)
    top = result.suppliers.row(0, named=True)
    assert f"| 1 | {top['supplier_id']} |" in text
    assert f"findings: {result.findings.height};" in text


def test_markdown_escapes_spreadsheet_text():
    assert markdown.escape("<img src=x> *bold* | pipe") == "&lt;img src=x&gt; \\*bold\\* \\| pipe"


def test_every_documented_format_is_registered():
    assert {"json", "csv", "parquet", "sarif", "junit", "github", "markdown"} <= set(render.known_formats())


def test_sample_input_file_exists():
    assert SAMPLE.is_file()


def _csv_audit(tmp_path, name: str):
    from auditor.audit import run_audit

    source = tmp_path / "suppliers.csv"
    pl.DataFrame({"supplier_id": ["S-1"], "supplier_name": [name], "workers_paid_recruitment_fees": ["yes"]}).write_csv(source)
    return run_audit([source], select=["RF-001"])


def test_sarif_for_a_csv_input_uses_the_line_and_the_cell(tmp_path):
    document = json.loads(sarif.render(_csv_audit(tmp_path, "Acme")))
    location = document["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["region"]["startLine"] == 2  # the line after the header
    assert "!" not in location["logicalLocations"][0]["name"]
    assert sarif_errors(document) == []


def test_junit_stays_valid_xml_when_spreadsheet_text_has_control_characters(tmp_path):
    result = _csv_audit(tmp_path, "Acme\x01\x0bLtd <&>")
    assert "\x01" in result.findings.get_column("supplier_name")[0]  # the loader kept it: the renderer must cope
    assert junit_errors(junit.render(result)) == []
