"""Run a rule's examples through the real cell parsers and its compiled condition."""

from __future__ import annotations

import polars as pl

from auditor import schema
from auditor.derive import derive
from auditor.recruiters import DERIVED as RECRUITER_DERIVED
from auditor.load import RawSheet, column_letter, type_sheet
from auditor.rules import CompiledRule, Example

_CONTRACT = {c.name for c in schema.SUPPLIER_COLUMNS}


def _cell_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def example_frame(example: Example) -> pl.DataFrame:
    """A one-row typed supplier frame built from an example, parsed as a spreadsheet row would be."""
    contract = {k: _cell_text(v) for k, v in example.row.items() if k in _CONTRACT}
    contract.setdefault("supplier_id", "EXAMPLE")
    contract.setdefault("supplier_name", "Example supplier")
    raw = RawSheet(
        file="example", sheet=None, kind="suppliers",
        frame=pl.DataFrame({"_row": [2], **{k: [v] for k, v in contract.items()}}, schema={"_row": pl.Int64, **{k: pl.String for k in contract}}),
        letters={k: column_letter(i) for i, k in enumerate(contract)}, header_row=1,
    )
    typed, _ = type_sheet(raw)
    recruiters = {name: example.row.get(name) for name in RECRUITER_DERIVED}
    typed = derive(typed.with_columns(pl.lit(v, dtype=pl.Int64).alias(k) for k, v in recruiters.items()))
    given = {c.name: example.row[c.name] for c in schema.DERIVED_COLUMNS if c.name in example.row and c.name not in RECRUITER_DERIVED}
    return typed.with_columns(pl.lit(v, dtype=schema.POLARS_TYPES[schema.spec(k).type]).alias(k) for k, v in given.items())


def outcome(compiled: CompiledRule, example: Example) -> bool | None:
    """What the rule says about the example: True fires, False silent, None not evaluable."""
    return example_frame(example).select(compiled.expr.alias("hit")).item()


def check_examples(compiled: CompiledRule) -> list[str]:
    """Problems with a rule's examples (an example that does not do what it says)."""
    problems = []
    for i, example in enumerate(compiled.rule.examples, 1):
        got = outcome(compiled, example)
        if got is not example.fires:
            said = "fire" if example.fires else "stay silent"
            did = {True: "fired", False: "stayed silent", None: "was not evaluable (an input is unknown)"}[got]
            problems.append(f"{compiled.file}: {compiled.id}: example {i} should {said} but {did}: {dict(example.row)}")
    return problems
