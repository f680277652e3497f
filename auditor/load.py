"""Read supplier spreadsheets (xlsx, csv, parquet) into one typed supplier frame.

Every input row ends up either in the supplier frame (assessed) or in the data-quality frame as
rejected, and every cell that does not parse becomes a data-quality entry naming file, sheet, row,
column, cell and raw value. Cells are read as text so that nothing is coerced or dropped on the way
in (see ../shared/research/ecosystem.md §2.5 for the traps in pl.read_excel's defaults).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import functools
import hashlib
import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from auditor import cells, reference, schema
from auditor import mapping as mapping_module
from auditor.errors import InputError
from auditor.mapping import Mapping
from auditor.schema import ColumnSpec

ROW = "_row"  # spreadsheet row number (1-based, as Excel shows it)
FILE = "_file"
SHEET = "_sheet"
SOURCE_COLUMNS = (FILE, SHEET, ROW)

DQ_SCHEMA = pl.Schema(
    {"file": pl.String, "sheet": pl.String, "row": pl.Int64, "column": pl.String, "cell": pl.String,
     "value": pl.String, "problem": pl.String, "effect": pl.String}
)
HEADER_SCAN_ROWS = 30


def _first_line(error: BaseException) -> str:
    """The first line of an error's message, or its type when it has none."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _reader_failure(error: BaseException) -> bool:
    """True for errors a workbook reader raises on bad input (calamine panics arrive as pyo3's PanicException,
    a BaseException), false for Ctrl-C and exit."""
    return isinstance(error, Exception) or type(error).__name__ == "PanicException"


@dataclass(frozen=True)
class RawSheet:
    """One sheet as text: canonical column names, spreadsheet row numbers and where each column sits."""

    file: str
    sheet: str | None
    kind: str  # "suppliers" or "recruiters"
    frame: pl.DataFrame  # String columns named canonically, plus _row
    letters: dict[str, str]  # canonical column → spreadsheet column letter
    header_row: int
    notes: list[dict] = field(default_factory=list)  # data-quality entries about the sheet itself
    # Body columns (canonical name → values) a parquet file already holds as the contract types them,
    # and exactly as parsing their text would (see _typed_as_read); their text column in `frame` is null.
    typed: dict[str, pl.Series] = field(default_factory=dict)
    # Further body batches of a large CSV read a block of records at a time (load() types them one at a time), or None.
    more: Iterator[pl.DataFrame] | None = None


@dataclass(frozen=True)
class InputFile:
    """A file that was read, with its content hash for the run record."""

    path: str
    sha256: str
    sheets: tuple[str, ...]


@dataclass
class Loaded:
    """The typed supplier frame and everything the loader has to say about the input."""

    suppliers: pl.DataFrame
    data_quality: pl.DataFrame
    rows_read: int
    rows_rejected: int
    inputs: list[InputFile]
    letters: pl.DataFrame  # file, sheet, column, letter: for cell references in findings
    recruiters: pl.DataFrame | None = None  # typed Recruiters rows (supplier × recruiter), for shared-recruiter risk
    files: list[dict] = field(default_factory=list)  # per file: rows_read, rows_assessed, rows_rejected


def column_letter(index: int) -> str:
    """0-based column index → spreadsheet letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# ── reading files as text ─────────────────────────────────────────────────────────────────────


def _sniff_csv(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a CSV's bytes (UTF-16 with BOM, UTF-8 with or without BOM, else cp1252) and guess its delimiter."""
    # Excel's "Unicode Text" export is UTF-16 with a byte-order mark.
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1252", "latin-1")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"{path}: the text encoding cannot be read (save it as CSV UTF-8)")
    return text, _delimiter(text[:16384])


def _delimiter(sample: str) -> str:
    """The delimiter of a CSV, guessed from its first characters."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


_BOM = b"\xef\xbb\xbf"
_VISIBLE_ASCII = re.compile(rb"[^ \t\n\r\x0b\x0c\x1c-\x1f]")  # what str.strip() keeps among ASCII characters


def _utf8_outline(data: bytes) -> tuple[str, bool] | None:
    """The first 16384 characters of UTF-8 bytes (a BOM skipped) and whether any character is not white space;
    None when the bytes are not UTF-8. Decoded a few MB at a time, so no copy of the whole text is made."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    view, step, sample, visible = memoryview(data), 1 << 22, "", False
    try:
        for offset in range(0, len(data), step):
            text = decoder.decode(view[offset:offset + step], final=offset + step >= len(data))
            sample += text[:16384 - len(sample)]
            visible = visible or bool(text.strip())
    except UnicodeDecodeError:
        return None
    return sample, visible


def _read_csv(path: Path) -> pl.DataFrame:
    source, delimiter = _csv_source(path)
    options = dict(infer_schema=False, separator=delimiter, quote_char='"')
    try:
        return pl.read_csv(source, has_header=False, truncate_ragged_lines=False, **options)
    except pl.exceptions.PolarsError:
        pass  # e.g. a row has more cells than the first: size the grid from the longest row instead
    del source
    return _read_ragged_csv(path, options)


