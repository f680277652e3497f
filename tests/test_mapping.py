"""Mapping files fit lists that do not follow the data contract: aliases, constants, ids, sectors."""

from __future__ import annotations

import polars as pl
import pytest

from auditor.errors import ConfigError
from auditor.load import load
from auditor.mapping import hash_id, load_mapping, normalise_for_id
from conftest import OSH_MAPPING

MAPPING = '''
version = 1
ignore = ["address"]
[columns]
"Facility" = "supplier_name"
"Nation" = "country"
"Line of business" = "sector"
[constants]
tier = 1
[supplier_id]
from = ["Facility", "address", "Nation"]
prefix = "T-"
[sectors]
separator = "|"
[sectors.map]
"Rag trade" = "apparel_textiles"
'''


def _mapping(tmp_path, text: str = MAPPING):
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path)


def _list(tmp_path, rows: str):
    path = tmp_path / "list.csv"
    path.write_text("Facility,address,Nation,Line of business\n" + rows, encoding="utf-8")
    return path


def test_headers_constants_and_derived_ids_fill_the_contract(tmp_path):
    loaded = load([_list(tmp_path, "Alpha Mill,1 Road,China,Rag trade\nBeta,2 Road,Viet Nam,Mining\n")], mapping=_mapping(tmp_path))
    frame = loaded.suppliers
    assert frame.get_column("supplier_name").to_list() == ["Alpha Mill", "Beta"]
    assert frame.get_column("country").to_list() == ["CN", "VN"]
    assert frame.get_column("sector").to_list() == ["apparel_textiles", "mining"]
    assert frame.get_column("tier").to_list() == [1, 1]
    assert frame.get_column("supplier_id").to_list() == [hash_id(["Alpha Mill", "1 Road", "CN"], "T-", 12), hash_id(["Beta", "2 Road", "VN"], "T-", 12)]


def test_derived_id_is_reported_in_data_quality(tmp_path):
    loaded = load([_list(tmp_path, "Alpha,1 Road,China,Rag trade\n")], mapping=_mapping(tmp_path))
    [entry] = loaded.data_quality.filter(pl.col("effect") == "supplier_id derived").to_dicts()
    assert "SHA-256" in entry["problem"] and "Facility, address, Nation" in entry["problem"]


def test_derived_id_ignores_case_spacing_and_country_spelling():
    a = hash_id(["ALPHA  MILL\u00a0", "1 Road", "CN"], "H-", 12)
    assert a == hash_id(["alpha mill", "1\u2002road", "CN"], "H-", 12)
    assert a != hash_id(["alpha mills", "1 road", "CN"], "H-", 12)
    assert normalise_for_id("Ｆｕｌｌ\u3000Width") == "full width"


def test_same_facility_in_other_country_spelling_gets_same_id(tmp_path):
    loaded = load([_list(tmp_path, "Alpha,1 Road,CHINA,Rag trade\nAlpha,1 Road,CN,Rag trade\n")], mapping=_mapping(tmp_path))
    # Same facility twice: one id, the second row reported as a duplicate, not silently dropped.
    assert loaded.suppliers.height == 1
    assert loaded.data_quality.filter(pl.col("problem").str.contains("duplicate supplier_id")).height == 1


def test_unmapped_and_multi_value_sectors_are_reported(tmp_path):
    loaded = load([_list(tmp_path, "A,1,China,Rag trade|Health\nB,2,China,Cosmetics\n")], mapping=_mapping(tmp_path))
    assert loaded.suppliers.get_column("sector").to_list() == ["apparel_textiles", None]
    notes = {e["row"]: e for e in loaded.data_quality.filter(pl.col("column") == "sector").to_dicts()}
    assert "not mapped: Health" in notes[2]["problem"] and notes[2]["cell"] == "D2"
    assert notes[3]["value"] == "Cosmetics" and "not a known sector" in notes[3]["problem"]


def test_ignored_columns_raise_no_note(tmp_path):
    loaded = load([_list(tmp_path, "A,1,China,Rag trade\n")], mapping=_mapping(tmp_path))
    assert not loaded.data_quality.filter(pl.col("problem").str.contains("not in the data contract")).height


def test_missing_hash_source_header_is_an_input_error(tmp_path):
    from auditor.errors import InputError

    path = tmp_path / "list.csv"
    path.write_text("Facility,Nation\nA,China\n")
    with pytest.raises(InputError, match="header\\(s\\) address not found"):
        load([path], mapping=_mapping(tmp_path))


@pytest.mark.parametrize("text, needle", [
    ("colour = 1", "Extra inputs are not permitted"),
    ('[columns]\nname = "supplier_nom"', "not a contract column"),
    ('[constants]\nwage = 1', "not a contract column"),
    ('[sectors.map]\nApparel = "fashion"', "unknown sector id"),
    ('[supplier_id]\nfrom = []', "from"),
    ('[supplier_id]\nfrom = ["a"]\nprefix = "=cmd"', "prefix"),
    ("version = 2", "version"),
    ("[columns\n", "not valid TOML"),
])
def test_invalid_mapping_files_name_file_and_problem(tmp_path, text, needle):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_mapping(path)
    assert str(path) in str(raised.value) and needle in str(raised.value)


def test_missing_mapping_file_is_exit_2_one_line(tmp_path, run_cli):
    data = tmp_path / "s.csv"
    data.write_text("supplier_id,supplier_name\nS1,A\n")
    code, _, err = run_cli("audit", data, "--mapping", tmp_path / "nope.toml")
    assert code == 2 and err.strip().count("\n") == 0 and "no such mapping file" in err


def test_shipped_mapping_is_valid():
    mapping = load_mapping(OSH_MAPPING)
    assert mapping.supplier_id is not None and mapping.columns["country"] == "country"


def test_mapping_cannot_set_its_own_source(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('source = "elsewhere"\n')
    with pytest.raises(ConfigError, match="Extra inputs are not permitted"):
        load_mapping(path)


def test_sheet_columns_win_over_derived_ids_and_constants(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("ID,Facility,address,Nation,Tier\nF-1,Alpha,1 Road,China,2\n")
    loaded = load([path], mapping=_mapping(tmp_path))
    assert loaded.suppliers.select("supplier_id", "tier").rows() == [("F-1", 2)]
    effects = set(loaded.data_quality.get_column("effect").to_list())
    assert "supplier_id derived" not in effects and "sheet values used" in effects
