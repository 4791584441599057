"""Fork support: an organization's overlay on upstream playbooks (issue #7).

A fork is a folder with a ``fork.yml`` that names the upstream playbooks (the
set bundled with launchbook, or a path) and an overlay folder. The overlay
changes upstream by id only, never by copying files::

    overlay/
      roles.yml               rename: / remap: / add:
      sources.yml             sources and statistics the fork cites
      failure-modes/<id>.yml  new failure modes (the upstream schema)
      checklists/<id>.yml     new checklists (the upstream schema)
      overrides/<any>.yml     overrides: [{failure_mode|question|remediation|checklist: id, set: {...}}]
      extend.yml              extend: [{checklist: id, items: [...]}, {failure_mode: id, questions: [...]}]
      exclude.yml             exclude: [{failure_mode|question|remediation|category|role|checklist: id,
                                         reason: text}]

Every overlay file goes through the same safe loader as playbook files.
:func:`apply_overlay` is a pure function from an upstream
:class:`~launchbook.model.Playbook` and a loaded :class:`Overlay` to the merged
playbook and the problems found, each located at the overlay line it concerns
and naming the upstream id it touches. Exclusions cascade into lists only:
a ``requires``, ``related``, ``involves``, ``attendees`` or checklist entry that
points at an excluded item is dropped with an LB406 warning naming the
dependent, so nothing breaks silently and ``check --strict`` can refuse it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import Loc, Problem, did_you_mean
from .loader import Document, load_bytes, load_document, no_gc, read_source
from .model import (
    Checklist,
    ChecklistItem,
    Citation,
    FailureMode,
    LoadResult,
    Playbook,
    Question,
    Related,
    Remediation,
    Role,
    Source,
    Statistic,
    build_checklist,
    build_failure_mode,
    build_sources,
    display_path,
    load_playbook,
    yaml_files,
)
from .schema import (
    CHECKLIST,
    CHECKLIST_ITEM,
    CITATION,
    FAILURE_MODE,
    ID,
    IDS,
    MD,
    QUESTION,
    RELATED,
    REMEDIATION,
    ROLE,
    SOURCE,
    STATISTIC,
    Dict,
    Field,
    Obj,
    OneOf,
    Seq,
    Text,
)

FORK_FILE = "fork.yml"
BUNDLED = "bundled"

# ------------------------------------------------------------------ codes
OVERLAY_CODES: dict[str, tuple[str, str]] = {
    "LB400": (
        "fork-config",
        "fork.yml or the overlay folder is unusable: the upstream playbooks cannot be found, the overlay"
        " path leaves the fork, or an overlay file has a name launchbook does not read.\n\n"
        "Example::\n\n    upstream: ../playbookz     # LB400 upstream playbooks not found\n\n"
        "Fix: write 'upstream: bundled' for the playbooks shipped with launchbook, or the path (relative"
        " to fork.yml) of a folder holding launchbook.yml. Overlay files are roles.yml, sources.yml,"
        " extend.yml, exclude.yml, failure-modes/*.yml, checklists/*.yml and overrides/*.yml.",
    ),
    "LB401": (
        "overlay-unknown-id",
        "The overlay names an id that upstream (and the overlay itself) does not define.\n\n"
        "Example::\n\n    - remediation: write-plna   # LB401 unknown remediation; did you mean 'write-plan'?\n\n"
        "Fix: correct the id (the hint names the closest one). If upstream removed the item, delete the"
        " entry; 'launchbook diff' lists what upstream removed since your base.",
    ),
    "LB402": (
        "overlay-old-id",
        "(warning) The overlay names a failure mode by an id upstream has since renamed; the old id is"
        " kept in the failure mode's aliases, so the entry still applies.\n\n"
        "Example::\n\n    - failure_mode: no-data   # LB402 'no-data' is now 'data-not-available'\n\n"
        "Fix: replace the old id with the new one at your convenience.",
    ),
    "LB403": (
        "overlay-id-exists",
        "The overlay adds a role, source, statistic, failure mode or checklist whose id already exists"
        " upstream (or twice in the overlay).\n\n"
        "Fix: change an upstream item with overrides/ (or roles.yml 'rename:'), or give the new item an"
        " id of its own; prefixing your organization's ids (acme-...) avoids clashes with future"
        " upstream items.",
    ),
    "LB404": (
        "overlay-bad-field",
        "An override sets a field the item does not have, or one that cannot be overridden (id, aliases,"
        " a failure mode's questions or remediations).\n\n"
        "Example::\n\n    - question: plan-written\n      set: {effort: S}   # LB404 questions have no 'effort'\n\n"
        "Fix: set only the item's own fields; add questions or remediations with extend.yml and drop"
        " them with exclude.yml.",
    ),
    "LB405": (
        "exclude-without-reason",
        "An exclusion without a 'reason'. Readers of the fork's site, and whoever pulls the next"
        " upstream update, need to know why an item was dropped.\n\n"
        "Example::\n\n    - failure_mode: llm-cost-per-request      # LB405\n\n"
        "Fix: add 'reason: We do not run LLMs in production.'",
    ),
    "LB406": (
        "excluded-dependency",
        "(warning) An excluded item is referenced by something that stays: a remediation that requires"
        " it, a checklist that lists it, a failure mode related to it, a remediation or checklist that"
        " involves the role. launchbook drops those references (auto-prune) and names each one here,"
        " so nothing breaks silently; 'check --strict' turns this into an error.\n\n"
        "Fix: if the dependent should go too, exclude it as well; to keep it and make the change"
        " explicit, override its 'requires', 'related', 'involves', 'attendees' or 'items' without"
        " the excluded id; or do not exclude the item.",
    ),
    "LB407": (
        "excluded-owner",
        "A role is excluded but still owns a remediation or answers for a question that stays.\n\n"
        "Fix: move its ownership onto another role with 'remap: {old-role: new-role}' in"
        " overlay/roles.yml (this also drops the old role), or override the owners first.",
    ),
    "LB408": (
        "overlay-conflict",
        "Two overlay entries disagree: the same field overridden twice, an item both changed and"
        " excluded, a role remapped onto a role that is itself remapped or excluded.\n\n"
        "Fix: keep one of the entries; the message gives both locations.",
    ),
    "LB409": (
        "fork-base",
        "The base snapshot recorded by 'launchbook init' (.launchbook/base/<version>.json) is missing"
        " or unreadable, so 'launchbook diff' cannot tell what upstream changed.\n\n"
        "Fix: run 'launchbook diff --since PATH' against a copy of the upstream playbooks at your base"
        " version, then 'launchbook diff --update-base' to record a new snapshot.",
    ),
}


def _p(code: str, loc: Loc, message: str, hint: str = "", level: str = "error") -> Problem:
    return Problem.at(code, loc, message, hint, "warning" if level == "warning" else "error")


# ------------------------------------------------------------------ file specs
def _optional(fields: Iterable[Field], drop: Iterable[str] = ()) -> tuple[Field, ...]:
    skip = set(drop)
    return tuple(Field(f.name, f.spec, False, f.description) for f in fields if f.name not in skip)


FORK = Obj(
    "fork file",
    (
        Field("name", Text(), True, "The organization's name."),
        Field("title", Text(), False, "Title of the merged playbooks; replaces the upstream title."),
        Field(
            "upstream",
            Text(),
            True,
            "'bundled' for the playbooks shipped with launchbook, or a playbooks folder relative to fork.yml.",
        ),
        Field("overlay", Text(), False, "The overlay folder, relative to fork.yml (default: overlay)."),
        Field("base", Text("version"), True, "The upstream version the overlay was last reviewed against."),
    ),
    "fork.yml: an organization's fork of upstream playbooks.",
)

ROLE_RENAME = Obj(
    "role rename",
    (
        Field("name", Text(), False, "New display name."),
        Field("description", MD, False),
        Field("titles", Seq(Text()), False, "Job titles in your organization."),
    ),
)
OVERLAY_ROLES = Obj(
    "overlay roles file",
    (
        Field("rename", Dict(ROLE_RENAME), False, "Upstream role id -> new name, description, titles."),
        Field("remap", Dict(ID), False, "Old role id -> role that takes over everything it owned."),
        Field("add", Seq(ROLE), False, "New roles."),
    ),
    "overlay/roles.yml: rename, remap and add roles.",
)
OVERLAY_SOURCES = Obj(
    "overlay sources file",
    (Field("sources", Seq(SOURCE), False), Field("statistics", Seq(STATISTIC), False)),
    "overlay/sources.yml: sources and statistics the fork's own items cite.",
)

_SETTABLE_FROM: dict[str, tuple[Obj, tuple[str, ...]]] = {
    "failure_mode": (FAILURE_MODE, ("id", "aliases", "questions", "remediations")),
    "question": (QUESTION, ("id",)),
    "remediation": (REMEDIATION, ("id",)),
    "checklist": (CHECKLIST, ("id",)),
}
SETTABLE: dict[str, tuple[str, ...]] = {
    kind: tuple(f.name for f in obj.fields if f.name not in drop)
    for kind, (obj, drop) in _SETTABLE_FROM.items()
}


def _union_fields() -> tuple[Field, ...]:
    out: dict[str, Field] = {}
    for obj, drop in _SETTABLE_FROM.values():
        for f in _optional(obj.fields, drop):
            out.setdefault(f.name, f)
    return tuple(out.values())


SET = Obj("override 'set'", _union_fields())
TARGETS = ("failure_mode", "question", "remediation", "checklist")
OVERRIDE = OneOf(
    "override",
    TARGETS,
    Obj(
        "override",
        (
            *(Field(k, ID, False, f"The {k.replace('_', ' ')} to change.") for k in TARGETS),
            Field("set", SET, True, "The fields to replace; fields not given keep their upstream value."),
        ),
    ),
)
OVERRIDES_FILE = Obj(
    "overrides file",
    (Field("overrides", Seq(OVERRIDE), False),),
    "overlay/overrides/*.yml: change fields of upstream items by id.",
)

EXCLUDABLE = ("failure_mode", "question", "remediation", "category", "role", "checklist")
EXCLUSION = OneOf(
    "exclusion",
    EXCLUDABLE,
    Obj(
        "exclusion",
        (
            *(Field(k, ID, False) for k in EXCLUDABLE),
            Field("reason", Text(), False, "Why this does not apply to your organization (required)."),
        ),
    ),
)
EXCLUDE_FILE = Obj(
    "exclude file",
    (Field("exclude", Seq(EXCLUSION), False),),
    "overlay/exclude.yml: drop upstream items, each with a reason.",
)

EXTENSION = OneOf(
    "extension",
    ("checklist", "failure_mode"),
    Obj(
        "extension",
        (
            Field("checklist", ID, False, "An upstream checklist to add items to."),
            Field(
                "after",
                ID,
                False,
                "Insert the items after this question or remediation (default: at the end).",
            ),
            Field("items", Seq(CHECKLIST_ITEM), False),
            Field("failure_mode", ID, False, "An upstream failure mode to add to."),
            Field("questions", Seq(QUESTION), False),
            Field("remediations", Seq(REMEDIATION), False),
            Field("signs", Seq(Text()), False),
            Field("related", Seq(RELATED), False),
            Field("sources", Seq(CITATION), False),
            Field("tags", IDS, False),
        ),
    ),
)
EXTEND_FILE = Obj(
    "extend file",
    (Field("extend", Seq(EXTENSION), False),),
    "overlay/extend.yml: add items to upstream checklists and failure modes.",
)

OVERLAY_FILES = ("roles.yml", "sources.yml", "extend.yml", "exclude.yml")
OVERLAY_DIRS = ("failure-modes", "checklists", "overrides")


# ------------------------------------------------------------------ loading
@dataclass(frozen=True)
class Overlay:
    """An overlay folder, loaded: one :class:`Document` per file (only files without errors)."""

    root: str
    roles: Document | None = None
    sources: Document | None = None
    failure_modes: tuple[Document, ...] = ()
    checklists: tuple[Document, ...] = ()
    overrides: tuple[Document, ...] = ()
    extend: Document | None = None
    exclude: Document | None = None
    problems: tuple[Problem, ...] = ()
    files: int = 0
    lines: Mapping[str, tuple[str, ...]] | None = None  # raw lines per file, to locate mapping keys


def _load(
    path: Path, spec: Obj, problems: list[Problem], lines: dict[str, tuple[str, ...]], root: Path
) -> Document | None:
    """Load one overlay file (read once, with the loader's rules: a regular file inside ``root``)."""
    shown = display_path(path)
    raw = read_source(path, shown, root)
    if isinstance(raw, Problem):
        problems.append(raw)
        lines[shown] = ()
        return None
    doc = load_bytes(raw, spec, shown)
    if doc.data is None and [p.code for p in doc.problems] == ["LB107"]:
        doc = Document(doc.path, {}, {}, ())  # only comments: an empty overlay file is fine
    problems.extend(doc.problems)
    lines[doc.path] = tuple(raw.decode("utf-8", errors="replace").splitlines())
    return doc if doc.ok else None


def load_overlay(folder: Path) -> Overlay:
    """Read every overlay file under ``folder``; a broken file is reported and left out."""
    problems: list[Problem] = []
    lines: dict[str, tuple[str, ...]] = {}
    if not folder.is_dir():
        problems.append(
            Problem(
                "LB400",
                "error",
                f"overlay folder '{display_path(folder)}' does not exist",
                display_path(folder),
                hint="create it (it may be empty), or fix 'overlay:' in fork.yml",
            )
        )
        return Overlay(display_path(folder), problems=tuple(problems))
    n = 0
    with no_gc():

        def one(name: str, spec: Obj) -> Document | None:
            nonlocal n
            path = folder / name
            if not path.exists():  # a folder, FIFO or device of that name is refused by _load
                return None
            n += 1
            return _load(path, spec, problems, lines, folder)

        def many(sub: str, spec: Obj) -> tuple[Document, ...]:
            nonlocal n
            out = []
            for path in yaml_files(folder / sub):
                n += 1
                doc = _load(path, spec, problems, lines, folder)
                if doc is not None:
                    out.append(doc)
            return tuple(out)

        roles = one("roles.yml", OVERLAY_ROLES)
        sources = one("sources.yml", OVERLAY_SOURCES)
        extend = one("extend.yml", EXTEND_FILE)
        exclude = one("exclude.yml", EXCLUDE_FILE)
        fms = many("failure-modes", FAILURE_MODE)
        cls = many("checklists", CHECKLIST)
        overrides = many("overrides", OVERRIDES_FILE)
    known = (*OVERLAY_FILES, *OVERLAY_DIRS)
    for path in sorted(folder.iterdir()):
        stray = (path.is_file() and path.suffix in (".yml", ".yaml") and path.name not in OVERLAY_FILES) or (
            path.is_dir() and not path.name.startswith(".") and path.name not in OVERLAY_DIRS
        )
        if stray:
            hint = did_you_mean(path.name, known) or "overlay files are " + ", ".join(known)
            problems.append(
                Problem(
                    "LB400",
                    "warning",
                    f"'{path.name}' is not an overlay file; launchbook does not read it",
                    display_path(path),
                    hint=hint,
                )
            )
    return Overlay(
        display_path(folder), roles, sources, fms, cls, overrides, extend, exclude, tuple(problems), n, lines
    )


# ------------------------------------------------------------------ fork.yml
@dataclass(frozen=True)
class ForkConfig:
    root: Path
    name: str
    title: str
    upstream: str  # 'bundled' or the path as written
    overlay: str
    base: str
    doc: Document

    @property
    def upstream_path(self) -> Path:
        if self.upstream == BUNDLED:
            from .cli import bundled_playbooks

            return bundled_playbooks()
        return self.root / self.upstream

    @property
    def overlay_path(self) -> Path:
        return self.root / self.overlay

    def snapshot_path(self, version: str | None = None) -> Path:
        return self.root / ".launchbook" / "base" / f"{version or self.base}.json"


def is_fork(folder: Path) -> bool:
    return (folder / FORK_FILE).is_file()


def read_fork(root: Path) -> tuple[ForkConfig | None, list[Problem]]:
    """Read and validate ``root/fork.yml``."""
    path = root / FORK_FILE
    doc = load_document(path, FORK, display_path(path), root)
    problems = list(doc.problems)
    if not doc.ok or doc.data is None:
        return None, problems
    d = doc.data
    overlay = d.get("overlay", "overlay")
    if Path(overlay).is_absolute() or ".." in Path(overlay).parts:
        line, col = doc.pos("overlay")
        problems.append(
            Problem(
                "LB400",
                "error",
                f"overlay folder '{overlay}' is outside the fork",
                doc.path,
                line,
                col,
                "write a folder inside the fork, such as 'overlay'",
            )
        )
        return None, problems
    cfg = ForkConfig(root, d["name"], d.get("title", ""), d["upstream"], overlay, d["base"], doc)
    if cfg.upstream != BUNDLED and not (cfg.upstream_path / "launchbook.yml").is_file():
        line, col = doc.pos("upstream")
        problems.append(
            Problem(
                "LB400",
                "error",
                f"upstream playbooks not found at '{cfg.upstream}' (no launchbook.yml there)",
                doc.path,
                line,
                col,
                "write 'upstream: bundled' for the playbooks shipped with launchbook, or a folder"
                " (relative to fork.yml) that holds launchbook.yml",
            )
        )
        return None, problems
    return cfg, problems


def load_fork(root: Path) -> LoadResult:
    """Upstream playbooks with the fork's overlay applied, and every problem of both."""
    cfg, problems = read_fork(root)
    if cfg is None:
        return LoadResult(None, tuple(problems), 1)
    upstream = load_playbook(cfg.upstream_path)
    problems += upstream.problems
    overlay = load_overlay(cfg.overlay_path)
    problems += overlay.problems
    files = 1 + upstream.files + overlay.files
    if upstream.playbook is None:
        return LoadResult(None, tuple(problems), files)
    merged, more = apply_overlay(upstream.playbook, overlay)
    if cfg.title:
        merged = replace(merged, manifest=replace(merged.manifest, title=cfg.title))
    merged = replace(merged, root=display_path(root))
    return LoadResult(merged, tuple(problems + more), files)


def load_any(root: Path) -> LoadResult:
    """A fork (folder with fork.yml) merged with its upstream, or a plain playbooks folder."""
    return load_fork(root) if is_fork(root) else load_playbook(root)


# ------------------------------------------------------------------ applying
def _plural(kind: str) -> str:
    return kind.replace("_", " ")


class _Merge:
    """The merge in progress: working copies by id, and the problems found so far."""

    def __init__(self, pb: Playbook, ov: Overlay) -> None:
        self.pb = pb
        self.ov = ov
        self.problems: list[Problem] = []
        self.roles: dict[str, Role] = {r.id: r for r in pb.roles}
        self.sources: dict[str, Source] = {s.id: s for s in pb.sources}
        self.stats: dict[str, Statistic] = {s.id: s for s in pb.statistics}
        self.fms: dict[str, FailureMode] = {}
        for fm in pb.failure_modes:
            self.fms.setdefault(fm.id, fm)
        self.checklists: dict[str, Checklist] = {}
        for cl in pb.checklists:
            self.checklists.setdefault(cl.id, cl)
        self.categories = {c.id: c for c in pb.manifest.categories}
        self.aliases: dict[str, str] = {}
        for fm in pb.failure_modes:
            for a in fm.aliases:
                self.aliases.setdefault(a, fm.id)
        # former ids of questions and remediations, by kind
        self.item_aliases: dict[str, dict[str, str]] = {"question": {}, "remediation": {}}
        for q in pb.questions():
            for a in q.aliases:
                self.item_aliases["question"].setdefault(a, q.id)
        for r in pb.remediations():
            for a in r.aliases:
                self.item_aliases["remediation"].setdefault(a, r.id)
        self.upstream_ids: set[tuple[str, str]] = {("failure_mode", f) for f in self.fms}
        self.upstream_ids |= {("question", q.id) for q in pb.questions()}
        self.upstream_ids |= {("remediation", r.id) for r in pb.remediations()}
        self.changed: dict[tuple[str, str], Loc] = {}  # (kind, id) -> first override/extend location

    # ---------------------------------------------------------------- lookups
    def question_index(self) -> dict[str, str]:
        return {q.id: fm.id for fm in self.fms.values() for q in fm.questions}

    def remediation_index(self) -> dict[str, str]:
        return {r.id: fm.id for fm in self.fms.values() for r in fm.remediations}

    def known(self, kind: str) -> Iterable[str]:
        if kind == "failure_mode":
            return list(self.fms)
        if kind == "question":
            return list(self.question_index())
        if kind == "remediation":
            return list(self.remediation_index())
        if kind == "checklist":
            return list(self.checklists)
        if kind == "role":
            return list(self.roles)
        if kind == "category":
            return list(self.categories)
        raise KeyError(kind)  # pragma: no cover

    def resolve(self, kind: str, ident: str, loc: Loc) -> str | None:
        """The current id for ``ident`` (following failure-mode aliases), or None with an LB401 error."""
        known = self.known(kind)
        if ident in known:
            return ident
        renamed = self.aliases if kind == "failure_mode" else self.item_aliases.get(kind, {})
        if ident in renamed:
            new = renamed[ident]
            self.problems.append(
                _p(
                    "LB402",
                    loc,
                    f"{_plural(kind)} '{ident}' was renamed upstream to '{new}'; this entry still applies",
                    f"replace '{ident}' with '{new}'",
                    "warning",
                )
            )
            return new
        hint = did_you_mean(ident, [*known, *renamed])
        self.problems.append(
            _p(
                "LB401",
                loc,
                f"unknown {_plural(kind)} '{ident}' in the overlay",
                hint
                or f"no {_plural(kind)} has this id upstream or in the overlay; 'launchbook diff' lists"
                " what upstream removed",
            )
        )
        return None

    def loc(self, doc: Document, *key: str | int) -> Loc:
        line, col = doc.pos(*key)
        return Loc(doc.path, line, col)

    def key_loc(self, doc: Document, *key: str | int) -> Loc:
        """The location of a mapping key (the loader records where its value starts)."""
        line, col = doc.pos(*key)
        lines = (self.ov.lines or {}).get(doc.path, ())
        name = re.escape(str(key[-1]))
        for ln in range(min(line, len(lines)), max(0, line - 4), -1):
            m = re.match(rf"(\s*)['\"]?{name}['\"]?\s*:", lines[ln - 1])
            if m:
                return Loc(doc.path, ln, len(m.group(1)) + 1)
        return Loc(doc.path, line, col)

    # ---------------------------------------------------------------- additions
    def add_roles(self) -> None:
        doc = self.ov.roles
        if doc is None or doc.data is None:
            return
        for i, r in enumerate(doc.data.get("add", ())):
            loc = self.loc(doc, "add", i)
            if r["id"] in self.roles:
                self.problems.append(
                    _p(
                        "LB403",
                        self.loc(doc, "add", i, "id"),
                        f"role '{r['id']}' already exists",
                        "use 'rename:' to change an upstream role, or choose another id",
                    )
                )
                continue
            self.roles[r["id"]] = Role(r["id"], r["name"], r["description"], tuple(r.get("titles", ())), loc)
        for rid, change in doc.data.get("rename", {}).items():
            target = self.resolve("role", rid, self.key_loc(doc, "rename", rid))
            if target is None:
                continue
            role = self.roles[target]
            self.roles[target] = replace(
                role,
                name=change.get("name", role.name),
                description=change.get("description", role.description),
                titles=tuple(change.get("titles", role.titles)),
            )

    def add_sources(self) -> None:
        doc = self.ov.sources
        if doc is None or doc.data is None:
            return
        full = Document(doc.path, {"sources": [], **doc.data}, doc.locs, doc.problems)
        sources, stats = build_sources(full)
        for i, s in enumerate(sources):
            if s.id in self.sources:
                self.problems.append(
                    _p(
                        "LB403",
                        self.loc(doc, "sources", i, "id"),
                        f"source '{s.id}' already exists",
                        "give the new source an id of its own; upstream's source is already there",
                    )
                )
            else:
                self.sources[s.id] = s
        for i, st in enumerate(stats):
            if st.id in self.stats:
                self.problems.append(
                    _p(
                        "LB403",
                        self.loc(doc, "statistics", i, "id"),
                        f"statistic '{st.id}' already exists",
                        "give the new statistic an id of its own; upstream's statistic is already there",
                    )
                )
            else:
                self.stats[st.id] = st

    def add_failure_modes(self) -> None:
        for doc in self.ov.failure_modes:
            fm = build_failure_mode(doc)
            loc = self.loc(doc, "id")
            if Path(doc.path).stem != fm.id:
                self.problems.append(
                    _p(
                        "LB208",
                        loc,
                        f"failure mode id '{fm.id}' does not match the file name '{Path(doc.path).name}'",
                        f"rename the file to '{fm.id}.yml'",
                    )
                )
            if fm.id in self.fms or fm.id in self.aliases:
                where = "an upstream failure mode" if fm.id in self.fms else "an upstream alias"
                self.problems.append(
                    _p(
                        "LB403",
                        loc,
                        f"failure mode '{fm.id}' is already {where}",
                        "change it with overlay/overrides/ or extend.yml, or give yours another id",
                    )
                )
                continue
            self.fms[fm.id] = fm

    def add_checklists(self) -> None:
        for doc in self.ov.checklists:
            cl = build_checklist(doc)
            loc = self.loc(doc, "id")
            if Path(doc.path).stem != cl.id:
                self.problems.append(
                    _p(
                        "LB208",
                        loc,
                        f"checklist id '{cl.id}' does not match the file name '{Path(doc.path).name}'",
                        f"rename the file to '{cl.id}.yml'",
                    )
                )
            if cl.id in self.checklists:
                self.problems.append(
                    _p(
                        "LB403",
                        loc,
                        f"checklist '{cl.id}' already exists upstream",
                        "add items to it with overlay/extend.yml, or give yours another id",
                    )
                )
                continue
            self.checklists[cl.id] = cl

    # ---------------------------------------------------------------- extend
    def extend(self) -> None:
        doc = self.ov.extend
        if doc is None or doc.data is None:
            return
        for i, ext in enumerate(doc.data.get("extend", ())):
            if "checklist" in ext:
                self._extend_checklist(doc, i, ext)
            else:
                self._extend_failure_mode(doc, i, ext)

    def _extend_checklist(self, doc: Document, i: int, ext: Mapping[str, Any]) -> None:
        cid = self.resolve("checklist", ext["checklist"], self.loc(doc, "extend", i, "checklist"))
        for name in ("questions", "remediations", "signs", "related", "sources", "tags"):
            if name in ext:
                self._not_for(doc, i, name, "checklist")
        if cid is None:
            return
        cl = self.checklists[cid]
        new = []
        for j, it in enumerate(ext.get("items", ())):
            kind = "question" if "question" in it else "remediation"
            new.append(ChecklistItem(kind, it[kind], self.loc(doc, "extend", i, "items", j, kind)))
        items = list(cl.items)
        at = len(items)
        if "after" in ext:
            refs = [it.ref for it in items]
            if ext["after"] in refs:
                at = refs.index(ext["after"]) + 1
            else:
                self.problems.append(
                    _p(
                        "LB401",
                        self.loc(doc, "extend", i, "after"),
                        f"checklist '{cid}' has no item '{ext['after']}'",
                        did_you_mean(ext["after"], refs)
                        or "name a question or remediation the checklist lists",
                    )
                )
        items[at:at] = new
        self.checklists[cid] = replace(cl, items=tuple(items))
        self.changed.setdefault(("checklist", cid), self.loc(doc, "extend", i))

    def _not_for(self, doc: Document, i: int, name: str, kind: str) -> None:
        self.problems.append(
            _p(
                "LB404",
                self.key_loc(doc, "extend", i, name),
                f"'{name}' cannot extend a {kind}",
                "a checklist takes 'items' (and 'after'); a failure mode takes questions, remediations,"
                " signs, related, sources and tags",
            )
        )

    def _extend_failure_mode(self, doc: Document, i: int, ext: Mapping[str, Any]) -> None:
        fid = self.resolve("failure_mode", ext["failure_mode"], self.loc(doc, "extend", i, "failure_mode"))
        for name in ("items", "after"):
            if name in ext:
                self._not_for(doc, i, name, "failure mode")
        if fid is None:
            return
        fm = self.fms[fid]
        b = _Locator(doc, ("extend", i))
        locs = dict(fm.locs)
        questions = list(fm.questions)
        for j, q in enumerate(ext.get("questions", ())):
            questions.append(
                Question(
                    q["id"], q["ask"], q["owner"], q["phase"], q["level"], fid, _maps_to(q),
                    b.loc("questions", j), b.locs(("questions", j), q),
                )
            )  # fmt: skip
        rems = list(fm.remediations)
        for j, r in enumerate(ext.get("remediations", ())):
            rems.append(
                Remediation(
                    r["id"], r["title"], r["do"], r["owner"], tuple(r.get("involves", ())), r["phase"],
                    r["effort"], tuple(r.get("requires", ())), fid, _maps_to(r),
                    b.loc("remediations", j), b.locs(("remediations", j), r),
                )
            )  # fmt: skip
        signs = _append_list(locs, "signs", fm.signs, ext.get("signs", ()), b)
        tags = _append_list(locs, "tags", fm.tags, ext.get("tags", ()), b)
        related = fm.related + tuple(
            Related(r["id"], r["relation"], b.loc("related", j, "id"))
            for j, r in enumerate(ext.get("related", ()))
        )
        sources = fm.sources + tuple(
            _citation(c, b, ("sources", j)) for j, c in enumerate(ext.get("sources", ()))
        )
        self.fms[fid] = replace(
            fm,
            questions=tuple(questions),
            remediations=tuple(rems),
            signs=signs,
            tags=tags,
            related=related,
            sources=sources,
            locs=locs,
        )
        self.changed.setdefault(("failure_mode", fid), self.loc(doc, "extend", i))

    # ---------------------------------------------------------------- overrides
    def override(self) -> None:
        seen: dict[tuple[str, str, str], Loc] = {}
        for doc in self.ov.overrides:
            assert doc.data is not None
            for i, entry in enumerate(doc.data.get("overrides", ())):
                kind = next(k for k in TARGETS if k in entry)
                target = self.resolve(kind, entry[kind], self.loc(doc, "overrides", i, kind))
                if target is None:
                    continue
                b = _Locator(doc, ("overrides", i, "set"))
                values: dict[str, Any] = {}
                for name, value in entry["set"].items():
                    floc = self.key_loc(doc, "overrides", i, "set", name)
                    if name not in SETTABLE[kind]:
                        hint = did_you_mean(name, SETTABLE[kind]) or "fields: " + ", ".join(SETTABLE[kind])
                        self.problems.append(
                            _p(
                                "LB404",
                                floc,
                                f"{_plural(kind)} '{target}' has no field '{name}' to set",
                                hint,
                            )
                        )
                        continue
                    first = seen.setdefault((kind, target, name), floc)
                    if first is not floc:
                        self.problems.append(
                            _p(
                                "LB408",
                                floc,
                                f"'{name}' of {_plural(kind)} '{target}' is already overridden at"
                                f" {first.path}:{first.line}",
                                "keep one of the two",
                            )
                        )
                        continue
                    values[name] = value
                if values:
                    self._apply_set(kind, target, values, b)
                    self.changed.setdefault((kind, target), self.loc(doc, "overrides", i))

    def _apply_set(self, kind: str, target: str, values: Mapping[str, Any], b: _Locator) -> None:
        if kind == "failure_mode":
            fm = self.fms[target]
            self.fms[target] = _set_fields(fm, values, b)
        elif kind == "checklist":
            self.checklists[target] = _set_fields(self.checklists[target], values, b)
        elif kind == "question":
            fid = self.question_index()[target]
            fm = self.fms[fid]
            qs = tuple(_set_fields(q, values, b) if q.id == target else q for q in fm.questions)
            self.fms[fid] = replace(fm, questions=qs)
        else:
            fid = self.remediation_index()[target]
            fm = self.fms[fid]
            rs = tuple(_set_remediation(r, values, b) if r.id == target else r for r in fm.remediations)
            self.fms[fid] = replace(fm, remediations=rs)

    # ---------------------------------------------------------------- exclude
    def exclude(self) -> set[str]:
        """Apply exclude.yml; returns the excluded role ids (pruned after remapping)."""
        doc = self.ov.exclude
        gone: dict[str, dict[str, Loc]] = {k: {} for k in EXCLUDABLE}
        if doc is not None and doc.data is not None:
            for i, entry in enumerate(doc.data.get("exclude", ())):
                kind = next(k for k in EXCLUDABLE if k in entry)
                loc = self.loc(doc, "exclude", i, kind)
                if not entry.get("reason", "").strip():
                    self.problems.append(
                        _p(
                            "LB405",
                            loc,
                            f"exclusion of {_plural(kind)} '{entry[kind]}' has no reason",
                            "add 'reason: ...' saying why it does not apply to your organization",
                        )
                    )
                    continue
                target = self.resolve(kind, entry[kind], loc)
                if target is None:
                    continue
                if (kind, target) in self.changed:
                    other = self.changed[(kind, target)]
                    self.problems.append(
                        _p(
                            "LB408",
                            loc,
                            f"{_plural(kind)} '{target}' is excluded here but changed at {other.path}:{other.line}",
                            "remove the override or extension, or the exclusion",
                        )
                    )
                gone[kind].setdefault(target, loc)
        for cid, loc in gone["category"].items():
            for fm in self.fms.values():
                if fm.category == cid:
                    gone["failure_mode"].setdefault(fm.id, loc)
            del self.categories[cid]
        qidx, ridx = self.question_index(), self.remediation_index()
        for fid, loc in gone["failure_mode"].items():
            fm = self.fms.pop(fid)
            for q in fm.questions:
                gone["question"].setdefault(q.id, loc)
            for r in fm.remediations:
                gone["remediation"].setdefault(r.id, loc)
        for qid in gone["question"]:
            fid = qidx[qid]
            if fid in self.fms:
                fm = self.fms[fid]
                self.fms[fid] = _without(fm, "questions", [q for q in fm.questions if q.id != qid])
        for rid in gone["remediation"]:
            fid = ridx[rid]
            if fid in self.fms:
                fm = self.fms[fid]
                self.fms[fid] = _without(fm, "remediations", [r for r in fm.remediations if r.id != rid])
        for cid in gone["checklist"]:
            del self.checklists[cid]
        self._prune(gone)
        return set(gone["role"])

    def _dropped(self, loc: Loc, what: str, ident: str, dependent: str, where: Loc, hint: str) -> None:
        self.problems.append(
            _p(
                "LB406",
                loc,
                f"excluded {what} '{ident}' is referenced by {dependent} ({where.path}:{where.line});"
                " the reference was dropped",
                hint,
                "warning",
            )
        )

    def _prune(self, gone: Mapping[str, Mapping[str, Loc]]) -> None:
        fm_gone = {**gone["failure_mode"]}
        for alias, fid in self.aliases.items():
            if fid in fm_gone:
                fm_gone[alias] = fm_gone[fid]
        rem_gone = gone["remediation"]
        q_gone = gone["question"]
        for fid, fm in list(self.fms.items()):
            related = []
            for rel in fm.related:
                if rel.id in fm_gone:
                    self._dropped(
                        fm_gone[rel.id], "failure mode", rel.id, f"failure mode '{fid}' (related)", rel.loc,
                        "exclude it too, or override its 'related' without this id",
                    )  # fmt: skip
                else:
                    related.append(rel)
            rems = []
            for r in fm.remediations:
                keep = [i for i, req in enumerate(r.requires) if req not in rem_gone]
                for i, req in enumerate(r.requires):
                    if req in rem_gone:
                        self._dropped(
                            rem_gone[req], "remediation", req, f"remediation '{r.id}' (requires)",
                            r.locs.get(f"requires.{i}", r.loc),
                            "exclude it too, or override its 'requires' without this id",
                        )  # fmt: skip
                rems.append(_keep_indexes(r, "requires", keep) if len(keep) != len(r.requires) else r)
            self.fms[fid] = replace(fm, related=tuple(related), remediations=tuple(rems))
        for cid, cl in list(self.checklists.items()):
            items = []
            last = cl.loc
            for it in cl.items:
                dead = q_gone if it.kind == "question" else rem_gone
                if it.ref in dead:
                    last = dead[it.ref]
                    self._dropped(
                        dead[it.ref], it.kind, it.ref, f"checklist '{cid}'", it.loc,
                        "exclude the checklist too, or override its 'items'",
                    )  # fmt: skip
                else:
                    items.append(it)
            if not items:
                self.problems.append(
                    _p(
                        "LB406",
                        last,
                        f"checklist '{cid}' has no items left after the exclusions; it was dropped",
                        "exclude the checklist explicitly, or extend it with items of your own",
                        "warning",
                    )
                )
                del self.checklists[cid]
            elif len(items) != len(cl.items):
                self.checklists[cid] = replace(cl, items=tuple(items))

    # ---------------------------------------------------------------- roles
    def remap(self, excluded_roles: set[str], exclude_locs: Mapping[str, Loc]) -> None:
        doc = self.ov.roles
        mapping: dict[str, str] = {}
        if doc is not None and doc.data is not None:
            for old, new in doc.data.get("remap", {}).items():
                kloc = self.key_loc(doc, "remap", old)
                src = self.resolve("role", old, kloc)
                dst = self.resolve("role", new, self.loc(doc, "remap", old))
                if src is None or dst is None:
                    continue
                if src == dst:
                    self.problems.append(
                        _p(
                            "LB408",
                            kloc,
                            f"role '{src}' is remapped onto itself",
                            "remove this line, or remap the role onto the role that takes over its work",
                        )
                    )
                    continue
                if dst in doc.data["remap"] or dst in excluded_roles:
                    why = "remapped too" if dst in doc.data["remap"] else "excluded"
                    self.problems.append(
                        _p(
                            "LB408",
                            self.loc(doc, "remap", old),
                            f"role '{src}' is remapped onto '{dst}', which is {why}",
                            "remap directly onto the role that stays",
                        )
                    )
                    continue
                mapping[src] = dst
        for fid, fm in list(self.fms.items()):
            qs = tuple(replace(q, owner=mapping.get(q.owner, q.owner)) for q in fm.questions)
            rs = tuple(_remap_remediation(r, mapping) for r in fm.remediations)
            self.fms[fid] = replace(fm, questions=qs, remediations=rs)
        for cid, cl in list(self.checklists.items()):
            self.checklists[cid] = _remap_attendees(cl, mapping)
        for old in mapping:
            del self.roles[old]
        # excluded roles: an owner cannot be pruned, only remapped
        for rid in excluded_roles:
            if rid in mapping:
                continue
            loc = exclude_locs[rid]
            for fm in self.fms.values():
                owned: list[tuple[str, str, Loc]] = [
                    *(("question", q.id, q.locs.get("owner", q.loc)) for q in fm.questions if q.owner == rid),
                    *(
                        ("remediation", r.id, r.locs.get("owner", r.loc))
                        for r in fm.remediations
                        if r.owner == rid
                    ),
                ]
                for what, ident, oloc in owned:
                    self.problems.append(
                        _p(
                            "LB407",
                            loc,
                            f"excluded role '{rid}' still owns {what} '{ident}' ({oloc.path}:{oloc.line})",
                            f"remap it instead: 'remap: {{{rid}: another-role}}' in roles.yml",
                        )
                    )
            for fid, fm in list(self.fms.items()):
                kept: list[Remediation] = []
                for r in fm.remediations:
                    if rid in r.involves:
                        i = r.involves.index(rid)
                        self._dropped(
                            loc, "role", rid, f"remediation '{r.id}' (involves)", r.locs.get(f"involves.{i}", r.loc),
                            "override its 'involves', or remap the role",
                        )  # fmt: skip
                        r = _keep_indexes(r, "involves", [j for j in range(len(r.involves)) if j != i])
                    kept.append(r)
                self.fms[fid] = replace(fm, remediations=tuple(kept))
            for cid, cl in list(self.checklists.items()):
                if rid in cl.attendees:
                    i = cl.attendees.index(rid)
                    self._dropped(
                        loc, "role", rid, f"checklist '{cid}' (attendees)", cl.locs.get(f"attendees.{i}", cl.loc),
                        "override its 'attendees', or remap the role",
                    )  # fmt: skip
                    self.checklists[cid] = _keep_indexes(
                        cl, "attendees", [j for j in range(len(cl.attendees)) if j != i]
                    )
            self.roles.pop(rid, None)

    def drop_orphaned_citations(self) -> None:
        """Sources and statistics that only excluded failure modes cited go with them (no LB306/LB307)."""

        def cited(fms: Iterable[FailureMode]) -> tuple[set[str], set[str]]:
            srcs: set[str] = set()
            stats: set[str] = set()
            for fm in fms:
                for c in fm.sources:
                    srcs.add(c.id)
                    stats.update(c.statistics)
            return srcs, stats

        def needed(srcs: set[str], stats: Iterable[Statistic], sources: Iterable[Source]) -> set[str]:
            out = set(srcs)
            for st in stats:
                out.add(st.source)
                out.update(st.reported_in)
            for src in sources:
                out.update(src.reported_in)
            return out

        src_before, stat_before = cited(self.pb.failure_modes)
        src_now, stat_now = cited(self.fms.values())
        for sid in stat_before - stat_now:
            self.stats.pop(sid, None)
        before = needed(src_before, self.pb.statistics, self.pb.sources)
        while True:
            now = needed(src_now, self.stats.values(), self.sources.values())
            gone = [sid for sid in self.sources if sid in before and sid not in now]
            if not gone:
                break
            for sid in gone:
                del self.sources[sid]

    def result(self) -> Playbook:
        manifest = replace(
            self.pb.manifest,
            categories=tuple(c for c in self.pb.manifest.categories if c.id in self.categories),
        )
        return replace(
            self.pb,
            manifest=manifest,
            roles=tuple(self.roles.values()),
            sources=tuple(self.sources.values()),
            statistics=tuple(self.stats.values()),
            failure_modes=tuple(self.fms.values()),
            checklists=tuple(self.checklists.values()),
        )


def apply_overlay(pb: Playbook, ov: Overlay) -> tuple[Playbook, list[Problem]]:
    """Upstream ``pb`` with ``ov`` applied, and the overlay problems found (pure; ``pb`` is unchanged).

    Order: roles added and renamed, sources added, failure modes and checklists
    added, extensions, overrides, exclusions (pruning what depends on them), then
    role remaps (which also reach the overlay's own items). Sources and statistics
    that only excluded failure modes cited are dropped with them.
    """
    m = _Merge(pb, ov)
    m.add_roles()
    m.add_sources()
    m.add_failure_modes()
    m.add_checklists()
    m.extend()
    m.override()
    excluded = m.exclude()
    locs: dict[str, Loc] = {}
    doc = ov.exclude
    if doc is not None and doc.data is not None:
        for i, entry in enumerate(doc.data.get("exclude", ())):
            if "role" in entry:
                locs.setdefault(entry["role"], m.loc(doc, "exclude", i, "role"))
    m.remap(excluded, locs)
    m.drop_orphaned_citations()
    return m.result(), m.problems


# ------------------------------------------------------------------ value conversion
class _Locator:
    """Locations inside one overlay entry (``prefix`` is the entry's key path)."""

    def __init__(self, doc: Document, prefix: tuple[str | int, ...]) -> None:
        self.doc = doc
        self.prefix = prefix

    def loc(self, *key: str | int) -> Loc:
        line, col = self.doc.pos(*self.prefix, *key)
        return Loc(self.doc.path, line, col)

    def locs(self, sub: tuple[str | int, ...], data: Mapping[str, Any]) -> dict[str, Loc]:
        out: dict[str, Loc] = {}
        for name, value in data.items():
            out[name] = self.loc(*sub, name)
            if isinstance(value, list):
                for i in range(len(value)):
                    out[f"{name}.{i}"] = self.loc(*sub, name, i)
        return out


def _maps_to(data: Mapping[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((k, tuple(v)) for k, v in sorted(data.get("maps_to", {}).items()))


def _citation(c: Mapping[str, Any], b: _Locator, key: tuple[str | int, ...]) -> Citation:
    return Citation(c["id"], c["note"], tuple(c.get("statistics", ())), b.loc(*key, "id"), b.locs(key, c))


def _append_list(
    locs: dict[str, Loc], name: str, old: tuple[str, ...], new: Sequence[str], b: _Locator
) -> tuple[str, ...]:
    for j in range(len(new)):
        locs[f"{name}.{len(old) + j}"] = b.loc(name, j)
    return old + tuple(new)


_LISTS = frozenset({"phases", "signs", "tags", "involves", "requires", "attendees", "decision"})


def _convert(name: str, value: Any, b: _Locator) -> Any:
    if name == "maps_to":
        return _maps_to({"maps_to": value})
    if name == "related":
        return tuple(Related(r["id"], r["relation"], b.loc("related", j, "id")) for j, r in enumerate(value))
    if name == "sources":
        return tuple(_citation(c, b, ("sources", j)) for j, c in enumerate(value))
    if name == "items":
        out = []
        for j, it in enumerate(value):
            kind = "question" if "question" in it else "remediation"
            out.append(ChecklistItem(kind, it[kind], b.loc("items", j, kind)))
        return tuple(out)
    if name in _LISTS:
        return tuple(value)
    return value


def _set_fields(obj: Any, values: Mapping[str, Any], b: _Locator) -> Any:
    """``obj`` with ``values`` replacing its fields; locations of the new values point into the overlay."""
    locs = {k: v for k, v in obj.locs.items() if k.split(".")[0] not in values}
    locs.update(b.locs((), values))
    return replace(obj, **{k: _convert(k, v, b) for k, v in values.items()}, locs=locs)


def _set_remediation(r: Remediation, values: Mapping[str, Any], b: _Locator) -> Remediation:
    """Like :func:`_set_fields`; a new owner listed in ``involves`` leaves it (one accountable owner)."""
    out: Remediation = _set_fields(r, values, b)
    if "owner" in values and "involves" not in values and out.owner in out.involves:
        keep = [i for i, who in enumerate(out.involves) if who != out.owner]
        out = _keep_indexes(out, "involves", keep)
    return out


def _keep_indexes(obj: Any, name: str, keep: Sequence[int]) -> Any:
    """``obj`` with only the list items of field ``name`` at ``keep``, their locations renumbered."""
    old: tuple[Any, ...] = getattr(obj, name)
    locs = {k: v for k, v in obj.locs.items() if not k.startswith(f"{name}.")}
    for new_i, old_i in enumerate(keep):
        if f"{name}.{old_i}" in obj.locs:
            locs[f"{name}.{new_i}"] = obj.locs[f"{name}.{old_i}"]
    return replace(obj, **{name: tuple(old[i] for i in keep)}, locs=locs)


def _without(fm: FailureMode, name: str, items: Sequence[Any]) -> FailureMode:
    if name == "questions":
        return replace(fm, questions=tuple(items))
    return replace(fm, remediations=tuple(items))


def _remap_remediation(r: Remediation, mapping: Mapping[str, str]) -> Remediation:
    if not mapping:
        return r
    owner = mapping.get(r.owner, r.owner)
    keep, seen = [], {owner}
    involves = [mapping.get(w, w) for w in r.involves]
    for i, who in enumerate(involves):
        if who not in seen:
            seen.add(who)
            keep.append(i)
    r2 = _keep_indexes(replace(r, owner=owner, involves=tuple(involves)), "involves", keep)
    assert isinstance(r2, Remediation)
    return r2


def _remap_attendees(cl: Checklist, mapping: Mapping[str, str]) -> Checklist:
    if not mapping:
        return cl
    attendees = [mapping.get(w, w) for w in cl.attendees]
    keep, seen = [], set()
    for i, who in enumerate(attendees):
        if who not in seen:
            seen.add(who)
            keep.append(i)
    out = _keep_indexes(replace(cl, attendees=tuple(attendees)), "attendees", keep)
    assert isinstance(out, Checklist)
    return out
