"""``launchbook build``: the site and the checklist PDFs, built atomically."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from ..locate import find_playbooks
from ..report import for_terminal
from ..site import pdfs

EXAMPLES = """
examples:
  launchbook build                      # ./mkdocs.yml -> site/
  launchbook build -o public
  SOURCE_DATE_EPOCH=0 launchbook build  # byte-identical output
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", help="playbook folder (default: as in mkdocs.yml, else ./playbooks)")
    p.add_argument(
        "-o",
        "--output",
        default="site",
        help="site folder (default: site/): new, empty, or a site launchbook built; never the project",
    )
    p.add_argument("--config", help="mkdocs.yml to use (default: ./mkdocs.yml if present)")


def run(args: argparse.Namespace) -> int:
    if pdfs.cache_is_empty():  # every PDF will be rendered: the workers import WeasyPrint meanwhile
        pdfs.prestart()
    from ..site.build import BuildFailed, build_site, report  # imports MkDocs

    config = (
        Path(args.config) if args.config else (Path("mkdocs.yml") if Path("mkdocs.yml").is_file() else None)
    )
    if config is not None and not config.is_file():
        raise UsageError(f"{config}: no such config file")
    try:
        result = build_site(
            Path(args.output), config, playbooks=find_playbooks(args.path) if args.path else None
        )
    except BuildFailed as exc:
        msg = for_terminal(str(exc), newlines=True)
        print(f"launchbook: build failed, the previous site is left in place.\n{msg}", file=sys.stderr)
        return 1
    report(result)
    return 0
