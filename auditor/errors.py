"""Errors that end a run with exit code 2 and one clear line (or a list, for rule packs)."""

from __future__ import annotations


class AuditorError(Exception):
    """Base class: the message is shown to the user as is, without a traceback."""


class InputError(AuditorError):
    """An input file cannot be read or lacks what the data contract requires."""


class ConfigError(AuditorError):
    """Configuration, a mapping file or a command-line value is invalid."""


class RulesError(AuditorError):
    """One or more rule packs are invalid; every problem is listed, each naming file and rule."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in rule packs:\n" + "\n".join(f"  {p}" for p in problems))
