"""``launchbook init DIR``: start an organization's fork (:func:`launchbook.fork.init.init_fork`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..fork.init import init_fork

EXAMPLES = """
examples:
  launchbook init acme                          # a fork of the bundled playbooks
  launchbook init acme --name "Acme Corp"
  launchbook init acme --upstream ../launchbook/playbooks
  cd acme && launchbook check && launchbook build
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", metavar="DIR", help="the new fork's folder (must be empty or absent)")
    p.add_argument("--name", metavar="ORG", help="your organization's name (default: from DIR)")
    p.add_argument(
        "--upstream",
        metavar="PATH",
        help="upstream playbooks folder (default: 'bundled', the set shipped with launchbook)",
    )


def run(args: argparse.Namespace) -> int:
    target = Path(args.dir)
    written = init_fork(target, args.name, args.upstream)
    print(f"wrote a fork to {target}/ ({len(written)} files)")
    print(f"next: cd {target} && launchbook check && launchbook build   (see {target}/README.md)")
    return 0
