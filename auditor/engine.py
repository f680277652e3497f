"""Evaluate compiled rules over the supplier frame in one lazy pass.

SQL three-valued logic decides: TRUE raises a finding, FALSE is silent, NULL (an input is unknown)
makes the rule not evaluable for that supplier, listed with the missing columns, never a pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import polars as pl

from auditor import schema
from auditor.load import FILE, ROW, SHEET
from auditor.rules import SEVERITY_ORDER, CompiledRule

FINDING_COLUMNS = ("fingerprint", "supplier_id", "supplier_name", "rule_id", "severity", "kind", "category", "title",
                   "message", "evidence", "evidence_hash", "file", "sheet", "row", "column", "cell")


class Evaluation:
    """What the rules said: findings, the rules that could not be evaluated, and per-rule counts.

    The engine keeps its rule outcomes as a matrix (`hits`) over the evaluated supplier frame and builds the
    findings and not-evaluable frames from it only when a report asks: whole (`findings`, `not_evaluable`), for a
    few suppliers (`findings_of`), or in risk order a batch at a time (`Evaluated.risk_ordered`), so a million-row
    audit never holds its tens of millions of findings at once. An evaluation built by hand (tests, tools) passes
    its frames in and has no matrix.
    """

    def __init__(self, findings: pl.DataFrame | None = None, not_evaluable: pl.DataFrame | None = None,
                 rule_counts: pl.DataFrame | None = None, *, evaluated: Evaluated | None = None) -> None:
        if evaluated is None and (findings is None or not_evaluable is None):
            raise ValueError("an Evaluation needs its findings and not-evaluable frames, or the evaluated frame to build them from")
        self._findings = findings
        self._not_evaluable = not_evaluable
        self.rule_counts = rule_counts if rule_counts is not None else pl.DataFrame()  # rule_id, fired, silent, not_evaluable
        self.evaluated = evaluated

    @property
    def findings(self) -> pl.DataFrame:
        """Every finding (FINDING_COLUMNS), in no particular order (reports sort; see in_supplier_order)."""
        if self._findings is None:
            assert self.evaluated is not None
            self._findings = self.evaluated.findings().select(FINDING_COLUMNS)
        return self._findings

    @property
    def not_evaluable(self) -> pl.DataFrame:
        """Every supplier × rule that could not be evaluated, by supplier_id, then rule_id."""
        if self._not_evaluable is None:
            assert self.evaluated is not None
            self._not_evaluable = self.evaluated.not_evaluable()
        return self._not_evaluable

    @property
    def hits(self) -> pl.DataFrame | None:
        """Every outcome as a matrix: a Boolean column per rule id (TRUE finding, FALSE silent, NULL not evaluable), one
        row per row of the evaluated frame (auditor.hits); None for an evaluation built by hand."""
        return self.evaluated.hits if self.evaluated is not None else None

    def findings_of(self, supplier_ids: Sequence[str]) -> pl.DataFrame:
        """The findings of a few suppliers, without building everyone's."""
        if self._findings is not None or self.evaluated is None:
            return self.findings.filter(pl.col("supplier_id").is_in(list(supplier_ids)))
        return self.evaluated.findings(self.evaluated.rows_of(supplier_ids)).select(FINDING_COLUMNS)

    def not_evaluable_suppliers(self) -> pl.Series:
        """The supplier ids with at least one rule not evaluable, in input order (read off the outcome matrix: no entry
        is built)."""
        if self._not_evaluable is not None or self.evaluated is None:
            return self.not_evaluable.get_column("supplier_id").unique(maintain_order=True)
        frame = self.evaluated.frame
        unknown = pl.any_horizontal(pl.col(HIT + c.id).is_null() for c in self.evaluated.rules) if self.evaluated.rules else pl.lit(False)
        return frame.filter(unknown).get_column("supplier_id")

    def not_evaluable_of(self, supplier_ids: Sequence[str]) -> pl.DataFrame:
        """The not-evaluable entries of a few suppliers."""
        if self._not_evaluable is not None or self.evaluated is None:
            return self.not_evaluable.filter(pl.col("supplier_id").is_in(list(supplier_ids)))
        return self.evaluated.not_evaluable(self.evaluated.rows_of(supplier_ids))


