"""``launchbook graph``: the playbook graph as Mermaid, DOT, GraphML or JSON."""

from __future__ import annotations

import argparse
import sys

from ..export import export_graph
from ..overlay import require_playbook

EXAMPLES = """
examples:
  launchbook graph --format mermaid > graph.mmd
  launchbook graph --format dot | dot -Tsvg > graph.svg
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?")
    p.add_argument("--format", choices=["mermaid", "dot", "graphml", "json"], default="mermaid")


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(export_graph(require_playbook(args.path), args.format))
    return 0
