"""What calamine does not tell: file containers, hidden sheets, formulas without values, merged cells.

calamine reads a formula cell's cached value and returns null when there is none (a workbook
written by a script and never opened in Excel), which would look like "unknown". Reading the
sheet XML directly lets the loader report such cells instead of silently treating them as blank.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from auditor.xlsx_layout import _MAIN, _REL, _sheet_part

# calamine reports damaged sheet XML through Python logging; with no handler configured, Python's
# last-resort handler would print it to stderr around our one-line error. The loader reports instead.
for _name in ("calamine", "fastexcel"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: legacy .xls, or an encrypted xlsx
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_REF = re.compile(r"^([A-Z]+)(\d+)$")


def is_compound_file(head: bytes) -> bool:
    """True when a file starts as an OLE compound file does: a legacy .xls, or an encrypted xlsx."""
    return head[:8] == _OLE


def container_problem(data: bytes, suffix: str) -> str | None:
    """Why a file's bytes cannot be what its name says (None when they can)."""
    zipped = data[:4] == b"PK\x03\x04"
    ole = is_compound_file(data)
    if ole and _ENCRYPTED in data:
        return "the workbook is password-protected (encrypted); save an unprotected copy and audit that"
    if suffix in (".csv", ".txt", ".tsv"):
        if zipped:
            return "this is an xlsx workbook with a .csv name; rename it to .xlsx"
        if ole:
            return "this is a legacy Excel (.xls) workbook with a .csv name; rename it to .xls or save it as .xlsx"
    if suffix in (".xlsx", ".xlsm"):
        if ole:
            return "this is a legacy Excel (.xls) workbook with an .xlsx name; rename it to .xls or save it as .xlsx"
        if not zipped:
            return "not an xlsx workbook (an xlsx file is a zip archive; this one is damaged or is another format)"
        try:
            import io

            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "xl/workbook.xml" not in archive.namelist():
                    return "not an xlsx workbook (the archive has no xl/workbook.xml)"
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            return "the xlsx archive is damaged (not a readable zip file)"
        except Exception as error:  # zlib errors and others from a mangled archive
            return f"the xlsx archive is damaged ({type(error).__name__})"
    if suffix == ".xls" and zipped:
        return "this is an xlsx workbook with an .xls name; rename it to .xlsx"
    return None


def damaged_parts(path: Path) -> str | None:
    """Why an xlsx archive is damaged (a part fails its checksum or cannot be inflated), None when every part is sound.

    It inflates every part, so the loader runs it alongside calamine's read (zlib releases the GIL)."""
    try:
        with zipfile.ZipFile(path) as archive:
            if archive.testzip() is not None:
                return "the xlsx archive is damaged (a part fails its checksum)"
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return "the xlsx archive is damaged (not a readable zip file)"
    except Exception as error:  # zlib errors and others from a mangled archive
        return f"the xlsx archive is damaged ({type(error).__name__})"
    return None


def sheet_states(path: Path) -> dict[str, str]:
    """Sheet name → 'visible', 'hidden' or 'veryHidden' (empty when the workbook XML cannot be read)."""
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return {}
    return {node.get("name", ""): node.get("state", "visible") for node in workbook.iter(f"{_MAIN}sheet")}


Scan = tuple[list[tuple[str, str]], list[str], list[int]]


def scan(path: Path, sheet: str) -> Scan:
    """(cell, formula) for formula cells without a cached value, merged ranges and hidden rows, in `sheet`."""
    formulas: list[tuple[str, str]] = []
    merged: list[str] = []
    hidden: list[int] = []
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            # Most sheets have none of these: a byte search, inflating a few MB at a time, is far cheaper than
            # parsing the XML (a 100k-row sheet is 400 MB of it) and never holds the whole part.
            if not _has_marker(archive, part):
                return [], [], []
            with archive.open(part) as stream:
                for _, element in ElementTree.iterparse(stream, events=("end",)):
                    if element.tag == f"{_MAIN}c":
                        formula = element.find(f"{_MAIN}f")
                        value = element.find(f"{_MAIN}v")
                        inline = element.find(f"{_MAIN}is")
                        if formula is not None and (value is None or not (value.text or "").strip()) and inline is None:
                            formulas.append((element.get("r", ""), formula.text or "(shared formula)"))
                    elif element.tag == f"{_MAIN}mergeCell":
                        merged.append(element.get("ref", ""))
                    elif element.tag == f"{_MAIN}row":
                        if element.get("hidden") in ("1", "true") and (element.get("r") or "").isdigit():
                            hidden.append(int(element.get("r")))
                        element.clear()
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, EOFError, ValueError, zlib.error):
        return [], [], []
    return formulas, merged, hidden


