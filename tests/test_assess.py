"""``launchbook assess``: answers files, scoring, the report, and the browser's scorer agreeing with Python's.

Golden files live in tests/golden/assess/; after an intended change rewrite them with::

    LAUNCHBOOK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_assess.py
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launchbook.assess import (
    RULES,
    Answers,
    page_data,
    read_answers,
    scope_questions,
    score,
    scoring_data,
    write_answers,
)
from launchbook.cli import main
from launchbook.loader import load_bytes
from launchbook.model import Playbook
from launchbook.schema import ANSWERS

from .support import GOLDEN as GOLDEN_ROOT
from .support import MINIMAL, PLAYBOOKS
from .support.assess import node, playbook
from .support.golden import check_golden

GOLDEN = GOLDEN_ROOT / "assess"
VALUES = ("yes", "partial", "no", "n/a")


def assert_golden(name: str, actual: str) -> None:
    check_golden(GOLDEN / name, actual)


def fill(template: str, answers: dict[str, str], notes: dict[str, str] | None = None) -> str:
    """Fill a template's empty answer (and note) lines, entry by entry."""
    notes = notes or {}
    out, current = [], ""
    for line in template.splitlines():
        m = re.match(r"^  - id: (\S+)$", line)
        if m:
            current = m.group(1)
        elif line == "    answer:" and current in answers:
            line = f"    answer: {answers[current]}"
        elif line == "    note:" and notes.get(current):
            line = f"    note: {json.dumps(notes[current])}"
        out.append(line)
    return "\n".join(out) + "\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def problems_of(path: Path, pb: Playbook) -> list[str]:
    ans, problems = read_answers(path, pb)
    assert ans is None
    return [f"{p.location()}: {p.code} {p.message}" for p in problems]


# ------------------------------------------------------------------ template and round trip
def test_template_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "answers.yml"
    code, _, err = run(["assess", "--template", str(PLAYBOOKS), "-o", str(out)], capsys)
    assert code == 0, err
    template = out.read_text()
    pb = playbook()
    ids = [q.id for q in pb.questions()]
    assert sorted(re.findall(r"^  - id: (\S+)$", template, re.M)) == sorted(ids)
    first = next(pb.questions())
    assert f"  # {first.ask} (level {first.level}, " in template
    assert f"  - id: {first.id}\n    answer:\n    note:\n" in template
    # unfilled: it scores (an unanswered question counts as no), with no problem at all
    code, stdout, err = run(["assess", str(out), str(PLAYBOOKS)], capsys)
    assert code == 0 and err == ""
    assert f"score 0%, {len(ids)} questions, {len(ids)} unanswered" in stdout
    answers = {i: VALUES[n % 3] for n, i in enumerate(ids)}
    out.write_text(fill(template, answers))
    code, stdout, err = run(["assess", str(out), str(PLAYBOOKS), "--format", "json"], capsys)
    assert code == 0, err
    report = json.loads(stdout)
    assert report["answers"]["questions"] == len(ids)
    ans, _ = read_answers(out, pb)
    assert ans is not None and ans.as_map() == answers
    # and what write_answers writes with those answers is the filled template
    assert (
        write_answers(pb, list(pb.questions()), {k: (v, "") for k, v in answers.items()}) == out.read_text()
    )


def test_template_scoped_to_checklist_and_role(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.yml"
    argv = ["assess", "--template", str(MINIMAL), "--checklist", "kickoff", "--role", "product-owner"]
    assert run([*argv, "-o", str(out)], capsys)[0] == 0
    text = out.read_text()
    assert "checklist: kickoff\nrole: product-owner\n" in text
    assert re.findall(r"- id: (\S+)", text) == ["plan-written"]
    out.write_text(fill(text, {"plan-written": "yes"}))
    code, stdout, err = run(["assess", str(out), str(MINIMAL)], capsys)
    assert code == 0, err
    assert "Maturity: level 1" in stdout
    # never overwrites
    code, _, err = run([*argv, "-o", str(out)], capsys)
    assert code == 2 and "already exists" in err
    assert run(["assess", "--template", str(MINIMAL), "--checklist", "kikoff"], capsys)[2].count(
        "did you mean"
    )


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["assess", str(tmp_path / "nope.yml"), str(MINIMAL)], capsys)
    assert code == 2 and "no such file" in err
    os.mkfifo(tmp_path / "pipe.yml")  # named as what it is, never opened (opening would block)
    code, _, err = run(["assess", str(tmp_path / "pipe.yml"), str(MINIMAL)], capsys)
    assert code == 2 and "pipe.yml: not a regular file" in err
    code, _, err = run(["assess", str(MINIMAL)], capsys)  # a folder, not an answers file
    assert code == 2
    code, _, err = run(["assess", "--checklist", "kickoff", str(tmp_path / "a.yml")], capsys)
    assert code == 2 and "--template" in err


