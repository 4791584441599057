"""``launchbook assess``: its arguments and its handler; the scoring itself is :mod:`launchbook.assess`.

Positionals are answers files; a positional folder is read as the playbooks (as before
``--playbooks``). One date's files (one per role, say) are merged into one assessment; files of
several dates make a trend; ``--portfolio DIR`` reads one file per project.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..assess import RENDERERS, Answers, build_report, read_answers, scope_questions, write_answers
from ..assess.merge import by_date, merge
from ..assess.trend import build_portfolio, build_trend
from ..assess.views import PORTFOLIO_RENDERERS, TREND_RENDERERS
from ..errors import Problem, UsageError, did_you_mean, sorted_problems
from ..fsutil import check_output_file, write_output_file
from ..model import Playbook, resolve_role
from ..overlay import require_playbook
from ..report import for_terminal
from ..report import text as text_report

EXAMPLES = """
examples:
  launchbook assess --template -o answers.yml             # every question, grouped, answers to fill in
  launchbook assess --template --role "Product owner" -o product-owner.yml
  launchbook assess answers.yml                           # levels, what holds them back, what to do next
  launchbook assess answers.yml --format json
  launchbook assess answers.yml --compare answers-2024.yml --format md > progress.md
  launchbook assess product-owner.yml data-engineer.yml   # one date's partial files, merged
  launchbook assess q1.yml q2.yml q3.yml --format html > trend.html   # a trend, by each file's date
  launchbook assess --portfolio answers/ --format html > portfolio.html   # one file per project
  launchbook assess answers.yml --playbooks my-fork/playbooks
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``launchbook assess`` (the CLI registers the subcommand)."""
    p.add_argument(
        "files",
        nargs="*",
        metavar="ANSWERS",
        help="answers files (several dates: a trend; one date: merged); a folder is read as the playbooks",
    )
    p.add_argument("--playbooks", metavar="DIR", help="playbook folder (default: ./playbooks, else bundled)")
    p.add_argument("--template", action="store_true", help="write an answers file to fill in")
    p.add_argument("--checklist", metavar="NAME", help="with --template: only this checklist's questions")
    p.add_argument(
        "--role", metavar="R", help="with --template: only the questions this role owns (its id or name)"
    )
    p.add_argument("-o", "--output", metavar="FILE", help="with --template: write to FILE (never overwrites)")
    p.add_argument("--format", choices=tuple(RENDERERS), default="text")
    p.add_argument(
        "--compare", metavar="OLDER", help="an earlier answers file: what improved, what regressed"
    )
    p.add_argument(
        "--portfolio", metavar="DIR", help="a folder of answers files, one per project (named after the file)"
    )
    p.add_argument("--top", type=int, default=10, metavar="N", help="remediations to list (default 10)")


def _split(args: argparse.Namespace) -> tuple[str | None, list[Path]]:
    """The playbook folder and the answers files: a positional folder is the playbooks."""
    folders = [f for f in args.files if Path(f).is_dir()]
    files = [Path(f) for f in args.files if not Path(f).is_dir()]
    if len(folders) > 1 or (folders and args.playbooks):
        raise UsageError(
            "give the playbook folder once (--playbooks DIR); every other argument is an answers file"
        )
    return (folders[0] if folders else args.playbooks), files


def _write_new(path: Path, text: str) -> None:
    check_output_file(path)  # a folder, a path under a file, .git, a name too long: a message
    if path.exists() or path.is_symlink():
        raise UsageError(
            f"{path}: already exists; choose another name (an answers file is never overwritten)"
        )
    write_output_file(path, text.encode("utf-8"))


def _template(args: argparse.Namespace, folder: str | None, files: Sequence[Path]) -> int:
    """``--template``: an answers file to fill in, on stdout or written to a new file."""
    if files:
        raise UsageError("with --template, give no answers file (only the playbook folder, if any)")
    pb = require_playbook(folder)
    checklists = [c.id for c in pb.checklists]
    if args.checklist is not None and args.checklist not in checklists:
        raise UsageError(
            f"unknown checklist '{args.checklist}'; "
            + (did_you_mean(args.checklist, checklists) or "known: " + ", ".join(checklists))
        )
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


def _check_usage(args: argparse.Namespace, files: Sequence[Path]) -> None:
    if args.checklist or args.role or args.output:
        raise UsageError("--checklist, --role and -o go with --template; the scope of answers is in the file")
    if args.top < 0:
        raise UsageError("--top must be 0 or more")
    if args.portfolio and (files or args.compare):
        raise UsageError("--portfolio DIR reads every answers file in DIR; give no other answers file")
    if not args.portfolio and not files:
        raise UsageError("give an answers file, or --template to write one")
    for f in [*files, *([Path(args.compare)] if args.compare else [])]:
        if not f.is_file():
            what = "not a regular file (a folder, FIFO or device)" if f.exists() else "no such file"
            raise UsageError(f"{f}: {what}; give an answers file (.yml)")


def _portfolio_files(folder: str) -> list[Path]:
    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"{folder}: not a folder (--portfolio takes a folder of answers files)")
    files = sorted(p for p in root.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
    if not files:
        raise UsageError(f"{folder}: no answers file (*.yml) in it")
    return files


def _read_all(pb: Playbook, files: Sequence[Path]) -> tuple[list[Answers] | None, list[Problem]]:
    """Every file read; None when one of them has an error (every problem is returned)."""
    loaded: list[Answers] = []
    problems: list[Problem] = []
    for f in files:
        ans, probs = read_answers(f, pb)
        problems += probs
        if ans is not None:
            loaded.append(ans)
    return (loaded if len(loaded) == len(files) else None), problems


def _report_problems(problems: Sequence[Problem], files: int) -> None:
    if problems:
        sys.stderr.write(text_report(sorted_problems(problems), files))


def _out(args: argparse.Namespace, text: str) -> int:
    sys.stdout.write(for_terminal(text, newlines=True) if args.format == "text" else text)
    return 0


def _dated(groups: Sequence[Sequence[Answers]]) -> None:
    """A trend needs each file's date as YYYY-MM-DD."""
    for g in groups:
        for a in g:
            if len(a.date) != 10:
                raise UsageError(
                    f"{a.path}: a trend orders files by their 'date:', and this one's is"
                    f" {repr(a.date) if a.date else 'blank'}; write it as YYYY-MM-DD"
                )


