"""Fold the optional Recruiters sheet (one row per supplier × recruiter) into supplier columns."""

from __future__ import annotations

import polars as pl

from auditor.load import DQ_SCHEMA, FILE, cell_notes

DERIVED = ("recruiter_count", "recruiters_unverified", "recruiters_charging_fees")


def fold(
    suppliers: pl.DataFrame, recruiter_frames: list[pl.DataFrame], letters: pl.DataFrame, files_with_sheet: set[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add recruiter_count, recruiters_unverified and recruiters_charging_fees to each supplier.

    Suppliers from a file without a Recruiters sheet keep nulls (unknown); suppliers from a file
    with one but no rows in it get 0 recruiters. Recruiter rows naming an unknown supplier are
    reported.
    """
    empty_notes = pl.DataFrame(schema=DQ_SCHEMA)
    if not recruiter_frames:
        return suppliers.with_columns(pl.lit(None, dtype=pl.Int64).alias(c) for c in DERIVED), empty_notes
    rows = pl.concat(recruiter_frames, how="vertical").filter(~pl.col("_blank") & pl.col("supplier_id").is_not_null())
    unverified = ~pl.col("licence_verified").fill_null(False) | pl.col("licence_number").is_null()
    per_supplier = rows.group_by(FILE, "supplier_id").agg(
        pl.len().cast(pl.Int64).alias("recruiter_count"),
        unverified.sum().cast(pl.Int64).alias("recruiters_unverified"),
        # Unknown when no recruiter is known to charge fees but some answers are missing.
        pl.when(pl.col("charges_workers_fees").sum() > 0).then(pl.col("charges_workers_fees").sum())
        .when(pl.col("charges_workers_fees").is_null().any()).then(None)
        .otherwise(0).cast(pl.Int64).alias("recruiters_charging_fees"),
    )
    has_sheet = pl.col(FILE).is_in(sorted(files_with_sheet))
    folded = suppliers.join(per_supplier, on=[FILE, "supplier_id"], how="left").with_columns(
        pl.when(has_sheet).then(pl.col(c).fill_null(0)).otherwise(None).alias(c) for c in DERIVED
    )
    orphans = rows.join(suppliers.select(FILE, "supplier_id"), on=[FILE, "supplier_id"], how="anti")
    notes = cell_notes(orphans, "supplier_id", pl.col("supplier_id"), "recruiter row names a supplier_id not on the Suppliers sheet",
                       "recruiter row not used", letters)
    return folded, notes
