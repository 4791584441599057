"""Helpers of the overlay tests (tests/test_overlay.py, tests/test_item_aliases.py): a fork on disk,
merged and checked, and lookups by id in the result."""

from __future__ import annotations

import textwrap
from pathlib import Path

from launchbook.checks import run_checks
from launchbook.errors import Problem
from launchbook.model import Checklist, Playbook, Question, Remediation
from launchbook.overlay import load_fork

from . import MINIMAL


def make_fork(tmp_path: Path, files: dict[str, str], upstream: Path = MINIMAL) -> Path:
    """A fork of ``upstream`` under ``tmp_path/fork`` whose overlay holds ``files`` (path -> YAML)."""
    root = tmp_path / "fork"
    (root / "overlay").mkdir(parents=True)
    (root / "fork.yml").write_text(
        f'name: Acme\nupstream: "{upstream}"\noverlay: overlay\nbase: "1.0.0"\n', encoding="utf-8"
    )
    for rel, text in files.items():
        path = root / "overlay" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def merged(tmp_path: Path, files: dict[str, str], upstream: Path = MINIMAL) -> tuple[Playbook, list[Problem]]:
    """The fork of :func:`make_fork` loaded and merged, with its load problems and check findings."""
    res = load_fork(make_fork(tmp_path, files, upstream))
    assert res.playbook is not None, res.problems
    return res.playbook, [*res.problems, *run_checks(res.playbook)]


def codes(problems: list[Problem], level: str | None = None) -> list[str]:
    return sorted(p.code for p in problems if level is None or p.level == level)


def rem(pb: Playbook, ident: str) -> Remediation:
    return next(r for r in pb.remediations() if r.id == ident)


def question(pb: Playbook, ident: str) -> Question:
    return next(q for q in pb.questions() if q.id == ident)


def checklist(pb: Playbook, ident: str) -> Checklist:
    return next(c for c in pb.checklists if c.id == ident)
