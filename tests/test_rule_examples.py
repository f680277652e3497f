"""Every bundled rule's examples do what they say, run through the real cell parsers."""

from __future__ import annotations

import pytest

from auditor.audit import default_rules_dirs
from auditor.examples import check_examples
from auditor.rules import load_rules

RULES = load_rules(default_rules_dirs())


@pytest.mark.parametrize("compiled", RULES, ids=[c.id for c in RULES])
def test_rule_examples_behave_as_documented(compiled):
    assert check_examples(compiled) == []