def _csv_source(path: Path) -> tuple[Path | bytes, str]:
    """What polars should read for a CSV file (the file itself, or its text re-encoded as UTF-8) and its delimiter."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        raise InputError(f"{path}: this is an xlsx workbook with a .csv name; rename it to .xlsx")
    source: Path | bytes
    start = len(_BOM) if data.startswith(_BOM) else 0
    ascii = (data[start:] if start else data).isascii()
    outline = None if ascii else _utf8_outline(data)
    if ascii:
        # ASCII text (after a UTF-8 BOM, which polars skips) is byte-for-byte the file: polars reads the
        # file itself, and neither the bytes nor a decoded copy are held while it does.
        if not _VISIBLE_ASCII.search(data, start):
            raise InputError(f"{path}: the file is empty")
        delimiter, source = _delimiter(data[start:start + 16384].decode("ascii")), path
    elif outline is not None:  # UTF-8 likewise: polars reads it as it is (a decoded copy would be 1-4 bytes a character)
        sample, visible = outline
        if not visible:
            raise InputError(f"{path}: the file is empty")
        delimiter, source = _delimiter(sample), path
    else:
        text, delimiter = _sniff_csv(data, path)
        if not text.strip():
            raise InputError(f"{path}: the file is empty")
        source = text.encode("utf-8")  # (UTF-16 files are never ASCII bytes)
        del text
    return source, delimiter


def _read_ragged_csv(path: Path, options: dict) -> pl.DataFrame:
    """A CSV that polars could not read as it is (rows wider than the first), or the error that says why."""
    text, delimiter = _sniff_csv(path.read_bytes(), path)
    # polars would size the grid from the first line and drop the extra cells; a synthetic first line
    # as wide as the longest row keeps them, so they show up as a headerless column (reported).
    try:
        width = max((len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)), default=0)
    except csv.Error:
        width = 0
    synthetic = delimiter.join(f"column_{i}" for i in range(width)) + "\n" if width else ""
    try:
        return pl.read_csv((synthetic + text).encode("utf-8"), has_header=bool(width), truncate_ragged_lines=True, **options)
    except pl.exceptions.PolarsError as error:
        if broken := _broken_record(text, delimiter):
            line, reason = broken
            raise InputError(f"{path} row {line}: not a readable CSV file ({reason}; is a quote (\") in this row never closed?)") from None
        raise InputError(f"{path}: not a readable CSV file ({_first_line(error)})") from error


def _broken_record(text: str, delimiter: str) -> tuple[int, str] | None:
    """(line, reason) of the first record strict CSV parsing rejects; only called once a read has failed."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as error:
        return start, str(error)
    return None


def _read_parquet_typed(path: Path) -> pl.DataFrame:
    try:
        return pl.read_parquet(path)
    except Exception as error:  # polars raises several kinds for corrupt parquet
        raise InputError(f"{path}: not a readable parquet file ({_first_line(error)})") from error


def _parquet_grid(frame: pl.DataFrame, typed: set[int] = frozenset()) -> pl.DataFrame:
    """Parquet has real headers and types; turn it into the same text grid the other readers give."""
    header = pl.DataFrame([pl.Series(f"column_{i}", [name], dtype=pl.String) for i, name in enumerate(frame.columns)])
    body = frame.select(
        (pl.repeat(None, frame.height, dtype=pl.String) if i in typed else pl.col(name).cast(pl.String)).alias(f"column_{i}")
        for i, name in enumerate(frame.columns)
    )
    return pl.concat([header, body])


_PARQUET_TYPES = {"bool": pl.Boolean, "int": pl.Int64, "number": pl.Float64, "fraction": pl.Float64, "date": pl.Date}


def _typed_as_read(column: pl.Series, spec: ColumnSpec) -> bool:
    """True when a typed parquet column holds exactly what its text would parse to, with no problem in any cell.

    Its text would be polars' own rendering of each value ("true", "12", "0.45", "2024-05-01"), which
    the cell parsers read back to the same value unless it breaks a rule of the column: a minimum,
    integers beyond 2**53, NaN or infinity, a fraction outside 0–1 (45 is read as 45% with a note),
    dates outside 1900–9999. Columns with any such value, or of another type, go through the text.
    """
    if spec.type not in _PARQUET_TYPES or column.dtype != _PARQUET_TYPES[spec.type]:
        return False
    values = column.drop_nulls()
    if values.is_empty() or spec.type == "bool":
        return True
    low, high = values.min(), values.max()
    if spec.type == "date":
        return low >= datetime.date(1900, 1, 1) and high <= datetime.date(9999, 12, 31)
    if spec.type == "int":
        fits = -(2**53) < low and high < 2**53
    else:
        fits = bool(values.is_finite().all()) and (spec.type != "fraction" or (low >= 0 and high <= 1))
    return fits and (spec.minimum is None or low >= spec.minimum)


def _parquet_sheet(path: Path, *, header_row: int | None, aliases: dict[str, str], mapping: Mapping | None) -> RawSheet:
    """The supplier sheet of a parquet file, keeping columns already typed as the contract wants them out of the text grid."""
    frame = _read_parquet_typed(path)
    typed: dict[int, str] = {}
    if mapping is None and frame.width:
        index = {**schema.header_index("suppliers"), **aliases}
        forced = None if header_row is None else header_row - 1
        # Only for the usual layout (the column names are the header); anything else takes the text path.
        if _detect_header(_parquet_grid(frame.head(HEADER_SCAN_ROWS)), index, forced) == 0:
            positions, _, _ = _map_columns(frame.columns, index, str(path), None, 1, 0)
            specs = {s.name: s for s in schema.SUPPLIER_COLUMNS}
            typed = {i: name for i, name in positions.items()
                     if name in specs and _typed_as_read(frame.to_series(i), specs[name])}
    raw = _to_raw_sheet(_parquet_grid(frame, set(typed)), file=str(path), sheet=None, kind="suppliers", first_row=1,
                        first_col=0, header_row=header_row, aliases=aliases, mapping=mapping)
    return replace(raw, typed={name: frame.to_series(i).alias(name) for i, name in typed.items()}) if typed else raw


# Files this large are read a block of records at a time (typed block by block), so the text of the whole file is
# never held at once. Smaller files are read whole: blocks save no memory there and cost CPU per block.
CSV_STREAM_BYTES = 256 * 2**20
CSV_BLOCK_BYTES = 32 * 2**20  # bytes parsed at a time: about 80k rows of the benchmark's suppliers


def _record_end(block: bytes) -> int | None:
    """Where the last complete record of `block` ends (just after a newline outside quotes), or None.

    A newline ends a record when an even number of quote characters comes before it in the block (the
    block starts at a record boundary; an escaped quote "" counts twice): the same rule polars uses to
    split a file into chunks it parses in parallel, so a block is cut where polars would find a record end.
    """
    end = block.rfind(b"\n")
    quotes = block.count(b'"', 0, end) if end >= 0 else 0
    while end >= 0 and quotes % 2:
        previous = block.rfind(b"\n", 0, end)
        quotes -= block.count(b'"', previous + 1, end)
        end = previous
    return end + 1 if end >= 0 else None


