"""Mapping files (`--mapping FILE`): fit a supplier list that does not follow the data contract.

A mapping file is TOML (read with the standard library's safe `tomllib`; nothing in it is run)
and says, for one source format: which of its headers are which contract columns, which columns
to ignore, constant values for every row, how to derive a stable supplier_id when the list has
none, and how its free-text sectors map onto the sector vocabulary. docs/mapping.md documents it;
sample_suppliers/open-supply-hub.mapping.toml is a worked example.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from auditor import reference, schema
from auditor.cells import vocabulary_key
from auditor.errors import ConfigError

_WHITESPACE = re.compile(r"\s+")  # str patterns match NBSP, en spaces and ideographic spaces too


def _contract_column(name: str) -> str:
    names = {c.name for c in schema.SUPPLIER_COLUMNS}
    if name not in names:
        raise ValueError(f"{name!r} is not a contract column (see docs/mapping.md for the list)")
    return name


class SupplierIdRule(BaseModel):
    """Derive supplier_id as a hash of normalised source cells, for lists that have no key."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    derive: Literal["hash"] = "hash"
    from_: list[str] = Field(alias="from", min_length=1)  # source headers, as they appear in the file
    prefix: str = Field(default="H-", max_length=20)
    length: int = Field(default=12, ge=8, le=64)  # hex digits of the SHA-256 kept

    @field_validator("prefix")
    @classmethod
    def _plain_prefix(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_.\-]*", value):
            raise ValueError("prefix may hold only letters, digits, '_', '.' and '-'")
        return value


class SectorRule(BaseModel):
    """Free-text sector labels → sector ids of rules/reference/sectors.toml."""

    model_config = ConfigDict(extra="forbid")

    separator: str | None = Field(default=None, min_length=1, max_length=3)  # for multi-value cells like 'Apparel|Mining'
    map: dict[str, str] = {}

    @field_validator("map")
    @classmethod
    def _known_sectors(cls, value: dict[str, str]) -> dict[str, str]:
        known = reference.sectors()
        bad = sorted({v for v in value.values() if v not in known})
        if bad:
            raise ValueError(f"unknown sector id(s) {', '.join(bad)} (choose from {', '.join(sorted(known))})")
        return value


class Mapping(BaseModel):
    """One mapping file."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    description: str = ""
    columns: dict[str, str] = {}  # their header → contract column
    ignore: list[str] = []  # their headers that are known and deliberately unused
    constants: dict[str, str | int | float | bool] = {}  # contract column → value for every row
    supplier_id: SupplierIdRule | None = None
    sectors: SectorRule = SectorRule()
    _source: str = PrivateAttr(default="")  # the mapping file's path, set by load_mapping

    @property
    def source(self) -> str:
        """The mapping file this came from, for messages."""
        return self._source

    @field_validator("columns")
    @classmethod
    def _columns_known(cls, value: dict[str, str]) -> dict[str, str]:
        for target in value.values():
            _contract_column(target)
        return value

    @field_validator("constants")
    @classmethod
    def _constants_known(cls, value: dict[str, object]) -> dict[str, object]:
        for target in value:
            _contract_column(target)
        return value

    @model_validator(mode="after")
    def _no_conflicts(self) -> Mapping:
        mapped = set(self.columns.values())
        both = sorted(mapped & set(self.constants))
        if both:
            raise ValueError(f"column(s) {', '.join(both)} are both mapped from a header and given a constant")
        if self.supplier_id is not None and ("supplier_id" in mapped or "supplier_id" in self.constants):
            raise ValueError("supplier_id is derived, so it cannot also be mapped from a header or be a constant")
        return self

    def aliases(self) -> dict[str, str]:
        """Their header → contract column, for the loader's header index."""
        return dict(self.columns)

    def ignored(self) -> set[str]:
        """Normalised headers the user chose to ignore."""
        return {schema.normalise_header(h) for h in self.ignore} | {schema.normalise_header(h) for h in (self.supplier_id.from_ if self.supplier_id else [])}


def load_mapping(path: Path) -> Mapping:
    """Read and validate a mapping file; every problem ends as a ConfigError naming the file."""
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"{path}: is a directory, not a mapping file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such mapping file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: a mapping file must be UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in error.errors())
        raise ConfigError(f"{path}: invalid mapping file: {problems}") from None
    mapping._source = str(path)
    return mapping


def normalise_for_id(text: str | None) -> str:
    """Fold a cell for hashing: Unicode NFKC, case-folded, whitespace runs (NBSP, en space…) as one space."""
    if text is None:
        return ""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def hash_id(parts: list[str | None], prefix: str, length: int) -> str:
    """A stable supplier_id from normalised parts (SHA-256, so it survives Python and polars upgrades)."""
    payload = "\x1f".join(normalise_for_id(p) for p in parts).encode("utf-8")
    return prefix + hashlib.sha256(payload).hexdigest()[:length]


