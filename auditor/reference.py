"""Reference data shipped under rules/reference/: countries, sectors, the ILAB goods list."""

from __future__ import annotations

import csv
import tomllib
from functools import cache
from pathlib import Path

from auditor.cells import vocabulary_key


def bundled_rules_dir() -> Path:
    """The rules directory shipped with auditor (in the wheel, or at the top of a source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("auditor's bundled rules directory is missing from this installation")


def reference_dir() -> Path:
    """Where the reference tables live."""
    return bundled_rules_dir() / "reference"


def _read_csv(name: str) -> list[dict[str, str]]:
    with (reference_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def country_lookup() -> dict[str, str]:
    """Normalised country code or name → ISO 3166 alpha-2."""
    lookup: dict[str, str] = {}
    for row in _read_csv("countries.csv"):
        code = row["alpha2"]
        names = [code, row["alpha3"], row["name"], *filter(None, row["other_names"].split("|"))]
        for name in names:
            lookup.setdefault(vocabulary_key(name), code)
    for row in _read_csv("country_aliases.csv"):
        lookup[vocabulary_key(row["alias"])] = row["alpha2"]
    return lookup


@cache
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 → English short name."""
    return {row["alpha2"]: row["name"] for row in _read_csv("countries.csv")}


@cache
def sectors() -> dict[str, dict]:
    """Sector id → its entry in sectors.toml (label, risk, aliases, reasons, cite)."""
    with (reference_dir() / "sectors.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return {entry["id"]: entry for entry in data["sector"]}


@cache
def sector_lookup() -> dict[str, str]:
    """Normalised sector label or alias → sector id."""
    lookup: dict[str, str] = {}
    for sector_id, entry in sectors().items():
        for label in (sector_id, entry["label"], *entry.get("aliases", [])):
            lookup.setdefault(vocabulary_key(label), sector_id)
    return lookup
