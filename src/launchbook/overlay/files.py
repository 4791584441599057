"""Reading an overlay folder: each file through the safe loader, against its spec in
:mod:`launchbook.schema.fork`; a broken file is reported and left out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..codes import declare
from ..errors import Loc, Problem, did_you_mean
from ..loader import Document, load_bytes, no_gc, read_source
from ..model import display_path, yaml_files
from ..schema import CHECKLIST, FAILURE_MODE, Obj
from ..schema.fork import (
    EXCLUDE_FILE,
    EXTEND_FILE,
    OVERLAY_DIRS,
    OVERLAY_FILES,
    OVERLAY_ROLES,
    OVERLAY_SOURCES,
    OVERRIDES_FILE,
)

FORK_CONFIG = declare(
    "LB400",
    "fork-config",
    """
    fork.yml or the overlay folder is unusable: the upstream playbooks cannot be found, or the
    overlay folder is missing or leaves the fork.

    Example::

        upstream: ../playbookz     # LB400 upstream playbooks not found

    Fix: write 'upstream: bundled' for the playbooks shipped with launchbook, or the path (relative
    to fork.yml) of a folder holding launchbook.yml; 'overlay:' names a folder inside the fork (it
    may be empty).
    """,
)
STRAY_FILE = declare(
    "LB410",
    "overlay-stray-file",
    """
    A file or folder in the overlay folder that launchbook does not read, so whatever it holds has
    no effect (often a misspelt name: 'exclusions.yml' for 'exclude.yml').

    Example::

        overlay/exclusions.yml     # LB410 'exclusions.yml' is not an overlay file; did you mean 'exclude.yml'?

    Fix: rename it to one of the overlay files: roles.yml, sources.yml, extend.yml, exclude.yml,
    failure-modes/*.yml, checklists/*.yml and overrides/*.yml; or move it out of the overlay folder.
    """,
    level="warning",
)


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


class _Reader:
    """The files of one overlay folder read so far, their problems and their lines."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.lines: dict[str, tuple[str, ...]] = {}
        self.files = 0

    def load(self, path: Path, spec: Obj) -> Document | None:
        """Load one overlay file (read once, with the loader's rules: a regular file inside the folder)."""
        self.files += 1
        shown = display_path(path)
        raw = read_source(path, shown, self.folder)
        if isinstance(raw, Problem):
            self.problems.append(raw)
            self.lines[shown] = ()
            return None
        doc = load_bytes(raw, spec, shown)
        if doc.data is None and [p.code for p in doc.problems] == ["LB107"]:
            doc = Document(doc.path, {}, {}, ())  # only comments: an empty overlay file is fine
        self.problems.extend(doc.problems)
        self.lines[doc.path] = tuple(raw.decode("utf-8", errors="replace").splitlines())
        return doc if doc.ok else None

    def one(self, name: str, spec: Obj) -> Document | None:
        path = self.folder / name
        if not path.exists():  # a folder, FIFO or device of that name is refused by load
            return None
        return self.load(path, spec)

    def many(self, sub: str, spec: Obj) -> tuple[Document, ...]:
        docs = (self.load(path, spec) for path in yaml_files(self.folder / sub))
        return tuple(doc for doc in docs if doc is not None)

    def strays(self) -> None:
        """A warning for each file or folder launchbook does not read (LB410)."""
        known = (*OVERLAY_FILES, *OVERLAY_DIRS)
        for path in sorted(self.folder.iterdir()):
            stray = (
                path.is_file() and path.suffix in (".yml", ".yaml") and path.name not in OVERLAY_FILES
            ) or (path.is_dir() and not path.name.startswith(".") and path.name not in OVERLAY_DIRS)
            if stray:
                hint = did_you_mean(path.name, known) or "overlay files are " + ", ".join(known)
                message = f"'{path.name}' is not an overlay file; launchbook does not read it"
                self.problems.append(STRAY_FILE.at(Loc(display_path(path)), message, hint))


def load_overlay(folder: Path) -> Overlay:
    """Read every overlay file under ``folder``; a broken file is reported and left out."""
    shown = display_path(folder)
    if not folder.is_dir():
        missing = FORK_CONFIG.at(
            Loc(shown),
            f"overlay folder '{shown}' does not exist",
            "create it (it may be empty), or fix 'overlay:' in fork.yml",
        )
        return Overlay(shown, problems=(missing,))
    r = _Reader(folder)
    with no_gc():
        roles = r.one("roles.yml", OVERLAY_ROLES)
        sources = r.one("sources.yml", OVERLAY_SOURCES)
        extend = r.one("extend.yml", EXTEND_FILE)
        exclude = r.one("exclude.yml", EXCLUDE_FILE)
        fms = r.many("failure-modes", FAILURE_MODE)
        cls = r.many("checklists", CHECKLIST)
        overrides = r.many("overrides", OVERRIDES_FILE)
    r.strays()
    return Overlay(
        shown, roles, sources, fms, cls, overrides, extend, exclude, tuple(r.problems), r.files, r.lines
    )
