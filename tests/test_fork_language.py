"""Issue 19's scenario: a fork that renames a role and drops three failure modes speaks its own
language everywhere (texts, filters) and checks without a warning."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from launchbook.cli import main
from launchbook.overlay import load_fork

from .conftest import ROOT

BUNDLED = ROOT / "playbooks"

ROLES = """
rename:
  it-operations:
    name: SRE
  executive-sponsor:
    name: Business owner
"""
EXCLUDE = """
exclude:
  - failure_mode: wrong-team-shape
    reason: Our teams are cross-functional by design.
  - failure_mode: hype-and-lost-interest
    reason: Not a risk in our portfolio.
  - failure_mode: no-executive-sponsor
    reason: Every project has a business owner by policy.
"""


@pytest.fixture
def fork(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    (root / "overlay").mkdir(parents=True)
    (root / "fork.yml").write_text(
        f'name: Acme\ntitle: Acme playbook\nupstream: "{BUNDLED}"\noverlay: overlay\nbase: "0.1.0"\n',
        encoding="utf-8",
    )
    (root / "overlay" / "roles.yml").write_text(textwrap.dedent(ROLES).lstrip(), encoding="utf-8")
    (root / "overlay" / "exclude.yml").write_text(textwrap.dedent(EXCLUDE).lstrip(), encoding="utf-8")
    return root


def test_check_prints_no_warning_only_one_info_line(fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", str(fork)]) == 0
    out = capsys.readouterr().out
    assert "warning" not in out and "LB4" not in out and "LB3" not in out
    [info] = [line for line in out.splitlines() if line.startswith("info:")]
    assert re.match(r"info: \d+ reference\(s\) to \d+ excluded item\(s\) were dropped with them", info)
    assert main(["check", "--verbose", str(fork)]) == 0
    verbose = capsys.readouterr().out
    assert (
        "failure mode 'decision-makers-not-bought-in' (related) no longer refers to failure mode" in verbose
    )


def test_role_filters_take_the_new_name(fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["checklist", "project-kickoff", "--playbooks", str(fork), "--role", "sre", "--format", "md"])
        == 0
    )
    out = capsys.readouterr().out
    assert "**Tailored for:** role SRE" in out
    assert main(["plan", str(fork), "--role", "Business Owner"]) == 0
    assert "Business owner" in capsys.readouterr().out
    assert main(["assess", "--template", str(fork), "--role", "SRE"]) == 0
    assert "role: it-operations" in capsys.readouterr().out
    assert main(["plan", str(fork), "--role", "IT operations"]) == 2  # the old name is gone
    err = capsys.readouterr().err
    assert "it-operations (SRE)" in err and "executive-sponsor (Business owner)" in err


def test_the_bundled_kickoff_shows_the_new_names_never_the_old(
    fork: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["checklist", "project-kickoff", "--playbooks", str(fork), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "Was SRE at the kickoff?" in out
    assert "the first meeting with the business owner" in out
    assert "Business owner, Product owner" in out  # attendees
    for old in ("IT operations", "executive sponsor"):
        assert old.lower() not in out.lower()


def test_a_removed_role_is_still_named_in_texts(tmp_path: Path, fork: Path) -> None:
    """A role remapped onto another is named by that role in every text; the check accepts the
    references to it (they are upstream's, not the fork's to fix)."""
    (fork / "overlay" / "roles.yml").write_text("remap:\n  it-operations: ml-engineer\n", encoding="utf-8")
    res = load_fork(fork)
    assert res.playbook is not None
    from launchbook.graph import run_checks
    from launchbook.model import with_role_names

    assert [p for p in run_checks(res.playbook) if p.code == "LB320"] == []
    fm = with_role_names(res.playbook).failure_mode("it-data-science-disconnect")
    assert fm is not None and fm.questions[0].ask == "Was ML engineer at the kickoff?"
    changes = res.playbook.fork_changes
    assert changes is not None and [(m.old, m.old_name, m.new) for m in changes.merged_roles] == [
        ("it-operations", "IT operations", "ml-engineer")
    ]
