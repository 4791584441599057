"""``launchbook plan``: remediations in do-first order, grouped by phase, with their owners."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from ..errors import UsageError, did_you_mean
from ..graph import do_first_order
from ..model import Playbook, Remediation
from ..overlay import require_playbook
from ..report import for_terminal

EXAMPLES = """
examples:
  launchbook plan                       # every remediation, in do-first order, by phase
  launchbook plan --phase deploy
  launchbook plan --role ml-engineer --format json
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?")
    p.add_argument("--phase")
    p.add_argument("--role")
    p.add_argument("--format", choices=["text", "json"], default="text")


def _check_choice(value: str | None, known: Sequence[str], what: str) -> None:
    if value is not None and value not in known:
        hint = did_you_mean(value, known) or "known: " + ", ".join(known)
        raise UsageError(f"unknown {what} '{value}'; {hint}")


def run(args: argparse.Namespace) -> int:
    pb = require_playbook(args.path)
    _check_choice(args.phase, [p.id for p in pb.manifest.phases], "phase")
    _check_choice(args.role, [r.id for r in pb.roles], "role")
    chosen = [
        r
        for r in pb.remediations()
        if (args.phase is None or r.phase == args.phase)
        and (args.role is None or args.role in (r.owner, *r.involves))
    ]
    ordered = do_first_order(pb, chosen)
    if args.format == "json":
        print(json.dumps([_as_json(r) for r in ordered], indent=2))
    else:
        _print_by_phase(pb, ordered)
    return 0


def _as_json(r: Remediation) -> dict[str, object]:
    return {
        "id": r.id,
        "title": r.title,
        "phase": r.phase,
        "owner": r.owner,
        "involves": list(r.involves),
        "effort": r.effort,
        "requires": list(r.requires),
        "failure_mode": r.failure_mode,
    }


def _print_by_phase(pb: Playbook, ordered: list[Remediation]) -> None:
    roles = {r.id: r.name for r in pb.roles}
    n = 0
    for phase in pb.manifest.phases:
        items = [r for r in ordered if r.phase == phase.id]
        if not items:
            continue
        print(for_terminal(f"## {phase.title} ({phase.id})"))
        for r in items:
            n += 1
            req = f"  after: {', '.join(r.requires)}" if r.requires else ""
            line = f"{n:>3}. [{r.effort}] {r.title} — {roles.get(r.owner, r.owner)}  ({r.id}){req}"
            print(for_terminal(line))
        print()
    if n == 0:
        print("nothing to do for this selection")