def _record_blocks(path: Path, size: int) -> Iterator[bytes]:
    """A file's bytes about `size` at a time, each block a run of whole records (a very long record makes a longer block)."""
    carry = b""
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            block = carry + chunk
            end = _record_end(block)
            if end is None:  # no record ends in this block: read on
                carry = block
                continue
            carry = block[end:]
            yield block[:end]
    if carry:
        yield carry


def _streamed_csv_sheet(path: Path, *, header_row: int | None, aliases: dict[str, str], mapping: Mapping | None) -> RawSheet | None:
    """A large CSV's supplier sheet with only its first block of records read; the rest follow in `more`.

    So the text of the whole file is never held at once. Only for the usual layout: the header among
    the first rows of the first block, every column headed, no mapping file, UTF-8 (or ASCII) text.
    Anything else (None) takes the whole-file path; load() also falls back to it when a later block
    cannot be read as the whole file would read it (a row wider than the first, text that is not UTF-8).
    """
    if mapping is not None or path.stat().st_size < CSV_STREAM_BYTES:
        return None
    blocks = _record_blocks(path, CSV_BLOCK_BYTES)
    head = next(blocks, b"")
    head = head[len(_BOM):] if head.startswith(_BOM) else head
    delimiter = _delimiter(head[:16384].decode("utf-8", errors="ignore"))
    options = dict(has_header=False, infer_schema=False, truncate_ragged_lines=False, separator=delimiter, quote_char='"')
    try:
        first = pl.read_csv(head, **options)
    except pl.exceptions.PolarsError:
        return None  # e.g. not UTF-8: the whole-file path decodes it
    del head
    index = {**schema.header_index("suppliers"), **aliases}
    forced = None if header_row is None else header_row - 1
    if first.height < HEADER_SCAN_ROWS or (forced is not None and not 0 <= forced < first.height):
        return None  # the header is looked for in the first rows of the whole file
    h = _detect_header(first, index, forced)
    headers = list(first.row(h))
    if any(header is None or not str(header).strip() for header in headers):
        return None  # headerless columns are counted over the whole file
    raw = _to_raw_sheet(first, file=str(path), sheet=None, kind="suppliers", first_row=1, first_col=0,
                        header_row=header_row, aliases=aliases, mapping=None)
    positions, _, _ = _map_columns(headers, index, str(path), None, raw.header_row, 0)
    width = first.width

    def more() -> Iterator[pl.DataFrame]:
        start = first.height  # grid rows read so far; grid row r is spreadsheet row r + 1
        # The next block is read on a second thread while this one is typed (both mostly in polars, without the GIL).
        for batch in _read_ahead(pl.read_csv(block, **options) for block in blocks):
            if batch.width > width:  # read whole, the file would be ragged: load() reads it whole
                raise pl.exceptions.ShapeError("a block of rows is wider than the first")
            # Rows narrower than the first are padded with nulls, as reading the whole file pads them.
            yield batch.select(
                pl.int_range(start + 1, start + 1 + batch.height, dtype=pl.Int64).alias(ROW),
                *[(pl.col(batch.columns[i]) if i < batch.width else pl.lit(None, dtype=pl.String)).alias(name) for i, name in positions.items()],
            )
            start += batch.height

    return replace(raw, more=more())


