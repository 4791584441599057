"""docs/tutorials/fork.md, run: every step of the tutorial (start, rename, override, exclude,
add, check, upstream update, diff) is executed from the tutorial's own code blocks, in order.

- a ``yaml`` block whose first line is ``# file: PATH`` is written to PATH in the fork;
- each ``launchbook ...`` line of a ``sh`` block runs through the CLI and must succeed; ``init``
  gets ``--upstream`` pointing at a copy of the bundled playbooks, so that "pip install --upgrade
  launchbook" can be played as an upstream release (version 0.2.0 with one changed question);
  ``serve``, ``build`` and PDF output are left out (test_serve, test_site_build and
  test_checklists run them);
- a ``text`` block right after a ``sh`` block is output: each of its lines must appear in what the
  block's commands printed, ``...`` standing for any text.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from launchbook.cli import main

from .support import ROOT

TUTORIAL = ROOT / "docs" / "tutorials" / "fork.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def blocks() -> list[tuple[str, str, bool]]:
    """(language, body, directly after the previous block) of each fenced block of the tutorial."""
    text = TUTORIAL.read_text(encoding="utf-8")
    out, end = [], None
    for m in BLOCK.finditer(text):
        adjacent = end is not None and not text[end : m.start()].strip()
        out.append((m.group(1), m.group(2), adjacent))
        end = m.end()
    return out


def release_upstream(upstream: Path) -> None:
    """Upstream 0.2.0: one question's text changed, the one the tutorial's fork overrides."""
    manifest = upstream / "launchbook.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('version: "0.1.0"', 'version: "0.2.0"'))
    fm = upstream / "failure-modes" / "no-deployment-plan.yml"
    text = fm.read_text(encoding="utf-8")
    old = "with dates, the target system and release criteria?"
    assert old in text
    fm.write_text(
        text.replace(old, "with dates, the target system, the team that runs it and release criteria?")
    )


def run(line: str, upstream: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """One line of a sh block; what it printed ("" when the line is not run)."""
    args = shlex.split(line, comments=True)
    if not args:
        return ""
    if args[:2] == ["pip", "install"]:
        if "--upgrade" in args:
            release_upstream(upstream)
        return ""
    if args[0] == "cd":
        import os

        os.chdir(args[1])
        return ""
    assert args[0] == "launchbook", line
    if args[1] in ("serve", "build") or any(a.endswith(".pdf") for a in args):
        return ""
    if args[1] == "init":
        args += ["--upstream", str(upstream)]
    capsys.readouterr()
    code = main(args[1:])
    out = capsys.readouterr()
    assert code == 0, f"{line}\n{out.out}\n{out.err}"
    return out.out + out.err


def expect(output: str, body: str) -> None:
    for line in body.splitlines():
        if not line.strip():
            continue
        pattern = ".*?".join(re.escape(part) for part in line.strip().split("..."))
        assert re.search(pattern, output), f"tutorial output not printed: {line!r}\n--- printed:\n{output}"


def test_the_fork_tutorial_runs_step_by_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = tmp_path / "upstream"
    shutil.copytree(ROOT / "playbooks", upstream)
    monkeypatch.chdir(tmp_path)
    output = ""
    written, ran, checked = [], 0, 0
    for lang, body, adjacent in blocks():
        if lang == "yaml" and body.startswith("# file: "):
            rel = body.splitlines()[0].removeprefix("# file: ").strip()
            path = Path.cwd() / rel
            assert path.resolve().is_relative_to(tmp_path / "acme")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
            written.append(rel)
        elif lang == "sh":
            output = "".join(run(line, upstream, capsys) for line in body.splitlines())
            ran += 1
        elif lang == "text" and adjacent and ran:
            expect(output, body)
            checked += 1
    # the steps the tutorial promises: a rename, an exclusion, an addition, an update, a diff
    assert {
        "overlay/roles.yml",
        "overlay/exclude.yml",
        "overlay/failure-modes/acme-vendor-lock-in.yml",
    } <= set(written)
    assert checked >= 5
    assert 'base: "0.2.0"' in Path("fork.yml").read_text(encoding="utf-8")
    assert "based on\nlaunchbook 0.2.0" in Path("docs/index.md").read_text(encoding="utf-8")
