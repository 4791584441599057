"""The worked example in docs/ (issue 17): its answers files score against the bundled playbooks,
the tutorial links each of them, and its outputs are those of the current `launchbook assess`."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from launchbook.cli import main

from .support import ROOT

EXAMPLES = ROOT / "docs" / "examples" / "assessment"
PAGE = ROOT / "docs" / "tutorials" / "assessment.md"
FILES = sorted(EXAMPLES.rglob("*.yml"))


def test_two_quarters_of_one_team_and_three_teams() -> None:
    assert len(list((EXAMPLES / "quarters").glob("*.yml"))) == 2
    assert len(list((EXAMPLES / "teams").glob("*.yml"))) == 3


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_example_files_pass_assess(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(path), str(ROOT / "playbooks")]) == 0
    out, err = capsys.readouterr()
    assert "Maturity: level" in out and err == ""
    assert f"](../examples/assessment/{path.relative_to(EXAMPLES).as_posix()})" in PAGE.read_text(
        encoding="utf-8"
    )


def test_the_page_shows_current_outputs() -> None:
    spec = importlib.util.spec_from_file_location(
        "assessment_example", ROOT / "scripts" / "assessment_example.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = PAGE.read_text(encoding="utf-8")
    assert text.count("<!-- example: ") >= 2
    assert mod.refresh(text) == text, "run scripts/assessment_example.py"


def test_md_reports_on_the_page_scroll_in_focusable_regions() -> None:
    """A pasted ``--format md`` report (trend, portfolio) must not widen the page on a phone nor add
    an unfocusable scroll region (axe), nor a second H1."""
    spec = importlib.util.spec_from_file_location(
        "assessment_example", ROOT / "scripts" / "assessment_example.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    md = (
        "# Portfolio\n\n## Level by category\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        '<svg class="lb-chart" viewBox="0 0 9 9">\n<title id="t">Score "over" time</title>\n</svg>\n'
    )
    out = mod.for_the_page(md)
    assert out.startswith("### Portfolio\n\n#### Level by category\n")
    assert (
        '<div class="lb-scroll" tabindex="0" role="region" aria-label="Level by category" markdown="1">\n\n'
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n</div>"
    ) in out
    assert (
        '<div class="lb-scroll" tabindex="0" role="region" aria-label="Score &quot;over&quot; time">\n<svg'
        in out
    )
    assert out.rstrip().endswith("</svg>\n</div>")
