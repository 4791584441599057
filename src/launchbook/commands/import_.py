"""``launchbook import FRAMEWORK SRC -o DIR``: the command-line shell over :mod:`launchbook.importers`.

Named ``import_`` because ``import`` is a Python keyword."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from ..fsutil import MARKER, check_output_folder, in_use, marker_text
from ..importers import IMPORTERS, convert, write
from ..importers.common import README_MARK
from ..importers.reader import ForeignDataError
from ..model import load_playbook
from ..report import REPORTERS

EXAMPLES = """
examples:
  launchbook import nist-ai-rmf nist_ai_rmf_playbook.json -o nist-playbooks
  launchbook import samm core/model -o samm-playbooks
  launchbook import atlas atlas-data/data -o atlas-playbooks
  launchbook import deon deon/deon/assets -o deon-playbooks
  launchbook check nist-playbooks            # the result checks clean

Original ids stay in maps_to; questions and remediations get ids prefixed with
the framework item's id; where the framework names no owner, the role
'framework-owner' owns the item (rename it in your overlay). Importing again
into the same folder replaces the previous import, byte for byte identical when
the data did not change. Warnings (a broken file the import does not need) go
to stderr.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("framework", choices=sorted(IMPORTERS), help="the framework whose data SRC holds")
    p.add_argument("src", metavar="SRC", help="the framework's data: a file or folder (see examples)")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the playbook set")


def _previous_import(folder: Path) -> bool:
    """A folder written by an import older than the marker: its README starts with the import's mark."""
    readme = folder / "README.md"
    if not readme.is_file():  # a pipe or device is never opened
        return False
    try:
        with readme.open("rb") as fh:
            return fh.read(len(README_MARK.encode())) == README_MARK.encode()
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    src = Path(args.src)
    if not src.exists():
        raise UsageError(f"{args.src}: no such file or directory")
    out = Path(args.output)
    docs = [Path("docs")] if Path("docs").is_dir() else []
    # the framework's data is read, never replaced: a folder (or file) the output must not touch
    project = in_use(docs=[src, *docs] if src.is_dir() else docs, files=[] if src.is_dir() else [src])
    check_output_folder(out, "import", project, legacy=_previous_import, what="output folder")
    try:
        result = convert(args.framework, src)
    except ForeignDataError as exc:
        print(f"launchbook: error: {exc}", file=sys.stderr)
        return 2
    if result.warnings:
        sys.stderr.write(REPORTERS["text"](list(result.warnings), 0).rsplit("\n", 2)[0] + "\n")
    files = dict(result.files)
    files[MARKER] = marker_text("import", result.files)
    try:
        write(files, out)
    except (FileExistsError, OSError) as exc:
        raise UsageError(str(exc)) from exc
    loaded = load_playbook(out)
    counts = (
        f"{len(result.playbook_set.failure_modes)} failure modes, "
        f"{sum(len(f['questions']) for f in result.playbook_set.failure_modes)} questions, "
        f"{sum(len(f['remediations']) for f in result.playbook_set.failure_modes)} remediations"
    )
    print(f"imported {args.framework} into {out}: {counts} ({loaded.files} files)")
    return 0
