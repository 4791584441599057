"""Fixtures and hooks every test module shares; plain helpers (paths, builders) are in tests/support/.

Markers (registered in pyproject.toml, ``--strict-markers``):

- ``browser``: added to every test that uses the ``browser`` fixture (tests/test_browser.py marks
  its whole module);
- ``pdf``: added to every test that uses ``bundled_site``; any other test that renders a PDF
  (a site build, ``generate``, ``checklist --format pdf``) or reads one with poppler marks itself.
  A test without the marker that renders a PDF anyway fails with a message saying so, in this
  process and in the ``launchbook`` processes it starts (see ``_pdf_only_where_marked``);
- ``slow``: marked by hand (wheel installs, big synthetic sets, a second bundled build).

``make test-fast`` runs ``-m "not slow and not browser and not pdf"``; ``make test`` runs all.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType

import pytest

from .support import GOLDEN, LAUNCHBOOK, MINIMAL, ROOT, BuiltSite
from .support.golden import Golden

# fixture name -> the marker every test using it gets
MARKED_BY_FIXTURE = {"browser": "browser", "bundled_site": "pdf", "bundled_site_again": "pdf"}


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = getattr(item, "fixturenames", ())
        for fixture, marker in MARKED_BY_FIXTURE.items():
            if fixture in used:
                item.add_marker(marker)


# ---------------------------------------------------------------- the pdf marker, kept honest

UNMARKED_PDF = (
    "this test renders a PDF with WeasyPrint (a site build, generate or a pdf checklist does) but is "
    "not marked: add @pytest.mark.pdf (or `pytestmark = pytest.mark.pdf` for the module) so that "
    "`make test-fast` leaves it out"
)


class _RefuseWeasyPrint(importlib.abc.MetaPathFinder):
    """Fails the running test at ``import weasyprint``: installed while an unmarked test runs."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == "weasyprint" or fullname.startswith("weasyprint."):
            pytest.fail(UNMARKED_PDF)  # BaseException: not swallowed by an `except Exception`
        return None


@pytest.fixture(scope="session")
def _no_weasyprint_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A folder whose ``weasyprint`` package refuses to import: first on the PYTHONPATH of the
    processes an unmarked test starts."""
    folder = tmp_path_factory.mktemp("no-weasyprint")
    (folder / "weasyprint").mkdir()
    (folder / "weasyprint" / "__init__.py").write_text(
        f"raise ImportError({UNMARKED_PDF!r})\n", encoding="utf-8"
    )
    return str(folder)


@pytest.fixture(autouse=True)
def _pdf_only_where_marked(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, _no_weasyprint_path: str
) -> Iterator[None]:
    if request.node.get_closest_marker("pdf") is not None:
        yield
        return
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    finder = _RefuseWeasyPrint()
    sys.meta_path.insert(0, finder)
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [_no_weasyprint_path, os.environ.get("PYTHONPATH")]))
    )
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


# ---------------------------------------------------------------- shared fixtures


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the minimal valid playbook set."""
    dest = tmp_path / "playbooks"
    shutil.copytree(MINIMAL, dest)
    return dest


class _BundledBuild:
    """``launchbook build`` of the bundled playbooks in its own process, as ``make site`` runs it:
    from the repository (its mkdocs.yml), SOURCE_DATE_EPOCH=0, a given hash seed."""

    def __init__(self, out: Path, log: Path, seed: str) -> None:
        self.out, self.log = out, log
        # an empty cache of its own (PDFs, checks), so every PDF of every build is really rendered
        cache = log.parent / f"cache-{seed}"
        env = dict(
            os.environ,
            PYTHONHASHSEED=seed,
            SOURCE_DATE_EPOCH="0",
            NO_MKDOCS_2_WARNING="1",
            XDG_CACHE_HOME=str(cache),
        )
        with log.open("wb") as err:  # a file, not a pipe: nothing blocks while no one reads
            self.proc = subprocess.Popen(
                [*LAUNCHBOOK, "build", "-o", str(out)], cwd=ROOT, env=env, stdout=err, stderr=err
            )

    def result(self) -> BuiltSite:
        returncode = self.proc.wait(timeout=600)
        stderr = self.log.read_text(encoding="utf-8")
        assert returncode == 0, stderr
        return BuiltSite(self.out, stderr)


@pytest.fixture(scope="session")
def _bundled_builds(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, _BundledBuild]]:
    """The bundled builds this run needs, started together (two cores build two sites at once):
    ``bundled_site`` always, ``bundled_site_again`` when a selected test uses it."""
    logs = tmp_path_factory.mktemp("bundled-logs")
    builds = {
        "bundled_site": _BundledBuild(tmp_path_factory.mktemp("bundled") / "site", logs / "first.txt", "1")
    }
    if any("bundled_site_again" in getattr(item, "fixturenames", ()) for item in request.session.items):
        out = tmp_path_factory.mktemp("bundled-again") / "elsewhere" / "public"
        builds["bundled_site_again"] = _BundledBuild(out, logs / "again.txt", "2")
    yield builds
    for build in builds.values():
        if build.proc.poll() is None:  # pragma: no cover - a run stopped early
            build.proc.kill()
            build.proc.wait()


@pytest.fixture(scope="session")
def bundled_site(_bundled_builds: dict[str, _BundledBuild]) -> BuiltSite:
    """The bundled playbooks' site, built once per test run (~12 s) as ``make site`` builds it (in
    its own process, from the repository, SOURCE_DATE_EPOCH=0, hash seed 1). Its folder holds
    only ``site/``.

    Read-only: a test that adds a file to it removes the file before it ends. Tests that need a
    modified site build their own copy. Every test using this fixture is marked ``pdf``.
    """
    return _bundled_builds["bundled_site"].result()


@pytest.fixture(scope="session")
def bundled_site_again(_bundled_builds: dict[str, _BundledBuild]) -> BuiltSite:
    """A second build of the bundled site, into another folder (``elsewhere/public``) with another
    hash seed (2), for the reproducibility test; built at the same time as ``bundled_site``."""
    return _bundled_builds["bundled_site_again"].result()


@pytest.fixture(scope="session")
def golden() -> Golden:
    """Golden files under tests/golden/: ``golden.check("checklists/kickoff.md", output)`` compares,
    or rewrites the file when LAUNCHBOOK_UPDATE_GOLDEN=1."""
    return Golden(GOLDEN)