# ------------------------------------------------------------------ reading answers: hostile and wrong input
def write(tmp_path: Path, body: str, name: str = "answers.yml") -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


MIN_OK = """\
answers:
  - id: plan-written
    answer: yes
  - id: data-sample-seen
    answer: no
"""


def test_unquoted_answers_are_text(tmp_path: Path) -> None:
    pb = playbook(MINIMAL)
    for value in VALUES:
        note = "    note: yes\n" if value == "n/a" else ""
        doc = load_bytes(
            f"answers:\n  - id: plan-written\n    answer: {value}\n{note}".encode(), ANSWERS, "a.yml"
        )
        assert doc.ok and doc.data is not None
        assert doc.data["answers"][0]["answer"] == value
        assert isinstance(doc.data["answers"][0]["answer"], str)
    ans, problems = read_answers(write(tmp_path, MIN_OK), pb)
    assert ans is not None and not problems
    assert ans.as_map() == {"plan-written": "yes", "data-sample-seen": "no"}
    ans, _ = read_answers(write(tmp_path, MIN_OK + "    note: on\n"), pb)
    assert ans is not None and ans.notes()["data-sample-seen"] == "on"


def test_na_needs_a_reason(tmp_path: Path) -> None:
    pb = playbook(MINIMAL)
    p = write(tmp_path, MIN_OK.replace("answer: no", "answer: n/a"))
    assert problems_of(p, pb) == [
        f"{p}:5:13: LB605 the answer 'n/a' to 'data-sample-seen' needs a note saying why the question"
        " does not apply"
    ]
    p = write(tmp_path, MIN_OK.replace("answer: no", 'answer: n/a\n    note: "  "'))
    assert "LB605" in problems_of(p, pb)[0]
    p = write(tmp_path, MIN_OK.replace("answer: no", "answer: n/a\n    note: no data work in this project"))
    assert read_answers(p, pb)[0] is not None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (MIN_OK.replace("answer: no", "answer: nope"), ":5:13: LB206 'nope' is not allowed for 'answer'"),
        (MIN_OK.replace("answer: no", "answer: true"), ":5:13: LB206 'true' is not allowed for 'answer'"),
        (
            MIN_OK + "  - id: plan-written\n    answer: no\n",
            ":6:9: LB603 question 'plan-written' is answered twice",
        ),
        ("checklist: kikoff\n" + MIN_OK, ":1:12: LB601 unknown checklist 'kikoff'"),
        (
            "role: product-owner\n" + MIN_OK,
            ":5:9: LB604 question 'data-sample-seen' is not in this file's scope",
        ),
        (MIN_OK.replace("answers:", "answers: &a"), "LB110"),
        (MIN_OK + "    colour: red\n", ":6:5: LB200 unknown field 'colour' in answer"),
        (MIN_OK.replace("answer: yes", "answer: yes\n    answer: no"), ":4:5: LB101 duplicate key 'answer'"),
        ("answers:\n  - id: ../../etc/passwd\n    answer: yes\n", ":2:9: LB203"),
    ],
)
def test_bad_answers_are_located(tmp_path: Path, body: str, expected: str) -> None:
    pb = playbook(MINIMAL)
    p = write(tmp_path, body)
    found = problems_of(p, pb)
    assert any(expected in f for f in found), found
    assert all(re.match(rf"{re.escape(str(p))}:\d+:\d+: LB\d+ ", f) for f in found), found


def test_bad_answers_exit_1_with_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = write(tmp_path, MIN_OK.replace("answer: no", "answer: maybe"))
    code, out, err = run(["assess", str(p), str(MINIMAL), "--format", "json"], capsys)
    assert code == 1 and out == ""
    assert f"{p}:5:13: LB206 'maybe' is not allowed for 'answer'" in err


# ------------------------------------------------------------------ scoring
def data_for(root: Path = PLAYBOOKS) -> dict[str, Any]:
    return scoring_data(playbook(root))


def test_rules_are_data_and_consistent() -> None:
    assert set(RULES["answers"]) == set(VALUES)
    assert set(RULES["weights"]) | set(RULES["excluded"]) == set(VALUES)
    assert RULES["unanswered"] in RULES["weights"]
    json.dumps(RULES)  # exportable as is


