"""Baselines: accepted findings, kept in a sorted, diffable JSON file, that no longer fail a run.

An entry is keyed by the finding's fingerprint (rule id + supplier id, so it survives row moves)
and records the evidence hash at acceptance, a justification, who accepted it and until when.
Applying a baseline to a run sorts every entry into one of four outcomes:

- suppressed: the finding is still there with the same evidence and the entry has not expired;
- changed: the evidence differs from what was accepted, so the finding fails again;
- expired: the entry's expiry date has passed, so the finding fails again;
- unmatched: no finding has that fingerprint any more (fixed, or the supplier left); listed so
  the file can be pruned.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditor.errors import ConfigError

if TYPE_CHECKING:
    from auditor.audit import AuditResult

BASELINE_VERSION = 1
DEFAULT_FILE = ".auditor-baseline.json"
DEFAULT_VALID_DAYS = 365
DEFAULT_JUSTIFICATION = "Accepted when the baseline was created; replace with the reason and a ticket."


class Entry(BaseModel):
    """One accepted finding."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule_id: str
    supplier_id: str
    evidence_hash: str
    justification: str = Field(min_length=1)
    who: str = Field(min_length=1)
    expires: date | None = None  # None: never expires (not recommended)


class Baseline(BaseModel):
    """The baseline file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = BASELINE_VERSION
    entries: dict[str, Entry] = {}  # fingerprint → entry


def default_who() -> str:
    """Who is accepting: $AUDITOR_USER, else the login name, else 'unknown'."""
    return os.environ.get("AUDITOR_USER") or os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def create(findings: pl.DataFrame, *, justification: str, who: str, expires: date | None, previous: Baseline | None = None) -> Baseline:
    """A baseline accepting every finding in the frame.

    An entry of `previous` for the same finding with the same evidence is kept as it was (its
    justification, who and expiry), so re-creating a baseline never erases a recorded reason.
    """
    kept = previous.entries if previous else {}
    entries = {}
    for row in findings.select("fingerprint", "rule_id", "supplier_id", "evidence_hash").iter_rows(named=True):
        old = kept.get(row["fingerprint"])
        if old is not None and old.evidence_hash == row["evidence_hash"]:
            entries[row["fingerprint"]] = old
        else:
            entries[row["fingerprint"]] = Entry(rule_id=row["rule_id"], supplier_id=row["supplier_id"], evidence_hash=row["evidence_hash"],
                                                justification=justification, who=who, expires=expires)
    return Baseline(entries=entries)


ACCEPTING = ("accepted risk", "false positive")  # workbook statuses that accept a finding (render.workbook.STATUSES)


@dataclass
class FromWorkbook:
    """A baseline made from a reviewed workbook, and what happened to each row that accepts a finding."""

    baseline: Baseline
    new: int = 0  # entries the workbook added
    updated: int = 0  # entries whose reason, who or evidence the workbook changed (given the new expiry)
    unchanged: int = 0  # entries already in the file as the workbook has them (expiry kept)
    kept: int = 0  # entries of the file the workbook does not accept (kept as they were)
    skipped: list[str] = field(default_factory=list)  # one line per row not turned into an entry, naming its cell


def from_workbook(rows: pl.DataFrame, letters: dict[str, str], workbook: str, *, justification: str | None, who: str | None,
                  expires: date | None, previous: Baseline | None = None, notes: pl.DataFrame | None = None) -> FromWorkbook:
    """A baseline accepting the findings a person marked accepted risk or false positive in a remediation workbook.

    `rows` is the workbook's Findings sheet as previous.prepare gives it (one row per finding id, status made
    canonical in _status). Each entry's justification is the status and the row's Notes (else `justification`;
    a row with neither is skipped: a baseline records why), who is `who`, else the row's Owner, else default_who().
    The entries of `previous` stay, so a baseline made by `create` keeps its accepted findings; an entry the
    workbook gives again unchanged keeps its expiry. `notes` are prepare's data-quality entries: the rows it set
    aside for their Finding ID (repeated, or missing on an edited row) are listed as skipped, so none vanishes.
    """
    entries = dict(previous.entries) if previous else {}
    outcome = FromWorkbook(baseline=Baseline())

    def at(reference: str) -> str:
        return f"{workbook} Findings!{reference}"

    def cell(column: str, row: int) -> str:
        return at(f"{letters.get(column, 'A')}{row}")

    if notes is not None:
        for note in notes.filter(pl.col("column") == "finding_id").sort("row").iter_rows(named=True):
            outcome.skipped.append(f"{at(note['cell'])}: {note['problem']}: this row is not read "
                                   "(a Finding ID links a row to one finding; the first row with an id is the one used)")

    # A status typed by hand that is not in the list ("accepted") may have meant to accept: said, not guessed.
    for row in rows.filter(pl.col("status").is_not_null() & pl.col("_status").is_null()).iter_rows(named=True):
        outcome.skipped.append(f"{cell('status', row['_row'])}: status {row['status']!r} is not one of the list: not baselined "
                               f"(accepting statuses: {', '.join(ACCEPTING)})")
    touched = set()
    for row in rows.filter(pl.col("_status").is_in(ACCEPTING)).sort("_row").iter_rows(named=True):
        fingerprint, status, where = row["finding_id"], row["_status"], row["_row"]
        reason = row["notes"] or justification
        if not reason:
            outcome.skipped.append(f"{cell('notes', where)}: {status} without a reason in Notes: not baselined "
                                   "(write why in Notes, or pass --justification)")
            continue
        if not row["evidence_hash"] or not row["supplier_id"]:
            outcome.skipped.append(f"{cell('finding_id', where)}: {status}, but the row has lost its supplier id or evidence hash: "
                                   "not baselined (use a workbook as auditor wrote it)")
            continue
        entry = Entry(rule_id=fingerprint.split(":", 1)[0], supplier_id=row["supplier_id"], evidence_hash=row["evidence_hash"],
                      justification=f"{status}: {reason}",  # (no row or file name: people sort, and each audit has its workbook)
                      who=who or row["owner"] or default_who(), expires=expires)
        old = entries.get(fingerprint)
        if old is not None and (old.evidence_hash, old.justification, old.who) == (entry.evidence_hash, entry.justification, entry.who):
            outcome.unchanged += 1
        else:
            outcome.new += old is None
            outcome.updated += old is not None
            entries[fingerprint] = entry
        touched.add(fingerprint)
    outcome.kept = len(set(entries) - touched)
    outcome.baseline = Baseline(entries=entries)
    return outcome


def dumps(baseline: Baseline) -> str:
    """The file's text: keys sorted, one entry per fingerprint, so that diffs stay small."""
    data = baseline.model_dump(mode="json")
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read(path: Path) -> Baseline:
    """Read and validate a baseline file; any problem is a ConfigError naming the file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline file not found (create one with `auditor baseline create`)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not a valid JSON baseline ({error})") from None
    try:
        return Baseline.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(file)"
        raise ConfigError(f"{path}: {where}: {first['msg']}") from None


def apply(result: AuditResult, baseline: Baseline, *, today: date, file: str) -> dict[str, Any]:
    """Mark baselined findings as suppressed on the result; return the outcome for the reports.

    Suppressed fingerprints go to result.extra["suppressed"] (fingerprint → suppression), which
    AuditResult.failing() leaves out; the outcome goes to result.extra["baseline"].
    """
    current = {row["fingerprint"]: row for row in result.findings.select("fingerprint", "rule_id", "supplier_id", "evidence_hash").iter_rows(named=True)}
    suppressed: dict[str, dict[str, Any]] = {}
    changed, expired, unmatched = [], [], []
    for fingerprint in sorted(baseline.entries):
        entry = baseline.entries[fingerprint]
        ref = {"fingerprint": fingerprint, "rule_id": entry.rule_id, "supplier_id": entry.supplier_id}
        finding = current.get(fingerprint)
        if finding is None:
            unmatched.append(ref)
        elif entry.expires is not None and entry.expires < today:
            expired.append(ref | {"expires": entry.expires.isoformat()})
        elif finding["evidence_hash"] != entry.evidence_hash:
            changed.append(ref | {"accepted_evidence_hash": entry.evidence_hash, "evidence_hash": finding["evidence_hash"]})
        else:
            suppressed[fingerprint] = {
                "kind": "baseline", "justification": entry.justification, "who": entry.who,
                "expires": entry.expires.isoformat() if entry.expires else None,
            }
    outcome = {
        "file": file, "entries": len(baseline.entries), "suppressed": len(suppressed),
        "changed": changed, "expired": expired, "unmatched": unmatched,
    }
    result.extra["suppressed"] = suppressed
    result.extra["baseline"] = outcome
    return outcome


def parse_expiry(text: str | None, days: int | None, today: date) -> date | None:
    """--expires YYYY-MM-DD | never, or --days N (default DEFAULT_VALID_DAYS from today)."""
    if text is not None and days is not None:
        raise ConfigError("--expires and --days: give one, not both")
    if text is not None:
        if text.strip().lower() == "never":
            return None
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise ConfigError(f"--expires {text}: not a date (use YYYY-MM-DD or 'never')") from None
    return today + timedelta(days=DEFAULT_VALID_DAYS if days is None else days)


def describe(outcome: dict[str, Any]) -> list[str]:
    """Lines for the terminal: what was suppressed and which entries need attention."""
    lines = [f"baseline {outcome['file']}: {outcome['suppressed']} of {outcome['entries']} entries suppress a finding"]
    for key, what in (("expired", "expired (failing again)"), ("changed", "evidence changed (failing again)"),
                      ("unmatched", "match no finding (remove them)")):
        entries = outcome[key]
        if entries:
            shown = ", ".join(e["fingerprint"] for e in entries[:10]) + (" …" if len(entries) > 10 else "")
            lines.append(f"  {len(entries)} {what}: {shown}")
    return lines
