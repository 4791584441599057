"""Issue 19's scenario: a fork that renames a role and drops three failure modes speaks its own
language everywhere (texts, filters) and checks without a warning."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from launchbook.cli import main
from launchbook.overlay import load_fork

from .support import ROOT

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
    from launchbook.checks import run_checks
    from launchbook.model import with_role_names

    assert [p for p in run_checks(res.playbook) if p.code == "LB320"] == []
    fm = with_role_names(res.playbook).failure_mode("it-data-science-disconnect")
    assert fm is not None and fm.questions[0].ask == "Was ML engineer at the kickoff?"
    changes = res.playbook.fork_changes
    assert changes is not None and [(m.old, m.old_name, m.new) for m in changes.merged_roles] == [
        ("it-operations", "IT operations", "ml-engineer")
    ]


# ------------------------------------------------------------------ "What we changed"
ADDED_FM = """
id: acme-vendor-lock-in
title: We cannot leave the ML platform vendor
category: organization
phases: [build]
summary: Every model depends on one vendor's proprietary services.
signs:
  - Nobody knows what moving a model would cost.
impact: Prices rise and there is no way out.
key_question: Could we run this model elsewhere within a quarter?
questions:
  - id: acme-exit-plan-written
    ask: Has @role(it-operations) written an exit plan?
    owner: it-operations
    phase: build
    level: 2
remediations:
  - id: acme-write-exit-plan
    title: Write an exit plan
    do: List the vendor services each model uses and what replaces them.
    owner: it-operations
    phase: build
    effort: M
sources:
  - id: datarobot-2022
    note: Hidden technical debt includes dependencies that are hard to remove.
"""


@pytest.fixture
def built(fork: Path) -> dict[str, str]:
    from launchbook.model import with_role_names
    from launchbook.site.pages import build_pages, nav

    (fork / "overlay" / "failure-modes").mkdir()
    (fork / "overlay" / "failure-modes" / "acme-vendor-lock-in.yml").write_text(
        ADDED_FM.lstrip(), encoding="utf-8"
    )
    (fork / "overlay" / "overrides").mkdir()
    (fork / "overlay" / "overrides" / "ask.yml").write_text(
        "overrides:\n  - question: it-operations-at-kickoff\n    set:\n      ask: Did @role(it-operations) sign the kickoff notes?\n",
        encoding="utf-8",
    )
    res = load_fork(fork)
    assert res.playbook is not None
    assert [p for p in res.problems if p.level == "error"] == [], res.problems
    pb = with_role_names(res.playbook)
    pages = {p.src: p.content for p in build_pages(pb)}
    pages["nav"] = repr(nav(pb))
    return pages


def test_the_what_we_changed_page(built: dict[str, str]) -> None:
    page = built["what-we-changed.md"]
    # exclusions with their reasons and what went with them
    assert "Every project has a business owner by policy." in page
    assert re.search(r"Our teams are cross-functional by design\.", page)
    assert re.search(r"with \d+ questions, \d+ remediations", page)
    # overridden fields, renamed roles, additions (linked to their pages)
    assert "Did SRE sign the kickoff notes?" in page and "<code>ask</code>" in page
    assert 'IT operations is called <a href="../roles/it-operations/">SRE</a> here.' in page
    assert (
        '<a href="../failure-modes/acme-vendor-lock-in/">We cannot leave the ML platform vendor</a>' in page
    )
    assert "Added by Acme" in page
    assert "@role(" not in page
    assert built["nav"].count("what-we-changed.md") == 1
    for m in re.finditer(r"<table[^>]*>", page):  # styled like every generated table
        assert 'class="lb-table ' in m.group(0) and page[: m.start()].endswith('<div class="lb-table-wrap">')


def test_an_added_item_is_marked_on_its_page(built: dict[str, str]) -> None:
    added = built["failure-modes/acme-vendor-lock-in.md"]
    assert '<span class="lb-chip lb-added">Added by Acme</span>' in added
    assert "Has SRE written an exit plan?" in added
    upstream = built["failure-modes/no-deployment-plan.md"]
    assert "lb-added" not in upstream


def test_playbooks_that_are_not_a_fork_have_no_such_page() -> None:
    from launchbook.model import load_playbook
    from launchbook.site.pages import build_pages, nav

    pb = load_playbook(BUNDLED).playbook
    assert pb is not None and pb.fork_changes is None
    assert "what-we-changed.md" not in {p.src for p in build_pages(pb)}
    assert "what-we-changed.md" not in repr(nav(pb))
