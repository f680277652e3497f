"""The benchmark generator follows the data contract and is deterministic."""

from __future__ import annotations

from benchmarks import generate
from auditor import schema


def test_generator_is_deterministic():
    typed_a, text_a = generate.build(300)
    typed_b, text_b = generate.build(300)
    assert typed_a.equals(typed_b) and text_a.equals(text_b)


def test_generated_headers_all_map_to_the_contract():
    _, text = generate.build(50)
    index = schema.header_index("suppliers")
    assert [index[schema.normalise_header(h)] for h in text.columns] == [c.name for c in schema.SUPPLIER_COLUMNS]


def test_generated_cells_include_unknowns_and_messy_values():
    _, text = generate.build(2000)
    cells = set(text.get_column("Migrant Workers %").to_list())
    assert {"n/a", "unknown"} & cells
    assert any(c and c.endswith("%") for c in cells)
    assert len(set(text.get_column("Supplier ID").to_list())) == 2000
