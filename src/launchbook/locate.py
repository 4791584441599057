"""Finding the playbooks a command works on.

:func:`find_playbooks` turns the PATH a user gives (or none) into the folder to load: a fork, a
playbooks folder, or the set bundled with launchbook. Mistakes raise
:class:`~launchbook.errors.UsageError`; only the CLI turns that into a message and exit status 2.
Loading the folder found (a fork merged with its upstream) is :func:`launchbook.overlay.load_path`.
"""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError

__all__ = ["bundled_playbooks", "find_playbooks"]


def bundled_playbooks() -> Path:
    """The playbooks shipped with the package (or, in a source checkout, the repository's)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "bundled" / "playbooks", here.parents[1] / "playbooks"):
        if (candidate / "launchbook.yml").is_file():
            return candidate
    raise UsageError("no bundled playbooks found; reinstall launchbook")


def find_playbooks(path: str | None) -> Path:
    """PATH if given (a fork holding ``fork.yml``, a playbooks folder, or a folder holding ``playbooks/``);
    else . when it is a fork; else ./playbooks; else bundled. Load the result with
    :func:`launchbook.overlay.load_any`."""
    if path is not None:
        p = Path(path)
        if not p.exists():
            raise UsageError(f"{path}: no such file or directory")
        if (p / "fork.yml").is_file() or (p / "launchbook.yml").is_file():
            return p
        if (p / "playbooks" / "launchbook.yml").is_file():
            return p / "playbooks"
        raise UsageError(f"{path}: not a playbook folder (no launchbook.yml, no playbooks/launchbook.yml)")
    cwd = Path.cwd()
    if (cwd / "fork.yml").is_file():
        return Path(".")
    if (cwd / "playbooks" / "launchbook.yml").is_file():
        return Path("playbooks")
    if (cwd / "launchbook.yml").is_file():
        return Path(".")
    return bundled_playbooks()