def _display(name: str) -> pl.Expr:
    """A column's value as a person would write it in a message: 45%, 450, yes, 2024-05-01, unknown."""
    kind = schema.spec(name).type
    col = pl.col(name)
    if kind == "fraction":
        text = (col * 100).round(1).cast(pl.String).str.replace(r"\.0$", "") + pl.lit("%")
    elif kind == "number":
        text = pl.when(col == col.round(0)).then(col.round(0).cast(pl.Int64).cast(pl.String)).otherwise(col.round(2).cast(pl.String))
    elif kind == "bool":
        text = pl.when(col).then(pl.lit("yes")).otherwise(pl.lit("no"))
    else:
        text = col.cast(pl.String)
    return text.fill_null("unknown")


def message_expr(compiled: CompiledRule) -> pl.Expr:
    """The rule's message with {column} placeholders filled from the supplier's values."""
    pieces = [_display(text) if is_column else pl.lit(text) for text, is_column in compiled.message_parts]
    return pl.concat_str(pieces) if pieces else pl.lit("")


def evidence_expr(compiled: CompiledRule) -> pl.Expr:
    """The values the rule read, as a JSON object in column order (the finding's evidence)."""
    if not compiled.columns:
        return pl.lit("{}")
    return pl.struct([pl.col(c).cast(pl.String) if schema.spec(c).type == "date" else pl.col(c) for c in compiled.columns]).struct.json_encode()


def in_supplier_order(findings: pl.DataFrame) -> pl.DataFrame:
    """Findings by supplier_id, then rule_id: a total order, as the JSON report lists them."""
    return findings.sort(["supplier_id", "rule_id"])


def missing_expr(columns: Sequence[str]) -> pl.Expr:
    """The list of `columns` that are null, in their order (why a rule could not be evaluated)."""
    if not columns:
        return pl.lit([], dtype=pl.List(pl.String))
    if len(columns) > 8:  # 2**n lists below: past a few columns, build each row's list instead
        return pl.concat_list([pl.when(pl.col(c).is_null()).then(pl.lit(c)) for c in columns]).list.drop_nulls()
    # Which columns are null, as bits of one integer, looked up in a table of every combination: several times
    # faster than building a list per row from one element per column (millions of rows at scale).
    bits = pl.sum_horizontal([pl.col(c).is_null().cast(pl.UInt32) * (1 << i) for i, c in enumerate(columns)])
    table = {m: [c for i, c in enumerate(columns) if m >> i & 1] for m in range(1 << len(columns))}
    return bits.replace_strict(table, return_dtype=pl.List(pl.String))


def stable_hash(text: str, length: int = 16) -> str:
    """A short, stable hex digest (sha256) for fingerprints and evidence hashes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


HASH_BATCH = 200_000  # texts hashed per batch: Python strings for a few batches, never for millions at once


def _sha256_prefixes(texts: pl.Series) -> pl.Series:
    """The first 16 hex digits of each text's sha256 (stable_hash)."""
    return _sha256_prefix_bytes(texts).bin.encode("hex")


def _sha256_prefix_bytes(texts: pl.Series) -> pl.Series:
    """The first 8 bytes of each text's sha256 (stable_hash is their hex), a batch at a time: a million of them in
    16 MB, not 64 as hex text."""
    sha256 = hashlib.sha256  # inlined stable_hash: this loop runs once per distinct value
    parts = [
        pl.Series([sha256(t.encode("utf-8")).digest()[:8] for t in texts.slice(start, HASH_BATCH).to_list()], dtype=pl.Binary)
        for start in range(0, texts.len(), HASH_BATCH)
    ]
    return pl.concat(parts) if parts else pl.Series([], dtype=pl.Binary)


HIT = "__hit_"  # prefix of a rule's outcome column in the evaluated frame
FINDINGS_PER_BATCH = 50_000  # findings built per batch in risk order at scale: about 16 MB each (benchmarks-notes)
SMALL_INPUT_ROWS = 250_000  # up to this many supplier rows memory is no concern: fewer, larger batches are faster
FINDINGS_PER_BATCH_SMALL = 250_000  # findings per batch for such inputs (about 12 ms less per batch saved)


def findings_per_batch(rows: int) -> int:
    """How many findings risk_ordered builds at a time for an input of `rows` supplier rows."""
    return FINDINGS_PER_BATCH_SMALL if rows <= SMALL_INPUT_ROWS else FINDINGS_PER_BATCH


