"""The trend and portfolio HTML reports in headless Chromium: axe finds no violation, no
horizontal scroll at desktop and phone widths, and no script runs (the pages have none).
Screenshots go to tests/artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from launchbook.cli import main

from .support import ROOT

CHROMIUM = Path(os.environ.get("LAUNCHBOOK_CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.exists():  # pragma: no cover - depends on the machine
    pytest.skip("the browser tests need Debian's chromium at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"


def quarter(path: Path, date: str, yes_share: float) -> None:
    """Answers for the bundled playbooks: the first ``yes_share`` of questions yes, the rest no."""
    from launchbook.assess import write_answers
    from launchbook.model import load_playbook

    pb = load_playbook(ROOT / "playbooks").playbook
    assert pb is not None
    qs = list(pb.questions())
    cut = int(len(qs) * yes_share)
    answers = {q.id: ("yes" if i < cut else "partial" if i % 3 else "no", "") for i, q in enumerate(qs)}
    path.write_text(write_answers(pb, qs, answers, date=date), encoding="utf-8")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("reports")
    teams = d / "teams"
    teams.mkdir()
    for name, date, share in (
        ("q1", "2024-03-31", 0.2),
        ("q2", "2024-06-30", 0.5),
        ("q3", "2024-09-30", 0.8),
    ):
        quarter(d / f"{name}.yml", date, share)
    for name, share in (
        ("payments", 0.3),
        ("churn-prediction", 0.6),
        ("search-ranking-and-recommendations", 0.9),
    ):
        quarter(teams / f"{name}.yml", "2024-09-30", share)
    out = {}
    for kind, argv in (
        ("trend", [str(d / f"q{i}.yml") for i in (1, 2, 3)]),
        ("portfolio", ["--portfolio", str(teams)]),
    ):
        html = d / f"{kind}.html"
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert main(["assess", *argv, "--playbooks", str(ROOT / "playbooks"), "--format", "html"]) == 0
        html.write_text(buf.getvalue(), encoding="utf-8")
        out[kind] = html
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()


@pytest.mark.parametrize("kind", ["trend", "portfolio"])
@pytest.mark.parametrize("width", [1280, 390])
def test_report_is_accessible_and_fits(browser: Any, reports: dict[str, Path], kind: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900}, java_script_enabled=True)
    try:
        page.goto(reports[kind].as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("document.scripts.length") == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"assess-{kind}-{width}.png"), full_page=True)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => v.id + ' (' + v.impact + ')')"
        )
        assert violations == []
    finally:
        page.close()
