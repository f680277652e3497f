"""Parquet: the findings table for data tools (polars, DuckDB, pandas, Spark), types kept, nothing escaped."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.render import write_atomic
from auditor.render.csv_report import findings_frame

if TYPE_CHECKING:
    from auditor.audit import AuditResult


def write(result: AuditResult, path: Path) -> None:
    """Write the findings, one row per finding in risk order, to a parquet file."""
    buffer = io.BytesIO()
    # zstd level 1: a fifth faster to write than the default level 3, for files 3 % larger (docs/benchmarks-notes.md).
    findings_frame(result).write_parquet(buffer, compression="zstd", compression_level=1, statistics=False)
    write_atomic(path, buffer.getvalue())
