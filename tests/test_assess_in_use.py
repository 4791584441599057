"""Issue 17, the command line and the scoring: half-filled files score, files survive upstream
updates, "do next" follows the questions remediations answer, honest compare wording, trends,
portfolios, ``--playbooks``, a template to share out, and one date's partial files merged."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from launchbook.assess import build_report, page_data, read_answers, write_answers
from launchbook.assess.page import do_next_plain
from launchbook.assess.report import shift
from launchbook.cli import main
from launchbook.model import Playbook, load_playbook, with_role_names

from .support import MINIMAL, ROOT

PLAYBOOKS = ROOT / "playbooks"


def load(root: Path) -> Playbook:
    pb = load_playbook(root).playbook
    assert pb is not None, load_playbook(root).problems
    return pb


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def entries(answers: dict[str, str]) -> str:
    """Answers entries (an n/a with a note, as it needs)."""
    return "".join(
        f"  - id: {i}\n    answer: {a}\n" + ("    note: does not apply\n" if a == "n/a" else "")
        for i, a in answers.items()
    )


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    root = tmp_path / "playbooks"
    shutil.copytree(MINIMAL, root)
    return root


# ------------------------------------------------------------------ 1. unanswered counts as no
def test_a_fresh_template_scores_with_no_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Reproduction: a fresh template gave 125 LB201 errors; now it scores, every question unanswered."""
    t = tmp_path / "t.yml"
    assert run(["assess", "--template", "-o", str(t)], capsys)[0] == 0
    code, out, err = run(["assess", str(t), "--format", "json"], capsys)
    assert code == 0 and err == ""
    report = json.loads(out)
    n = len(list(load(PLAYBOOKS).questions()))
    assert report["overall"]["counts"]["unanswered"] == n and report["overall"]["score"] == 0
    assert sum(c["counts"]["unanswered"] for c in report["categories"]) == n
    assert all(q["answer"] == "unanswered" for q in report["overall"]["held_back_by"])


