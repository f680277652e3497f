"""Output formats: one module per format, chosen with `-o FORMAT[:PATH]`."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.errors import ConfigError

if TYPE_CHECKING:
    from auditor.audit import AuditResult
    from auditor.progress import Tick


def _text(module: str) -> Callable[[AuditResult], str]:
    """A text format whose module (imported on first use, to keep start-up fast) has render(result) -> str."""

    def render(result: AuditResult) -> str:
        from importlib import import_module

        return import_module(f"auditor.render.{module}").render(result)

    return render


def _file(module: str, function: str = "render", ticks: bool = False) -> Callable[..., None]:
    """A binary format whose module writes the file itself; with `ticks`, its writer takes a `tick` (progress.Tick)
    and reports how far it is."""

    def write(result: AuditResult, path: Path, tick: Tick | None = None) -> None:
        from importlib import import_module

        writer = getattr(import_module(f"auditor.render.{module}"), function)
        if ticks and tick is not None:
            writer(result, path, tick=tick)
        else:
            writer(result, path)

    return write


# Text formats return a string; binary formats write to a path themselves.
TEXT_FORMATS: dict[str, Callable[[AuditResult], str]] = {
    "json": _text("json_report"), "csv": _text("csv_report"), "sarif": _text("sarif"), "junit": _text("junit"),
    "github": _text("github"), "markdown": _text("markdown"),
    "html": _text("html"),  # the portfolio report; needs the optional `report` extra (matplotlib)
}
FILE_FORMATS: dict[str, Callable[..., None]] = {
    "xlsx": _file("workbook", ticks=True),  # the slow one: a minute for 100,000 findings, so it says how far it is
    "parquet": _file("parquet_report", "write"),
}
# Text formats that, given a path, stream to it a batch of findings at a time instead of building the text whole.
STREAMED_TO_FILE: dict[str, Callable[[AuditResult, Path], None]] = {"csv": _file("csv_report", "write")}
# Text formats whose module also gives its text in pieces (pieces(result): text or UTF-8), written as they come to a
# file or standard output, so neither holds the text whole.
IN_PIECES = {"json": "json_report", "junit": "junit", "csv": "csv_report"}


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


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed onto it when the block succeeds and removed when it fails, so an
    interrupted run never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file private (0600); reports are meant to be shared like any file the user writes.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write via a temporary file and rename (atomic_path)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _write_pieces(pieces: Iterator[str | bytes], path: Path | None) -> None:
    """Write text given in pieces (str, or UTF-8 bytes) to `path` atomically, or to standard output, as they come."""
    with ExitStack() as stack:
        if path is not None:
            out = stack.enter_context(open(stack.enter_context(atomic_path(path)), "wb"))
        else:
            sys.stdout.flush()
            out = getattr(sys.stdout, "buffer", None)  # (a replaced stdout may take text only)
        for piece in pieces:
            data = piece.encode("utf-8") if isinstance(piece, str) else piece
            out.write(data) if out is not None else sys.stdout.write(data.decode("utf-8"))
        (out or sys.stdout).flush()


def emit(result: AuditResult, spec: OutputSpec, tick: Tick | None = None) -> None:
    """Produce one output; `tick` hears how far a writer that reports it (the workbook) has got."""
    if spec.format in FILE_FORMATS:
        assert spec.path is not None
        FILE_FORMATS[spec.format](result, spec.path, tick)
        return
    if spec.path is not None and spec.format in STREAMED_TO_FILE:
        STREAMED_TO_FILE[spec.format](result, spec.path)
        return
    if spec.format in IN_PIECES:
        from importlib import import_module

        _write_pieces(import_module(f"auditor.render.{IN_PIECES[spec.format]}").pieces(result), spec.path)
        return
    text = TEXT_FORMATS[spec.format](result)
    if spec.path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(spec.path, text)
