"""Carry triage forward from a previous remediation workbook (`auditor audit … --previous OLD.xlsx`).

Rows are matched on the hidden Finding ID (the fingerprint: rule × supplier), never on row order,
because people sort and filter. Status, owner, due date and notes travel forward. A finding no
longer raised stays listed as "resolved — not detected" with the date; a finding marked remediated
or verified that fires again is flagged reopened; changed evidence is flagged; a status typed by
hand that is not in the list is kept as typed and reported as a data-quality entry naming its cell.

`read_previous` is the only function here that touches a file; the rest are pure functions over frames.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from auditor import cells
from auditor.errors import InputError
from auditor.load import DQ_SCHEMA, column_letter
from auditor.render.workbook import FINDINGS_SCHEMA, FINDINGS_SHEET, RESOLVED, STATUSES

if TYPE_CHECKING:
    from auditor.audit import AuditResult

SHEET = "Findings"
ROW = "_row"
CARRIED = ("status", "owner", "due_date", "notes")
REOPEN_FROM = ("remediated", "verified")
HEADER_SCAN_ROWS = 10
FINDINGS_SHEET_NAMES = tuple(c.name for c in FINDINGS_SHEET)


def status_key(text: str) -> str:
    """Fold a status so 'In Progress', 'in_progress' and 'in-progress' meet."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


STATUS_LOOKUP = {status_key(s): s for s in STATUSES}


def _status_key_expr(column: pl.Expr) -> pl.Expr:
    """status_key as a polars expression."""
    return column.str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]", "")


@dataclass(frozen=True)
class PreviousWorkbook:
    """The Findings sheet of an earlier workbook as text, with where each column sits."""

    path: str
    frame: pl.DataFrame  # one String column per Findings column found, plus _row (spreadsheet row)
    letters: dict[str, str]  # column name → spreadsheet letter


def read_previous(path: Path, needed_by: str = "--previous") -> PreviousWorkbook:
    """Read the Findings sheet of a workbook written by auditor (and perhaps edited since); `needed_by` names the option
    or command in error messages."""
    import fastexcel

    from auditor.xlsx_layout import first_used_row

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: workbook not found ({needed_by})")
    try:
        reader = fastexcel.read_excel(str(path))
        if SHEET not in reader.sheet_names:
            raise InputError(f"{path}: no sheet named {SHEET!r}; {needed_by} needs a workbook written by `auditor audit -o xlsx:…`")
        loaded = reader.load_sheet(SHEET, header_row=None, dtypes="string")
        grid = loaded.to_polars()
    except InputError:
        raise
    except Exception as error:  # fastexcel raises its own types for corrupt files
        raise InputError(f"{path}: not a readable xlsx workbook ({str(error).splitlines()[0]})") from error
    first_row = first_used_row(path, SHEET)
    first_col = loaded.available_columns()[0].absolute_index if grid.width else 0
    by_header = {c.header.casefold(): c.name for c in FINDINGS_SHEET}
    for h, row in enumerate(grid.head(HEADER_SCAN_ROWS).iter_rows()):
        names = {i: by_header[str(v).strip().casefold()] for i, v in enumerate(row) if v and str(v).strip().casefold() in by_header}
        if "finding_id" in names.values():
            break
    else:
        raise InputError(f"{path} sheet {SHEET!r}: no 'Finding ID' header in the first {HEADER_SCAN_ROWS} rows; "
                         f"{needed_by} needs a workbook written by `auditor audit -o xlsx:…`")
    names = {i: n for i, n in names.items() if n not in list(names.values())[: list(names).index(i)]}  # first wins
    header_row = first_row + h
    body = grid.slice(h + 1)
    frame = body.select(
        pl.int_range(header_row + 1, header_row + 1 + body.height, dtype=pl.Int64).alias(ROW),
        *[pl.col(body.columns[i]).alias(name) for i, name in names.items()],
    )
    missing = [c.name for c in FINDINGS_SHEET if c.name not in frame.columns]
    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(m) for m in missing)
    letters = {name: column_letter(first_col + i) for i, name in names.items()}
    return PreviousWorkbook(str(path), frame, letters)


# ── pure functions ────────────────────────────────────────────────────────────────────────────


