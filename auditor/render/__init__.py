"""Output formats: one module per format, chosen with `-o FORMAT[:PATH]`."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.errors import ConfigError

if TYPE_CHECKING:
    from auditor.audit import AuditResult


def _json(result: AuditResult) -> str:
    from auditor.render import json_report

    return json_report.render(result)


def _xlsx(result: AuditResult, path: Path) -> None:
    from auditor.render import workbook

    workbook.render(result, path)


# Text formats return a string; binary formats (xlsx, parquet) write to a path themselves.
TEXT_FORMATS: dict[str, Callable[[AuditResult], str]] = {"json": _json}
FILE_FORMATS: dict[str, Callable[[AuditResult, Path], None]] = {"xlsx": _xlsx}


@dataclass(frozen=True)
class OutputSpec:
    """One requested output: a format and a path (None = standard output)."""

    format: str
    path: Path | None


def known_formats() -> list[str]:
    """Every format name -o accepts."""
    return sorted({*TEXT_FORMATS, *FILE_FORMATS})


def parse_output(text: str) -> OutputSpec:
    """Parse FORMAT[:PATH]."""
    fmt, sep, path = text.partition(":")
    fmt = fmt.strip().lower()
    if fmt not in known_formats():
        raise ConfigError(f"-o {text}: unknown format {fmt!r} (choose from {', '.join(known_formats())})")
    if fmt in FILE_FORMATS and not path:
        raise ConfigError(f"-o {text}: the {fmt} format needs a path, e.g. -o {fmt}:reports/audit.{fmt}")
    return OutputSpec(fmt, Path(path) if sep and path else None)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write via a temporary file and rename, so an interrupted run never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit(result: AuditResult, spec: OutputSpec) -> None:
    """Produce one output."""
    if spec.format in FILE_FORMATS:
        assert spec.path is not None
        FILE_FORMATS[spec.format](result, spec.path)
        return
    text = TEXT_FORMATS[spec.format](result)
    if spec.path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(spec.path, text)
