"""The command line (typer). Every failure ends as exit 2 with one clear line; --debug shows the traceback.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad usage, bad rules,
unreadable input or an internal error. Heavy modules (polars) are imported inside commands so
that `auditor --version` starts fast.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console

from auditor import __version__

app = typer.Typer(
    name="auditor",
    help="Audit supplier spreadsheets for forced-labour risk with rules cited to the UN.GIFT Vienna Forum report (2008).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # never print locals: they can hold worker data
    add_completion=False,
)
rules_app = typer.Typer(help="List, show and validate rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

# In CI (no terminal) rich falls back to 80 columns; the ranked table needs more to stay readable.
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 132)
_state = {"debug": False}


class FailOn(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    never = "never"


@contextmanager
def guarded() -> Iterator[None]:
    """Turn any exception into one line on stderr and exit code 2."""
    from auditor.errors import AuditorError, RulesError

    try:
        yield
    except typer.Exit:
        raise
    except RulesError as error:
        err.print(f"error: {len(error.problems)} problem(s) in rule packs", markup=False)
        for problem in error.problems:
            err.print(f"  {problem}", markup=False)
        raise typer.Exit(2) from None
    except AuditorError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print("error: interrupted", markup=False)
        raise typer.Exit(2) from None
    except Exception as error:  # an internal error must not look like "findings" (exit 1)
        if _state["debug"]:
            err.print_exception()
        else:
            first = str(error).splitlines()[0] if str(error) else ""
            err.print(f"error: internal error: {type(error).__name__}: {first} (run with --debug for details)", markup=False)
        raise typer.Exit(2) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")] = False,
) -> None:
    """Options for every command."""
    _state["debug"] = debug


RulesOption = Annotated[Optional[list[Path]], typer.Option("--rules", help="Rule pack directory or file (repeatable). Default: the bundled rules.")]


@app.command()
def audit(
    paths: Annotated[list[Path], typer.Argument(help="Supplier files: .xlsx (sheet 'Suppliers' or the only sheet), .csv or .parquet.")],
    rules: RulesOption = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only these rules: id, prefix (RF) or category (repeatable).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Skip these rules: id, prefix or category (repeatable).")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding has this severity or worse.")] = FailOn.high,
    output: Annotated[Optional[list[str]], typer.Option("-o", "--output", help="FORMAT[:PATH], repeatable; no path means stdout.")] = None,
    header_row: Annotated[Optional[int], typer.Option("--header-row", min=1, help="Spreadsheet row of the headers (default: detected).")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Suppliers shown in the terminal table.")] = 60,
    streaming: Annotated[Optional[bool], typer.Option("--streaming/--no-streaming", help="Evaluate on polars' streaming engine (default: for inputs over 1 GiB).")] = None,
) -> None:
    """Audit supplier files and rank suppliers by forced-labour risk."""
    with guarded():
        from auditor import render
        from auditor.audit import run_audit
        from auditor.render import terminal

        from auditor.progress import steps

        specs = [render.parse_output(o) for o in output or []]
        with steps(err) as step:
            result = run_audit(paths, rules_dirs=rules, select=select or (), ignore=ignore or (), fail_on=fail_on.value,
                               header_row=header_row, progress=step, streaming=streaming)
        to_stdout = any(s.path is None for s in specs)
        console = err if to_stdout else Console(highlight=False, width=None if sys.stdout.isatty() else 132)
        terminal.render(result, console, limit=top)
        for spec in specs:
            with steps(err) as step, step(f"Writing {spec.format}" + (f" to {spec.path}" if spec.path else "")):
                render.emit(result, spec)
            if spec.path is not None:
                console.print(f"wrote {spec.format} → {spec.path}", highlight=False)
        failing = result.failing_findings().height
    raise typer.Exit(1 if failing else 0)


@rules_app.command("list")
def rules_list(
    rules: RulesOption = None,
    category: Annotated[Optional[str], typer.Option(help="Only this category or prefix.")] = None,
    severity: Annotated[Optional[str], typer.Option(help="Only this severity.")] = None,
    kind: Annotated[Optional[str], typer.Option(help="Only this kind: indicator, control, exposure, evidence.")] = None,
) -> None:
    """Show the rules as a table."""
    with guarded():
        from rich.table import Table

        from auditor.audit import default_rules_dirs
        from auditor.rules import load_rules, matches

        compiled = load_rules(rules or default_rules_dirs())
        table = Table(header_style="bold")
        for name in ("ID", "Title", "Kind", "Severity", "Category", "Source"):
            table.add_column(name, overflow="fold")
        shown = 0
        for c in compiled:
            r = c.rule
            if (category and not matches(r, category)) or (severity and r.severity != severity.lower()) or (kind and r.kind != kind.lower()):
                continue
            cite = r.cite[0]
            table.add_row(r.id, r.title, r.kind, r.severity, r.category, f"{cite.source} ¶{cite.paragraph}" if cite.paragraph else cite.source)
            shown += 1
        Console(highlight=False).print(table)
        err.print(f"{shown} of {len(compiled)} rules", highlight=False)


@rules_app.command("show")
def rules_show(rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. RF-001.")], rules: RulesOption = None) -> None:
    """Explain one rule: what it checks, why, when it fires, an example, the remediation and its sources."""
    with guarded():
        from auditor.audit import default_rules_dirs
        from auditor.errors import ConfigError
        from auditor.render.rule_page import render_rule
        from auditor.rules import load_rules

        compiled = {c.id: c for c in load_rules(rules or default_rules_dirs())}
        if rule_id.upper() not in compiled:
            raise ConfigError(f"no rule {rule_id!r} (see `auditor rules list`)")
        typer.echo(render_rule(compiled[rule_id.upper()]))


@rules_app.command("validate")
def rules_validate(directories: Annotated[Optional[list[Path]], typer.Argument(help="Rule pack directories or files (default: bundled).")] = None) -> None:
    """Check rule packs: format, SQL screening, compilation and every rule's examples."""
    with guarded():
        from auditor.audit import default_rules_dirs
        from auditor.errors import RulesError
        from auditor.examples import check_examples
        from auditor.rules import load_rules

        compiled = load_rules(directories or default_rules_dirs())
        problems = [p for c in compiled for p in check_examples(c)]
        if problems:
            raise RulesError(problems)
        err.print(f"{len(compiled)} rules valid, {sum(len(c.rule.examples) for c in compiled)} examples pass", highlight=False)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit as exit_:
        code = exit_.code
        sys.exit(code if isinstance(code, int) else (0 if code is None else 2))


if __name__ == "__main__":
    main()
