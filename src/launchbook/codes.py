"""The one registry of problem codes.

Each code is declared once, next to the code that emits it (yamllint's shape: one rule, one
place), with its stable id, a readable name, its level and its documentation. The documentation's
first line is the summary ``launchbook check --list-checks`` prints; the rest says what the code
catches, shows a failing and a passing example, and how to fix it (``launchbook explain CODE``)::

    BAD_ID = declare("LB203", "bad-id", '''
        An id that is not plain kebab-case.

        Example::

            id: No_Data      # LB203

        Fix: lower-case letters and digits, single hyphens: ``id: no-data``.
        ''')

    yield BAD_ID.at(loc, f"'{value}' is not a kebab-case id", "write it as 'no-data'")

The level belongs to the code, not to the message: a warning is declared with
``level="warning"`` and every :class:`~launchbook.errors.Problem` it makes carries that level.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from .errors import Level, Loc, Problem

__all__ = ["REGISTRY", "Code", "declare", "lookup", "registered"]


@dataclass(frozen=True)
class Code:
    """A problem code: ``LB203`` named ``bad-id``, an error, with its documentation."""

    code: str
    name: str
    level: Level
    doc: str

    @property
    def summary(self) -> str:
        """The documentation's first line."""
        return self.doc.splitlines()[0] if self.doc else ""

    def at(self, loc: Loc, message: str, hint: str = "") -> Problem:
        """A problem of this code at ``loc``, with this code's level."""
        return Problem(self.code, self.level, message, loc.path, loc.line, loc.column, hint)

    def explain(self) -> str:
        """What ``launchbook explain`` prints."""
        return f"{self.code} {self.name} ({self.level})\n\n{self.doc}\n"


REGISTRY: dict[str, Code] = {}


def declare(code: str, name: str, doc: str, level: Level = "error") -> Code:
    """Register ``code`` once; declaring the same code or name twice (differently) is a bug."""
    entry = Code(code, name, level, inspect.cleandoc(doc))
    old = REGISTRY.get(code)
    if old is not None and old != entry:
        raise ValueError(f"problem code {code} declared twice: {old.name} and {name}")
    clash = next((c for c in REGISTRY.values() if c.name == name and c.code != code), None)
    if clash is not None:
        raise ValueError(f"problem name '{name}' used by {clash.code} and {code}")
    REGISTRY[code] = entry
    return entry


def lookup(key: str) -> Code | None:
    """The code named by ``LB301`` (any case) or by its name (``dangling-reference``)."""
    key = key.strip()
    found = REGISTRY.get(key.upper())
    return found or next((c for c in REGISTRY.values() if c.name == key), None)


def registered() -> list[Code]:
    """Every declared code, in code order. Only codes of modules already imported are here: the
    commands layer imports every emitting module before it lists or explains codes."""
    return sorted(REGISTRY.values(), key=lambda c: c.code)
