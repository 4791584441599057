"""Answers files: read and validated against the playbooks (every problem located), and written.

An answers file is YAML read by the same safe loader as the playbooks (regular files only, bounded
size; :func:`launchbook.saferead.read_regular`), against :data:`launchbook.schema.ANSWERS`::

    playbook: "launchbook 0.1.0"
    answers:
      # Is there a written path to production?
      - id: plan-written
        answer: yes          # yes | partial | no | n/a, unquoted: read as text
        note: "signed off in March"

The codes below (LB601-LB607) are what an answers file can get besides the loader's LB1xx/LB2xx.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..codes import declare
from ..errors import Loc, Problem, did_you_mean, sorted_problems
from ..loader import load_document
from ..model import Playbook, Question, display_path
from ..schema import ANSWERS
from .scoring import DEFAULT_RULES, scope_questions

UNKNOWN_SCOPE = declare(
    "LB601",
    "assess-unknown-scope",
    """
    The answers file names a checklist or role the playbooks do not have.

    Its 'checklist:' or 'role:' line narrows the questions the file answers; the name must be
    one the playbooks define.

    Example::

        checklist: kikoff     # LB601: no such checklist
        role: product-owner   # passes: a role in roles.yml

    Fix: use an id from 'launchbook checklist --list' or roles.yml (the hint names the closest
    one), or remove the line to answer every question.
    """,
)
UNKNOWN_QUESTION = declare(
    "LB602",
    "assess-unknown-question",
    """
    An answer for a question id the playbooks do not have; the answer is not scored.

    The question was removed upstream since the file was written (a file keeps working across
    updates), or the id is mistyped. A renamed question keeps its former id in 'aliases', and
    answers under that id still count (LB607).

    Example::

        - id: plan-writen     # LB602: did you mean plan-written?
          answer: yes
        - id: plan-written    # passes
          answer: yes

    Fix: correct the id (the hint names the closest one), or remove the entry;
    'launchbook assess --template' writes a file with the current ids.
    """,
    level="note",
)
DUPLICATE_ANSWER = declare(
    "LB603",
    "assess-duplicate-answer",
    """
    The same question is answered twice.

    The score would depend on which of the two answers wins.

    Example::

        - id: plan-written
          answer: yes
        - id: plan-written    # LB603
          answer: no

    Fix: keep one of the two entries.
    """,
)
OUT_OF_SCOPE = declare(
    "LB604",
    "assess-out-of-scope",
    """
    An answer to a question outside the file's scope.

    The 'checklist:' or 'role:' line narrows the questions, and this one is not among them.

    Example::

        role: product-owner
        answers:
          - id: data-sample-seen   # LB604: owned by the data engineer
            answer: no
          - id: plan-written       # passes: the product owner's
            answer: yes

    Fix: remove the answer, or the line that narrows the scope.
    """,
)
NA_WITHOUT_NOTE = declare(
    "LB605",
    "assess-na-without-note",
    """
    An answer that needs a reason has none.

    'n/a' (and any answer the rules mark so) must say why the question does not apply, or the
    score could hide a gap.

    Example::

        - id: plan-written
          answer: n/a   # LB605
        - id: plan-written
          answer: n/a   # passes
          note: a research spike, never deployed

    Fix: add 'note: why this does not apply here'.
    """,
)
UNANSWERED = declare(
    "LB606",
    "assess-unanswered",
    """
    Questions in the file's scope that have no entry in it; they count as unanswered (no).

    Usually questions added to the playbooks since the file was written. The file is still
    scored: an unanswered question counts as no, as a blank answer does. The warning lists them
    by id so they can be answered.

    Example::

        answers:              # LB606 when the playbooks also ask data-sample-seen
          - id: plan-written
            answer: yes

    It passes once every question in scope has an entry (a blank 'answer:' is an entry).

    Fix: add an entry for each (answer n/a with a note where one does not apply); 'launchbook
    assess --template' lists them all.
    """,
    level="warning",
)

RENAMED_QUESTION = declare(
    "LB607",
    "assess-renamed-question",
    """
    An answer under a question's former id; the answer counts for the current question.

    The question was renamed, or merged into another one, and keeps the old id in its
    'aliases'. When a file answers a merged question under several of its ids, the answer under
    the current id counts (else the first one) and the others are ignored.

    Example::

        - id: scoring-halts-on-bad-data    # LB607: now sla-breach-response-agreed
          answer: yes
        - id: sla-breach-response-agreed   # passes
          answer: yes

    Fix: write the current id (the message names it); 'launchbook assess --template' writes a
    file with the current ids.
    """,
    level="warning",
)


@dataclass(frozen=True)
class Entry:
    """One answer of a validated file; ``answer`` is "" when left blank (it counts as unanswered)."""

    id: str
    answer: str
    note: str
    loc: Loc


@dataclass(frozen=True)
class Answers:
    """A validated answers file (or several partial ones merged).

    ``scope``: the ids of the questions in scope, in order; ``missing``: those with no entry at
    all (added to the playbooks since the file was written, usually); ``retired``: ids answered in
    the file that the playbooks do not have (not scored)."""

    path: str
    playbook: str
    checklist: str
    role: str
    date: str
    entries: tuple[Entry, ...]
    scope: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()

    def as_map(self) -> dict[str, str]:
        """``{question id: answer}`` of the questions answered (blank answers left out)."""
        return {e.id: e.answer for e in self.entries if e.answer}

    def notes(self) -> dict[str, str]:
        return {e.id: e.note for e in self.entries}

    @property
    def blank(self) -> tuple[str, ...]:
        """The questions whose entry has no answer."""
        return tuple(e.id for e in self.entries if not e.answer)


def plural(n: int, word: str, many: str = "") -> str:
    """``1 question``, ``3 questions``."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


