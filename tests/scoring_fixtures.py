"""Builders for scoring tests: synthetic rules/evaluations, and a small workbook with its own rule pack."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from openpyxl import Workbook

from auditor.engine import FINDING_COLUMNS, Evaluation
from auditor.load import FILE, ROW, SHEET
from auditor.rules import CompiledRule, Rule


def make_rules(specs: list[tuple[str, str]]) -> list[CompiledRule]:
    """Rules R-000, R-001, … with the given (kind, severity); no condition (the evaluation is given)."""
    rules = []
    for i, (kind, severity) in enumerate(specs):
        rule = Rule.model_construct(id=f"TR-{i:03d}", title=f"test rule {i}", kind=kind, severity=severity, cite=[], ask_for="")
        rules.append(CompiledRule(rule=rule, file="test", pack_version="1", expr=pl.lit(None), columns=(), message_parts=()))
    return rules


def make_suppliers(ids: list[str], parents: dict[str, str] | None = None) -> pl.DataFrame:
    """A supplier frame with the columns scoring reads."""
    parents = parents or {}
    return pl.DataFrame(
        {
            FILE: ["test.xlsx"] * len(ids), SHEET: ["Suppliers"] * len(ids), ROW: list(range(2, len(ids) + 2)),
            "supplier_id": ids, "supplier_name": [f"Supplier {s}" for s in ids], "country": ["BD"] * len(ids),
            "sector": ["apparel_textiles"] * len(ids), "tier": [1] * len(ids), "parent_supplier_id": [parents.get(s) for s in ids],
        },
        schema_overrides={ROW: pl.Int64, "tier": pl.Int64, "parent_supplier_id": pl.String},
    )


def make_evaluation(statuses: dict[tuple[str, str], str]) -> Evaluation:
    """An evaluation from {(supplier_id, rule_id): "finding" | "unknown"}; everything else is silent."""
    found = sorted(k for k, v in statuses.items() if v == "finding")
    unknown = sorted(k for k, v in statuses.items() if v == "unknown")
    findings = pl.DataFrame(
        {c: [None] * len(found) for c in FINDING_COLUMNS}, schema={c: pl.String for c in FINDING_COLUMNS}
    ).with_columns(
        pl.Series("supplier_id", [s for s, _ in found], dtype=pl.String),
        pl.Series("rule_id", [r for _, r in found], dtype=pl.String),
    )
    not_evaluable = pl.DataFrame(
        {"supplier_id": [s for s, _ in unknown], "rule_id": [r for _, r in unknown], "missing": [["x"] for _ in unknown]},
        schema={"supplier_id": pl.String, "rule_id": pl.String, "missing": pl.List(pl.String)},
    )
    return Evaluation(findings=findings, not_evaluable=not_evaluable, rule_counts=pl.DataFrame())


RULE_PACK = '''
version = "1"
topic = "scoring tests"

[[rule]]
id = "TST-001"
title = "Contract substitution"
kind = "indicator"
severity = "critical"
when = "contract_substitution_found"
message = "Contract substitution found"
remediation = "Restore the promised terms."
due_days = 7
[[rule.cite]]
source = "vienna-forum-2008"
paragraph = "173"
quote = "promised her that she could make money as a domestic labourer"
[[rule.examples]]
fires = true
row = { contract_substitution_found = true }
[[rule.examples]]
fires = false
row = { contract_substitution_found = false }

[[rule]]
id = "TST-002"
title = "Workers paid recruitment fees"
kind = "indicator"
severity = "high"
when = "workers_paid_recruitment_fees"
message = "Workers paid fees"
remediation = "Reimburse."
due_days = 30
[[rule.cite]]
source = "vienna-forum-2008"
paragraph = "199"
quote = "providing guidance on recruitment fees"
[[rule.examples]]
fires = true
row = { workers_paid_recruitment_fees = true }
[[rule.examples]]
fires = false
row = { workers_paid_recruitment_fees = false }

[[rule]]
id = "TST-003"
title = "No anonymous grievance channel"
kind = "control"
severity = "high"
when = "NOT grievance_channel_anonymous"
message = "No anonymous grievance channel"
remediation = "Set one up."
due_days = 60
ask_for = "Whether workers have an anonymous grievance channel."
[[rule.cite]]
source = "vienna-forum-2008"
paragraph = "199"
quote = "providing guidance on recruitment fees"
[[rule.examples]]
fires = true
row = { grievance_channel_anonymous = false }
[[rule.examples]]
fires = false
row = { grievance_channel_anonymous = true }

[[rule]]
id = "TST-004"
title = "Mostly migrant workforce"
kind = "exposure"
severity = "medium"
when = "share_migrant_workers > 0.5"
message = "{share_migrant_workers} migrant workers"
remediation = "Check recruitment channels."
due_days = 90
[[rule.cite]]
source = "vienna-forum-2008"
paragraph = "63"
quote = "many did not have the language skills"
[[rule.examples]]
fires = true
row = { share_migrant_workers = 0.8 }
[[rule.examples]]
fires = false
row = { share_migrant_workers = 0.1 }

[[rule]]
id = "TST-005"
title = "No offsite worker interviews"
kind = "evidence"
severity = "low"
when = "NOT worker_interviews_offsite"
message = "No offsite interviews"
remediation = "Interview workers offsite."
due_days = 90
[[rule.cite]]
source = "vienna-forum-2008"
paragraph = "199"
quote = "providing guidance on recruitment fees"
[[rule.examples]]
fires = true
row = { worker_interviews_offsite = false }
[[rule.examples]]
fires = false
row = { worker_interviews_offsite = true }

[[rule]]
id = "TST-006"
title = "A recruiter charges workers fees"
kind = "indicator"
severity = "high"
when = "recruiters_charging_fees > 0"
message = "{recruiters_charging_fees} recruiter(s) charge workers fees"
remediation = "Stop using them."
due_days = 30
[[rule.cite]]
source = "vienna-forum-2008"
paragraph = "203"
quote = "created opportunities for intermediaries, including traffickers"
[[rule.examples]]
fires = true
row = { recruiters_charging_fees = 1 }
[[rule.examples]]
fires = false
row = { recruiters_charging_fees = 0 }
'''

CLEAN = {"contract_substitution_found": "no", "workers_paid_recruitment_fees": "no", "grievance_channel_anonymous": "yes",
         "share_migrant_workers": "10%", "worker_interviews_offsite": "yes"}
COLUMNS = ("supplier_id", "supplier_name", "tier", "parent_supplier_id", *CLEAN)


def write_rules(directory: Path) -> Path:
    """The test rule pack (one critical and one high indicator, a control, an exposure, an evidence and a recruiter rule)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "test.toml").write_text(RULE_PACK, encoding="utf-8")
    return directory


def write_workbook(path: Path, suppliers: list[dict], recruiters: list[dict] | None = None) -> Path:
    """A workbook with a Suppliers sheet (COLUMNS) and, when given, a Recruiters sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Suppliers"
    ws.append(list(COLUMNS))
    for row in suppliers:
        ws.append([row.get(c) for c in COLUMNS])
    if recruiters is not None:
        rs = wb.create_sheet("Recruiters")
        keys = ["supplier_id", "recruiter_name", "licence_number", "licence_verified", "charges_workers_fees"]
        rs.append(keys)
        for row in recruiters:
            rs.append([row.get(k) for k in keys])
    wb.save(path)
    return path


def clean(supplier_id: str, **overrides: object) -> dict:
    """A supplier row on which every test rule is evaluated and silent."""
    return {"supplier_id": supplier_id, "supplier_name": f"Site {supplier_id}", "tier": 1, **CLEAN, **overrides}
