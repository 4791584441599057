"""Frozen dataclasses for a playbook set, and building them from loaded files.

Past this module nothing touches dicts from YAML: every other module reads
these types. Each item keeps its :class:`~launchbook.errors.Loc` and the
locations of its reference fields, so checks can point at the exact line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Loc, Problem
from .loader import Document, load_bytes, load_document, no_gc
from .schema import CHECKLIST, FAILURE_MODE, MANIFEST, ROLES, SOURCES, Obj

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

    @property
    def phase_index(self) -> dict[str, int]:
        return {p.id: p.index for p in self.manifest.phases}

    def questions(self) -> Iterator[Question]:
        for fm in self.failure_modes:
            yield from fm.questions

    def remediations(self) -> Iterator[Remediation]:
        for fm in self.failure_modes:
            yield from fm.remediations


# ------------------------------------------------------------------ building
class _Builder:
    """Turns a validated :class:`Document` into dataclasses, keeping locations."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.path = doc.path

    def loc(self, *key: str | int) -> Loc:
        line, col = self.doc.pos(*key)
        return Loc(self.path, line, col)

    def locs(self, prefix: tuple[str | int, ...], data: Mapping[str, Any]) -> Locs:
        return LazyLocs(self.doc, prefix, data)


class LazyLocs(Mapping[str, Loc]):
    """The locations of an item's fields (``name``) and list entries (``name.i``).

    A read-only mapping worked out on access from the document's node positions: a playbook
    set has about a hundred of these per failure-mode file and checks read only a few (those
    they report), so building each :class:`Loc` up front was a large share of loading. Keys,
    order and values are what a dict built eagerly would hold.
    """

    __slots__ = ("_data", "_doc", "_prefix")

    def __init__(self, doc: Document, prefix: tuple[str | int, ...], data: Mapping[str, Any]) -> None:
        self._doc = doc
        self._prefix = prefix
        self._data = data

    def _node_key(self, key: str) -> tuple[str | int, ...] | None:
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


def _maps_to(data: Mapping[str, Any]) -> MapsTo:
    return tuple((k, tuple(v)) for k, v in sorted(data.get("maps_to", {}).items()))


def build_manifest(doc: Document) -> Manifest:
    d = doc.data or {}
    b = _Builder(doc)
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


def build_roles(doc: Document) -> tuple[Role, ...]:
    b = _Builder(doc)
    return tuple(
        Role(r["id"], r["name"], r["description"], tuple(r.get("titles", ())), b.loc("roles", i))
        for i, r in enumerate((doc.data or {})["roles"])
    )


def build_sources(doc: Document) -> tuple[tuple[Source, ...], tuple[Statistic, ...]]:
    d = doc.data or {}
    b = _Builder(doc)
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
        for i, s in enumerate(d["sources"])
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


def build_failure_mode(doc: Document) -> FailureMode:
    d = doc.data or {}
    b = _Builder(doc)
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
        questions=tuple(
            Question(
                id=q["id"],
                ask=q["ask"],
                owner=q["owner"],
                phase=q["phase"],
                level=q["level"],
                failure_mode=fid,
                maps_to=_maps_to(q),
                loc=b.loc("questions", i),
                locs=b.locs(("questions", i), q),
                aliases=tuple(q.get("aliases", ())),
            )
            for i, q in enumerate(d["questions"])
        ),
        remediations=tuple(
            Remediation(
                id=r["id"],
                title=r["title"],
                do=r["do"],
                owner=r["owner"],
                involves=tuple(r.get("involves", ())),
                phase=r["phase"],
                effort=r["effort"],
                requires=tuple(r.get("requires", ())),
                failure_mode=fid,
                maps_to=_maps_to(r),
                loc=b.loc("remediations", i),
                locs=b.locs(("remediations", i), r),
                aliases=tuple(r.get("aliases", ())),
            )
            for i, r in enumerate(d["remediations"])
        ),
        related=tuple(
            Related(r["id"], r["relation"], b.loc("related", i, "id"))
            for i, r in enumerate(d.get("related", ()))
        ),
        sources=tuple(
            Citation(
                c["id"],
                c["note"],
                tuple(c.get("statistics", ())),
                b.loc("sources", i, "id"),
                b.locs(("sources", i), c),
            )
            for i, c in enumerate(d["sources"])
        ),
        tags=tuple(d.get("tags", ())),
        beyond_articles=bool(d.get("beyond_articles", False)),
        maps_to=_maps_to(d),
        loc=b.loc(),
        locs=b.locs((), d),
    )


def build_checklist(doc: Document) -> Checklist:
    d = doc.data or {}
    b = _Builder(doc)
    items = []
    for i, it in enumerate(d["items"]):
        kind = "question" if "question" in it else "remediation"
        items.append(ChecklistItem(kind, it[kind], b.loc("items", i, kind)))
    return Checklist(
        id=d["id"],
        title=d["title"],
        meeting=d["meeting"],
        description=d["description"],
        attendees=tuple(d.get("attendees", ())),
        phase=d.get("phase", ""),
        group_by=d.get("group_by", "failure-mode"),
        items=tuple(items),
        loc=b.loc(),
        locs=b.locs((), d),
        decision=tuple(d.get("decision", ())),
    )


