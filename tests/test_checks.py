"""Every registered check fires on a corrupted copy of the minimal fixture and stays quiet
on the bundled playbooks; every code can be explained and listed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from launchbook.checks import CHECKS, run_checks
from launchbook.cli import main
from launchbook.codes import lookup, registered
from launchbook.commands.explain import all_codes
from launchbook.errors import Loc
from launchbook.locate import bundled_playbooks
from launchbook.model import Playbook, load_playbook

from .support import MINIMAL

FM = "failure-modes/no-data.yml"
FM2 = "failure-modes/no-plan.yml"
CL = "checklists/kickoff.yml"


@dataclass(frozen=True)
class Fire:
    id: str
    code: str
    edits: tuple[tuple[str, str, str], ...]  # (file, old, new)
    where: tuple[tuple[str, int], ...]  # (file name, line) the check must point at
    says: str = ""


def one(file: str, old: str, new: str) -> tuple[tuple[str, str, str], ...]:
    return ((file, old, new),)


ROLE_EXTRA = "  - id: legal-counsel\n    name: Legal counsel\n    description: Reviews contracts.\n"
SOURCE_EXTRA = (
    "  - id: old-survey\n    kind: survey\n    title: An old survey\n    author: Someone\n"
    '    date: "2010"\nstatistics:'
)
STAT_EXTRA = (
    '  - id: unused-stat\n    value: "5%"\n    number: 5\n    unit: percent\n'
    "    measures: Something\n    source: survey-one\n"
)

NO_DATA_REMEDIATIONS = (
    "remediations:\n  - id: inventory-data\n    title: Inventory the data\n"
    "    do: List each source, its owner and how to get access.\n    owner: data-engineer\n"
    "    involves: [product-owner]\n    phase: data\n    effort: M\n    requires: [write-plan]\n"
)
NO_PLAN_QUESTIONS = (
    "questions:\n  - id: plan-written\n    ask: Is there a written path to production?\n"
    "    owner: product-owner\n    phase: frame\n    level: 1\n"
)

# fmt: off
FIRES = [
    Fire("dangling-category", "LB301", one(FM, "category: data", "category: dta"), (("no-data.yml", 3),), "did you mean 'data'?"),
    Fire("dangling-phase", "LB301", one(FM, "phases: [data]", "phases: [dta]"), (("no-data.yml", 4),), "unknown phase 'dta'"),
    Fire("dangling-role", "LB301", one(FM, "owner: data-engineer\n    phase: data\n    level", "owner: data-enginer\n    phase: data\n    level"), (("no-data.yml", 13),), "did you mean 'data-engineer'?"),
    Fire("dangling-involves", "LB301", one(FM, "involves: [product-owner]", "involves: [product-owners]"), (("no-data.yml", 21),)),
    Fire("dangling-requires", "LB301", one(FM, "requires: [write-plan]", "requires: [write-plans]"), (("no-data.yml", 24),), "unknown remediation"),
    Fire("dangling-related", "LB301", one(FM2, "  - id: no-data\n    relation", "  - id: no-date\n    relation"), (("no-plan.yml", 33),), "unknown failure mode"),
    Fire("dangling-source", "LB301", one(FM, "  - id: article-one\n    note: Mentions", "  - id: article-two\n    note: Mentions"), (("no-data.yml", 26),), "unknown source"),
    Fire("dangling-statistic", "LB301", one(FM2, "statistics: [survey-one-deployed]", "statistics: [survey-one-deploy]"), (("no-plan.yml", 38),), "unknown statistic"),
    Fire("dangling-attendee", "LB301", one(CL, "attendees: [executive-sponsor, product-owner]", "attendees: [executive-sponsor, product-owner, cto]"), (("kickoff.yml", 5),)),
    Fire("dangling-stat-source", "LB301", one("sources.yml", "source: survey-one", "source: survey-two"), (("sources.yml", 22),)),
    Fire("duplicate-question", "LB302", one(FM, "id: data-sample-seen", "id: plan-written"), (("no-plan.yml", 12),), "first defined at"),
    Fire("duplicate-role", "LB302", one("roles.yml", "  - id: data-engineer\n", "  - id: product-owner\n"), (("roles.yml", 10),)),
    Fire("requires-cycle", "LB303", one(FM2, "    effort: M\n", "    effort: M\n    requires: [fund-deployment]\n"), (("no-plan.yml", 25), ("no-plan.yml", 32)), "cycle:"),
    Fire("requires-later-phase", "LB304", one(FM2, "requires: [write-plan]", "requires: [write-plan, inventory-data]"), (("no-plan.yml", 31),), "scheduled later (data)"),
    Fire("orphan-role", "LB305", one("roles.yml", "  - id: data-engineer\n", ROLE_EXTRA + "  - id: data-engineer\n"), (("roles.yml", 10),), "'legal-counsel' owns nothing"),
    Fire("orphan-source", "LB306", one("sources.yml", "statistics:", SOURCE_EXTRA), (("sources.yml", 15),), "'old-survey' is not cited"),
    Fire("orphan-statistic", "LB307", one("sources.yml", "statistics:\n", "statistics:\n" + STAT_EXTRA), (("sources.yml", 16),), "'unused-stat' is not cited"),
    Fire("orphan-question", "LB308", one(FM, "    phase: data\n    level: 0", "    phase: frame\n    level: 0"), (("no-data.yml", 14),), "not one of no-data's phases"),
    Fire("no-remediation", "LB309", one(FM, NO_DATA_REMEDIATIONS, "remediations: []\n"), (("no-data.yml", 16),), "has no remediation"),
    Fire("no-source", "LB310", one(FM, "sources:\n  - id: article-one\n    note: Mentions data that was assumed to exist.\n", "sources: []\n"), (("no-data.yml", 25),), "cites no source"),
    Fire("no-key-question", "LB311", one(FM, "key_question: Can we see the data today?", 'key_question: ""'), (("no-data.yml", 9),), "has no key question"),
    Fire("no-questions", "LB311", one(FM2, NO_PLAN_QUESTIONS, "questions: []\n"), (("no-plan.yml", 11),), "has no questions"),
    Fire("owner-not-single", "LB312", one(FM2, "involves: [executive-sponsor]", "involves: [executive-sponsor, product-owner]"), (("no-plan.yml", 22),), "both owner and involved"),
    Fire("missing-checklist-item", "LB313", one(CL, "question: plan-written", "question: plan-writen"), (("kickoff.yml", 8),), "did you mean 'plan-written'?"),
    Fire("checklist-item-twice", "LB313", one(CL, "  - question: data-sample-seen", "  - question: data-sample-seen\n  - question: plan-written"), (("kickoff.yml", 11),), "twice"),
    Fire("alias-is-id", "LB314", one(FM, "title: The data", "aliases: [no-plan]\ntitle: The data"), (("no-data.yml", 2),), "is also a failure mode id"),
    Fire("uncited-figure", "LB315", one(FM, "summary: The data everyone", "summary: In 20 percent of projects the data everyone"), (("no-data.yml", 5),), "'20 percent'"),
    Fire("related-to-itself", "LB316", one(FM2, "  - id: no-data\n    relation", "  - id: no-plan\n    relation"), (("no-plan.yml", 33),), "related to itself"),
    Fire("requires-itself", "LB316", one(FM2, "requires: [write-plan]", "requires: [fund-deployment]"), (("no-plan.yml", 31),), "requires itself"),
    Fire("unknown-level", "LB317", one(FM, "level: 0", "level: 7"), (("no-data.yml", 15),), "use one of: 0, 1"),
    Fire(
        "unknown-crosswalk",
        "LB318",
        one(FM, "    level: 0\n", "    level: 0\n    maps_to:\n      nist-ai-rmf: [MEASURE 2.1.1]\n"),
        (("no-data.yml", 17),),
        "did you mean 'MEASURE 2.11'?",
    ),
    Fire("unbacked-year", "LB319", one("sources.yml", 'date: "2019"', 'date: "n.d."'), (("sources.yml", 21),), "'survey-one' is undated (n.d.)"),
    Fire("unbacked-year-other", "LB319", one("sources.yml", "year: 2019", "year: 2017"), (("sources.yml", 21),), "gives year 2017, but its source 'survey-one' is dated 2019"),
    Fire("unknown-role-reference", "LB320", one(FM, "summary: The data everyone", "summary: Ask @role(data-enginer). The data everyone"), (("no-data.yml", 5),), "did you mean 'data-engineer'?"),
    Fire("unknown-role-reference-checklist", "LB320", one(CL, "meeting: First meeting", "meeting: First meeting with @role(cto)"), (("kickoff.yml", 3),), "unknown role 'cto'"),
    Fire("dangling-answers", "LB325", one(FM, "    requires: [write-plan]\n", "    requires: [write-plan]\n    answers: [data-sample-sen]\n"), (("no-data.yml", 25),), "did you mean 'data-sample-seen'?"),
    Fire("question-without-remediation", "LB326", one(FM, "    requires: [write-plan]\n", "    requires: [write-plan]\n    answers: [data-sample-seen]\n"), (("no-plan.yml", 12),), "no remediation answers question 'plan-written'"),
]
# fmt: on


def _apply(folder: Path, edits: tuple[tuple[str, str, str], ...]) -> None:
    for file, old, new in edits:
        path = folder / file
        text = path.read_text()
        assert old in text, f"fixture changed: {old!r} not in {file}"
        path.write_text(text.replace(old, new, 1))


def test_every_check_has_a_firing_case() -> None:
    assert {f.code for f in FIRES} == set(CHECKS)
    assert len({f.id for f in FIRES}) == len(FIRES)


@pytest.mark.parametrize("fire", FIRES, ids=[f.id for f in FIRES])
def test_check_fires(fire: Fire, minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _apply(minimal, fire.edits)
    assert fire.where, "a firing case must say where the problem is"

    code = main(["check", str(minimal), "--strict"])
    out, err = capsys.readouterr()
    assert code == 1, out
    assert "Traceback" not in out + err
    assert " LB2" not in out and " LB1" not in out, "the corruption must load; it is for the graph checks"
    for name, line in fire.where:
        pattern = rf"{re.escape(name)}:{line}:\d+: {fire.code} "
        assert re.search(pattern, out), f"expected {pattern!r} in:\n{out}"
    if fire.says:
        assert fire.says in out

    # the same finding comes from the registered check itself, at its registered level
    res = load_playbook(minimal)
    assert res.playbook is not None
    found = run_checks(res.playbook, select=[fire.code])
    assert found
    assert {p.code for p in found} == {fire.code}
    assert {p.level for p in found} == {CHECKS[fire.code].level}
    # selecting by name selects the same check
    assert run_checks(res.playbook, select=[CHECKS[fire.code].name]) == found


def test_warnings_do_not_fail_without_strict(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _apply(minimal, one("roles.yml", "  - id: data-engineer\n", ROLE_EXTRA + "  - id: data-engineer\n"))
    assert main(["check", str(minimal)]) == 0
    assert "LB305" in capsys.readouterr().out


def test_cycle_reports_every_edge_with_the_cycle(minimal: Path) -> None:
    path = minimal / FM
    text = path.read_text().replace("requires: [write-plan]", "requires: [write-plan, fund-deployment]")
    path.write_text(text)
    path2 = minimal / FM2
    path2.write_text(path2.read_text().replace("requires: [write-plan]", "requires: [inventory-data]"))
    res = load_playbook(minimal)
    assert res.playbook is not None
    found = run_checks(res.playbook, select=["LB303"])
    # inventory-data -> fund-deployment -> inventory-data
    assert len(found) == 2
    assert {(Path(p.path).name, p.line) for p in found} == {("no-data.yml", 24), ("no-plan.yml", 31)}


def test_minimal_fixture_is_clean_for_every_check() -> None:
    res = load_playbook(MINIMAL)
    assert res.playbook is not None and res.problems == ()
    assert run_checks(res.playbook) == []


# ------------------------------------------------------------------ quiet on the bundled playbooks
@pytest.fixture(scope="module")
def bundled() -> Playbook:
    res = load_playbook(bundled_playbooks())
    assert res.playbook is not None, "bundled playbooks do not load: " + "; ".join(
        f"{p.location()} {p.code} {p.message}" for p in res.problems[:10]
    )
    return res.playbook


@pytest.mark.parametrize("code", sorted(CHECKS))
def test_check_is_quiet_on_bundled_playbooks(code: str, bundled: Playbook) -> None:
    found = run_checks(bundled, select=[code])
    assert found == [], "\n".join(f"{p.location()}: {p.code} {p.message}" for p in found)


def test_bundled_playbooks_load_without_problems() -> None:
    res = load_playbook(bundled_playbooks())
    assert res.problems == (), "\n".join(f"{p.location()}: {p.code} {p.message}" for p in res.problems)


# ------------------------------------------------------------------ explain and list
ALL = all_codes()


@pytest.mark.parametrize("code", [c for c, *_ in ALL])
def test_explain_every_code(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", code]) == 0
    out = capsys.readouterr().out
    assert out.startswith(code + " ")
    assert len(out.strip().splitlines()) >= 3  # code line, blank, documentation
    assert main(["explain", code.lower()]) == 0
    assert capsys.readouterr().out == out


@pytest.mark.parametrize("code", sorted(CHECKS))
def test_explain_check_by_name_shows_its_docstring(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    chk = CHECKS[code]
    assert main(["explain", chk.name]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{code} {chk.name} ({chk.level})")
    assert chk.doc in out
    assert "Example" in chk.doc and "Fix" in chk.doc, f"{code}'s docstring needs an example and a fix"


def test_every_code_launchbook_emits_is_registered_and_documented() -> None:
    """A code a user sees anywhere (check, fork, assess, import, checklist) is in the one registry,
    so 'explain' knows it; every registered code has a documentation with an example and a fix."""
    src = Path(__file__).resolve().parents[1] / "src" / "launchbook"
    mentioned = {m for f in src.rglob("*.py") for m in re.findall(r"\bLB\d{3}\b", f.read_text())}
    assert len(mentioned) > 60
    known = {c for c, *_ in ALL}
    assert sorted(mentioned - known) == []
    for code in registered():
        assert code.summary and not code.summary.startswith("(warning)"), code.code
        assert "Example" in code.doc and "Fix" in code.doc, f"{code.code}'s doc needs an example and a fix"


def test_loader_problems_carry_their_declared_level() -> None:
    """The loader emits through the registry: an undeclared code cannot be emitted at all."""
    from launchbook.loader import _Reader

    reader = _Reader("x.yml")
    reader.add("LB203", (2, 3), "bad", "fix")
    bad_id = lookup("LB203")
    assert bad_id is not None and reader.problems[0] == bad_id.at(Loc("x.yml", 2, 3), "bad", "fix")
    with pytest.raises(KeyError):
        reader.add("LB299", (1, 1), "not declared")


def test_each_check_declares_its_code_in_the_registry() -> None:
    """@check declares the code once in launchbook.codes: same name, level and documentation."""
    from launchbook.codes import lookup

    for code, chk in CHECKS.items():
        declared = lookup(code)
        assert declared is not None, code
        assert (declared.name, declared.level, declared.doc) == (chk.name, chk.level, chk.doc)
        assert lookup(chk.name) == declared


def test_warning_codes_are_listed_as_warnings() -> None:
    levels = {c: level for c, _, level, _ in ALL}
    assert levels["LB402"] == levels["LB701"] == levels["LB702"] == "warning"
    assert levels["LB601"] == levels["LB401"] == "error"


def test_explain_unknown_code_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "LB399"]) == 2
    assert "unknown code 'LB399'" in capsys.readouterr().err
    assert main(["explain", "requires-cylce"]) == 2
    assert "did you mean 'requires-cycle'?" in capsys.readouterr().err


def test_all_codes_cover_checks_and_loader() -> None:
    codes = [c for c, *_ in ALL]
    assert len(codes) == len(set(codes))
    assert set(CHECKS) <= set(codes)
    assert {"LB100", "LB101", "LB110", "LB113", "LB200", "LB203"} <= set(codes)
    assert all(re.fullmatch(r"LB\d{3}", c) for c in codes)


def test_list_checks_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--list-checks"]) == 0
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert listed == [c for c, *_ in ALL]
    for code, name, level, _summary in ALL:
        assert re.search(rf"^{code}\s+{re.escape(name)}\s+{level}\b", out, re.M)


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Only 13% reach production; 87 percent do not.", ["13%", "87%"]),
        ("A 2.5 % drop.", ["2.5%"]),
        ("See https://doi.org/10.1177%2F0002764219859633 and v1.5%.", []),
        ("Path a/40% and id x85% are not figures.", []),
    ],
)
def test_figures_are_percentages_not_url_escapes(text: str, figures: list[str]) -> None:
    from launchbook.checks import FIGURE_RE

    assert [f"{m.group(1)}%" for m in FIGURE_RE.finditer(text)] == figures


def test_a_year_note_backs_a_year_the_source_date_does_not_show(minimal: Path) -> None:
    _apply(minimal, one("sources.yml", 'date: "2019"', 'date: "n.d."'))
    res = load_playbook(minimal)
    assert res.playbook is not None
    assert [p.code for p in run_checks(res.playbook, select=["LB319"])] == ["LB319"]
    _apply(
        minimal,
        one(
            "sources.yml",
            "    year: 2019\n",
            '    year: 2019\n    year_note: The citing article says "in 2019".\n',
        ),
    )
    res = load_playbook(minimal)
    assert res.playbook is not None and not res.problems
    assert run_checks(res.playbook, select=["LB319"]) == []
    # no year at all is never a finding: the site says "year not stated"
    _apply(minimal, one("sources.yml", "    year: 2019\n", ""))
    res = load_playbook(minimal)
    assert res.playbook is not None and not res.problems
    assert res.playbook.statistics[0].year is None
    assert run_checks(res.playbook, select=["LB319"]) == []
