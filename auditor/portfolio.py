"""The portfolio view: ranked suppliers counted by risk tier per sector, per country and per supply-chain tier."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import polars as pl

from auditor.scoring import TIERS

if TYPE_CHECKING:
    from rich.console import Console

    from auditor.audit import AuditResult

VIEWS: dict[str, str] = {"sector": "sector", "country": "country", "supply_chain_tier": "supply-chain tier"}
UNKNOWN = "(unknown)"


def crosstab(suppliers: pl.DataFrame, by: str) -> pl.DataFrame:
    """One row per value of `by`: suppliers per risk tier, total, mean score and mean confidence.

    Rows are ordered by critical, then high suppliers (most first), then by name, so the worst
    part of the portfolio is on top (supply-chain tiers: in tier order, 1 = direct, unknown last);
    an unknown value is its own row, never dropped.
    """
    chain = by == "supply_chain_tier"
    key = pl.col(by).cast(pl.String).fill_null(UNKNOWN)
    if chain:
        key = pl.when(pl.col(by).is_null()).then(pl.lit(UNKNOWN)).otherwise(pl.lit("tier ") + pl.col(by).cast(pl.String))
    counts = (
        suppliers.group_by(key.alias(by), *([pl.col(by).alias("_order")] if chain else []))
        .agg(
            *[(pl.col("tier") == t).sum().cast(pl.Int64).alias(t) for t in TIERS],
            pl.len().cast(pl.Int64).alias("suppliers"),
            pl.col("score").mean().round(1).alias("mean_score"),
            pl.col("confidence").mean().round(2).alias("mean_confidence"),
        )
    )
    # Supply-chain tiers read best in chain order (numeric: tier 10 after tier 9); other views put their worst groups first.
    if chain:
        return counts.sort("_order", nulls_last=True).drop("_order")
    return counts.sort(["critical", "high", by], descending=[True, True, False])


def portfolio(suppliers: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The three views (sector, country, supply-chain tier) of a ranked supplier frame."""
    return {view: crosstab(suppliers, view) for view in VIEWS}


def render_terminal(result: AuditResult, console: Console, views: tuple[str, ...] = tuple(VIEWS)) -> None:
    """Print the portfolio views as rich tables."""
    from rich.markup import escape
    from rich.table import Table

    frames = portfolio(result.suppliers)
    for view in views:
        frame = frames[view]
        table = Table(title=f"Suppliers by risk tier × {VIEWS[view]}", title_justify="left", header_style="bold")
        table.add_column(VIEWS[view].capitalize(), no_wrap=True)
        for name in (*TIERS, "suppliers", "mean score", "mean known"):
            table.add_column(name.capitalize(), justify="right")
        for row in frame.iter_rows(named=True):
            table.add_row(escape(str(row[view])), *[str(row[t]) for t in TIERS], str(row["suppliers"]),
                          f"{row['mean_score']:.1f}", f"{row['mean_confidence']:.0%}")
        console.print(table)


def _md_cell(text: object) -> str:
    """A value safe inside a Markdown table cell (spreadsheet text is data, never markup)."""
    value = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return re.sub(r"([`*_\[\]<>#!])", r"\\\1", value)


def frame_markdown(frame: pl.DataFrame, view: str) -> str:
    """One portfolio view as a Markdown table."""
    header = [VIEWS[view].capitalize(), *[t.capitalize() for t in TIERS], "Suppliers", "Mean score", "Mean confidence"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + "---:|" * (len(header) - 1)]
    for row in frame.iter_rows(named=True):
        cells = [_md_cell(row[view]), *[str(row[t]) for t in TIERS], str(row["suppliers"]),
                 f"{row['mean_score']:.1f}", f"{row['mean_confidence']:.0%}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def portfolio_markdown(result: AuditResult, heading_level: int = 2) -> str:
    """The portfolio section of a Markdown report: one table per view."""
    hashes = "#" * heading_level
    parts = [f"{hashes} Portfolio", "",
             "Suppliers counted by risk tier (how tiers are set: docs/scoring.md). Exposure raises priority; it is not a finding of wrongdoing.", ""]
    for view, frame in portfolio(result.suppliers).items():
        parts += [f"{hashes}# By {VIEWS[view]}", "", frame_markdown(frame, view), ""]
    return "\n".join(parts)
