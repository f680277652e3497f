"""Where a sheet's data starts inside an xlsx file, read from its XML without loading the workbook.

calamine (polars' xlsx engine) trims leading empty rows; findings must still name the row a person
sees in Excel, so the loader adds back the first used row found here.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_ROW = re.compile(r"[A-Z]+(\d+)$")


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_PKG}Relationship")}
    for node in workbook.iter(f"{_MAIN}sheet"):
        if node.get("name") == sheet:
            target = targets[node.get(f"{_REL}id")]
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    raise KeyError(sheet)


def first_used_row(path: Path, sheet: str) -> int:
    """1-based row number of the first cell holding a value in `sheet` (1 when it cannot be told)."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            with archive.open(part) as stream:
                for _, element in ElementTree.iterparse(stream, events=("end",)):
                    if element.tag == f"{_MAIN}c":
                        has_value = any(child.tag in (f"{_MAIN}v", f"{_MAIN}is") and (child.text or len(child))
                                        for child in element)
                        if has_value and (match := _CELL_ROW.match(element.get("r", ""))):
                            return int(match.group(1))
                    elif element.tag == f"{_MAIN}row":
                        element.clear()
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return 1
    return 1