def test_all_yes_scores_at_least_all_no() -> None:
    data = data_for()
    ids = [q["id"] for q in data["questions"]]
    yes = score(data, dict.fromkeys(ids, "yes"))
    no = score(data, dict.fromkeys(ids, "no"))
    top = max(data["levels"])
    assert yes["overall"]["level"] == top and yes["overall"]["score"] == 1.0
    assert no["overall"]["level"] == min(data["levels"]) and no["overall"]["score"] == 0.0
    assert yes["overall"]["held_back_by"] == [] and no["overall"]["held_back_by"]
    for kind in ("categories", "phases"):
        for a, b in zip(yes[kind], no[kind], strict=True):
            assert a["level"] >= b["level"] and a["score"] >= b["score"]


def test_level_rule_examples() -> None:
    data = {
        "rules": RULES,
        "levels": [0, 1, 2, 3],
        "categories": ["c", "d"],
        "phases": ["p"],
        "questions": [
            {"id": "a1", "level": 1, "category": "c", "phase": "p"},
            {"id": "a2", "level": 2, "category": "c", "phase": "p"},
            {"id": "b1", "level": 1, "category": "d", "phase": "p"},
            {"id": "b3", "level": 3, "category": "d", "phase": "p"},
        ],
    }
    r = score(data, {"a1": "yes", "a2": "yes", "b1": "yes", "b3": "partial"})
    c, d = r["categories"]
    assert (c["level"], c["next_level"]) == (2, None)  # capped: c's questions stop at level 2
    assert (d["level"], d["held_back_by"], d["next_level"]) == (2, ["b3"], 3)  # level 2 holds vacuously
    assert r["overall"]["level"] == 2 and r["overall"]["limited_by"] == ["d"]
    assert r["overall"]["score"] == pytest.approx(3.5 / 4)
    r = score(data, {"a1": "yes", "a2": "n/a", "b1": "no", "b3": "yes"})
    assert r["categories"][0]["level"] == 1  # n/a left out: the cap drops to level 1
    assert r["overall"]["level"] == 0 and r["overall"]["held_back_by"] == ["b1"]
    r = score(data, {"a1": "n/a", "a2": "n/a"})  # d unanswered counts as no
    assert r["categories"][0]["level"] is None and r["categories"][0]["score"] is None
    assert r["categories"][1]["counts"]["unanswered"] == 2 and r["overall"]["level"] == 0


def _flat(r: dict[str, Any]) -> list[float]:
    vals: list[float] = []
    for sec in [r["overall"], *r["categories"], *r["phases"]]:
        for key in ("level", "score"):
            vals.append(-1.0 if sec[key] is None else float(sec[key]))
    return vals


@pytest.mark.slow  # 150 hypothesis examples over the bundled playbooks
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_to_yes_never_lowers_any_score(draw: st.DataObject) -> None:
    root = draw.draw(st.sampled_from([PLAYBOOKS, MINIMAL]))
    data = data_for(root)
    ids = [q["id"] for q in data["questions"]]
    drawn = {i: draw.draw(st.sampled_from((*VALUES, None))) for i in ids}
    answers = {k: v for k, v in drawn.items() if v is not None}
    target = draw.draw(st.sampled_from(ids))
    step = draw.draw(st.sampled_from([("no", "yes"), ("no", "partial"), ("partial", "yes"), (None, "yes")]))
    if step[0] is None:
        answers.pop(target, None)
    else:
        answers[target] = step[0]
    before = score(data, answers)
    after = score(data, {**answers, target: step[1]})
    for b, a in zip(_flat(before), _flat(after), strict=True):
        assert a >= b


