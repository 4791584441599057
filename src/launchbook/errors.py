"""The one problem type every part of launchbook reports, and its formatting.

Loader, schema, graph checks, overlays and the CLI all yield :class:`Problem`
values; reporters in :mod:`launchbook.report` format them. Nothing else prints.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Loc:
    """Where something is: a file and a 1-based line and column (0 when unknown)."""

    path: str
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Problem:
    """One finding: a stable code, a level, what is wrong, where, and how to fix it."""

    code: str
    level: Level
    message: str
    path: str
    line: int = 0
    column: int = 0
    hint: str = ""

    @classmethod
    def at(cls, code: str, loc: Loc, message: str, hint: str = "", level: Level = "error") -> Problem:
        return cls(code, level, message, loc.path, loc.line, loc.column, hint)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def location(self) -> str:
        """``path:line:col`` (line and column left out when unknown)."""
        if self.line:
            return f"{self.path}:{self.line}:{self.column or 1}"
        return self.path


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in a stable order (file, line, column, code), duplicates removed."""
    return sorted(set(problems), key=Problem.sort_key)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ``did you mean 'x'?`` hint, or an empty string when nothing is close."""
    known = list(candidates)
    matches = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if not matches and len(word) >= 3:  # a shortened id: 'go-no-go' for 'go-no-go-production'
        matches = [k for k in known if k.startswith(word) or (len(word) >= 5 and word in k)][:2]
        if len(matches) != 1:
            matches = []
    return f"did you mean '{matches[0]}'?" if matches else ""


class UsageError(Exception):
    """A command-line mistake (unknown name, bad option): exit status 2."""


class PlaybookErrors(Exception):
    """The playbooks a command needs have errors (or did not load at all).

    Library code raises it with the blocking ``problems``; the CLI prints them with the text
    reporter and exits 2 when nothing loaded (``loaded`` false), else 1.
    """

    def __init__(self, problems: Iterable[Problem], files: int, loaded: bool) -> None:
        self.problems = tuple(problems)
        self.files = files
        self.loaded = loaded
        super().__init__(f"{len(self.problems)} problem(s) in the playbooks")