def _country_key(text: str | None) -> str | None:
    """Country cells hash by ISO code when known, so 'CHINA', 'China' and 'CN' give one id."""
    if text is None:
        return None
    code = reference.country_lookup().get(vocabulary_key(normalise_for_id(text)))
    return code or text


def extend_grid(
    mapping: Mapping, grid: pl.DataFrame, headers: list[str | None], header_index: int, index: dict[str, str],
) -> tuple[pl.DataFrame, list[str | None], dict[str, int], list[str]]:
    """Append derived supplier_id and constant columns to a sheet's text grid.

    Columns the sheet already has are not added (the sheet's own values win). Returns the grid, its
    headers, for each added column the grid position it borrows its cell letter from, and the
    problems (missing source headers) that stop the run.
    """
    new_columns: list[pl.Series] = []
    new_headers: list[str] = []
    borrowed: dict[str, int] = {}
    problems: list[str] = []
    by_header = {schema.normalise_header(h): i for i, h in enumerate(headers) if h is not None and str(h).strip()}
    in_file = {index[key] for key in by_header if key in index}  # contract columns the sheet itself has: they win
    height = grid.height
    is_body = [i > header_index for i in range(height)]
    if mapping.supplier_id is not None and "supplier_id" not in in_file:
        rule = mapping.supplier_id
        missing = [h for h in rule.from_ if schema.normalise_header(h) not in by_header]
        if missing:
            problems.append(f"supplier_id is derived from {', '.join(rule.from_)}, but header(s) {', '.join(missing)} not found")
        else:
            positions = [by_header[schema.normalise_header(h)] for h in rule.from_]
            columns = []
            for position in positions:
                values = grid.get_column(grid.columns[position]).to_list()
                if index.get(schema.normalise_header(headers[position])) == "country":
                    values = [_country_key(v) for v in values]
                columns.append(values)
            ids = [
                hash_id(list(parts), rule.prefix, rule.length) if body and any(p is not None and p.strip() for p in parts) else None
                for body, parts in zip(is_body, zip(*columns))
            ]
            new_columns.append(pl.Series("__mapping_supplier_id", ids, dtype=pl.String))
            new_headers.append("supplier_id")
            borrowed["supplier_id"] = positions[0]
    for name, value in mapping.constants.items():
        if name in in_file:
            continue
        text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        new_columns.append(pl.Series(f"__mapping_{name}", [text if body else None for body in is_body], dtype=pl.String))
        new_headers.append(name)
        borrowed[name] = 0
    if not new_columns:
        return grid, headers, borrowed, problems
    return grid.hstack(new_columns), [*headers, *new_headers], borrowed, problems


def map_sectors(mapping: Mapping, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Replace free-text sector cells with sector ids where the mapping or the vocabulary knows them.

    Cells it cannot map keep their text, so the loader reports them as unknown sectors, with row and
    cell. Multi-value cells use the first part that maps; the returned frame lists those rows.
    """
    empty = pl.DataFrame(schema={"_row": pl.Int64, "value": pl.String, "used": pl.String, "unmapped": pl.String})
    if "sector" not in frame.columns:
        return frame, empty
    lookup = {**reference.sector_lookup(), **{vocabulary_key(k): v for k, v in mapping.sectors.map.items()}}
    separator = mapping.sectors.separator
    distinct = [v for v in frame.get_column("sector").unique().to_list() if v is not None]
    mapped: dict[str, str] = {}
    multi: dict[str, tuple[str, str]] = {}
    for value in distinct:  # one pass over distinct labels, not rows
        parts = [p for p in (value.split(separator) if separator else [value]) if p.strip()]
        ids = [lookup.get(vocabulary_key(normalise_for_id(p))) for p in parts]
        known = [i for i in ids if i is not None]
        if not known:
            continue
        mapped[value] = known[0]
        if len(parts) > 1:
            unmapped = ", ".join(p.strip() for p, i in zip(parts, ids) if i is None)
            multi[value] = (known[0], unmapped)
    out = frame.with_columns(pl.col("sector").replace(mapped))
    if not multi:
        return out, empty
    notes = frame.filter(pl.col("sector").is_in(list(multi))).select(
        "_row", pl.col("sector").alias("value"),
        pl.col("sector").replace_strict({k: v[0] for k, v in multi.items()}, return_dtype=pl.String).alias("used"),
        pl.col("sector").replace_strict({k: v[1] for k, v in multi.items()}, return_dtype=pl.String).alias("unmapped"),
    )
    return out, notes
