"""The ``launchbook`` command line: a thin shell over the library.

``main(argv) -> int``: exit 0 when all is well, 1 when problems were found,
2 for usage errors or unreadable input. No traceback reaches the user on bad
input.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .errors import PlaybookErrors, Problem, UsageError, did_you_mean, sorted_problems
from .graph import CHECKS, all_codes, do_first_order, explain
from .locate import find_playbooks
from .model import resolve_role
from .model.provenance import check_notes
from .overlay import require_playbook
from .report import REPORTERS, for_terminal
from .schema import KINDS, Obj, json_schema

Handler = Callable[[argparse.Namespace], int]


# ------------------------------------------------------------------ commands
def cmd_check(args: argparse.Namespace) -> int:
    if args.list_checks:
        for code, name, level, summary in all_codes():
            print(f"{code}  {name:<24} {level:<8} {summary}")
        return 0
    from .cache import check_folder  # content-hash cache: an unchanged set is not re-checked

    res = check_folder(find_playbooks(args.path), use_cache=not args.no_cache)
    problems = sorted_problems(res.problems)
    if args.strict:
        problems = [Problem(p.code, "error", p.message, p.path, p.line, p.column, p.hint) for p in problems]
    notes = check_notes(res.changes, args.verbose)  # a fork: links dropped with excluded items
    if notes:
        print(
            for_terminal("\n".join(notes), newlines=True),
            file=sys.stdout if args.format == "text" else sys.stderr,
        )
    sys.stdout.write(REPORTERS[args.format](problems, res.files))
    if not res.loaded and any(p.code in ("LB116", "LB115") for p in problems):
        return 2
    return 1 if any(p.level == "error" for p in problems) else 0


def cmd_explain(args: argparse.Namespace) -> int:
    doc = explain(args.code)
    if doc is None:
        codes = [c for c, *_ in all_codes()] + [n for _, n, *_ in all_codes()]
        hint = did_you_mean(args.code, codes)
        raise UsageError(
            f"unknown code '{args.code}'"
            + (f"; {hint}" if hint else "; see 'launchbook check --list-checks'")
        )
    sys.stdout.write(doc)
    return 0


def schema_kinds() -> dict[str, Obj]:
    """Every file kind with a published schema: playbook files, a fork's files, answers files."""
    from .schema import ANSWERS
    from .schema.fork import EXCLUDE_FILE, EXTEND_FILE, FORK, OVERLAY_ROLES, OVERLAY_SOURCES, OVERRIDES_FILE

    return {
        **KINDS,
        "fork": FORK,
        "overlay-roles": OVERLAY_ROLES,
        "overlay-sources": OVERLAY_SOURCES,
        "overlay-overrides": OVERRIDES_FILE,
        "overlay-exclude": EXCLUDE_FILE,
        "overlay-extend": EXTEND_FILE,
        "answers": ANSWERS,
    }


def cmd_schema(args: argparse.Namespace) -> int:
    kinds = schema_kinds()
    if args.out:
        from .fsutil import check_output_folder, in_use, write_atomic, write_marker

        names = [f"{kind}.json" for kind in kinds]

        def only_schemas(folder: Path) -> bool:  # written by a launchbook older than the marker
            return all(p.name in names and p.is_file() and not p.is_symlink() for p in folder.iterdir())

        out = Path(args.out)
        check_output_folder(out, "schema", in_use(), scope=names, legacy=only_schemas, what="schema folder")
        try:
            out.mkdir(parents=True, exist_ok=True)
            for kind, spec in kinds.items():
                text = json.dumps(json_schema(kind, spec), indent=2) + "\n"
                write_atomic(out / f"{kind}.json", text.encode("utf-8"))
            write_marker(out, "schema", names)
        except OSError as exc:
            raise UsageError(
                f"{out}: cannot be written ({exc.strerror or exc}); choose another folder"
            ) from None
        print(f"wrote {len(kinds)} schemas to {out}")
        return 0
    print(json.dumps(json_schema(args.kind, kinds[args.kind]), indent=2))
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    from .export import export_graph

    pb = require_playbook(args.path)
    sys.stdout.write(export_graph(pb, args.format))
    return 0


def _check_choice(value: str | None, known: Sequence[str], what: str) -> None:
    if value is not None and value not in known:
        hint = did_you_mean(value, known) or "known: " + ", ".join(known)
        raise UsageError(f"unknown {what} '{value}'; {hint}")