_SCAN_BYTES = 1 << 22


def _has_marker(archive: zipfile.ZipFile, part: str) -> bool:
    """True when the part's XML may hold a formula (<f, :f>, :f ), a merged range or a hidden row, read a few MB at a time."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_SCAN_BYTES):
            window = tail + chunk  # (a marker cut between two chunks is found in the overlap)
            if b"mergeCell" in window or b"hidden=" in window or _formula_tag(window):
                return True
            tail = window[-16:]
    return False


def _formula_tag(data: bytes) -> bool:
    """True when `data` has "<f", ":f>" or ":f ". Found from each "f": a search for "<f" stops at every "<" of the XML,
    a search for "f" at the few letters f of inline text (4× faster on a 400 MB sheet)."""
    at = data.find(b"f", 1)
    while at != -1:
        before, after = data[at - 1:at], data[at + 1:at + 2]
        if before == b"<" or (before == b":" and after in (b">", b" ")):
            return True
        at = data.find(b"f", at + 1)
    return False


def _split(ref: str) -> tuple[str, int] | None:
    match = _REF.match(ref.replace("$", ""))
    return (match.group(1), int(match.group(2))) if match else None


def _letter_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def sheet_notes(path: Path, sheet: str, header_row: int, letters: dict[str, str], *, state: str = "visible",
                scanned: Scan | None = None) -> list[dict]:
    """Data-quality entries for a sheet: hidden state, hidden rows, formulas without values, merged cells in the data.

    `scanned` is the sheet's scan() when the caller ran it already (alongside the read)."""
    column_of = {letter: name for name, letter in letters.items()}
    notes: list[dict] = []

    def note(row: int | None, column: str | None, cell: str | None, value: str | None, problem: str, effect: str) -> None:
        notes.append({"file": str(path), "sheet": sheet, "row": row, "column": column, "cell": cell,
                      "value": value, "problem": problem, "effect": effect})

    if state != "visible":
        note(None, None, None, None, f"the sheet is {state} in Excel", "sheet read like a visible one")
    formulas, merged, hidden = scanned if scanned is not None else scan(path, sheet)
    hidden_data = [r for r in hidden if r > header_row]
    if hidden_data:
        shown = ", ".join(str(r) for r in hidden_data[:20]) + (f" and {len(hidden_data) - 20} more" if len(hidden_data) > 20 else "")
        note(hidden_data[0], None, None, None, f"row(s) {shown} are hidden in Excel", "hidden rows audited like the others")
    for cell, formula in formulas:
        parsed = _split(cell)
        if parsed is None or parsed[1] <= header_row or parsed[0] not in column_of:
            continue
        note(parsed[1], column_of[parsed[0]], cell, f"={formula}" if not formula.startswith("(") else formula,
             "formula without a calculated value (the file was saved by a program that did not calculate it); "
             "open and save it in Excel or LibreOffice", "value treated as unknown")
    for ref in merged:
        first, _, last = ref.partition(":")
        top, bottom = _split(first), _split(last or first)
        if top is None or bottom is None or bottom[1] <= header_row:
            continue
        lo, hi = _letter_index(top[0]), _letter_index(bottom[0])
        hit = sorted((_letter_index(letter), name) for letter, name in column_of.items() if lo <= _letter_index(letter) <= hi)
        if not hit:
            continue
        note(max(top[1], header_row + 1), hit[0][1], first, ref,
             f"merged cells {ref}: only {first} holds the value; the other cells of the range are read as blank",
             "other cells of the range treated as unknown")
    return notes
