"""Plain helpers shared by the test modules: paths, the golden-file comparison, builders of test data.

Fixtures and hooks live in ``tests/conftest.py``; what cannot be a fixture (a path used in a
``parametrize`` list, a helper called with arguments) lives here. No test module imports another
test module or ``conftest``: they import from ``tests.support`` (``from .support import MINIMAL``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
MINIMAL = FIXTURES / "minimal"
PLAYBOOKS = ROOT / "playbooks"  # the bundled playbooks
GOLDEN = ROOT / "tests" / "golden"

# `launchbook` as a user runs it, in a fresh interpreter of the running venv (the source under test).
LAUNCHBOOK = [sys.executable, "-c", "import sys; from launchbook.cli import main; sys.exit(main())"]


@dataclass(frozen=True)
class BuiltSite:
    """A site built by ``launchbook build``: its folder and what the build printed on stderr."""

    site: Path
    stderr: str