def _read_ahead(items: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """`items`, each next one made on a second thread while the caller works on the one before."""
    with ThreadPoolExecutor(max_workers=1) as side:
        pending = side.submit(next, items, None)
        while (item := pending.result()) is not None:
            pending = side.submit(next, items, None)
            yield item


def _xlsx_sheet_names(path: Path) -> list[str]:
    import fastexcel

    try:
        return fastexcel.read_excel(str(path)).sheet_names
    except BaseException as error:  # fastexcel raises its own error types for corrupt files
        if not _reader_failure(error):
            raise
        raise InputError(f"{path}: not a readable xlsx workbook ({_first_line(error)})") from error


def _read_xlsx_sheets(path: Path, side: ThreadPoolExecutor, *, file: str, suffix: str, header_row: int | None,
                      aliases: dict[str, str], mapping: Mapping | None) -> list[RawSheet]:
    """The supplier sheet and, if present, the Recruiters sheet of a workbook, with their layout notes."""
    from auditor import xlsx_inspect

    names = _xlsx_sheet_names(path)
    states = xlsx_inspect.sheet_states(path) if suffix != ".xls" else {}
    visible = [n for n in names if states.get(n, "visible") == "visible"]
    by_fold = {n.casefold(): n for n in names}
    supplier_sheet = by_fold.get("suppliers") or (visible[0] if len(visible) == 1 else None)
    if supplier_sheet is None:
        raise InputError(f"{path}: no sheet named 'Suppliers' and more than one sheet ({', '.join(names)})")
    sheets = []
    for kind, name in (("suppliers", supplier_sheet), ("recruiters", by_fold.get("recruiters"))):
        if name is None:
            continue
        scanned = side.submit(xlsx_inspect.scan, path, name) if suffix != ".xls" else None
        grid, first_row, first_col = _read_xlsx_sheet(path, name)
        if not grid.height:
            if kind == "recruiters":
                continue  # an empty Recruiters sheet says nothing: recruiter columns stay unknown
            raise InputError(f"{path} sheet {name!r}: the sheet is empty")
        raw = _to_raw_sheet(grid, file=file, sheet=name, kind=kind, first_row=first_row,
                            first_col=first_col, header_row=header_row if kind == "suppliers" else None,
                            aliases=aliases if kind == "suppliers" else {}, mapping=mapping if kind == "suppliers" else None)
        if scanned is not None:
            raw.notes.extend(xlsx_inspect.sheet_notes(path, name, raw.header_row, raw.letters, state=states.get(name, "visible"),
                                                      scanned=scanned.result()))
        sheets.append(raw)
    return sheets


def _read_xlsx_sheet(path: Path, sheet: str) -> tuple[pl.DataFrame, int, int]:
    """A sheet as a text grid, with the spreadsheet row and column of its top-left cell."""
    import fastexcel

    try:
        loaded = fastexcel.read_excel(str(path)).load_sheet(sheet, header_row=None, dtypes="string")
        grid = loaded.to_polars()
    except BaseException as error:
        if not _reader_failure(error):
            raise
        raise InputError(f"{path}: sheet {sheet!r} could not be read ({_first_line(error)})") from error
    first_col = loaded.available_columns()[0].absolute_index if grid.width else 0
    return grid, _first_used_row(path, sheet), first_col


def _first_used_row(path: Path, sheet: str) -> int:
    """The spreadsheet row calamine's grid starts at (it skips leading empty rows)."""
    from auditor.xlsx_layout import first_used_row

    return first_used_row(path, sheet)


# ── header detection and column mapping ───────────────────────────────────────────────────────


def _detect_header(grid: pl.DataFrame, index: dict[str, str], forced: int | None) -> int:
    """Index (within the grid) of the header row: the row among the first rows naming most columns."""
    if forced is not None:
        return forced
    best, best_hits = 0, 0
    for i, row in enumerate(grid.head(HEADER_SCAN_ROWS).iter_rows()):
        hits = len({index[k] for cell in row if cell and (k := schema.normalise_header(cell)) in index})
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def _map_columns(
    headers: list[str | None], index: dict[str, str], file: str, sheet: str | None, header_row: int, first_col: int
) -> tuple[dict[int, str], dict[str, str], list[dict]]:
    """Grid position → canonical name; canonical name → letter; notes on unknown or repeated headers."""
    positions: dict[int, str] = {}
    letters: dict[str, str] = {}
    notes: list[dict] = []
    for i, header in enumerate(headers):
        letter = column_letter(first_col + i)
        if header is None or not str(header).strip():
            continue
        name = index.get(schema.normalise_header(header))
        cell = f"{letter}{header_row}"
        if name is None:
            notes.append(_note(file, sheet, header_row, str(header), cell, str(header),
                               "column not in the data contract (add an alias in a mapping file to use it)",
                               "column ignored"))
        elif name in letters:
            notes.append(_note(file, sheet, header_row, name, cell, str(header),
                               f"second column for {name} (first is column {letters[name]})", "column ignored"))
        else:
            positions[i] = name
            letters[name] = letter
    return positions, letters, notes


def _note(file: str, sheet: str | None, row: int | None, column: str | None, cell: str | None,
          value: str | None, problem: str, effect: str) -> dict:
    return {"file": file, "sheet": sheet, "row": row, "column": column, "cell": cell,
            "value": value, "problem": problem, "effect": effect}


def _to_raw_sheet(
    grid: pl.DataFrame, *, file: str, sheet: str | None, kind: str, first_row: int, first_col: int,
    header_row: int | None, aliases: dict[str, str], mapping: Mapping | None = None,
) -> RawSheet:
    index = {**schema.header_index(kind), **aliases}
    forced = None if header_row is None else header_row - first_row
    if forced is not None and not 0 <= forced < grid.height:
        raise InputError(f"{file}{_at(sheet)}: --header-row {header_row} is outside the sheet (rows {first_row}–{first_row + grid.height - 1})")
    h = _detect_header(grid, index, forced)
    headers = list(grid.row(h)) if grid.height else []
    excel_header_row = first_row + h
    borrowed: dict[str, int] = {}
    if mapping is not None:  # derived supplier_id and constants become extra columns (auditor/mapping.py)
        grid, headers, borrowed, problems = mapping_module.extend_grid(mapping, grid, headers, h, index)
        if problems:
            raise InputError(f"{file}{_at(sheet)} row {excel_header_row}: {'; '.join(problems)} (mapping file {mapping.source})")
    positions, letters, notes = _map_columns(headers, index, file, sheet, excel_header_row, first_col)
    headerless = [i for i, header in enumerate(headers) if header is None or not str(header).strip()]
    body_counts = grid.slice(h + 1).select(
        pl.col(grid.columns[i]).cast(pl.String).str.strip_chars().replace("", None).count() for i in headerless
    ).row(0) if headerless else ()
    notes += [_note(file, sheet, excel_header_row, None, f"{column_letter(first_col + i)}{excel_header_row}", None,
                    f"column {column_letter(first_col + i)} has {count} value(s) but no header", "column ignored")
              for i, count in zip(headerless, body_counts) if count]
    if mapping is not None:
        letters.update({name: column_letter(first_col + i) for name, i in borrowed.items()})
        ignored = mapping.ignored()
        notes = [n for n in notes if schema.normalise_header(n["value"] or "") not in ignored]
        notes += mapping_notes(mapping, set(borrowed), file, sheet, excel_header_row)
    specs = schema.SUPPLIER_COLUMNS if kind == "suppliers" else schema.RECRUITER_COLUMNS
    missing = [s.name for s in specs if s.required and s.name not in letters]
    if missing:
        found = ", ".join(str(x) for x in headers if x) or "none"
        raise InputError(
            f"{file}{_at(sheet)} row {excel_header_row}: required column(s) {', '.join(missing)} not found "
            f"(headers found: {found})"
        )
    body = grid.slice(h + 1)
    frame = body.select(
        pl.int_range(excel_header_row + 1, excel_header_row + 1 + body.height, dtype=pl.Int64).alias(ROW),
        *[pl.col(body.columns[i]).alias(name) for i, name in positions.items()],
    )
    if mapping is not None:
        frame, multi = mapping_module.map_sectors(mapping, frame)
        notes += [_note(file, sheet, r["_row"], "sector", f"{letters['sector']}{r['_row']}", r["value"],
                        f"several sectors in one cell; used {r['used']}" + (f" (not mapped: {r['unmapped']})" if r["unmapped"] else ""),
                        "first mapped sector used") for r in multi.iter_rows(named=True)]
    return RawSheet(file=file, sheet=sheet, kind=kind, frame=frame, letters=letters,
                    header_row=excel_header_row, notes=notes)


def mapping_notes(mapping: Mapping, added: set[str], file: str, sheet: str | None, header_row: int) -> list[dict]:
    """Data-quality entries saying which columns a mapping file supplied rather than the sheet."""
    notes = []
    if mapping.supplier_id is not None and "supplier_id" in added:
        rule = mapping.supplier_id
        notes.append(_note(file, sheet, header_row, "supplier_id", None, None,
                           f"no supplier_id in the file: derived as {rule.prefix}+SHA-256 of normalised {', '.join(rule.from_)} (mapping file {mapping.source})",
                           "supplier_id derived"))
    for name, value in mapping.constants.items():
        if name not in added:
            notes.append(_note(file, sheet, header_row, name, None, str(value),
                               f"the sheet has a {name} column, so the constant in mapping file {mapping.source} is not used",
                               "sheet values used"))
            continue
        notes.append(_note(file, sheet, header_row, name, None, str(value),
                           f"{name} set to {value!r} for every row by mapping file {mapping.source}", "constant value used"))
    return notes


def _at(sheet: str | None) -> str:
    return f" sheet {sheet!r}" if sheet else ""


def _digest_and_head(path: Path, suffix: str) -> tuple[str, bytes]:
    """The file's sha256 and the bytes xlsx_inspect.container_problem needs: the whole of a workbook (its archive is
    checked), only the first bytes of a text or parquet file (hashed as it is read: a large CSV is never held whole)."""
    from auditor import xlsx_inspect

    with path.open("rb") as handle:
        head = handle.read(8)
        if suffix in (".csv", ".txt", ".tsv", ".parquet") and not xlsx_inspect.is_compound_file(head):  # (encryption: whole file)
            handle.seek(0)
            return hashlib.file_digest(handle, "sha256").hexdigest(), head
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), data


