"""Lenient cell parsing as polars expressions: text cells in, typed values and problems out.

Each parser returns a pair of expressions over one raw text column: the typed value, and the
problem (null when the cell parsed or is unknown). "Unknown" cells (blank, n/a, unknown, -) give
null values and no problem: unknown is never false or zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

UNKNOWN_TOKENS = ("", "n/a", "na", "n.a.", "n.a", "unknown", "not known", "-", "--", "–", "—", "?", "tbc", "tbd", "#n/a")

TRUE_TOKENS = ("yes", "y", "true", "t", "1", "1.0", "x", "oui", "si", "sí", "ja")
FALSE_TOKENS = ("no", "n", "false", "f", "0", "0.0", "non")
BOOL_MAP = {**{t: True for t in TRUE_TOKENS}, **{t: False for t in FALSE_TOKENS}}

_NUMBER_NOISE = r"[\s\u00a0\u202f$€£¥]|USD|usd"
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%Y%m%d")
# Excel serial day 0 is 1899-12-30 (the 1900 leap-year bug already folded in).
_EXCEL_EPOCH = pl.date(1899, 12, 30)

Parsed = tuple[pl.Expr, pl.Expr]


def clean(raw: pl.Expr) -> pl.Expr:
    """Trim a raw cell (non-breaking spaces too) and turn unknown tokens into null."""
    # strip_chars() strips Unicode White_Space (non-breaking spaces included), as the regex
    # ^[\s\u00a0\u202f]+|[\s\u00a0\u202f]+$ did (checked over every code point), at a third of the cost.
    text = raw.str.strip_chars()
    return pl.when(text.str.to_lowercase().is_in(UNKNOWN_TOKENS)).then(None).otherwise(text)


def _problem(value: pl.Expr, text: pl.Expr, message: str) -> pl.Expr:
    return pl.when(text.is_not_null() & value.is_null()).then(pl.lit(message)).otherwise(None)


def _staged(text: pl.Expr, *stages: dict[str, pl.Expr]) -> pl.Expr:
    """Compute a parser's intermediate values once each, stage by stage, as fields of one struct.

    polars evaluates a sub-expression at every place it is used (when/then shares no work), so a
    parser written as nested expressions re-ran its regexes dozens of times per cell (1.4 s per
    fraction column at 100k rows). Later stages read earlier ones with pl.field(name).
    """
    staged = pl.struct(text.alias("text"))
    for stage in stages:
        staged = staged.struct.with_fields(**stage)
    return staged


def _unseparated(stripped: pl.Expr) -> pl.Expr:
    """Resolve thousands separators and decimal commas in text already stripped of noise."""
    # A comma is a thousands separator only when followed by exactly three digits and no point.
    return (
        pl.when(stripped.str.contains(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$"))
        .then(stripped.str.replace_all(",", ""))
        .when(stripped.str.contains(r"^-?\d+,\d+$"))  # decimal comma: "12,5"
        .then(stripped.str.replace(",", "."))
        .otherwise(stripped)
    )


def _number_text(text: pl.Expr) -> pl.Expr:
    """Strip currency signs, spaces and thousands separators ("1,200", "1 200 USD")."""
    return _unseparated(text.str.replace_all(_NUMBER_NOISE, ""))


def parse_text(raw: pl.Expr) -> Parsed:
    """Text: trimmed, unknown tokens are null; never a problem."""
    return clean(raw), pl.lit(None, dtype=pl.String)


def parse_number(raw: pl.Expr, minimum: float | None = None, integer: bool = False) -> Parsed:
    """A number, leniently: currency signs, thousands separators and decimal commas are accepted."""
    text, value = pl.field("text"), pl.field("value")
    stages = [
        {"stripped": text.str.replace_all(_NUMBER_NOISE, "")},
        {"value": _unseparated(pl.field("stripped")).cast(pl.Float64, strict=False)},
        # "nan" and "inf" cast to floats; they are not numbers a person meant (and NaN compares above everything).
        {"value": pl.when(value.is_finite()).then(value)},
        {"problem": _problem(value, text, "not a number")},
    ]
    if integer:
        # Beyond 2**53 Float64 holds no exact integers (and Int64's range ends soon after).
        stages.append({"too_large": value.abs() >= 2.0**53})
        stages.append({"problem": pl.when(pl.field("too_large")).then(pl.lit("number too large")).otherwise(pl.field("problem")),
                       "value": pl.when(pl.field("too_large")).then(None).otherwise(value)})
        stages.append({"fractional": value.is_not_null() & (value != value.round(0))})
        stages.append({"problem": pl.when(pl.field("fractional")).then(pl.lit("not a whole number")).otherwise(pl.field("problem")),
                       "value": pl.when(pl.field("fractional")).then(None).otherwise(value)})
    if minimum is not None:
        stages.append({"below": value < minimum})
        stages.append({"problem": pl.when(pl.field("below")).then(pl.lit(f"below the minimum of {minimum:g}")).otherwise(pl.field("problem")),
                       "value": pl.when(pl.field("below")).then(None).otherwise(value)})
    staged = _staged(clean(raw), *stages)
    value_out = staged.struct.field("value")
    return (value_out.cast(pl.Int64) if integer else value_out), staged.struct.field("problem")


def parse_fraction(raw: pl.Expr) -> Parsed:
    """A share from 0 to 1: '0.45' and '45%' are 0.45; a bare '45' is read as 45% with a note."""
    text, number, as_share = pl.field("text"), pl.field("number"), pl.field("as_share")
    is_percent, out_of_range = pl.field("is_percent"), pl.field("out_of_range")
    staged = _staged(
        clean(raw),
        {"is_percent": text.str.ends_with("%"), "stripped": text.str.strip_suffix("%").str.replace_all(_NUMBER_NOISE, "")},
        {"number": _unseparated(pl.field("stripped")).cast(pl.Float64, strict=False)},
        {"number": pl.when(number.is_finite()).then(number)},  # "inf" and "NaN" are text, not shares
        {"as_share": pl.when(is_percent).then(number / 100)
                       .when((number > 1) & (number <= 100)).then(number / 100)
                       .otherwise(number)},
        {"out_of_range": as_share.is_not_null() & ((as_share < 0) | (as_share > 1))},
        {"value": pl.when(out_of_range).then(None).otherwise(as_share),
         "problem": pl.when(text.is_not_null() & number.is_null()).then(pl.lit("not a fraction (use 0.45 or 45%)"))
                      .when(out_of_range).then(pl.lit("fraction outside 0–1 (0%–100%)"))
                      .when(~is_percent & (number > 1) & (number <= 100)).then(pl.lit("read as a percentage: write 45% or 0.45"))
                      .otherwise(None)},
    )
    return staged.struct.field("value"), staged.struct.field("problem")


def parse_bool(raw: pl.Expr) -> Parsed:
    """yes/no/y/n/true/false/1/0, any case."""
    text = clean(raw)
    value = text.str.to_lowercase().replace_strict(BOOL_MAP, default=None, return_dtype=pl.Boolean)
    return value, _problem(value, text, "not yes/no (use yes, no, true, false, 1 or 0)")


def parse_date(raw: pl.Expr) -> Parsed:
    """ISO and spelled-out dates, Excel's 'YYYY-MM-DD hh:mm:ss' text, and Excel serial numbers."""
    text, serial, value = pl.field("text"), pl.field("serial"), pl.field("value")
    staged = _staged(
        clean(raw),
        {"day_part": text.str.replace(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", ""), "serial": text.cast(pl.Float64, strict=False)},
        {"from_serial": pl.when((serial >= 1) & (serial < 2958466))  # Excel's range: 1900-01-01 to 9999-12-31
            .then(_EXCEL_EPOCH + pl.duration(days=serial.floor().cast(pl.Int64, strict=False)))  # both branches run: nan/inf must not raise
            .otherwise(None),
         # A plain number is an Excel serial, never a partial date ("2437419" is not 2437-01-01); YYYYMMDD excepted.
         "plain_number": text.str.contains(r"^\d+(\.\d+)?$") & ~text.str.contains(r"^\d{8}$")},
        {"value": pl.when(pl.field("plain_number")).then(pl.field("from_serial")).otherwise(pl.coalesce(
            *[pl.field("day_part").str.to_date(fmt, strict=False) for fmt in DATE_FORMATS], pl.field("from_serial"),
        ))},
        {"problem": _problem(value, text, "not a date (use YYYY-MM-DD)")},
    )
    return staged.struct.field("value"), staged.struct.field("problem")


def parse_vocabulary(raw: pl.Expr, lookup: Mapping[str, str], what: str) -> Parsed:
    """Map a cell to a controlled vocabulary through a table of normalised labels."""
    text = clean(raw)
    key = text.str.to_lowercase().str.replace_all(r"[^0-9a-z\u00c0-\uffff]+", " ").str.strip_chars()
    value = key.replace_strict(dict(lookup), default=None, return_dtype=pl.String)
    return value, _problem(value, text, f"not a known {what}")


def vocabulary_key(label: str) -> str:
    """Normalise a label the way parse_vocabulary normalises cells."""
    return re.sub(r"[^0-9a-z\u00c0-\uffff]+", " ", label.lower()).strip()