# ------------------------------------------------------------------ the report
def test_json_output_parses_and_explains(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = write(tmp_path, MIN_OK)
    code, out, err = run(["assess", str(p), str(MINIMAL), "--format", "json"], capsys)
    assert code == 0 and err == ""
    r = json.loads(out)
    assert r["rules"] == json.loads(json.dumps(RULES))
    assert r["overall"]["level"] == 0 and r["overall"]["level_name"] == "Ad hoc"
    assert [q["id"] for q in r["overall"]["held_back_by"]] == ["data-sample-seen"]
    assert r["overall"]["references"] == {"google-mlops": "Level 0 (manual process)"}
    assert [m["id"] for m in r["remediations"]] == ["inventory-data"]  # plan-written is yes: write-plan done
    assert r["remediations"][0]["owner"] == "data-engineer" and r["remediations"][0]["unblocks_level"]
    # all no: what unblocks the level (with its prerequisites) first, in dependency order
    code, out, _ = run(
        [
            "assess",
            str(write(tmp_path, MIN_OK.replace("yes", "no"), "no.yml")),
            str(MINIMAL),
            "--format",
            "json",
        ],
        capsys,
    )
    rems = [(m["id"], m["owner"], m["unblocks_level"]) for m in json.loads(out)["remediations"]]
    assert rems == [
        ("write-plan", "product-owner", True),
        ("inventory-data", "data-engineer", True),
        ("fund-deployment", "executive-sponsor", False),
    ]
    for fmt in ("text", "md", "html"):
        code, out, _ = run(["assess", str(p), str(MINIMAL), "--format", fmt], capsys)
        assert code == 0 and "data-sample-seen" in out


def test_a_valid_file_exits_0_whatever_the_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = write(tmp_path, MIN_OK.replace("yes", "no"))
    assert run(["assess", str(p), str(MINIMAL)], capsys)[0] == 0
    p = write(
        tmp_path,
        MIN_OK.replace("answer: yes", "answer: n/a\n    note: x").replace(
            "answer: no", "answer: n/a\n    note: y"
        ),
    )
    code, out, _ = run(["assess", str(p), str(MINIMAL)], capsys)
    assert code == 0 and out.startswith("Maturity: not scored")


def test_compare_golden(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "playbooks"
    shutil.copytree(MINIMAL, root)
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        "date: 2024-01-15\nanswers:\n  - id: plan-written\n    answer: no\n"
        '  - id: data-sample-seen\n    answer: partial\n    note: "one extract"\n',
        "older.yml",
    )
    write(
        tmp_path,
        "date: 2024-06-30\nanswers:\n  - id: plan-written\n    answer: yes\n  - id: data-sample-seen\n"
        "    answer: no\n    note: the extract was withdrawn\n",
        "newer.yml",
    )
    for fmt, name in (("text", "compare.txt"), ("md", "compare.md"), ("json", "compare.json")):
        code, out, err = run(
            ["assess", "newer.yml", "playbooks", "--compare", "older.yml", "--format", fmt], capsys
        )
        assert code == 0, err
        assert_golden(name, out)
    c = json.loads((GOLDEN / "compare.json").read_text())["compare"]
    assert [i["id"] for i in c["improved"]] == ["plan-written"]
    assert [i["id"] for i in c["regressed"]] == ["data-sample-seen"]


# ------------------------------------------------------------------ the browser scorer agrees with Python's
JS_SCORE = """
const api = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(input.cases.map((c) => api.score(input.data, c))));
"""


def answer_sets(ids: list[str], seed: int) -> list[dict[str, str]]:
    rnd = random.Random(seed)
    sets = [dict.fromkeys(ids, "yes"), dict.fromkeys(ids, "no"), {}, dict.fromkeys(ids, "n/a")]
    for _ in range(12):
        sets.append({i: rnd.choice(VALUES) for i in ids if rnd.random() < 0.9})
    return sets


@pytest.mark.parametrize("root", [PLAYBOOKS, MINIMAL], ids=["playbooks", "minimal"])
def test_js_scorer_agrees_with_python(root: Path) -> None:
    pb = playbook(root)
    data = page_data(pb)  # exactly what the page embeds
    cases = answer_sets([q["id"] for q in data["questions"]], seed=7)
    js = node(JS_SCORE, {"data": data, "cases": cases})
    py = [score(data, c) for c in cases]
    assert json.loads(json.dumps(py)) == js


def test_js_scorer_agrees_on_a_synthetic_ladder() -> None:
    data: dict[str, Any] = {
        "rules": RULES,
        "levels": [3, 0, 1, 2, 5],
        "categories": ["c", "d", "e"],
        "phases": ["p", "q"],
        "questions": [
            {"id": f"x{i}", "level": i % 6, "category": "cde"[i % 3], "phase": "pq"[i % 2]} for i in range(30)
        ],
    }
    cases = answer_sets([q["id"] for q in data["questions"]], seed=11)
    assert node(JS_SCORE, {"data": data, "cases": cases}) == json.loads(
        json.dumps([score(data, c) for c in cases])
    )


JS_YAML = """
const api = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const emitted = api.emitYaml(input.data, input.answers, input.notes, {date: "2024-05-01"});
const parsed = api.readAnswers(input.data, input.python);
const bad = input.bad.map((t) => { try { return api.readAnswers(input.data, t).errors; } catch (e) { return [e.message]; } });
process.stdout.write(JSON.stringify({emitted, parsed, bad}));
"""


def test_js_yaml_round_trips_with_the_cli_format(tmp_path: Path) -> None:
    pb = playbook()
    data = page_data(pb)
    ids = [q.id for q in pb.questions()]
    rnd = random.Random(3)
    answers = {i: rnd.choice(VALUES) for i in ids[:-3]}  # the last three left unanswered
    notes = {
        i: 'not here: "quoted" \\ back-slash, üñí, # hash: colon' for i in ids if answers.get(i) == "n/a"
    }
    notes[ids[0]] = "it's 'fine'"
    python = write_answers(
        pb, list(pb.questions()), {i: (a, notes.get(i, "")) for i, a in answers.items()}, date="2024-05-01"
    )
    bad = [
        "answers:\n  - id: nope\n    answer: yes\n",
        f"answers:\n  - id: {ids[0]}\n    answer: maybe\n",
        f"answers:\n  - id: {ids[0]}\n    answer: n/a\n",
        "answers: [1]\n",
    ]
    out = node(JS_YAML, {"data": data, "answers": answers, "notes": notes, "python": python, "bad": bad})
    # the page reads what the CLI writes
    assert out["parsed"]["errors"] == [] and out["parsed"]["answers"] == answers
    assert out["parsed"]["notes"] == {i: n for i, n in notes.items()}
    assert out["parsed"]["fields"] == {
        "playbook": f"{pb.manifest.title} {pb.manifest.version}",
        "date": "2024-05-01",
    }
    assert [
        out["bad"][0] == [],  # an unknown question is a note, not an error (issue 17)
        "not allowed" in out["bad"][1][0],
        "needs a reason" in out["bad"][2][0],
    ] == [True] * 3
    assert out["bad"][3] and "line 1" in out["bad"][3][0]
    # and the CLI reads what the page writes, once complete
    full = {**answers, **dict.fromkeys(ids[-3:], "yes")}
    emitted = node(JS_YAML, {"data": data, "answers": full, "notes": notes, "python": python, "bad": []})[
        "emitted"
    ]
    ans, problems = read_answers(write(tmp_path, emitted), pb)
    assert ans is not None, problems
    assert ans.as_map() == full and {k: v for k, v in ans.notes().items() if v} == notes
    # the page writes exactly what the CLI writes (the grouped template: assess.js follows it)
    assert out["emitted"] == python


# ------------------------------------------------------------------ the site page
def test_assess_page_is_generated_with_accessible_form() -> None:
    from launchbook.site.pages import build_pages, nav

    pb = playbook()
    pages = {p.src: p for p in build_pages(pb)}
    page = pages["assess.md"].content
    m = re.search(r'<script type="application/json" id="lb-assess-data">(.*?)</script>', page)
    assert m and "<" not in m.group(1)
    embedded = json.loads(m.group(1))
    assert embedded == json.loads(json.dumps(page_data(pb)))
    assert embedded["rules"] == json.loads(json.dumps(RULES))
    for q in pb.questions():
        assert f'<fieldset class="lb-q" id="aq-{q.id}">' in page
        for suffix in ("yes", "partial", "no", "na"):
            assert f'id="q-{q.id}-{suffix}"' in page and f'<label for="q-{q.id}-{suffix}">' in page
        assert f'<label for="note-{q.id}">' in page
    assert page.count("<fieldset") == page.count("<legend>") == len(list(pb.questions()))
    assert '<script src="../assets/launchbook/assess.js"></script>' in page
    assert "http://" not in page and "https://" not in page
    assert {"Assess your organization": "assess.md"} in nav(pb)
    assert nav(pb, [{"Assess": "assess.md"}]).count({"Assess": "assess.md"}) == 0
    maturity = pages["maturity.md"].content
    assert "{ #scoring }" in maturity and "../assess/" in maturity
    for lv in pb.manifest.levels:
        for _, ref in lv.references:
            assert ref in maturity


def test_scope_questions_follow_the_checklist_order() -> None:
    pb = playbook(MINIMAL)
    assert [q.id for q in scope_questions(pb, "kickoff")] == ["plan-written", "data-sample-seen"]
    assert [q.id for q in scope_questions(pb, None, "data-engineer")] == ["data-sample-seen"]
    assert isinstance(Answers("a", "", "", "", "", ()), Answers)
