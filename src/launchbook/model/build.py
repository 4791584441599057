"""Building the dataclasses of :mod:`launchbook.model.types` from validated documents.

Used by the playbook loader and by the overlay, which builds the items a fork adds or
extends with the very same functions (so a new field needs no change in the overlay).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import Loc
from ..loader import Document
from .types import (
    Category,
    Checklist,
    ChecklistItem,
    Citation,
    FailureMode,
    Level,
    Locs,
    Manifest,
    MapsTo,
    Phase,
    Question,
    Related,
    Remediation,
    Role,
    Source,
    Statistic,
)

Key = tuple[str | int, ...]


class Builder:
    """Locations inside one document, below ``prefix`` (an entry's key path; the root by default)."""

    def __init__(self, doc: Document, prefix: Key = ()) -> None:
        self.doc = doc
        self.path = doc.path
        self.prefix = prefix

    def loc(self, *key: str | int) -> Loc:
        line, col = self.doc.pos(*self.prefix, *key)
        return Loc(self.path, line, col)

    def locs(self, sub: Key, data: Mapping[str, Any]) -> Locs:
        """The locations of the fields and list entries of ``data``, found at ``sub``."""
        return LazyLocs(self.doc, (*self.prefix, *sub), data)


class LazyLocs(Mapping[str, Loc]):
    """The locations of an item's fields (``name``) and list entries (``name.i``).

    A read-only mapping worked out on access from the document's node positions: a playbook
    set has about a hundred of these per failure-mode file and checks read only a few (those
    they report), so building each :class:`Loc` up front was a large share of loading. Keys,
    order and values are what a dict built eagerly would hold.
    """

    __slots__ = ("_data", "_doc", "_prefix")

    def __init__(self, doc: Document, prefix: Key, data: Mapping[str, Any]) -> None:
        self._doc = doc
        self._prefix = prefix
        self._data = data

    def _node_key(self, key: str) -> Key | None:
        data = self._data
        if key in data:
            return (*self._prefix, key)
        name, dot, index = key.rpartition(".")
        if not dot or not index.isascii() or not index.isdigit() or (index[0] == "0" and index != "0"):
            return None
        value = data.get(name)
        if isinstance(value, list) and int(index) < len(value):
            return (*self._prefix, name, int(index))
        return None

    def __getitem__(self, key: str) -> Loc:
        node_key = self._node_key(key) if isinstance(key, str) else None
        if node_key is None:
            raise KeyError(key)
        line, col = self._doc.pos(*node_key)
        return Loc(self._doc.path, line, col)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._node_key(key) is not None

    def __iter__(self) -> Iterator[str]:
        for name, value in self._data.items():
            yield name
            if isinstance(value, list):
                for i in range(len(value)):
                    yield f"{name}.{i}"

    def __len__(self) -> int:
        return sum(1 + len(v) if isinstance(v, list) else 1 for v in self._data.values())

    def __repr__(self) -> str:
        return repr(dict(self))


def build_maps_to(data: Mapping[str, Any]) -> MapsTo:
    """The ``maps_to`` crosswalk of an item's data, sorted by framework, lists as tuples."""
    return tuple((k, tuple(v)) for k, v in sorted(data.get("maps_to", {}).items()))


def build_manifest(doc: Document) -> Manifest:
    d = doc.data or {}
    b = Builder(doc)
    return Manifest(
        title=d["title"],
        version=d["version"],
        description=d.get("description", ""),
        categories=tuple(
            Category(c["id"], c["title"], c["description"], b.loc("categories", i))
            for i, c in enumerate(d["categories"])
        ),
        phases=tuple(
            Phase(p["id"], p["title"], p["description"], i, b.loc("phases", i))
            for i, p in enumerate(d["phases"])
        ),
        levels=tuple(
            Level(
                lv["level"],
                lv["name"],
                lv["description"],
                tuple(sorted(lv.get("references", {}).items())),
                b.loc("levels", i),
            )
            for i, lv in enumerate(d["levels"])
        ),
        loc=b.loc(),
    )


def build_role(r: Mapping[str, Any], loc: Loc) -> Role:
    return Role(r["id"], r["name"], r["description"], tuple(r.get("titles", ())), loc)


def build_roles(doc: Document) -> tuple[Role, ...]:
    b = Builder(doc)
    return tuple(build_role(r, b.loc("roles", i)) for i, r in enumerate((doc.data or {})["roles"]))


def build_sources(doc: Document) -> tuple[tuple[Source, ...], tuple[Statistic, ...]]:
    d = doc.data or {}
    b = Builder(doc)
    sources = tuple(
        Source(
            id=s["id"],
            kind=s["kind"],
            title=s["title"],
            author=s["author"],
            publisher=s.get("publisher", ""),
            date=s["date"],
            url=s.get("url", ""),
            license=s.get("license", ""),
            reported_in=tuple(s.get("reported_in", ())),
            note=s.get("note", ""),
            loc=b.loc("sources", i),
            locs=b.locs(("sources", i), s),
        )
        for i, s in enumerate(d.get("sources", ()))
    )
    stats = tuple(
        Statistic(
            id=s["id"],
            value=s["value"],
            number=float(s["number"]),
            unit=s["unit"],
            measures=s["measures"],
            year=s.get("year"),
            year_note=s.get("year_note", ""),
            source=s["source"],
            reported_in=tuple(s.get("reported_in", ())),
            chart=bool(s.get("chart", False)),
            loc=b.loc("statistics", i),
            locs=b.locs(("statistics", i), s),
        )
        for i, s in enumerate(d.get("statistics", ()))
    )
    return sources, stats


def build_question(q: Mapping[str, Any], fid: str, b: Builder, i: int) -> Question:
    """Question ``i`` of the ``questions`` list at ``b`` (of failure mode ``fid``)."""
    return Question(
        id=q["id"],
        ask=q["ask"],
        owner=q["owner"],
        phase=q["phase"],
        level=q["level"],
        failure_mode=fid,
        maps_to=build_maps_to(q),
        loc=b.loc("questions", i),
        locs=b.locs(("questions", i), q),
        aliases=tuple(q.get("aliases", ())),
    )


def build_remediation(r: Mapping[str, Any], fid: str, b: Builder, i: int) -> Remediation:
    """Remediation ``i`` of the ``remediations`` list at ``b`` (of failure mode ``fid``)."""
    return Remediation(
        id=r["id"],
        title=r["title"],
        do=r["do"],
        owner=r["owner"],
        involves=tuple(r.get("involves", ())),
        phase=r["phase"],
        effort=r["effort"],
        requires=tuple(r.get("requires", ())),
        failure_mode=fid,
        maps_to=build_maps_to(r),
        loc=b.loc("remediations", i),
        locs=b.locs(("remediations", i), r),
        aliases=tuple(r.get("aliases", ())),
        answers=tuple(r.get("answers", ())),
    )


def build_related(items: Any, b: Builder) -> tuple[Related, ...]:
    """The ``related`` list at ``b``."""
    return tuple(Related(r["id"], r["relation"], b.loc("related", i, "id")) for i, r in enumerate(items))


def build_citations(items: Any, b: Builder) -> tuple[Citation, ...]:
    """The ``sources`` list (citations) at ``b``."""
    return tuple(
        Citation(
            c["id"],
            c["note"],
            tuple(c.get("statistics", ())),
            b.loc("sources", i, "id"),
            b.locs(("sources", i), c),
        )
        for i, c in enumerate(items)
    )


def build_items(items: Any, b: Builder) -> tuple[ChecklistItem, ...]:
    """A checklist's ``items`` list at ``b``."""
    out = []
    for i, it in enumerate(items):
        kind = "question" if "question" in it else "remediation"
        out.append(ChecklistItem(kind, it[kind], b.loc("items", i, kind), bool(it.get("blocking", False))))
    return tuple(out)


def build_failure_mode(doc: Document) -> FailureMode:
    d = doc.data or {}
    b = Builder(doc)
    fid = d["id"]
    return FailureMode(
        id=fid,
        aliases=tuple(d.get("aliases", ())),
        title=d["title"],
        category=d["category"],
        phases=tuple(d["phases"]),
        summary=d["summary"],
        signs=tuple(d["signs"]),
        impact=d["impact"],
        key_question=d["key_question"],
        questions=tuple(build_question(q, fid, b, i) for i, q in enumerate(d["questions"])),
        remediations=tuple(build_remediation(r, fid, b, i) for i, r in enumerate(d["remediations"])),
        related=build_related(d.get("related", ()), b),
        sources=build_citations(d["sources"], b),
        tags=tuple(d.get("tags", ())),
        beyond_articles=bool(d.get("beyond_articles", False)),
        maps_to=build_maps_to(d),
        loc=b.loc(),
        locs=b.locs((), d),
    )


def build_checklist(doc: Document) -> Checklist:
    d = doc.data or {}
    b = Builder(doc)
    return Checklist(
        id=d["id"],
        title=d["title"],
        meeting=d["meeting"],
        description=d["description"],
        attendees=tuple(d.get("attendees", ())),
        phase=d.get("phase", ""),
        group_by=d.get("group_by", "failure-mode"),
        items=build_items(d["items"], b),
        loc=b.loc(),
        locs=b.locs((), d),
        decision=tuple(d.get("decision", ())),
        deciders=tuple(d.get("deciders", ())),
    )