Locate = Callable[..., Loc]


def _known_or_problem(value: str, known: Sequence[str], what: str, where: Loc) -> tuple[str, list[Problem]]:
    """``value`` when the playbooks have it (or it is empty), else "" and an LB601."""
    if not value or value in known:
        return value, []
    hint = did_you_mean(value, known) or f"known {what}s: " + ", ".join(known)
    return "", [UNKNOWN_SCOPE.at(where, f"unknown {what} '{value}'", hint)]


@dataclass(frozen=True)
class _Scope:
    """The questions a file may answer, as narrowed by its 'checklist:' and 'role:' lines, and the
    former ids (a question's ``aliases``) answers may still use."""

    checklist: str
    role: str
    known: frozenset[str]
    former: Mapping[str, str]
    questions: tuple[Question, ...]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(q.id for q in self.questions)

    @property
    def name(self) -> str:
        parts = (
            f"checklist '{self.checklist}'" if self.checklist else "",
            f"role '{self.role}'" if self.role else "",
        )
        return " and ".join(x for x in parts if x)


def _read_scope(d: Mapping[str, Any], pb: Playbook, loc: Locate) -> tuple[_Scope, list[Problem]]:
    checklist, problems = _known_or_problem(
        d.get("checklist", ""), [c.id for c in pb.checklists], "checklist", loc("checklist")
    )
    role, more = _known_or_problem(d.get("role", ""), [r.id for r in pb.roles], "role", loc("role"))
    known = frozenset(q.id for q in pb.questions())
    former = {a: q.id for q in pb.questions() for a in q.aliases if a not in known}
    questions = tuple(scope_questions(pb, checklist or None, role or None))
    return _Scope(checklist, role, known, former, questions), problems + more


