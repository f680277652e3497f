"""Fuzzing: mutated csv and xlsx bytes either load with every row accounted for, or fail with InputError.

The default run tries a short, fixed budget of mutations (deterministic seeds); the `slow` run
tries many more: `pytest -m slow tests/test_fuzz.py`.
"""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest

from auditor.errors import InputError
from auditor.load import load
from conftest import write_xlsx

ROWS = [["Supplier ID", "Supplier Name", "Country", "Headcount", "Migrant Workers %", "Uses Recruiters", "Last Audit Date"],
        ["S1", "Alpha Textiles", "Vietnam", "1,200", "45%", "yes", "2024-03-01"],
        ["S2", "Béta Fisheries", "TH", "80", "0.9", "no", "45352"],
        ["S3", "上海服装", "CN", "n/a", "", "unknown", "1 March 2024"],
        ["S3", "Duplicate", "CN", "-4", "140%", "maybe", "never"],
        ["", "", "", "", "", "", ""],
        ["S5", "=HYPERLINK(\"x\")", "Narnia", "12", "3", "1", ""]]


def _csv_bytes() -> bytes:
    return "\n".join(",".join(f'"{c}"' if "," in c or '"' in c else c for c in (cell.replace('"', '""') for cell in row))
                     for row in ROWS).encode("utf-8") + b"\n"


def _mutate(data: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not buffer:
            break
        choice = rng.randrange(6)
        at = rng.randrange(len(buffer))
        if choice == 0:
            buffer[at] ^= 1 << rng.randrange(8)  # bit flip
        elif choice == 1:
            del buffer[at: at + rng.randint(1, 64)]  # deletion
        elif choice == 2:
            buffer[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))  # insertion
        elif choice == 3:
            del buffer[rng.randrange(len(buffer)):]  # truncation
        elif choice == 4:
            buffer[at:at] = rng.choice([b'"', b"\r\n", b";", b"\t", b"\x00", b"\xef\xbb\xbf", b"\xa0", b",,,,"])
        else:
            start = rng.randrange(len(buffer))
            buffer[at:at] = buffer[start: start + rng.randint(1, 128)]  # duplicated chunk
    return bytes(buffer)


def _mutate_xlsx_part(data: bytes, rng: random.Random) -> bytes:
    """Mutate one XML part inside the workbook and zip it again, so the damage gets past the zip layer."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    target = rng.choice(sorted(n for n in parts if n.endswith(".xml") and ("sheet" in n or "sharedStrings" in n or "workbook" in n)))
    text = parts[target]
    if rng.random() < 0.5:  # a small edit inside text or attributes, keeping the XML mostly well formed
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text))
            text = text[:at] + rng.choice([b"", b"1", b"x", b"\xc3\xa9", b"=", b"9", b"A", b"-"]) + text[at + rng.randint(0, 2):]
    else:
        text = _mutate(text, rng)
    parts[target] = text
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in parts.items():
            archive.writestr(name, payload)
    return out.getvalue()


def _check(path: Path) -> str:
    """Load a possibly broken file: an InputError or a load where every row is accounted for."""
    try:
        loaded = load([path])
    except InputError as error:
        assert "\n" not in str(error).strip() and str(path) in str(error)
        return "input error"
    assert loaded.rows_read == loaded.suppliers.height + loaded.rows_rejected
    rejected = loaded.data_quality.filter(pl.col("effect") == "row rejected").height
    assert rejected == loaded.rows_rejected
    assert [f["rows_read"] for f in loaded.files] == [loaded.rows_read]
    return "loaded"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("seeds")
    return {".csv": _csv_bytes(), ".xlsx": write_xlsx(folder / "seed.xlsx", ROWS).read_bytes()}


def _fuzz(seeds: dict[str, bytes], tmp_path: Path, suffix: str, runs: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    outcomes: dict[str, int] = {}
    for i in range(runs):
        path = tmp_path / f"m{i}{suffix}"
        inside = suffix == ".xlsx" and i % 2 == 0
        path.write_bytes(_mutate_xlsx_part(seeds[suffix], rng) if inside else _mutate(seeds[suffix], rng))
        outcome = _check(path)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_unmutated_seed_loads_with_every_row_accounted_for(seeds, tmp_path, suffix):
    path = tmp_path / f"seed{suffix}"
    path.write_bytes(seeds[suffix])
    assert _check(path) == "loaded"
    assert load([path]).rows_read == len(ROWS) - 1


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_mutated_files_fail_only_with_input_error(seeds, tmp_path, suffix):
    outcomes = _fuzz(seeds, tmp_path, suffix, runs=12, seed=7)
    assert set(outcomes) == {"loaded", "input error"}  # the budget reaches both outcomes


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("seed", range(4))
def test_mutated_files_fail_only_with_input_error_long(seeds, tmp_path, suffix, seed):
    outcomes = _fuzz(seeds, tmp_path, suffix, runs=250, seed=1000 + seed)
    assert set(outcomes) == {"loaded", "input error"}


def test_mutated_files_through_the_cli_exit_0_1_or_2_without_traceback(seeds, tmp_path, run_cli):
    rng = random.Random(11)
    for i in range(4):
        suffix = (".csv", ".xlsx")[i % 2]
        path = tmp_path / f"c{i}{suffix}"
        path.write_bytes(_mutate(seeds[suffix], rng))
        code, _, err = run_cli("audit", path, "--fail-on", "never")
        assert code in (0, 2), err
        assert "Traceback" not in err and "internal error" not in err