def read_raw(path: Path, *, header_row: int | None = None, aliases: dict[str, str] | None = None,
             mapping: Mapping | None = None, stream: bool = False) -> tuple[list[RawSheet], InputFile]:
    """Read one input file into raw text sheets: the supplier sheet and, if present, Recruiters.

    With `stream`, a large CSV may come back with only its first block of records read (RawSheet.more).
    """
    from auditor import xlsx_inspect

    aliases = {schema.normalise_header(k): v for k, v in {**(mapping.aliases() if mapping else {}), **(aliases or {})}.items()}
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a supplier file")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    file = str(path)
    try:
        digest, data = _digest_and_head(path, suffix)
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None
    if not data:
        raise InputError(f"{path}: the file is empty (0 bytes)")
    if problem := xlsx_inspect.container_problem(data, suffix):
        raise InputError(f"{path}: {problem}")
    del data  # each reader reads the file itself: do not hold a second copy of it meanwhile
    if suffix in (".xlsx", ".xlsm", ".xls"):
        # Checking the archive's parts and scanning the sheet XML (formulas, merged cells, hidden rows) inflate the
        # whole file again: they run on a second thread while calamine reads (both release the GIL), not after it.
        with ThreadPoolExecutor(max_workers=1) as side:
            damaged = side.submit(xlsx_inspect.damaged_parts, path) if suffix != ".xls" else None
            side.submit(_build_parsers)  # (after the checks, the side thread idles until calamine is done)
            try:
                sheets = _read_xlsx_sheets(path, side, file=file, suffix=suffix, header_row=header_row, aliases=aliases, mapping=mapping)
            except InputError:
                if damaged is not None and (problem := damaged.result()):
                    raise InputError(f"{path}: {problem}") from None
                raise
            if damaged is not None and (problem := damaged.result()):
                raise InputError(f"{path}: {problem}")
        return sheets, InputFile(file, digest, tuple(s.sheet for s in sheets if s.sheet))
    if suffix == ".parquet":
        return [_parquet_sheet(path, header_row=header_row, aliases=aliases, mapping=mapping)], InputFile(file, digest, ())
    if suffix in (".csv", ".txt", ".tsv"):
        if stream and (streamed := _streamed_csv_sheet(path, header_row=header_row, aliases=aliases, mapping=mapping)):
            return [streamed], InputFile(file, digest, ())
        grid = _read_csv(path)
    else:
        raise InputError(f"{path}: unsupported file type {suffix or '(none)'}; use .xlsx, .xls, .csv or .parquet")
    sheet = _to_raw_sheet(grid, file=file, sheet=None, kind="suppliers", first_row=1, first_col=0,
                          header_row=header_row, aliases=aliases, mapping=mapping)
    return [sheet], InputFile(file, digest, ())


# ── typing ────────────────────────────────────────────────────────────────────────────────────


TEXT = "__text"  # the column a parser reads
ParserKind = tuple[str, float | None, tuple[str, ...]]  # what a column's parser depends on (_kind)


def _kind(spec: ColumnSpec) -> ParserKind:
    """What a column's parser depends on: columns of one kind are parsed alike."""
    return (spec.type, spec.minimum, spec.values)


SHARED_TEXTS = 1_000  # a column with at most this many distinct texts shares its kind's table of parsed texts


@dataclass
class ParsedTexts:
    """The texts parsed so far in one sheet (across its row batches): tables of text, value and problem, and the
    table each column's cells are looked up in.

    Columns of one kind with few distinct texts (the 50 yes/no columns, ages, lead times) share their kind's table:
    one parse for all of them. A column with many (wages, counts, dates) keeps its own: in a table shared by a dozen
    such columns every lookup costs more than the parses sharing saves (1M rows: 0.5 s more).
    """

    tables: dict[tuple, pl.DataFrame] = field(default_factory=dict)
    routes: dict[str, tuple] = field(default_factory=dict)  # column name → its table's key

    def route(self, spec: ColumnSpec, distinct: int) -> tuple:
        """The table of a column, chosen the first time it is typed (from its distinct texts then) and kept."""
        if spec.name not in self.routes:
            kind = _kind(spec)
            self.routes[spec.name] = kind if distinct <= SHARED_TEXTS else (*kind, spec.name)
        return self.routes[spec.name]


