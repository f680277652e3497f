"""The JSON report: a public, versioned contract for CI consumers (DESIGN.md §5)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import polars as pl

from auditor.engine import in_supplier_order

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


def document_head(result: AuditResult) -> dict[str, Any]:
    """The small leading part of the report: versions, run record and summary."""
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
    }


def document(result: AuditResult) -> dict[str, Any]:
    """The report as plain data: same input and rules give the same document, byte for byte."""
    findings = _findings(in_supplier_order(result.findings))
    suppressed = result.extra.get("suppressed", {})  # set by auditor.baseline.apply
    for finding in findings:
        finding["suppression"] = suppressed.get(finding["fingerprint"])
    return document_head(result) | {
        "suppliers": result.suppliers.select(SUPPLIER_FIELDS).to_dicts(),
        "findings": findings,
        "not_evaluable": result.evaluation.not_evaluable.select("supplier_id", "rule_id", "missing", "file", "sheet", "row").to_dicts(),
        "data_quality": result.loaded.data_quality.to_dicts(),
        "baseline": result.extra.get("baseline"),
    }


def _array(encoded: pl.Series) -> str:
    """JSON objects (already encoded) as a list, one object per line: compact, diffable and fast."""
    if encoded.is_empty():
        return "[]"
    return "[\n    " + ",\n    ".join(encoded.to_list()) + "\n  ]"


def _encode(frame: pl.DataFrame) -> pl.Series:
    return frame.select(pl.struct(pl.all()).struct.json_encode()).to_series()


def _encoded_findings(result: AuditResult) -> pl.Series:
    """Each finding as JSON, built by polars; the evidence (already JSON) is spliced in as an object."""
    suppressed = result.extra.get("suppressed", {})
    suppression = pl.DataFrame(
        {"fingerprint": list(suppressed), "_suppression": [json.dumps(v, ensure_ascii=False, sort_keys=False) for v in suppressed.values()]},
        schema={"fingerprint": pl.String, "_suppression": pl.String},
    )
    frame = in_supplier_order(result.findings).join(suppression, on="fingerprint", how="left", maintain_order="left")
    head = pl.struct("fingerprint", "supplier_id", "rule_id", "severity", "kind", "category", "title", "message").struct.json_encode()
    tail = pl.struct("evidence_hash", pl.struct("file", "sheet", "row", "column", "cell").alias("source")).struct.json_encode()
    return frame.select(
        pl.concat_str(
            head.str.strip_suffix("}"), pl.lit(',"evidence":'), pl.col("evidence"), pl.lit(","), tail.str.strip_prefix("{").str.strip_suffix("}"),
            pl.lit(',"suppression":'), pl.col("_suppression").fill_null("null"), pl.lit("}"),
        )
    ).to_series()


def render(result: AuditResult) -> str:
    """The JSON report as text: the same document as `document()`, written without a Python loop per row."""
    arrays = {
        "suppliers": _array(_encode(result.suppliers.select(SUPPLIER_FIELDS))),
        "findings": _array(_encoded_findings(result)),
        "not_evaluable": _array(_encode(result.evaluation.not_evaluable.select("supplier_id", "rule_id", "missing", "file", "sheet", "row"))),
        "data_quality": _array(_encode(result.loaded.data_quality)),
    }
    skeleton = document_head(result) | {name: f"@@{name}@@" for name in arrays} | {"baseline": result.extra.get("baseline")}
    text = json.dumps(skeleton, indent=2, ensure_ascii=False, default=str)
    for name, array in arrays.items():
        text = text.replace(f'"@@{name}@@"', array, 1)
    return text + "\n"
