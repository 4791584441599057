"""A content-hash cache for ``launchbook check``: a re-check of unchanged files is instant.

The cache can never serve a stale result. Its key is a SHA-256 over everything the result
depends on:

- the bytes of every file :func:`~launchbook.model.load_playbook` reads (content, not
  modification times), with each file's name, so an added, removed or renamed file changes
  it too, and which of the three core files are missing;
- the launchbook version and a hash of launchbook's own source files (a code change in a
  development checkout invalidates it, not only a release), the Python and PyYAML versions
  and whether libyaml is used;
- the working directory and the folder as given (problems carry paths relative to them).

On a miss the playbooks are loaded from the very bytes that were hashed (not read a
second time), so a file edited during the check cannot be stored under the old content's
key. The entry (problems, file count, whether the set loaded) is written atomically under
``$XDG_CACHE_HOME/launchbook`` (default ``~/.cache/launchbook``), never next to the
playbooks: a check must leave the user's folder as it was. One entry is kept per playbook
folder and working directory (the 64 most recent). A fork (a folder with ``fork.yml``) is
checked without the cache, and so is any check with ``--no-cache`` or
``LAUNCHBOOK_NO_CACHE=1``. Any problem with the cache (unwritable, corrupt, full disk)
falls back to a plain check.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Problem
from .fsutil import cache_root, source_digest, write_atomic
from .model.provenance import ForkChanges
from .saferead import read_regular

CACHE_DIR = ".launchbook-cache"
FORMAT = 1  # bump when the entry layout changes
MAX_ENTRIES = 64  # entries kept (one per playbook folder and working directory)


@dataclass(frozen=True)
class CheckResult:
    """What ``launchbook check`` reports: every problem (loader and checks), unsorted, the
    number of files read, and whether the playbook set could be loaded at all."""

    problems: tuple[Problem, ...]
    files: int
    loaded: bool
    cached: bool = False
    changes: ForkChanges | None = None  # a fork's provenance (forks are never cached)


def check_folder(root: Path, use_cache: bool = True) -> CheckResult:
    """Load and check the playbook folder (or fork) ``root``, through the cache when possible."""
    from .overlay import is_fork

    if not use_cache or os.environ.get("LAUNCHBOOK_NO_CACHE") or is_fork(root):
        return _check(root, None)
    inputs = _read_inputs(root)
    if inputs is None:  # a file could not be read: the loader reports it, uncached
        return _check(root, None)
    key, contents = inputs
    paths = _entry_paths(root)
    hit = _read_entry(paths, key)
    if hit is not None:
        return hit
    result = _check(root, contents)
    _write_entry(paths, key, result)
    return result


def _check(root: Path, contents: dict[Path, bytes] | None) -> CheckResult:
    from .checks import run_checks
    from .model import load_playbook

    if contents is None:
        from .overlay import load_any

        res = load_any(root)
    else:
        res = load_playbook(root, contents)
    problems = list(res.problems)
    if res.playbook is not None:
        problems += run_checks(res.playbook)
    changes = res.playbook.fork_changes if res.playbook is not None else None
    return CheckResult(tuple(problems), res.files, res.playbook is not None, changes=changes)


# ------------------------------------------------------------------ key
def _code_digest() -> bytes:
    """SHA-256 of launchbook's own Python sources (:func:`launchbook.fsutil.source_digest`)."""
    return source_digest()


def _environment() -> bytes:
    import yaml

    parts = (
        f"launchbook-check-cache {FORMAT}",
        __version__,
        sys.version,
        yaml.__version__,
        str(getattr(yaml, "__with_libyaml__", False)),
        os.getcwd(),
    )
    return "\0".join(parts).encode() + _code_digest()


def _read_inputs(root: Path) -> tuple[str, dict[Path, bytes]] | None:
    """The cache key and the bytes of every file the loader would read (None if one fails)."""
    from .model import playbook_files

    core, fm_files, cl_files = playbook_files(root)
    h = hashlib.sha256(_environment())
    h.update(b"\0root\0" + str(root).encode() + b"\0")
    contents: dict[Path, bytes] = {}
    for path in core:
        if not path.exists():
            h.update(b"missing\0" + path.name.encode() + b"\0")
            continue
        if not _add(h, contents, path, path.name, root):
            return None
    for folder, files in (("failure-modes", fm_files), ("checklists", cl_files)):
        for path in files:
            if not _add(h, contents, path, f"{folder}/{path.name}", root):
                return None
    return h.hexdigest(), contents


def _add(h: Any, contents: dict[Path, bytes], path: Path, name: str, root: Path) -> bool:
    from .loader import MAX_BYTES

    try:  # what the loader would read, with its rules (a special file or a link out: uncached)
        data = read_regular(path, MAX_BYTES, root)
    except OSError:
        return False
    contents[path] = data
    h.update(f"file\0{name}\0{len(data)}\0".encode())
    h.update(data)
    return True


# ------------------------------------------------------------------ storage
def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/launchbook`` (default ``~/.cache/launchbook``): never inside the
    playbook folder or its parent, so a check leaves the user's files exactly as they were."""
    return cache_root()


def _entry_paths(root: Path) -> list[Path]:
    """Where the entry for ``root`` (as given, from this working directory) is kept."""
    where = f"{os.getcwd()}\0{root.resolve()}\0{root}"
    return [cache_dir() / ("check-" + hashlib.sha256(where.encode()).hexdigest()[:24] + ".json")]


def _read_entry(paths: list[Path], key: str) -> CheckResult | None:
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("key") != key:
                continue
            problems = tuple(Problem(*p) for p in data["problems"])
            return CheckResult(problems, int(data["files"]), bool(data["loaded"]), cached=True)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            continue
    return None


def _write_entry(paths: list[Path], key: str, result: CheckResult) -> None:
    doc = {
        "key": key,
        "files": result.files,
        "loaded": result.loaded,
        "problems": [[p.code, p.level, p.message, p.path, p.line, p.column, p.hint] for p in result.problems],
    }
    text = json.dumps(doc, ensure_ascii=False)
    for path in paths:
        try:
            write_atomic(path, text.encode("utf-8"))
        except OSError:
            continue
        _prune(path.parent)
        return


def _prune(folder: Path, keep: int = MAX_ENTRIES) -> None:
    """Delete the least recently written entries beyond ``keep`` (one per folder checked)."""
    try:
        entries = sorted(folder.glob("check-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
