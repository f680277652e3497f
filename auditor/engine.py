"""Evaluate compiled rules over the supplier frame in one lazy pass.

SQL three-valued logic decides: TRUE raises a finding, FALSE is silent, NULL (an input is unknown)
makes the rule not evaluable for that supplier, listed with the missing columns, never a pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from auditor import schema
from auditor.load import FILE, ROW, SHEET
from auditor.rules import CompiledRule

KEY_SCHEMA = pl.Schema({"pos": pl.UInt32, "rule": pl.UInt32})
FINDING_COLUMNS = ("fingerprint", "supplier_id", "supplier_name", "rule_id", "severity", "kind", "category", "title",
                   "message", "evidence", "evidence_hash", "file", "sheet", "row", "column", "cell")


@dataclass
class Evaluation:
    """What the rules said: findings, the rules that could not be evaluated, and per-rule counts."""

    findings: pl.DataFrame  # FINDING_COLUMNS, in no particular order (reports sort; see in_supplier_order)
    not_evaluable: pl.DataFrame  # by supplier_id, then rule_id
    rule_counts: pl.DataFrame  # rule_id, fired, silent, not_evaluable
    # Integer twins of findings and not_evaluable, row for row (KEY_SCHEMA): the supplier's row position in the
    # evaluated frame and the rule's position in rule_ids, so scoring joins and groups millions of rows on integers.
    finding_keys: pl.DataFrame | None = None
    unknown_keys: pl.DataFrame | None = None
    rule_ids: tuple[str, ...] = ()
    # Every outcome as a matrix: a Boolean column per rule id (TRUE finding, FALSE silent, NULL not evaluable), one
    # row per row of the evaluated frame (auditor.hits).
    hits: pl.DataFrame | None = None


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
    """The first 16 hex digits of each text's sha256 (stable_hash), a batch at a time."""
    sha256 = hashlib.sha256  # inlined stable_hash: this loop runs once per distinct value
    parts = [
        pl.Series([sha256(t.encode("utf-8")).hexdigest()[:16] for t in texts.slice(start, HASH_BATCH).to_list()], dtype=pl.String)
        for start in range(0, texts.len(), HASH_BATCH)
    ]
    return pl.concat(parts) if parts else pl.Series([], dtype=pl.String)


def _hashes(findings: pl.DataFrame, supplier_ids: pl.Series) -> pl.DataFrame:
    """Fingerprint and evidence hash columns; `supplier_ids` is the evaluated frame's column, indexed by `__pos`."""
    # Stable across polars versions, unlike Expr.hash(); computed once per distinct value, looked up by integer position.
    positions = findings.get_column("__pos").unique()
    supplier_hash = _sha256_prefixes(supplier_ids.gather(positions))
    evidence = findings.get_column("evidence").unique()
    evidence_hash = _sha256_prefixes(evidence)
    by_position = pl.Series([None] * supplier_ids.len(), dtype=pl.String).scatter(positions, supplier_hash)  # gather beats a hash lookup
    return findings.with_columns(
        (pl.col("rule_id") + pl.lit(":") + by_position.gather(findings.get_column("__pos"))).alias("fingerprint"),
        pl.col("evidence").replace_strict(evidence, evidence_hash, return_dtype=pl.String).alias("evidence_hash"),
    )


