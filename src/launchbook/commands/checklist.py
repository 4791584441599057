"""``launchbook checklist``: list, tailor and render a printable checklist."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..checklists import FORMATS, PAPERS, Tailored, render, tailor
from ..checklists.handout import COMBINED, HANDOUT_FORMATS, render_handout, role_handouts, roles_present
from ..errors import UsageError
from ..fsutil import (
    InUse,
    check_output_file,
    check_output_folder,
    read_marker,
    write_atomic,
    write_marker,
    write_output_file,
)
from ..locate import find_playbooks
from ..model import Playbook
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
  launchbook checklist project-kickoff --handout -o kickoff-handout.pdf   # one page to hand out
  launchbook checklist go-no-go-production --handout --per-role -o handouts/   # one per role, and all
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
    p.add_argument(
        "--handout",
        action="store_true",
        help="one page for the people in the room: the items grouped by owner, tick boxes, no rationale"
        " (pdf, html, md)",
    )
    p.add_argument(
        "--per-role",
        action="store_true",
        help="with --handout: one handout per role that owns items, into the folder -o DIR"
        f" (DIR/ROLE.pdf, and DIR/{COMBINED} to print them all)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (a folder with --per-role) instead of standard output",
    )
    p.add_argument(
        "--playbooks",
        metavar="DIR",
        help="playbook folder (default: ./playbooks, else the bundled set)",
    )


_SUFFIX_FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "md", ".csv": "csv"}


def run(args: argparse.Namespace) -> int:
    pb = require_playbook(args.playbooks)
    if args.list:
        return _list(pb)
    if not args.name:
        names = ", ".join(sorted(c.id for c in pb.checklists)) or "none"
        raise UsageError(f"name a checklist (one of: {names}), or use --list")
    handout = args.handout or args.per_role
    fmt: str = args.format or _SUFFIX_FORMATS.get(Path(args.output or "").suffix.lower(), "pdf")
    _check_handout_options(args, handout, fmt)
    t = _tailor(pb, args, args.role)
    if fmt == "pdf" and not args.output and _is_tty(sys.stdout):
        raise UsageError("a PDF is binary: give -o FILE.pdf, or redirect standard output to a file")
    # never over a playbook or the project's mkdocs.yml/fork.yml; checked before a PDF takes a while
    project = in_use(playbooks=find_playbooks(args.playbooks), config_file=_if_file("mkdocs.yml"), cwd=False)
    if args.per_role:
        return _write_per_role(pb, t, args, fmt, project)
    if args.output:
        check_output_file(Path(args.output), project)
    data = render_handout(pb, t, fmt, args.paper) if handout else render(pb, t, fmt, args.paper)
    if args.output:
        write_output_file(Path(args.output), data, project)
        what = "handout, " if handout else ""
        print(f"wrote {args.output} ({len(t.items)} items, {what}{fmt}, {args.paper})", file=sys.stderr)
    else:
        _to_stdout(data, fmt)
    return 0


def _list(pb: Playbook) -> int:
    if not pb.checklists:
        print("no checklists in this playbook set")
    width = max((len(c.id) for c in pb.checklists), default=0)
    for c in sorted(pb.checklists, key=lambda c: c.id):
        print(for_terminal(f"{c.id:<{width}}  {c.title} — {c.meeting} ({len(c.items)} items)"))
    return 0


def _check_handout_options(args: argparse.Namespace, handout: bool, fmt: str) -> None:
    if handout and fmt not in HANDOUT_FORMATS:
        raise UsageError(f"a handout is {', '.join(HANDOUT_FORMATS)}, not {fmt}; drop --format {fmt}")
    if not args.per_role:
        return
    if args.role:
        raise UsageError(
            "--per-role writes one handout for each role; drop --role, or --per-role for one role's"
        )
    if not args.output:
        raise UsageError("--per-role writes several files: give the folder for them with -o DIR")


def _tailor(pb: Playbook, args: argparse.Namespace, role: str | None) -> Tailored:
    """The checklist tailored by the command's options (``role`` given apart: --per-role sets it)."""
    t = tailor(pb, args.name, role=role, phase=args.phase, tag=args.tag, failure_modes=args.failure_modes)
    if not t.items:
        given = [f"--{k} {v}" for k, v in (("role", role), ("phase", args.phase), ("tag", args.tag)) if v]
        given += [f"--failure-mode {f}" for f in args.failure_modes]
        raise UsageError(
            f"no item of checklist '{args.name}' matches {' '.join(given)}; loosen the selection"
        )
    return t


def _write_per_role(pb: Playbook, t: Tailored, args: argparse.Namespace, fmt: str, project: InUse) -> int:
    """``--handout --per-role -o DIR``: DIR/<role>.<fmt> for each role present, and the PDFs in one."""
    roles = roles_present(pb, t)
    names = [f"{r}.{fmt}" for r in roles] + ([COMBINED] if fmt == "pdf" else [])
    out = check_output_folder(Path(args.output), "handouts", project, scope=names, what="handout folder")
    files = role_handouts(pb, t, lambda role: _tailor(pb, args, role), fmt, args.paper)
    before = read_marker(out) if out.is_dir() else None
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files:
            write_atomic(out / name, data)
        for stale in sorted(before.files - set(names)) if before else ():  # an earlier run's roles
            if "/" not in stale and (out / stale).is_file():
                (out / stale).unlink()
        write_marker(out, "handouts", names)
    except OSError as exc:
        raise UsageError(
            f"{args.output}: cannot be written ({exc.strerror or exc}); choose another folder"
        ) from None
    combined = f", and {COMBINED} with all of them to print" if fmt == "pdf" else ""
    print(
        f"wrote {len(roles)} handouts to {args.output} (one per role: {', '.join(roles)}{combined};"
        f" {fmt}, {args.paper})",
        file=sys.stderr,
    )
    return 0


def _to_stdout(data: bytes, fmt: str) -> None:
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (some embedders): text formats only
        if fmt == "pdf":
            raise UsageError("standard output takes no bytes here; give -o FILE.pdf")
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        out.write(data)
        out.flush()


def _if_file(name: str) -> Path | None:
    return Path(name) if Path(name).is_file() else None


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
