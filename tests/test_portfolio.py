"""The portfolio view: suppliers by risk tier per sector, country and supply-chain tier."""

from __future__ import annotations

import polars as pl
from typer.testing import CliRunner

from auditor.cli import app
from auditor.portfolio import UNKNOWN, crosstab, frame_markdown, portfolio

SUPPLIERS = pl.DataFrame(
    {
        "supplier_id": ["A", "B", "C", "D"],
        "sector": ["fishing", "fishing", None, "apparel|textiles"],
        "country": ["TH", "TH", "BD", None],
        "supply_chain_tier": [1, 2, 2, None],
        "tier": ["critical", "low", "high", "medium"],
        "score": [40.0, 2.0, 20.0, 12.5],
        "confidence": [1.0, 0.5, 0.9, 0.7],
    },
    schema_overrides={"supply_chain_tier": pl.Int64},
)


def test_every_supplier_is_counted_once_in_each_view():
    for view, frame in portfolio(SUPPLIERS).items():
        assert frame.get_column("suppliers").sum() == SUPPLIERS.height, view
        per_row = frame.select(pl.sum_horizontal("critical", "high", "medium", "low")).to_series()
        assert per_row.to_list() == frame.get_column("suppliers").to_list()


def test_unknown_values_are_their_own_row_and_worst_groups_come_first():
    frame = crosstab(SUPPLIERS, "sector")
    assert frame.get_column("sector").to_list()[0] == "fishing"
    assert UNKNOWN in frame.get_column("sector").to_list()
    tiers = crosstab(SUPPLIERS, "supply_chain_tier").get_column("supply_chain_tier").to_list()
    assert set(tiers) == {"tier 1", "tier 2", UNKNOWN}


def test_supply_chain_tiers_read_in_chain_order_with_unknown_last():
    deep = pl.concat([SUPPLIERS, SUPPLIERS.with_columns(pl.lit(10, dtype=pl.Int64).alias("supply_chain_tier"))])
    assert crosstab(deep, "supply_chain_tier").get_column("supply_chain_tier").to_list() == ["tier 1", "tier 2", "tier 10", UNKNOWN]


def test_the_html_reports_tier_counts_are_the_portfolio_views():
    from auditor.portfolio_view import by_chain_tier

    chain = by_chain_tier(SUPPLIERS)
    view = crosstab(SUPPLIERS, "supply_chain_tier")
    assert chain.get_column("total").to_list() == view.get_column("suppliers").to_list()
    assert chain.drop("total").equals(view.select(chain.drop("total").columns))


def test_markdown_escapes_spreadsheet_text():
    text = frame_markdown(crosstab(SUPPLIERS, "sector"), "sector")
    assert "apparel\\|textiles" in text
    assert all(line.count(" | ") == 7 for line in text.splitlines() if line.startswith("| "))


def test_portfolio_command_prints_markdown_for_the_sample():
    result = CliRunner().invoke(app, ["portfolio", "--markdown", "sample_suppliers/sample_suppliers.xlsx"])
    assert result.exit_code == 0, result.output
    assert "### By sector" in result.output and "### By country" in result.output and "### By supply-chain tier" in result.output


def test_portfolio_command_prints_the_terminal_tables_for_the_sample():
    result = CliRunner().invoke(app, ["portfolio", "sample_suppliers/sample_suppliers.xlsx"])
    assert result.exit_code == 0, result.output
    for title in ("Suppliers by risk tier × sector", "Suppliers by risk tier × country", "Suppliers by risk tier × supply-chain tier"):
        assert title in result.output