@dataclass
class Evaluated:
    """The supplier frame with every rule's outcome beside it: what findings and not-evaluable entries are built from."""

    frame: pl.DataFrame  # the supplier columns, __pos (row position), __order (place in supplier_id order), HIT+id per rule,
    # and __source (the row's place among `sources`) when the rows come from more than one file or sheet
    rules: tuple[CompiledRule, ...]
    letters: dict[str, tuple[str, ...]]  # column → its spreadsheet letter in each (file, sheet) source, by __source
    _supplier_hash: pl.Series | None = None  # sha256 prefix (bytes) of every row's supplier_id, once risk_ordered needs them all
    _columns: dict[str, list[pl.Expr]] = field(default_factory=dict)  # rule id → its finding columns (_finding_columns)

    @property
    def rule_order(self) -> dict[str, int]:
        """Each rule id's place in id order (the integer that stands for it in sort keys)."""
        return {rule_id: i for i, rule_id in enumerate(sorted(c.id for c in self.rules))}

    @property
    def hits(self) -> pl.DataFrame:
        """The outcome matrix: a column per rule id, one row per supplier row."""
        return self.frame.select(pl.col(HIT + c.id).alias(c.id) for c in self.rules)

    def rows_of(self, supplier_ids: Sequence[str]) -> pl.Series:
        """The row positions of these suppliers."""
        return self.frame.filter(pl.col("supplier_id").is_in(list(supplier_ids))).get_column("__pos")

    def _rows(self, rows: pl.Series | None, rules: Sequence[CompiledRule]) -> pl.LazyFrame:
        """The frame, or only `rows` of it with only the columns `rules` need."""
        if rows is None:
            return self.frame.lazy()
        read = {name for c in rules for name in (*c.columns, *(text for text, is_column in c.message_parts if is_column))}
        sources = ["__source"] if "__source" in self.frame.columns else []
        wanted = [FILE, SHEET, ROW, "supplier_id", "supplier_name", "__pos", "__order", *sources,
                  *sorted(read - {FILE, SHEET, ROW, "supplier_id", "supplier_name"}), *[HIT + c.id for c in rules]]
        return self.frame.select(wanted).gather(rows).lazy()  # (an eager gather: 1 ms less a batch than the expression)

    def findings(self, rows: pl.Series | None = None, rules: Sequence[CompiledRule] | None = None) -> pl.DataFrame:
        """The findings (FINDING_COLUMNS and __pos, __rule) of `rules` (default all) for `rows` (default all), in rule
        order, then row order."""
        rules = self.rules if rules is None else tuple(rules)
        lazy = self._rows(rows, rules)
        parts = [lazy.filter(pl.col(HIT + c.id)).select(self._finding_columns(c)) for c in rules]
        if not parts:
            return pl.DataFrame(schema={**{c: pl.String for c in FINDING_COLUMNS}, "row": pl.Int64, "__pos": pl.UInt32, "__rule": pl.UInt32})
        findings = pl.concat(parts, how="vertical").collect(engine="in-memory")  # a batch: small, and reports run outside run_audit
        return self._hashes(findings).select(*FINDING_COLUMNS, "__pos", "__rule")

    def _finding_columns(self, compiled: CompiledRule) -> list[pl.Expr]:
        """The expressions that make a rule's findings from the rows where it fired (built once per rule: a batch
        of findings at a time, building them again would cost seconds at 1M rows)."""
        if compiled.id not in self._columns:
            c = compiled
            self._columns[c.id] = [
                pl.col(FILE).alias("file"), pl.col(SHEET).alias("sheet"), pl.col(ROW).alias("row"), pl.col("supplier_id", "supplier_name", "__pos"),
                pl.lit(c.id).alias("rule_id"), pl.lit(self.rule_order[c.id], dtype=pl.UInt32).alias("__rule"),
                message_expr(c).alias("message"), evidence_expr(c).alias("evidence"),
                pl.lit(c.rule.severity, dtype=pl.String).alias("severity"), pl.lit(c.rule.kind, dtype=pl.String).alias("kind"),
                pl.lit(c.rule.category, dtype=pl.String).alias("category"), pl.lit(c.rule.title, dtype=pl.String).alias("title"),
                pl.lit(_primary(c), dtype=pl.String).alias("column"), self._cell(_primary(c)).alias("cell"),
            ]
        return self._columns[compiled.id]

    def _cell(self, column: str) -> pl.Expr:
        """The cell reference (letter and row number) of a column's value."""
        by_source = self.letters.get(column, ("A",))
        if len(set(by_source)) == 1:
            letter = pl.lit(by_source[0])
        else:
            letter = pl.col("__source").replace_strict(dict(enumerate(by_source)), return_dtype=pl.String)
        return letter + pl.col(ROW).cast(pl.String)

    def _hashes(self, findings: pl.DataFrame) -> pl.DataFrame:
        """Fingerprint and evidence hash columns."""
        # Stable across polars versions, unlike Expr.hash(): sha256 once per supplier row (every row's, when
        # risk_ordered has hashed them all) and once per distinct evidence text, looked up by position.
        positions = findings.get_column("__pos")
        if self._supplier_hash is not None:
            supplier_hash = self._supplier_hash.gather(positions).bin.encode("hex")
        else:
            rows = positions.unique()
            hashes = _sha256_prefixes(self.frame.get_column("supplier_id").gather(rows))
            supplier_hash = positions.replace_strict(rows, hashes, return_dtype=pl.String) if rows.len() else hashes
        evidence = findings.get_column("evidence").unique()
        return findings.with_columns(
            (pl.col("rule_id") + pl.lit(":") + supplier_hash).alias("fingerprint"),
            pl.col("evidence").replace_strict(evidence, _sha256_prefixes(evidence), return_dtype=pl.String).alias("evidence_hash"),
        )

    def not_evaluable(self, rows: pl.Series | None = None) -> pl.DataFrame:
        """The supplier × rule pairs that could not be evaluated, with the missing columns, by supplier_id then rule_id."""
        order = self.rule_order
        lazy = self._rows(rows, self.rules)
        parts = [
            lazy.filter(pl.col(HIT + c.id).is_null()).select(
                pl.col(FILE).alias("file"), pl.col(SHEET).alias("sheet"), pl.col(ROW).alias("row"), "supplier_id",
                pl.lit(c.id).alias("rule_id"), missing_expr(c.columns).alias("missing"),
                "__order", pl.lit(order[c.id], dtype=pl.UInt32).alias("__rule"),
            )
            for c in self.rules
        ]
        if not parts:
            return pl.DataFrame(schema={"file": pl.String, "sheet": pl.String, "row": pl.Int64, "supplier_id": pl.String,
                                        "rule_id": pl.String, "missing": pl.List(pl.String)})
        # By supplier_id, then rule_id, sorting on one integer (supplier place × rules + rule place).
        return pl.concat(parts, how="vertical").sort(pl.col("__order").cast(pl.UInt64) * max(len(order), 1) + pl.col("__rule")).drop(
            "__order", "__rule"
        ).collect(engine="in-memory")

    def _row_batches(self, counted: Sequence[pl.Expr], order: pl.Series, per_batch: int) -> Iterator[pl.Series]:
        """The positions of the rows where any of the `counted` Boolean expressions holds, in `order` (a value per
        row), a batch at a time: cut where the running count of true values passes each multiple of per_batch."""
        # One byte per rule and row where the sum fits: as UInt32, the terms summed at once are 150 MB at 1M rows.
        term = pl.UInt8 if len(counted) < 256 else pl.UInt32
        counts = self.frame.select("__pos", pl.sum_horizontal(e.cast(term) for e in counted).cast(pl.UInt32).alias("n")).with_columns(
            order.alias("_order")).filter(pl.col("n") > 0).sort("_order")
        batch = (counts.get_column("n").cum_sum() - counts.get_column("n")) // max(per_batch, 1)
        for _, rows in counts.with_columns(batch.alias("_batch")).group_by("_batch", maintain_order=True):
            yield rows.get_column("__pos")

    def supplier_ordered(self, what: str = "findings", per_batch: int | None = None) -> Iterator[pl.DataFrame]:
        """The findings (FINDING_COLUMNS) or, with what="not_evaluable", the not-evaluable entries, by supplier_id then
        rule_id as in_supplier_order sorts them, a batch of about `per_batch` (default findings_per_batch) at a time."""
        if what not in ("findings", "not_evaluable"):
            raise ValueError(f"supplier_ordered: {what!r} is neither 'findings' nor 'not_evaluable'")
        if not self.rules:
            return
        counted = [pl.col(HIT + c.id).fill_null(False) if what == "findings" else pl.col(HIT + c.id).is_null() for c in self.rules]
        rule_count = max(len(self.rules), 1)
        # (__order: each row's place in supplier_id order; the loader rejects repeated ids)
        for rows in self._row_batches(counted, self.frame.get_column("__order"), per_batch or findings_per_batch(self.frame.height)):
            if what == "not_evaluable":
                yield self.not_evaluable(rows)  # (sorted by supplier, then rule, within the rows)
                continue
            findings = self.findings(rows)
            place = self.frame.get_column("__order").gather(findings.get_column("__pos")).cast(pl.UInt64)
            yield findings.with_columns((place * rule_count + findings.get_column("__rule")).alias("_key")).sort("_key").select(FINDING_COLUMNS)

    def risk_ordered(self, rank: pl.Series, per_batch: int | None = None, severities: Sequence[str] | None = None) -> Iterator[pl.DataFrame]:
        """The findings in risk order (severity, then `rank`, then rule id), a batch of about `per_batch` at a time
        (default: findings_per_batch for the frame's rows).

        `rank` holds each row's rank (1 = highest risk), row for row with the frame; it is added to each finding
        under its name. Severity comes first, so each severity's findings are built for the rows in rank order, a
        slice of rows at a time, and sorted within the slice: never the whole findings frame at once. `severities`
        limits the batches to findings of those severities (default all).
        """
        per_batch = per_batch or findings_per_batch(self.frame.height)
        rank = rank.cast(pl.UInt64).fill_null((1 << 32) - 1)  # a row without a rank sorts last
        if self._supplier_hash is None:  # every supplier with a finding is hashed: all at once, not batch by batch
            self._supplier_hash = _sha256_prefix_bytes(self.frame.get_column("supplier_id"))
        for severity in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__):
            if severities is not None and severity not in severities:
                continue
            rules = [c for c in sorted(self.rules, key=lambda c: c.id) if c.rule.severity == severity]
            if not rules:
                continue
            for rows in self._row_batches([pl.col(HIT + c.id).fill_null(False) for c in rules], rank, per_batch):
                findings = self.findings(rows, rules)
                ranks = rank.gather(findings.get_column("__pos"))
                yield (
                    findings.with_columns(ranks.alias("_rank"))
                    .sort(pl.col("_rank") * (1 << 16) + pl.col("__rule"))
                    .select(*FINDING_COLUMNS, pl.col("_rank").cast(pl.Int64).alias(rank.name))
                )