@dataclass
class _Reader:
    """The entries of one file, read in order: what counts, and the problems found."""

    scope: _Scope
    loc: Locate
    direct: frozenset[str]  # the question ids the file answers under their current id
    seen: dict[str, int] = field(default_factory=dict)  # question id -> line of its answer
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    folded: int = 0  # answers under a former id of a question answered under another id
    retired: list[str] = field(default_factory=list)  # ids the playbooks do not have

    def current_id(self, qid: str, where: Loc) -> str | None:
        """The id an answer counts for: a former id is followed (LB607), or None when the question
        is answered under another id already."""
        if qid not in self.scope.former:
            return qid
        old, qid = qid, self.scope.former[qid]
        if qid in self.direct or qid in self.seen:
            self.problems.append(
                RENAMED_QUESTION.at(
                    where,
                    f"'{old}' is now part of question '{qid}', which is already answered; this answer is ignored",
                    f"remove this entry, or merge its evidence into the answer for '{qid}'",
                )
            )
            self.folded += 1
            return None
        self.problems.append(
            RENAMED_QUESTION.at(
                where, f"question '{old}' is now '{qid}'; the answer counts for it", f"write 'id: {qid}'"
            )
        )
        return qid

    def read(self, i: int, a: Mapping[str, Any]) -> None:
        """One well-formed entry: an :class:`Entry`, or the problem that keeps it out of the score."""
        where = self.loc("answers", i, "id")
        qid = self.current_id(a["id"], where)
        if qid is None:
            return
        got = self._check(qid, a, i, where)
        if isinstance(got, Entry):
            self.entries.append(got)
        else:
            self.problems.append(got)

    def _check(self, qid: str, a: Mapping[str, Any], i: int, where: Loc) -> Entry | Problem:
        scope = self.scope
        if qid not in scope.known:
            self.retired.append(qid)
            hint = (
                did_you_mean(qid, scope.known) or "remove the entry, or write the current id of the question"
            )
            return UNKNOWN_QUESTION.at(
                where,
                f"question '{qid}' is not in these playbooks (removed since the file was written,"
                " or mistyped); its answer is not scored",
                hint,
            )
        if qid in self.seen:
            return DUPLICATE_ANSWER.at(
                where,
                f"question '{qid}' is answered twice (first at line {self.seen[qid]})",
                "keep one of the two answers",
            )
        self.seen[qid] = where.line
        if qid not in scope.ids:
            return OUT_OF_SCOPE.at(
                where,
                f"question '{qid}' is not in this file's scope ({scope.name})",
                "remove it, or remove the 'checklist:'/'role:' line that narrows the scope",
            )
        note = a.get("note", "")
        answer = a.get("answer", "")
        if answer in DEFAULT_RULES.note_required and not note.strip():
            return NA_WITHOUT_NOTE.at(
                self.loc("answers", i, "answer"),
                f"the answer '{answer}' to '{qid}' needs a note saying why the question does not apply",
                "add a line 'note: why this question does not apply' to the entry",
            )
        return Entry(qid, answer, note, where)

    def missing(self) -> tuple[str, ...]:
        """The questions in scope with no entry."""
        return tuple(q.id for q in self.scope.questions if q.id not in self.seen)

    def unanswered(self, where: Loc) -> list[Problem]:
        """LB606 (a warning) for the questions in scope without an entry, listed by id."""
        missing = self.missing()
        if not missing:
            return []
        return [
            UNANSWERED.at(
                where,
                f"{plural(len(missing), 'question')} in scope "
                + (
                    "has no entry in this file and counts"
                    if len(missing) == 1
                    else "have no entry in this file and count"
                )
                + " as unanswered (no): "
                + ", ".join(missing),
                "they were probably added to the playbooks since the file was written: add an entry for"
                " each, or run 'launchbook assess --template' for a file with every question",
            )
        ]


