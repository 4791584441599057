"""``launchbook init`` writes a fork that checks and builds at once; ``launchbook diff`` follows upstream."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from launchbook.cli import main
from launchbook.fork.diff import diff_snapshots, fingerprints
from launchbook.model import load_playbook

from .support import FIXTURES, MINIMAL

V1 = FIXTURES / "upstream-v1"
V2 = FIXTURES / "upstream-v2"


def _init(tmp_path: Path, *extra: str, name: str = "acme") -> Path:
    assert main(["init", str(tmp_path / name), *extra]) == 0
    return tmp_path / name


@pytest.mark.slow  # a fork of the bundled playbooks, built with every PDF
@pytest.mark.pdf
def test_init_bundled_then_check_and_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "acme"]) == 0
    monkeypatch.chdir(tmp_path / "acme")
    capsys.readouterr()
    assert main(["check"]) == 0
    assert "no problems" in capsys.readouterr().out
    assert main(["build"]) == 0  # ~12 s: the whole bundled set, with PDFs
    site = tmp_path / "acme" / "site"
    pages = sorted(p.name for p in (site / "failure-modes").iterdir() if (p / "index.html").is_file())
    assert len(pages) > 10
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Acme ML launch playbooks" in home
    assert list((site / "checklists").glob("*.pdf"))


def test_init_writes_every_file(tmp_path: Path) -> None:
    root = _init(tmp_path, "--name", "Acme Corp", "--upstream", str(MINIMAL))
    for rel in (
        "fork.yml",
        "mkdocs.yml",
        "README.md",
        "docs/index.md",
        ".pre-commit-config.yaml",
        ".github/workflows/launchbook.yml",
        "overlay/roles.yml",
        "overlay/exclude.yml",
        "overlay/extend.yml",
        "overlay/sources.yml",
        "overlay/overrides/example.yml",
        ".launchbook/base/1.0.0.json",
    ):
        assert (root / rel).is_file(), rel
    fork = yaml.safe_load((root / "fork.yml").read_text(encoding="utf-8"))
    assert fork["name"] == "Acme Corp" and fork["base"] == "1.0.0" and fork["overlay"] == "overlay"
    assert (root / fork["upstream"] / "launchbook.yml").is_file()
    mkdocs = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert mkdocs["theme"]["name"] == "material" and mkdocs["theme"]["font"] is False
    assert mkdocs["plugins"][0] == "search" and "launchbook" in mkdocs["plugins"][1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    for cmd in (
        "launchbook check",
        "launchbook serve",
        "launchbook checklist",
        "launchbook build",
        "launchbook diff",
    ):
        assert cmd in readme
    snap = json.loads((root / ".launchbook/base/1.0.0.json").read_text(encoding="utf-8"))
    assert set(snap["items"]["failure_mode"]) == {"no-data", "no-plan"}


def test_init_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(tmp_path / "acme")]) == 2
    assert "not empty" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "acme").iterdir()) == ["notes.txt"]
    assert main(["init", str(tmp_path / "new"), "--upstream", str(tmp_path / "nowhere")]) == 2


def test_init_into_an_empty_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "acme").mkdir()
    _init(tmp_path, "--upstream", str(MINIMAL))
    assert main(["check", str(tmp_path / "acme")]) == 0


def test_workflow_and_pre_commit_parse_and_the_hook_passes(tmp_path: Path) -> None:
    root = _init(tmp_path, "--upstream", str(MINIMAL))
    workflow = yaml.safe_load((root / ".github/workflows/launchbook.yml").read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = [s.get("uses", "") for s in steps]
    runs = " ".join(s.get("run", "") for s in steps)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert "launchbook check --format github" in runs and "launchbook build" in runs
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}

    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = config["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local" and hook["language"] == "system"
    argv = shlex.split(hook["entry"])
    assert argv[:2] == ["launchbook", "check"]
    exe = shutil.which("launchbook") or str(Path(sys.executable).with_name("launchbook"))
    done = subprocess.run([exe, *argv[1:]], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.match(r"^\^", hook["files"]) and re.search(hook["files"], "overlay/exclude.yml")


def _uncomment(path: Path) -> None:
    """Turn a template's commented example into live YAML (the way a user would)."""
    out, live = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^# (rename|remap|add|extend|exclude|overrides):", line):
            live = True
        if live and line.startswith("# "):
            line = line[2:]
        elif live and line == "#":
            line = ""
        if re.fullmatch(r"(rename|remap|add|extend|exclude|overrides): (\{\}|\[\])", line):
            continue
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_the_commented_examples_are_valid_when_uncommented(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _init(tmp_path)
    for rel in ("roles.yml", "extend.yml", "exclude.yml", "overrides/example.yml"):
        _uncomment(root / "overlay" / rel)
    assert "rename:" in (root / "overlay/roles.yml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(root)]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    # the exclusions drop checklist lines quietly: one line counts them, --verbose lists them
    assert "0 error(s)" in out and "LB406" not in out
    assert re.search(r"^info: \d+ reference\(s\) to \d+ excluded item\(s\) were dropped", out, re.M)


# ------------------------------------------------------------------ diff
def test_diff_of_the_two_fixture_versions() -> None:
    v1, v2 = load_playbook(V1).playbook, load_playbook(V2).playbook
    assert v1 is not None and v2 is not None
    changes = {(c.kind, c.ident, c.status): c for c in diff_snapshots(fingerprints(v1), fingerprints(v2))}
    renamed = changes[("failure_mode", "data-missing", "renamed")]
    assert renamed.old_id == "no-data"
    assert changes[("remediation", "write-plan", "changed")].fields == ("do",)
    assert ("remediation", "fund-deployment", "removed") in changes
    for added in (
        ("failure_mode", "no-monitoring"),
        ("remediation", "add-monitoring"),
        ("role", "ml-engineer"),
    ):
        assert (*added, "added") in changes
    # questions of the renamed failure mode did not change: following the rename is not a change
    assert not any(k[1] == "data-sample-seen" for k in changes)


def _fork_v1_to_v2(tmp_path: Path) -> Path:
    root = _init(tmp_path, "--upstream", str(V1))
    (root / "overlay/overrides/example.yml").write_text(
        "overrides:\n"
        "  - remediation: write-plan\n"
        "    set:\n"
        "      do: Our template lives in the wiki.\n"
        "  - failure_mode: no-data\n"
        "    set:\n"
        "      title: Data is missing\n"
        "  - question: plan-written\n"
        "    set:\n"
        "      ask: Did the PMO approve the plan?\n",
        encoding="utf-8",
    )
    (root / "overlay/exclude.yml").write_text(
        "exclude:\n  - remediation: fund-deployment\n    reason: Budgets are central.\n", encoding="utf-8"
    )
    assert main(["check", str(root)]) == 0
    fork_yml = root / "fork.yml"
    text = fork_yml.read_text(encoding="utf-8")
    fork_yml.write_text(text.replace(str(V1.name), str(V2.name)), encoding="utf-8")
    return root


def test_diff_reports_upstream_changes_and_what_the_overlay_touches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _fork_v1_to_v2(tmp_path)
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["diff"]) == 0
    out = capsys.readouterr().out
    assert "base 1.0.0" in out and "now 2.0.0" in out
    assert re.search(r"added \(4\):\n  failure mode +no-monitoring", out)
    assert "no-data -> data-missing" in out
    assert re.search(r"remediation +write-plan +\(do\)", out)
    assert re.search(r"removed \(1\):\n  remediation +fund-deployment", out)
    touched = out.split("your overlay touches", 1)[1]
    assert "overlay/exclude.yml:2: exclude of remediation 'fund-deployment': removed upstream" in touched
    assert (
        "overlay/overrides/example.yml:2: override of remediation 'write-plan': upstream changed do, which you override"
        in touched
    )
    assert (
        "overlay/overrides/example.yml:5: override of failure mode 'no-data': renamed upstream to 'data-missing'"
        in touched
    )
    assert "plan-written" not in touched  # overridden, but unchanged upstream

    # check names the overlay entries that no longer apply: removed (error) and renamed (a note)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "overlay/exclude.yml:2:18: LB401 unknown remediation 'fund-deployment'" in out
    assert "overlay/overrides/example.yml:5:19: LB402" in out


def test_diff_since_a_path_and_update_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _fork_v1_to_v2(tmp_path)
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["diff", "--since", str(V1)]) == 0
    assert "no-data -> data-missing" in capsys.readouterr().out
    assert main(["diff", "--update-base"]) == 0
    assert 'base: "2.0.0"' in (root / "fork.yml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["diff"]) == 0
    assert "no upstream changes" in capsys.readouterr().out
    assert main(["diff", "--since", "1.0.0"]) == 0  # the older snapshot is kept
    assert "fund-deployment" in capsys.readouterr().out
    assert main(["diff", "--since", "0.9"]) == 2


def test_diff_outside_a_fork_and_with_a_broken_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["diff"]) == 2
    assert "not a fork" in capsys.readouterr().err
    root = _init(tmp_path, "--upstream", str(MINIMAL))
    (root / ".launchbook/base/1.0.0.json").write_text(
        '{"launchbook_snapshot": 1, "items": []}', encoding="utf-8"
    )
    assert main(["diff", str(root)]) == 2
    assert "LB409" in capsys.readouterr().err


