"""The command line (typer). Every failure ends as exit 2 with one clear line; --debug shows the traceback.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad usage, bad rules,
unreadable input or an internal error. Heavy modules (polars) are imported inside commands so
that `auditor --version` starts fast.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterator, Optional

import typer
from rich.console import Console

from auditor import __version__

if TYPE_CHECKING:
    from auditor.config import Settings

app = typer.Typer(
    name="auditor",
    help="Audit supplier spreadsheets for forced-labour risk with rules cited to the UN.GIFT Vienna Forum report (2008).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # never print locals: they can hold worker data
    add_completion=False,
)
rules_app = typer.Typer(help="List, show and validate rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
baseline_app = typer.Typer(help="Accept current findings so that CI fails only on new ones.", no_args_is_help=True)
app.add_typer(baseline_app, name="baseline")
config_app = typer.Typer(help="Show the effective configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")

# In CI (no terminal) rich falls back to 80 columns; the ranked table needs more to stay readable.
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 132)


def stdout_console() -> Console:
    """Console for tables on standard output, 132 columns wide when it is not a terminal."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 132)
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
        err.print(f"error: {error}", markup=False, soft_wrap=True)  # one line, however long
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print("error: interrupted", markup=False)
        raise typer.Exit(2) from None
    except Exception as error:  # an internal error must not look like "findings" (exit 1)
        if _state["debug"]:
            err.print_exception()
        else:
            first = str(error).splitlines()[0] if str(error) else ""
            err.print(f"error: internal error: {type(error).__name__}: {first} (run with --debug for details)", markup=False, soft_wrap=True)
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
ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="Configuration file (auditor.toml or pyproject.toml). Default: the nearest one.")]
IsolatedOption = Annotated[bool, typer.Option("--isolated", help="Ignore configuration files and AUDITOR_* variables.")]


def _settings(ctx: typer.Context, config_file: Optional[Path], isolated: bool) -> "Settings":
    """Effective settings: options given on the command line > AUDITOR_* > configuration file > defaults."""
    from auditor import config

    # By the source's name: typer's parameter-source enum lives in a private module.
    given = {name: (value.value if isinstance(value, Enum) else value) for name, value in ctx.params.items()
             if getattr(ctx.get_parameter_source(name), "name", None) == "COMMANDLINE"}
    return config.resolve(given, config_file=config_file, isolated=isolated).settings


