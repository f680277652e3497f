"""The command line sets polars' allocator options (auditor/allocator.py) in its own process, before polars loads."""

from __future__ import annotations

import os
import subprocess
import sys

from auditor import allocator

# Runs the console-script entry point with --version, then prints what the allocator variable holds.
RUN_CLI = (
    "import os, sys\n"
    "from auditor.cli import main\n"
    "sys.argv = ['auditor', '--version']\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(os.environ.get('_RJEM_MALLOC_CONF'), 'polars' in sys.modules)\n"
)


def run(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != allocator.VARIABLE} | env
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True)
    return done.stdout.strip().splitlines()[-1]


def test_the_command_line_sets_one_arena_per_cpu_and_a_short_decay_before_polars_loads():
    conf, polars_loaded = run(RUN_CLI).split()
    assert conf == allocator.options(allocator.usable_cpus())
    assert polars_loaded == "False"  # set while it can still take effect


def test_options_the_user_set_are_kept():
    assert run(RUN_CLI, _RJEM_MALLOC_CONF="narenas:3").split()[0] == "narenas:3"


def test_the_value_a_parent_process_polars_wrote_is_not_taken_for_the_users():
    # A program that imported polars (a CI script, the benchmark harness) passes polars' own value to its children.
    inherited = "dirty_decay_ms:500,muzzy_decay_ms:1000"
    assert run(RUN_CLI, _RJEM_MALLOC_CONF=inherited).split()[0] == inherited + "," + allocator.options(allocator.usable_cpus())


def test_polars_is_handed_the_options_when_it_loads():
    # polars puts its own decay times first and appends what it finds, so ours are read last and win.
    code = "from auditor import allocator\nallocator.configure()\nimport os, polars\nprint(os.environ['_RJEM_MALLOC_CONF'])"
    assert run(code).endswith("," + allocator.options(allocator.usable_cpus()))


def test_nothing_is_set_once_polars_is_loaded():
    code = "import os, polars\nfrom auditor import allocator\nprint(allocator.configure(), 'narenas' in os.environ['_RJEM_MALLOC_CONF'])"
    assert run(code) == "False False"


def test_the_options_name_one_arena_per_cpu_and_never_none():
    assert allocator.options(4) == "narenas:4,muzzy_decay_ms:0"
    assert allocator.options(0).startswith("narenas:1,")
