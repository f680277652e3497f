"""The HTML portfolio report: self-contained, charted, cited, escaped, deterministic."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

pytest.importorskip("matplotlib", reason="the html report needs the optional matplotlib extra: pip install 'auditor[report]'")

from auditor import citations, portfolio_view  # noqa: E402
from auditor.audit import run_audit  # noqa: E402
from auditor.render import html as html_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_suppliers" / "sample_suppliers.xlsx"


@pytest.fixture(scope="module")
def sample():
    """The sample audit and its report, rendered once for the module."""
    result = run_audit([SAMPLE])
    return result, html_report.render(result)


def write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    """A supplier CSV from dicts (every row has the same keys)."""
    pl.DataFrame(rows).write_csv(path)
    return path


def figures(page: str) -> list[str]:
    """The chart blocks of a page."""
    return re.findall(r'<figure class="chart-block.*?</figure>', page, re.S)


def test_page_loads_nothing_from_the_network(sample):
    _, page = sample
    attributes = re.findall(r'\b(?:src|href|action|poster|data)\s*=\s*"([^"]*)"', page, re.I)
    external = [a for a in attributes if re.match(r"\s*(?:https?:)?//", a, re.I)]
    assert external == []
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page, re.I)
    assert "@import" not in page
    assert not re.search(r"<(?:script|link|iframe|img)\b", page, re.I)


def test_sample_report_has_at_least_three_charts_each_with_its_table(sample):
    _, page = sample
    charted = [f for f in figures(page) if "<svg" in f]
    assert len(charted) >= 3
    for block in charted:
        assert "<caption>" in block and 'scope="col"' in block and 'scope="row"' in block
        assert re.search(r'<svg role="img" aria-label="[^"]+"', block)


def test_bars_carry_hatching_so_greyscale_readers_can_tell_tiers_apart(sample):
    _, page = sample
    assert page.count("<pattern") >= 2


def test_top_suppliers_appear_in_rank_order(sample):
    result, page = sample
    top = result.suppliers.sort("rank").head(html_report.TOP_N).get_column("supplier_name").to_list()
    section = page[page.index('id="top"'):page.index('id="chain"')]
    positions = [section.index(html.escape(name)) for name in top]
    assert positions == sorted(positions)


def test_top_supplier_findings_quote_the_rules_sources(sample):
    result, page = sample
    first = result.suppliers.sort("rank").row(0, named=True)
    rule_ids = result.findings.filter(pl.col("supplier_id") == first["supplier_id"]).get_column("rule_id").to_list()
    by_id = {c.id: c for c in result.rules}
    card = re.search(rf'<article class="supplier" id="s-{re.escape(first["supplier_id"])}">.*?</article>', page, re.S).group(0)
    for rule_id in rule_ids:
        for cite in by_id[rule_id].rule.cite:
            assert html.escape(cite.quote) in card
            assert html.escape(citations.location(cite.source, cite.paragraph)) in card


def test_missing_evidence_names_what_to_ask_for(sample):
    result, page = sample
    gap = result.evaluation.not_evaluable.row(0, named=True)
    ask = next(c.rule.ask_for for c in result.rules if c.id == gap["rule_id"])
    section = page[page.index('id="missing"'):page.index('id="method"')]
    assert html.escape(ask) in section
    assert html.escape(gap["supplier_id"]) in section


def test_method_names_rules_version_and_sources_with_editions(sample):
    result, page = sample
    method = page[page.index('id="method"'):]
    for compiled in result.rules:
        assert html.escape(compiled.file) in method and html.escape(compiled.pack_version) in method
    assert "Vienna Forum" in method and "2008" in method
    assert "List of Goods" in method and "2022 edition" in method


def test_page_has_a_print_stylesheet(sample):
    _, page = sample
    assert "@media print" in page


def test_report_is_byte_identical_across_runs(sample):
    result, page = sample
    assert html_report.render(result) == page


def test_spreadsheet_text_is_escaped(tmp_path):
    path = write_csv(tmp_path / "s.csv", [
        {"supplier_id": "A1", "supplier_name": "<script>alert(1)</script> & Co", "country": "MY", "sector": "electronics", "tier": 1,
         "parent_supplier_id": None, "share_documents_held_by_employer": 0.5},
        {"supplier_id": "B2", "supplier_name": '<img src="http://evil.example/x">', "country": "MY", "sector": "electronics", "tier": 2,
         "parent_supplier_id": "A1", "share_documents_held_by_employer": 0.0},
    ])
    page = html_report.render(run_audit([path]))
    assert "<script>alert(1)" not in page and '<img src="http://evil.example' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page


def test_report_renders_when_nothing_fires(tmp_path):
    path = write_csv(tmp_path / "s.csv", [{"supplier_id": "A1", "supplier_name": "Quiet Ltd", "country": "DE", "sector": "electronics", "tier": 1}])
    result = run_audit([path], select=["SR-002"])  # domestic work only: silent for electronics
    assert result.findings.is_empty()
    page = html_report.render(result)
    assert "Quiet Ltd" in page and page.rstrip().endswith("</html>")


def test_risk_below_a_supplier_is_inherited_through_tiers():
    suppliers = pl.DataFrame({
        "supplier_id": ["T1", "T2", "T3"], "supplier_name": ["top", "mid", "deep"], "supply_chain_tier": [1, 2, 3],
        "parent_supplier_id": [None, "T1", "T2"], "tier": ["low", "medium", "critical"], "score": [1.0, 12.0, 60.0], "rank": [3, 2, 1],
    })
    inherited = portfolio_view.inherited(suppliers).sort("supplier_id")
    assert inherited.get_column("supplier_id").to_list() == ["T1", "T2"]
    assert inherited.get_column("worst_below").to_list() == ["critical", "critical"]
    assert inherited.get_column("via").to_list() == ["T3", "T3"]
    assert inherited.get_column("sub_suppliers").to_list() == [2, 1]
    assert inherited.get_column("inherits").all()


def test_a_cycle_of_parent_links_carries_no_inherited_risk():
    suppliers = pl.DataFrame({"supplier_id": ["A", "B", "C"], "parent_supplier_id": ["B", "A", "A"]})
    assert portfolio_view.ancestors(suppliers).rows() == [("C", "A")]  # A↔B loop is dropped; C→A stays


def test_html_without_matplotlib_is_a_clear_exit_2(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from auditor.cli import app

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    outcome = CliRunner().invoke(app, ["audit", str(SAMPLE), "-o", f"html:{tmp_path / 'r.html'}"])
    assert outcome.exit_code == 2
    assert "matplotlib" in outcome.output and "auditor[report]" in outcome.output
    assert not (tmp_path / "r.html").exists()


def test_the_rest_of_auditor_does_not_import_matplotlib():
    code = ("import sys; from auditor.audit import run_audit; from auditor.render import json_report; import auditor.cli; "
            f"json_report.render(run_audit([{str(SAMPLE)!r}])); print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_heatmap_pools_countries_beyond_the_largest_into_other():
    countries = [f"C{i:02d}" for i in range(25)]
    suppliers = pl.DataFrame({
        "supplier_id": [f"S{i}" for i in range(26)], "sector": ["mining"] * 26, "country": [*countries, "C00"],
        "tier": ["low"] * 26, "score": [float(i) for i in range(26)],
    })
    cells = portfolio_view.heatmap(suppliers, max_countries=20)
    assert cells.height == 21
    other = cells.filter(pl.col("country") == portfolio_view.OTHER).row(0, named=True)
    assert other["suppliers"] == 5 and other["max_score"] == 24.0
    assert cells.filter(pl.col("country") == "C00").get_column("suppliers").item() == 2


def test_long_lists_are_cut_with_a_note(tmp_path):
    rows = [{"supplier_id": f"S{i:03d}", "supplier_name": f"Site {i}", "country": "MY", "sector": "electronics", "tier": 1}
            for i in range(html_report.MAX_ROWS + 5)]
    page = html_report.render(run_audit([write_csv(tmp_path / "s.csv", rows)]))
    section = page[page.index('id="missing"'):page.index('id="method"')]
    assert f"Showing the first {html_report.MAX_ROWS} of {html_report.MAX_ROWS + 5} suppliers" in section
    assert "Site 49" in section and "Site 50" not in section