@app.command()
def audit(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Supplier files: .xlsx (sheet 'Suppliers' or the only sheet), .csv or .parquet.")],
    rules: RulesOption = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only these rules: id, prefix (RF) or category (repeatable).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Skip these rules: id, prefix or category (repeatable).")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding has this severity or worse.")] = FailOn.high,
    output: Annotated[Optional[list[str]], typer.Option("-o", "--output", help="FORMAT[:PATH], repeatable; no path means stdout.")] = None,
    header_row: Annotated[Optional[int], typer.Option("--header-row", min=1, help="Spreadsheet row of the headers (default: detected).")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Suppliers shown in the terminal table.")] = 60,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when findings are at or above --fail-on (errors still exit 2).")] = False,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="Baseline file: its findings are reported as suppressed and do not fail the run.")] = None,
    sarif_max_results: Annotated[int, typer.Option("--sarif-max-results", min=1, help="Most results in SARIF output, highest risk first.")] = 5000,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
    mapping: Annotated[Optional[Path], typer.Option("--mapping", help="Mapping file (TOML) for lists that do not follow the data contract; see docs/mapping.md.")] = None,
    previous: Annotated[Optional[Path], typer.Option("--previous", help="An earlier remediation workbook: carry its status, owner, due date and notes forward.")] = None,
    audit_date: Annotated[Optional[datetime], typer.Option("--audit-date", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="Date of the audit (YYYY-MM-DD; default today): due dates and baseline expiry count from it.")] = None,
    streaming: Annotated[Optional[bool], typer.Option("--streaming/--no-streaming", help="Evaluate on polars' streaming engine (default: for inputs over 1 GiB).")] = None,
) -> None:
    """Audit supplier files and rank suppliers by forced-labour risk."""
    with guarded():
        from auditor import render
        from auditor.audit import run_audit
        from auditor.mapping import load_mapping
        from auditor.progress import steps
        from auditor.render import terminal

        settings = _settings(ctx, config_file, isolated)
        specs = [render.parse_output(o) for o in settings.output]
        fitted = load_mapping(settings.mapping) if settings.mapping is not None else None
        with steps(err) as step:
            result = run_audit(paths, rules_dirs=settings.rules, select=settings.select, ignore=settings.ignore, fail_on=settings.fail_on,
                               header_row=header_row, scoring_config=settings.scoring, params=settings.params, mapping=fitted,
                               progress=step, streaming=streaming)
        result.extra["sarif_max_results"] = settings.sarif_max_results
        today = audit_date.date() if audit_date else date.today()
        result.extra["audit_date"] = today
        if settings.baseline is not None:
            from auditor import baseline as baseline_mod

            outcome = baseline_mod.apply(result, baseline_mod.read(settings.baseline), today=today, file=str(settings.baseline))
        carried = None
        if previous is not None:
            from auditor import previous as previous_workbook

            carried = previous_workbook.describe(previous, previous_workbook.attach(result, previous))
        to_stdout = any(s.path is None for s in specs)
        console = err if to_stdout else stdout_console()
        terminal.render(result, console, limit=top)
        if settings.baseline is not None:
            for line in baseline_mod.describe(outcome):
                console.print(line, markup=False, highlight=False)
        if carried:
            console.print(carried, highlight=False, markup=False)
        for spec in specs:
            with steps(err) as step, step(f"Writing {spec.format}" + (f" to {spec.path}" if spec.path else "")) as tick:
                render.emit(result, spec, tick)
            if spec.path is not None:
                console.print(f"wrote {spec.format} → {spec.path}", highlight=False)
        failing = result.failing_count()
        if failing and settings.exit_zero:
            console.print("--exit-zero: exit 0 despite the findings above", highlight=False)
    raise typer.Exit(1 if failing and not settings.exit_zero else 0)


@app.command()
def explain(
    supplier_id: Annotated[str, typer.Argument(help="The supplier to explain, e.g. SUP-0043.")],
    paths: Annotated[list[Path], typer.Argument(help="The supplier files of the audit.")],
    rules: RulesOption = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only these rules, as in `audit` (repeatable).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Skip these rules, as in `audit` (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the decomposition as JSON.")] = False,
) -> None:
    """Take one supplier's score apart: every contribution with rule, evidence, citation and source."""
    with guarded():
        import json

        from auditor import explain as explaining
        from auditor.audit import run_audit

        result = run_audit(paths, rules_dirs=rules, select=select or (), ignore=ignore or ())
        explanation = explaining.explain(result, supplier_id)
        if as_json:
            typer.echo(json.dumps(explaining.as_dict(explanation), indent=2, ensure_ascii=False, default=str))
        else:
            typer.echo(explaining.render_text(explanation), nl=False)


@app.command()
def portfolio(
    paths: Annotated[list[Path], typer.Argument(help="Supplier files: .xlsx, .csv or .parquet.")],
    rules: RulesOption = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown tables instead of the terminal view.")] = False,
) -> None:
    """Count suppliers by risk tier per sector, per country and per supply-chain tier."""
    with guarded():
        from auditor import portfolio as views
        from auditor.audit import run_audit

        result = run_audit(paths, rules_dirs=rules)
        if markdown:
            typer.echo(views.portfolio_markdown(result), nl=False)
        else:
            views.render_terminal(result, stdout_console())


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

        from auditor import citations
        from auditor.audit import default_rules_dirs
        from auditor.rules import load_rules, matches

        from auditor.errors import ConfigError
        from auditor.rules import SEVERITIES

        if severity and severity.lower() not in SEVERITIES:
            raise ConfigError(f"--severity {severity!r}: use one of {', '.join(SEVERITIES)}")
        if kind and kind.lower() not in ("indicator", "control", "exposure", "evidence"):
            raise ConfigError(f"--kind {kind!r}: use one of indicator, control, exposure, evidence")
        compiled = load_rules(rules or default_rules_dirs())
        if category and not any(matches(c.rule, category) for c in compiled):
            raise ConfigError(f"--category {category!r} matches no rule category or id prefix")
        table = Table(header_style="bold")
        for name in ("ID", "Title", "Kind", "Severity", "Category", "Sources"):
            table.add_column(name, overflow="fold", no_wrap=name in ("ID", "Kind", "Severity"), ratio=3 if name == "Title" else None)
        colours = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}
        shown = 0
        for c in compiled:
            r = c.rule
            if (category and not matches(r, category)) or (severity and r.severity != severity.lower()) or (kind and r.kind != kind.lower()):
                continue
            sources = ", ".join(citations.label(x.source, x.paragraph) for x in r.cite)
            table.add_row(r.id, r.title, r.kind, f"[{colours[r.severity]}]{r.severity}[/]", r.category, sources)
            shown += 1
        stdout_console().print(table)
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


