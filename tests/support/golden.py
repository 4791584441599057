"""Golden files: compare an output with its file under tests/golden/, or rewrite the file.

After an intended change, rewrite every golden file and review the diff::

    LAUNCHBOOK_UPDATE_GOLDEN=1 .venv/bin/pytest -m 'not slow and not browser'

Tests use the ``golden`` fixture (tests/conftest.py); :func:`check_golden` is what it calls.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

UPDATE_ENV = "LAUNCHBOOK_UPDATE_GOLDEN"


def updating() -> bool:
    return os.environ.get(UPDATE_ENV) == "1"


def check_golden(path: Path, actual: str | bytes) -> None:
    """``actual`` must equal the file at ``path`` byte for byte (text as UTF-8, newlines as written).

    With ``LAUNCHBOOK_UPDATE_GOLDEN=1`` the file is (re)written instead, folders included.
    """
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    if not path.is_file():
        pytest.fail(f"missing golden file {path}; {UPDATE_ENV}=1 pytest writes it")
    expected = path.read_bytes()
    if isinstance(actual, str):
        assert actual == expected.decode("utf-8"), (
            f"{path.name} differs from the golden file; {UPDATE_ENV}=1 rewrites it"
        )
    else:
        assert actual == expected, f"{path.name} differs from the golden file; {UPDATE_ENV}=1 rewrites it"


class Golden:
    """The ``golden`` fixture: ``golden.check("assess/compare.txt", output)``, paths under tests/golden/."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, name: str) -> Path:
        return self.root / name

    def check(self, name: str, actual: str | bytes) -> None:
        check_golden(self.root / name, actual)
