"""Overlay semantics: each operation, aliases, exclusions that others depend on, located errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from launchbook.cli import main
from launchbook.codes import registered
from launchbook.commands.explain import all_codes, explain
from launchbook.model import FailureMode, Playbook, load_playbook
from launchbook.overlay import apply_overlay, load_fork, load_overlay

from .support import FIXTURES, MINIMAL
from .support.fork import checklist, codes, make_fork, merged, question, rem

V2 = FIXTURES / "upstream-v2"


def fm(pb: Playbook, ident: str) -> FailureMode:
    return next(f for f in pb.failure_modes if f.id == ident)


def fm_file(ident: str, owner: str = "data-engineer") -> str:
    return f"""
        id: {ident}
        title: The model leaks secrets
        category: data
        phases: [data]
        summary: Training data holds customer secrets.
        signs:
          - Nobody reviewed the training data for secrets.
        impact: A breach.
        key_question: Who checked the data for secrets?
        questions:
          - id: secrets-reviewed
            ask: Has someone reviewed the data for secrets?
            owner: {owner}
            phase: data
            level: 0
        remediations:
          - id: scan-for-secrets
            title: Scan for secrets
            do: Run a secret scanner over the training data.
            owner: {owner}
            phase: data
            effort: S
        sources:
          - id: acme-postmortem
            note: Our own incident.
        """


SOURCES = """
    sources:
      - id: acme-postmortem
        kind: report
        title: Post-mortem of the churn model
        author: Acme data team
        date: "2024-03"
    """


# ------------------------------------------------------------------ basics
def test_empty_overlay_is_upstream_unchanged(tmp_path: Path) -> None:
    pb, problems = merged(tmp_path, {})
    up = load_playbook(MINIMAL).playbook
    assert up is not None
    assert problems == []
    assert pb.failure_modes == up.failure_modes
    assert pb.roles == up.roles
    assert pb.checklists == up.checklists


def test_comment_only_overlay_files_load_as_empty(tmp_path: Path) -> None:
    files = {name: "# nothing yet\n# exclude:\n#   - question: x\n" for name in ("roles.yml", "exclude.yml")}
    files["overrides/team.yml"] = "# overrides: []\n"
    _, problems = merged(tmp_path, files)
    assert problems == []


def test_apply_overlay_is_pure(tmp_path: Path) -> None:
    root = make_fork(
        tmp_path, {"overrides/a.yml": "overrides:\n  - remediation: write-plan\n    set: {effort: L}\n"}
    )
    up = load_playbook(MINIMAL).playbook
    assert up is not None
    before = repr(up)
    out, problems = apply_overlay(up, load_overlay(root / "overlay"))
    assert problems == []
    assert repr(up) == before
    assert rem(up, "write-plan").effort == "M"
    assert rem(out, "write-plan").effort == "L"


# ------------------------------------------------------------------ add
def test_add_failure_mode_with_its_own_source(tmp_path: Path) -> None:
    pb, problems = merged(
        tmp_path, {"failure-modes/acme-secrets.yml": fm_file("acme-secrets"), "sources.yml": SOURCES}
    )
    assert problems == []
    assert [f.id for f in pb.failure_modes] == ["no-data", "no-plan", "acme-secrets"]
    assert any(s.id == "acme-postmortem" for s in pb.sources)
    assert fm(pb, "acme-secrets").loc.path.endswith("overlay/failure-modes/acme-secrets.yml")


def test_add_failure_mode_with_an_upstream_id_is_refused(tmp_path: Path) -> None:
    pb, problems = merged(tmp_path, {"failure-modes/no-data.yml": fm_file("no-data"), "sources.yml": SOURCES})
    [p] = [p for p in problems if p.code == "LB403"]
    assert p.path.endswith("overlay/failure-modes/no-data.yml") and p.line == 1
    assert "no-data" in p.message
    assert fm(pb, "no-data").title == "The data is not there"  # upstream kept


def test_add_checklist_and_role(tmp_path: Path) -> None:
    files = {
        "checklists/acme-review.yml": """
            id: acme-review
            title: Acme review
            meeting: Monthly review
            description: Our own review.
            attendees: [acme-platform]
            items:
              - remediation: write-plan
            """,
        "roles.yml": """
            add:
              - id: acme-platform
                name: Platform team
                description: Runs the ML platform.
            """,
    }
    pb, problems = merged(tmp_path, files)
    assert codes(problems) == ["LB305"]  # the new role owns nothing yet: a warning, as upstream
    assert checklist(pb, "acme-review").items[0].ref == "write-plan"
    assert any(r.id == "acme-platform" for r in pb.roles)


# ------------------------------------------------------------------ override
def test_override_changes_only_the_fields_given(tmp_path: Path) -> None:
    files = {
        "overrides/team.yml": """
            overrides:
              - remediation: write-plan
                set:
                  effort: L
                  owner: executive-sponsor
              - question: plan-written
                set:
                  ask: Has the steering committee seen the plan?
              - failure_mode: no-plan
                set:
                  title: No path to production
                  tags: [planning, acme]
              - checklist: kickoff
                set:
                  title: Acme kickoff
                  decision: [Fund it, Park it]
            """
    }
    pb, problems = merged(tmp_path, files)
    assert problems == []
    up = load_playbook(MINIMAL).playbook
    assert up is not None
    r, r0 = rem(pb, "write-plan"), rem(up, "write-plan")
    assert (r.effort, r.owner) == ("L", "executive-sponsor")
    assert (r.title, r.do, r.phase) == (r0.title, r0.do, r0.phase)
    assert (r0.involves, r.involves) == (("executive-sponsor",), ())  # the new owner is not also involved
    assert r.locs["owner"].path.endswith("overlay/overrides/team.yml")
    assert question(pb, "plan-written").ask == "Has the steering committee seen the plan?"
    assert fm(pb, "no-plan").title == "No path to production"
    assert fm(pb, "no-plan").tags == ("planning", "acme")
    assert fm(pb, "no-plan").summary == fm(up, "no-plan").summary
    assert checklist(pb, "kickoff").title == "Acme kickoff"
    assert checklist(pb, "kickoff").decision == ("Fund it", "Park it")
    assert checklist(pb, "kickoff").items == checklist(up, "kickoff").items


def test_overridden_value_is_checked_at_the_overlay_line(tmp_path: Path) -> None:
    files = {
        "overrides/a.yml": "overrides:\n  - remediation: write-plan\n    set:\n      owner: product-ownr\n"
    }
    _, problems = merged(tmp_path, files)
    [p] = [p for p in problems if p.code == "LB301"]
    assert (Path(p.path).name, p.line) == ("a.yml", 4)
    assert "product-owner" in p.hint


def test_override_of_a_field_the_item_lacks(tmp_path: Path) -> None:
    files = {
        "overrides/a.yml": "overrides:\n  - question: plan-written\n    set:\n      effort: S\n",
        "overrides/b.yml": "overrides:\n  - question: plan-written\n    set:\n      ask_: x\n",
    }
    _, problems = merged(tmp_path, files)
    [lb404] = [p for p in problems if p.code == "LB404"]
    assert (Path(lb404.path).name, lb404.line) == ("a.yml", 4)
    assert "effort" in lb404.message and "plan-written" in lb404.message
    [lb200] = [p for p in problems if p.code == "LB200"]  # not a field of anything: the loader's schema
    assert (Path(lb200.path).name, lb200.line, lb200.hint) == ("b.yml", 4, "did you mean 'ask'?")


def test_the_same_field_overridden_twice_is_a_conflict(tmp_path: Path) -> None:
    files = {
        "overrides/a.yml": "overrides:\n  - remediation: write-plan\n    set: {effort: L}\n",
        "overrides/b.yml": "overrides:\n  - remediation: write-plan\n    set: {effort: S}\n",
    }
    pb, problems = merged(tmp_path, files)
    [p] = [p for p in problems if p.code == "LB408"]
    assert p.path.endswith("b.yml") and "a.yml:3" in p.message
    assert rem(pb, "write-plan").effort == "L"


# ------------------------------------------------------------------ roles
def test_rename_role(tmp_path: Path) -> None:
    files = {"roles.yml": "rename:\n  executive-sponsor:\n    name: Business owner\n    titles: [COO]\n"}
    pb, problems = merged(tmp_path, files)
    assert problems == []
    role = next(r for r in pb.roles if r.id == "executive-sponsor")
    assert (role.name, role.titles) == ("Business owner", ("COO",))
    assert role.description == "Funds the project and owns the outcome."


def test_remap_moves_ownership_and_drops_the_old_role(tmp_path: Path) -> None:
    pb, problems = merged(tmp_path, {"roles.yml": "remap:\n  data-engineer: product-owner\n"})
    assert problems == []
    assert "data-engineer" not in {r.id for r in pb.roles}
    assert question(pb, "data-sample-seen").owner == "product-owner"
    r = rem(pb, "inventory-data")
    assert r.owner == "product-owner"
    assert r.involves == ()  # it was involved already: the owner is not also "involved"


def test_remap_reaches_the_overlays_own_items(tmp_path: Path) -> None:
    files = {
        "roles.yml": "remap:\n  data-engineer: product-owner\n",
        "failure-modes/acme-secrets.yml": fm_file("acme-secrets", owner="data-engineer"),
        "sources.yml": SOURCES,
    }
    pb, problems = merged(tmp_path, files)
    assert problems == []
    assert rem(pb, "scan-for-secrets").owner == "product-owner"


def test_unknown_role_in_rename_and_remap(tmp_path: Path) -> None:
    files = {
        "roles.yml": "rename:\n  executive-sponsr:\n    name: X\nremap:\n  data-engineer: product-ownr\n"
    }
    _, problems = merged(tmp_path, files)
    lb401 = sorted((p.line, p.hint) for p in problems if p.code == "LB401")
    assert lb401 == [(2, "did you mean 'executive-sponsor'?"), (5, "did you mean 'product-owner'?")]


# ------------------------------------------------------------------ extend
def test_extend_checklist_after_an_item(tmp_path: Path) -> None:
    files = {
        "extend.yml": """
            extend:
              - checklist: kickoff
                after: plan-written
                items:
                  - remediation: inventory-data
            """
    }
    pb, problems = merged(tmp_path, files)
    assert problems == []
    refs = [it.ref for it in checklist(pb, "kickoff").items]
    assert refs == ["plan-written", "inventory-data", "write-plan", "data-sample-seen"]


def test_extend_failure_mode_with_a_question(tmp_path: Path) -> None:
    files = {
        "extend.yml": """
            extend:
              - failure_mode: no-data
                questions:
                  - id: acme-data-contract
                    ask: Is there a data contract?
                    owner: data-engineer
                    phase: data
                    level: 1
                tags: [acme]
            """
    }
    pb, problems = merged(tmp_path, files)
    assert problems == []
    f = fm(pb, "no-data")
    assert [q.id for q in f.questions] == ["data-sample-seen", "acme-data-contract"]
    assert f.questions[1].failure_mode == "no-data"
    assert f.tags == ("acme",)


def test_extend_with_an_unknown_item_is_a_located_check_error(tmp_path: Path) -> None:
    files = {"extend.yml": "extend:\n  - checklist: kickoff\n    items:\n      - question: plan-writen\n"}
    _, problems = merged(tmp_path, files)
    [p] = [p for p in problems if p.code == "LB313"]
    assert (Path(p.path).name, p.line) == ("extend.yml", 4)


# ------------------------------------------------------------------ exclude
def test_exclude_with_reason(tmp_path: Path) -> None:
    files = {
        "exclude.yml": "exclude:\n  - question: data-sample-seen\n    reason: We ask it our own way.\n",
        "extend.yml": """
            extend:
              - failure_mode: no-data
                questions:
                  - id: acme-data-in-catalog
                    ask: Is the data in the catalog?
                    owner: data-engineer
                    phase: data
                    level: 0
            """,
    }
    pb, problems = merged(tmp_path, files)
    assert [q.id for q in fm(pb, "no-data").questions] == ["acme-data-in-catalog"]
    # it was on the kickoff checklist: dropped there too, quietly, and recorded for check --verbose
    assert [it.ref for it in checklist(pb, "kickoff").items] == ["plan-written", "write-plan"]
    assert problems == []
    assert pb.fork_changes is not None
    [link] = pb.fork_changes.dropped_links
    assert (link.kind, link.id, link.dependent) == ("question", "data-sample-seen", "checklist 'kickoff'")
    assert link.where.path.endswith("kickoff.yml")


def test_excluding_the_only_question_is_caught_by_the_checks(tmp_path: Path) -> None:
    files = {"exclude.yml": "exclude:\n  - question: data-sample-seen\n    reason: Not us.\n"}
    _, problems = merged(tmp_path, files)
    assert codes(problems) == ["LB311"]


def test_exclude_without_reason_is_refused(tmp_path: Path) -> None:
    files = {"exclude.yml": "exclude:\n  - failure_mode: no-data\n  - question: plan-written\n    reason:\n"}
    pb, problems = merged(tmp_path, files)
    lb405 = [p for p in problems if p.code == "LB405"]
    assert [(Path(p.path).name, p.line, p.level) for p in lb405] == [
        ("exclude.yml", 2, "error"),
        ("exclude.yml", 3, "error"),
    ]
    assert "no-data" in lb405[0].message
    assert {f.id for f in pb.failure_modes} == {"no-data", "no-plan"}  # nothing excluded
    assert main(["check", str(tmp_path / "fork")]) == 1


def test_excluding_a_required_remediation_names_its_dependents(tmp_path: Path) -> None:
    files = {
        "exclude.yml": "exclude:\n  - remediation: write-plan\n    reason: Plans are written by the PMO.\n"
    }
    pb, problems = merged(tmp_path, files)
    assert problems == []  # no warning per dropped link: excluding an item excludes the links to it
    assert pb.fork_changes is not None
    dependents = {d.dependent for d in pb.fork_changes.dropped_links}
    assert dependents == {
        "remediation 'inventory-data' (requires)",
        "remediation 'fund-deployment' (requires)",
        "checklist 'kickoff'",
    }
    assert rem(pb, "inventory-data").requires == ()
    assert rem(pb, "fund-deployment").requires == ()
    assert main(["check", "--strict", str(tmp_path / "fork")]) == 0


def test_excluding_a_related_failure_mode_and_its_category(tmp_path: Path) -> None:
    files = {"exclude.yml": "exclude:\n  - category: data\n    reason: Data is another team's job.\n"}
    pb, problems = merged(tmp_path, files)
    assert [f.id for f in pb.failure_modes] == ["no-plan"]
    assert [c.id for c in pb.manifest.categories] == ["organization"]
    assert fm(pb, "no-plan").related == ()
    assert pb.fork_changes is not None
    assert "failure mode 'no-plan' (related)" in {d.dependent for d in pb.fork_changes.dropped_links}
    excluded = {(e.kind, e.id, e.via) for e in pb.fork_changes.excluded}
    assert ("category", "data", "") in excluded and ("failure_mode", "no-data", "data") in excluded
    assert codes(problems, "error") == []


def test_excluding_a_role_that_still_owns_something(tmp_path: Path) -> None:
    files = {"exclude.yml": "exclude:\n  - role: data-engineer\n    reason: We have none.\n"}
    _, problems = merged(tmp_path, files)
    # one error for the role, listing what needs a new owner, and nothing else (no LB301 "unknown
    # role" in upstream files, no warning for each place the role is involved)
    [lb407] = problems
    assert (lb407.code, lb407.line) == ("LB407", 2)
    assert "question 'data-sample-seen'" in lb407.message and "remediation 'inventory-data'" in lb407.message
    assert "remap" in lb407.hint


def test_excluded_and_overridden_is_a_conflict(tmp_path: Path) -> None:
    files = {
        "exclude.yml": "exclude:\n  - remediation: write-plan\n    reason: No.\n",
        "overrides/a.yml": "overrides:\n  - remediation: write-plan\n    set: {effort: L}\n",
    }
    _, problems = merged(tmp_path, files)
    [p] = [p for p in problems if p.code == "LB408"]
    assert p.path.endswith("exclude.yml") and "a.yml:2" in p.message


# ------------------------------------------------------------------ ids
def test_typo_in_an_overlay_id_is_located_with_did_you_mean(tmp_path: Path) -> None:
    files = {"overrides/team.yml": "overrides:\n  - remediation: write-plna\n    set: {effort: L}\n"}
    _, problems = merged(tmp_path, files)
    [p] = problems
    assert (p.code, p.level, Path(p.path).name, p.line, p.column) == ("LB401", "error", "team.yml", 2, 18)
    assert "write-plna" in p.message
    assert p.hint == "did you mean 'write-plan'?"
    assert main(["check", str(tmp_path / "fork")]) == 1


def test_overlay_against_an_aliased_id_still_applies(tmp_path: Path) -> None:
    files = {
        "overrides/a.yml": "overrides:\n  - failure_mode: no-data\n    set: {title: Our data is missing}\n",
        "extend.yml": "extend:\n  - failure_mode: no-data\n    tags: [acme]\n",
    }
    pb, problems = merged(tmp_path, files, upstream=V2)
    f = fm(pb, "data-missing")
    assert f.title == "Our data is missing" and f.tags == ("acme",)
    notes = [p for p in problems if p.code == "LB402"]
    assert len(notes) == 2 and all(p.level == "warning" for p in notes)
    assert "'data-missing'" in notes[0].hint
    assert codes(problems, "error") == []


def test_excluding_by_an_aliased_id_prunes_related(tmp_path: Path) -> None:
    files = {"exclude.yml": "exclude:\n  - failure_mode: no-data\n    reason: Not us.\n"}
    pb, problems = merged(tmp_path, files, upstream=V2)
    assert "data-missing" not in {f.id for f in pb.failure_modes}
    assert fm(pb, "no-plan").related == ()
    assert codes(problems, "error") == []


def test_unknown_overlay_file_is_a_warning_with_did_you_mean(tmp_path: Path) -> None:
    _, problems = merged(tmp_path, {"override/a.yml": "overrides: []\n"})
    [p] = problems
    assert (p.code, p.level) == ("LB410", "warning")  # its own code: LB400 (fork-config) is an error
    assert p.hint == "did you mean 'overrides'?"


def test_unsafe_yaml_in_the_overlay_is_refused_like_playbooks(tmp_path: Path) -> None:
    files = {
        "exclude.yml": "exclude:\n  - question: plan-written\n    reason: &a no\n",
        "roles.yml": "remap:\n  data-engineer: product-owner\n  data-engineer: executive-sponsor\n",
    }
    pb, problems = merged(tmp_path, files)
    assert sorted((p.code, Path(p.path).name, p.line) for p in problems) == [
        ("LB101", "roles.yml", 3),
        ("LB110", "exclude.yml", 3),
    ]
    assert "plan-written" in {q.id for q in pb.questions()}  # a broken file is not applied at all
    assert "data-engineer" in {r.id for r in pb.roles}


def test_missing_upstream_is_located_in_fork_yml(tmp_path: Path) -> None:
    root = make_fork(tmp_path, {}, upstream=tmp_path / "nowhere")
    res = load_fork(root)
    assert res.playbook is None
    [p] = res.problems
    assert (p.code, Path(p.path).name, p.line) == ("LB400", "fork.yml", 2)


# ------------------------------------------------------------------ codes and cli
OVERLAY_CODES = [f"LB{n}" for n in range(400, 411)]


def test_overlay_codes_are_declared_once_in_the_registry() -> None:
    all_codes()  # imports every module that declares codes (LB409 is fork.diff's)
    declared = {c.code: c for c in registered()}
    assert sorted(c for c in declared if c.startswith("LB4")) == OVERLAY_CODES
    levels = {c: declared[c].level for c in OVERLAY_CODES}
    assert [c for c, level in levels.items() if level == "warning"] == ["LB402", "LB406", "LB410"]
    assert not any(declared[c].doc.startswith("(warning)") for c in OVERLAY_CODES)


@pytest.mark.parametrize("code", OVERLAY_CODES)
def test_every_overlay_code_is_explained(code: str) -> None:
    doc = explain(code)
    assert doc is not None and code in doc and "Fix" in doc and "Example::" in doc
    assert code in {c for c, *_ in all_codes()}


def test_explain_lb401(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "LB401"]) == 0
    assert "did you mean" in capsys.readouterr().out


def test_cli_commands_read_a_fork_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_fork(tmp_path, {"roles.yml": "rename:\n  product-owner:\n    name: Acme product lead\n"})
    monkeypatch.chdir(root)
    assert main(["check"]) == 0
    assert main(["plan"]) == 0
    assert "Acme product lead" in capsys.readouterr().out
    shutil.rmtree(root / "overlay")
    assert main(["check"]) == 1  # the overlay folder is gone: LB400
    assert "LB400" in capsys.readouterr().out


def test_sources_only_excluded_items_cited_go_with_them(tmp_path: Path) -> None:
    files = {"exclude.yml": "exclude:\n  - failure_mode: no-plan\n    reason: We always plan.\n"}
    pb, problems = merged(tmp_path, files)
    assert [s.id for s in pb.sources] == ["article-one"]  # survey-one was quoted only via no-plan's statistic
    assert pb.statistics == ()
    # no LB306/LB307 orphan warnings for them; the role that owned only no-plan's fix is reported (LB305)
    assert set(codes(problems)) == {"LB305"}
