"""The bundled rule library: format, examples, citations, coverage of the sample, generated docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.citations import REPORT_SOURCE, quote_problem
from auditor.docgen import bundled_rules_markdown
from auditor.examples import check_examples
from auditor.reference import bundled_rules_dir
from auditor.rules import load_rules

REPO = Path(__file__).resolve().parent.parent
REPORT_CANDIDATES = [REPO.parent / "shared" / "vienna-forum-report-2008.txt", Path("/work/shared/vienna-forum-report-2008.txt")]
SAMPLE = REPO / "sample_suppliers" / "sample_suppliers.xlsx"
# Categories whose rules are written so every one fires on the sample for some suppliers, not all.
RULES_B_PREFIXES = ("SR", "GEO", "FA", "SC", "CO", "AU", "GOV", "PP", "RM", "DQ")

RULES = load_rules([bundled_rules_dir()])


def report_path() -> Path | None:
    """The Vienna Forum report text, next to the repository or in the shared folder."""
    return next((p for p in REPORT_CANDIDATES if p.is_file()), None)


def test_library_has_at_least_the_rules_b_share():
    rules_b = [c for c in RULES if c.rule.prefix in RULES_B_PREFIXES]
    assert len(rules_b) >= 24, [c.id for c in rules_b]


@pytest.mark.parametrize("compiled", RULES, ids=lambda c: c.id)
def test_rule_examples_do_what_they_say(compiled):
    assert check_examples(compiled) == []


@pytest.mark.parametrize("compiled", RULES, ids=lambda c: c.id)
def test_rule_quotes_are_verbatim_in_the_cited_paragraph(compiled):
    report = report_path()
    if report is None:
        pytest.skip(f"Vienna Forum report text not found at {' or '.join(map(str, REPORT_CANDIDATES))}")
    cites = [c for c in compiled.rule.cite if c.source == REPORT_SOURCE]
    problems = [quote_problem(report, c.paragraph, c.quote) for c in cites]
    assert [p for p in problems if p] == []


def test_at_least_forty_report_citations_exist():
    cites = [c for r in RULES for c in r.rule.cite if c.source == REPORT_SOURCE]
    assert len(cites) >= 40


@pytest.mark.parametrize("compiled", [c for c in RULES if c.rule.kind == "exposure"], ids=lambda c: c.id)
def test_exposure_rules_are_never_critical(compiled):
    # Exposure raises priority; it is never by itself evidence that a forced-labour condition exists.
    assert compiled.rule.severity != "critical"


@pytest.mark.parametrize("compiled", [c for c in RULES if c.rule.params], ids=lambda c: c.id)
def test_policy_thresholds_are_called_policy_choices(compiled):
    assert "policy choice" in compiled.rule.description


@pytest.fixture(scope="module")
def sample_counts():
    from auditor.audit import run_audit

    return run_audit([SAMPLE], fail_on="never").evaluation.rule_counts


def test_sample_makes_ninety_percent_of_rules_fire(sample_counts):
    fired = set(sample_counts.filter(sample_counts["fired"] > 0).get_column("rule_id").to_list())
    silent_everywhere = sorted(c.id for c in RULES if c.id not in fired)
    print(f"rules that fire on the sample: {len(fired)} of {len(RULES)}; never fire: {', '.join(silent_everywhere) or 'none'}")
    assert len(fired) / len(RULES) >= 0.9, f"never fire on the sample: {silent_everywhere}"


def test_every_rules_b_rule_fires_for_some_sample_suppliers_and_not_for_others(sample_counts):
    rows = {r["rule_id"]: r for r in sample_counts.iter_rows(named=True)}
    wrong = [c.id for c in RULES if c.rule.prefix in RULES_B_PREFIXES and not (rows[c.id]["fired"] > 0 and rows[c.id]["silent"] > 0)]
    assert wrong == []


def test_docs_rules_md_is_up_to_date():
    docs = REPO / "docs" / "rules.md"
    assert docs.is_file(), "docs/rules.md is missing: run `python -m auditor.docgen rules`"
    assert docs.read_text(encoding="utf-8") == bundled_rules_markdown(), "docs/rules.md is out of date: run `python -m auditor.docgen rules`"


def test_docs_name_every_rule_and_its_quotes():
    text = bundled_rules_markdown()
    assert all(f"### {c.id}" in text for c in RULES)
    assert "the United States Department of Labor was drawing up a list of products" in text
