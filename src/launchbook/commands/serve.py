"""``launchbook serve``: a live preview of the site that reloads on playbook edits."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from ..errors import UsageError
from ..fsutil import make_temp_dir, remove_leftovers
from ..locate import find_playbooks
from ..site.build import default_config

EXAMPLES = """
examples:
  launchbook serve                      # http://127.0.0.1:8000, reloads on edits
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="mkdocs.yml (default: ./mkdocs.yml)")
    p.add_argument("--dev-addr", default="127.0.0.1:8000")


def run(args: argparse.Namespace) -> int:
    from mkdocs.commands import serve

    # Marked and named with our pid, so the next build or serve removes it if this one is killed.
    remove_leftovers(Path(tempfile.gettempdir()), "launchbook-serve")
    scratch = make_temp_dir(Path(tempfile.gettempdir()), "launchbook-serve", "building", "serve-config")
    try:
        if args.config:
            config = Path(args.config)
            if not config.is_file():
                raise UsageError(f"{config}: no such config file")
        elif Path("mkdocs.yml").is_file():
            config = Path("mkdocs.yml")
        else:  # no mkdocs.yml: preview ./playbooks (or a fork) with the default site settings
            docs = Path("docs").resolve() if Path("docs").is_dir() else scratch / "docs"
            docs.mkdir(exist_ok=True)
            config = scratch / "mkdocs.yml"
            config.write_text(default_config(find_playbooks(None).resolve(), docs), encoding="utf-8")
        # dirty: after the first build, only pages whose content changed are rendered again
        serve.serve(config_file=str(config), livereload=True, build_type="dirty", dev_addr=args.dev_addr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0
