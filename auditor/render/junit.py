"""JUnit XML for CI test dashboards (Jenkins, GitLab, Azure DevOps, GitHub test reporters).

One testsuite per input file and one testcase per rule in it, named checkov-style
`[SEVERITY][ID] title`, so the count stays stable and a dashboard shows "rule X regressed". Each
finding at or above --fail-on (and not suppressed by a baseline) is a <failure>; findings below it,
suppressed ones and suppliers the rule could not be evaluated for are listed in <system-out>.
The testsuite's `failures` counts failing testcases (rules). Validated against the Jenkins/Surefire
XSD that pytest uses (tests/schemas/junit-10.xsd), which allows no `file` attribute on testcases.
No timestamps or timings, so the same input gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import polars as pl

from auditor.render.ranked import location, ranked_findings

if TYPE_CHECKING:
    from auditor.audit import AuditResult


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _lines(rows: list[dict[str, Any]], label: str) -> list[str]:
    return [f"{label}: {r['supplier_id']} at {location(r)}: {r['message']}" for r in rows]


def _testcase(rule: Any, findings: list[dict[str, Any]], missing: list[str], suppressed: dict[str, dict[str, Any]]) -> ET.Element:
    r = rule.rule
    case = ET.Element("testcase", {"classname": f"auditor.{r.category}", "name": f"[{r.severity.upper()}][{r.id}] {r.title}"})
    failing = [f for f in findings if f["failing"]]
    for f in failing:
        failure = ET.SubElement(case, "failure", {"type": r.severity, "message": _xml_text(f"{f['supplier_id']} at {location(f)}: {f['message']}")})
        failure.text = _xml_text(f"supplier: {f['supplier_id']} ({f['supplier_name']})\nwhere: {f['file']} {location(f)} (column {f['column']})\n"
                        f"evidence: {f['evidence']}\nfingerprint: {f['fingerprint']}")
    out = _lines([f for f in findings if f["suppressed"]], "suppressed by baseline")
    out += _lines([f for f in findings if not f["failing"] and not f["suppressed"]], "below fail-on")
    if missing:
        out.append(f"not evaluable (missing data) for {len(missing)} supplier(s): {', '.join(missing)}")
    if out:
        ET.SubElement(case, "system-out").text = _xml_text("\n".join(out))
    return case


def document(result: AuditResult) -> ET.Element:
    """The <testsuites> element."""
    ranked = ranked_findings(result)
    suppressed = result.extra.get("suppressed", {})
    not_evaluable = result.evaluation.not_evaluable
    files = sorted({i.path for i in result.loaded.inputs} | set(ranked.get_column("file").to_list()))
    rules = sorted(result.rules, key=lambda c: c.id)
    root = ET.Element("testsuites", {"name": "auditor"})
    total_tests = total_failures = 0
    for file in files:
        in_file = ranked.filter(pl.col("file") == file)
        missing_in_file = not_evaluable.filter(pl.col("file") == file)
        cases = []
        for compiled in rules:
            findings = in_file.filter(pl.col("rule_id") == compiled.id).to_dicts()
            missing = missing_in_file.filter(pl.col("rule_id") == compiled.id).get_column("supplier_id").sort().to_list()
            cases.append(_testcase(compiled, findings, missing, suppressed))
        failures = sum(1 for c in cases if c.find("failure") is not None)
        suite = ET.SubElement(root, "testsuite", {"name": file, "tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": "0"})
        props = ET.SubElement(suite, "properties")
        for name, value in (("auditor_version", result.tool_version), ("fail_on", result.fail_on), ("rules", str(len(rules))),
                            ("findings", str(in_file.height)), ("suppressed", str(int(in_file.get_column("suppressed").sum())))):
            ET.SubElement(props, "property", {"name": name, "value": value})
        suite.extend(cases)
        total_tests += len(cases)
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    return root


def render(result: AuditResult) -> str:
    """The JUnit XML as text."""
    root = document(result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
