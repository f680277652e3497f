"""The supplier intake workbook (`auditor template PATH`): what suppliers fill in and auditor reads back.

Suppliers and Recruiters sheets carry the data contract's column names (auditor/schema.py) in a
header row, with a help row above it describing each column (the loader picks the header row by
its names and ignores what is above it, so help never becomes a data row), a comment on each
header, dropdowns for yes/no answers and vocabularies, and validation for shares, numbers and dates.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from auditor import reference, schema
from auditor.render import xlsx_kit as kit
from auditor.schema import ColumnSpec

TITLE_ROW, HELP_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
VALIDATED_ROWS = 5000  # dropdowns and checks cover this many data rows
BOOL_CHOICES = ("yes", "no", "unknown")
LISTS = "Lists"
FIXED_TIME = datetime(2008, 2, 13)  # the template holds no data: a fixed stamp keeps its bytes stable
HELP_FONT = Font(italic=True, color="595959", size=9)
HELP_FILL = PatternFill("solid", fgColor="F2F2F2")

SHEET_INTRO = {
    "Suppliers": "One row per supplier site. Leave a cell blank when the answer is not known: blank means unknown, never no or zero.",
    "Recruiters": "One row per supplier × labour recruiter or agency the site uses. supplier_id must match the Suppliers sheet.",
}


def how_to_fill(spec: ColumnSpec) -> str:
    """What a cell of this column accepts, in words."""
    minimum = f" (at least {spec.minimum:g})" if spec.minimum is not None else ""
    return {
        "text": "text",
        "country": "country: ISO code (TH) or English name (Thailand)",
        "sector": "a sector from the list",
        "enum": "one of: " + ", ".join(spec.values),
        "int": f"whole number{minimum}",
        "number": f"number{minimum}",
        "fraction": "share: 0.45 or 45%",
        "bool": "yes or no (blank if unknown)",
        "date": "date: YYYY-MM-DD",
    }[spec.type] + ("; required" if spec.required else "")


EXAMPLES = {"text": "", "country": "TH", "int": "120", "number": "450", "fraction": "35%", "bool": "yes", "date": "2026-03-31"}


def example(spec: ColumnSpec) -> str:
    """A valid example value for the Instructions sheet."""
    if spec.name == "supplier_id":
        return "SUP-0001"
    if spec.type == "sector":
        return "apparel_textiles"
    if spec.type == "enum":
        return spec.values[0]
    return EXAMPLES.get(spec.type, "") or {"supplier_name": "Lotus Garments Ltd", "recruiter_name": "Mekong Staffing Co.",
                                          "products": "garments; cotton", "region": "Chonburi", "licence_number": "RL-2024-118",
                                          "parent_supplier_id": "SUP-0002"}.get(spec.name, "")


def _validation(spec: ColumnSpec, lists: dict[str, str]) -> DataValidation | None:
    """The data validation for a column, or None when any text is fine."""
    common: dict[str, Any] = {"allow_blank": True, "showErrorMessage": True, "showInputMessage": True,
                              "promptTitle": spec.name[:32], "prompt": how_to_fill(spec)[:255]}
    if spec.type == "bool":
        return DataValidation(type="list", formula1='"' + ",".join(BOOL_CHOICES) + '"', error="Choose yes, no or unknown.", **common)
    if spec.type == "enum":
        return DataValidation(type="list", formula1='"' + ",".join(spec.values) + '"', error="Choose a value from the list.", **common)
    if spec.type == "sector":
        return DataValidation(type="list", formula1=lists["sector"], error="Choose a sector from the list (see Instructions).", **common)
    if spec.type == "country":
        # A warning only: country names and codes outside the list still parse (and are checked on load).
        return DataValidation(type="list", formula1=lists["country"], errorStyle="warning", error="Not in the list of countries; keep it?", **common)
    if spec.type == "fraction":
        return DataValidation(type="decimal", operator="between", formula1="0", formula2="1",
                              error="A share between 0 and 1: type 0.45 or 45%.", **common)
    if spec.type in ("int", "number"):
        kind = "whole" if spec.type == "int" else "decimal"
        return DataValidation(type=kind, operator="greaterThanOrEqual", formula1=f"{spec.minimum or 0:g}",
                              error=how_to_fill(spec).capitalize() + ".", **common)
    if spec.type == "date":
        return DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)",
                              error="A date: YYYY-MM-DD.", **common)
    return None


def _data_sheet(wb: Workbook, name: str, specs: tuple[ColumnSpec, ...], lists: dict[str, str]) -> None:
    ws = wb.create_sheet(name)
    kit.set_widths(ws, [max(14.0, min(28.0, len(s.name) + 2)) for s in specs])
    ws.freeze_panes = f"C{FIRST_DATA_ROW}" if len(specs) > 2 else f"A{FIRST_DATA_ROW}"
    for i, spec in enumerate(specs, 1):  # shares show as percentages, dates as dates, when typed
        letter = get_column_letter(i)
        if spec.type == "fraction":
            ws.column_dimensions[letter].number_format = "0%"
        elif spec.type == "date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
    ws.row_dimensions[HELP_ROW].height = 64
    kit.landscape(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")  # before the first append: sheet properties come first
    title = kit.style(ws, font=Font(bold=True))
    help_style = kit.style(ws, font=HELP_FONT, fill=HELP_FILL, alignment=Alignment(wrap_text=True, vertical="top"))
    ws.append([kit.text_cell(ws, f"{name}: {SHEET_INTRO[name]} Row {HEADER_ROW} holds the column names: keep them.", title)])
    ws.append([kit.text_cell(ws, f"{spec.description} [{how_to_fill(spec)}]", help_style) for spec in specs])
    headers = kit.header_row(ws, [s.name for s in specs])
    for cell, spec in zip(headers, specs):
        comment = Comment(f"{spec.name}\n{spec.description}\nFill: {how_to_fill(spec)}", "auditor")
        comment.width, comment.height = 260, 120
        cell.comment = comment
    ws.append(headers)
    last = FIRST_DATA_ROW + VALIDATED_ROWS - 1
    for i, spec in enumerate(specs, 1):
        validation = _validation(spec, lists)
        if validation is not None:
            letter = get_column_letter(i)
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
            ws.data_validations.append(validation)


def _list_values() -> dict[str, list[str]]:
    return {"sector": sorted(reference.sectors()), "country": sorted(reference.country_names().values())}


def _list_ranges() -> dict[str, str]:
    """Where each long dropdown list sits on the hidden Lists sheet."""
    values = _list_values()
    return {"sector": f"{LISTS}!$A$1:$A${len(values['sector'])}", "country": f"{LISTS}!$B$1:$B${len(values['country'])}"}


def _lists_sheet(wb: Workbook) -> None:
    """A hidden sheet holding the long dropdown lists (inline lists are capped at 255 characters)."""
    ws = wb.create_sheet(LISTS)
    ws.sheet_state = "hidden"
    sectors, countries = _list_values()["sector"], _list_values()["country"]
    for i in range(max(len(sectors), len(countries))):
        ws.append([kit.text_cell(ws, sectors[i]) if i < len(sectors) else None, kit.text_cell(ws, countries[i]) if i < len(countries) else None])


def _instructions(wb: Workbook) -> None:
    ws = wb.create_sheet("Instructions")
    kit.set_widths(ws, [14, 34, 10, 60, 36, 20])
    ws.freeze_panes = "A2"
    kit.landscape(ws, title_rows=None)
    bold = kit.style(ws, font=Font(bold=True, size=13))
    wrap = kit.style(ws, alignment=Alignment(wrap_text=True, vertical="top"))
    lines = [
        "How to fill in this workbook",
        "Suppliers sheet: one row per supplier site, starting on row 4. Recruiters sheet: one row per recruiter or agency a site uses.",
        "Keep the column names on row 3 as they are. You may leave columns empty, but do not rename or merge them.",
        "Blank means unknown. Do not write 'no' or 0 when you do not know: unknown answers are followed up, never counted as a pass.",
        "Yes/no columns: choose yes, no or unknown. Shares: type 0.45 or 45%. Dates: YYYY-MM-DD. Money: US dollars.",
        "Hover over a column name for its meaning; the grey row above the names says the same.",
        "Send the file back as .xlsx. It is read by auditor, which checks each site against rules "
        "cited to the UN.GIFT Vienna Forum report (2008).",
    ]
    for i, text in enumerate(lines):  # not wrapped: each line runs across the empty columns beside it
        ws.append([kit.text_cell(ws, text, bold if i == 0 else None)])
    ws.append([])
    ws.append(kit.header_row(ws, ["Sheet", "Column", "Required", "Meaning", "How to fill", "Example"]))
    row = len(lines) + 2
    for sheet, specs in (("Suppliers", schema.SUPPLIER_COLUMNS), ("Recruiters", schema.RECRUITER_COLUMNS)):
        for spec in specs:
            row += 1
            needed = max(-(-len(spec.description) // 58), -(-len(how_to_fill(spec)) // 34))
            if needed > 1:  # LibreOffice does not fit row heights to wrapped text on load
                ws.row_dimensions[row].height = 15 * needed
            ws.append([kit.text_cell(ws, value, wrap) for value in
                       (sheet, spec.name, "yes" if spec.required else "", spec.description, how_to_fill(spec), example(spec))])
    ws.append([])
    ws.append(kit.header_row(ws, ["Sector", "Meaning"]))
    for sector_id, entry in sorted(reference.sectors().items()):
        ws.append([kit.text_cell(ws, sector_id, wrap), kit.text_cell(ws, entry.get("label", ""), wrap)])


def write_template(path: Path) -> None:
    """Write the intake workbook to `path` (atomically)."""
    wb = Workbook(write_only=True)
    _instructions(wb)
    lists = _list_ranges()
    _data_sheet(wb, "Suppliers", schema.SUPPLIER_COLUMNS, lists)
    _data_sheet(wb, "Recruiters", schema.RECRUITER_COLUMNS, lists)
    _lists_sheet(wb)
    kit.save_deterministic(wb, Path(path), FIXED_TIME)
