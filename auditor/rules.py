"""Rule packs: the TOML format, loading with every error reported at once, and compilation.

A rule is data, never code: its `when` is a SQL boolean over the data contract's columns, screened
(sqlguard.py) and compiled once with polars.sql_expr, then checked against an empty frame of the
contract's schema so that type errors and aggregates surface before any supplier data is read.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from auditor import schema, sqlguard
from auditor.errors import RulesError

Kind = Literal["indicator", "control", "exposure", "evidence"]
Severity = Literal["critical", "high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low")
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}

CATEGORIES = {
    "RF": "recruitment_fees", "RI": "recruiters", "CT": "contracts", "IN": "informal_economy",
    "SR": "sector_product", "FA": "freedom_of_association", "MW": "migrant_workers", "VU": "vulnerability",
    "CL": "child_labour", "DOC": "identity_documents", "WG": "wages_debt", "HR": "working_hours",
    "LC": "living_conditions", "SC": "subcontracting", "CO": "corruption", "AU": "audit_quality",
    "GOV": "governance", "PP": "purchasing_practices", "RM": "remediation_grievance", "GEO": "country_context",
    "DQ": "data_quality",
}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
ExampleValue = str | int | float | bool


class Citation(BaseModel):
    """Where a rule comes from: a paragraph of the report with a verbatim quote, or another source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1)  # "vienna-forum-2008" or the id of another named source
    paragraph: str | None = None  # "199", "152(b)", "Annex II"
    quote: str = Field(min_length=1)
    title: str | None = None
    url: str | None = None
    edition: str | None = None


class Example(BaseModel):
    """A supplier row (contract column → cell value) and whether the rule fires on it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fires: bool
    row: dict[str, ExampleValue]
    note: str | None = None


class Rule(BaseModel):
    """One rule, as written in a pack (DESIGN.md §4)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z]{2,4}-\d{3}$")
    title: str = Field(min_length=1)
    kind: Kind
    severity: Severity
    ilo_indicators: list[str] = []
    description: str = ""  # why the rule exists; states which thresholds are policy choices
    when: str = Field(min_length=1)
    params: dict[str, int | float] = {}  # policy thresholds, written {name} in `when`; overridable
    message: str = Field(min_length=1)
    remediation: str = Field(min_length=1)
    due_days: int = Field(ge=0, le=3650)
    ask_for: str = ""  # what to request from the supplier when the rule cannot be evaluated
    cite: list[Citation] = Field(min_length=1)
    examples: list[Example] = Field(min_length=2)
    tags: list[str] = []

    @field_validator("examples")
    @classmethod
    def _both_outcomes(cls, examples: list[Example]) -> list[Example]:
        if not any(e.fires for e in examples) or all(e.fires for e in examples):
            raise ValueError("needs at least one example that fires and one that does not")
        return examples

    @property
    def prefix(self) -> str:
        """The id's letters, e.g. 'RF'."""
        return self.id.split("-")[0]

    @property
    def category(self) -> str:
        """The category the prefix names, e.g. 'recruitment_fees'."""
        return CATEGORIES.get(self.prefix, self.prefix.lower())

    def condition(self, overrides: dict[str, int | float] | None = None) -> str:
        """`when` with its policy parameters filled in (numbers only, so nothing can be injected)."""
        values = {**self.params, **(overrides or {})}
        return _PLACEHOLDER.sub(lambda m: repr(values[m.group(1)]) if m.group(1) in values else m.group(0), self.when)


