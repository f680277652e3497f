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

Step = Callable[[str], AbstractContextManager[None]]


def enabled(console: Console) -> bool:
    """Whether progress may be drawn on this console: a real terminal, outside CI."""
    return console.is_terminal and not console.is_dumb_terminal and not os.environ.get("CI")


def no_progress(label: str) -> AbstractContextManager[None]:
    """A step that shows nothing."""
    return nullcontext()


@contextmanager
def steps(console: Console) -> Iterator[Step]:
    """Yield a `step(label)` context manager: a spinner with elapsed time per step, or nothing off a terminal."""
    if not enabled(console):
        yield no_progress
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    # transient: the bars vanish when done, leaving the report itself on screen.
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True) as bar:

        @contextmanager
        def step(label: str) -> Iterator[None]:
            task = bar.add_task(label, total=None)
            try:
                yield
            finally:
                bar.update(task, total=1, completed=1)
                bar.remove_task(task)

        yield step
