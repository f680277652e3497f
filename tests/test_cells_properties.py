"""Property-based tests for the cell parsers: every cell parses, is unknown, or is reported."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import cells

import math
import os

# Short by default (CI runs `pytest -q`); HYPOTHESIS_PROFILE=long for a deeper run.
settings.register_profile("short", max_examples=15, deadline=None)
settings.register_profile("long", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "short"))

cell_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


def _run(parsed: cells.Parsed, values: list[str | None]) -> list[tuple]:
    value, problem = parsed
    frame = pl.DataFrame({"x": values}, schema={"x": pl.String})
    out = frame.select(value.alias("value"), problem.alias("problem"), cells.clean(pl.col("x")).alias("clean"))
    return out.rows()


PARSERS = {
    "number": lambda: cells.parse_number(pl.col("x")),
    "int": lambda: cells.parse_number(pl.col("x"), 0, integer=True),
    "fraction": lambda: cells.parse_fraction(pl.col("x")),
    "bool": lambda: cells.parse_bool(pl.col("x")),
    "date": lambda: cells.parse_date(pl.col("x")),
    "country": lambda: cells.parse_vocabulary(pl.col("x"), {"vn": "VN"}, "country"),
}


numberish = st.sampled_from(["inf", "-Infinity", "NaN", "1e400", "9" * 25, "1e19", "-0", "0x10", "1_000", "١٢", "½", "1e-5"])


@given(st.lists(st.one_of(st.none(), cell_text, numberish), min_size=1, max_size=30))
def test_no_cell_is_silently_lost(values):
    frame = pl.DataFrame({"x": values}, schema={"x": pl.String})
    exprs = [cells.clean(pl.col("x")).alias("clean")]
    for name, make in PARSERS.items():
        value, problem = make()
        exprs += [value.alias(f"{name}_value"), problem.alias(f"{name}_problem")]
    for row in frame.select(exprs).iter_rows(named=True):
        for name in PARSERS:
            # A value that is neither parsed nor unknown (blank, n/a, …) must carry a problem.
            assert row[f"{name}_value"] is not None or row[f"{name}_problem"] is not None or row["clean"] is None, (name, row)


@given(st.lists(st.integers(min_value=-10**12, max_value=10**12), min_size=1, max_size=30))
def test_integers_read_in_any_common_layout(numbers):
    layouts = [str, lambda n: f"{n:,}", lambda n: f"\u00a0{n}\u00a0", lambda n: f"${n:,}" if n >= 0 else f"-${-n:,}",
               lambda n: f"{n} USD"]
    for layout in layouts:
        rows = _run(cells.parse_number(pl.col("x")), [layout(n) for n in numbers])
        assert [r[0] for r in rows] == [float(n) for n in numbers]
        assert all(r[1] is None for r in rows)


@given(st.lists(st.tuples(st.integers(0, 99_999), st.integers(1, 99)), min_size=1, max_size=30))
def test_decimal_comma_is_a_decimal_point(pairs):
    texts = [f"{whole},{frac:02d}" for whole, frac in pairs]
    got = [r[0] for r in _run(cells.parse_number(pl.col("x")), texts)]
    expected = [float(f"{whole}.{frac:02d}") for whole, frac in pairs]
    # "1,200" is a thousands separator by design; only 2-digit decimals are unambiguous here.
    assert got == expected


@given(st.lists(st.integers(-5, 10**6), min_size=1, max_size=30))
def test_negative_counts_are_reported_not_used(numbers):
    rows = _run(cells.parse_number(pl.col("x"), 0, integer=True), [str(n) for n in numbers])
    for n, (value, problem, _) in zip(numbers, rows):
        assert (value, problem is None) == ((None, False) if n < 0 else (n, True))


@given(st.lists(st.integers(0, 100), min_size=1, max_size=30))
def test_percent_signs_give_shares(percents):
    rows = _run(cells.parse_fraction(pl.col("x")), [f"{p}%" for p in percents])
    assert all(math.isclose(r[0], p / 100) for r, p in zip(rows, percents))
    assert all(r[1] is None for r in rows)


@given(st.lists(st.floats(min_value=1.0001, max_value=1e9, allow_nan=False), min_size=1, max_size=30))
def test_fractions_never_leave_zero_to_one(values):
    for value, problem, _ in _run(cells.parse_fraction(pl.col("x")), [repr(v) for v in values] + [f"{v}%" for v in values]):  # noqa: E501
        assert value is None or 0 <= value <= 1
        if value is None:
            assert problem is not None


@given(st.lists(st.tuples(st.sampled_from(cells.TRUE_TOKENS + cells.FALSE_TOKENS), st.booleans()), min_size=1, max_size=30))
def test_boolean_tokens_in_any_case(tokens):
    texts = [t.upper() if upper else t for t, upper in tokens]
    rows = _run(cells.parse_bool(pl.col("x")), texts)
    assert [r[0] for r in rows] == [t in cells.TRUE_TOKENS for t, _ in tokens]


@given(st.lists(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(9999, 12, 31)), min_size=1, max_size=30))
def test_iso_text_and_excel_serial_dates_agree(dates):
    iso = [r[0] for r in _run(cells.parse_date(pl.col("x")), [d.isoformat() for d in dates])]
    serial = [r[0] for r in _run(cells.parse_date(pl.col("x")), [str((d - dt.date(1899, 12, 30)).days) for d in dates])]
    assert iso == dates
    assert serial == dates


@given(st.lists(st.sampled_from(cells.UNKNOWN_TOKENS), min_size=1, max_size=30))
def test_unknown_tokens_are_null_without_problem(tokens):
    frame = pl.DataFrame({"x": tokens}, schema={"x": pl.String})
    out = frame.select(pl.concat_list(pl.coalesce(v.cast(pl.String), p) for v, p in (m() for m in PARSERS.values())).alias("all"))
    assert all(item is None for items in out.get_column("all").to_list() for item in items)