@rules_app.command("sectors")
def rules_sectors() -> None:
    """Show the sector vocabulary: each sector's inherent risk level (a policy choice) and its reasons."""
    with guarded():
        from rich.table import Table

        from auditor.reference import sectors

        table = Table(header_style="bold")
        for name in ("Sector", "Risk", "Also written", "Reasons"):
            table.add_column(name, overflow="fold", no_wrap=name in ("Sector", "Risk"))
        for sector_id, entry in sectors().items():
            table.add_row(sector_id, entry["risk"], ", ".join(entry.get("aliases", [])[:4]), " ".join(entry["reasons"]))
        stdout_console().print(table)


@rules_app.command("docs")
def rules_docs(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the Markdown.")] = Path("docs/rules.md"),
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when the file is out of date instead of writing it.")] = False,
) -> None:
    """Write the rule reference (docs/rules.md) generated from the bundled packs."""
    with guarded():
        from auditor.docgen import main as docgen_main

        code = docgen_main(["rules", str(output), *(["--check"] if check else [])])
    raise typer.Exit(code)


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


@baseline_app.command("create")
def baseline_create(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Supplier files, as for `auditor audit`.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Baseline file to write.")] = Path(".auditor-baseline.json"),
    justification: Annotated[Optional[str], typer.Option("--justification", help="Why these findings are accepted (e.g. a ticket).")] = None,
    who: Annotated[Optional[str], typer.Option("--who", help="Who accepts them. Default: $AUDITOR_USER or the login name.")] = None,
    expires: Annotated[Optional[str], typer.Option("--expires", help="Expiry date YYYY-MM-DD, or 'never'.")] = None,
    days: Annotated[Optional[int], typer.Option("--days", min=0, help="Expire this many days from today (default 365).")] = None,
    rules: RulesOption = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only these rules: id, prefix or category (repeatable).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Skip these rules: id, prefix or category (repeatable).")] = None,
    header_row: Annotated[Optional[int], typer.Option("--header-row", min=1, help="Spreadsheet row of the headers (default: detected).")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Do not keep the entries of an existing baseline file; accept everything anew.")] = False,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Accept every current finding: write a sorted baseline file keyed by fingerprint.

    Entries already in the file for the same finding with unchanged evidence keep their
    justification, who and expiry (unless --fresh); entries for findings that are gone are dropped.
    """
    with guarded():
        from auditor import baseline as baseline_mod
        from auditor.audit import run_audit
        from auditor.render import write_atomic

        ctx.params.pop("output", None)  # -o here is the baseline file, not a report output
        settings = _settings(ctx, config_file, isolated)
        result = run_audit(paths, rules_dirs=settings.rules, select=settings.select, ignore=settings.ignore, header_row=header_row,
                           scoring_config=settings.scoring, params=settings.params)
        until = baseline_mod.parse_expiry(expires, days, date.today())
        previous = baseline_mod.read(output) if output.exists() and not fresh else None
        created = baseline_mod.create(result.findings, justification=justification or baseline_mod.DEFAULT_JUSTIFICATION,
                                      who=who or baseline_mod.default_who(), expires=until, previous=previous)
        write_atomic(output, baseline_mod.dumps(created))
        kept = sum(1 for fp, e in created.entries.items() if previous is not None and previous.entries.get(fp) == e)
        err.print(f"wrote {len(created.entries)} baseline entries → {output} ({kept} kept as they were; new ones expire {until or 'never'})",
                  highlight=False)


@baseline_app.command("from-workbook")
def baseline_from_workbook(
    workbook: Annotated[Path, typer.Argument(help="A remediation workbook written by `auditor audit -o xlsx:…` and reviewed since.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Baseline file to write (its other entries are kept).")] = Path(".auditor-baseline.json"),
    justification: Annotated[Optional[str], typer.Option("--justification", help="Reason for rows whose Notes are empty (default: such rows are skipped).")] = None,
    who: Annotated[Optional[str], typer.Option("--who", help="Who accepts them. Default: each row's Owner, else $AUDITOR_USER or the login name.")] = None,
    expires: Annotated[Optional[str], typer.Option("--expires", help="Expiry date YYYY-MM-DD, or 'never'.")] = None,
    days: Annotated[Optional[int], typer.Option("--days", min=0, help="Expire this many days from today (default 365).")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Do not keep the entries of an existing baseline file: only the workbook's.")] = False,
) -> None:
    """Accept the findings a reviewed workbook marks accepted risk or false positive, so CI stops failing on them.

    Rows are matched by their Finding ID; each entry records the status and the row's Notes as its
    justification, and the evidence hash of the finding as reviewed, so a change in evidence fails again.
    """
    with guarded():
        from auditor import baseline as baseline_mod
        from auditor import previous as previous_workbook
        from auditor.render import write_atomic

        reviewed = previous_workbook.read_previous(workbook, needed_by="`auditor baseline from-workbook`")
        rows, notes = previous_workbook.prepare(reviewed)
        until = baseline_mod.parse_expiry(expires, days, date.today())
        existing = baseline_mod.read(output) if output.exists() and not fresh else None
        made = baseline_mod.from_workbook(rows, reviewed.letters, str(workbook), justification=justification, who=who, expires=until,
                                          previous=existing, notes=notes)
        write_atomic(output, baseline_mod.dumps(made.baseline))
        for line in made.skipped:
            err.print(f"warning: {line}", markup=False, highlight=False, soft_wrap=True)  # one line each, whole, for grep
        err.print(f"wrote {len(made.baseline.entries)} baseline entries → {output}: from {workbook}, {made.new} new, {made.updated} updated, "
                  f"{made.unchanged} unchanged; {made.kept} other entries kept; {len(made.skipped)} row(s) skipped",
                  markup=False, highlight=False, soft_wrap=True)


@config_app.command("show")
def config_show(config_file: ConfigOption = None, isolated: IsolatedOption = False) -> None:
    """Print the effective configuration and where each value came from."""
    with guarded():
        from auditor import config

        typer.echo(config.describe(config.resolve({}, config_file=config_file, isolated=isolated)), nl=False)


@app.command()
def template(
    path: Annotated[Path, typer.Argument(help="Where to write the intake workbook (.xlsx).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write the supplier intake workbook: the data contract's columns, help, dropdowns and validation."""
    with guarded():
        from auditor.errors import ConfigError
        from auditor.template import write_template

        if path.exists() and not force:
            raise ConfigError(f"{path}: already exists (use --force to overwrite it)")
        write_template(path)
        err.print(f"wrote intake template → {path}", highlight=False, markup=False)


def main() -> None:
    """Console-script entry point."""
    from auditor import allocator

    allocator.configure()  # before any command imports polars
    try:
        app()
    except SystemExit as exit_:
        code = exit_.code
        sys.exit(code if isinstance(code, int) else (0 if code is None else 2))


if __name__ == "__main__":
    main()
