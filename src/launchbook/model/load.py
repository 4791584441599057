"""Loading a playbook folder: every file read through the safe loader, then built into a
:class:`~launchbook.model.types.Playbook`; a broken file is reported and left out."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import Loc, Problem
from ..loader import Document, load_bytes, load_document, no_gc
from ..loader_codes import ID_FILE_MISMATCH, MISSING_FILE
from ..schema import CHECKLIST, FAILURE_MODE, MANIFEST, ROLES, SOURCES, Obj
from .build import build_checklist, build_failure_mode, build_manifest, build_roles, build_sources
from .types import Playbook


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
                MISSING_FILE.at(
                    Loc(display_path(path)),
                    f"missing {name}",
                    f"a playbook folder needs {name}; run 'launchbook init' for a starting point",
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
            ID_FILE_MISMATCH.at(
                Loc(doc.path, line, col),
                f"{what} id '{ident}' does not match the file name '{Path(doc.path).name}'",
                f"rename the file to '{ident}.yml' or set 'id: {stem}'",
            )
        )
