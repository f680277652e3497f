"""Memory allocator options for the command line's own process.

polars allocates through jemalloc and, on import, sets `_RJEM_MALLOC_CONF` to its own decay times with any
value already there appended (later options win). jemalloc's default of four arenas per CPU means memory
freed on one of polars' threads is often not reused by the next step on another, and pages past their dirty
decay stay resident (muzzy) until the kernel wants them back. An audit frees and allocates hundreds of MB
step after step, so one arena per CPU and no muzzy phase keep its peak near what it holds: 1.36–1.43 GB
instead of 1.41–1.57 GB for the 1M-row benchmark CSV, 15 % less at 100k rows, at the same speed
(docs/benchmarks-notes.md). jemalloc reads the options once, when polars loads, so they are set before the
first polars import; a `_RJEM_MALLOC_CONF` the user set is left as it is (one a parent process's polars
wrote is not the user's).
"""

from __future__ import annotations

import os
import sys

VARIABLE = "_RJEM_MALLOC_CONF"  # the prefixed name polars' jemalloc build (tikv-jemallocator) reads


def options(cpus: int) -> str:
    """The jemalloc options for a machine with `cpus` usable CPUs."""
    return f"narenas:{max(cpus, 1)},muzzy_decay_ms:0"


def usable_cpus() -> int:
    """CPUs this process may run on (a container's share, where the platform tells)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# What polars itself writes into the variable on import (polars/__init__.py); a process started by a Python
# program that imported polars inherits it, and it says nothing of what the user wants.
POLARS_OWN = frozenset({"dirty_decay_ms:500", "muzzy_decay_ms:1000", "thp:always", "metadata_thp:always"})


def set_by_user(value: str | None) -> bool:
    """True when the variable holds options other than those polars writes on its own."""
    return bool(value) and not {part.strip() for part in value.split(",") if part.strip()} <= POLARS_OWN


def configure() -> bool:
    """Set the allocator options for this process unless polars is already loaded or the user set their own;
    True when they were set."""
    inherited = os.environ.get(VARIABLE)
    if "polars" in sys.modules or set_by_user(inherited):
        return False
    os.environ[VARIABLE] = ",".join(filter(None, [inherited, options(usable_cpus())]))  # ours last: they win
    return True
