"""GitHub Actions: workflow-command annotations on the supplier file, plus a Markdown job summary.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step, so the 10 highest-risk
findings of each level are annotated and the full summary goes to $GITHUB_STEP_SUMMARY when that is
set (appended, as GitHub expects). Severity → level: critical/high error, medium warning, low notice.
Suppressed (baselined) findings are not annotated.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from auditor.render import markdown
from auditor.render.ranked import LEVEL, location, top_ranked

if TYPE_CHECKING:
    from auditor.audit import AuditResult

MAX_PER_LEVEL = 10
COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message (after the ::)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (file=, title=)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _top_per_level(result: AuditResult) -> pl.DataFrame:
    """The first MAX_PER_LEVEL open findings of each level in risk order. Risk order is severity first, so each level's
    findings are read from its severities' ranked batches until it has its share: the rest are never built."""
    parts = [top_ranked(result, MAX_PER_LEVEL, [s for s, v in LEVEL.items() if v == level], open_only=True).with_columns(
        pl.lit(command).alias("_level")) for level, command in COMMAND.items()]
    return pl.concat(parts, how="vertical")  # (levels in severity order, each in risk order: the whole in risk order)


def annotations(result: AuditResult) -> list[str]:
    """The annotation commands: the top MAX_PER_LEVEL open findings of each level, highest risk first."""
    lines = []
    for row in _top_per_level(result).iter_rows(named=True):
        level = row["_level"]
        title = "[" + row["rule_id"] + "] " + row["title"]
        props = f"file={escape_property(row['file'])},line={max(int(row['row']), 1)},title={escape_property(title)}"
        message = f"{row['supplier_id']} ({row['supplier_name']}): {row['message']} [{location(row)}]"
        lines.append(f"::{level} {props}::{escape_data(message)}")
    return lines


def write_step_summary(result: AuditResult) -> Path | None:
    """Append the Markdown summary to $GITHUB_STEP_SUMMARY, when GitHub set it."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(markdown.render(result))
    return Path(target)


def render(result: AuditResult) -> str:
    """The annotation commands (in a log group) and a closing line; writes the job summary as a side effect."""
    lines = annotations(result)
    open_findings = result.findings_count() - len(result.extra.get("suppressed", {}))
    out = [f"::group::auditor: {open_findings} open finding(s), {len(lines)} annotated", *lines, "::endgroup::"]
    summary = write_step_summary(result)
    note = "full summary in the job summary" if summary else "set GITHUB_STEP_SUMMARY for the full summary"
    out.append(f"auditor: {result.failing_count()} finding(s) at or above '{result.fail_on}'; "
               f"GitHub shows at most {MAX_PER_LEVEL} annotations per level; {note}")
    return "\n".join(out) + "\n"