def read_answers(path: Path, pb: Playbook) -> tuple[Answers | None, list[Problem]]:
    """Load and validate an answers file against ``pb``; every problem has file:line:col and a hint."""
    display = display_path(path)
    doc = load_document(path, ANSWERS, display)
    problems = list(doc.problems)
    if not doc.ok or doc.data is None:
        return None, sorted_problems(problems)
    d = doc.data

    def loc(*key: str | int) -> Loc:
        line, col = doc.pos(*key)
        return Loc(display, line, col)

    scope, found = _read_scope(d, pb, loc)
    reader = _Reader(scope, loc, frozenset(a["id"] for a in d["answers"] if a.get("id") in scope.known))
    for i, a in enumerate(d["answers"]):
        if "id" in a:  # the loader reported the others; a blank answer is read as unanswered
            reader.read(i, a)
    problems += found + reader.problems
    if len(reader.seen) + reader.folded + len(reader.retired) == len([a for a in d["answers"] if "id" in a]):
        problems += reader.unanswered(loc("answers"))  # no broken entry hides a missing one
    if any(p.level == "error" for p in problems):
        return None, sorted_problems(problems)
    answers = Answers(
        display,
        d.get("playbook", ""),
        scope.checklist,
        scope.role,
        d.get("date", ""),
        tuple(reader.entries),
        scope=tuple(q.id for q in scope.questions),
        missing=reader.missing(),
        retired=tuple(reader.retired),
    )
    return answers, sorted_problems(problems)


def one_line(text: str) -> str:
    """``text`` on one line, runs of white space as one space."""
    return " ".join(text.split())


def grouped(pb: Playbook, questions: Sequence[Question]) -> list[tuple[str, str, list[Question]]]:
    """``questions`` grouped by category, then phase (the manifest's orders), each group in the
    given order: ``(category id, phase id, questions)``, empty groups left out."""
    category_of = {fm.id: fm.category for fm in pb.failure_modes}
    out = []
    for c in pb.manifest.categories:
        for ph in pb.manifest.phases:
            qs = [q for q in questions if category_of.get(q.failure_mode) == c.id and q.phase == ph.id]
            if qs:
                out.append((c.id, ph.id, qs))
    placed = {q.id for _, _, qs in out for q in qs}
    rest = [q for q in questions if q.id not in placed]  # a category or phase the manifest lacks
    return out + ([("", "", rest)] if rest else [])


def write_answers(
    pb: Playbook,
    questions: Sequence[Question],
    answers: Mapping[str, tuple[str, str]] | None = None,
    *,
    checklist: str = "",
    role: str = "",
    date: str = "",
) -> str:
    """An answers file: the template when ``answers`` is empty; ``assets/assess.js`` writes the same text.

    The entries are grouped by category, then phase (a comment line heads each category and each
    phase); each entry's comment line gives the question, its level and its owner. The format read
    back is the one of 0.1.0: one ``- id:`` / ``answer:`` / ``note:`` entry per question."""
    answers = answers or {}
    m = pb.manifest
    out = [
        f"# launchbook answers: {one_line(m.title)} {m.version}",
        "# Answer each question with yes, partial, no or n/a, written as is (no quotes).",
        "# n/a needs a note saying why the question does not apply; a blank answer counts as no.",
        "# Questions are grouped by category, then phase; each names its level and its owner.",
        "# Then run: launchbook assess answers.yml",
        f"playbook: {json.dumps(f'{m.title} {m.version}', ensure_ascii=False)}",
    ]
    if checklist:
        out.append(f"checklist: {checklist}")
    if role:
        out.append(f"role: {role}")
    out.append(f"date: {date}" if date else "date:")
    out.append("answers:")
    categories = {c.id: one_line(c.title) for c in m.categories}
    phases = {p.id: one_line(p.title) for p in m.phases}
    roles = {r.id: one_line(r.name) for r in pb.roles}
    category = None
    for cid, pid, qs in grouped(pb, questions):
        if cid != category:
            category = cid
            out += ["", f"  # ==== {categories.get(cid, 'Other questions')} ===="]
        out.append(f"  # ---- phase: {phases.get(pid, pid or 'other')} ----")
        for q in qs:
            answer, note = answers.get(q.id, ("", ""))
            out.append(f"  # {one_line(q.ask)} (level {q.level}, {roles.get(q.owner, q.owner)})")
            out.append(f"  - id: {q.id}")
            out.append(f"    answer: {answer}" if answer else "    answer:")
            out.append(f"    note: {json.dumps(note, ensure_ascii=False)}" if note else "    note:")
    return "\n".join(out) + "\n"