def evaluate(suppliers: pl.DataFrame, rules: Sequence[CompiledRule], letters: pl.DataFrame | None = None,
             streaming: bool = False) -> Evaluation:
    """Run every rule over every supplier: findings, not-evaluable entries and per-rule counts.

    `streaming` runs the rule pass on polars' streaming engine (batches, for inputs that strain memory).
    """
    collect_engine = "streaming" if streaming else "auto"
    hit = {c.id: f"__hit_{c.id}" for c in rules}
    # __pos (row position) and __order (place in supplier_id order) let the findings be hashed and sorted on integers.
    evaluated = (
        suppliers.lazy().with_row_index("__pos")
        .with_columns(*[c.expr.alias(hit[c.id]) for c in rules], pl.col("supplier_id").rank("ordinal").alias("__order"))
        .collect(engine=collect_engine)
    )
    rule_order = {rule_id: i for i, rule_id in enumerate(sorted(c.id for c in rules))}
    keys = (pl.col(FILE).alias("file"), pl.col(SHEET).alias("sheet"), pl.col(ROW).alias("row"), "supplier_id", "supplier_name", "__pos")
    lazy = evaluated.lazy()
    # Rule metadata and cell letters go in per rule (literals, and a letter column per primary column joined once
    # onto the supplier frame), not joined onto millions of findings afterwards.
    primary = {c.id: c.columns[0] if c.columns else "supplier_id" for c in rules}
    if letters is not None and not letters.is_empty():
        wanted = letters.filter(pl.col("column").is_in(sorted(set(primary.values()))))
        wide = wanted.with_columns(("__letter_" + pl.col("column")).alias("column")).pivot(
            on="column", index=["file", "sheet"], values="letter", aggregate_function="first"
        ).rename({"file": FILE, "sheet": SHEET})
        lazy = lazy.join(wide.lazy(), on=[FILE, SHEET], how="left", nulls_equal=True, maintain_order="left")
        have = set(wide.columns)
    else:
        have = set()

    def cell(column: str) -> pl.Expr:
        letter = pl.col(f"__letter_{column}").fill_null("A") if f"__letter_{column}" in have else pl.lit("A")
        return letter + pl.col(ROW).cast(pl.String)

    finding_parts = [
        lazy.filter(pl.col(hit[c.id])).select(
            *keys, pl.lit(c.id).alias("rule_id"), pl.lit(rule_order[c.id], dtype=pl.UInt32).alias("__rule"),
            message_expr(c).alias("message"), evidence_expr(c).alias("evidence"),
            pl.lit(c.rule.severity, dtype=pl.String).alias("severity"), pl.lit(c.rule.kind, dtype=pl.String).alias("kind"),
            pl.lit(c.rule.category, dtype=pl.String).alias("category"), pl.lit(c.rule.title, dtype=pl.String).alias("title"),
            pl.lit(primary[c.id], dtype=pl.String).alias("column"), cell(primary[c.id]).alias("cell"),
        )
        for c in rules
    ]
    missing_parts = [
        lazy.filter(pl.col(hit[c.id]).is_null()).select(
            FILE, SHEET, ROW, "supplier_id", "__pos", pl.lit(c.id).alias("rule_id"),
            missing_expr(c.columns).alias("missing"),
            "__order", pl.lit(rule_order[c.id], dtype=pl.UInt32).alias("__rule"),
        )
        for c in rules
    ]
    counts = lazy.select(
        pl.concat_list([pl.lit(c.id) for c in rules]).alias("rule_id"),
        pl.concat_list([pl.col(hit[c.id]).sum() for c in rules]).alias("fired"),
        pl.concat_list([(~pl.col(hit[c.id])).sum() for c in rules]).alias("silent"),
        pl.concat_list([pl.col(hit[c.id]).is_null().sum() for c in rules]).alias("not_evaluable"),
    ).explode(["rule_id", "fired", "silent", "not_evaluable"])
    findings, not_evaluable, rule_counts = pl.collect_all(
        [pl.concat(finding_parts, how="vertical"), pl.concat(missing_parts, how="vertical"), counts], engine=collect_engine
    )
    # Left in rule order: every report sorts the findings its own way (by risk, or by supplier for the JSON report),
    # so one more sort of millions of rows here would be thrown away.
    finding_keys = findings.select(pl.col("__pos").alias("pos"), pl.col("__rule").alias("rule")).cast(dict(KEY_SCHEMA))
    findings = _hashes(findings, evaluated.get_column("supplier_id")).select(FINDING_COLUMNS)
    # By supplier_id, then rule_id, sorting on one integer (supplier place × rules + rule place).
    not_evaluable = not_evaluable.rename({FILE: "file", SHEET: "sheet", ROW: "row"}).sort(
        pl.col("__order").cast(pl.UInt64) * max(len(rule_order), 1) + pl.col("__rule")
    )
    unknown_keys = not_evaluable.select(pl.col("__pos").alias("pos"), pl.col("__rule").alias("rule")).cast(dict(KEY_SCHEMA))
    return Evaluation(findings=findings, not_evaluable=not_evaluable.drop("__pos", "__order", "__rule"), rule_counts=rule_counts.sort("rule_id"),
                      finding_keys=finding_keys, unknown_keys=unknown_keys, rule_ids=tuple(sorted(rule_order)),
                      hits=evaluated.select(pl.col(hit[c.id]).alias(c.id) for c in rules))
