"""The ranked table and run summary on the terminal (rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from auditor.audit import AuditResult

TIER_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "green"}


def render(result: AuditResult, console: Console, limit: int = 60) -> None:
    """Print the ranked suppliers, then the reconciliation and exit-relevant counts."""
    table = Table(title="Suppliers ranked by forced-labour risk", title_justify="left", header_style="bold")
    for name, justify, width in (("#", "right", None), ("Supplier", "left", None), ("Name", "left", 28), ("Ctry", "left", None),
                                 ("Sector", "left", 16), ("Risk", "left", None), ("Score", "right", None),
                                 ("Known", "right", None), ("Finds", "right", None), ("Top rules", "left", None)):
        table.add_column(name, justify=justify, max_width=width, no_wrap=True, overflow="ellipsis")
    for row in result.suppliers.head(limit).iter_rows(named=True):
        table.add_row(
            str(row["rank"]), row["supplier_id"], escape(row["supplier_name"]), row["country"] or "?",
            row["sector"] or "?", f"[{TIER_STYLE[row['tier']]}]{row['tier']}[/]", f"{row['score']:.1f}",
            f"{row['confidence']:.0%}", str(row["findings"]), " ".join(row["top_rules"]) or "—",
        )
    console.print(table)
    if result.suppliers.height > limit:
        console.print(f"[dim]… {result.suppliers.height - limit} more suppliers in the machine outputs[/dim]")
    s = result.summary()
    tiers = ", ".join(f"{n} {t}" for t, n in s["suppliers_by_tier"].items())
    console.print(
        f"rows read {s['rows_read']} = assessed {s['rows_assessed']} + rejected {s['rows_rejected']}  ·  "
        f"{s['findings']} findings from {s['rules']} rules  ·  {s['not_evaluable']} not evaluable  ·  "
        f"{s['data_quality']} data-quality notes"
    )
    console.print(f"suppliers: {tiers}")
    if result.fail_on == "never":
        console.print("fail-on never: exit 0 whatever was found")
    elif s["failing_findings"]:
        console.print(f"[bold red]{s['failing_findings']} finding(s) at or above '{result.fail_on}'[/]: exit 1")
    else:
        console.print(f"[green]no findings at or above '{result.fail_on}'[/]: exit 0")
