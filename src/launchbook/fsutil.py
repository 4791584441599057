"""Writing files so that a failure never leaves half a file behind, and never where it must not.

Three guarantees live here, used by every command that writes:

* :func:`write_atomic` writes a file through a temporary file and a rename.
* :func:`check_output_file` and :func:`check_output_folder` refuse a target before anything is
  written: a folder where a file is expected, an unwritable path, the project itself (its root,
  playbooks, docs, mkdocs.yml), anything inside ``.git``, and a non-empty folder launchbook did
  not write. The refusal is a :class:`~launchbook.errors.UsageError` (exit 2) naming the path and
  what to do.
* Folders launchbook writes carry a marker file, :data:`MARKER`, naming the kind of output and
  the files written, so a later run knows what it may replace (and refuses a file someone added).
  The temporary folders of a build carry it too, with the builder's process id in their name, so
  the next build removes what a killed build left (:func:`remove_leftovers`) and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import UsageError

MARKER = ".launchbook-output"
"""The marker file in a folder launchbook wrote: JSON with ``written_by``, ``kind`` and ``files``."""

MARKER_MAX_BYTES = 32 * 1024 * 1024  # a site of 10,000 pages lists well under 2 MiB


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/launchbook`` (default ``~/.cache/launchbook``): where every cache of
    launchbook lives (checks, PDFs, compiled templates, font characters), never in the user's
    folders."""
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "launchbook"


def cache_folder(kind: str) -> Path | None:
    """``cache_root()/kind``, or None when ``LAUNCHBOOK_NO_CACHE`` is set (no cache is read or written)."""
    return None if os.environ.get("LAUNCHBOOK_NO_CACHE") else cache_root() / kind


@cache
def source_digest() -> bytes:
    """SHA-256 of launchbook's own Python sources (a few hundred KB, read in milliseconds): a
    cache key that covers it is invalidated by a code change in a development checkout, not only
    by a release."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(str(path.relative_to(package)).encode() + b"\0")
        h.update(path.read_bytes())
    return h.digest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes 0600; a written file gets the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output_file(path: Path, data: bytes, project: InUse | None = None) -> None:
    """:func:`write_atomic` for a file the user named: a refusal or an OS error becomes a UsageError."""
    check_output_file(path, project)
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be written ({_reason(exc)}); choose another file") from None


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


# ------------------------------------------------------------------ output files


def check_output_file(path: Path, project: InUse | None = None) -> None:
    """Refuse a file target that cannot be a file: a folder, a path under a file, inside ``.git``,
    a folder that cannot be written; and (``project``) a file inside the playbooks the command
    reads, or its mkdocs.yml or fork.yml. Raises :class:`UsageError`; nothing is written."""
    try:
        _check_output_file(path, project or InUse())
    except OSError as exc:  # a name too long, a loop of links...
        raise UsageError(f"{path}: cannot be written ({_reason(exc)}); choose another file") from None


def _check_output_file(path: Path, project: InUse) -> None:
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name, such as {path / 'out'}")
    if path.exists() and not path.is_file():
        raise UsageError(f"{path}: is not a regular file (a device, pipe or socket); give a file name")
    resolved = path.resolve()
    if ".git" in resolved.parts:
        raise UsageError(f"{path}: is inside a .git folder, which only git may write; choose another file")
    parent = _existing_ancestor(resolved.parent)
    if not parent.is_dir():
        raise UsageError(f"{path}: cannot be written, {parent} is a file, not a folder; choose another path")
    if resolved.parent.exists() and not os.access(resolved.parent, os.W_OK | os.X_OK):
        raise UsageError(f"{path}: cannot be written, {resolved.parent} is not writable; choose another path")
    for folder in project.folders:
        if _within(resolved, folder):
            raise UsageError(f"{path}: is inside the playbook folder {folder}; write the file elsewhere")
    if resolved in project.files:
        raise UsageError(f"{path}: is the project's own {resolved.name}; write the file elsewhere")


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


# ------------------------------------------------------------------ output folders


@dataclass(frozen=True)
class InUse:
    """What an output must never replace. Refused as a target or an ancestor of the target: project
    ``roots`` (an output inside one is fine), the ``folders`` a command reads (playbooks) and the
    ``files`` (mkdocs.yml, fork.yml). ``docs`` (pages and other data read) also refuse an output
    inside them, since what lands there would be read back."""

    roots: tuple[Path, ...] = ()
    folders: tuple[Path, ...] = ()
    files: tuple[Path, ...] = ()
    docs: tuple[Path, ...] = ()


def in_use(
    *,
    config_file: Path | None = None,
    playbooks: Path | None = None,
    docs: Iterable[Path] = (),
    files: Iterable[Path] = (),
    cwd: bool = True,
    upstream: Path | None = None,
) -> InUse:
    """The project a command works on: the folder of its mkdocs.yml, its playbooks (a fork's root,
    fork.yml and ``upstream`` folder), its docs (any folder read), ``files`` read, and (``cwd``) the
    current folder. :func:`launchbook.overlay.in_use` finds a fork's upstream folder itself."""
    roots: list[Path] = []
    folders: list[Path] = []
    held = [f.resolve() for f in files]
    if cwd:
        roots.append(Path.cwd().resolve())
    if config_file is not None:
        config_file = config_file.resolve()
        roots.append(config_file.parent)
        held.append(config_file)
    if playbooks is not None:
        pb = playbooks.resolve()
        fork = pb / "fork.yml"
        if not fork.is_file():
            folders.append(pb)
        else:  # a fork's site goes inside it (site/), as into any project
            roots.append(pb)
            held.append(fork)
            if upstream is not None:
                folders.append(upstream.resolve())
    return InUse(
        tuple(dict.fromkeys(roots)),
        tuple(dict.fromkeys(folders)),
        tuple(dict.fromkeys(held)),
        tuple(dict.fromkeys(d.resolve() for d in docs)),
    )


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


