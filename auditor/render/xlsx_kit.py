"""Small openpyxl write-only helpers shared by the remediation workbook and the intake template.

Three traps handled here (measured in ../shared/research/ecosystem.md §3): openpyxl turns any
string starting with '=' into a formula, so untrusted text is forced to a string cell; control
characters make openpyxl refuse the whole file, so they are replaced; and openpyxl stamps the
current time into the zip entries, so the archive is rewritten with fixed timestamps to keep the
same input giving the same bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from copy import copy
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring


# Characters XML 1.0 cannot hold (openpyxl raises IllegalCharacterError on them).
ILLEGAL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
UNLOCKED = Protection(locked=False)
LINK_FONT = Font(color="0563C1", underline="single")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CONTROL = re.compile(ILLEGAL_CHARACTERS)


def clean_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Replace characters XML cannot hold in text columns, and NaN (which Excel cannot open) in float columns."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    floats = [name for name, dtype in frame.schema.items() if dtype in (pl.Float32, pl.Float64)]
    return frame.with_columns(
        *([pl.col(text).str.replace_all(ILLEGAL_CHARACTERS, "\ufffd")] if text else []),
        *([pl.col(floats).fill_nan(None)] if floats else []),
    )


class _ColumnCell(Cell):
    """A cell reused for every row of one column: its style never changes, so its style id is looked up once."""

    __slots__ = ("_style_id",)

    @property
    def style_id(self) -> int:  # openpyxl would hash the style array again for every cell written
        return self._style_id


class FastRows:
    """A replacement for openpyxl's per-row cell conversion on one write-only sheet.

    openpyxl makes each value a cell through Cell.value, which turns text starting with '=' into a
    formula and, for a pre-styled cell, raises and formats an exception per value. Here every
    column reuses one cell carrying its style, and every str is written as text. Values must come
    from `clean_text` frames (no control characters, no NaN). Pre-built cells (headers, links)
    pass through unchanged.
    """

    def __init__(self, ws: Any, templates: list[WriteOnlyCell | None], keep_empty: list[bool]):
        self.cells = []
        for template in templates:
            cell = _ColumnCell(ws, row=1, column=1)
            if template is not None:
                cell._style = copy(template._style)
            cell._style_id = ws.parent._cell_styles.add(cell._style)
            self.cells.append(cell)
        self.keep_empty = keep_empty

    def __call__(self, values: Iterable[Any], row_idx: int) -> Iterable[Any]:
        cells, keep_empty = self.cells, self.keep_empty
        for col_idx, value in enumerate(values, 1):
            if isinstance(value, Cell):
                value.column, value.row = col_idx, row_idx
                if value.hyperlink is not None:
                    value.hyperlink.ref = value.coordinate
                yield value
                continue
            cell = cells[col_idx - 1]
            kind = type(value)
            if value is None:
                if not keep_empty[col_idx - 1]:
                    continue
                cell._value, cell.data_type = None, "n"
            elif kind is str:
                cell._value, cell.data_type = value, "s"
            elif kind is bool:
                cell._value, cell.data_type = value, "b"
            elif kind is int or kind is float:
                cell._value, cell.data_type = value, "n"
            else:
                cell.value = value  # dates and anything rarer: openpyxl decides
            cell.column, cell.row = col_idx, row_idx
            yield cell


class RowHeights:
    """Row heights for a write-only sheet without one RowDimension object per row.

    The write-only writer only asks `row_dimensions.get(row)` for attributes as each row is written;
    this answers from a list of line counts (row 1 = header), so 100,000 tall rows cost nothing to hold.
    """

    def __init__(self, header_lines: int, lines: list[int], line_height: float):
        self.header = [("customHeight", "1"), ("ht", f"{line_height * header_lines:g}")] if header_lines > 1 else []
        self.lines, self.line_height = lines, line_height

    def get(self, row: int, default: Any = ()) -> Any:
        if row == 1:
            return self.header
        n = self.lines[row - 2] if 0 <= row - 2 < len(self.lines) else 1
        return [("customHeight", "1"), ("ht", f"{self.line_height * n:g}")] if n > 1 else default


def install_fast_rows(ws: Any, templates: list[WriteOnlyCell | None], keep_empty: list[bool]) -> None:
    """Make `ws.append` use FastRows (the write-only sheet looks the converter up on itself per row)."""
    ws._values_to_row = FastRows(ws, templates, keep_empty)


def text_cell(ws: Any, value: str | None, style: WriteOnlyCell | None = None) -> WriteOnlyCell:
    """A cell that holds `value` as text whatever it starts with ('=', '+', '-', '@', tab …)."""
    cell = WriteOnlyCell(ws, None)
    if value is not None:
        cell._value = _CONTROL.sub("\ufffd", str(value))
        cell.data_type = "s"
    if style is not None:
        cell._style = copy(style._style)
    return cell


def is_formula_like(value: object) -> bool:
    """True for a string openpyxl would write as a formula."""
    return isinstance(value, str) and value.startswith("=")


def style(ws: Any, *, font: Font | None = None, fill: PatternFill | None = None, alignment: Alignment | None = None,
          protection: Protection | None = None, number_format: str | None = None) -> WriteOnlyCell:
    """A template cell whose style is copied onto many cells (far cheaper than styling each one)."""
    cell = WriteOnlyCell(ws, None)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if protection is not None:
        cell.protection = protection
    if number_format is not None:
        cell.number_format = number_format
    return cell


def styled(ws: Any, value: Any, template: WriteOnlyCell) -> WriteOnlyCell:
    """A cell with `value` and the template's style; text is always written as text."""
    if isinstance(value, str):
        return text_cell(ws, value, template)
    cell = WriteOnlyCell(ws, None)
    cell._style = copy(template._style)
    cell.value = value  # after the style, so a date keeps the template's format without a new style lookup
    return cell


