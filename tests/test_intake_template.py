"""`auditor template PATH`: the intake workbook suppliers fill in, and that auditor reads back clean."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from auditor import reference, schema
from auditor.cli import app
from auditor.load import load
from auditor.template import HEADER_ROW, example, write_template


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "intake.xlsx"
    write_template(path)
    return path


def test_template_has_instructions_suppliers_and_recruiters_sheets(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames[:3] == ["Instructions", "Suppliers", "Recruiters"]
    assert all(wb[name].sheet_state == "visible" for name in wb.sheetnames[:3])


@pytest.mark.parametrize("sheet, specs", [("Suppliers", schema.SUPPLIER_COLUMNS), ("Recruiters", schema.RECRUITER_COLUMNS)])
def test_header_row_holds_the_contract_names_each_explained(template, sheet, specs):
    ws = openpyxl.load_workbook(template)[sheet]
    headers = [c for c in ws[HEADER_ROW] if c.value]
    assert [c.value for c in headers] == [s.name for s in specs]
    for cell, spec in zip(headers, specs):
        assert spec.description in cell.comment.text
        assert spec.description in ws.cell(HEADER_ROW - 1, cell.column).value


def validations(ws) -> dict[str, object]:
    """Header name → the data validation covering its column."""
    by_letter = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            by_letter[openpyxl.utils.get_column_letter(rng.min_col)] = dv
    return {c.value: by_letter.get(c.column_letter) for c in ws[HEADER_ROW] if c.value}


def test_yes_no_and_vocabulary_columns_have_dropdowns(template):
    wb = openpyxl.load_workbook(template)
    checks = validations(wb["Suppliers"])
    assert checks["uses_recruiters"].type == "list" and "yes" in checks["uses_recruiters"].formula1
    assert checks["last_audit_type"].formula1 == '"' + ",".join(schema.AUDIT_TYPES) + '"'
    sector_range = checks["sector"].formula1.split("!")[1].replace("$", "")
    sectors = [c.value for row in wb["Lists"][sector_range] for c in row]
    assert sorted(sectors) == sorted(reference.sectors())
    assert validations(wb["Recruiters"])["licence_verified"].type == "list"


def test_shares_numbers_and_dates_are_validated(template):
    checks = validations(openpyxl.load_workbook(template)["Suppliers"])
    share = checks["share_migrant_workers"]
    assert (share.type, share.formula1, share.formula2) == ("decimal", "0", "1")
    assert (checks["tier"].type, checks["tier"].formula1) == ("whole", "1")
    assert checks["max_recruitment_fee_usd"].type == "decimal"
    assert checks["last_audit_date"].type == "date"
    assert checks["supplier_name"] is None


def test_every_country_in_the_dropdown_is_understood_by_the_loader(template):
    wb = openpyxl.load_workbook(template)
    country_range = validations(wb["Suppliers"])["country"].formula1.split("!")[1].replace("$", "")
    names = [c.value for row in wb["Lists"][country_range] for c in row]
    lookup = reference.country_lookup()
    from auditor.cells import vocabulary_key

    assert names and all(vocabulary_key(n) in lookup for n in names)


def fill(template: Path, out: Path) -> Path:
    """Fill the template as a supplier would: typed numbers, percentages, dates and dropdown choices."""
    wb = openpyxl.load_workbook(template)
    values = {
        "supplier_id": ["SUP-1", "SUP-2"], "supplier_name": ["Lotus Garments Ltd", "+Sunrise Fish"], "country": ["Thailand", "VN"],
        "region": ["Chonburi", None], "sector": ["apparel_textiles", "fishing"], "products": ["garments; cotton", "shrimp"],
        "tier": [1, 2], "parent_supplier_id": [None, "SUP-1"], "headcount": [420, 80], "headcount_social_security": [400, 10],
        "share_migrant_workers": [0.35, 0.9], "share_agency_workers": [0.1, 0], "max_recruitment_fee_usd": [0, 1200.5],
        "lowest_monthly_wage_usd": [310, 180], "legal_min_monthly_wage_usd": [300, 190], "avg_weekly_hours": [52, 66],
        "max_weekly_hours": [60, 84], "min_worker_age": [18, 16], "last_audit_date": [datetime(2026, 3, 31), None],
        "last_audit_type": ["unannounced", "self_assessment"],
    }
    specs = {s.name: s for s in schema.SUPPLIER_COLUMNS}
    for spec in schema.SUPPLIER_COLUMNS:
        if spec.type == "bool":
            values.setdefault(spec.name, ["yes", "no"])
        elif spec.type == "fraction":
            values.setdefault(spec.name, [0.5, 1])
        values.setdefault(spec.name, [example(specs[spec.name]) or None, None])
    ws = wb["Suppliers"]
    for column, cell in enumerate(ws[HEADER_ROW], 1):
        for i, value in enumerate(values[cell.value]):
            ws.cell(HEADER_ROW + 1 + i, column).value = value
    rec = wb["Recruiters"]
    recruiters = {"supplier_id": "SUP-2", "recruiter_name": "Mekong Staffing Co.", "recruiter_country": "Cambodia",
                  "licence_number": "RL-2024-118", "licence_verified": "no", "charges_workers_fees": "yes"}
    for column, cell in enumerate(rec[HEADER_ROW], 1):
        rec.cell(HEADER_ROW + 1, column).value = recruiters[cell.value]
    wb.save(out)
    return out


def test_a_filled_template_loads_with_no_data_quality_entries(template, tmp_path):
    loaded = load([fill(template, tmp_path / "filled.xlsx")])
    assert loaded.data_quality.to_dicts() == []
    assert loaded.suppliers.height == 2 and loaded.rows_rejected == 0
    sup2 = loaded.suppliers.filter(loaded.suppliers["supplier_id"] == "SUP-2").row(0, named=True)
    assert (sup2["supplier_name"], sup2["country"], sup2["share_migrant_workers"], sup2["recruiter_count"]) == ("+Sunrise Fish", "VN", 0.9, 1)
    assert loaded.suppliers.get_column("_row").to_list() == [HEADER_ROW + 1, HEADER_ROW + 2]


def test_an_untouched_template_has_no_supplier_rows(template):
    loaded = load([template])
    assert loaded.rows_read == 0


def test_cli_writes_the_template_and_will_not_overwrite_without_force(tmp_path):
    path = tmp_path / "intake.xlsx"
    runner = CliRunner()
    assert runner.invoke(app, ["template", str(path)]).exit_code == 0
    again = runner.invoke(app, ["template", str(path)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert runner.invoke(app, ["template", str(path), "--force"]).exit_code == 0


def test_template_bytes_are_stable(tmp_path, template):
    other = tmp_path / "again.xlsx"
    write_template(other)
    assert other.read_bytes() == template.read_bytes()
