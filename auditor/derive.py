"""Supplier columns derived from reference data before rules run (sector risk, …)."""

from __future__ import annotations

import polars as pl

from auditor import goods, reference


def derive(suppliers: pl.DataFrame) -> pl.DataFrame:
    """Add reference-based columns: sector_risk from the sector vocabulary, then the goods-list and ratification columns."""
    risk = {sector_id: entry["risk"] for sector_id, entry in reference.sectors().items()}
    suppliers = suppliers.with_columns(pl.col("sector").replace_strict(risk, default=None, return_dtype=pl.String).alias("sector_risk"))
    return pl.concat([suppliers, goods.goods_columns(suppliers)], how="horizontal")
