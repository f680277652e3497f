"""Check rule citations against the text of the Vienna Forum report, paragraph by paragraph."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

REPORT_SOURCE = "vienna-forum-2008"
SOURCE_TITLES = {
    REPORT_SOURCE: "UN.GIFT, The Vienna Forum report: a way forward to combat human trafficking (2008)",
    "ilab-goods-2022": "U.S. Department of Labor (ILAB), List of Goods Produced by Child Labor or Forced Labor",
}
_PARAGRAPH = re.compile(r"^(\d{1,3})\.\s")
_ANNEX = re.compile(r"^Annex (I{1,3})\.")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "–": "-", "—": "-"})


def normalise(text: str) -> str:
    """Fold whitespace, curly quotes and dashes so a quote matches across line breaks."""
    text = re.sub(r"[*_]", "", text.translate(_QUOTES))
    return re.sub(r"\s+", " ", text).strip().casefold()


def split_paragraphs(text: str) -> dict[str, str]:
    """Paragraph number ('199') or annex ('Annex II') → its text.

    Paragraphs are numbered lines that follow each other (N, N+1, …), which keeps numbered
    section headings ('8. Supply chain management') from being taken for paragraphs.
    """
    paragraphs: dict[str, list[str]] = {}
    current: str | None = None
    expected = 1
    for line in text.splitlines():
        annex = _ANNEX.match(line)
        match = _PARAGRAPH.match(line)
        if annex:
            current = f"Annex {annex.group(1)}"
            paragraphs[current] = [line]
        elif match and int(match.group(1)) == expected and not current_is_annex(current):
            current = match.group(1)
            expected += 1
            paragraphs[current] = [line]
        elif match and current is not None and not current_is_annex(current):
            current = None  # a numbered heading ends the paragraph
        elif current is not None:
            paragraphs[current].append(line)
    return {key: "\n".join(lines) for key, lines in paragraphs.items()}


def current_is_annex(key: str | None) -> bool:
    """True while reading an annex (its numbered items are not report paragraphs)."""
    return key is not None and key.startswith("Annex")


def paragraph_key(reference: str) -> str:
    """'152(b)' → '152'; 'Annex II' stays."""
    match = re.match(r"^(\d+)", reference)
    return match.group(1) if match else reference.strip()


@cache
def report_paragraphs(path: Path) -> dict[str, str]:
    """The report's paragraphs, normalised for quote matching."""
    return {k: normalise(v) for k, v in split_paragraphs(path.read_text(encoding="utf-8")).items()}


def quote_problem(report: Path, paragraph: str | None, quote: str) -> str | None:
    """Why a quote does not check out against its paragraph, or None when it is verbatim there."""
    if not paragraph:
        return "a report citation needs a paragraph"
    paragraphs = report_paragraphs(report)
    key = paragraph_key(paragraph)
    if key not in paragraphs:
        return f"paragraph {paragraph} not found in the report"
    parts = [p for p in re.split(r"\s*(?:…|\.\.\.)\s*", quote) if p.strip()]
    missing = [p for p in parts if normalise(p) not in paragraphs[key]]
    return f"quote not found in ¶{paragraph}: {missing[0]!r}" if missing else None


def location(source: str, paragraph: str | None) -> str:
    """Where in its source a citation points: '¶152(b)' in the report, 'clause 6.2' in a code, 'Article 5'."""
    if not paragraph:
        return ""
    if source == REPORT_SOURCE and paragraph[0].isdigit():
        return f"¶{paragraph}"
    return f"clause {paragraph}" if paragraph[0].isdigit() else paragraph


def label(source: str, paragraph: str | None) -> str:
    """Short form for tables and terminal lines: 'Vienna Forum ¶173', 'eti-base-code clause 1.2'."""
    name = "Vienna Forum" if source == REPORT_SOURCE else source
    where = location(source, paragraph)
    return f"{name} {where}" if where else name


def reference(source: str, paragraph: str | None, title: str | None = None) -> str:
    """'Title, ¶199' style reference, the one form every output uses."""
    name = title or SOURCE_TITLES.get(source, source)
    where = location(source, paragraph)
    return f"{name}, {where}" if where else name