def _note(previous: PreviousWorkbook, rows: pl.DataFrame, column: str, value: pl.Expr, problem: str | pl.Expr, effect: str) -> pl.DataFrame:
    letter = previous.letters.get(column, "A")
    return rows.select(
        pl.lit(previous.path).alias("file"), pl.lit(SHEET).alias("sheet"), pl.col(ROW).alias("row"), pl.lit(column).alias("column"),
        (pl.lit(letter) + pl.col(ROW).cast(pl.String)).alias("cell"), value.cast(pl.String).alias("value"),
        (pl.lit(problem) if isinstance(problem, str) else problem).alias("problem"), pl.lit(effect).alias("effect"),
    ).cast(dict(DQ_SCHEMA))


def prepare(previous: PreviousWorkbook) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validate the hand-edited sheet: one row per finding id, statuses and dates checked.

    Returns the usable rows (status canonical or kept as typed, dates typed) and the data-quality
    entries for everything that needed a decision.
    """
    frame = previous.frame.with_columns(pl.col(c).str.strip_chars() for c in FINDINGS_SHEET_NAMES)
    frame = frame.with_columns(pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in FINDINGS_SHEET_NAMES)
    edited = pl.any_horizontal(pl.col(c).is_not_null() for c in CARRIED)
    no_id = frame.filter(pl.col("finding_id").is_null() & edited)
    frame = frame.filter(pl.col("finding_id").is_not_null())
    duplicate = pl.int_range(pl.len()).over("finding_id", order_by=ROW) > 0
    first_row = pl.col(ROW).min().over("finding_id")
    dupes = frame.with_columns(first_row.alias("_first")).filter(duplicate)
    frame = frame.filter(~duplicate)

    status_value = _status_key_expr(pl.col("status")).replace_strict(STATUS_LOOKUP, default=None, return_dtype=pl.String)
    frame = frame.with_columns(status_value.alias("_status"))
    bad_status = frame.filter(pl.col("status").is_not_null() & pl.col("_status").is_null())
    due, due_problem = cells.parse_date(pl.col("due_date"))
    first, _ = cells.parse_date(pl.col("first_detected"))
    resolved, _ = cells.parse_date(pl.col("resolved_on"))
    frame = frame.with_columns(due.alias("_due"), due_problem.alias("_due_problem"), first.alias("_first_detected"), resolved.alias("_resolved_on"))
    bad_due = frame.filter(pl.col("_due_problem").is_not_null())
    allowed = ", ".join(s for s in STATUSES)
    notes = pl.concat([
        _note(previous, bad_status, "status", pl.col("status"), f"not a known status ({allowed})",
              "kept as typed and flagged on the Findings sheet; choose a status from the list"),
        _note(previous, bad_due, "due_date", pl.col("due_date"), "due date is not a date (use YYYY-MM-DD)", "kept as typed"),
        _note(previous, dupes, "finding_id", pl.col("finding_id"), pl.format("finding id repeated (first at row {})", pl.col("_first")),
              "row ignored; the first row's status, owner, due date and notes were carried forward"),
        _note(previous, no_id, "finding_id", pl.lit(None, dtype=pl.String), "row has a status, owner, due date or notes but no finding id",
              "not carried forward (the finding id links a row to a finding)"),
    ])
    return frame, notes


def _join_flags(*flags: pl.Expr) -> pl.Expr:
    joined = pl.concat_list([f for f in flags]).list.drop_nulls().list.join("; ")
    return pl.when(joined == "").then(None).otherwise(joined)


def merge(current: pl.DataFrame, previous: pl.DataFrame, audit_date: date, *,
          rules_run: Collection[str], suppliers_run: Collection[str]) -> pl.DataFrame:
    """The new Findings sheet: current findings with the previous edits carried forward, then the ones no longer raised.

    `current` is the fresh sheet (workbook.findings_sheet); `previous` comes from `prepare`.
    """
    prev = previous.select(
        pl.col("finding_id"),
        *[pl.col(c).alias(f"p_{c}") for c in ("status", "owner", "notes", "evidence_hash", "due_date")],
        pl.col("_status").alias("p_key"), pl.col("_due").alias("p_due"), pl.col("_first_detected").alias("p_first"),
        pl.lit(True).alias("p_seen"),
    )
    joined = current.join(prev, on="finding_id", how="left")
    matched = pl.col("p_seen").fill_null(False)
    was_resolved = pl.col("p_key") == RESOLVED
    invalid = pl.col("p_status").is_not_null() & pl.col("p_key").is_null()
    typed_due = pl.col("p_due").is_null() & pl.col("p_due_date").is_not_null()
    carried = joined.with_columns(
        pl.when(was_resolved).then(pl.lit("open"))
        .when(pl.col("p_key").is_not_null()).then(pl.col("p_key"))
        .when(invalid).then(pl.col("p_status"))
        .otherwise(pl.col("status")).alias("status"),
        pl.coalesce("p_owner", "owner").alias("owner"),
        pl.coalesce("p_notes", "notes").alias("notes"),
        # A due date typed as text ("next week") is kept as typed, not replaced by a computed one.
        pl.when(typed_due).then(None).otherwise(pl.coalesce("p_due", "due_date")).alias("due_date"),
        pl.when(typed_due).then(pl.col("p_due_date")).alias("due_date_text"),
        pl.coalesce("p_first", "first_detected").alias("first_detected"),
        _join_flags(
            pl.when(~matched).then(pl.lit("new")),
            pl.when(pl.col("p_key").is_in(REOPEN_FROM)).then(pl.format("reopened: detected again after being marked {}", pl.col("p_key"))),
            pl.when(was_resolved).then(pl.lit("detected again after not being detected")),
            pl.when(pl.col("p_evidence_hash").is_not_null() & (pl.col("p_evidence_hash") != pl.col("evidence_hash"))).then(pl.lit("evidence changed")),
            pl.when(invalid).then(pl.format("status '{}' not recognised: choose one from the list", pl.col("p_status"))),
        ).alias("change"),
    ).select(current.columns)

    gone = previous.join(current.select("finding_id"), on="finding_id", how="anti")
    rule = pl.col("rule_id")
    not_checked = pl.when(~rule.is_in(list(rules_run))).then(pl.lit("not checked: the rule was not run in this audit")) \
        .when(~pl.col("supplier_id").is_in(list(suppliers_run))).then(pl.lit("not checked: the supplier is not in this audit's input"))
    kept_status = pl.coalesce("_status", "status", pl.lit("open"))
    dropped = gone.with_columns(not_checked.alias("_not_checked")).with_columns(
        pl.when(pl.col("_not_checked").is_not_null()).then(kept_status).otherwise(pl.lit(RESOLVED)).alias("status"),
        pl.col("_due").alias("due_date"),
        pl.when(pl.col("_due").is_null()).then(pl.col("due_date")).alias("due_date_text"),
        pl.col("_first_detected").alias("first_detected"),
        pl.when(pl.col("_not_checked").is_not_null()).then(pl.col("_resolved_on"))
        .otherwise(pl.coalesce("_resolved_on", pl.lit(audit_date))).alias("resolved_on"),
        _join_flags(
            pl.col("_not_checked"),
            pl.when(pl.col("_not_checked").is_null() & (pl.col("_status").fill_null("") != RESOLVED))
            .then(pl.format("not detected in this audit (was {})", kept_status)),
        ).alias("change"),
    ).select(current.columns).cast(dict(FINDINGS_SCHEMA))
    return pl.concat([carried.cast(dict(FINDINGS_SCHEMA)), dropped.sort(["supplier_id", "rule_id"])], how="vertical")


def attach(result: AuditResult, path: Path) -> dict[str, int]:
    """Read a previous workbook, merge it into the result's Findings sheet and record its data-quality notes."""
    from auditor.render.workbook import audit_date_of, findings_sheet

    audit_date = audit_date_of(result)
    previous = read_previous(path)
    rows, notes = prepare(previous)
    merged = merge(findings_sheet(result, audit_date), rows, audit_date,
                   rules_run={c.id for c in result.rules}, suppliers_run=set(result.suppliers.get_column("supplier_id").to_list()))
    result.extra["workbook_findings"] = merged
    result.extra["previous_path"] = previous.path
    if notes.height:
        result.loaded.data_quality = pl.concat([result.loaded.data_quality, notes], how="vertical")
    return change_counts(merged)


def change_counts(merged: pl.DataFrame) -> dict[str, int]:
    """How many findings were carried forward, new, reopened, changed or no longer detected."""
    change = pl.col("change").fill_null("")
    counts = merged.select(
        (~change.str.starts_with("new") & ~change.str.starts_with("not ")).sum().alias("carried forward"),
        change.str.starts_with("new").sum().alias("new"),
        change.str.contains("reopened").sum().alias("reopened"),
        change.str.contains("evidence changed").sum().alias("evidence changed"),
        change.str.starts_with("not detected").sum().alias("no longer detected"),
        change.str.contains("not recognised").sum().alias("unknown status"),
    ).row(0, named=True)
    return {k: int(v) for k, v in counts.items()}


def describe(path: Path, counts: dict[str, int]) -> str:
    """One line for the terminal about what --previous carried forward."""
    return f"previous workbook {path}: " + ", ".join(f"{n} {what}" for what, n in counts.items())