def _assess(args: argparse.Namespace, pb: Playbook, files: Sequence[Path]) -> int:
    loaded, problems = _read_all(pb, [*files, *([Path(args.compare)] if args.compare else [])])
    if loaded is None:
        _report_problems(problems, len(files))
        return 1
    older = loaded.pop() if args.compare else None
    groups = by_date(loaded)
    merged: list[Answers] = []
    for g in groups:
        one, found = merge(pb, g)
        problems += found
        if one is not None:
            merged.append(one)
    _report_problems(problems, len(files))
    if len(merged) != len(groups):
        return 1
    if len(merged) > 1:
        if older is not None:
            raise UsageError("--compare goes with one assessment; files of several dates make a trend")
        _dated(groups)
        trend = build_trend([build_report(pb, a, args.top) for a in merged])
        return _out(args, TREND_RENDERERS[args.format](trend))
    report = build_report(pb, merged[0], args.top)
    if older is not None:
        report = report.compared_with(build_report(pb, older, args.top))
    return _out(args, RENDERERS[args.format](report))


def _portfolio(args: argparse.Namespace, pb: Playbook) -> int:
    files = _portfolio_files(args.portfolio)
    loaded, problems = _read_all(pb, files)
    _report_problems(problems, len(files))
    if loaded is None:
        return 1
    names = [f.stem for f in files]
    portfolio = build_portfolio(names, [build_report(pb, a, args.top) for a in loaded], args.top)
    return _out(args, PORTFOLIO_RENDERERS[args.format](portfolio))


def run(args: argparse.Namespace) -> int:
    folder, files = _split(args)
    if args.template:
        return _template(args, folder, files)
    _check_usage(args, files)
    pb = require_playbook(folder)
    if args.portfolio:
        return _portfolio(args, pb)
    return _assess(args, pb, files)
