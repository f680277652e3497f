"""A rule's documentation page, ruff-style: what it checks, why, when it fires, example, fix, sources."""

from __future__ import annotations

import textwrap

from auditor import citations, schema
from auditor.rules import Citation, CompiledRule, Example

KIND_MEANING = {
    "indicator": "evidence that a forced-labour condition exists for at least one worker",
    "control": "a missing safeguard",
    "exposure": "a structural risk factor: it raises priority and checking, never a finding of wrongdoing (¶209(g))",
    "evidence": "about the quality of the evidence: it changes confidence, not risk",
}
# Derived columns and the contract columns (and reference tables) they come from.
DERIVED_FROM = {
    "sector_risk": "sector, via rules/reference/sectors.toml",
    "recruiter_count": "the Recruiters sheet",
    "recruiters_unverified": "the Recruiters sheet",
    "recruiters_charging_fees": "the Recruiters sheet",
    "ilab_goods_matched": "products and country, via rules/reference/ilab-goods-2022.csv",
    "goods_on_ilab_list": "products and country, via rules/reference/ilab-goods-2022.csv",
    "goods_forced_labour": "products and country, via rules/reference/ilab-goods-2022.csv",
    "goods_child_labour": "products and country, via rules/reference/ilab-goods-2022.csv",
    "goods_downstream": "products and country, via rules/reference/ilab-goods-2022.csv",
    "goods_listed_elsewhere": "products and country, via rules/reference/ilab-goods-2022.csv",
    "country_ilab_forced_labour_goods": "country, via rules/reference/ilab-goods-2022.csv",
    "country_ratified_c087": "country, via rules/reference/ilo_ratifications.csv",
    "country_ratified_c098": "country, via rules/reference/ilo_ratifications.csv",
}


def source_title(cite: Citation) -> str:
    """The human title of a citation's source."""
    return cite.title or citations.SOURCE_TITLES.get(cite.source, cite.source)


def cite_reference(cite: Citation) -> str:
    """Where a citation points: title, paragraph, edition and address."""
    where = citations.reference(cite.source, cite.paragraph, cite.title)
    extra = [x for x in (cite.edition, cite.url) if x]
    return where + (f" ({'; '.join(extra)})" if extra else "")


def column_note(name: str) -> str:
    """One line about an input column: its meaning, and where a derived column comes from."""
    try:
        description = schema.spec(name).description
    except KeyError:
        return name
    origin = f" [derived from {DERIVED_FROM[name]}]" if name in DERIVED_FROM else ""
    return f"{name}: {description.removeprefix('Derived: ')}{origin}"


def example_row(example: Example) -> str:
    """An example row as 'column = value' pairs."""
    return ", ".join(f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in example.row.items())


def example_message(compiled: CompiledRule, example: Example) -> str | None:
    """The finding message the rule would write for an example row."""
    from auditor.engine import message_expr
    from auditor.examples import example_frame

    try:
        return example_frame(example).select(message_expr(compiled).alias("m")).item()
    except Exception:  # an example that does not parse is reported by `rules validate`, not here
        return None


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(" ".join(text.split()), width=100, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)


def render_rule(compiled: CompiledRule) -> str:
    """The page as plain text."""
    r = compiled.rule
    lines = [f"{r.id}: {r.title}", "", f"kind: {r.kind} ({KIND_MEANING[r.kind]})",
             f"severity: {r.severity}   category: {r.category}   due: {r.due_days} days"]
    if r.ilo_indicators:
        lines.append(f"ILO forced-labour indicators: {', '.join(r.ilo_indicators)}")
    lines += ["", "## What it checks", _wrap(f"Fires when: {r.condition()}"), "Reads:"]
    lines += [_wrap(column_note(c), "    ").replace("    ", "  - ", 1) for c in compiled.columns]
    lines.append(_wrap("When an input is unknown and the answer depends on it, the rule is not evaluable for that "
                       "supplier: reported as missing evidence, never as a pass."))
    if r.params:
        lines.append("Policy thresholds (override with params in configuration): " + ", ".join(f"{k} = {v}" for k, v in r.params.items()))
    if r.description:
        lines += ["", "## Why", _wrap(r.description)]
    for c in r.cite:
        lines += ["", _wrap(f"“{c.quote}”"), _wrap(f"— {cite_reference(c)}", "   ")]
    lines += ["", "## Example"]
    for e in r.examples:
        lines.append(("fires:  " if e.fires else "silent: ") + example_row(e))
        message = example_message(compiled, e) if e.fires else None
        if message:
            lines.append(f"        → {message}")
    lines += ["", "## Remediation", _wrap(r.remediation)]
    if r.ask_for:
        lines += ["", "## When it cannot be evaluated, ask for", _wrap(r.ask_for)]
    lines += ["", "## Sources"]
    lines += [f"- {cite_reference(c)}" for c in r.cite]
    lines += ["", "## Message", r.message, "", f"Defined in {compiled.file}"]
    return "\n".join(lines)
