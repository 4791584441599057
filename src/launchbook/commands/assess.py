"""``launchbook assess``: its arguments and its handler; the scoring itself is :mod:`launchbook.assess`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..assess import RENDERERS, Answers, build_report, read_answers, scope_questions, write_answers
from ..errors import Problem, UsageError, did_you_mean, sorted_problems
from ..fsutil import check_output_file, write_output_file
from ..model import Playbook, resolve_role
from ..overlay import require_playbook
from ..report import for_terminal
from ..report import text as text_report

EXAMPLES = """
examples:
  launchbook assess --template -o answers.yml             # every question, answers to fill in
  launchbook assess --template --checklist project-kickoff --role product-owner -o answers.yml
  launchbook assess answers.yml                           # levels, what holds them back, what to do next
  launchbook assess answers.yml --format json
  launchbook assess answers.yml --compare answers-2024.yml --format md > progress.md
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``launchbook assess`` (the CLI registers the subcommand)."""
    p.add_argument(
        "answers",
        nargs="?",
        metavar="ANSWERS",
        help="answers file (with --template: the playbook folder, if any)",
    )
    p.add_argument(
        "path", nargs="?", metavar="PATH", help="playbook folder (default: ./playbooks, else bundled)"
    )
    p.add_argument("--template", action="store_true", help="write an answers file to fill in")
    p.add_argument("--checklist", metavar="NAME", help="with --template: only this checklist's questions")
    p.add_argument("--role", metavar="R", help="with --template: only the questions this role owns")
    p.add_argument("-o", "--output", metavar="FILE", help="with --template: write to FILE (never overwrites)")
    p.add_argument("--format", choices=tuple(RENDERERS), default="text")
    p.add_argument(
        "--compare", metavar="OLDER", help="an earlier answers file: what improved, what regressed"
    )
    p.add_argument("--top", type=int, default=10, metavar="N", help="remediations to list (default 10)")


def _playbook(path: str | None) -> Playbook:
    """The playbooks at ``path`` (default: ./playbooks, else the bundled ones), or a usage error.

    Errors in them raise :class:`~launchbook.errors.PlaybookErrors`, which the CLI reports."""
    return require_playbook(path)


def _write_new(path: Path, text: str) -> None:
    check_output_file(path)  # a folder, a path under a file, .git, a name too long: a message
    if path.exists() or path.is_symlink():
        raise UsageError(
            f"{path}: already exists; choose another name (an answers file is never overwritten)"
        )
    write_output_file(path, text.encode("utf-8"))


def _template(args: argparse.Namespace) -> int:
    """``--template``: an answers file to fill in, on stdout or written to a new file."""
    if args.path is not None:
        raise UsageError("with --template, give at most one PATH (the playbook folder)")
    pb = _playbook(args.answers)
    checklists = [c.id for c in pb.checklists]
    if args.checklist is not None and args.checklist not in checklists:
        hint = did_you_mean(args.checklist, checklists) or "known: " + ", ".join(checklists)
        raise UsageError(f"unknown checklist '{args.checklist}'; {hint}")
    role = resolve_role(pb, args.role) if args.role is not None else None  # an id or a display name
    qs = scope_questions(pb, args.checklist, role)
    if not qs:
        raise UsageError("no questions match this checklist and role")
    text = write_answers(pb, qs, checklist=args.checklist or "", role=role or "")
    if args.output:
        _write_new(Path(args.output), text)
        print(f"wrote {len(qs)} questions to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _answer_files(args: argparse.Namespace) -> list[Path]:
    """The answers file (and the older one to compare with), after the usage checks."""
    if args.checklist or args.role or args.output:
        raise UsageError("--checklist, --role and -o go with --template; the scope of answers is in the file")
    if args.answers is None:
        raise UsageError("give an answers file, or --template to write one")
    if args.top < 0:
        raise UsageError("--top must be 0 or more")
    files = [Path(args.answers)] + ([Path(args.compare)] if args.compare else [])
    for f in files:
        if not f.is_file():
            raise UsageError(f"{f}: no such file")
    return files


def cmd_assess(args: argparse.Namespace) -> int:
    if args.template:
        return _template(args)
    files = _answer_files(args)
    pb = _playbook(args.path)
    loaded: list[Answers] = []
    problems: list[Problem] = []
    for f in files:
        ans, probs = read_answers(f, pb)
        problems += probs
        if ans is not None:
            loaded.append(ans)
    if len(loaded) != len(files):
        sys.stderr.write(text_report(sorted_problems(problems), len(files)))
        return 1
    report = build_report(pb, loaded[0], args.top)
    if args.compare:
        report = report.compared_with(build_report(pb, loaded[1], args.top))
    out = RENDERERS[args.format](report)
    sys.stdout.write(for_terminal(out, newlines=True) if args.format == "text" else out)
    return 0
