"""Configuration: `auditor.toml` or `[tool.auditor]` in pyproject.toml, AUDITOR_* variables, and the command line.

Precedence, highest first: command line > environment (AUDITOR_*) > configuration file > defaults.
A list given at a higher level replaces the lower one (it is not merged). The file is found by
walking up from the working directory; in each directory `auditor.toml` wins over a pyproject.toml
that has a [tool.auditor] table. `--config FILE` (or AUDITOR_CONFIG) names it; `--isolated` ignores
files and environment. Paths in the file (rules, mapping, baseline) are relative to the file's
directory; output paths are relative to the working directory. Keys are written kebab-case
(`fail-on`), snake_case is accepted too; an unknown key is an error naming file and key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditor.errors import ConfigError
from auditor.scoring import ScoringConfig

FailOn = Literal["critical", "high", "medium", "low", "never"]
CONFIG_FILE = "auditor.toml"
PYPROJECT = "pyproject.toml"
PATH_KEYS = ("rules", "mapping", "baseline")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class Settings(BaseModel):
    """Every configurable value, with its default (docs/configuration.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=_kebab, populate_by_name=True)

    rules: list[Path] | None = None  # rule pack directories or files; None = the bundled rules
    select: list[str] = []  # rule ids, prefixes or categories to run (empty = all)
    ignore: list[str] = []  # rule ids, prefixes or categories to skip
    fail_on: FailOn = "high"
    exit_zero: bool = False  # exit 0 even with failing findings (errors still exit 2)
    mapping: Path | None = None  # header mapping file (extra column aliases)
    output: list[str] = []  # FORMAT[:PATH] outputs, as -o
    baseline: Path | None = None
    sarif_max_results: int = Field(5000, ge=1)
    scoring: ScoringConfig = Field(default_factory=ScoringConfig)
    params: dict[str, dict[str, int | float]] = {}  # rule id → {parameter: value} overrides


KEYS = tuple(Settings.model_fields)
# Environment variables: name → key. Lists are comma-separated (rules: os.pathsep-separated).
ENV = {f"AUDITOR_{key.upper()}": key for key in KEYS if key not in ("scoring", "params")}
LIST_KEYS = {"select", "ignore", "output"}


@dataclass
class Resolved:
    """The effective settings, where each value came from, and the file read (if any)."""

    settings: Settings
    sources: dict[str, str]
    file: Path | None = None
    notes: list[str] = field(default_factory=list)


def _problem(error: ValidationError, where: str) -> ConfigError:
    lines = []
    for item in error.errors():
        key = ".".join(str(p) for p in item["loc"]) or "(table)"
        lines.append(f"{where}: {key}: {item['msg']}")
    return ConfigError("; ".join(lines))


def find_config_file(start: Path) -> Path | None:
    """The nearest auditor.toml, or pyproject.toml with [tool.auditor], from start upwards."""
    for directory in (start.resolve(), *start.resolve().parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and "auditor" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None


def _relative(path: Path, base: Path, cwd: Path) -> Path:
    """A path from the file, made relative to the working directory when it lies below it."""
    full = path if path.is_absolute() else base / path
    try:
        return full.resolve().relative_to(cwd.resolve())
    except ValueError:
        return full


def file_values(path: Path, cwd: Path) -> dict[str, Any]:
    """The keys set in a configuration file, validated, with paths resolved."""
    data = _read_toml(path)
    where = str(path)
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("auditor", {})
        where = f"{path} [tool.auditor]"
    try:
        settings = Settings.model_validate(data)
    except ValidationError as error:
        raise _problem(error, where) from None
    values = {key: getattr(settings, key) for key in settings.model_fields_set}
    base = path.parent
    for key in PATH_KEYS:
        if values.get(key) is None:
            continue
        values[key] = [_relative(p, base, cwd) for p in values[key]] if key == "rules" else _relative(values[key], base, cwd)
    return values


def env_values(env: Mapping[str, str]) -> dict[str, tuple[Any, str]]:
    """The keys set by AUDITOR_* variables: key → (value, variable name)."""
    raw: dict[str, Any] = {}
    names: dict[str, str] = {}
    for name, key in ENV.items():
        text = env.get(name)
        if text is None or text.strip() == "":
            continue
        if key in LIST_KEYS:
            raw[key] = [part.strip() for part in text.split(",") if part.strip()]
        elif key == "rules":
            raw[key] = [part for part in text.split(os.pathsep) if part]
        elif key == "exit_zero":
            lowered = text.strip().lower()
            if lowered not in ("1", "true", "yes", "0", "false", "no"):
                raise ConfigError(f"{name}={text}: use 1/true/yes or 0/false/no")
            raw[key] = lowered in ("1", "true", "yes")
        else:
            raw[key] = text.strip()
        names[key] = name
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as error:
        item = error.errors()[0]
        key = str(item["loc"][0]).replace("-", "_") if item["loc"] else ""
        raise ConfigError(f"{names.get(key, 'AUDITOR_*')}: {item['msg']}") from None
    return {key: (getattr(settings, key), names[key]) for key in raw}


def resolve(
    cli: Mapping[str, Any] | None = None,
    *,
    config_file: Path | None = None,
    isolated: bool = False,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Resolved:
    """Merge defaults, the configuration file, the environment and the command line (in rising precedence)."""
    env = os.environ if env is None else env
    cwd = cwd or Path.cwd()
    values: dict[str, Any] = {}
    sources = {key: "default" for key in KEYS}
    path: Path | None = None
    if not isolated:
        named = config_file or (Path(env["AUDITOR_CONFIG"]) if env.get("AUDITOR_CONFIG") else None)
        path = named if named is not None else find_config_file(cwd)
        if path is not None:
            label = f"{path.name} [tool.auditor]" if path.name == PYPROJECT else str(path.name)
            for key, value in file_values(path, cwd).items():
                values[key], sources[key] = value, label
        for key, (value, name) in env_values(env).items():
            values[key], sources[key] = value, f"environment {name}"
    for key, value in (cli or {}).items():
        if key in KEYS and value is not None:
            values[key], sources[key] = value, "command line"
    try:
        settings = Settings.model_validate(values)
    except ValidationError as error:
        raise _problem(error, "command line") from None
    return Resolved(settings=settings, sources=sources, file=path)


def describe(resolved: Resolved) -> str:
    """The effective settings, one `key = value  # source` line each (TOML-like), for `auditor config show`."""
    import json

    data = resolved.settings.model_dump(mode="json", by_alias=True)
    pairs = [(f"{_kebab(key)} = {json.dumps(data[_kebab(key)], ensure_ascii=False, sort_keys=True)}", resolved.sources[key]) for key in KEYS]
    width = max(len(text) for text, _ in pairs if len(text) <= 60)
    lines = [f"# configuration file: {resolved.file if resolved.file else 'none'}"]
    lines += [f"{text:<{width}}  # {source}" for text, source in pairs]
    return "\n".join(lines) + "\n"