def _build_parsers() -> None:
    """Build (and cache) every contract column's parser: 30 ms of Python the typing need not wait for after a slow read."""
    for spec in (*schema.SUPPLIER_COLUMNS, *schema.RECRUITER_COLUMNS):
        _parser(_kind(spec))


@functools.cache  # the same expressions for every column, row batch and file (building them costs more than a small batch)
def _parser(kind: ParserKind) -> cells.Parsed:
    """The value and problem expressions of a kind of column, reading the column TEXT."""
    type_, minimum, values = kind
    raw = pl.col(TEXT)
    if type_ == "number":
        return cells.parse_number(raw, minimum)
    if type_ == "int":
        return cells.parse_number(raw, minimum, integer=True)
    if type_ == "fraction":
        return cells.parse_fraction(raw)
    if type_ == "bool":
        return cells.parse_bool(raw)
    if type_ == "date":
        return cells.parse_date(raw)
    if type_ == "country":
        return cells.parse_vocabulary(raw, reference.country_lookup(), "country (use an ISO code or an English name)")
    if type_ == "sector":
        return cells.parse_vocabulary(raw, reference.sector_lookup(), "sector (see `auditor rules sectors`)")
    if type_ == "enum":
        return cells.parse_vocabulary(raw, {cells.vocabulary_key(v): v for v in values}, f"value ({', '.join(values)})")
    return cells.parse_text(raw)


def parse_cells(column: pl.Series, spec: ColumnSpec) -> tuple[pl.Series, pl.Series]:
    """Every cell of a text column parsed as `spec` says: its values and its problems (null where none), cell by cell."""
    value, problem = _parser(_kind(spec))
    out = column.alias(TEXT).to_frame().select(value.alias(column.name), problem.alias("problem"))
    return out.get_column(column.name), out.get_column("problem")


def _known_texts(column: pl.Series, parsed: pl.DataFrame | None) -> tuple[pl.Series, pl.Series | None]:
    """A repetitive column's distinct texts not yet in `parsed` (text, value, problem of its kind), and each cell's
    place among the parsed texts when every one of them is there already."""
    if parsed is None:
        return column.drop_nulls().unique().alias(TEXT), None
    at = column.cast(pl.Enum(parsed.get_column("text")), strict=False)
    new = column.filter(at.is_null() & column.is_not_null()).unique().alias(TEXT)
    return new, (at.to_physical() if new.is_empty() else None)


def _parse_texts(texts: pl.Series, kind: ParserKind) -> pl.DataFrame:
    """Distinct texts and what they parse to: text, value, problem."""
    value, problem = _parser(kind)
    return texts.to_frame().select(pl.col(TEXT).alias("text"), value.alias("value"), problem.alias("problem"))


def _any_problem(problems: pl.Series) -> pl.Series | None:
    """The problems of a column's cells, or None when no cell has one."""
    return problems if problems.null_count() < len(problems) else None


def _typed_by_lookup(column: pl.Series, parsed: pl.DataFrame, at: pl.Series | None) -> tuple[pl.Series, pl.Series | None]:
    """A repetitive column's values and problems (None when no cell has one), each cell looked up among the parsed
    texts of its kind: casting to an Enum of them is one hash lookup per cell."""
    if at is None:
        at = column.cast(pl.Enum(parsed.get_column("text"))).to_physical()
    problems = parsed.get_column("problem")
    found = _any_problem(problems.gather(at)) if _any_problem(problems) is not None else None  # (no gather when no text has one)
    return parsed.get_column("value").gather(at).alias(column.name), found


def _problem_entries(raw: RawSheet, rows: pl.Series, text: pl.Series, values: pl.Series, problems: pl.Series) -> pl.DataFrame:
    """Data-quality entries for the cells of one column that have a problem."""
    bad = problems.is_not_null()
    name = values.name
    return pl.DataFrame({"row": rows.filter(bad), "value": text.filter(bad), "problem": problems.filter(bad),
                         "_typed": values.filter(bad)}).select(
        pl.lit(raw.file).alias("file"), pl.lit(raw.sheet, dtype=pl.String).alias("sheet"),
        "row", pl.lit(name).alias("column"),
        (pl.lit(raw.letters[name]) + pl.col("row").cast(pl.String)).alias("cell"),
        "value", "problem",
        pl.when(pl.col("_typed").is_null()).then(pl.lit("value treated as unknown")).otherwise(pl.lit("value used as read")).alias("effect"),
    )


