"""A fork: ``fork.yml`` read and checked, its upstream loaded and its overlay applied.

:func:`load_path` loads what a command names (see :func:`launchbook.locate.find_playbooks`), and
:func:`require_playbook` refuses playbooks with errors by raising
:class:`~launchbook.errors.PlaybookErrors`; only the CLI turns that into output and an exit code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .. import fsutil
from ..checks import blocking_errors
from ..errors import Loc, PlaybookErrors, Problem
from ..fsutil import InUse
from ..loader import Document, load_document
from ..locate import bundled_playbooks, find_playbooks
from ..model import LoadResult, Playbook, display_path, load_playbook
from ..schema.fork import FORK
from .files import FORK_CONFIG, load_overlay
from .merge import apply_overlay

FORK_FILE = "fork.yml"
BUNDLED = "bundled"


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
        problems.append(
            FORK_CONFIG.at(
                Loc(doc.path, *doc.pos("overlay")),
                f"overlay folder '{overlay}' is outside the fork",
                "write a folder inside the fork, such as 'overlay'",
            )
        )
        return None, problems
    cfg = ForkConfig(root, d["name"], d.get("title", ""), d["upstream"], overlay, d["base"], doc)
    if cfg.upstream != BUNDLED and not (cfg.upstream_path / "launchbook.yml").is_file():
        problems.append(
            FORK_CONFIG.at(
                Loc(doc.path, *doc.pos("upstream")),
                f"upstream playbooks not found at '{cfg.upstream}' (no launchbook.yml there)",
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


def load_path(path: str | None) -> LoadResult:
    """The playbooks at PATH (see :func:`~launchbook.locate.find_playbooks`); a fork is upstream with
    its overlay applied."""
    return load_any(find_playbooks(path))


def require_playbook(path: str | None) -> Playbook:
    """The playbooks at PATH, loaded and checked; raises :class:`PlaybookErrors` with the blocking
    problems when any (or when nothing loaded)."""
    res = load_path(path)
    errors = blocking_errors(res)
    if errors or res.playbook is None:
        raise PlaybookErrors(errors, res.files, res.playbook is not None)
    return res.playbook


def in_use(
    *,
    config_file: Path | None = None,
    playbooks: Path | None = None,
    docs: Iterable[Path] = (),
    files: Iterable[Path] = (),
    cwd: bool = True,
) -> InUse:
    """:func:`launchbook.fsutil.in_use`, with a fork's upstream folder read from its fork.yml."""
    upstream = _fork_upstream(playbooks.resolve()) if playbooks is not None else None
    return fsutil.in_use(
        config_file=config_file, playbooks=playbooks, docs=docs, files=files, cwd=cwd, upstream=upstream
    )


def _fork_upstream(root: Path) -> Path | None:
    if not (root / FORK_FILE).is_file():
        return None
    try:
        cfg, _ = read_fork(root)
    except Exception:  # a broken fork.yml is reported by the command itself
        return None
    if cfg is None or cfg.upstream == BUNDLED:
        return None
    return cfg.upstream_path.resolve()
