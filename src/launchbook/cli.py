"""The ``launchbook`` command line: a thin shell over the library.

``main(argv) -> int``: exit 0 when all is well, 1 when problems were found,
2 for usage errors or unreadable input. No traceback reaches the user on bad
input.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import textwrap
from collections.abc import Callable, Sequence

from . import __version__
from .errors import PlaybookErrors, UsageError
from .report import REPORTERS, for_terminal

Handler = Callable[[argparse.Namespace], int]

# Every command, in the order ``launchbook --help`` lists them: (name, module under
# launchbook.commands, help). A command module holds EXAMPLES, add_arguments(parser) and
# run(args) -> exit code; it is imported only when its command runs (or for --help), so
# ``launchbook check`` never imports Jinja2, Markdown, nh3 or MkDocs.
COMMANDS = (
    ("check", "check", "Check playbooks for errors and inconsistencies."),
    ("explain", "explain", "Explain a problem code: what it catches and how to fix it."),
    ("schema", "schema", "Print the JSON Schema of a playbook file kind (for editors)."),
    ("graph", "graph", "Export the playbook graph."),
    ("plan", "plan", "Remediations in dependency order, grouped by phase, with owners."),
    ("build", "build", "Build the site and the checklist PDFs, atomically."),
    ("generate", "generate", "Write the site as plain Markdown + mkdocs.yml, for any MkDocs engine."),
    ("serve", "serve", "Live preview of the site; reloads on playbook edits."),
    ("checklist", "checklist", "Printable meeting checklists: pdf, html, md, csv."),
    ("import", "import_", "Convert another framework's data into a playbook set."),
    ("assess", "assess", "Maturity score from answers to the playbook questions."),
    ("init", "init", "Start your organization's fork: fork.yml, overlay/, site, CI."),
    ("diff", "diff", "What upstream changed since the fork's base, and what it touches."),
)


def _not_loaded(args: argparse.Namespace) -> int:  # pragma: no cover - never the command that runs
    raise AssertionError("command module not loaded")


def _command_word(argv: Sequence[str] | None) -> str | None:
    """The subcommand named on the command line: its first word that is not an option."""
    for word in sys.argv[1:] if argv is None else argv:
        if not word.startswith("-"):
            return word
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser. Given the ``command`` about to run, only its module is imported; with
    none (``launchbook --help``), every command module is."""
    parser = argparse.ArgumentParser(
        prog="launchbook",
        description="Check, render and print the playbooks that get ML projects into production.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=textwrap.dedent(
            """
            examples:
              launchbook check                      # check ./playbooks
              launchbook explain LB301              # what a code means and how to fix it
              launchbook plan --phase frame         # what to do first
              launchbook graph --format mermaid
            """
        ),
    )
    parser.add_argument("--version", action="version", version=f"launchbook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    known = {name for name, _, _ in COMMANDS}
    for name, module, help_text in COMMANDS:
        p = sub.add_parser(
            name, help=help_text, description=help_text, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        p.set_defaults(handler=_not_loaded)
        if command == name or command not in known:
            mod = importlib.import_module(f".commands.{module}", __package__)
            p.epilog = mod.EXAMPLES
            p.set_defaults(handler=mod.run)
            mod.add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(_command_word(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        handler: Handler = args.handler
        return handler(args)
    except UsageError as exc:
        print(f"launchbook: error: {for_terminal(str(exc), newlines=True)}", file=sys.stderr)
        return 2
    except PlaybookErrors as exc:  # the playbooks a command needs have errors: listed, nothing done
        sys.stderr.write(REPORTERS["text"](list(exc.problems), exc.files))
        return 1 if exc.loaded else 2
    except SystemExit as exc:
        return int(exc.code or 0)
    except BrokenPipeError:  # pragma: no cover - e.g. `launchbook graph | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a path the user named cannot be used: too long, a loop, no permission...
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"launchbook: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        return 130


def main_entry() -> None:  # pragma: no cover - console script
    sys.exit(main())