def type_sheet(raw: RawSheet) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed frame (every contract column, null where absent) and the data-quality entries for its cells."""
    return _type_columns(raw, raw.frame.to_dict())


TYPING_THREADS = 2  # columns typed at once (_type_columns)


def _type_columns(raw: RawSheet, grid: dict[str, pl.Series], seen: ParsedTexts | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """type_sheet over the sheet's columns, taking each text column out of `grid` once typed.

    Answers repeat (yes/no, 45%, a few hundred wages and dates), so a column of any type but free text is not
    parsed cell by cell: its distinct texts are parsed once (with those of the columns sharing its table, see
    ParsedTexts) and each cell is mapped to its result by one hash lookup: 5–10× cheaper than running the parser's
    regexes on every cell, with the same results (parsers are pure functions of one cell). Columns of near-unique
    text (ids, names) are parsed directly. `seen` keeps the parsed texts across the row batches of one sheet: only
    new texts are parsed. When the caller holds no other reference to the text grid, each text column is freed as
    soon as it is typed, so the text grid and the typed frame are never both whole in memory.
    """
    specs = schema.SUPPLIER_COLUMNS if raw.kind == "suppliers" else schema.RECRUITER_COLUMNS
    present = [s for s in specs if s.name in raw.letters]
    names = [s.name for s in present]
    rows = grid.pop(ROW)
    # Rows with no value at all are blank rows: rejected with a note, never silently skipped.
    blank = _blank_flag(_blank_rows(rows, grid, names, raw.typed)) if names else pl.lit(True).alias("_blank")
    seen = ParsedTexts() if seen is None else seen
    to_type = [s for s in present if s.name not in raw.typed]  # (the rest were read typed as the contract wants)
    by_lookup = [s for s in to_type if s.type != "text" and grid[s.name].dtype == pl.String]

    # Columns side by side (two at a time): each is a chain of small polars steps that keeps one core busy at most.
    with ThreadPoolExecutor(max_workers=TYPING_THREADS) as pool:
        def known(spec: ColumnSpec) -> tuple[pl.Series, pl.Series | None]:
            table = seen.routes.get(spec.name)
            return _known_texts(grid[spec.name], seen.tables.get(table) if table else None)

        found = dict(zip((s.name for s in by_lookup), pool.map(known, by_lookup)))
        table_of = {s.name: seen.route(s, found[s.name][0].len()) for s in by_lookup}
        kind_of = {table_of[s.name]: _kind(s) for s in by_lookup}
        new_texts: dict[tuple, list[pl.Series]] = {}
        for spec in by_lookup:
            if not found[spec.name][0].is_empty():
                new_texts.setdefault(table_of[spec.name], []).append(found[spec.name][0])

        tables = list(new_texts)
        # Each column's new texts are those its table lacks (routes are set the first time, for every column), so a
        # table's new texts go after the ones parsed before: a cell's place among the old ones stays right.
        for table, parsed in zip(tables, pool.map(lambda t: _parse_texts(pl.concat(new_texts[t]).unique(), kind_of[t]), tables)):
            seen.tables[table] = parsed if table not in seen.tables else pl.concat([seen.tables[table], parsed])
        for table in set(kind_of) - set(seen.tables):  # columns with no text at all: every cell unknown
            seen.tables[table] = _parse_texts(pl.Series(TEXT, [], dtype=pl.String), kind_of[table])

        def type_one(spec: ColumnSpec) -> tuple[pl.Series, pl.DataFrame | None]:
            text = grid.pop(spec.name)
            if spec.name in raw.typed:
                return raw.typed[spec.name], None
            if spec.name in found:
                values, problems = _typed_by_lookup(text, seen.tables[table_of[spec.name]], found[spec.name][1])
            else:
                values, problems = parse_cells(text, spec)
                problems = _any_problem(problems)
            return values, (_problem_entries(raw, rows, text, values, problems) if problems is not None else None)

        # Each column touches only its own entry of `grid`; results come back in column order.
        done = list(pool.map(type_one, present))
    typed = {spec.name: values for spec, (values, _) in zip(present, done)}
    problems = [entries for _, entries in done if entries is not None]
    notes = [pl.DataFrame(raw.notes, schema=DQ_SCHEMA)] if raw.notes else []
    data_quality = pl.concat([*notes, *problems]) if notes or problems else pl.DataFrame(schema=DQ_SCHEMA)
    frame = pl.DataFrame([rows, *typed.values()]).select(
        pl.lit(raw.file).alias(FILE), pl.lit(raw.sheet, dtype=pl.String).alias(SHEET), ROW,
        *[pl.col(s.name) if s.name in typed else pl.lit(None, dtype=schema.POLARS_TYPES[s.type]).alias(s.name) for s in specs],
        blank,
    )
    return frame, data_quality


def _type_sheet_batches(raw: RawSheet) -> tuple[pl.DataFrame, pl.DataFrame]:
    """type_sheet for load(): the text columns are handed over (each freed once typed: nothing else holds
    the grid), and a streamed CSV's further row batches are typed one at a time."""
    grid, raw, seen = raw.frame.to_dict(), replace(raw, frame=raw.frame.clear()), ParsedTexts()
    frame, data_quality = _type_columns(raw, grid, seen)
    if raw.more is None:
        return frame, data_quality
    frames, data_qualities, rest = [frame], [data_quality], replace(raw, notes=[], more=None)
    for batch in raw.more:
        frame, data_quality = _type_columns(rest, batch.to_dict(), seen)
        frames.append(frame)
        data_qualities.append(data_quality)
    return one_chunk(frames), pl.concat(data_qualities)


