"""A rule's documentation page, ruff-style: what it checks, why, when it fires, example, fix, sources."""

from __future__ import annotations

import textwrap

from auditor.rules import CompiledRule

SOURCE_TITLES = {"vienna-forum-2008": "UN.GIFT, The Vienna Forum report: a way forward to combat human trafficking (2008)"}


def citation_line(source: str, paragraph: str | None) -> str:
    """'Vienna Forum report ¶199' style reference for a citation."""
    title = SOURCE_TITLES.get(source, source)
    return f"{title}, ¶{paragraph}" if paragraph and paragraph[0].isdigit() else f"{title}, {paragraph}" if paragraph else title


def render_rule(compiled: CompiledRule) -> str:
    """The page as plain text (also the body of docs/rules.md entries)."""
    r = compiled.rule
    def wrap(text: str) -> str:
        return textwrap.fill(" ".join(text.split()), width=100)

    lines = [f"{r.id}: {r.title}", "", f"kind: {r.kind}   severity: {r.severity}   category: {r.category}   due: {r.due_days} days"]
    if r.ilo_indicators:
        lines.append(f"ILO forced-labour indicators: {', '.join(r.ilo_indicators)}")
    lines += ["", "## What it checks", wrap(f"Fires when: {compiled.rule.condition()}"), f"Reads: {', '.join(compiled.columns)}"]
    if r.params:
        lines.append("Policy thresholds (override in configuration): " + ", ".join(f"{k} = {v}" for k, v in r.params.items()))
    if r.description:
        lines += ["", "## Why", wrap(r.description)]
    for c in r.cite:
        lines += ["", f"“{c.quote}”", f"   — {citation_line(c.source, c.paragraph)}" + (f" ({c.edition})" if c.edition else "")]
    if r.kind == "exposure":
        lines += ["", "This is an exposure rule: it raises priority and checking; it is not a finding of wrongdoing (¶209(g))."]
    firing = next(e for e in r.examples if e.fires)
    silent = next(e for e in r.examples if not e.fires)
    lines += ["", "## Example", f"fires:  {firing.row}", f"silent: {silent.row}"]
    lines += ["", "## Remediation", wrap(r.remediation)]
    if r.ask_for:
        lines += ["", "## When it cannot be evaluated, ask for", wrap(r.ask_for)]
    lines += ["", "## Message", r.message, "", f"Defined in {compiled.file}"]
    return "\n".join(lines)
