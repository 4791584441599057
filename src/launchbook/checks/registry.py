"""What every graph check is built from: the :func:`check` decorator, the :class:`Context` a check
reads, and the helpers of the hints that several checks give.

A check is a small generator ``fn(ctx, code)`` over the playbook that yields
:class:`~launchbook.errors.Problem` values made with ``code.at(...)``, so each problem carries the
level its code is declared with. Its docstring is its documentation: :func:`check` declares the code
in the one registry (:mod:`launchbook.codes`) with it, and ``launchbook explain CODE`` prints it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..codes import Code, declare
from ..errors import Level, Loc, Problem, did_you_mean
from ..graph import build_graph
from ..model import FailureMode, Playbook, Question, Remediation

if TYPE_CHECKING:  # networkx is imported where a graph is built: `launchbook check` rarely needs it
    import networkx as nx

__all__ = ["CHECKS", "Check", "CheckFn", "Context", "check", "missing", "unloaded_hint"]


@dataclass
class Context:
    """What a check reads: the playbook, its graph and id lookups (first definition wins)."""

    pb: Playbook
    fms: dict[str, FailureMode] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    remediations: dict[str, Remediation] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for fm in self.pb.failure_modes:
            self.fms.setdefault(fm.id, fm)
            for q in fm.questions:
                self.questions.setdefault(q.id, q)
            for r in fm.remediations:
                self.remediations.setdefault(r.id, r)
        for fm in self.pb.failure_modes:
            for a in fm.aliases:
                self.aliases.setdefault(a, fm.id)

    @cached_property
    def graph(self) -> nx.DiGraph:
        return build_graph(self.pb)

    @cached_property
    def roles(self) -> set[str]:
        return {r.id for r in self.pb.roles}

    @cached_property
    def sources(self) -> set[str]:
        return {s.id for s in self.pb.sources}

    @cached_property
    def stats(self) -> dict[str, str]:
        return {s.id: s.value for s in self.pb.statistics}

    @cached_property
    def phases(self) -> dict[str, int]:
        return self.pb.phase_index

    @cached_property
    def categories(self) -> set[str]:
        return {c.id for c in self.pb.manifest.categories}


CheckFn = Callable[[Context, Code], Iterator[Problem]]


@dataclass(frozen=True)
class Check:
    """A registered check: its declared code (id, name, level, documentation) and its function."""

    declared: Code
    fn: CheckFn

    @property
    def code(self) -> str:
        return self.declared.code

    @property
    def name(self) -> str:
        return self.declared.name

    @property
    def level(self) -> Level:
        return self.declared.level

    @property
    def doc(self) -> str:
        return self.declared.doc

    @property
    def summary(self) -> str:
        return self.declared.summary

    def run(self, ctx: Context) -> Iterator[Problem]:
        return self.fn(ctx, self.declared)


CHECKS: dict[str, Check] = {}


def check(code: str, name: str, level: Level = "error") -> Callable[[CheckFn], CheckFn]:
    """Register a check under a stable code and a readable name, and declare the code (its
    documentation is the function's docstring)."""

    def register(fn: CheckFn) -> CheckFn:
        CHECKS[code] = Check(declare(code, name, fn.__doc__ or "", level), fn)
        return fn

    return register


def missing(
    code: Code,
    what: str,
    ident: str,
    loc: Loc,
    known: Iterable[str],
    where: str,
    unloaded: Iterable[str] = (),
) -> Problem:
    """An unknown id: the hint names the closest known one, or the files that did not load."""
    hint = did_you_mean(ident, known) or unloaded_hint(unloaded) or f"define it in {where}, or fix the id"
    return code.at(loc, f"unknown {what} '{ident}'", hint)


def unloaded_hint(unloaded: Iterable[str], lead: str = "it may be defined in") -> str:
    """A hint for a finding that may only be the echo of a file that did not load."""
    files = sorted(unloaded)
    if not files:
        return ""
    return f"{lead} {', '.join(files)}, which did not load; fix the errors there first"
