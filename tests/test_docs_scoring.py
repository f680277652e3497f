"""docs/scoring.md is generated from the sample suppliers: it must match what the code computes now."""

from __future__ import annotations

from auditor.docgen_scoring import DOC, render_doc


def test_scoring_doc_is_up_to_date_with_rules_and_model():
    expected = render_doc()
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert current == expected, "docs/scoring.md is stale: run `python -m auditor.docgen scoring` and commit the result"


def test_scoring_doc_has_worked_examples_with_citations():
    text = render_doc()
    assert "### 1. The top of the ranking" in text and "### 5. What we do not know" in text
    assert "| **total** |" in text and "¶" in text
