"""Keep spreadsheet text as text in every output a spreadsheet program opens (csv, xlsx).

A cell from a supplier's file can start with '=', '+', '-', '@', a tab or a carriage return; Excel
and LibreOffice read such a cell in a CSV (and a formula-typed cell in xlsx) as a formula, which can
run commands or leak data (OWASP "CSV injection"). Writers call these helpers on every text value
that came from input: the value is prefixed with an apostrophe, which spreadsheet programs show as
text and which a reader can strip. Numbers and booleans are never passed through here.
"""

from __future__ import annotations

import polars as pl

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # fullwidth too: Excel folds them
_PATTERN = r"^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]"


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could read `text` as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def escape_text(value: object) -> object:
    """`value` made safe for a spreadsheet cell: formula-like strings get a leading apostrophe."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def escape_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every String column of `frame` escaped (for CSV writers): one vectorised pass per column."""
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_PATTERN)).then(pl.lit("'") + pl.col(name)).otherwise(pl.col(name)).alias(name)
        for name, dtype in frame.schema.items() if dtype == pl.String
    )


def xlsx_text_cell(cell, value: str) -> None:
    """Put `value` into an openpyxl cell as a string, never a formula (openpyxl treats '=…' as one)."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # keeps the text exactly; Excel shows it as typed
