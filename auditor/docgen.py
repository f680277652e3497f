"""Generated documentation: `python -m auditor.docgen [rules|scoring|contract|all] [--check]`.

Each page is a pure function of the code and data it describes (rules/ for docs/rules.md, the
scoring model on the sample for docs/scoring.md, schema.py for docs/data-contract.md), so tests
regenerate and compare: docs that drift from what they describe fail the build.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from auditor import citations
from auditor.render.rule_page import KIND_MEANING, cite_reference, column_note, example_row
from auditor.rules import CATEGORIES, CompiledRule

DOCS_PATH = Path("docs") / "rules.md"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def rules_markdown(compiled: Sequence[CompiledRule]) -> str:
    """The rule reference as Markdown: an index table, then one section per rule."""
    rules = sorted(compiled, key=lambda c: c.id)
    out = [
        "# Rules", "",
        "<!-- Generated from the rule packs in rules/ by `python -m auditor.docgen rules`. Do not edit by hand. -->", "",
        f"{len(rules)} rules. Kinds: " + "; ".join(f"**{k}**: {v}" for k, v in KIND_MEANING.items()) + ".", "",
        "A rule whose input is unknown for a supplier is *not evaluable* for it: reported as missing evidence, never as a pass. "
        "Thresholds marked as policy choices can be overridden with `params` in configuration.", "",
        "| ID | Title | Kind | Severity | Category | Sources |", "| --- | --- | --- | --- | --- | --- |",
    ]
    for c in rules:
        r = c.rule
        sources = "; ".join(citations.label(x.source, x.paragraph) for x in r.cite)
        out.append(f"| [{r.id}](#{r.id.lower()}) | {_cell(r.title)} | {r.kind} | {r.severity} | {r.category} | {_cell(sources)} |")
    current = None
    for c in rules:
        r = c.rule
        if r.prefix != current:
            current = r.prefix
            out += ["", f"## {current}: {CATEGORIES.get(current, current).replace('_', ' ')}"]
        out += ["", f"### {r.id}", "", f"**{_cell(r.title)}** · {r.kind} · {r.severity} · due in {r.due_days} days", ""]
        if r.ilo_indicators:
            out += [f"ILO forced-labour indicators: {', '.join(r.ilo_indicators)}", ""]
        out += [f"Fires when: `{_cell(r.condition())}`", "", "Reads:", ""]
        out += [f"- {_cell(column_note(name))}" for name in c.columns]
        if r.params:
            out += ["", "Policy thresholds: " + ", ".join(f"`{k} = {v}`" for k, v in r.params.items())]
        if r.description:
            out += ["", _cell(r.description)]
        for cite in r.cite:
            out += ["", f"> “{_cell(cite.quote)}”", ">", f"> — {_cell(cite_reference(cite))}"]
        out += ["", "Examples:", ""]
        out += [f"- {'fires' if e.fires else 'silent'}: `{example_row(e)}`" for e in r.examples]
        out += ["", f"Message: `{r.message}`", "", f"Remediation: {_cell(r.remediation)}"]
        if r.ask_for:
            out += ["", f"When not evaluable, ask for: {_cell(r.ask_for)}"]
        out += ["", f"Defined in `{c.file}`."]
    return "\n".join(out) + "\n"


def bundled_rules_markdown() -> str:
    """docs/rules.md for the bundled packs, with file paths shown relative to the rules directory's parent."""
    from auditor.reference import bundled_rules_dir
    from auditor.rules import load_rules

    rules_dir = bundled_rules_dir()
    compiled = load_rules([rules_dir])
    root = rules_dir.parent
    fixed = [CompiledRule(c.rule, _relative(c.file, root), c.pack_version, c.expr, c.columns, c.message_parts) for c in compiled]
    return rules_markdown(fixed)


def _relative(file: str, root: Path) -> str:
    path = Path(file).resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(file).as_posix()


def pages() -> dict[str, tuple[Path, Callable[[], str]]]:
    """Every generated page: name → (file, function that renders it)."""
    from auditor import contract_doc, docgen_scoring

    return {
        "rules": (DOCS_PATH, bundled_rules_markdown),
        "scoring": (docgen_scoring.DOC, docgen_scoring.render_doc),
        "contract": (contract_doc.DOC, contract_doc.render),
    }


def write_or_check(target: Path, text: str, check: bool, page: str) -> int:
    """Write a page, or with check=True return 1 (and say so) when the file differs from `text`."""
    if check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run `python -m auditor.docgen {page}`", file=sys.stderr)
            return 1
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`PAGE [--check] [PATH]`: write a generated page (PATH only for one page), or check it is current."""
    args = list(sys.argv[1:] if argv is None else argv)
    known = pages()
    if not args or args[0] not in (*known, "all"):
        print(f"usage: python -m auditor.docgen {{{'|'.join(known)}|all}} [--check] [PATH]", file=sys.stderr)
        return 2
    check = "--check" in args
    paths = [a for a in args[1:] if a != "--check"]
    chosen = list(known) if args[0] == "all" else [args[0]]
    codes = []
    for page in chosen:
        target, render = known[page]
        codes.append(write_or_check(Path(paths[0]) if paths and len(chosen) == 1 else target, render(), check, page))
    return max(codes)


if __name__ == "__main__":
    raise SystemExit(main())
