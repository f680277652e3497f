"""SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, Azure DevOps, DefectDojo).

Spreadsheet conventions (docs/ci.md, ecosystem.md §4.1): the spreadsheet row is the region's
startLine; the exact cell is the logical location `Sheet!Cell`; partialFingerprints carry the
finding's fingerprint (rule id + supplier id) so that alerts survive row moves. Results are capped
(DEFAULT_MAX_RESULTS, highest risk first, set with --sarif-max-results) because GitHub shows only
5,000 per run; a cut is recorded as a tool execution notification and in run.properties.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from auditor import citations
from auditor.render.ranked import LEVEL, location, top_ranked

if TYPE_CHECKING:
    from auditor.audit import AuditResult
    from auditor.rules import CompiledRule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DEFAULT_MAX_RESULTS = 5000
# GitHub maps security-severity to its own levels: >9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, <4 low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.0", "low": "2.0"}
MAX_TAGS = 20  # GitHub's limit per rule


def _citation_text(rule: CompiledRule) -> list[str]:
    lines = []
    for cite in rule.rule.cite:
        where = citations.label(cite.source, cite.paragraph)
        lines.append(f'{where}: "{cite.quote}"' + (f" ({cite.url})" if cite.url else ""))
    return lines


def rule_descriptor(compiled: CompiledRule) -> dict[str, Any]:
    """A reportingDescriptor: what the rule checks, why, what to do, and where it comes from."""
    rule = compiled.rule
    description = " ".join(rule.description.split()) or rule.title
    remediation = " ".join(rule.remediation.split())
    cites = _citation_text(compiled)
    text = f"{description}\n\nRemediation: {remediation}\n\nSources:\n" + "\n".join(f"- {c}" for c in cites)
    markdown = (f"**{rule.title}** ({rule.kind}, {rule.severity})\n\n{description}\n\n**Remediation.** {remediation}\n\n"
                f"**Sources.**\n\n" + "\n".join(f"- {c}" for c in cites))
    tags = ["forced-labour", rule.kind, rule.category, *(f"ilo:{i.replace(' ', '-')}" for i in rule.ilo_indicators), *rule.tags]
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": description},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "tags": list(dict.fromkeys(tags))[:MAX_TAGS],
            "severity": rule.severity,
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "kind": rule.kind,
            "category": rule.category,
            "due_days": rule.due_days,
            "citations": [c.model_dump(exclude_none=True) for c in rule.cite],
        },
    }
    url = next((c.url for c in rule.cite if c.url), None)
    if url:
        descriptor["helpUri"] = url
    return descriptor


def artifact_location(path: str) -> dict[str, str]:
    """A relative path stays relative to the source root (%SRCROOT%); an absolute one becomes a file URI."""
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return {"uri": "file://" + quote(str(posix), safe="/")}
    return {"uri": quote(str(posix), safe="/"), "uriBaseId": "%SRCROOT%"}


def _result(row: dict[str, Any], rule_index: dict[str, int], suppressed: dict[str, dict[str, Any]], baselined: bool) -> dict[str, Any]:
    cell = location(row)
    result: dict[str, Any] = {
        "ruleId": row["rule_id"],
        "ruleIndex": rule_index[row["rule_id"]],
        "level": LEVEL[row["severity"]],
        "kind": "fail",
        "message": {"text": f"{row['supplier_id']} ({row['supplier_name']}): {row['message']} [{cell}]"},
        "locations": [{
            "physicalLocation": {"artifactLocation": artifact_location(row["file"]), "region": {"startLine": max(int(row["row"]), 1)}},
            "logicalLocations": [{"name": cell, "fullyQualifiedName": f"{PurePosixPath(row['file']).name}/{cell}"}],
            "properties": {"sheet": row["sheet"], "row": row["row"], "column": row["column"], "cell": row["cell"]},
        }],
        "partialFingerprints": {"auditorFinding/v1": row["fingerprint"]},
        "properties": {
            "supplier_id": row["supplier_id"], "supplier_rank": row["supplier_rank"], "severity": row["severity"],
            "category": row["category"], "evidence": json.loads(row["evidence"]), "evidence_hash": row["evidence_hash"],
        },
    }
    if baselined:  # [] means "checked against the baseline, not suppressed"; absent would mean "not checked"
        s = suppressed.get(row["fingerprint"])
        result["suppressions"] = [] if s is None else [{
            "kind": "external", "status": "accepted",
            "justification": f"{s['justification']} (accepted by {s['who']}" + (f", until {s['expires']})" if s["expires"] else ")"),
        }]
    return result


def _notifications(result: AuditResult, shown: int, total: int) -> list[dict[str, Any]]:
    notes = []
    if shown < total:
        notes.append({"level": "warning", "descriptor": {"id": "results-truncated"},
                      "message": {"text": f"{total - shown} of {total} results left out (highest risk kept); raise --sarif-max-results or use the json output"}})
    outcome = result.extra.get("baseline")
    if outcome:
        for key, level, what in (("expired", "warning", "expired baseline entries (the findings fail again)"),
                                 ("changed", "warning", "baseline entries whose evidence changed (the findings fail again)"),
                                 ("unmatched", "note", "baseline entries that match no finding (remove them)")):
            if outcome[key]:
                ids = ", ".join(e["fingerprint"] for e in outcome[key][:20]) + (" …" if len(outcome[key]) > 20 else "")
                notes.append({"level": level, "descriptor": {"id": f"baseline-{key}"},
                              "message": {"text": f"{len(outcome[key])} {what}: {ids}"}})
    return notes


def document(result: AuditResult) -> dict[str, Any]:
    """The SARIF log as plain data."""
    limit = int(result.extra.get("sarif_max_results", DEFAULT_MAX_RESULTS))
    rules = sorted(result.rules, key=lambda c: c.id)
    rule_index = {c.id: i for i, c in enumerate(rules)}
    ranked = top_ranked(result, limit)  # a large audit's results are cut at `limit`: only those are built
    total = result.findings_count()
    suppressed = result.extra.get("suppressed", {})
    baselined = "baseline" in result.extra
    results = [_result(row, rule_index, suppressed, baselined) for row in ranked.iter_rows(named=True)]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "auditor", "version": result.tool_version, "semanticVersion": result.tool_version,
                                "rules": [rule_descriptor(c) for c in rules]}},
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": _notifications(result, len(results), total)}],
            "results": results,
            "properties": {"fail_on": result.fail_on, "results_total": total, "results_shown": len(results),
                           "truncated": len(results) < total, "failing_findings": result.failing_count()},
        }],
    }


def render(result: AuditResult) -> str:
    """The SARIF log as text."""
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
