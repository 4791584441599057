"""``launchbook import``: other frameworks' data as launchbook playbook sets.

Each importer reads one framework's real data with the safe reader of
:mod:`launchbook.importers.reader`, and builds a playbook set that
``launchbook check`` accepts: ``launchbook.yml``, ``roles.yml``,
``sources.yml`` (the framework, its license and attribution), one file per
failure mode and per checklist, and a README. Original ids are kept in
``maps_to``; ids of questions and remediations are prefixed with the framework
item's id, so they are unique. Output is deterministic: importing twice gives
byte-identical files.

Where the framework names no accountable owner, items are owned by the role
``framework-owner``, which an organization renames in its overlay.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem
from . import atlas, deon, nist, samm
from .common import README_MARK, PlaybookSet
from .reader import Budget, ForeignDataError


@dataclass(frozen=True)
class Importer:
    name: str
    read: Callable[[Path, Budget], Any]
    catalog: Callable[[Any], list[dict[str, str]]]
    build: Callable[[Any], PlaybookSet]
    attribution: Any
    id_scheme: str


IMPORTERS: dict[str, Importer] = {
    "atlas": Importer(
        "atlas",
        atlas.read,
        atlas.catalog,
        atlas.build,
        atlas.ATTRIBUTION,
        "ATLAS ids as published: tactics AML.TA0000, techniques AML.T0000 and sub-techniques "
        "AML.T0000.000, mitigations AML.M0000.",
    ),
    "deon": Importer(
        "deon",
        deon.read,
        deon.catalog,
        deon.build,
        deon.ATTRIBUTION,
        "deon's own ids: sections A-E and checklist items A.1, B.2 ...",
    ),
    "nist-ai-rmf": Importer(
        "nist-ai-rmf",
        nist.read,
        nist.catalog,
        nist.build,
        nist.ATTRIBUTION,
        "The Playbook's subcategory ids, exactly as written: GOVERN 1.2, MEASURE 2.11 ...",
    ),
    "samm": Importer(
        "samm",
        samm.read,
        samm.catalog,
        samm.build,
        samm.ATTRIBUTION,
        "The model's file naming: practices <function letter>-<practice short name> (G-SM), streams "
        "G-SM-A, activities (one question each) <practice>-<level>-<stream> (G-SM-1-A).",
    ),
}


@dataclass(frozen=True)
class ImportResult:
    files: dict[str, str]
    warnings: tuple[Problem, ...]
    playbook_set: PlaybookSet


def display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover
        return str(path)
    return str(path) if rel.startswith("..") else rel


def convert(name: str, src: Path) -> ImportResult:
    """Read ``src`` with the importer ``name`` and build the playbook set's files (nothing written)."""
    imp = IMPORTERS[name]
    # the folder of what the user named (a named file may be a link; files it leads to must
    # stay inside the folder it resolves to)
    real = src.resolve()
    budget = Budget(real if real.is_dir() else real.parent, display=display)
    data = imp.read(src, budget)
    ps = imp.build(data)
    warnings = tuple(getattr(data, "warnings", ())) + tuple(ps.warnings)
    return ImportResult(ps.files(), warnings, ps)


def write(files: dict[str, str], out: Path) -> None:
    """Write the files to ``out``, replacing a previous import there (never other content)."""
    if out.exists():
        if not out.is_dir():
            raise FileExistsError(f"{out} exists and is not a folder")
        entries = list(out.iterdir())
        readme = out / "README.md"
        previous = readme.is_file() and readme.read_text(encoding="utf-8").startswith(README_MARK)
        if entries and not previous:
            raise FileExistsError(f"{out} is not empty and not a previous import; choose a new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for rel, content in sorted(files.items()):
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8"))
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            if old.exists():
                shutil.rmtree(old)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


__all__ = ["IMPORTERS", "ForeignDataError", "ImportResult", "convert", "write"]