def cmd_plan(args: argparse.Namespace) -> int:
    pb = require_playbook(args.path)
    phases = [p.id for p in pb.manifest.phases]
    _check_choice(args.phase, phases, "phase")
    role = resolve_role(pb, args.role) if args.role is not None else None  # an id or a display name
    chosen = [
        r
        for r in pb.remediations()
        if (args.phase is None or r.phase == args.phase) and (role is None or role in (r.owner, *r.involves))
    ]
    ordered = do_first_order(pb, chosen)
    roles = {r.id: r.name for r in pb.roles}
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "title": r.title,
                        "phase": r.phase,
                        "owner": r.owner,
                        "involves": list(r.involves),
                        "effort": r.effort,
                        "requires": list(r.requires),
                        "failure_mode": r.failure_mode,
                    }
                    for r in ordered
                ],
                indent=2,
            )
        )
        return 0
    n = 0
    for phase in pb.manifest.phases:
        items = [r for r in ordered if r.phase == phase.id]
        if not items:
            continue
        print(for_terminal(f"## {phase.title} ({phase.id})"))
        for r in items:
            n += 1
            req = f"  after: {', '.join(r.requires)}" if r.requires else ""
            line = f"{n:>3}. [{r.effort}] {r.title} — {roles.get(r.owner, r.owner)}  ({r.id}){req}"
            print(for_terminal(line))
        print()
    if n == 0:
        print("nothing to do for this selection")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .site.build import BuildFailed, build_site, report

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


