"""Reference tables under rules/reference/: sources, editions, and consistency with each other."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

from auditor import goods, reference
from auditor.citations import split_paragraphs

REFERENCE = reference.reference_dir()
SHARED_GOODS = [REFERENCE.parent.parent.parent / "shared" / "data" / "ilab-goods-2022.csv", Path("/work/shared/data/ilab-goods-2022.csv")]
REPORTS = [REFERENCE.parent.parent.parent / "shared" / "vienna-forum-report-2008.txt", Path("/work/shared/vienna-forum-report-2008.txt")]


def test_bundled_goods_list_is_a_byte_copy_of_the_shared_data():
    shared = next((p for p in SHARED_GOODS if p.is_file()), None)
    if shared is None:
        pytest.skip("shared data folder with ilab-goods-2022.csv not found")
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    assert digest(REFERENCE / goods.GOODS_FILE) == digest(shared)


def test_every_synonym_names_a_good_on_the_list():
    listed = set(goods.goods_list().get_column("good").to_list())
    with (REFERENCE / goods.SYNONYMS_FILE).open(encoding="utf-8") as handle:
        unknown = [row for row in csv.DictReader(handle) if row["good"] not in listed]
    assert unknown == []


def test_ratification_table_uses_known_country_codes():
    names = reference.country_names()
    rows = goods.ratifications()
    assert rows.height >= 20
    assert [c for c in rows.get_column("country").to_list() if c not in names] == []


def test_every_reference_table_has_its_source_and_edition_in_the_readme():
    readme = (REFERENCE / "README.md").read_text(encoding="utf-8")
    for name in ("ilab-goods-2022.csv", "goods_synonyms.csv", "ilo_ratifications.csv", "sectors.toml"):
        assert name in readme
    assert "2022 edition, as of 2022-09-28" in readme
    assert "Palm Fruit, Indonesia" in readme


def test_sector_citations_name_paragraphs_that_exist_in_the_report():
    report = next((p for p in REPORTS if p.is_file()), None)
    if report is None:
        pytest.skip("Vienna Forum report text not found")
    paragraphs = split_paragraphs(report.read_text(encoding="utf-8"))
    cited = [re.search(r"¶(\d+)", c).group(1) for s in reference.sectors().values() for c in s["cite"] if c.startswith("vienna-forum-2008")]
    assert cited and [p for p in cited if p not in paragraphs] == []


def test_every_sector_has_a_risk_level_and_reasons():
    for sector_id, entry in reference.sectors().items():
        assert entry["risk"] in ("high", "medium", "low"), sector_id
        assert entry["reasons"], sector_id
