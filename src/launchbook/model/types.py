"""The frozen dataclasses of a playbook set.

Past :mod:`launchbook.model` nothing touches dicts from YAML: every other module reads
these types. Each item keeps its :class:`~launchbook.errors.Loc` and the
locations of its reference fields, so checks can point at the exact line.
A :class:`Playbook` finds its items by id or former id (alias): ``pb.failure_mode(id)``,
``pb.question(id)``, ``pb.remediation(id)``, ``pb.role(id)`` ..., from indexes built once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, TypeVar

from ..errors import Loc
from .provenance import ForkChanges

Locs = Mapping[str, Loc]


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    description: str
    loc: Loc


@dataclass(frozen=True)
class Phase:
    id: str
    title: str
    description: str
    index: int
    loc: Loc


@dataclass(frozen=True)
class Level:
    level: int
    name: str
    description: str
    references: tuple[tuple[str, str], ...]
    loc: Loc


@dataclass(frozen=True)
class Manifest:
    title: str
    version: str
    description: str
    categories: tuple[Category, ...]
    phases: tuple[Phase, ...]
    levels: tuple[Level, ...]
    loc: Loc


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    description: str
    titles: tuple[str, ...]
    loc: Loc


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    title: str
    author: str
    publisher: str
    date: str
    url: str
    license: str
    reported_in: tuple[str, ...]
    note: str
    loc: Loc
    locs: Locs = field(compare=False, repr=False)


@dataclass(frozen=True)
class Statistic:
    id: str
    value: str
    number: float
    unit: str
    measures: str
    year: int | None
    year_note: str
    source: str
    reported_in: tuple[str, ...]
    chart: bool
    loc: Loc
    locs: Locs = field(compare=False, repr=False)


MapsTo = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Question:
    id: str
    ask: str
    owner: str
    phase: str
    level: int
    failure_mode: str
    maps_to: MapsTo
    loc: Loc
    locs: Locs = field(compare=False, repr=False)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Remediation:
    id: str
    title: str
    do: str
    owner: str
    involves: tuple[str, ...]
    phase: str
    effort: str
    requires: tuple[str, ...]
    failure_mode: str
    maps_to: MapsTo
    loc: Loc
    locs: Locs = field(compare=False, repr=False)
    aliases: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()  # the questions it gets answered yes (ids or their aliases)


@dataclass(frozen=True)
class Related:
    id: str
    relation: str
    loc: Loc


@dataclass(frozen=True)
class Citation:
    id: str
    note: str
    statistics: tuple[str, ...]
    loc: Loc
    locs: Locs = field(compare=False, repr=False)


@dataclass(frozen=True)
class FailureMode:
    id: str
    aliases: tuple[str, ...]
    title: str
    category: str
    phases: tuple[str, ...]
    summary: str
    signs: tuple[str, ...]
    impact: str
    key_question: str
    questions: tuple[Question, ...]
    remediations: tuple[Remediation, ...]
    related: tuple[Related, ...]
    sources: tuple[Citation, ...]
    tags: tuple[str, ...]
    beyond_articles: bool
    maps_to: MapsTo
    loc: Loc
    locs: Locs = field(compare=False, repr=False)

    def texts(self) -> Iterator[tuple[str, str, Loc]]:
        """Every human-written text of the failure mode, with its field name and location."""
        for name, text, item, key in self._text_items():
            yield name, text, item.locs.get(key, item.loc)

    def text_values(self) -> Iterator[str]:
        """The texts of :meth:`texts` alone, without working out their locations."""
        for _, text, _, _ in self._text_items():
            yield text

    def _text_items(self) -> Iterator[tuple[str, str, FailureMode | Question | Remediation | Citation, str]]:
        for name in ("title", "summary", "impact", "key_question"):
            yield name, getattr(self, name), self, name
        for i, sign in enumerate(self.signs):
            yield "signs", sign, self, f"signs.{i}"
        for q in self.questions:
            yield "ask", q.ask, q, "ask"
        for r in self.remediations:
            yield "title", r.title, r, "title"
            yield "do", r.do, r, "do"
        for c in self.sources:
            yield "note", c.note, c, "note"


@dataclass(frozen=True)
class ChecklistItem:
    kind: str  # "question" | "remediation"
    ref: str
    loc: Loc
    blocking: bool = False  # a "no" on it stops the decision (Yes / No / N/A boxes when printed)


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    meeting: str
    description: str
    attendees: tuple[str, ...]
    phase: str
    group_by: str
    items: tuple[ChecklistItem, ...]
    loc: Loc
    locs: Locs = field(compare=False, repr=False)
    decision: tuple[str, ...] = ()  # the outcomes the meeting decides between (printed to tick)
    deciders: tuple[str, ...] = ()  # role ids who sign the decision off


@dataclass(frozen=True)
class Playbook:
    """A whole playbook set: what the checks, the site and the checklists read."""

    root: str
    manifest: Manifest
    roles: tuple[Role, ...]
    sources: tuple[Source, ...]
    statistics: tuple[Statistic, ...]
    failure_modes: tuple[FailureMode, ...]
    checklists: tuple[Checklist, ...]
    unloaded: tuple[str, ...] = ()  # failure-mode and checklist files that did not load (reported)
    fork_changes: ForkChanges | None = None  # what a fork's overlay changed (None: not a fork)

    @property
    def phase_index(self) -> dict[str, int]:
        return {p.id: p.index for p in self.manifest.phases}

    def questions(self) -> Iterator[Question]:
        for fm in self.failure_modes:
            yield from fm.questions

    def remediations(self) -> Iterator[Remediation]:
        for fm in self.failure_modes:
            yield from fm.remediations

    # ---------------------------------------------------------------- lookups by id
    # Built on first use and kept with the instance (a frozen dataclass still has a __dict__);
    # ``dataclasses.replace`` makes a new playbook, with indexes of its own.
    @cached_property
    def by_id(self) -> Indexes:
        """Every kind of item by id (and former id): ``pb.by_id.failure_modes["no-data"]``."""
        return Indexes(self)

    def failure_mode(self, ident: str) -> FailureMode | None:
        """The failure mode with id ``ident``, or whose former ids (aliases) hold it."""
        return self.by_id.failure_modes.get(ident)

    def question(self, ident: str) -> Question | None:
        """The question with id (or former id) ``ident``."""
        return self.by_id.questions.get(ident)

    def remediation(self, ident: str) -> Remediation | None:
        """The remediation with id (or former id) ``ident``."""
        return self.by_id.remediations.get(ident)

    def role(self, ident: str) -> Role | None:
        return self.by_id.roles.get(ident)

    def checklist(self, ident: str) -> Checklist | None:
        return self.by_id.checklists.get(ident)

    def source(self, ident: str) -> Source | None:
        return self.by_id.sources.get(ident)

    def statistic(self, ident: str) -> Statistic | None:
        return self.by_id.statistics.get(ident)

    def category(self, ident: str) -> Category | None:
        return self.by_id.categories.get(ident)

    def phase(self, ident: str) -> Phase | None:
        return self.by_id.phases.get(ident)


T = TypeVar("T", Category, Phase, Role, Source, Statistic, FailureMode, Question, Remediation, Checklist)


class ById(Mapping[str, T], Generic[T]):
    """Items by id; with aliases, also by former id. The first item of an id wins (a duplicate id
    is reported by the checks); an id always wins over another item's alias."""

    __slots__ = ("_by_alias", "_by_id")

    def __init__(self, items: Iterable[T]) -> None:
        self._by_id: dict[str, T] = {}
        self._by_alias: dict[str, T] = {}
        for item in items:
            self._by_id.setdefault(item.id, item)
            for alias in getattr(item, "aliases", ()):
                self._by_alias.setdefault(alias, item)

    def get(self, ident: str, default: T | None = None) -> T | None:  # type: ignore[override]
        found = self._by_id.get(ident)
        if found is None:
            found = self._by_alias.get(ident, default)
        return found

    def __getitem__(self, ident: str) -> T:
        found = self.get(ident)
        if found is None:
            raise KeyError(ident)
        return found

    def __iter__(self) -> Iterator[str]:
        """The ids (not the aliases), in playbook order."""
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, ident: object) -> bool:
        return ident in self._by_id or ident in self._by_alias

    def aliases(self) -> dict[str, str]:
        """Former id -> current id (the first item to list it)."""
        return {a: item.id for a, item in self._by_alias.items()}


class Indexes:
    """The lookups of one :class:`Playbook`."""

    def __init__(self, pb: Playbook) -> None:
        self.failure_modes = ById(pb.failure_modes)
        self.questions = ById(pb.questions())
        self.remediations = ById(pb.remediations())
        self.roles = ById(pb.roles)
        self.checklists = ById(pb.checklists)
        self.sources = ById(pb.sources)
        self.statistics = ById(pb.statistics)
        self.categories = ById(pb.manifest.categories)
        self.phases = ById(pb.manifest.phases)
