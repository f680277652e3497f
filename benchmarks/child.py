"""One measured run, in its own process: `python -m benchmarks.child MODE FILE OUT`.

MODE is `audit` (every bundled rule, findings written to parquet), `floor` (polars reading the
same file and nothing else), `stages` (the audit step by step) or `write` (FILE is an audit's
findings file: read, then written to OUT with the audit's parquet options, only the writing timed).
Prints the seconds the work took as JSON; the parent reads the peak RSS of this process from
os.wait4. Python and polars start-up are outside the timed span for every mode, so the ratio
compares work with work.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

if sys.argv[1:2] != ["floor"]:
    from auditor import allocator

    allocator.configure()  # as the command line does, before polars loads; the floor is polars as it comes

import polars as pl  # noqa: E402


def floor(path: Path) -> int:
    """Read the file with polars and do nothing else."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = pl.read_csv(path, infer_schema=False)  # messy cells ("about 300") defeat type inference
    elif suffix == ".parquet":
        frame = pl.read_parquet(path)
    else:
        frame = pl.read_excel(path, sheet_name="Suppliers", engine="calamine")
    return frame.height


def audit(path: Path, out: Path, streaming: bool) -> int:
    """The end-to-end audit: load, every bundled rule, scoring, findings to parquet."""
    from auditor import render
    from auditor.audit import run_audit

    kwargs = {"streaming": True} if streaming else {}
    result = run_audit([path], **kwargs)
    render.emit(result, render.OutputSpec("parquet", out))
    return result.summary()["findings"]  # counted by the engine: asking for .findings would build them all again


def stages(path: Path, out: Path) -> dict[str, list[float]]:
    """Wall and CPU seconds of each step of the audit, to show where the time goes."""
    from auditor import engine, load, rules, scoring
    from auditor.audit import default_rules_dirs

    marks: dict[str, list[float]] = {}

    def timed(name, fn):
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        marks[name] = [time.perf_counter() - wall, time.process_time() - cpu,
                       resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]  # peak RSS so far, MB
        return value

    from auditor import render
    from auditor.audit import AuditResult

    compiled = timed("rule loading", lambda: rules.load_rules(default_rules_dirs()))
    with pl.Config(engine_affinity="in-memory"):  # as run_audit runs them
        timed("reading the file as text, as load reads it (load.read_raw; a large CSV a block at a time)", lambda: _read_text(path))
        loaded = timed("load: read, type, reject, derive (load.load)", lambda: load.load([path]))
        evaluation = timed("evaluate: every rule's outcome and per-rule counts (engine.evaluate)",
                           lambda: engine.evaluate(loaded.suppliers, compiled, loaded.letters))
        scored = timed("score and rank (scoring.model)",
                       lambda: scoring.model(loaded.suppliers, evaluation, compiled, recruiters=loaded.recruiters, letters=loaded.letters))
    result = AuditResult(loaded=loaded, rules=compiled, evaluation=evaluation, suppliers=scored.suppliers, extra={"scoring": scored})
    timed("findings built and written to parquet in risk order, a batch at a time (render parquet)",
          lambda: render.emit(result, render.OutputSpec("parquet", out)))
    summary = result.summary()
    marks["_counts"] = [loaded.suppliers.height, summary["findings"], summary["not_evaluable"]]
    return marks


def _read_text(path: Path) -> int:
    """Read a file as load does, without typing it: a large CSV block by block, each block dropped once read."""
    from auditor import load

    sheets, _ = load.read_raw(path, stream=True)
    return sum(sheet.frame.height + sum(batch.height for batch in (sheet.more or ())) for sheet in sheets)


def write_alone(path: Path, out: Path) -> dict[str, float]:
    """The output side of the floor: an audit's findings file read into memory (not timed), then written again with
    the parquet writer's options and nothing else (timed)."""
    from auditor.render.parquet_report import OPTIONS

    frame = pl.read_parquet(path).rechunk()
    start, cpu = time.perf_counter(), time.process_time()
    frame.write_parquet(out, **OPTIONS)
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "count": frame.height}


def main() -> None:
    mode, path, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if mode == "stages":
        print(json.dumps(stages(path, out)))
        return
    if mode == "write":
        print(json.dumps(write_alone(path, out)))
        return
    start, cpu = time.perf_counter(), time.process_time()
    if mode == "floor":
        count = floor(path)
    else:
        count = audit(path, out, streaming=mode == "audit-streaming")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "count": count}))


if __name__ == "__main__":
    main()
