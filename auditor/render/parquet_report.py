"""Parquet: the findings table for data tools (polars, DuckDB, pandas, Spark), types kept, nothing escaped."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from auditor.render.batches import sink
from auditor.render.csv_report import findings_batches

if TYPE_CHECKING:
    from auditor.audit import AuditResult


# zstd level 1: a fifth faster to write than the default level 3, for files 3 % larger (docs/benchmarks-notes.md).
# The benchmark's write floor (benchmarks/child.py) writes with the same options.
OPTIONS = {"compression": "zstd", "compression_level": 1, "statistics": False}


def write(result: AuditResult, path: Path) -> None:
    """Write the findings, one row per finding in risk order, to a parquet file, a batch of findings at a time."""
    sink(findings_batches(result), path, lambda lazy, target: lazy.sink_parquet(target, maintain_order=True, **OPTIONS))
