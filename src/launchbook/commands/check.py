"""``launchbook check``: load and check the playbooks, report every problem (or list the codes)."""

from __future__ import annotations

import argparse
import sys

from ..errors import Problem, sorted_problems
from ..locate import find_playbooks
from ..report import REPORTERS

EXAMPLES = """
examples:
  launchbook check                      # the playbooks/ of this folder (or the bundled set)
  launchbook check playbooks --strict   # warnings fail too
  launchbook check --format github      # annotations in a GitHub Actions job
  launchbook check --list-checks        # every code, with what it catches
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", help="playbook folder (default: ./playbooks, else the bundled set)")
    p.add_argument("--format", choices=sorted(REPORTERS), default="text")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--list-checks", action="store_true", help="list every problem code and exit")
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="check everything again, ignoring the result cache (~/.cache/launchbook; keyed on file contents)",
    )


def run(args: argparse.Namespace) -> int:
    if args.list_checks:
        from .explain import all_codes  # imports every module that declares codes

        for code, name, level, summary in all_codes():
            print(f"{code}  {name:<24} {level:<8} {summary}")
        return 0
    from ..cache import check_folder  # content-hash cache: an unchanged set is not re-checked

    res = check_folder(find_playbooks(args.path), use_cache=not args.no_cache)
    problems = sorted_problems(res.problems)
    if args.strict:
        problems = [Problem(p.code, "error", p.message, p.path, p.line, p.column, p.hint) for p in problems]
    sys.stdout.write(REPORTERS[args.format](problems, res.files))
    if not res.loaded and any(p.code in ("LB116", "LB115") for p in problems):
        return 2
    return 1 if any(p.level == "error" for p in problems) else 0
