"""Matching products and country against the ILAB List of Goods (2022 edition)."""

from __future__ import annotations

import polars as pl
import pytest

from auditor import goods
from auditor.examples import example_frame
from auditor.rules import Example


def derived(**row) -> dict:
    """The derived goods columns for one supplier row, parsed as a spreadsheet row would be."""
    return example_frame(Example(fires=True, row=row)).row(0, named=True)


def test_the_bundled_list_is_the_2022_edition_with_every_entry():
    frame = goods.goods_list()
    assert frame.height == 467
    assert frame.get_column("country_iso2").n_unique() == 78
    assert "2022 edition" in goods.EDITION


def test_listed_good_from_its_country_matches_case_insensitively():
    row = derived(country="Côte d'Ivoire", products="COCOA")
    assert row["goods_on_ilab_list"] is True
    assert row["goods_forced_labour"] is True
    assert row["ilab_goods_matched"].startswith("Cocoa (")


@pytest.mark.parametrize(("product", "country", "good"), [
    ("cotton lint", "PK", "Cotton"), ("apparel", "BD", "Garments"), ("garments", "BD", "Garments"),
    ("prawns", "TH", "Shrimp"), ("Bricks (clay)", "PK", "Bricks"), ("cobalt", "CD", "Cobalt ore (heterogenite)"),
])
def test_synonyms_and_qualifiers_name_the_listed_good(product, country, good):
    assert good in derived(country=country, products=product)["ilab_goods_matched"]


def test_a_listed_good_from_an_unlisted_country_is_listed_elsewhere_not_here():
    row = derived(country="DE", products="Cocoa")
    assert row["goods_on_ilab_list"] is False
    assert row["goods_listed_elsewhere"] is True
    assert row["ilab_goods_matched"] is None


def test_unknown_products_or_country_leave_the_answer_unknown():
    assert derived(country="CI")["goods_on_ilab_list"] is None
    assert derived(products="Cocoa")["goods_on_ilab_list"] is None


def test_several_products_are_matched_one_by_one():
    row = derived(country="CN", products="Furniture; Polysilicon ; solar panels")
    assert row["goods_forced_labour"] is True
    assert row["goods_downstream"] is True
    assert "Polysilicon" in row["ilab_goods_matched"] and "Solar Modules" in row["ilab_goods_matched"]


def test_palm_fruit_from_indonesia_keeps_the_published_data_value():
    # The source data has forced_labor = false here; rules/reference/README.md says to double-check it.
    row = derived(country="ID", products="Palm fruit")
    assert row["goods_child_labour"] is True
    assert row["goods_forced_labour"] is False


def test_ratification_is_unknown_for_countries_not_in_the_table():
    assert derived(country="CN")["country_ratified_c087"] is False
    assert derived(country="BD")["country_ratified_c087"] is True
    assert derived(country="FJ")["country_ratified_c087"] is None


def test_goods_columns_keep_row_order_and_count():
    frame = pl.DataFrame({"country": ["TH", None, "DE", "TH"], "products": ["Shrimp", "Shrimp", None, "Software"]})
    out = goods.goods_columns(frame)
    assert out.get_column("goods_on_ilab_list").to_list() == [True, None, None, False]


def test_goods_list_findings_name_the_edition_year():
    from pathlib import Path

    from auditor.audit import run_audit

    sample = Path(__file__).resolve().parent.parent / "sample_suppliers" / "sample_suppliers.xlsx"
    findings = run_audit([sample], select=["SR-003", "SR-007", "SR-008", "GEO-008"], fail_on="never").findings
    assert findings.height > 0
    assert all("ILAB List of Goods, 2022 edition" in m for m in findings.get_column("message").to_list())
