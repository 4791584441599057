"""``launchbook checklist``: list, tailor and render a printable checklist."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..checklists import FORMATS, PAPERS, render, tailor
from ..errors import UsageError
from ..fsutil import check_output_file, write_output_file
from ..locate import find_playbooks
from ..overlay import in_use, require_playbook
from ..report import for_terminal

EXAMPLES = """
examples:
  launchbook checklist --list                                  # the checklists and their meetings
  launchbook checklist project-kickoff -o kickoff.pdf          # A4 PDF to print
  launchbook checklist project-kickoff --paper letter -o kickoff.pdf
  launchbook checklist go-no-go-production --role ml-engineer --format md   # a GitHub task list
  launchbook checklist data-readiness-review --phase data --format csv -o items.csv
  launchbook checklist project-kickoff --failure-mode no-deployment-plan --format html -o k.html
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", metavar="NAME", help="checklist id (see --list)")
    p.add_argument("--list", action="store_true", help="list the checklists and exit")
    p.add_argument("--role", help="keep the items a role owns, is involved in or asks")
    p.add_argument("--phase", help="keep the items of one phase")
    p.add_argument("--tag", help="keep the items of failure modes with this tag")
    p.add_argument(
        "--failure-mode",
        action="append",
        default=[],
        dest="failure_modes",
        metavar="ID",
        help="keep the items of this failure mode (repeatable)",
    )
    p.add_argument("--format", choices=FORMATS, default=None, help="default: from -o's suffix, else pdf")
    p.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="paper size (pdf, html)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument(
        "--playbooks",
        metavar="DIR",
        help="playbook folder (default: ./playbooks, else the bundled set)",
    )


_SUFFIX_FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "md", ".csv": "csv"}


def run(args: argparse.Namespace) -> int:
    pb = require_playbook(args.playbooks)
    if args.list:
        if not pb.checklists:
            print("no checklists in this playbook set")
        width = max((len(c.id) for c in pb.checklists), default=0)
        for c in sorted(pb.checklists, key=lambda c: c.id):
            print(for_terminal(f"{c.id:<{width}}  {c.title} — {c.meeting} ({len(c.items)} items)"))
        return 0
    if not args.name:
        names = ", ".join(sorted(c.id for c in pb.checklists)) or "none"
        raise UsageError(f"name a checklist (one of: {names}), or use --list")
    fmt: str = args.format or _SUFFIX_FORMATS.get(Path(args.output or "").suffix.lower(), "pdf")
    t = tailor(
        pb,
        args.name,
        role=args.role,
        phase=args.phase,
        tag=args.tag,
        failure_modes=args.failure_modes,
    )
    if not t.items:
        given = [
            f"--{k} {v}" for k, v in (("role", args.role), ("phase", args.phase), ("tag", args.tag)) if v
        ]
        given += [f"--failure-mode {f}" for f in args.failure_modes]
        raise UsageError(
            f"no item of checklist '{args.name}' matches {' '.join(given)}; loosen the selection"
        )
    if fmt == "pdf" and not args.output and _is_tty(sys.stdout):
        raise UsageError("a PDF is binary: give -o FILE.pdf, or redirect standard output to a file")
    # never over a playbook or the project's mkdocs.yml/fork.yml; checked before a PDF takes a while
    project = in_use(playbooks=find_playbooks(args.playbooks), config_file=_if_file("mkdocs.yml"), cwd=False)
    if args.output:
        check_output_file(Path(args.output), project)
    data = render(pb, t, fmt, args.paper)
    if args.output:
        write_output_file(Path(args.output), data, project)
        print(f"wrote {args.output} ({len(t.items)} items, {fmt}, {args.paper})", file=sys.stderr)
    else:
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # a text-only stream (some embedders): text formats only
            if fmt == "pdf":
                raise UsageError("standard output takes no bytes here; give -o FILE.pdf")
            sys.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.flush()
            out.write(data)
            out.flush()
    return 0


def _if_file(name: str) -> Path | None:
    return Path(name) if Path(name).is_file() else None


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