def header_row(ws: Any, headers: Iterable[str]) -> list[WriteOnlyCell]:
    """Bold white-on-blue header cells."""
    template = style(ws, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN)
    return [text_cell(ws, h, template) for h in headers]


def set_widths(ws: Any, widths: Iterable[float | None], hidden: Iterable[bool] = ()) -> None:
    """Column widths (and hidden columns); must run before the first row is appended."""
    hidden = list(hidden)
    for i, width in enumerate(widths, 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        if width:
            dim.width = width
        if i <= len(hidden) and hidden[i - 1]:
            dim.hidden = True


def landscape(ws: Any, title_rows: str | None = "1:1") -> None:
    """Landscape, fit to one page wide, header row repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def save_deterministic(workbook: Workbook, path: Path, when: datetime) -> None:
    """Save atomically with fixed document and zip timestamps: same content, same bytes.

    openpyxl writes to a temporary file; its parts are streamed into a second archive with fixed
    timestamps (never held in memory whole), which then replaces `path` in one rename.
    """
    from auditor.render import atomic_path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.properties.created = when
    workbook.properties.creator = "auditor"
    handle, raw = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".raw", dir=path.parent)
    os.close(handle)
    try:
        workbook.save(raw)
        workbook.properties.modified = when  # save() stamped the clock time; put the fixed one back
        core = tostring(workbook.properties.to_tree())
        # atomic_path: the finished file replaces `path` in one rename, with the permissions any file the user writes has.
        with atomic_path(path) as tmp, zipfile.ZipFile(raw) as source, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o600 << 16
                if info.filename == "docProps/core.xml":
                    target.writestr(entry, core)
                    continue
                with source.open(info) as part, target.open(entry, "w", force_zip64=info.file_size > 2**30) as out:
                    shutil.copyfileobj(part, out, 1 << 20)
    finally:
        Path(raw).unlink(missing_ok=True)
