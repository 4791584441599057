"""``launchbook explain CODE``: what a problem code catches and how to fix it.

Every code is declared once, next to the code that emits it (:mod:`launchbook.codes`). The registry
holds only the codes of modules already imported, so this module imports every module that
declares codes (:data:`EMITTERS`; a test keeps the list complete) before it reads them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..codes import lookup, registered
from ..errors import UsageError, did_you_mean

HELP = "Explain a problem code: what it catches and how to fix it."

EXAMPLES = """
examples:
  launchbook explain LB301
  launchbook explain requires-cycle
"""

# Every module that declares problem codes (``declare(...)``) or registers checks (``@check``).
EMITTERS = (
    "launchbook.loader_codes",
    "launchbook.markup",
    "launchbook.checks.references",
    "launchbook.checks.order",
    "launchbook.checks.coverage",
    "launchbook.checks.sources",
    "launchbook.checks.answers",
    "launchbook.overlay.additions",
    "launchbook.overlay.changes",
    "launchbook.overlay.exclusions",
    "launchbook.overlay.files",
    "launchbook.overlay.state",
    "launchbook.assess.answers",
    "launchbook.assess.merge",
    "launchbook.importers.common",
    "launchbook.glyphs",
    "launchbook.fork.diff",
)


def _load() -> None:
    for module in EMITTERS:
        importlib.import_module(module)


def all_codes() -> list[tuple[str, str, str, str]]:
    """(code, name, level, summary) of every code launchbook can report, in code order."""
    _load()
    return sorted((c.code, c.name, c.level, c.summary) for c in registered())


def explain(code: str) -> str | None:
    """Documentation of a code (``LB301``) or name (``dangling-reference``), or None."""
    _load()
    found = lookup(code)
    return found.explain() if found else None


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", help="a code such as LB301, or a check name")


def run(args: argparse.Namespace) -> int:
    doc = explain(args.code)
    if doc is None:
        rows = all_codes()
        hint = did_you_mean(args.code, [c for c, *_ in rows] + [n for _, n, *_ in rows])
        raise UsageError(
            f"unknown code '{args.code}'"
            + (f"; {hint}" if hint else "; see 'launchbook check --list-checks'")
        )
    sys.stdout.write(doc)
    return 0
