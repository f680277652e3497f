"""The audit pipeline: load → evaluate → score, as one function the CLI and tests call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from auditor import __version__, engine, load, rules, scoring
from auditor.mapping import Mapping
from auditor.reference import bundled_rules_dir


@dataclass
class AuditResult:
    """Everything one run produced, ready for the renderers."""

    loaded: load.Loaded
    rules: list[rules.CompiledRule]
    evaluation: engine.Evaluation
    suppliers: pl.DataFrame  # scored and ranked
    fail_on: str = "high"
    tool_version: str = __version__
    extra: dict = field(default_factory=dict)

    @property
    def findings(self) -> pl.DataFrame:
        """The findings frame."""
        return self.evaluation.findings

    def failing(self) -> pl.Expr:
        """True for a finding at or above the --fail-on severity that no baseline suppressed."""
        if self.fail_on == "never":
            return pl.lit(False)
        limit = rules.SEVERITY_ORDER[self.fail_on]
        failing = pl.col("severity").is_in([s for s, i in rules.SEVERITY_ORDER.items() if i <= limit])
        suppressed = self.extra.get("suppressed")  # fingerprint → suppression (auditor.baseline.apply)
        return failing & ~pl.col("fingerprint").is_in(pl.Series(list(suppressed), dtype=pl.String).implode()) if suppressed else failing

    def findings_count(self) -> int:
        """How many findings the rules raised (counted without building them)."""
        return int(self.fired_per_rule().get_column("fired").sum())

    def not_evaluable_count(self) -> int:
        """How many supplier × rule pairs could not be evaluated (counted by the engine, without building them)."""
        if self.evaluation.evaluated is None:  # built by hand: its frame is all there is
            return self.evaluation.not_evaluable.height
        return int(self.evaluation.rule_counts.get_column("not_evaluable").sum())

    def failing_count(self) -> int:
        """How many findings fail the run (see failing)."""
        if self.fail_on == "never":
            return 0
        if self.extra.get("suppressed"):  # suppression is by fingerprint: count the findings themselves
            return int(self.findings.select(self.failing().sum()).item())
        return int(self.fired_per_rule().select(pl.col("fired").filter(self.failing()).sum()).item())

    def failing_findings(self) -> pl.DataFrame:
        """Findings at or above the --fail-on severity, less those a baseline suppressed (builds every finding)."""
        return self.findings.filter(self.failing())

    def fired_per_rule(self) -> pl.DataFrame:
        """Findings per rule: rule_id, severity, category, fired; counted by the engine when it kept its outcome
        matrix (so a summary never builds millions of findings), else from the findings."""
        if self.evaluation.evaluated is None:  # built by hand: its findings are all there is
            return self.findings.group_by("rule_id", "severity", "category").agg(pl.len().cast(pl.Int64).alias("fired"))
        meta = pl.DataFrame({"rule_id": [c.id for c in self.rules], "severity": [c.rule.severity for c in self.rules],
                             "category": [c.rule.category for c in self.rules]}, schema=dict.fromkeys(("rule_id", "severity", "category"), pl.String))
        return self.evaluation.rule_counts.select("rule_id", pl.col("fired").cast(pl.Int64)).join(meta, on="rule_id").filter(pl.col("fired") > 0)

    def summary(self) -> dict:
        """Counts for the terminal and the JSON summary."""
        tiers = self.suppliers.get_column("tier").value_counts()
        by_tier = {t: 0 for t in scoring.TIERS} | dict(zip(tiers.get_column("tier").to_list(), tiers.get_column("count").to_list()))
        fired = self.fired_per_rule()
        severities = fired.group_by("severity").agg(pl.col("fired").sum())
        by_severity = {s: 0 for s in rules.SEVERITIES} | dict(zip(severities.get_column("severity").to_list(), severities.get_column("fired").to_list()))
        categories = fired.group_by("category").agg(pl.col("fired").sum()).sort("category")
        return {
            "rows_read": self.loaded.rows_read,
            "rows_assessed": self.suppliers.height,
            "rows_rejected": self.loaded.rows_rejected,
            "files": self.loaded.files,
            "suppliers_by_tier": by_tier,
            "findings": self.findings_count(),
            "findings_by_severity": by_severity,
            "findings_by_category": dict(zip(categories.get_column("category").to_list(), categories.get_column("fired").to_list())),
            "not_evaluable": self.not_evaluable_count(),
            "data_quality": self.loaded.data_quality.height,
            "rules": len(self.rules),
            "fail_on": self.fail_on,
            "failing_findings": self.failing_count(),
            "suppressed": len(self.extra.get("suppressed", {})),
        }


# Inputs larger than this (bytes, all files) are evaluated on polars' streaming engine by default.
STREAMING_ABOVE_BYTES = 1 << 30


def default_rules_dirs() -> list[Path]:
    """The bundled rule packs."""
    return [bundled_rules_dir()]


def run_audit(
    paths: Sequence[Path],
    *,
    rules_dirs: Sequence[Path] | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    fail_on: str = "high",
    header_row: int | None = None,
    aliases: dict[str, str] | None = None,
    mapping: Mapping | None = None,
    scoring_config: scoring.ScoringConfig | None = None,
    params: dict[str, dict[str, int | float]] | None = None,
    progress: Callable[[str], AbstractContextManager[None]] | None = None,
    streaming: bool | None = None,
) -> AuditResult:
    """Audit supplier files against rule packs and return the ranked result.

    `progress(label)` wraps each long step (see auditor.progress). `streaming` runs the evaluation
    on polars' streaming engine; None decides by input size (STREAMING_ABOVE_BYTES).
    """
    step = progress or (lambda label: nullcontext())
    paths = [Path(p) for p in paths]
    if streaming is None:
        streaming = sum(p.stat().st_size for p in paths if p.is_file()) > STREAMING_ABOVE_BYTES
    # The rules are loaded and compiled (Python, holding the GIL) on a second thread while the files are read (the
    # readers release the GIL): the rule library costs nothing on top of the read.
    with ThreadPoolExecutor(max_workers=1) as side:
        pending = side.submit(lambda: rules.select_rules(rules.load_rules(rules_dirs or default_rules_dirs(), params), select, ignore))
        # polars' default engine runs many lazy plans on its streaming engine, which costs 10–25 % more CPU here (and
        # 4× on the findings sort); frames that fit in memory are faster in memory (docs/benchmarks-notes.md). Only the
        # rule pass itself runs on the streaming engine when asked: scoring and findings work on compact frames.
        with pl.Config(engine_affinity="in-memory"):
            return _run(paths, pending, step, fail_on=fail_on, header_row=header_row, aliases=aliases, mapping=mapping,
                        scoring_config=scoring_config, streaming=streaming)


def _run(paths: list[Path], pending: Future[list[rules.CompiledRule]], step: Callable[[str], AbstractContextManager[None]], *,
         fail_on: str, header_row: int | None, aliases: dict[str, str] | None, mapping: Mapping | None,
         scoring_config: scoring.ScoringConfig | None, streaming: bool) -> AuditResult:
    """load → evaluate → score, each step wrapped by `step` (a progress display); `pending` gives the rules."""
    with step(f"Reading {len(paths)} file(s)"):
        try:
            loaded = load.load(paths, header_row=header_row, aliases=aliases, mapping=mapping)
        except BaseException:
            pending.result()  # a broken rule is reported first, as when the rules were loaded before reading
            raise
    compiled = pending.result()
    with step(f"Evaluating {len(compiled)} rules over {loaded.suppliers.height:,} suppliers"):
        evaluation = engine.evaluate(loaded.suppliers, compiled, loaded.letters, streaming=streaming)
    with step("Scoring and ranking"):
        scored = scoring.model(loaded.suppliers, evaluation, compiled, scoring_config, recruiters=loaded.recruiters, letters=loaded.letters)
    if not scored.data_quality.is_empty():  # broken tier links (dangling parents, cycles)
        loaded.data_quality = pl.concat([loaded.data_quality, scored.data_quality], how="vertical").sort(
            ["file", "sheet", "row", "column"], nulls_last=True, maintain_order=True
        )
    return AuditResult(loaded=loaded, rules=compiled, evaluation=evaluation, suppliers=scored.suppliers, fail_on=fail_on,
                       extra={"scoring": scored})