# ------------------------------------------------------------------ loading
@dataclass(frozen=True)
class LoadResult:
    """A playbook set (``None`` when a core file is unusable) and every loading problem."""

    playbook: Playbook | None
    problems: tuple[Problem, ...]
    files: int


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def yaml_files(folder: Path) -> list[Path]:
    """The ``.yml``/``.yaml`` files in ``folder`` (following symlinks), sorted: not folders.

    Listed with ``os.scandir``, whose entries know their type without a ``stat`` per file;
    a symlink is tested with ``Path.is_file`` as before (it reads a dangling or looping link
    as not a file).
    """
    if not folder.is_dir():
        return []
    names = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            dot = name.rfind(".")  # Path.suffix: the last '.' part, not a leading or trailing '.'
            if not (0 < dot < len(name) - 1 and name[dot:] in (".yml", ".yaml")):
                continue
            # a regular file, and also a FIFO, device or socket (the loader refuses it with a
            # located error instead of leaving it out silently); not a folder, not a dangling link
            if entry.is_file(follow_symlinks=False) or not (
                entry.is_dir() or (entry.is_symlink() and not (folder / name).exists())
            ):
                names.append(name)
    if os.name == "posix":  # paths in one folder sort as their names (case-sensitive parts)
        return [folder / name for name in sorted(names)]
    return sorted(folder / name for name in names)


CORE_FILES = (("launchbook.yml", MANIFEST), ("roles.yml", ROLES), ("sources.yml", SOURCES))


def playbook_files(root: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """What :func:`load_playbook` reads: the core files (whether or not they exist), then the
    failure-mode and checklist files."""
    return (
        [root / name for name, _ in CORE_FILES],
        yaml_files(root / "failure-modes"),
        yaml_files(root / "checklists"),
    )


def _display_paths(folder: Path, files: list[Path]) -> list[str]:
    """:func:`display_path` of each file directly in ``folder``, with one ``relpath`` in all."""
    try:
        rel = os.path.relpath(folder)
    except ValueError:  # pragma: no cover - other drive on Windows
        return [display_path(p) for p in files]
    out = []
    for p in files:
        shown = p.name if rel == "." else os.path.join(rel, p.name)
        out.append(str(p) if shown.startswith("..") else shown)
    return out


def load_playbook(root: Path, contents: Mapping[Path, bytes] | None = None) -> LoadResult:
    """Load ``root`` (a playbooks folder). Every file is read; a broken file is reported and skipped.

    ``contents`` holds the bytes of every existing file of :func:`playbook_files`, already read
    (the check cache hashes exactly what is loaded); without it, files are read here.
    """
    # The cyclic collector is paused for the whole load: it would otherwise walk the
    # millions of young objects (nodes, then dataclasses) again and again, for nothing.
    with no_gc():
        return _load_playbook(root, contents)


def _load_one(
    path: Path, spec: Obj, shown: str, contents: Mapping[Path, bytes] | None, root: Path
) -> Document:
    if contents is not None:
        return load_bytes(contents[path], spec, shown)
    return load_document(path, spec, shown, root)


def _load_playbook(root: Path, contents: Mapping[Path, bytes] | None) -> LoadResult:
    problems: list[Problem] = []
    docs: dict[str, Document] = {}
    core, fm_files, cl_files = playbook_files(root)
    for (name, spec), path in zip(CORE_FILES, core, strict=True):
        if (path not in contents) if contents is not None else not path.exists():
            problems.append(
                Problem(
                    "LB116",
                    "error",
                    f"missing {name}",
                    display_path(path),
                    hint=f"a playbook folder needs {name}; run 'launchbook init' for a starting point",
                )
            )
            continue
        docs[name] = _load_one(path, spec, display_path(path), contents, root)
    fm_docs = [
        _load_one(p, FAILURE_MODE, shown, contents, root)
        for p, shown in zip(fm_files, _display_paths(root / "failure-modes", fm_files), strict=True)
    ]
    cl_docs = [
        _load_one(p, CHECKLIST, shown, contents, root)
        for p, shown in zip(cl_files, _display_paths(root / "checklists", cl_files), strict=True)
    ]
    for doc in (*docs.values(), *fm_docs, *cl_docs):
        problems.extend(doc.problems)
    core_ok = len(docs) == 3 and all(d.ok for d in docs.values())
    if not core_ok:
        return LoadResult(None, tuple(problems), len(docs) + len(fm_docs) + len(cl_docs))
    manifest = build_manifest(docs["launchbook.yml"])
    roles = build_roles(docs["roles.yml"])
    sources, stats = build_sources(docs["sources.yml"])
    fms = []
    for doc in fm_docs:
        if doc.ok:
            fm = build_failure_mode(doc)
            _check_file_id(doc, fm.id, "failure mode", problems)
            fms.append(fm)
    cls = []
    for doc in cl_docs:
        if doc.ok:
            cl = build_checklist(doc)
            _check_file_id(doc, cl.id, "checklist", problems)
            cls.append(cl)
    pb = Playbook(
        root=display_path(root),
        manifest=manifest,
        roles=roles,
        sources=sources,
        statistics=stats,
        failure_modes=tuple(fms),
        checklists=tuple(cls),
        unloaded=tuple(d.path for d in (*fm_docs, *cl_docs) if not d.ok),
    )
    return LoadResult(pb, tuple(problems), 3 + len(fm_docs) + len(cl_docs))


def _check_file_id(doc: Document, ident: str, what: str, problems: list[Problem]) -> None:
    stem = Path(doc.path).stem
    if stem != ident:
        line, col = doc.pos("id")
        problems.append(
            Problem(
                "LB208",
                "error",
                f"{what} id '{ident}' does not match the file name '{Path(doc.path).name}'",
                doc.path,
                line,
                col,
                f"rename the file to '{ident}.yml' or set 'id: {stem}'",
            )
        )