def test_diff_shows_upstream_text_as_a_word_diff_next_to_the_forks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _fork_v1_to_v2(tmp_path)
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["diff"]) == 0
    out = capsys.readouterr().out
    lines = out.split("override of remediation 'write-plan'", 1)[1].splitlines()
    assert (
        lines[1] == "      do, upstream: Name the system, the team{+, the budget+} and the release criteria."
    )
    assert lines[2] == "      do, yours:    Our template lives in the wiki."


def test_diff_text_is_escaped_for_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _fork_v1_to_v2(tmp_path)
    override = root / "overlay/overrides/example.yml"
    override.write_text(
        override.read_text(encoding="utf-8").replace(
            "do: Our template lives in the wiki.", 'do: "Our template lives in the \\u202ewiki."'
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["diff"]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out  # a bidi override cannot reorder what the terminal shows
    assert "do, yours:    Our template lives in the \\u202ewiki." in out


def test_word_diff() -> None:
    from launchbook.fork.diff import word_diff

    assert word_diff("a b c", "a b c") == "a b c"
    assert word_diff("Was IT operations at the kickoff?", "Was @role(it-operations) at the kickoff?") == (
        "Was [-IT operations-]{+@role(it-operations)+} at the kickoff?"
    )
    assert word_diff("one two", "one") == "one[- two-]"


def test_update_base_also_moves_the_version_pins_init_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from launchbook import __version__

    root = _fork_v1_to_v2(tmp_path)
    ci = root / ".github/workflows/launchbook.yml"
    ci.write_text(ci.read_text(encoding="utf-8").replace(f"launchbook=={__version__}", "launchbook==0.0.1"))
    index = root / "docs/index.md"
    assert "based on\nlaunchbook 1.0.0 and" in index.read_text(encoding="utf-8")
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["diff", "--update-base"]) == 0
    out = capsys.readouterr().out
    assert "updated the version pins in .github/workflows/launchbook.yml, docs/index.md" in out
    assert "based on\nlaunchbook 2.0.0 and" in index.read_text(encoding="utf-8")
    assert f'"launchbook=={__version__}"' in ci.read_text(encoding="utf-8")
    assert main(["diff", "--update-base"]) == 0  # nothing left to move
    assert "version pins" not in capsys.readouterr().out
