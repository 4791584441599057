"""The layers issue 16 introduced below the CLI: finding playbooks raises typed errors (never
SystemExit), a Playbook finds its items by id and former id, and what the overlay and the
incremental site build know about fields comes from the schema."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from launchbook.cli import main
from launchbook.errors import PlaybookErrors, UsageError
from launchbook.locate import bundled_playbooks, find_playbooks
from launchbook.model import FailureMode, load_playbook
from launchbook.overlay import require_playbook
from launchbook.overlay.values import LISTS
from launchbook.schema import Seq
from launchbook.schema.fork import SET
from launchbook.site.incremental import PROSE, outline

from .support import MINIMAL


# ------------------------------------------------------------------ locating
def test_find_playbooks_raises_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or directory"):
        find_playbooks(str(tmp_path / "nowhere"))
    with pytest.raises(UsageError, match="not a playbook folder"):
        find_playbooks(str(tmp_path))
    assert find_playbooks(str(MINIMAL)) == MINIMAL
    assert (bundled_playbooks() / "launchbook.yml").is_file()


def _broken(tmp_path: Path) -> Path:
    """The minimal set with a remediation that requires one that does not exist (LB301)."""
    root = tmp_path / "broken"
    for path in MINIMAL.rglob("*.yml"):
        (root / path.relative_to(MINIMAL)).parent.mkdir(parents=True, exist_ok=True)
        (root / path.relative_to(MINIMAL)).write_bytes(path.read_bytes())
    fm = root / "failure-modes" / "no-data.yml"
    fm.write_text(fm.read_text(encoding="utf-8").replace("[write-plan]", "[write-plna]"), encoding="utf-8")
    return root


def test_require_playbook_raises_the_problems_instead_of_exiting(tmp_path: Path) -> None:
    with pytest.raises(PlaybookErrors) as exc:
        require_playbook(str(_broken(tmp_path)))
    assert exc.value.loaded and [p.code for p in exc.value.problems] == ["LB301"]
    (tmp_path / "broken" / "roles.yml").unlink()
    with pytest.raises(PlaybookErrors) as exc:
        require_playbook(str(tmp_path / "broken"))
    assert not exc.value.loaded and "LB116" in [p.code for p in exc.value.problems]


def test_the_cli_prints_playbook_errors_and_exits_1_or_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _broken(tmp_path)
    assert main(["plan", str(root)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "LB301" in captured.err and "no-data.yml" in captured.err
    (root / "roles.yml").unlink()
    assert main(["graph", str(root)]) == 2
    assert "LB116" in capsys.readouterr().err


# ------------------------------------------------------------------ lookups
def test_playbook_finds_items_by_id_and_former_id(tmp_path: Path) -> None:
    (tmp_path / "overlay" / "overrides").mkdir(parents=True)
    (tmp_path / "fork.yml").write_text(
        f'name: Acme\nupstream: "{MINIMAL}"\nbase: "1.0.0"\n', encoding="utf-8"
    )
    (tmp_path / "overlay" / "overrides" / "a.yml").write_text(
        "overrides:\n  - question: plan-written\n    set: {aliases: [plan-on-paper]}\n", encoding="utf-8"
    )
    pb = require_playbook(str(tmp_path))
    written = next(q for q in pb.questions() if q.id == "plan-written")
    assert pb.question("plan-on-paper") is pb.question("plan-written") is written
    assert pb.remediation("write-plan") is not None and pb.remediation("nope") is None
    assert pb.failure_mode("no-data") is pb.failure_modes[0]
    assert pb.role("data-engineer") is not None and pb.checklist("kickoff") is not None
    assert "plan-on-paper" in pb.by_id.questions and "plan-on-paper" not in list(pb.by_id.questions)
    assert pb.by_id.questions.aliases() == {"plan-on-paper": "plan-written"}
    # an override's list is a tuple, as the loader builds it: the item stays hashable
    assert pb.question("plan-written").aliases == ("plan-on-paper",)  # type: ignore[union-attr]
    hash(written)


def test_lookups_are_built_once_per_playbook() -> None:
    res = load_playbook(MINIMAL)
    assert res.playbook is not None
    pb = res.playbook
    assert pb.by_id is pb.by_id
    first = pb.failure_modes[0]
    renamed = dataclasses.replace(first, id="renamed", aliases=(first.id,))
    other = dataclasses.replace(pb, failure_modes=(renamed, *pb.failure_modes[1:]))
    assert other.by_id is not pb.by_id
    assert other.failure_mode(first.id) is renamed and pb.failure_mode(first.id) is first
    assert other == dataclasses.replace(pb, failure_modes=other.failure_modes)  # the cache is not compared


# ------------------------------------------------------------------ fields from the schema
def test_every_list_field_an_override_sets_becomes_a_tuple() -> None:
    seqs = {f.name for f in SET.fields if isinstance(f.spec, Seq)}
    assert seqs - {"related", "sources", "items"} == LISTS
    assert {"aliases", "decision", "involves", "requires", "attendees", "signs", "tags"} <= LISTS


def _fm() -> FailureMode:
    res = load_playbook(MINIMAL)
    assert res.playbook is not None
    return res.playbook.failure_modes[0]


def test_outline_is_every_schema_field_but_the_prose() -> None:
    fm = _fm()
    same = [
        dataclasses.replace(fm, summary="other", impact="other", signs=("other",)),
        dataclasses.replace(fm, remediations=tuple(dataclasses.replace(r, do="x") for r in fm.remediations)),
        dataclasses.replace(fm, sources=tuple(dataclasses.replace(c, note="x") for c in fm.sources)),
    ]
    assert all(outline(f) == outline(fm) for f in same)
    changed = [
        dataclasses.replace(fm, tags=("new",)),
        dataclasses.replace(
            fm, questions=tuple(dataclasses.replace(q, aliases=("x",)) for q in fm.questions)
        ),
        dataclasses.replace(
            fm, remediations=tuple(dataclasses.replace(r, effort="L") for r in fm.remediations)
        ),
    ]
    assert all(outline(f) != outline(fm) for f in changed)
    assert {"summary", "signs", "impact", "do", "note"} == PROSE
    hash(outline(fm))
