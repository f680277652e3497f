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
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import polars as pl

from auditor.engine import FINDING_COLUMNS, HIT
from auditor.load import FILE
from auditor.render.ranked import finding_counts, location, ranked_findings, row_rank, with_flags

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


HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
PLACEHOLDER = "@@testcases@@"


def _testcases(result: AuditResult, file: str, rules: list[Any]) -> Iterator[ET.Element]:
    """Each rule's testcase for one input file, built from that rule's findings in the file alone."""
    evaluated = result.evaluation.evaluated
    suppressed = result.extra.get("suppressed", {})
    rows = evaluated.frame.select("__pos", "supplier_id", *[HIT + c.id for c in rules]).filter(evaluated.frame.get_column(FILE) == file)
    in_file = rows.get_column("__pos")
    rank = row_rank(result)
    for compiled in rules:
        findings = evaluated.findings(in_file, [compiled])
        findings = findings.with_columns(rank.gather(findings.get_column("__pos")).alias("supplier_rank")).sort(
            "supplier_rank", nulls_last=True, maintain_order=True).select(*FINDING_COLUMNS, "supplier_rank")
        missing = rows.filter(pl.col(HIT + compiled.id).is_null()).get_column("supplier_id").sort().to_list()
        yield _testcase(compiled, with_flags(findings, result).to_dicts(), missing, suppressed)


def pieces(result: AuditResult) -> Iterator[str]:
    """The JUnit XML as consecutive pieces of text, the same bytes as `render`: a rule's testcase at a time, so a large
    audit never holds every finding (or an element for each) at once."""
    evaluated = result.evaluation.evaluated
    if evaluated is None or evaluated.frame.height != result.loaded.suppliers.height:
        yield render(result)  # an evaluation built by hand: its findings are all there is
        return
    counts = finding_counts(result)
    rules = sorted(result.rules, key=lambda c: c.id)
    files = sorted({i.path for i in result.loaded.inputs} | {f for f, _ in counts})
    # The document without its testcases (ElementTree writes and indents it as `render` does), then each file's
    # testcases in the place of a placeholder, indented as ElementTree would indent them there.
    root = ET.Element("testsuites", {"name": "auditor"})
    total_failures = 0
    for file in files:
        per_rule = [counts.get((file, c.id), (0, 0, 0)) for c in rules]
        failures = sum(1 for _, failing, _ in per_rule if failing)
        suite = ET.SubElement(root, "testsuite", {"name": file, "tests": str(len(rules)), "failures": str(failures), "errors": "0", "skipped": "0"})
        props = ET.SubElement(suite, "properties")
        for name, value in (("auditor_version", result.tool_version), ("fail_on", result.fail_on), ("rules", str(len(rules))),
                            ("findings", str(sum(n for n, _, _ in per_rule))), ("suppressed", str(sum(s for _, _, s in per_rule)))):
            ET.SubElement(props, "property", {"name": name, "value": value})
        if rules:
            ET.SubElement(suite, "testcase", {"name": PLACEHOLDER})
        total_failures += failures
    root.set("tests", str(len(rules) * len(files)))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    rest = HEADER + ET.tostring(root, encoding="unicode") + "\n"
    for file in files if rules else ():
        before, rest = rest.split(f'<testcase name="{PLACEHOLDER}" />', 1)
        yield before
        for i, case in enumerate(_testcases(result, file, rules)):
            ET.indent(case, level=2)
            yield ("\n    " if i else "") + ET.tostring(case, encoding="unicode")
    yield rest


def render(result: AuditResult) -> str:
    """The JUnit XML as text, built whole (render.emit writes the same bytes from `pieces`)."""
    root = document(result)
    ET.indent(root)
    return HEADER + ET.tostring(root, encoding="unicode") + "\n"