def _primary(compiled: CompiledRule) -> str:
    """The column a finding points at: the first the rule reads (the supplier id for a rule that reads none)."""
    return compiled.columns[0] if compiled.columns else "supplier_id"


def evaluate(suppliers: pl.DataFrame, rules: Sequence[CompiledRule], letters: pl.DataFrame | None = None,
             streaming: bool = False) -> Evaluation:
    """Run every rule over every supplier: the outcome of each, and per-rule counts (findings are built on request).

    `streaming` runs the rule pass on polars' streaming engine, in batches of rows.
    """
    # The rule pass yields only the outcome columns (a Boolean each), set beside the supplier columns without
    # copying them: on either engine the pass holds no more than the matrix it makes.
    outcomes = suppliers.lazy().select(*[c.expr.alias(HIT + c.id) for c in rules]).collect(
        engine="streaming" if streaming else "in-memory"
    ) if rules else pl.DataFrame()
    frame = suppliers.with_row_index("__pos").hstack(outcomes).with_columns(pl.col("supplier_id").rank("ordinal").alias("__order"))
    # Each finding's cell is its column's letter in the row's file and sheet, then the row number. The letters are kept
    # per (file, sheet) source, not per row (a column of them per rule column would be 600 MB at 1M rows); rows from
    # more than one source carry their source's place.
    sources = frame.select(FILE, SHEET).unique(maintain_order=True)
    if sources.height > 1:
        place = frame.select(FILE, SHEET).join(sources.with_row_index("__source"), on=[FILE, SHEET], how="left", nulls_equal=True,
                                               maintain_order="left").get_column("__source")
        frame = frame.with_columns(place)  # (joined onto these two columns alone: a join over the frame copies all of it)
    by_source: dict[str, tuple[str, ...]] = {}
    if letters is not None and not letters.is_empty():
        wanted = letters.filter(pl.col("column").is_in(sorted({_primary(c) for c in rules})))
        for column, rows in wanted.partition_by("column", as_dict=True, maintain_order=True).items():
            found = {(f, s): letter for f, s, letter in rows.select("file", "sheet", "letter").iter_rows()}
            by_source[column[0]] = tuple(found.get((f, s), "A") or "A" for f, s in sources.iter_rows())
    counts = frame.select(
        pl.concat_list([pl.lit(c.id) for c in rules]).alias("rule_id"),
        pl.concat_list([pl.col(HIT + c.id).sum() for c in rules]).alias("fired"),
        pl.concat_list([(~pl.col(HIT + c.id)).sum() for c in rules]).alias("silent"),
        pl.concat_list([pl.col(HIT + c.id).is_null().sum() for c in rules]).alias("not_evaluable"),
    ).explode(["rule_id", "fired", "silent", "not_evaluable"]) if rules else pl.DataFrame(
        schema={"rule_id": pl.String, "fired": pl.UInt32, "silent": pl.UInt32, "not_evaluable": pl.UInt32})
    return Evaluation(rule_counts=counts.sort("rule_id"), evaluated=Evaluated(frame, tuple(rules), by_source))
