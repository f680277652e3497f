"""The JSON report: a public, versioned contract for CI consumers (DESIGN.md §5)."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
        "not_evaluable": result.evaluation.not_evaluable.select(NOT_EVALUABLE_FIELDS).to_dicts(),
        "data_quality": result.loaded.data_quality.to_dicts(),
        "baseline": result.extra.get("baseline"),
    }


ARRAYS = ("suppliers", "findings", "not_evaluable", "data_quality")  # the long parts, in the document's order
NOT_EVALUABLE_FIELDS = ("supplier_id", "rule_id", "missing", "file", "sheet", "row")
ROWS_PER_PIECE = 100_000  # suppliers or data-quality entries encoded at a time
FINDINGS_PER_PIECE = 50_000  # findings or not-evaluable entries encoded at a time: about 30 MB of text each


def _array(pieces: Iterator[pl.Series]) -> Iterator[bytes]:
    """JSON objects (already encoded, a batch at a time) as one list, one object per line: compact, diffable, fast."""
    empty = True
    for encoded in pieces:
        if encoded.is_empty():
            continue
        # Joined by polars and handed over as UTF-8 bytes: no Python string per row, none for the batch either.
        yield b"[\n    " if empty else b",\n    "
        yield encoded.str.join(",\n    ").cast(pl.Binary).item()
        empty = False
    yield b"[]" if empty else b"\n  ]"


def _encode(frame: pl.DataFrame) -> pl.Series:
    return frame.select(pl.struct(pl.all()).struct.json_encode()).to_series()


def _sliced(frame: pl.DataFrame) -> Iterator[pl.Series]:
    """A frame encoded a slice of rows at a time."""
    for start in range(0, frame.height, ROWS_PER_PIECE):
        yield _encode(frame.slice(start, ROWS_PER_PIECE))


def _in_supplier_order(result: AuditResult, what: str) -> Iterator[pl.DataFrame]:
    """Findings or not-evaluable entries by supplier_id, then rule_id: a batch at a time from the engine's outcomes,
    or whole for an evaluation built by hand."""
    evaluated = result.evaluation.evaluated
    if evaluated is not None:
        for batch in evaluated.supplier_ordered(what):  # (built in the engine's batches, encoded in smaller ones)
            yield from batch.iter_slices(FINDINGS_PER_PIECE)
    elif what == "findings":
        yield in_supplier_order(result.findings)
    else:
        yield result.evaluation.not_evaluable


def _encoded_findings(result: AuditResult) -> Iterator[pl.Series]:
    """Each finding as JSON, built by polars a batch at a time; the evidence (already JSON) is spliced in as an object."""
    suppressed = result.extra.get("suppressed", {})
    suppression = pl.DataFrame(
        {"fingerprint": list(suppressed), "_suppression": [json.dumps(v, ensure_ascii=False, sort_keys=False) for v in suppressed.values()]},
        schema={"fingerprint": pl.String, "_suppression": pl.String},
    )
    head = pl.struct("fingerprint", "supplier_id", "rule_id", "severity", "kind", "category", "title", "message").struct.json_encode()
    tail = pl.struct("evidence_hash", pl.struct("file", "sheet", "row", "column", "cell").alias("source")).struct.json_encode()
    for batch in _in_supplier_order(result, "findings"):
        yield batch.join(suppression, on="fingerprint", how="left", maintain_order="left").select(
            pl.concat_str(
                head.str.strip_suffix("}"), pl.lit(',"evidence":'), pl.col("evidence"), pl.lit(","), tail.str.strip_prefix("{").str.strip_suffix("}"),
                pl.lit(',"suppression":'), pl.col("_suppression").fill_null("null"), pl.lit("}"),
            )
        ).to_series()


def pieces(result: AuditResult) -> Iterator[bytes]:
    """The JSON report as consecutive pieces of UTF-8: the same document as `document()`, never held whole, and
    written without a Python loop per row."""
    arrays = {
        "suppliers": lambda: _array(_sliced(result.suppliers.select(SUPPLIER_FIELDS))),
        "findings": lambda: _array(_encoded_findings(result)),
        "not_evaluable": lambda: _array(_encode(batch.select(NOT_EVALUABLE_FIELDS)) for batch in _in_supplier_order(result, "not_evaluable")),
        "data_quality": lambda: _array(_sliced(result.loaded.data_quality)),
    }
    skeleton = document_head(result) | {name: f"@@{name}@@" for name in ARRAYS} | {"baseline": result.extra.get("baseline")}
    rest = json.dumps(skeleton, indent=2, ensure_ascii=False, default=str)
    for name in ARRAYS:
        before, rest = rest.split(f'"@@{name}@@"', 1)
        yield before.encode("utf-8")
        yield from arrays[name]()
    yield (rest + "\n").encode("utf-8")


def render(result: AuditResult) -> str:
    """The JSON report as text, whole (render.emit writes its pieces as they come instead)."""
    return b"".join(pieces(result)).decode("utf-8")
