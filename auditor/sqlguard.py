"""Screen a rule's `when` SQL before polars sees it.

polars.sql_expr is not pure: a subquery such as `x IN (SELECT * FROM read_csv('/etc/passwd'))`
reads files or the network while parsing (../shared/research/ecosystem.md §2.3, pola-rs/polars#20173).
So this screen fails closed: only a boolean expression over contract columns, built from an
allowlist of operators, keywords and functions, gets through.
"""

from __future__ import annotations

import re
from collections.abc import Collection

ALLOWED_FUNCTIONS = frozenset({
    "coalesce", "nullif", "greatest", "least", "abs", "round", "floor", "ceil", "sqrt", "power", "mod",
    "lower", "upper", "length", "trim", "ltrim", "rtrim", "starts_with", "ends_with", "strpos", "substr",
    "regexp_like", "concat", "date_part", "extract", "date", "cast", "try_cast", "array_contains",
    "string_to_array", "split_part", "left", "right",
})
# Words allowed outside string literals besides column names and functions.
KEYWORDS = frozenset({
    "and", "or", "not", "is", "null", "true", "false", "in", "between", "like", "ilike", "case", "when",
    "then", "else", "end", "as", "distinct", "current_date", "interval", "day", "days", "month", "months",
    "year", "years", "date", "int", "integer", "bigint", "double", "float", "real", "numeric", "decimal",
    "varchar", "text", "string", "boolean", "bool", "any", "all", "escape", "similar", "to", "unknown",
})
BANNED = frozenset({
    "select", "from", "with", "join", "union", "intersect", "except", "into", "copy", "attach", "pragma",
    "table", "values", "over", "partition", "window", "create", "drop", "insert", "update", "delete",
    "explain", "show", "set", "limit", "offset", "group", "having", "order", "lateral", "unnest",
})

_STRING = re.compile(r"'(?:[^']|'')*'")
_QUOTED_ID = re.compile(r'"(?:[^"]|"")*"')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ALLOWED_CHARS = re.compile(r"^[\sA-Za-z0-9_.,()'<>=!+\-*/%|:~]*$")


def screen(sql: str, columns: Collection[str]) -> list[str]:
    """Problems with `sql` as a rule condition; an empty list means it may be compiled."""
    problems: list[str] = []
    strings = _STRING.findall(sql)
    if any("://" in s or s.lower().startswith(("'/", "'file:", "'s3:")) for s in strings):
        problems.append("string literal looks like a path or URL; rule conditions cannot read files")
    bare = _STRING.sub(" 0 ", sql)
    if "'" in bare:
        problems.append("unterminated string literal")
    if _QUOTED_ID.search(bare):
        problems.append('quoted identifiers ("…") are not allowed: use the contract\'s column names')
        bare = _QUOTED_ID.sub(" ", bare)
    if ";" in bare:
        problems.append("';' is not allowed: a condition is one expression")
    if "--" in bare or "/*" in bare:
        problems.append("SQL comments are not allowed")
    if not _ALLOWED_CHARS.match(bare):
        odd = sorted({ch for ch in bare if not _ALLOWED_CHARS.match(ch)})
        problems.append(f"character(s) not allowed: {' '.join(odd)}")
    known = set(columns)
    for match in _WORD.finditer(bare):
        word = match.group(0)
        lower = word.lower()
        follows = bare[match.end():].lstrip()
        if lower in BANNED:
            problems.append(f"keyword {word.upper()} is not allowed (no queries, subqueries or windows)")
        elif follows.startswith("("):
            if lower not in ALLOWED_FUNCTIONS and lower not in KEYWORDS:
                problems.append(f"function {word}() is not in the allowlist")
        elif word in known or lower in KEYWORDS:
            continue
        elif lower in ALLOWED_FUNCTIONS:
            continue  # e.g. EXTRACT(YEAR FROM …) is caught by FROM; bare names are harmless
        else:
            problems.append(f"unknown column {word!r}")
    return list(dict.fromkeys(problems))