class RulePack(BaseModel):
    """A TOML file of rules on one topic."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = "1"
    topic: str = ""
    rule: list[Rule] = Field(min_length=1)


@dataclass(frozen=True)
class CompiledRule:
    """A validated rule with its polars expression and the columns it reads."""

    rule: Rule
    file: str
    pack_version: str
    expr: pl.Expr
    columns: tuple[str, ...]
    message_parts: tuple[tuple[str, bool], ...]  # (text, is_column) pieces of the message

    @property
    def id(self) -> str:
        """The rule id."""
        return self.rule.id


def _message_parts(message: str) -> tuple[tuple[str, bool], ...]:
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(message):
        if match.start() > position:
            parts.append((message[position:match.start()], False))
        parts.append((match.group(1), True))
        position = match.end()
    if position < len(message):
        parts.append((message[position:], False))
    return tuple(parts)


def compile_condition(sql: str, columns: Sequence[str] | None = None) -> pl.Expr:
    """Screen and compile one condition; raise ValueError listing every problem found."""
    schema_ = schema.polars_schema()
    problems = sqlguard.screen(sql, schema_.names() if columns is None else columns)
    if problems:
        raise ValueError("; ".join(problems))
    try:
        expr = pl.sql_expr(sql)
        probe = pl.LazyFrame(schema=schema_).select(expr.alias("hit")).collect()
    except Exception as error:  # polars raises several exception types for bad SQL
        raise ValueError(f"does not compile: {str(error).splitlines()[0]}") from None
    if probe.schema["hit"] != pl.Boolean:
        raise ValueError(f"must be a true/false condition, but gives {probe.schema['hit']}")
    if probe.height != 0:
        raise ValueError("must be evaluated row by row (aggregates such as MAX() are not allowed)")
    return expr


def _compile(rule: Rule, file: str, pack_version: str, overrides: dict[str, int | float] | None) -> CompiledRule:
    known = set(schema.polars_schema().names())
    unknown_params = set(_PLACEHOLDER.findall(rule.when)) - set(rule.params)
    if unknown_params:
        raise ValueError(f"when: parameter(s) {', '.join(sorted(unknown_params))} have no value in params")
    try:
        expr = compile_condition(rule.condition(overrides))
    except ValueError as error:
        raise ValueError(f"when: {error}") from None
    bad = [name for name in _PLACEHOLDER.findall(rule.message) if name not in known]
    if bad:
        raise ValueError(f"message: unknown column(s) {', '.join(bad)} in placeholders")
    for i, example in enumerate(rule.examples, 1):
        extra = [k for k in example.row if k not in known]
        if extra:
            raise ValueError(f"examples[{i}]: unknown column(s) {', '.join(extra)}")
    columns = tuple(dict.fromkeys(expr.meta.root_names()))
    return CompiledRule(rule, file, pack_version, expr, columns, _message_parts(rule.message))


def _format_validation(error: ValidationError, data: dict[str, Any]) -> list[str]:
    problems = []
    for item in error.errors():
        loc = item["loc"]
        where = ""
        if len(loc) >= 2 and loc[0] == "rule" and isinstance(loc[1], int):
            rules = data.get("rule", [])
            rid = rules[loc[1]].get("id", f"rule #{loc[1] + 1}") if loc[1] < len(rules) and isinstance(rules[loc[1]], dict) else f"rule #{loc[1] + 1}"
            where = f"{rid}: "
            loc = loc[2:]
        field = ".".join(str(p) for p in loc) or "(pack)"
        problems.append(f"{where}{field}: {item['msg']}")
    return problems


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when it is below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def pack_files(directories: Iterable[Path]) -> list[Path]:
    """Every rule pack (*.toml) in the given directories, reference data excluded, in stable order."""
    files: list[Path] = []
    for directory in directories:
        directory = Path(directory)
        if directory.is_file():
            files.append(directory)
            continue
        if not directory.is_dir():
            raise RulesError([f"{directory}: no such rules directory"])
        files += sorted(p for p in directory.glob("*.toml") if p.is_file())
    return files


def load_rules(directories: Iterable[Path], params: dict[str, dict[str, int | float]] | None = None) -> list[CompiledRule]:
    """Load, validate and compile every pack; raise RulesError listing all problems in all files."""
    problems: list[str] = []
    compiled: list[CompiledRule] = []
    seen: dict[str, str] = {}
    params = params or {}
    for path in pack_files(directories):
        shown = display_path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            problems.append(f"{shown}: not valid TOML ({error})")
            continue
        try:
            pack = RulePack.model_validate(data)
        except ValidationError as error:
            problems += [f"{shown}: {p}" for p in _format_validation(error, data)]
            continue
        for rule in pack.rule:
            if rule.id in seen:
                problems.append(f"{shown}: {rule.id}: duplicate id (also in {seen[rule.id]})")
                continue
            seen[rule.id] = shown
            try:
                compiled.append(_compile(rule, shown, pack.version, params.get(rule.id)))
            except ValueError as error:
                problems.append(f"{shown}: {rule.id}: {error}")
    unknown = sorted(set(params) - set(seen))
    problems += [f"configuration: params for unknown rule {rid}" for rid in unknown]
    if problems:
        raise RulesError(problems)
    if not compiled:
        raise RulesError(["no rules found in " + ", ".join(str(d) for d in directories)])
    return sorted(compiled, key=lambda c: c.id)


def matches(rule: Rule, selector: str) -> bool:
    """True when a selector (an id, an id prefix such as 'RF' or 'RF-0', or a category) names the rule."""
    s = selector.strip()
    return rule.id == s.upper() or rule.id.startswith(s.upper()) or rule.category == s.lower() or rule.kind == s.lower()


def select_rules(rules: Sequence[CompiledRule], select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[CompiledRule]:
    """Rules named by `select` (all when empty) minus those named by `ignore`, ruff-style."""
    for selector in (*select, *ignore):
        if not any(matches(c.rule, selector) for c in rules):
            raise RulesError([f"selector {selector!r} matches no rule id, prefix, category or kind"])
    chosen = [c for c in rules if not select or any(matches(c.rule, s) for s in select)]
    return [c for c in chosen if not any(matches(c.rule, s) for s in ignore)]
