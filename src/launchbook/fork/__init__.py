"""``launchbook init`` and ``launchbook diff``: starting a fork and following upstream.

The overlay semantics themselves live in :mod:`launchbook.overlay`.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from .. import __version__
from ..errors import UsageError
from ..model import load_playbook
from ..overlay import is_fork, load_any, load_overlay, read_fork
from ..report import for_terminal
from .diff import (
    Snapshot,
    diff_snapshots,
    dump_snapshot,
    fingerprints,
    format_diff,
    read_snapshot,
    touches,
    update_pins,
)
from .init import init_fork

__all__ = ["cmd_diff", "cmd_init", "init_fork"]

INIT_EXAMPLES = """
examples:
  launchbook init acme                          # a fork of the bundled playbooks
  launchbook init acme --name "Acme Corp"
  launchbook init acme --upstream ../launchbook/playbooks
  cd acme && launchbook check && launchbook build
"""

DIFF_EXAMPLES = """
examples:
  launchbook diff                               # upstream now vs the fork's recorded base
  launchbook diff --since 1.0.0                 # vs an older snapshot in .launchbook/base/
  launchbook diff --since ../old/playbooks      # vs a copy of upstream at some version
  launchbook diff --update-base                 # record upstream's current version as the base
"""


def add_init_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", metavar="DIR", help="the new fork's folder (must be empty or absent)")
    p.add_argument("--name", metavar="ORG", help="your organization's name (default: from DIR)")
    p.add_argument(
        "--upstream",
        metavar="PATH",
        help="upstream playbooks folder (default: 'bundled', the set shipped with launchbook)",
    )


def add_diff_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", default=".", help="the fork folder (default: .)")
    p.add_argument(
        "--since",
        metavar="VERSION|PATH",
        help="a base version recorded in .launchbook/base/, a snapshot .json, or a playbooks folder",
    )
    p.add_argument(
        "--update-base",
        action="store_true",
        help="record upstream's current version as the fork's base (after reviewing the diff)",
    )


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.dir)
    written = init_fork(target, args.name, args.upstream)
    print(f"wrote a fork to {target}/ ({len(written)} files)")
    print(f"next: cd {target} && launchbook check && launchbook build   (see {target}/README.md)")
    return 0


def _since(root: Path, since: str | None, base: str) -> tuple[Snapshot, str]:
    if since is None:
        path = root / ".launchbook" / "base" / f"{base}.json"
        return read_snapshot(path), f"recorded base, {path.relative_to(root)}"
    recorded = root / ".launchbook" / "base" / f"{since}.json"
    if re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.+-]*", since) and recorded.is_file():
        return read_snapshot(recorded), f"snapshot {since}"
    path = Path(since)
    if path.is_file():
        return read_snapshot(path), str(path)
    if path.is_dir():
        res = load_any(path)
        if res.playbook is None:
            raise UsageError(f"{since}: the playbooks cannot be loaded; run 'launchbook check {since}'")
        return fingerprints(res.playbook), str(path)
    known = sorted(p.stem for p in (root / ".launchbook" / "base").glob("*.json"))
    raise UsageError(
        f"--since {since}: no recorded snapshot and no such path"
        + (f"; recorded versions: {', '.join(known)}" if known else "")
    )


def cmd_diff(args: argparse.Namespace) -> int:
    root = Path(args.path)
    if not is_fork(root):
        raise UsageError(f"{args.path}: not a fork (no fork.yml); start one with 'launchbook init DIR'")
    cfg, problems = read_fork(root)
    if cfg is None:
        raise UsageError(
            "fork.yml has errors:\n" + "\n".join(f"  {p.location()}: {p.message}" for p in problems)
        )
    upstream = load_playbook(cfg.upstream_path)
    if upstream.playbook is None:
        raise UsageError(f"the upstream playbooks ({cfg.upstream}) cannot be loaded; run 'launchbook check'")
    now = fingerprints(upstream.playbook)
    if args.update_base:
        return _update_base(cfg.root, cfg.doc.path, cfg.base, now)
    base, label = _since(root, args.since, cfg.base)
    changes = diff_snapshots(base, now)
    touched = touches(load_overlay(cfg.overlay_path), changes)
    text = format_diff(base, now, changes, touched, label, next_step=args.since is None)
    print(for_terminal(text, newlines=True), end="")
    return 0


def _update_base(root: Path, fork_file: str, old: str, now: Snapshot) -> int:
    version = str(now["version"])
    snap = root / ".launchbook" / "base" / f"{version}.json"
    snap.parent.mkdir(parents=True, exist_ok=True)
    snap.write_text(dump_snapshot(now), encoding="utf-8")
    path = root / "fork.yml"
    text = path.read_text(encoding="utf-8")
    new_text, n = re.subn(r"(?m)^base:[^\n#]*", f'base: "{version}"', text, count=1)
    if n != 1:
        raise UsageError(f"{fork_file}: no top-level 'base:' line to update")
    path.write_text(new_text, encoding="utf-8")
    print(f"recorded upstream {version} as the base (was {old}); snapshot in {snap.relative_to(root)}")
    pins = update_pins(root, version, __version__)  # the versions 'launchbook init' wrote
    if pins:
        print(for_terminal(f"updated the version pins in {', '.join(pins)}"))
    return 0
