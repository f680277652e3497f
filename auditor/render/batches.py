"""Write a stream of frames to one file with polars' streaming sinks: one batch in memory at a time, and the file
replaced only once complete (render.atomic_path)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from auditor.render import atomic_path


def sink(batches: Iterator[pl.DataFrame], path: Path, write: Callable[[pl.LazyFrame, Path], None]) -> None:
    """Feed `batches` (all of one schema; at least one) to `write`, a LazyFrame sink such as sink_parquet, writing
    `path` atomically."""
    from polars.io.plugins import register_io_source

    first = next(batches)

    def source(with_columns: list[str] | None, predicate: pl.Expr | None, n_rows: int | None,
               batch_size: int | None) -> Iterator[pl.DataFrame]:
        # The sinks read everything; the projection, filter and limit polars may push down are honoured all the same.
        left = n_rows
        for batch in _chain(first, batches):
            if with_columns is not None:
                batch = batch.select(with_columns)
            if predicate is not None:
                batch = batch.filter(predicate)
            if left is not None:
                batch = batch.head(left)
                left -= batch.height
            yield batch
            if left is not None and left <= 0:
                return

    with atomic_path(path) as tmp:
        write(register_io_source(source, schema=first.schema), tmp)


def _chain(first: pl.DataFrame, rest: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """`first`, then every frame of `rest`."""
    yield first
    yield from rest