@dataclass(frozen=True)
class Marker:
    kind: str
    files: frozenset[str]


def read_marker(folder: Path) -> Marker | None:
    """The marker of a folder launchbook wrote, or None (absent, not a regular file, unreadable)."""
    path = folder / MARKER
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > MARKER_MAX_BYTES:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if (
        not isinstance(data, dict)
        or data.get("written_by") != "launchbook"
        or not isinstance(data.get("kind"), str)
    ):
        return None
    files = data.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return Marker(data["kind"], frozenset(files))


def marker_text(kind: str, files: Iterable[str] = (), **extra: str | int) -> str:
    """The marker's content: deterministic (sorted files, no time), so builds stay byte-identical."""
    body: dict[str, object] = {
        "written_by": "launchbook",
        "kind": kind,
        "note": "launchbook wrote this folder and may replace the files listed here; it refuses to"
        " replace a folder holding anything else",
        **extra,
        "files": sorted(set(files)),
    }
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"


def write_marker(folder: Path, kind: str, files: Iterable[str] = (), **extra: str | int) -> None:
    write_atomic(folder / MARKER, marker_text(kind, files, **extra).encode("utf-8"))


def files_under(folder: Path, scope: Sequence[str] = ("",)) -> list[str]:
    """Every entry that is not a folder under ``folder``'s ``scope`` paths, relative, POSIX style;
    links are listed, never followed; markers are left out."""
    found: list[str] = []
    for rel in scope:
        top = folder / rel if rel else folder
        if top.is_symlink() or (top.exists() and not top.is_dir()):
            found.append(rel)
            continue
        if not top.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            here = Path(dirpath)
            for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
                if name != MARKER:
                    found.append((here / name).relative_to(folder).as_posix())
    return sorted(found)


def check_output_folder(
    out: Path,
    kind: str,
    project: InUse,
    *,
    scope: Sequence[str] = ("",),
    legacy: Callable[[Path], bool] | None = None,
    what: str = "output folder",
) -> Path:
    """Refuse ``out`` as a folder that ``kind`` output replaces; returns it resolved.

    ``scope``: the paths inside ``out`` the command replaces ("" is the whole folder). ``legacy``
    recognises a folder written by a launchbook older than the marker. Raises :class:`UsageError`.
    """
    try:
        return _check_output_folder(out, kind, project, scope, legacy, what)
    except OSError as exc:  # a name too long, a loop of links, a folder that cannot be read...
        raise UsageError(f"{out}: cannot be used ({_reason(exc)}); choose another {what}") from None


