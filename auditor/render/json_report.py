"""The JSON report: a public, versioned contract for CI consumers (DESIGN.md §5)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from auditor.audit import AuditResult

SCHEMA_VERSION = "1.0"
SUPPLIER_FIELDS = ("rank", "supplier_id", "supplier_name", "country", "sector", "supply_chain_tier", "parent_supplier_id",
                   "tier", "score", "confidence", "findings", "not_evaluable", "top_rules",
                   # scoring model (docs/scoring.md): own/inherited split, sub-scores per rule kind, inherited sources
                   "score_own", "score_inherited", "exposure", "indicators", "control_gaps", "evidence_quality",
                   "inherited_critical", "inherited_from")


def _findings(frame: pl.DataFrame) -> list[dict[str, Any]]:
    rows = frame.select(
        "fingerprint", "supplier_id", "rule_id", "severity", "kind", "category", "title", "message", "evidence",
        "evidence_hash", pl.struct("file", "sheet", "row", "column", "cell").alias("source"),
    ).to_dicts()
    for row in rows:
        row["evidence"] = json.loads(row["evidence"])
    return rows


def document(result: AuditResult) -> dict[str, Any]:
    """The report as plain data: same input and rules give the same document, byte for byte."""
    findings = _findings(result.findings)
    suppressed = result.extra.get("suppressed", {})  # set by auditor.baseline.apply
    for finding in findings:
        finding["suppression"] = suppressed.get(finding["fingerprint"])
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "auditor", "version": result.tool_version},
        "run": {
            "inputs": [{"path": i.path, "sha256": i.sha256, "sheets": list(i.sheets)} for i in result.loaded.inputs],
            "rule_packs": [{"file": f, "version": v} for f, v in sorted({(c.file, c.pack_version) for c in result.rules})],
            "rule_count": len(result.rules),
            "fail_on": result.fail_on,
        },
        "summary": result.summary(),
        "suppliers": result.suppliers.select(SUPPLIER_FIELDS).to_dicts(),
        "findings": findings,
        "not_evaluable": result.evaluation.not_evaluable.select("supplier_id", "rule_id", "missing", "file", "sheet", "row").to_dicts(),
        "data_quality": result.loaded.data_quality.to_dicts(),
        "baseline": result.extra.get("baseline"),
    }


def render(result: AuditResult) -> str:
    """The JSON report as text."""
    return json.dumps(document(result), indent=2, ensure_ascii=False, default=str) + "\n"
