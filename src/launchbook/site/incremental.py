"""What lets ``launchbook serve`` rebuild only what an edit changed.

Three pieces, all keyed on the immutable model, so a stale result is impossible
(a changed input is a different key):

- :class:`PageCache` remembers each failure-mode page with the failure mode it
  was rendered from and a key of everything else the page reads (role names,
  other titles, the requires graph); an edit to one failure mode re-renders
  that page only. The other pages (categories, roles, roadmap, graph, ...) are kept
  as long as no failure mode's outline (everything but its prose) changed.
- :func:`materialize` writes pages into a folder only when their content
  changed, so MkDocs' dirty build (which compares modification times) skips
  every unchanged page.
- the plugin re-renders a checklist's PDFs only when the tailored checklist changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from ..model import FailureMode, Playbook
from ..schema import FAILURE_MODE, Obj, Seq

T = TypeVar("T")


def context_key(pb: Playbook) -> int:
    """What a failure-mode page reads besides its own failure mode."""
    return hash(
        (
            pb.manifest,
            pb.roles,
            pb.sources,
            pb.statistics,
            tuple((fm.id, fm.title, fm.key_question, fm.category, fm.aliases) for fm in pb.failure_modes),
            # a page draws the failure modes that relate to it (its neighbourhood graph)
            tuple((fm.id, tuple((r.id, r.relation) for r in fm.related)) for fm in pb.failure_modes),
            tuple((r.id, r.title, r.phase, r.requires, r.failure_mode) for r in pb.remediations()),
        )
    )


# The prose of a failure mode: shown only on its own page (and kept out of :func:`outline`).
PROSE = frozenset({"summary", "signs", "impact", "do", "note"})


def _fields(item: Any, spec: Obj) -> tuple[object, ...]:
    """The values of ``item`` for every field of its schema ``spec`` but the prose; lists of objects
    field by field the same way (so no line numbers: a location is not a schema field)."""
    out: list[object] = []
    for f in spec.fields:
        if f.name in PROSE:
            continue
        value = getattr(item, f.name)
        if isinstance(f.spec, Seq) and isinstance(f.spec.item, Obj):
            value = tuple(_fields(v, f.spec.item) for v in value)
        out.append(value)
    return tuple(out)


def outline(fm: FailureMode) -> tuple[object, ...]:
    """Everything of a failure mode that pages other than its own show: all but its prose
    (summary, signs, impact, remediation steps, source notes) and its line numbers. Taken from
    the schema, so a new field is in the outline without a change here.
    ``tests/test_serve.py`` checks that changing the prose leaves every other page unchanged."""
    return _fields(fm, FAILURE_MODE)


def aggregate_key(pb: Playbook) -> int:
    """What the pages that are not one failure mode's read."""
    return hash(
        (
            pb.manifest,
            pb.roles,
            pb.sources,
            pb.statistics,
            pb.checklists,
            tuple(outline(fm) for fm in pb.failure_modes),
        )
    )


class PageCache:
    """Rendered failure-mode pages and the graph SVG from the previous build."""

    def __init__(self) -> None:
        self._ctx: int | None = None
        self._pages: dict[str, tuple[FailureMode, str]] = {}
        self._aggregate: tuple[int, list[Any]] | None = None
        self.hits = 0
        self.misses = 0

    def start(self, pb: Playbook) -> None:
        """Begin a build: forget every page if what pages share has changed."""
        key = context_key(pb)
        if key != self._ctx:
            self._pages.clear()
            self._ctx = key
        self.hits = self.misses = 0

    def failure_mode_page(self, fm: FailureMode, render: Callable[[], str]) -> str:
        cached = self._pages.get(fm.id)
        if cached is not None and cached[0] == fm:
            self.hits += 1
            return cached[1]
        self.misses += 1
        content = render()
        self._pages[fm.id] = (fm, content)
        return content

    def aggregate_pages(self, pb: Playbook, render: Callable[[], list[T]]) -> list[T]:
        key = aggregate_key(pb)
        if self._aggregate is None or self._aggregate[0] != key:
            self._aggregate = (key, list(render()))
        return list(self._aggregate[1])


def materialize(pages: Iterable[tuple[str, str]], folder: Path) -> int:
    """Write ``(src, content)`` pages under ``folder``, touching only changed files; returns how many changed."""
    changed = 0
    for src, content in pages:
        path = folder / src
        data = content.encode("utf-8")
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        changed += 1
    return changed


def digest(value: object) -> str:
    """A stable digest of a value's repr (frozen dataclasses repr all their compared fields)."""
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).hexdigest()
