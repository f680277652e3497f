"""The country alias table is well formed: every alias names a real ISO code (a broken CSV row once did not)."""

from __future__ import annotations

import csv

from auditor import reference
from auditor.cells import vocabulary_key


def _rows(name: str) -> list[dict]:
    with (reference.reference_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_alias_row_has_three_fields_and_a_known_code():
    codes = {row["alpha2"] for row in _rows("countries.csv")}
    for row in _rows("country_aliases.csv"):
        assert None not in row, row  # an unquoted comma in an alias adds a field
        assert row["alpha2"] in codes, row


def test_every_lookup_value_is_an_iso_code():
    codes = {row["alpha2"] for row in _rows("countries.csv")}
    assert set(reference.country_lookup().values()) <= codes


def test_supplier_list_spellings_are_known():
    lookup = reference.country_lookup()
    spellings = {"Congo, Democratic Republic of the": "CD", "Congo": "CG", "Hong Kong, China": "HK", "U.S.": "US",
                 "UAE": "AE", "Slovak Republic": "SK", "Puerto Rico": "PR", "México": "MX", "Turkiye": "TR"}
    assert {name: lookup.get(vocabulary_key(name)) for name in spellings} == spellings
