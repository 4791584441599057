"""``launchbook schema``: the JSON Schema of each file kind, printed or written to a folder."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import UsageError
from ..fsutil import check_output_folder, in_use, write_atomic, write_marker
from ..schema import ANSWERS, KINDS, Obj, json_schema
from ..schema.fork import EXCLUDE_FILE, EXTEND_FILE, FORK, OVERLAY_ROLES, OVERLAY_SOURCES, OVERRIDES_FILE

EXAMPLES = """
examples:
  launchbook schema --kind failure-mode > failure-mode.schema.json
  launchbook schema --out schemas/      # all kinds, one file each
"""


def schema_kinds() -> dict[str, Obj]:
    """Every file kind with a published schema: playbook files, a fork's files, answers files."""
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


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", choices=sorted(schema_kinds()), default="failure-mode")
    p.add_argument(
        "--out", help="write every kind's schema into this folder (new, empty, or an earlier --out)"
    )


def run(args: argparse.Namespace) -> int:
    kinds = schema_kinds()
    if args.out:
        out = Path(args.out)
        write_schemas(out, kinds)
        print(f"wrote {len(kinds)} schemas to {out}")
        return 0
    print(json.dumps(json_schema(args.kind, kinds[args.kind]), indent=2))
    return 0


def write_schemas(out: Path, kinds: dict[str, Obj]) -> None:
    """One ``KIND.json`` per kind into ``out`` (new, empty, or written by an earlier ``--out``)."""
    names = [f"{kind}.json" for kind in kinds]

    def only_schemas(folder: Path) -> bool:  # written by a launchbook older than the marker
        return all(p.name in names and p.is_file() and not p.is_symlink() for p in folder.iterdir())

    check_output_folder(out, "schema", in_use(), scope=names, legacy=only_schemas, what="schema folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for kind, spec in kinds.items():
            text = json.dumps(json_schema(kind, spec), indent=2) + "\n"
            write_atomic(out / f"{kind}.json", text.encode("utf-8"))
        write_marker(out, "schema", names)
    except OSError as exc:
        raise UsageError(f"{out}: cannot be written ({exc.strerror or exc}); choose another folder") from None
