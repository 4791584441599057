"""The consistency checks over a whole playbook set (codes LB301-LB326), one module per family.

- :mod:`.references`: ids lead somewhere, once (dangling references, duplicate ids, aliases,
  self-references, maturity levels, crosswalk ids);
- :mod:`.order`: the order of remediations (``requires`` cycles and later phases);
- :mod:`.coverage`: everything is owned and covered (roles, owners, remediations, questions,
  checklist items);
- :mod:`.sources`: what is claimed is grounded (sources, statistics, figures, years);
- :mod:`.answers`: remediations answer questions that exist, and every question is answered.

Each check is a small generator registered with :func:`check`, which also declares its code in
the registry (:mod:`launchbook.codes`) with the function's docstring as its documentation: what it
catches, an example, how to fix it. Importing this package imports every family, so every check
is registered. To add a check: a generator in its family's module, decorated with
``@check(code, name)``, whose docstring has an example and the fix; tests/test_checks.py wants a
case that makes it fire.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import Problem, sorted_problems
from ..model import LoadResult, Playbook
from . import answers, coverage, order, references, sources
from .registry import CHECKS, Check, CheckFn, Context, check
from .sources import FIGURE_RE

__all__ = [
    "CHECKS",
    "FIGURE_RE",
    "Check",
    "CheckFn",
    "Context",
    "answers",
    "blocking_errors",
    "check",
    "coverage",
    "order",
    "references",
    "run_checks",
    "sources",
]


def run_checks(pb: Playbook, select: Iterable[str] | None = None) -> list[Problem]:
    """The problems of every check (or of those whose code or name is in ``select``), in code order."""
    ctx = Context(pb)
    wanted = set(select) if select else None
    out: list[Problem] = []
    for _, chk in sorted(CHECKS.items()):
        if wanted is None or chk.code in wanted or chk.name in wanted:
            out.extend(chk.run(ctx))
    return out


def blocking_errors(res: LoadResult) -> list[Problem]:
    """The errors that stop a command from using a playbook set: loading errors, then check errors, sorted."""
    problems = list(res.problems)
    if res.playbook is not None:
        problems += run_checks(res.playbook)
    return [p for p in sorted_problems(problems) if p.level == "error"]
