"""Benchmark: the remediation workbook at scale against bare openpyxl write-only writing the same cells.

    python benchmarks/bench_workbook.py [--findings 100000] [--repeat 2]

Builds a synthetic supplier file whose audit raises about --findings findings, audits it once, then
times (a) `auditor`'s workbook writer (all six sheets, styles, validation, protection, charts,
deterministic zip) and (b) bare openpyxl write-only appending the very same cell values to the
same sheets, with no styles or extras. Runs alternate and the best of --repeat is kept; CPU time
(process_time) is compared, since the machine may be shared. Memory: the process's maximum resident
set size before and after the first workbook write; the rise is the writer's own peak. Prints a markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor import allocator  # noqa: E402

allocator.configure()  # as the command line does, before polars loads

import openpyxl  # noqa: E402
import polars as pl  # noqa: E402

from auditor import previous  # noqa: E402
from auditor.audit import run_audit  # noqa: E402
from auditor.render import workbook  # noqa: E402

TARGET_RATIO = 1.3
TARGET_PEAK_MB = 300


def peak_mb() -> float:
    """Maximum resident set size so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_suppliers(path: Path, count: int, seed: int = 2008) -> Path:
    """Supplier rows with risky, mixed and unknown answers, as CSV (values spread so evidence differs)."""
    rng = random.Random(seed)
    sectors = ["agriculture", "fishing", "apparel_textiles", "electronics", "construction", "mining", "hospitality"]
    rows = []
    for i in range(count):
        risky = rng.random() < 0.8
        rows.append({
            "supplier_id": f"SUP-{i:07d}", "supplier_name": f"Site {i} {rng.choice(['Ltd', 'Co.', 'LLC', 'PT'])}",
            "country": rng.choice(["TH", "MY", "VN", "BD", "IN", "TR", "MX", "BR"]), "sector": rng.choice(sectors),
            "tier": rng.choice(["1", "2", "3"]), "registered_business": rng.choice(["yes", "no", ""]),
            "headcount": str(rng.randint(20, 3000)), "headcount_social_security": str(rng.randint(0, 20)),
            "share_migrant_workers": f"{rng.random():.2f}", "share_agency_workers": f"{rng.random():.2f}",
            "uses_recruiters": "yes" if risky else rng.choice(["no", ""]),
            "workers_paid_recruitment_fees": "yes" if risky else "no",
            "max_recruitment_fee_usd": str(rng.randint(1, 3000)) if risky else "0",
            "employer_pays_policy": "no" if risky else "yes", "share_written_contracts": f"{rng.random():.2f}",
            "share_contracts_in_worker_language": f"{rng.random():.2f}", "contract_substitution_found": rng.choice(["yes", "no", ""]),
            "share_documents_held_by_employer": f"{rng.random() * risky:.2f}", "share_workers_in_debt_to_employer": f"{rng.random() * risky:.2f}",
            "free_to_leave_premises": rng.choice(["yes", "no", ""]), "threats_or_violence_reported": rng.choice(["yes", "no"]),
            "homeworkers_or_outworkers": rng.choice(["yes", "no"]), "subcontractors_disclosed": rng.choice(["yes", "no"]),
        })
    pl.DataFrame(rows).write_csv(path)
    return path


def bare_write(sheets: dict[str, list[tuple]], path: Path) -> None:
    """openpyxl write-only, the same values, nothing else."""
    wb = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)


def read_cells(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cell values, as written (types preserved)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    sheets = {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    wb.close()
    return sheets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000, help="findings to aim for (default 100000)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each writer; the best is kept")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-workbook-"))

    probe = run_audit([synthetic_suppliers(work / "probe.csv", 500)])
    per_supplier = probe.findings.height / 500
    suppliers = max(1, round(args.findings / per_supplier))
    started = time.perf_counter()
    result = run_audit([synthetic_suppliers(work / "suppliers.csv", suppliers)])
    audit_seconds = time.perf_counter() - started
    result.extra["audit_date"] = date(2026, 11, 27)
    before = peak_mb()

    ours_times, bare_times, ours_wall, bare_wall = [], [], [], []
    ours_path, bare_path = work / "auditor.xlsx", work / "bare.xlsx"
    cells = None
    for _ in range(args.repeat):
        started, wall = time.process_time(), time.perf_counter()
        workbook.render(result, ours_path)
        ours_times.append(time.process_time() - started)
        ours_wall.append(time.perf_counter() - wall)
        if cells is None:
            ours_peak = peak_mb()  # before the bare run's input is read into memory
            cells = read_cells(ours_path)
        started, wall = time.process_time(), time.perf_counter()
        bare_write(cells, bare_path)
        bare_times.append(time.process_time() - started)
        bare_wall.append(time.perf_counter() - wall)

    started = time.process_time()
    old = previous.read_previous(ours_path)
    rows, _ = previous.prepare(old)
    previous.merge(workbook.findings_sheet(result, result.extra["audit_date"]), rows, date(2026, 12, 15),
                   rules_run={c.id for c in result.rules}, suppliers_run=set(result.suppliers.get_column("supplier_id")))
    round_trip = time.process_time() - started

    ours, bare = min(ours_times), min(bare_times)
    n_cells = sum(len(r) for rows in cells.values() for r in rows)
    ratio = ours / bare
    print(f"## Remediation workbook ({result.findings.height:,} findings, {suppliers:,} suppliers)\n")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| findings / suppliers / cells | {result.findings.height:,} / {suppliers:,} / {n_cells:,} | |")
    print(f"| audit (load, rules, scoring) | {audit_seconds:.1f} s | |")
    print(f"| auditor workbook write (6 sheets, styled, validated, protected, charts), CPU | {ours:.1f} s (wall {min(ours_wall):.1f} s) | |")
    print(f"| bare openpyxl write-only, same cells, CPU | {bare:.1f} s (wall {min(bare_wall):.1f} s) | |")
    print(f"| ratio (CPU time) | {ratio:.2f}× | ≤ {TARGET_RATIO}× {'✓' if ratio <= TARGET_RATIO else '✗'} |")
    print(f"| --previous: read the written workbook's Findings and merge, CPU | {round_trip:.1f} s | |")
    rise = max(0.0, ours_peak - before)
    print(f"| peak RSS, whole process (data generation + audit + workbook) | {ours_peak:.0f} MB | |")
    print(f"| peak RSS before writing (audit done) | {before:.0f} MB | |")
    print(f"| workbook writer's own peak (RSS rise while writing) | {rise:.0f} MB | < {TARGET_PEAK_MB} MB {'✓' if rise < TARGET_PEAK_MB else '✗'} |")
    print(f"| file size | {ours_path.stat().st_size / 2**20:.1f} MiB (bare {bare_path.stat().st_size / 2**20:.1f} MiB) | |")
    print(f"\nCPU seconds per run: auditor {', '.join(f'{t:.1f}' for t in ours_times)}; bare {', '.join(f'{t:.1f}' for t in bare_times)}. "
          "CPU time is compared because the machine may be shared; wall time is shown for reference.")


if __name__ == "__main__":
    main()
