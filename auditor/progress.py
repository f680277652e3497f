"""Progress display for the steps of an audit that take more than a moment (reading, evaluating, writing).

Shown on stderr only when it is a terminal: silent in CI, when stderr is piped or redirected, and on
dumb terminals, so machine outputs and logs never carry spinner frames.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Callable

from rich.console import Console

# How far a step is: (units done so far, units in all), e.g. workbook rows written. Steps that never say show a spinner.
Tick = Callable[[int, int], None]
Step = Callable[[str], AbstractContextManager[Tick]]


def _ignore(done: int, total: int) -> None:
    """A Tick that shows nothing."""


def enabled(console: Console) -> bool:
    """Whether progress may be drawn on this console: a real terminal, outside CI."""
    return console.is_terminal and not console.is_dumb_terminal and not os.environ.get("CI")


def no_progress(label: str) -> AbstractContextManager[Tick]:
    """A step that shows nothing."""
    return nullcontext(_ignore)


@contextmanager
def steps(console: Console) -> Iterator[Step]:
    """Yield a `step(label)` context manager giving a Tick: a spinner, a bar (filling once the step ticks) and the
    elapsed time per step, or nothing off a terminal."""
    if not enabled(console):
        yield no_progress
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn

    # transient: the bars vanish when done, leaving the report itself on screen. A step that reports how far it
    # is (a Tick) gets a filling bar and a percentage; one that does not, a pulsing bar.
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:

        @contextmanager
        def step(label: str) -> Iterator[Tick]:
            task = bar.add_task(label, total=None)

            def tick(done: int, total: int) -> None:
                bar.update(task, completed=done, total=max(total, 1), refresh=True)  # ticks are seconds apart: draw each

            try:
                yield tick
            finally:
                bar.update(task, total=1, completed=1)
                bar.remove_task(task)

        yield step