def cmd_generate(args: argparse.Namespace) -> int:
    from .fsutil import in_use
    from .site.generate import generate

    pb = require_playbook(args.path)
    out = Path(args.output)
    docs = Path(args.docs) if args.docs else (Path("docs") if Path("docs").is_dir() else None)
    config = Path("mkdocs.yml") if Path("mkdocs.yml").is_file() else None
    project = in_use(config_file=config, playbooks=find_playbooks(args.path), docs=[docs] if docs else [])
    try:
        n = generate(pb, out, docs, site_name=pb.manifest.title, project=project)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise UsageError(f"{out}: cannot be written: {exc.strerror or exc}{where}") from None
    shown = for_terminal(str(out))
    print(
        f"wrote {n} pages and mkdocs.yml into {shown}; build with: cd {shown} && mkdocs build",
        file=sys.stderr,
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from mkdocs.commands import serve

    from .fsutil import make_temp_dir, remove_leftovers
    from .site.build import default_config

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


# ------------------------------------------------------------------ parser
EXAMPLES = {
    "check": """
examples:
  launchbook check                      # the playbooks/ of this folder (or the bundled set)
  launchbook check playbooks --strict   # warnings fail too
  launchbook check --format github      # annotations in a GitHub Actions job
  launchbook check --list-checks        # every code, with what it catches
""",
    "explain": """
examples:
  launchbook explain LB301
  launchbook explain requires-cycle
""",
    "schema": """
examples:
  launchbook schema --kind failure-mode > failure-mode.schema.json
  launchbook schema --out schemas/      # all kinds, one file each
""",
    "graph": """
examples:
  launchbook graph --format mermaid > graph.mmd
  launchbook graph --format dot | dot -Tsvg > graph.svg
""",
    "build": """
examples:
  launchbook build                      # ./mkdocs.yml -> site/
  launchbook build -o public
  SOURCE_DATE_EPOCH=0 launchbook build  # byte-identical output
""",
    "generate": """
examples:
  launchbook generate -o out && cd out && mkdocs build   # no plugin needed
""",
    "serve": """
examples:
  launchbook serve                      # http://127.0.0.1:8000, reloads on edits
""",
    "plan": """
examples:
  launchbook plan                       # every remediation, in do-first order, by phase
  launchbook plan --phase deploy
  launchbook plan --role ml-engineer --format json
""",
}


# Subcommands whose options are defined in this module (see build_parser).
_OWN_COMMANDS = frozenset({"check", "explain", "schema", "graph", "plan", "build", "generate", "serve"})


def _not_loaded(args: argparse.Namespace) -> int:  # pragma: no cover - never the command that runs
    raise AssertionError("subcommand module not loaded")


def _command_word(argv: Sequence[str] | None) -> str | None:
    """The subcommand named on the command line: its first word that is not an option."""
    for word in sys.argv[1:] if argv is None else argv:
        if not word.startswith("-"):
            return word
    return None


# Commands whose code lives in other modules: (name, help, module, handler, examples, arguments).
LAZY_COMMANDS = (
    (
        "checklist",
        "Printable meeting checklists: pdf, html, md, csv.",
        ".checklists.command",
        "cmd_checklist",
        "EXAMPLES",
        "add_arguments",
    ),
    (
        "import",
        "Convert another framework's data into a playbook set.",
        ".importers.command",
        "cmd_import",
        "EXAMPLES",
        "add_arguments",
    ),
    (
        "assess",
        "Maturity score from answers to the playbook questions.",
        ".commands.assess",
        "cmd_assess",
        "EXAMPLES",
        "add_arguments",
    ),
    (
        "init",
        "Start your organization's fork: fork.yml, overlay/, site, CI.",
        ".fork",
        "cmd_init",
        "INIT_EXAMPLES",
        "add_init_arguments",
    ),
    (
        "diff",
        "What upstream changed since the fork's base, and what it touches.",
        ".fork",
        "cmd_diff",
        "DIFF_EXAMPLES",
        "add_diff_arguments",
    ),
)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; given the ``command`` about to run, only what it needs is imported."""
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

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EXAMPLES.get(name, ""),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(handler=handler)
        return p

    p = add("check", cmd_check, "Check playbooks for errors and inconsistencies.")
    p.add_argument("path", nargs="?", help="playbook folder (default: ./playbooks, else the bundled set)")
    p.add_argument("--format", choices=sorted(REPORTERS), default="text")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--list-checks", action="store_true", help="list every problem code and exit")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="a fork: list each reference dropped with an excluded item",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="check everything again, ignoring the result cache (~/.cache/launchbook; keyed on file contents)",
    )

    p = add("explain", cmd_explain, "Explain a problem code: what it catches and how to fix it.")
    p.add_argument("code", help="a code such as LB301, or a check name")

    p = add("schema", cmd_schema, "Print the JSON Schema of a playbook file kind (for editors).")
    p.add_argument("--kind", choices=sorted(schema_kinds()), default="failure-mode")
    p.add_argument(
        "--out", help="write every kind's schema into this folder (new, empty, or an earlier --out)"
    )

    p = add("graph", cmd_graph, "Export the playbook graph.")
    p.add_argument("path", nargs="?")
    p.add_argument("--format", choices=["mermaid", "dot", "graphml", "json"], default="mermaid")

    p = add("plan", cmd_plan, "Remediations in dependency order, grouped by phase, with owners.")
    p.add_argument("path", nargs="?")
    p.add_argument("--phase")
    p.add_argument("--role")
    p.add_argument("--format", choices=["text", "json"], default="text")

    # Commands defined in other modules are imported only when one of them runs (or for
    # --help): `launchbook check` then never imports Jinja2, Markdown or nh3.
    others = command not in _OWN_COMMANDS

    p = add("build", cmd_build, "Build the site and the checklist PDFs, atomically.")
    p.add_argument("path", nargs="?", help="playbook folder (default: as in mkdocs.yml, else ./playbooks)")
    p.add_argument(
        "-o",
        "--output",
        default="site",
        help="site folder (default: site/): new, empty, or a site launchbook built; never the project",
    )
    p.add_argument("--config", help="mkdocs.yml to use (default: ./mkdocs.yml if present)")

    p = add("generate", cmd_generate, "Write the site as plain Markdown + mkdocs.yml, for any MkDocs engine.")
    p.add_argument("path", nargs="?")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        help="folder to write mkdocs.yml and docs/ into: new, empty, or an earlier generate output",
    )
    p.add_argument("--docs", help="hand-written pages to merge (default: ./docs if present)")

    p = add("serve", cmd_serve, "Live preview of the site; reloads on playbook edits.")
    p.add_argument("--config", help="mkdocs.yml (default: ./mkdocs.yml)")
    p.add_argument("--dev-addr", default="127.0.0.1:8000")

    for name, help_text, module, handler, epilog, arguments in LAZY_COMMANDS:
        p = add(name, _not_loaded, help_text)
        if others:
            mod = importlib.import_module(module, __package__)
            p.set_defaults(handler=getattr(mod, handler))
            p.epilog = getattr(mod, epilog)
            getattr(mod, arguments)(p)

    assert CHECKS  # checks are registered on import
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
