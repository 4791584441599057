"""The site's assess import (assess.js ``readAnswers``) refuses what ``launchbook assess`` refuses.

Every case of a hostile corpus of answers files is read by both the CLI's reader
(:func:`launchbook.assess.read_answers`) and the page's, under node; both must refuse it or both
accept it. The one documented difference: the page reads a blank ``answer:`` (its own export of
a half-filled form) as unanswered, where the CLI asks for every answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from launchbook.assess import page_data, read_answers, scope_questions, write_answers
from launchbook.model import Playbook

from .support import PLAYBOOKS
from .support.assess import node, playbook

JS_READ = """
const api = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(input.cases.map((t) => {
  try { return api.readAnswers(input.data, t).errors; } catch (e) { return [e.message]; }
})));
"""


@pytest.fixture(scope="module")
def pb() -> Playbook:
    return playbook(PLAYBOOKS)


def _answers(pb: Playbook, answers: dict[str, tuple[str, str]] | None = None, **kw: str) -> str:
    qs = list(pb.questions())
    given = {q.id: ("yes", "") for q in qs}
    given.update(answers or {})
    return write_answers(pb, qs, given, date="2024-05-01", **kw)


def corpus(pb: Playbook) -> dict[str, tuple[str, bool]]:
    """name -> (file text, accepted by both)."""
    ids = [q.id for q in pb.questions()]
    first = ids[0]
    ok = _answers(pb)
    entry = f"  - id: {first}\n    answer: yes\n    note:\n"
    assert entry in ok

    def note(value: str) -> str:
        return ok.replace(entry, f"  - id: {first}\n    answer: yes\n    note: {value}\n")

    def answer(value: str) -> str:
        return ok.replace(entry, f"  - id: {first}\n    answer: {value}\n    note:\n")

    def field(line: str) -> str:
        return ok.replace("date: 2024-05-01\n", f"date: 2024-05-01\n{line}\n")

    cl = pb.checklists[0]
    in_checklist = scope_questions(pb, cl.id)
    scoped = write_answers(pb, in_checklist, {q.id: ("yes", "") for q in in_checklist}, checklist=cl.id)
    role = pb.roles[0].id
    cases: dict[str, tuple[str, bool]] = {
        "a complete file": (ok, True),
        "CRLF line endings": (ok.replace("\n", "\r\n"), True),
        "a BOM at the start": ("\ufeff" + ok, True),
        "a note of 2000 characters": (note("x" * 2000), True),
        "a note of 2000 astral characters": (note("\U0001f600" * 2000), True),
        "a note with Markdown (notes are never shown)": (note('"see [x](https://example.org)"'), True),
        "n/a with a note": (
            ok.replace(entry, f"  - id: {first}\n    answer: n/a\n    note: not here\n"),
            True,
        ),
        "a quoted answer": (answer("'yes'"), True),
        "a checklist's own questions": (scoped, True),
        "the year only": (ok.replace("date: 2024-05-01", "date: 2024"), True),
        "n.d.": (ok.replace("date: 2024-05-01", "date: n.d."), True),
        "a leap day": (ok.replace("date: 2024-05-01", "date: 2024-02-29"), True),
        # issue 17: a file keeps working after an upstream update, and a blank answer is unanswered
        "an unknown question (removed upstream: a note)": (
            ok + "  - id: no-such-question\n    answer: yes\n",
            True,
        ),
        "an entry without an answer": (ok.replace(entry, f"  - id: {first}\n"), True),
        "a question with no entry (added upstream: a warning)": (ok.replace(entry, ""), True),
        # refused by both
        "a note of 2001 characters": (note("x" * 2001), False),
        "an empty quoted note": (note('""'), False),
        "a bell escape in a note": (note('"a\\u0007b"'), False),
        "a line separator escape in a note": (note('"a\\u2028b"'), False),
        "a NUL escape in a note": (note('"a\\u0000b"'), False),
        "a raw control character": (note("a\x01b"), False),
        "a raw C1 control character": (note("a\x85b"), False),
        "a lone carriage return": (note("a\rb"), False),
        "mixed line endings": (ok.replace("\n", "\r\n", 3), False),
        "a BOM in the middle": (note("a\ufeffb"), False),
        "over 1 MiB": (ok + "# " + "x" * (1 << 20) + "\n", False),
        "over 1 MiB in multi-byte characters": (ok + "# " + "é" * (1 << 19) + "\n", False),
        "an empty file": ("", False),
        "only comments": ("# nothing\n\n# here\n", False),
        "a playbook title of 201 characters": (
            ok.replace("playbook: ", 'playbook: "' + "p" * 201 + '" #'),
            False,
        ),
        "an unknown checklist": (field("checklist: no-such-checklist"), False),
        "a checklist that is not an id": (field("checklist: Project Kickoff"), False),
        "a role that is not an id": (field('role: "product-owner\\n"'), False),
        "an unknown role": (field("role: nobody"), False),
        "questions outside the checklist": (field(f"checklist: {cl.id}"), False),
        "questions outside the role": (field(f"role: {role}"), False),
        "a date that is not a date": (ok.replace("date: 2024-05-01", "date: yesterday"), False),
        "a date with a time": (ok.replace("date: 2024-05-01", "date: 2024-05-01T10:00"), False),
        "an id with a trailing newline": (ok.replace(f"id: {first}\n", f'id: "{first}\\n"\n', 1), False),
        "an upper-case id": (ok.replace(f"id: {first}\n", f"id: {first.upper()}\n", 1), False),
        "an empty quoted id": (ok.replace(f"id: {first}\n", 'id: ""\n', 1), False),
        "a question answered twice": (ok + f"  - id: {first}\n    answer: no\n", False),
        "n/a without a note": (answer("n/a"), False),
        "n/a with a blank note": (
            ok.replace(entry, f"  - id: {first}\n    answer: n/a\n    note: ' '\n"),
            False,
        ),
        "an answer not allowed": (answer("maybe"), False),
        "an answer in capitals": (answer("Yes"), False),
        "an empty quoted answer": (answer('""'), False),
        "an entry without an id": (ok + "  - answer: yes\n", False),
        "an unknown field": (field("owner: me"), False),
        "an unknown entry field": (ok.replace(entry, entry + "    score: 1\n"), False),
        "a duplicate key": (field("date: 2024-05-02"), False),
        "a tab in the indentation": (
            ok.replace("\n    answer: yes\n    note:\n", "\n\tanswer: yes\n    note:\n", 1),
            False,
        ),
        "answers that are not a list": (ok.replace("answers:\n", 'answers: ""\n'), False),
        "a second document": (ok + "---\nanswers:\n", False),
    }
    return cases


def test_page_import_refuses_what_the_cli_refuses(pb: Playbook, tmp_path: Path) -> None:
    cases = corpus(pb)
    assert len(cases) >= 50
    js = node(
        JS_READ, {"data": json.loads(json.dumps(page_data(pb))), "cases": [t for t, _ in cases.values()]}
    )
    wrong, page_wrong = [], []
    for (name, (text, accepted)), js_errors in zip(cases.items(), js, strict=True):
        path = tmp_path / "answers.yml"
        path.write_bytes(text.encode("utf-8"))
        ans, problems = read_answers(path, pb)
        expected = "accepted" if accepted else "refused"
        if (ans is not None) != accepted:
            wrong.append(f"{name}: expected {expected}; CLI {problems[:1]}")
        if (not js_errors) != accepted:
            page_wrong.append((name, f"{name}: expected {expected}; page {js_errors[:1]}"))
    assert wrong == []
    assert page_wrong == []


@pytest.mark.parametrize("date", ["2024-13-45", "2023-02-29", "2024-04-31", "2024-00-10", "2024-13"])
def test_page_import_refuses_dates_that_are_not_real(pb: Playbook, date: str) -> None:
    """Issue 15: dates are real dates (the CLI's check comes with its date validation)."""
    text = _answers(pb).replace("date: 2024-05-01", f"date: {date}")
    [errors] = node(JS_READ, {"data": json.loads(json.dumps(page_data(pb))), "cases": [text]})
    assert errors and "not a valid date" in errors[0]


def test_page_import_names_the_line(pb: Playbook) -> None:
    text = _answers(pb)
    first = next(iter(pb.questions())).id
    text = text.replace(
        f"  - id: {first}\n    answer: yes\n    note:\n",
        f"  - id: {first}\n    answer: yes\n    note: {'x' * 2001}\n",
    )
    line = text.splitlines().index("    note: " + "x" * 2001) + 1
    [errors] = node(JS_READ, {"data": json.loads(json.dumps(page_data(pb))), "cases": [text]})
    assert errors == [f"line {line}: 'note' is longer than 2000 characters"]


def test_page_import_reads_a_blank_answer_as_unanswered(pb: Playbook, tmp_path: Path) -> None:
    """The page's own half-filled export: read by both, the blank answer unanswered (issue 17)."""
    first = next(iter(pb.questions())).id
    text = _answers(pb).replace(f"  - id: {first}\n    answer: yes\n", f"  - id: {first}\n    answer:\n")
    [errors] = node(JS_READ, {"data": json.loads(json.dumps(page_data(pb))), "cases": [text]})
    assert errors == []
    path = tmp_path / "a.yml"
    path.write_text(text, encoding="utf-8")
    ans, problems = read_answers(path, pb)
    assert ans is not None and problems == []
    assert ans.blank == (first,) and first not in ans.as_map()
