"""`launchbook generate`: plain Markdown + mkdocs.yml that builds without the plugin."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from launchbook.cli import main
from launchbook.site.config import default_config
from launchbook.site.linkcheck import check_site

from .support import MINIMAL


@pytest.mark.pdf
def test_generated_folder_builds_with_plain_mkdocs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert main(["generate", str(MINIMAL), "-o", str(out)]) == 0
    config = yaml.safe_load((out / "mkdocs.yml").read_text())
    assert config["plugins"] == ["search"], "the generated config must not need the launchbook plugin"
    assert (out / "docs" / "failure-modes" / "no-plan.md").is_file()
    assert (out / "docs" / "checklists" / "kickoff-a4-letter.pdf").is_file()
    nav_text = yaml.safe_dump(config["nav"])
    assert "failure-modes/" not in nav_text, "failure-mode pages stay out of the nav"
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    assert mkdocs is not None
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [mkdocs, "build", "--strict"], cwd=out, capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    site = out / "site"
    assert (site / "failure-modes" / "no-plan" / "index.html").is_file()
    assert check_site(site) == []
    # one writer of the MkDocs settings: launchbook build's default config differs only in the
    # plugin (which adds the assets and the nav at build time) and the folders
    built = yaml.safe_load(default_config(MINIMAL, out / "docs", site_name=config["site_name"]))
    plugin_only = {"plugins", "extra_css", "extra_javascript", "nav", "docs_dir"}
    assert {k: v for k, v in config.items() if k not in plugin_only} == {
        k: v for k, v in built.items() if k not in plugin_only
    }
    assert set(config) - set(built) == {"extra_css", "extra_javascript", "nav"}


def test_generate_reaches_no_mkdocs_import(tmp_path: Path) -> None:
    """``generate`` is the way off MkDocs: importing and running it loads no module of MkDocs or
    Material (checked in a fresh interpreter, so nothing imported by other tests counts)."""
    code = (
        "import sys; from pathlib import Path\n"
        "from launchbook.model import load_playbook\n"
        "from launchbook.site.generate import generate\n"
        "generate(load_playbook(Path(sys.argv[1])).playbook, Path(sys.argv[2]))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))\n"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", code, str(MINIMAL), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert (tmp_path / "out" / "docs" / "checklists" / "kickoff-a4-letter.pdf").is_file()  # it ran through


@pytest.mark.skipif(
    shutil.which("zensical") is None and not os.environ.get("LAUNCHBOOK_ZENSICAL"),
    reason="Zensical is not installed (smoke test: pip install zensical, or set LAUNCHBOOK_ZENSICAL=/path/to/zensical)",
)
@pytest.mark.slow  # the Zensical smoke test: a second static-site engine
@pytest.mark.pdf
def test_generated_folder_builds_with_zensical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert main(["generate", str(MINIMAL), "-o", str(out)]) == 0
    zensical = os.environ.get("LAUNCHBOOK_ZENSICAL") or shutil.which("zensical")
    assert zensical is not None
    proc = subprocess.run([zensical, "build"], cwd=out, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (out / "site" / "failure-modes" / "no-plan" / "index.html").read_text(encoding="utf-8")
    assert "Nobody planned the path to production" in page
    assert 'id="questions"' in page  # the heading anchors the other pages link to


@pytest.mark.pdf
def test_generate_makes_a_pdf_per_paper_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert main(["generate", str(MINIMAL), "-o", str(out), "--paper", "a4", "--paper", "letter"]) == 0
    folder = out / "docs" / "checklists"
    assert sorted(p.name for p in folder.glob("*.pdf")) == [
        "kickoff-a4.pdf",
        "kickoff-handout-a4.pdf",
        "kickoff-handout-letter.pdf",
        "kickoff-letter.pdf",
    ]
    page = (out / "docs" / "checklists" / "kickoff.md").read_text(encoding="utf-8")
    assert "PDF (A4)" in page and "Handout PDF (Letter)" in page and "a4-letter" not in page


def test_generate_refuses_an_unknown_paper_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["generate", str(MINIMAL), "-o", str(tmp_path / "out"), "--paper", "a5"]) == 2
    assert "invalid choice: 'a5'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
