"""Real published facility lists (Open Supply Hub, MIT) audit with the shipped mapping file."""

from __future__ import annotations

import json

import polars as pl
import pytest

from auditor.audit import run_audit
from auditor.mapping import load_mapping
from conftest import FACILITY_LISTS, OSH_MAPPING

pytestmark = pytest.mark.skipif(FACILITY_LISTS is None, reason="../shared/data/facility-lists (Open Supply Hub samples) is not present")

FILES = sorted(p.relative_to(FACILITY_LISTS).as_posix() for p in FACILITY_LISTS.rglob("*") if p.suffix in (".csv", ".xlsx", ".xls")) if FACILITY_LISTS else []
# Rows per file, from ../shared/data/README.md.
ROWS = {"2.csv": 83, "4.csv": 81, "6.csv": 44, "12.csv": 15, "12.xlsx": 15, "12.xls": 15, "15.csv": 351,
        "geocoded/2.csv": 82, "geocoded/4.csv": 81, "geocoded/6.csv": 42, "Summer 2019 Compliance List.csv": 75,
        "Winter 2018 Apparel List.csv": 38, "Spring 2017 Apparel List.csv": 54, "Winter 2019 Compliance List V2.csv": 351}


@pytest.fixture(scope="module")
def mapping():
    return load_mapping(OSH_MAPPING)


@pytest.mark.parametrize("name", FILES)
def test_every_row_is_accounted_for(name, mapping):
    result = run_audit([FACILITY_LISTS / name], mapping=mapping)
    summary = result.summary()
    assert summary["rows_read"] == ROWS[name]
    assert summary["rows_read"] == summary["rows_assessed"] + summary["rows_rejected"]
    rejected = result.loaded.data_quality.filter(pl.col("effect") == "row rejected").height
    assert rejected == summary["rows_rejected"]


@pytest.mark.parametrize("name", FILES)
def test_countries_are_iso_codes_and_ids_are_derived(name, mapping):
    suppliers = run_audit([FACILITY_LISTS / name], mapping=mapping).suppliers
    assert suppliers.get_column("country").null_count() == 0
    assert suppliers.get_column("country").str.contains(r"^[A-Z]{2}$").all()
    assert suppliers.get_column("supplier_id").str.starts_with("OSH-").all()
    assert suppliers.get_column("supplier_id").n_unique() == suppliers.height


def test_exact_duplicate_rows_in_list_2_are_reported(mapping):
    result = run_audit([FACILITY_LISTS / "2.csv"], mapping=mapping)
    duplicates = result.loaded.data_quality.filter(pl.col("problem").str.contains("duplicate supplier_id"))
    assert duplicates.height == 3
    assert result.summary()["rows_assessed"] == 80


def test_ranked_by_exposure_with_the_rest_not_evaluable(mapping):
    result = run_audit([FACILITY_LISTS / "15.csv"], mapping=mapping)
    # A bare facility list evidences nothing: only exposure (sector, goods, country) and evidence-quality
    # rules (e.g. DQ-001, nothing known) can fire; no indicator or control finding.
    assert set(result.findings.get_column("kind").unique().to_list()) <= {"exposure", "evidence"}
    assert result.findings.height > 0
    missing = result.evaluation.not_evaluable
    assert missing.get_column("supplier_id").n_unique() == result.suppliers.height
    assert result.suppliers.get_column("rank").to_list() == list(range(1, result.suppliers.height + 1))


def test_multi_value_sector_is_reported(mapping):
    result = run_audit([FACILITY_LISTS / "15.csv"], mapping=mapping)
    notes = result.loaded.data_quality.filter(pl.col("column") == "sector").to_dicts()
    assert [n["value"] for n in notes] == ["Apparel|Health"]
    assert "not mapped: Health" in notes[0]["problem"]


def test_same_list_as_csv_and_xlsx_gives_same_ids_except_mojibake(mapping):
    csv_ids = set(run_audit([FACILITY_LISTS / "12.csv"], mapping=mapping).suppliers.get_column("supplier_id"))
    xlsx_ids = set(run_audit([FACILITY_LISTS / "12.xlsx"], mapping=mapping).suppliers.get_column("supplier_id"))
    # The xlsx carries one mojibake address (N¬∫ for Nº), so exactly one facility hashes differently.
    assert len(csv_ids ^ xlsx_ids) == 2


def test_cli_audits_all_lists_at_once(tmp_path, run_cli):
    out = tmp_path / "report.json"
    code, _, err = run_cli("audit", "--mapping", OSH_MAPPING, *[FACILITY_LISTS / n for n in FILES], "-o", f"json:{out}", "--fail-on", "never")
    assert code == 0, err
    summary = json.loads(out.read_text())["summary"]
    assert [f["rows_read"] for f in summary["files"]] == [ROWS[n] for n in FILES]
    assert all(f["rows_read"] == f["rows_assessed"] + f["rows_rejected"] for f in summary["files"])