def one_chunk(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The frames (same columns) stacked, each column in one piece, built a column at a time as `frames` give theirs up.

    A frame whose columns are cut at different rows is copied whole by the next lazy query over it (400 MB at 1M
    rows, held for the rest of the run); this makes one chunk per column while holding one column twice at most.
    """
    names = frames[0].columns
    columns = []
    for name in names:
        columns.append(pl.concat([f.get_column(name) for f in frames], rechunk=True))
        frames[:] = [f.drop(name) for f in frames]
    return pl.DataFrame(columns)


def _blank_rows(rows: pl.Series, grid: dict[str, pl.Series], names: list[str], typed: dict[str, pl.Series]) -> pl.Series:
    """Row numbers of rows with no value in any column (checked only where the first column is empty: blank rows are rare)."""
    def empty(name: str) -> pl.Expr:
        if name in typed:  # a typed value is never empty text
            return pl.col(name).is_null()
        return pl.col(name).is_null() | (pl.col(name).str.strip_chars() == "")

    def column(name: str) -> pl.Series:
        return typed[name] if name in typed else grid[name]

    maybe = column(names[0]).to_frame().select(empty(names[0])).to_series()
    if not maybe.any():
        return pl.Series(ROW, [], dtype=pl.Int64)
    candidates = pl.DataFrame([rows.filter(maybe), *[column(n).filter(maybe) for n in names]])
    return candidates.filter(pl.all_horizontal(empty(n) for n in names)).get_column(ROW)


def _blank_flag(blank_rows: pl.Series) -> pl.Expr:
    """The `_blank` column: true on the given rows."""
    return (pl.col(ROW).is_in(blank_rows.implode()) if blank_rows.len() else pl.lit(False)).alias("_blank")


def cell_notes(
    rows: pl.DataFrame, column: str, value: pl.Expr, problem: str | pl.Expr, effect: str, letters: pl.DataFrame | None
) -> pl.DataFrame:
    """Data-quality entries (DQ_SCHEMA) for rows carrying _file/_sheet/_row, each pointing at `column`'s cell."""
    where = (letters if letters is not None else pl.DataFrame(schema=dict.fromkeys(("file", "sheet", "column", "letter"), pl.String)))
    return (
        rows.lazy()
        .join(where.lazy().filter(pl.col("column") == column).select(pl.col("file").alias(FILE), pl.col("sheet").alias(SHEET), "letter"),
              on=[FILE, SHEET], how="left", nulls_equal=True)
        .select(
            pl.col(FILE).alias("file"), pl.col(SHEET).alias("sheet"), pl.col(ROW).alias("row"), pl.lit(column).alias("column"),
            (pl.col("letter").fill_null("A") + pl.col(ROW).cast(pl.String)).alias("cell"), value.alias("value"),
            (pl.lit(problem) if isinstance(problem, str) else problem).alias("problem"), pl.lit(effect).alias("effect"),
        )
        .collect()
        .cast(dict(DQ_SCHEMA))
    )


def _reject(frame: pl.DataFrame, condition: pl.Expr, problem: str | pl.Expr, column: str, letters: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split off rows matching `condition` as rejected, each with a data-quality entry."""
    matched = frame.select(condition).to_series()
    if matched.null_count() == 0 and not matched.any():  # the usual case: skip copying the frame twice
        return frame, pl.DataFrame(schema=DQ_SCHEMA)
    rejected = frame.filter(condition)
    kept = frame.filter(~condition)
    if rejected.is_empty():
        return kept, pl.DataFrame(schema=DQ_SCHEMA)
    entries = cell_notes(rejected, column, pl.col(column).cast(pl.String), problem, "row rejected", letters)
    return kept, entries


def load(paths: list[Path], *, header_row: int | None = None, aliases: dict[str, str] | None = None,
         mapping: Mapping | None = None) -> Loaded:
    """Read, type and reconcile every input file into one supplier frame (recruiters folded in)."""
    from auditor import recruiters
    from auditor.derive import derive

    supplier_frames, recruiter_frames, dq_frames, inputs, letter_rows, raw_recruiters = [], [], [], [], [], []
    for path in paths:
        sheets, info = read_raw(Path(path), header_row=header_row, aliases=aliases, mapping=mapping, stream=True)
        inputs.append(info)
        while sheets:
            raw = sheets.pop(0)
            try:
                frame, dq = _type_sheet_batches(raw)
            except pl.exceptions.PolarsError:  # a later row batch of a streamed CSV failed: read the whole file
                raw = read_raw(Path(path), header_row=header_row, aliases=aliases, mapping=mapping)[0][0]
                frame, dq = _type_sheet_batches(raw)
            raw = replace(raw, frame=raw.frame.clear(), more=None)
            dq_frames.append(dq)
            letter_rows += [{"file": raw.file, "sheet": raw.sheet, "column": c, "letter": l} for c, l in raw.letters.items()]
            (supplier_frames if raw.kind == "suppliers" else recruiter_frames).append(frame)
            if raw.kind == "recruiters":
                raw_recruiters.append(raw)
    letters = pl.DataFrame(letter_rows, schema={"file": pl.String, "sheet": pl.String, "column": pl.String, "letter": pl.String})
    suppliers = one_chunk(supplier_frames)
    rows_read = suppliers.height
    read_per_file = suppliers.select(FILE).group_by(FILE).len()  # (grouping the whole frame rechunks every column)

    rejections = []
    suppliers, dq = _reject(suppliers, pl.col("_blank"), "blank row", "supplier_id", letters)
    rejections.append(dq)
    for column in ("supplier_id", "supplier_name"):
        suppliers, dq = _reject(suppliers, pl.col(column).is_null(), f"required value missing: {column}", column, letters)
        rejections.append(dq)
    if suppliers.get_column("supplier_id").is_duplicated().any():  # the ordered windows below cost a sort: only when needed
        first_seen = pl.col(ROW).first().over("supplier_id", order_by=[FILE, ROW])
        duplicate = pl.int_range(pl.len()).over("supplier_id", order_by=[FILE, ROW]) > 0
        suppliers = suppliers.with_columns(
            pl.format("duplicate supplier_id (first at {} row {})", pl.col(FILE).first().over("supplier_id", order_by=[FILE, ROW]), first_seen).alias("_dup_problem")
        )
        suppliers, dq = _reject(suppliers, duplicate, pl.col("_dup_problem"), "supplier_id", letters)
        rejections.append(dq)
        suppliers = suppliers.drop("_dup_problem")
    suppliers = suppliers.drop("_blank")

    suppliers, recruiter_notes = recruiters.fold(suppliers, recruiter_frames, letters, {r.file for r in raw_recruiters})
    suppliers = derive(suppliers)
    data_quality = pl.concat([*dq_frames, *rejections, recruiter_notes], how="vertical")
    rows_rejected = rows_read - suppliers.height
    files = reconcile(read_per_file, suppliers, inputs)
    return Loaded(
        suppliers=suppliers,
        data_quality=data_quality.sort(["file", "sheet", "row", "column"], nulls_last=True, maintain_order=True),
        rows_read=rows_read, rows_rejected=rows_rejected, inputs=inputs, letters=letters, files=files,
        recruiters=pl.concat(recruiter_frames, how="vertical") if recruiter_frames else None,
    )


def reconcile(read_per_file: pl.DataFrame, suppliers: pl.DataFrame, inputs: list[InputFile]) -> list[dict]:
    """Per input file: rows_read = rows_assessed + rows_rejected (every row is accounted for)."""
    read = dict(read_per_file.iter_rows())
    assessed = dict(suppliers.select(FILE).group_by(FILE).len().iter_rows())
    return [{"file": i.path, "rows_read": read.get(i.path, 0), "rows_assessed": assessed.get(i.path, 0),
             "rows_rejected": read.get(i.path, 0) - assessed.get(i.path, 0)} for i in {i.path: i for i in inputs}.values()]
