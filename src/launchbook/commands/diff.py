"""``launchbook diff``: what upstream changed since the fork's base, and what of the fork it touches."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError
from ..fork.diff import diff_snapshots, fingerprints, format_diff, resolve_since, touches, update_base
from ..model import load_playbook
from ..overlay import is_fork, load_overlay, read_fork
from ..report import for_terminal

EXAMPLES = """
examples:
  launchbook diff                               # upstream now vs the fork's recorded base
  launchbook diff --since 1.0.0                 # vs an older snapshot in .launchbook/base/
  launchbook diff --since ../old/playbooks      # vs a copy of upstream at some version
  launchbook diff --update-base                 # record upstream's current version as the base
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
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


def run(args: argparse.Namespace) -> int:
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
        snap = update_base(cfg.root, cfg.doc.path, now)
        print(
            f"recorded upstream {now['version']} as the base (was {cfg.base});"
            f" snapshot in {snap.relative_to(cfg.root)}"
        )
        return 0
    base, label = resolve_since(root, args.since, cfg.base)
    changes = diff_snapshots(base, now)
    touched = touches(load_overlay(cfg.overlay_path), changes)
    text = format_diff(base, now, changes, touched, label, next_step=args.since is None)
    print(for_terminal(text, newlines=True), end="")
    return 0
