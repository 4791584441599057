"""Renamed questions and remediations keep their former ids in ``aliases``, like failure modes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from launchbook.checks import run_checks
from launchbook.cli import main
from launchbook.model import load_playbook

from .support import MINIMAL
from .support.fork import codes, merged, question, rem


def _renamed_upstream(tmp_path: Path) -> Path:
    """The minimal set with write-plan renamed to draft-deployment-plan and plan-written to path-written."""
    up = tmp_path / "upstream"
    shutil.copytree(MINIMAL, up)
    for rel in ("failure-modes/no-plan.yml", "failure-modes/no-data.yml", "checklists/kickoff.yml"):
        f = up / rel
        text = (
            f.read_text()
            .replace("write-plan", "draft-deployment-plan")
            .replace("plan-written", "path-written")
        )
        f.write_text(text)
    f = up / "failure-modes" / "no-plan.yml"
    text = f.read_text()
    text = text.replace("  - id: path-written\n", "  - id: path-written\n    aliases: [plan-written]\n")
    text = text.replace(
        "  - id: draft-deployment-plan\n", "  - id: draft-deployment-plan\n    aliases: [write-plan]\n"
    )
    f.write_text(text)
    return up


def test_renamed_upstream_checks_clean(tmp_path: Path) -> None:
    res = load_playbook(_renamed_upstream(tmp_path))
    assert res.playbook is not None and not res.problems
    assert run_checks(res.playbook) == []
    assert rem(res.playbook, "draft-deployment-plan").aliases == ("write-plan",)


def test_overlay_against_old_question_and_remediation_ids_still_applies(tmp_path: Path) -> None:
    files = {
        "overrides/old.yml": (
            "overrides:\n"
            "  - remediation: write-plan\n    set: {effort: L}\n"
            "  - question: plan-written\n    set: {level: 0}\n"
        )
    }
    pb, problems = merged(tmp_path, files, upstream=_renamed_upstream(tmp_path))
    assert rem(pb, "draft-deployment-plan").effort == "L"
    assert question(pb, "path-written").level == 0
    notes = [p for p in problems if p.code == "LB402"]
    assert len(notes) == 2 and all(p.level == "warning" for p in notes)
    assert {n.hint for n in notes} == {
        "replace 'write-plan' with 'draft-deployment-plan'",
        "replace 'plan-written' with 'path-written'",
    }
    assert codes(problems, "error") == []


def test_an_alias_that_is_also_a_current_id_collides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    up = _renamed_upstream(tmp_path)
    f = up / "failure-modes" / "no-data.yml"
    f.write_text(
        f.read_text().replace(
            "  - id: inventory-data\n", "  - id: inventory-data\n    aliases: [fund-deployment]\n"
        )
    )
    assert main(["check", str(up)]) == 1
    out = capsys.readouterr().out
    assert "LB314 alias 'fund-deployment' of 'inventory-data' is also a remediation id" in out


def test_diff_reports_a_renamed_remediation_as_renamed(tmp_path: Path) -> None:
    from launchbook.fork.diff import diff_snapshots, fingerprints

    before = load_playbook(MINIMAL).playbook
    after = load_playbook(_renamed_upstream(tmp_path)).playbook
    assert before is not None and after is not None
    changes = diff_snapshots(fingerprints(before), fingerprints(after))
    renamed = {(c.kind, c.old_id, c.ident) for c in changes if c.status == "renamed"}
    assert ("remediation", "write-plan", "draft-deployment-plan") in renamed
    assert ("question", "plan-written", "path-written") in renamed
    assert not [
        c for c in changes if c.status in ("added", "removed") and c.kind in ("question", "remediation")
    ]
