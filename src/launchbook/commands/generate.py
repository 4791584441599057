"""``launchbook generate``: the site as plain Markdown and a mkdocs.yml, for any MkDocs engine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..checklists import PAPERS
from ..errors import UsageError
from ..locate import find_playbooks
from ..overlay import in_use, require_playbook
from ..report import for_terminal
from ..site.downloads import DEFAULT_PAPERS
from ..site.generate import generate

EXAMPLES = """
examples:
  launchbook generate -o out && cd out && mkdocs build   # no plugin needed
  launchbook generate -o out --paper a4 --paper letter    # a PDF per paper, not one for both
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        help="folder to write mkdocs.yml and docs/ into: new, empty, or an earlier generate output",
    )
    p.add_argument("--docs", help="hand-written pages to merge (default: ./docs if present)")
    p.add_argument(
        "--paper",
        action="append",
        choices=list(PAPERS),
        help="paper of the checklist PDFs, repeatable (default: a4-letter, one page size that"
        " prints unscaled on A4 and on Letter)",
    )


def run(args: argparse.Namespace) -> int:
    pb = require_playbook(args.path)
    out = Path(args.output)
    docs = Path(args.docs) if args.docs else (Path("docs") if Path("docs").is_dir() else None)
    config = Path("mkdocs.yml") if Path("mkdocs.yml").is_file() else None
    project = in_use(config_file=config, playbooks=find_playbooks(args.path), docs=[docs] if docs else [])
    try:
        papers = args.paper or DEFAULT_PAPERS
        n = generate(pb, out, docs, site_name=pb.manifest.title, project=project, papers=papers)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise UsageError(f"{out}: cannot be written: {exc.strerror or exc}{where}") from None
    shown = for_terminal(str(out))
    print(
        f"wrote {n} pages and mkdocs.yml into {shown}; build with: cd {shown} && mkdocs build",
        file=sys.stderr,
    )
    return 0
