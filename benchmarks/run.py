"""The benchmark harness: `make bench` (or `python -m benchmarks.run`) rewrites docs/benchmarks.md.

Every measured run is a fresh subprocess (benchmarks/child.py) so peak RSS is that run's own
(os.wait4). Times are medians of several runs because the development machine is shared and
noisy; the spread (min–max) is printed beside each median so the noise is visible.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from benchmarks import generate

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
PY = sys.executable
BIN = Path(sys.executable).parent


@dataclass
class Sample:
    """Seconds and peak RSS (MB) of the runs of one case."""

    seconds: list[float]
    rss_mb: list[float]
    cpu: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def rss(self) -> float:
        return max(self.rss_mb)

    def spread(self) -> str:
        return f"{min(self.seconds):.2f}–{max(self.seconds):.2f}"


def run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[dict, float]:
    """Run one measured child; its JSON output and its own peak RSS in MB."""
    proc = subprocess.Popen([PY, "-m", "benchmarks.child", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child {args} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return json.loads(out), usage.ru_maxrss / 1024  # Linux reports KiB


def measure(mode: str, path: Path, repeat: int) -> Sample:
    """Run one case `repeat` times, each in a fresh process."""
    sample = Sample([], [], [])
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            result, rss = run_child([mode, str(path), str(Path(tmp) / "findings.parquet")])
            sample.seconds.append(result["seconds"])
            sample.cpu.append(result["cpu"])
            sample.rss_mb.append(rss)
    return sample


def wall(cmd: list[str], repeat: int) -> list[float]:
    """Wall-clock seconds of a whole command, `repeat` times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def rule_loading(repeat: int) -> list[float]:
    """Seconds to load, screen and compile the whole bundled rule library, in a fresh process each time."""
    code = ("import time; t0=time.perf_counter(); from auditor.rules import load_rules; from auditor.audit import default_rules_dirs; "
            "t1=time.perf_counter(); r=load_rules(default_rules_dirs()); t2=time.perf_counter(); print(t2-t1, t2-t0, len(r))")
    times = []
    for _ in range(repeat):
        out = subprocess.run([PY, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
        times.append((float(out[0]), float(out[1]), int(out[2])))
    return times


def heavy_imports_at_startup() -> list[str]:
    """Heavy modules `auditor --version` imports (should be none)."""
    code = "import sys, auditor.cli; print(' '.join(m for m in ('polars', 'openpyxl', 'pydantic', 'fastexcel') if m in sys.modules))"
    return subprocess.run([PY, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()


def machine() -> list[str]:
    """Lines describing the machine the figures come from."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kib = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    import fastexcel
    import openpyxl

    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores (polars thread pool: {pl.thread_pool_size()})",
        f"- RAM: {mem}; OS: {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, polars {pl.__version__}, fastexcel {fastexcel.__version__}, openpyxl {openpyxl.__version__}",
    ]


def workbook_line() -> list[str]:
    """The remediation-workbook writer against bare openpyxl write-only, if its benchmark exists."""
    script = ROOT / "benchmarks" / "bench_workbook.py"
    if not script.exists():
        return ["_benchmarks/bench_workbook.py is not in this tree yet (the workbook writer lands separately); "
                "`make bench` includes its output once it is._"]
    done = subprocess.run([PY, "-m", "benchmarks.bench_workbook"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        return [f"_benchmarks/bench_workbook.py failed (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}_"]
    return ["```", done.stdout.rstrip(), "```"]


def by_rows_fmt(rows: list[dict], n: int, fmt: str) -> dict:
    return next(r for r in rows if r["rows"] == n and r["format"] == fmt)


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


NOTES = ROOT / "docs" / "benchmarks-notes.md"
NOTES_HEADING = "## Notes (hand-written"


def with_notes(measured: str) -> str:
    """The measured report followed by the hand-written notes (any notes already in it replaced)."""
    head = measured.split("\n" + NOTES_HEADING, 1)[0].rstrip("\n") + "\n"
    notes = NOTES.read_text(encoding="utf-8").rstrip() if NOTES.exists() else ""
    return head + ("\n" + notes + "\n" if notes else "")


def output_side(csv: dict | None, write: Sample, findings: int, rows: int) -> list[str]:
    """The floor's other side: the audit's own findings written from memory and nothing else, beside reading the CSV.

    The audit cannot write before it has read every row (a finding's place needs every supplier's rank), so reading
    and writing alone bound the audit from below, in wall time and in CPU time on this machine's cores."""
    if csv is None:
        return []
    floor = csv["floor"]
    cores = os.cpu_count() or 1
    both_wall = floor.median + write.median
    both_cpu = floor.cpu_median + write.cpu_median
    budget_cpu = 2 * floor.median * cores  # every core busy for twice the floor's wall time
    return [
        "", f"## The output side ({rows:,}-row CSV)", "",
        f"What any audit that writes every finding must do besides reading: the {findings:,} findings of the stage run above,",
        "read into memory, then written again with the audit's parquet options and nothing else (`benchmarks.child write`,",
        f"median of {len(write.seconds)}). A finding's place in the file needs every supplier's rank, so the writing cannot start",
        "before the reading ends: the two in sequence are a lower bound of the audit, before any typing, rule, score or text.", "",
        "| measure | wall s | CPU s |", "|---|---:|---:|",
        f"| reading the CSV (the floor) | {floor.median:.2f} | {floor.cpu_median:.2f} |",
        f"| writing the findings alone ({write.spread()} s) | {write.median:.2f} | {write.cpu_median:.2f} |",
        f"| both, the audit's lower bound | {both_wall:.2f} ({both_wall / floor.median:.2f}× the floor) | "
        f"{both_cpu:.2f} (2× the floor on {cores} cores allows {budget_cpu:.2f}) |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(generate.SIZES))
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (median reported)")
    parser.add_argument("--repeat-large", type=int, default=3, help="runs per case at 1M rows and above")
    parser.add_argument("--out", type=Path, default=DOC)
    parser.add_argument("--notes-only", action="store_true",
                        help="measure nothing: replace the hand-written notes at the end of --out with docs/benchmarks-notes.md")
    args = parser.parse_args()
    if args.notes_only:
        args.out.write_text(with_notes(args.out.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"notes replaced in {args.out}", file=sys.stderr)
        return

    load_before = os.getloadavg()
    started = dt.datetime.now(dt.timezone.utc)
    rows: list[dict] = []
    for n in args.sizes:
        files = generate.ensure(n)
        repeat = args.repeat if n < 1_000_000 else args.repeat_large
        for fmt, path in files.items():
            print(f"{n:>9} {fmt:<8} floor …", file=sys.stderr, flush=True)
            floor = measure("floor", path, repeat)
            print(f"{n:>9} {fmt:<8} audit …", file=sys.stderr, flush=True)
            audit = measure("audit", path, repeat)
            rows.append({"rows": n, "format": fmt, "size_mb": path.stat().st_size / 1e6, "floor": floor, "audit": audit})
            print(f"{n:>9} {fmt:<8} floor {floor.median:.3f}s audit {audit.median:.3f}s ratio {audit.median / floor.median:.2f} "
                  f"rss {audit.rss:.0f} MB", file=sys.stderr, flush=True)

    largest = max(args.sizes)
    big = generate.paths(largest)
    print("stages …", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        findings_file = Path(tmp) / "f.parquet"
        stage_marks, stage_rss = run_child(["stages", str(big["csv"]), str(findings_file)])
        print("writing the findings alone …", file=sys.stderr, flush=True)
        write_alone = measure("write", findings_file, args.repeat_large)
    streaming: list[tuple[str, Sample, Sample]] = []
    for fmt in ("parquet", "csv"):
        print(f"streaming {fmt} …", file=sys.stderr, flush=True)
        streaming.append((fmt, by_rows_fmt(rows, largest, fmt)["audit"], measure("audit-streaming", big[fmt], 1)))
    startup = wall([str(BIN / "auditor"), "--version"], 10)
    rules_times = rule_loading(5)
    heavy = heavy_imports_at_startup()
    finished = dt.datetime.now(dt.timezone.utc)
    load_after = os.getloadavg()

    by = {(r["rows"], r["format"]): r for r in rows}
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (benchmarks/run.py); do not edit by hand. Input files come from",
        "benchmarks/generate.py (deterministic synthetic suppliers following the data contract, with",
        "unknowns and messy cells) and are cached under benchmarks/data/.",
        "",
        f"Run {started:%Y-%m-%d %H:%M}–{finished:%H:%M} UTC. Load average (1, 5, 15 min) before: "
        f"{', '.join(f'{x:.1f}' for x in load_before)}; after: {', '.join(f'{x:.1f}' for x in load_after)}.",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Audit against the floor",
        "",
        "*Audit*: `run_audit` with every bundled rule (load, type, evaluate, score) and the findings written to",
        "parquet. *Floor*: polars reading the same file and nothing else (`pl.read_csv`, `pl.read_parquet`,",
        "`pl.read_excel(engine=\"calamine\")`). Each run is a fresh process; the timed span starts after",
        "`import polars` in both. Wall times are medians (min–max across runs in brackets). CPU is the",
        "median process CPU time (user + system, all threads) of the same span: on a shared machine it is",
        "far less noisy than wall time, so both ratios are given. RSS is the highest peak resident memory",
        "of the audit runs (whole process, Python included).",
        "",
        "| rows | format | file MB | floor s | audit s | ratio (wall) | floor CPU s | audit CPU s | ratio (CPU) | audit peak RSS MB | runs |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        f, a = r["floor"], r["audit"]
        lines.append(f"| {r['rows']:,} | {r['format']} | {r['size_mb']:.1f} | {f.median:.3f} ({f.spread()}) | "
                     f"{a.median:.3f} ({a.spread()}) | {a.median / f.median:.2f} | {f.cpu_median:.2f} | {a.cpu_median:.2f} | "
                     f"{a.cpu_median / f.cpu_median:.2f} | {a.rss:.0f} | {len(a.seconds)} |")
    lines += ["", "## Scaling (audit time, 10× the rows)", "", "| format | from | to | time × | target |", "|---|---:|---:|---:|---|"]
    sizes = sorted({r["rows"] for r in rows})
    scaling_ok = True
    for fmt in ("csv", "parquet", "xlsx"):
        for small, big in zip(sizes, sizes[1:]):
            if (small, fmt) in by and (big, fmt) in by and big == 10 * small:
                factor = by[(big, fmt)]["audit"].median / by[(small, fmt)]["audit"].median
                scaling_ok &= factor <= 11
                lines.append(f"| {fmt} | {small:,} | {big:,} | {factor:.1f} | ≤ 11 {verdict(factor <= 11)} |")

    lines += ["", "## Targets", "", "| target | measured | status |", "|---|---|---|"]
    if (1_000_000, "csv") in by:
        r = by[(1_000_000, "csv")]
        ratio = r["audit"].median / r["floor"].median
        cpu_ratio = r["audit"].cpu_median / r["floor"].cpu_median
        bound = (r["floor"].median + write_alone.median) / r["floor"].median if largest == 1_000_000 else None
        lines.append(f"| 1M-row CSV, every rule: ≤ 2× the floor | {ratio:.2f}× wall, {cpu_ratio:.2f}× CPU"
                     + (f"; reading it and writing its findings alone: {bound:.2f}× (see the output side)" if bound else "")
                     + f" | {verdict(ratio <= 2)} |")
        lines.append(f"| 1M-row CSV: peak RSS ≤ 1.5 GB | {r['audit'].rss:.0f} MB | {verdict(r['audit'].rss <= 1536)} |")
    lines.append(f"| cost linear in rows: 10× rows ≤ 11× time | see scaling | {verdict(scaling_ok)} |")
    if (100_000, "xlsx") in by:
        r = by[(100_000, "xlsx")]
        ratio = r["audit"].median / r["floor"].median
        lines.append(f"| 100k-row xlsx ≤ 1.3× the calamine read | {ratio:.2f}× | {verdict(ratio <= 1.3)} |")
    s = statistics.median(startup)
    lines.append(f"| `auditor --version` < 0.3 s (wall, whole process) | {s:.3f} s (median of {len(startup)}; "
                 f"{min(startup):.3f}–{max(startup):.3f}) | {verdict(s < 0.3)} |")
    rl = statistics.median(t[0] for t in rules_times)
    rl_cold = statistics.median(t[1] for t in rules_times)
    lines.append(f"| rule loading and compilation < 0.5 s (whole bundled library, {rules_times[0][2]} rules) | {rl:.3f} s; "
                 f"{rl_cold:.3f} s including importing polars and pydantic (median of {len(rules_times)}) | {verdict(rl < 0.5)} |")
    lines.append(f"| heavy modules imported by `auditor --version` | {', '.join(heavy) or 'none'} | "
                 f"{verdict(not {'polars', 'openpyxl', 'fastexcel'} & set(heavy))} |")
    counts = stage_marks.pop("_counts")
    lines += ["", f"## Where the time goes ({largest:,}-row CSV, one run)", "",
              f"{counts[0]:,} suppliers assessed, {counts[1]:,} findings, {counts[2]:,} not-evaluable entries; "
              f"peak RSS {stage_rss:.0f} MB (this run also reads the file twice, once on its own).", "",
              "| step | wall s | CPU s | peak RSS so far MB |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {w:.2f} | {c:.2f} | {m:.0f} |" for name, (w, c, m) in stage_marks.items()]
    lines += output_side(by.get((largest, "csv")), write_alone, counts[1], largest)
    lines += ["", f"## Streaming evaluation ({largest:,} rows)", "",
              "`auditor audit --streaming` (automatic above 1 GiB of input) runs the rule pass on polars' streaming",
              "engine; otherwise the audit runs on polars' in-memory engine. The loader builds the typed supplier frame in",
              "memory either way (a large CSV a block of records at a time); the findings are built from the rule outcomes and written",
              "to parquet a batch at a time in risk order either way.", "",
              "| format | in-memory audit s | peak RSS MB | streaming audit s | peak RSS MB |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {fmt} | {a.median:.2f} | {a.rss:.0f} | {st.median:.2f} | {st.rss:.0f} |" for fmt, a, st in streaming]
    lines += ["", "## Remediation workbook writer", "", *workbook_line(), ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(with_notes("\n".join(lines) + "\n"), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