def _check_output_folder(
    out: Path,
    kind: str,
    project: InUse,
    scope: Sequence[str],
    legacy: Callable[[Path], bool] | None,
    what: str,
) -> Path:
    shown = str(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{shown}: exists and is not a folder; give a folder as the {what}")
    target = out.resolve()
    if ".git" in target.parts:
        raise UsageError(f"{shown}: is inside a .git folder, which only git may write; choose another {what}")
    parent = _existing_ancestor(target)
    if not parent.is_dir():
        raise UsageError(f"{shown}: cannot be created, {parent} is a file; choose another {what}")
    _refuse_project_paths(shown, target, kind, project, what)
    if target.is_dir() and any(target.iterdir()):
        _refuse_foreign_contents(shown, target, kind, scope, legacy, what)
    return target


def _refuse_project_paths(shown: str, target: Path, kind: str, project: InUse, what: str) -> None:
    """A UsageError when ``target`` is, holds or (for docs) is inside what the command reads."""
    for root in project.roots:
        if _within(root, target):
            which = "is" if root == target else "holds"
            raise UsageError(
                f"{shown}: {which} the project folder {root}; writing there would replace the project."
                f" Choose a new folder, such as {_suggest(root, kind)}"
            )
    elsewhere = _suggest(project.roots[0] if project.roots else target.parent, kind)
    for folder in project.folders:
        if _within(folder, target):
            which = "is" if folder == target else "holds"
            raise UsageError(
                f"{shown}: {which} the playbook folder {folder}, which this command reads;"
                f" choose another {what}, such as {elsewhere}"
            )
    for folder in project.docs:
        if _within(folder, target) or _within(target, folder):
            which = "is" if folder == target else ("holds" if _within(folder, target) else "is inside")
            raise UsageError(
                f"{shown}: {which} {folder}, which this command reads (pages or data);"
                f" choose a folder outside it, such as {elsewhere}"
            )
    for file in project.files:
        if _within(file, target):
            raise UsageError(f"{shown}: holds {file}, which this command reads; choose another {what}")


def _refuse_foreign_contents(
    shown: str,
    target: Path,
    kind: str,
    scope: Sequence[str],
    legacy: Callable[[Path], bool] | None,
    what: str,
) -> None:
    """A UsageError when the non-empty folder ``target`` holds anything launchbook did not write
    as ``kind`` output (in ``scope``)."""
    marker = read_marker(target)
    if marker is None:
        if legacy is not None and legacy(target):
            return
        raise UsageError(
            f"{shown}: is not empty and was not written by launchbook (no {MARKER} in it);"
            f" launchbook replaces only folders it wrote. Choose a new or empty {what}"
        )
    if marker.kind != kind:
        raise UsageError(
            f"{shown}: holds launchbook {marker.kind} output, not {kind} output; choose another {what}"
        )
    foreign = [f for f in files_under(target, scope) if f not in marker.files]
    if foreign:
        listed = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise UsageError(
            f"{shown}: holds files launchbook did not write ({listed}), which replacing it would delete;"
            f" move them out{' (a file the site needs goes into docs/)' if kind == 'site' else ''},"
            f" or choose another {what}"
        )


def _suggest(root: Path, kind: str) -> str:
    return str(root / {"site": "site", "generate": "out", "schema": "schemas"}.get(kind, f"{kind}-out"))


# ------------------------------------------------------------------ leftovers of killed runs

_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def temp_prefix(name: str, state: str) -> str:
    """The name prefix of a temporary folder: ``.NAME.STATE-PID-HOST-`` (see :func:`remove_leftovers`)."""
    return f".{name}.{state}-{os.getpid()}-{_HOST}-"


def make_temp_dir(parent: Path, name: str, state: str, kind: str) -> Path:
    """A temporary folder in ``parent``, marked as launchbook's, named so a later run can tell whose."""
    tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(name, state), dir=parent))
    _OWN.add(tmp.resolve())
    write_marker(tmp, kind, pid=os.getpid(), host=_HOST)
    return tmp


_OWN: set[Path] = set()  # this process's temporary folders: never leftovers while it runs


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # not one of ours (see _OWN): an earlier process that had our pid left it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_leftovers(parent: Path, name: str, states: Sequence[str] = ("building", "old")) -> list[Path]:
    """Remove what a killed run left in ``parent``: folders named ``.NAME.STATE-PID-HOST-…`` (as
    :func:`temp_prefix` makes) that hold a launchbook marker and whose process, on this host, is
    gone. Anything else, however similar its name, is kept. Returns the folders removed."""
    pattern = re.compile(
        rf"\.{re.escape(name)}\.(?:{'|'.join(map(re.escape, states))})-(\d{{1,10}})-{re.escape(_HOST)}-[^/]*\Z"
    )
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m is None or entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            continue
        path = Path(entry.path)
        if path.resolve() in _OWN or read_marker(path) is None or _alive(int(m.group(1))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(path)
    return removed


def replace_folder(new: Path, out: Path) -> None:
    """Replace ``out`` with ``new``: two renames, so readers never see half a folder.

    The previous folder is renamed to ``.NAME.old-PID-HOST-…`` first (it keeps its marker), so if
    this process is killed before removing it, the next run does (see :func:`remove_leftovers`).
    """
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=temp_prefix(out.name, "old"), dir=out.parent))
        _OWN.add(old.resolve())
        os.replace(out, old)  # onto the empty folder just made: the name is ours alone
    os.replace(new, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