def test_blank_answers_are_counted_per_section(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = write(
        tmp_path / "a.yml",
        "answers:\n  - id: plan-written\n    answer: yes\n  - id: data-sample-seen\n    answer:\n",
    )
    code, out, err = run(["assess", str(p), "--playbooks", str(minimal)], capsys)
    assert code == 0 and err == ""
    assert "1 unanswered" in out.splitlines()[0]
    assert re.search(r"^  Data +0 +0% +0 +0 +0 +0 +1$", out, re.M), out
    # malformed values stay errors
    write(p, "answers:\n  - id: plan-written\n    answer: maybe\n")
    code, _, err = run(["assess", str(p), str(minimal)], capsys)
    assert code == 1 and "LB206 'maybe' is not allowed for 'answer'" in err


def test_messages_read_as_english(minimal: Path, tmp_path: Path) -> None:
    pb = load(minimal)
    ans, problems = read_answers(
        write(tmp_path / "a.yml", "answers:\n" + entries({"plan-written": "yes"})), pb
    )
    assert ans is not None
    assert [p.message for p in problems] == [
        "1 question in scope has no entry in this file and counts as unanswered (no): data-sample-seen"
    ]
    ans, problems = read_answers(write(tmp_path / "a.yml", "answers: []\n"), pb)
    assert ans is not None and problems[0].message.startswith(
        "2 questions in scope have no entry in this file and count "
    )
    assert "(s)" not in problems[0].message and "a answer" not in problems[0].hint


# ------------------------------------------------------------------ 2. files survive upstream updates
def upstream_update(minimal: Path) -> None:
    """The playbooks after an update: a question added, 'plan-written' renamed (alias kept)."""
    fm = minimal / "failure-modes" / "no-plan.yml"
    text = fm.read_text(encoding="utf-8").replace(
        "  - id: plan-written\n",
        "  - id: plan-documented\n    aliases: [plan-written]\n",
    )
    text = text.replace(
        "remediations:\n",
        "  - id: budget-approved\n    ask: Is the budget for deployment approved?\n    owner: executive-sponsor\n"
        "    phase: frame\n    level: 1\nremediations:\n",
        1,
    )
    fm.write_text(text, encoding="utf-8")
    kickoff = minimal / "checklists" / "kickoff.yml"
    kickoff.write_text(
        kickoff.read_text(encoding="utf-8").replace("plan-written", "plan-documented"), encoding="utf-8"
    )


OLD_FILE = 'playbook: "Minimal playbooks 1.0.0"\ndate: 2024-01-15\nanswers:\n' + entries(
    {"plan-written": "no", "data-sample-seen": "partial", "dropped-question": "yes"}
)


def test_an_old_file_scores_after_an_upstream_update(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream_update(minimal)
    old = write(tmp_path / "old.yml", OLD_FILE)
    code, out, err = run(["assess", str(old), "--playbooks", str(minimal), "--format", "json"], capsys)
    assert code == 0, err
    assert "LB607" in err and "'plan-written' is now 'plan-documented'" in err
    assert re.search(
        r"old\.yml:\d+:\d+: LB602 question 'dropped-question' is not in these playbooks.*\[note\]", err
    )
    assert re.search(
        r"old\.yml:\d+:\d+: LB606 1 question in scope has no entry .*: budget-approved \[warning\]", err
    )
    report = json.loads(out)
    assert report["answers"]["missing"] == ["budget-approved"]
    assert report["answers"]["not_in_playbooks"] == ["dropped-question"]
    text = run(["assess", str(old), str(minimal)], capsys)[1]
    assert "Note: 1 question in scope has no entry in the file" in text
    assert "Not scored, no longer in these playbooks: dropped-question" in text


def test_compare_works_across_versions(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reproduction: 'assess new.yml --compare old.yml' exited 1 once upstream added a question."""
    upstream_update(minimal)
    old = write(tmp_path / "old.yml", OLD_FILE)
    new = write(
        tmp_path / "new.yml",
        "date: 2024-06-30\nanswers:\n"
        + entries({"plan-documented": "yes", "data-sample-seen": "yes", "budget-approved": "no"}),
    )
    code, out, err = run(
        ["assess", str(new), str(minimal), "--compare", str(old), "--format", "json"], capsys
    )
    assert code == 0, err
    c = json.loads(out)["compare"]
    assert c["new_questions"] == ["budget-approved"] and c["gone_questions"] == ["dropped-question"]
    assert sorted(i["id"] for i in c["improved"]) == ["data-sample-seen", "plan-documented"]
    assert c["regressed"] == []  # a new question is new, not a regression from "unanswered"
    text = run(["assess", str(new), str(minimal), "--compare", str(old)], capsys)[1]
    assert "New questions since the older file (unanswered there): budget-approved" in text
    assert "Gone from the playbooks (answered in the older file): dropped-question" in text


def test_the_0_1_0_format_stays_readable(tmp_path: Path) -> None:
    pb = load(PLAYBOOKS)
    ids = [q.id for q in pb.questions()]
    flat = 'playbook: "launchbook 0.1.0"\ndate: 2024-03-31\nanswers:\n'
    flat += "".join(f"  # {i}?\n  - id: {i}\n    answer: yes\n    note:\n" for i in ids)
    ans, problems = read_answers(write(tmp_path / "a.yml", flat), pb)
    assert ans is not None and problems == [] and ans.as_map() == dict.fromkeys(ids, "yes")


# ------------------------------------------------------------------ 4. honest compare wording
@pytest.mark.parametrize(
    ("level", "score", "verdict"),
    [
        (
            (0, 1),
            (0.64, 0.50),
            "mixed",
        ),  # the issue's "improved Data readiness: level 0 -> 1, score 64% -> 50%"
        ((1, 0), (0.4, 0.6), "mixed"),
        ((0, 1), (0.4, 0.6), "improved"),
        ((1, 0), (0.6, 0.4), "regressed"),
        ((1, 1), (0.6, 0.6), "same"),
        ((1, 1), (0.5, 0.6), "mixed"),
        ((None, 1), (None, 0.6), "changed"),
    ],
)
def test_compare_verdicts(
    level: tuple[int | None, int | None], score: tuple[float | None, float | None], verdict: str
) -> None:
    assert shift(level, score).change == verdict


def test_compare_prints_both_figures(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(
        tmp_path / "old.yml", "answers:\n" + entries({"plan-written": "no", "data-sample-seen": "partial"})
    )
    new = write(
        tmp_path / "new.yml", "answers:\n" + entries({"plan-written": "yes", "data-sample-seen": "no"})
    )
    out = run(["assess", str(new), str(minimal), "--compare", str(old)], capsys)[1]
    assert "  mixed     Data: level 0 -> 0, score 50% -> 0%" in out
    assert "improved  Organization: level 0 -> 1, score 0% -> 100%" in out


# ------------------------------------------------------------------ 5. trends
def quarter(tmp_path: Path, name: str, date: str, answers: dict[str, str]) -> Path:
    return write(tmp_path / name, f"date: {date}\nanswers:\n" + entries(answers))


@pytest.fixture
def quarters(tmp_path: Path) -> list[Path]:
    return [
        quarter(tmp_path, "q3.yml", "2024-09-30", {"plan-written": "yes", "data-sample-seen": "yes"}),
        quarter(tmp_path, "q1.yml", "2024-03-31", {"plan-written": "no", "data-sample-seen": "no"}),
        quarter(tmp_path, "q2.yml", "2024-06-30", {"plan-written": "yes", "data-sample-seen": "partial"}),
    ]


def test_a_trend_orders_files_by_date(
    minimal: Path, quarters: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["assess", *map(str, quarters), "--playbooks", str(minimal)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[2].split() == ["2024-03-31", "2024-06-30", "2024-09-30"]
    assert lines[3].split() == ["Overall", "0", "·", "0%", "0", "·", "75%", "1", "·", "100%"]
    data = json.loads(run(["assess", *map(str, quarters), str(minimal), "--format", "json"], capsys)[1])
    assert data["dates"] == ["2024-03-31", "2024-06-30", "2024-09-30"]
    assert [p["level"] for p in data["overall"]["points"]] == [0, 0, 1]
    assert [c["id"] for c in data["categories"]] == ["organization", "data"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_trend_has_an_accessible_svg_chart_and_a_table(
    minimal: Path, quarters: list[Path], fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["assess", *map(str, quarters), str(minimal), "--format", fmt], capsys)
    assert code == 0
    assert out.count("<svg ") == 2 and 'role="img"' in out
    assert re.search(r'aria-labelledby="(\S+)-title \1-desc"', out)
    assert (
        "<title id=" in out
        and "<desc id=" in out
        and "Overall: 2024-03-31 0%, 2024-06-30 75%, 2024-09-30 100%" in out
    )
    assert "<script" not in out and "style=" not in out and "javascript:" not in out
    assert "2024-06-30" in out and (
        "<table" in out if fmt == "html" else "| Overall | 0 · 0% | 0 · 75% | 1 · 100% |" in out
    )


def test_a_trend_needs_full_dates(minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = quarter(tmp_path, "a.yml", "2024-03", {"plan-written": "no", "data-sample-seen": "no"})
    b = quarter(tmp_path, "b.yml", "2024-06-30", {"plan-written": "no", "data-sample-seen": "no"})
    code, _, err = run(["assess", str(a), str(b), str(minimal)], capsys)
    assert code == 2 and "a.yml: a trend orders files by their 'date:'" in err and "YYYY-MM-DD" in err


# ------------------------------------------------------------------ 6. portfolio
@pytest.fixture
def projects(tmp_path: Path) -> Path:
    d = tmp_path / "projects"
    d.mkdir()
    quarter(d, "payments.yml", "2024-06-30", {"plan-written": "yes", "data-sample-seen": "yes"})
    quarter(d, "churn.yml", "2024-06-30", {"plan-written": "no", "data-sample-seen": "yes"})
    quarter(d, "search.yml", "2024-06-30", {"plan-written": "no", "data-sample-seen": "no"})
    (d / "README.txt").write_text("not an answers file")
    return d


def test_a_portfolio_in_every_format(
    minimal: Path, projects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        ["assess", "--portfolio", str(projects), "--playbooks", str(minimal), "--format", "json"], capsys
    )
    assert code == 0, err
    data = json.loads(out)
    assert [p["name"] for p in data["projects"]] == ["churn", "payments", "search"]
    assert [p["overall"]["level"] for p in data["projects"]] == [0, 1, 0]
    org = next(c for c in data["categories"] if c["id"] == "organization")
    assert [p["level"] for p in org["points"]] == [0, 1, 0]
    assert data["weakest"][0]["mean_score"] <= data["weakest"][-1]["mean_score"]
    lifts = {m["id"]: m["projects"] for m in data["lifts"]}
    assert lifts["write-plan"] == ["churn", "search"]
    html = run(["assess", "--portfolio", str(projects), str(minimal), "--format", "html"], capsys)[1]
    assert '<table class="lb-heatmap">' in html and 'class="lb-level-1"' in html
    assert "style=" not in html and "<script" not in html
    text = run(["assess", "--portfolio", str(projects), str(minimal)], capsys)[1]
    assert re.search(r"^payments +1 · 100% +1 +0$", text, re.M), text
    assert "Write the deployment plan — Product owner  (write-plan): 2 of 3: churn, search" in text
    md = run(["assess", "--portfolio", str(projects), str(minimal), "--format", "md"], capsys)[1]
    assert "| payments | 1 · 100% | 1 | 0 |" in md


def test_portfolio_usage(
    minimal: Path, projects: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["assess", "--portfolio", str(tmp_path / "nope"), str(minimal)], capsys)[0] == 2
    stray = write(tmp_path / "x.yml", "answers:\n" + entries({"plan-written": "no"}))
    assert run(["assess", str(stray), "--portfolio", str(projects), str(minimal)], capsys)[0] == 2


# ------------------------------------------------------------------ 7. --playbooks
def test_playbooks_by_flag_or_positional_folder(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = write(tmp_path / "a.yml", "answers:\n" + entries({"plan-written": "yes", "data-sample-seen": "no"}))
    by_flag = run(["assess", str(p), "--playbooks", str(minimal)], capsys)
    by_folder = run(["assess", str(p), str(minimal)], capsys)  # as before --playbooks
    assert by_flag[0] == by_folder[0] == 0 and by_flag[1] == by_folder[1]
    code, _, err = run(["assess", str(p), str(minimal), "--playbooks", str(minimal)], capsys)
    assert code == 2 and "--playbooks" in err
    code, _, err = run(["assess", str(tmp_path / "missing.yml"), str(minimal)], capsys)
    assert code == 2 and "no such file" in err


# ------------------------------------------------------------------ 8. the template to share out
def test_the_template_is_grouped_with_owner_and_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pb = with_role_names(load(PLAYBOOKS))  # the template names roles, as every output does
    text = run(["assess", "--template"], capsys)[1]
    assert "\ndate:\n" in text
    ids = re.findall(r"^  - id: (\S+)$", text, re.M)
    assert sorted(ids) == sorted(q.id for q in pb.questions()) and len(ids) == len(set(ids))
    assert text.count("\n    answer:\n") == text.count("\n    note:\n") == len(ids)
    roles = {r.id: r.name for r in pb.roles}
    for q in pb.questions():
        assert f"  # {' '.join(q.ask.split())} (level {q.level}, {roles[q.owner]})\n  - id: {q.id}\n" in text
    headings = re.findall(r"^  # ==== (.+) ====$", text, re.M)
    assert headings == [c.title for c in pb.manifest.categories]
    assert "  # ---- phase: " in text


def test_role_by_id_or_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    by_name = run(["assess", "--template", "--role", "product OWNER"], capsys)
    by_id = run(["assess", "--template", "--role", "product-owner"], capsys)
    assert by_name[0] == by_id[0] == 0 and by_name[1] == by_id[1] and "role: product-owner\n" in by_id[1]
    code, _, err = run(["assess", "--template", "--role", "chief"], capsys)
    assert (
        code == 2
        and "product-owner (Product owner)" in err
        and "executive-sponsor (Executive sponsor)" in err
    )


def test_partial_files_of_one_date_are_merged(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = write(
        tmp_path / "po.yml",
        "role: product-owner\ndate: 2024-05-01\nanswers:\n" + entries({"plan-written": "yes"}),
    )
    de = write(
        tmp_path / "de.yml",
        "role: data-engineer\ndate: 2024-05-01\nanswers:\n" + entries({"data-sample-seen": "no"}),
    )
    full = write(
        tmp_path / "full.yml",
        "date: 2024-05-01\nanswers:\n" + entries({"plan-written": "yes", "data-sample-seen": "no"}),
    )
    merged = run(["assess", str(po), str(de), str(minimal), "--format", "json"], capsys)
    one = run(["assess", str(full), str(minimal), "--format", "json"], capsys)
    assert merged[0] == one[0] == 0 and merged[2] == ""
    m, o = json.loads(merged[1]), json.loads(one[1])
    assert m["overall"] == o["overall"] and m["remediations"] == o["remediations"]
    assert m["answers"]["path"] == f"{po} + {de}" and m["answers"]["questions"] == 2


def test_merged_files_that_disagree_are_located(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(
        tmp_path / "a.yml",
        "date: 2024-05-01\nanswers:\n" + entries({"plan-written": "yes", "data-sample-seen": "no"}),
    )
    b = write(
        tmp_path / "b.yml",
        "date: 2024-05-01\nanswers:\n" + entries({"plan-written": "no", "data-sample-seen": "no"}),
    )
    code, out, err = run(["assess", str(a), str(b), str(minimal)], capsys)
    assert code == 1 and out == ""
    assert f"{b}:3:9: LB608 question 'plan-written' is answered 'no' here and 'yes' in {a}:3:9" in err
    # a blank answer in one file is no answer: no conflict
    write(
        b,
        "date: 2024-05-01\nanswers:\n  - id: plan-written\n    answer:\n"
        + entries({"data-sample-seen": "no"}),
    )
    assert run(["assess", str(a), str(b), str(minimal)], capsys)[0] == 0


# ------------------------------------------------------------------ 3. do next follows the questions answered
SPONSOR = """\
id: no-sponsor
title: Nobody senior backs the project
category: organization
phases: [frame]
summary: No sponsor.
signs:
  - Nobody decides.
impact: It stalls.
key_question: Who backs it?
questions:
  - id: sponsor-named
    ask: Is a sponsor named?
    owner: product-owner
    phase: frame
    level: 0
  - id: objectives-tied
    ask: Is the project tied to the sponsor's objectives?
    owner: product-owner
    phase: frame
    level: 1
  - id: checkpoints-held
    ask: Are sponsor checkpoints held?
    owner: executive-sponsor
    phase: frame
    level: 1
remediations:
  - id: recruit-sponsor
    title: Recruit a sponsor
    do: Find one.
    owner: product-owner
    phase: frame
    effort: S
    answers: [sponsor-named]
  - id: tie-objectives
    title: Tie the project to the sponsor's objectives
    do: Tie it.
    owner: product-owner
    phase: frame
    effort: S
    requires: [recruit-sponsor]
    answers: [objectives-tied]
  - id: set-checkpoints
    title: Set sponsor checkpoints
    do: Set them.
    owner: executive-sponsor
    phase: frame
    effort: S
    requires: [recruit-sponsor]
    answers: [checkpoints-held]
sources:
  - id: article-one
    note: Says so.
"""


@pytest.fixture
def sponsor(minimal: Path) -> Playbook:
    write(minimal / "failure-modes" / "no-sponsor.yml", SPONSOR)
    return load(minimal)


def do_next_ids(pb: Playbook, tmp_path: Path, answers: dict[str, str]) -> list[str]:
    ans, problems = read_answers(write(tmp_path / "a.yml", "answers:\n" + entries(answers)), pb)
    assert ans is not None, problems
    report = build_report(pb, ans, top=50)
    ids = [m.id for m in report.remediations]
    plain = do_next_plain(json.loads(json.dumps(page_data(pb))), ans.as_map())
    assert plain["order"] == ids  # the page's data gives the same list (the JS scorer's reference)
    assert plain["lifting"] == sorted(m.id for m in report.remediations if m.unblocks_level)
    return ids


def test_do_next_lists_only_what_answers_an_open_question(sponsor: Playbook, tmp_path: Path) -> None:
    all_yes = {q.id: "yes" for q in sponsor.questions()}
    assert do_next_ids(sponsor, tmp_path, {**all_yes, "checkpoints-held": "no"}) == ["set-checkpoints"]
    # a prerequisite not done comes along, first
    assert do_next_ids(
        sponsor, tmp_path, {**all_yes, "checkpoints-held": "no", "sponsor-named": "partial"}
    ) == [
        "recruit-sponsor",
        "set-checkpoints",
    ]
    # a remediation with no 'answers' falls back to its failure mode's questions
    assert do_next_ids(sponsor, tmp_path, {**all_yes, "data-sample-seen": "no"}) == ["inventory-data"]
    got = do_next_ids(sponsor, tmp_path, {**all_yes, "plan-written": "no"})
    assert got == ["write-plan", "fund-deployment"]
    # n/a is settled: nothing to do
    assert do_next_ids(sponsor, tmp_path, {**all_yes, "checkpoints-held": "n/a"}) == []


def test_do_next_brings_prerequisites_outside_the_scope(sponsor: Playbook, tmp_path: Path) -> None:
    """A role's file cannot tell whether another role's prerequisite is done: it is listed."""
    ans, problems = read_answers(
        write(
            tmp_path / "a.yml", "role: executive-sponsor\nanswers:\n" + entries({"checkpoints-held": "no"})
        ),
        sponsor,
    )
    assert ans is not None, problems
    ids = [m.id for m in build_report(sponsor, ans).remediations]
    assert ids == ["recruit-sponsor", "set-checkpoints"]


def test_json_keeps_remediations_as_the_do_next_list(
    sponsor: Playbook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    all_yes = {q.id: "yes" for q in sponsor.questions()}
    p = write(tmp_path / "a.yml", "answers:\n" + entries({**all_yes, "checkpoints-held": "no"}))
    out = run(["assess", str(p), str(tmp_path / "playbooks"), "--format", "json"], capsys)[1]
    assert [m["id"] for m in json.loads(out)["remediations"]] == ["set-checkpoints"]


def test_page_data_carries_what_do_next_reads(sponsor: Playbook) -> None:
    rems = {m["id"]: m for m in page_data(sponsor)["remediations"]}
    assert rems["set-checkpoints"]["questions"] == ["checkpoints-held"]
    assert rems["write-plan"]["questions"] == ["plan-written"]  # the fallback, computed here
    assert rems["fund-deployment"]["prerequisites"] == ["write-plan"]
    assert rems["inventory-data"]["prerequisites"] == ["write-plan"]
    assert rems["recruit-sponsor"]["rank"][0] == rems["write-plan"]["rank"][0]


def test_the_issue_example_on_the_bundled_playbooks(tmp_path: Path) -> None:
    pb = load(PLAYBOOKS)
    answers = {q.id: "yes" for q in pb.questions()} | {"sponsor-checkpoints-held": "no"}
    ids = do_next_ids(pb, tmp_path, answers)
    assert ids == ["set-sponsor-checkpoints"]


def test_write_answers_reads_back(tmp_path: Path) -> None:
    pb = load(PLAYBOOKS)
    qs = list(pb.questions())
    text = write_answers(pb, qs, {q.id: ("yes", "") for q in qs[:3]}, date="2024-05-01")
    ans, problems = read_answers(write(tmp_path / "a.yml", text), pb)
    assert ans is not None and problems == []
    assert ans.as_map() == {q.id: "yes" for q in qs[:3]} and len(ans.blank) == len(qs) - 3


# ------------------------------------------------------------------ the graph checks the links
def test_answers_links_are_checked(minimal: Path) -> None:
    from launchbook.checks import run_checks

    write(
        minimal / "failure-modes" / "no-sponsor.yml",
        SPONSOR.replace("answers: [checkpoints-held]", "answers: [checkpoint-held]"),
    )
    pb = load(minimal)
    [dangling] = run_checks(pb, select=["LB325"])
    assert (dangling.level, dangling.line, dangling.column) == ("error", 49, 15)
    assert dangling.message == "remediation 'set-checkpoints' answers unknown question 'checkpoint-held'"
    assert "checkpoints-held" in dangling.hint
    unanswered = run_checks(pb, select=["LB326"])
    assert {p.message for p in unanswered} == {
        f"no remediation answers question '{q}'"
        for q in ("checkpoints-held", "plan-written", "data-sample-seen")
    }
    assert {p.level for p in unanswered} == {"warning"}


def test_an_alias_is_a_valid_link_and_sets_without_links_stay_quiet(minimal: Path) -> None:
    from launchbook.checks import run_checks

    assert run_checks(load(minimal), select=["LB325", "LB326"]) == []  # no 'answers' anywhere: the fallback
    write(
        minimal / "failure-modes" / "no-sponsor.yml",
        SPONSOR.replace("answers: [checkpoints-held]", "answers: [checkpoints-kept]").replace(
            "  - id: checkpoints-held\n", "  - id: checkpoints-held\n    aliases: [checkpoints-kept]\n"
        ),
    )
    pb = load(minimal)
    assert run_checks(pb, select=["LB325"]) == []
    assert "checkpoints-held" not in {p.message.split("'")[1] for p in run_checks(pb, select=["LB326"])}
    rems = {m["id"]: m for m in page_data(pb)["remediations"]}
    assert rems["set-checkpoints"]["questions"] == ["checkpoints-held"]  # the alias followed


# ------------------------------------------------------------------ the page's "do next" is the CLI's
JS_DO_NEXT = """
const api = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = typeof api.doNext === "function" ? input.cases.map((c) => api.doNext(input.data, c)) : null;
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.parametrize("root", ["bundled", "sponsor"])
def test_js_do_next_agrees_with_python(root: str, minimal: Path) -> None:
    """Random answer sets: assets/assess.js's doNext gives the order and the lifting set of
    :func:`do_next_plain` (the report's list). Until assess.js has doNext, this is an expected failure."""
    import random

    from .support.assess import node

    if root == "sponsor":
        write(minimal / "failure-modes" / "no-sponsor.yml", SPONSOR)
    pb = load(PLAYBOOKS if root == "bundled" else minimal)
    data = json.loads(json.dumps(page_data(pb)))
    ids = [q["id"] for q in data["questions"]]
    rnd = random.Random(17)
    cases = [dict.fromkeys(ids, "yes"), {}]
    for _ in range(25):
        p = rnd.random()
        cases.append(
            {
                i: rnd.choice(("yes", "partial", "no", "n/a")) if rnd.random() > p else "yes"
                for i in ids
                if rnd.random() < 0.95
            }
        )
    js = node(JS_DO_NEXT, {"data": data, "cases": cases})
    assert js is not None, "assets/assess.js exports doNext"
    assert js == [do_next_plain(data, c) for c in cases]


# ------------------------------------------------------------------ goldens
def test_trend_and_portfolio_goldens(
    minimal: Path,
    quarters: list[Path],
    projects: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from .support import GOLDEN
    from .support.golden import check_golden

    def assert_golden(name: str, actual: str) -> None:
        check_golden(GOLDEN / "assess" / name, actual)

    monkeypatch.chdir(minimal.parent)
    files = [q.name for q in quarters]
    for fmt, ext in (("text", "txt"), ("md", "md"), ("json", "json"), ("html", "html")):
        code, out, err = run(["assess", *files, "--playbooks", "playbooks", "--format", fmt], capsys)
        assert code == 0, err
        assert_golden(f"trend.{ext}", out)
        code, out, err = run(
            ["assess", "--portfolio", "projects", "--playbooks", "playbooks", "--format", fmt], capsys
        )
        assert code == 0, err
        assert_golden(f"portfolio.{ext}", out)
