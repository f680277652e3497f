"""Markdown: a readable summary of an audit (counts, top suppliers, findings by rule, baseline).

Used on its own (`-o markdown:report.md`), as the GitHub job summary, and as sections another
renderer can reuse. Spreadsheet text is escaped so it renders as text, never as markup or HTML.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from auditor.render.ranked import finding_counts
from auditor.rules import SEVERITIES

if TYPE_CHECKING:
    from auditor.audit import AuditResult

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # what can start markup inside a line or a table cell


def escape(value: Any) -> str:
    """A value as inline Markdown text: markup characters escaped, HTML neutralised, one line."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def code(value: Any) -> str:
    """A value as an inline code span (no escaping inside; backticks and line breaks removed)."""
    return "`" + " ".join(str(value).replace("`", "'").split()) + "`"


def table(headers: list[str], rows: list[list[Any]], align: str = "") -> list[str]:
    """A GitHub-flavoured Markdown table; align is one letter per column (l, r, c)."""
    marks = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(marks.get(a, "---") for a in align.ljust(len(headers), "l")) + "|"]
    lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows]
    return lines


def summary_section(result: AuditResult) -> list[str]:
    """Headline counts and what they mean for the exit code."""
    s = result.summary()
    if result.fail_on == "never":
        verdict = "`fail-on never`: the run passes whatever was found."
    elif s["failing_findings"]:
        verdict = f"**{s['failing_findings']} finding(s) at or above `{result.fail_on}`**: the run fails (exit 1)."
    else:
        verdict = f"No findings at or above `{result.fail_on}`: the run passes (exit 0)."
    lines = [
        f"- Rows read: {s['rows_read']} = assessed {s['rows_assessed']} + rejected {s['rows_rejected']}",
        f"- Rules: {s['rules']}; findings: {s['findings']}; not evaluable (missing data): {s['not_evaluable']}; data-quality notes: {s['data_quality']}",
    ]
    if s.get("suppressed"):
        lines.append(f"- Suppressed by the baseline: {s['suppressed']}")
    lines += ["", verdict, ""]
    lines += table(["Supplier risk tier", *s["suppliers_by_tier"]], [["suppliers", *s["suppliers_by_tier"].values()]], "l" + "r" * 4)
    lines.append("")
    lines += table(["Finding severity", *SEVERITIES], [["findings", *(s["findings_by_severity"].get(k, 0) for k in SEVERITIES)]], "l" + "r" * 4)
    return lines


def top_suppliers_section(result: AuditResult, limit: int = 10) -> list[str]:
    """The highest-risk suppliers with their top rules."""
    rows = [
        [r["rank"], r["supplier_id"], r["supplier_name"], r["country"] or "?", r["sector"] or "?", r["tier"], f"{r['score']:.1f}",
         f"{r['confidence']:.0%}", r["findings"], " ".join(r["top_rules"]) or "-"]
        for r in result.suppliers.head(limit).iter_rows(named=True)
    ]
    lines = table(["#", "Supplier", "Name", "Country", "Sector", "Risk", "Score", "Known", "Findings", "Top rules"], rows, "rlllllrrrl")
    if result.suppliers.height > limit:
        lines.append(f"\n{result.suppliers.height - limit} more suppliers in the full report.")
    return lines


def rule_counts(result: AuditResult) -> dict[str, dict[str, int]]:
    """Per rule id: findings raised, failing the run and suppressed by a baseline (ranked.finding_counts over files)."""
    counts: dict[str, dict[str, int]] = {}
    for (_, rule), numbers in finding_counts(result).items():
        total = counts.setdefault(rule, {"findings": 0, "failing": 0, "suppressed": 0})
        for key, n in zip(total, numbers):
            total[key] += n
    return counts


def rules_section(result: AuditResult) -> list[str]:
    """One row per rule: how many findings it raised, how many fail the run, how many could not be checked."""
    counts = rule_counts(result)
    engine_counts = result.evaluation.rule_counts
    not_evaluable = dict(zip(engine_counts.get_column("rule_id").to_list(), engine_counts.get_column("not_evaluable").to_list()))
    rows = []
    for c in sorted(result.rules, key=lambda c: (SEVERITIES.index(c.rule.severity), c.id)):
        n = counts.get(c.id, {"findings": 0, "failing": 0, "suppressed": 0})
        rows.append([c.id, c.rule.title, c.rule.severity, c.rule.kind, n["findings"], n["failing"], n["suppressed"], not_evaluable.get(c.id, 0)])
    return table(["Rule", "Title", "Severity", "Kind", "Findings", "Failing", "Suppressed", "Not evaluable"], rows, "llllrrrr")


def baseline_section(result: AuditResult) -> list[str]:
    """What the baseline did: suppressed, and the entries that need attention."""
    outcome = result.extra.get("baseline")
    if not outcome:
        return []
    lines = [f"Baseline {code(outcome['file'])}: {outcome['entries']} entries, {outcome['suppressed']} finding(s) suppressed.", ""]
    for key, what in (("expired", "Expired entries (the findings fail again)"), ("changed", "Evidence changed since accepted (the findings fail again)"),
                      ("unmatched", "Entries that match no finding (remove them)")):
        if outcome[key]:
            lines.append(f"- {what}: " + ", ".join(code(e["fingerprint"]) for e in outcome[key][:50])
                         + (" …" if len(outcome[key]) > 50 else ""))
    return lines


def data_quality_section(result: AuditResult, limit: int = 20) -> list[str]:
    """The first data-quality notes: where a cell could not be read and what that did."""
    dq = result.loaded.data_quality
    if dq.is_empty():
        return []
    rows = [[r["file"], r["sheet"] or "", r["cell"] or r["row"] or "", r["column"] or "", r["value"] or "", r["problem"], r["effect"]]
            for r in dq.head(limit).iter_rows(named=True)]
    lines = table(["File", "Sheet", "Cell", "Column", "Value", "Problem", "Effect"], rows)
    if dq.height > limit:
        lines.append(f"\n{dq.height - limit} more in the full report.")
    return lines


def render(result: AuditResult, top: int = 10) -> str:
    """The whole Markdown summary."""
    lines = ["# Forced-labour risk audit", ""]
    inputs = ", ".join(code(i.path) for i in result.loaded.inputs)
    lines += [f"auditor {result.tool_version} · inputs: {inputs} · fail-on: `{result.fail_on}`", ""]
    lines += summary_section(result)
    lines += ["", f"## Highest-risk suppliers (top {min(top, result.suppliers.height)})", ""] + top_suppliers_section(result, top)
    lines += ["", "## Findings by rule", ""] + rules_section(result)
    baseline = baseline_section(result)
    if baseline:
        lines += ["", "## Baseline", ""] + baseline
    dq = data_quality_section(result)
    if dq:
        lines += ["", "## Data quality", ""] + dq
    return "\n".join(lines) + "\n"


__all__ = ["escape", "code", "table", "summary_section", "top_suppliers_section", "rule_counts", "rules_section", "baseline_section",
           "data_quality_section", "render"]
