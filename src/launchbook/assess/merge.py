"""Several answers files together: partial files of one date (one per role, say) merged into one,
and files of different dates kept apart as the points of a trend.

Files are grouped by their ``date:``; the files of a group are merged (:func:`merge`): a question
answered in two of them must get the same answer (else LB608, located at the second answer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..codes import declare
from ..errors import Problem
from ..model import Playbook
from .answers import Answers, Entry

CONFLICT = declare(
    "LB608",
    "assess-conflicting-answers",
    """
    Two answers files of the same date answer a question differently.

    Files given together with the same 'date:' (a team's partial files, one per role) are merged
    into one assessment; a question they both answer must get the same answer, or the score would
    depend on the order of the files.

    Example::

        # product-owner.yml            # data-engineer.yml
        date: 2024-05-01               date: 2024-05-01
        answers:                       answers:
          - id: plan-written             - id: plan-written   # LB608
            answer: yes                    answer: no

    It passes when both say the same, or when only one of them answers (a blank answer is no
    answer).

    Fix: agree on one answer and write it in one file (blank it in the other), or give the files
    their own dates if they are assessments made at different times.
    """,
)


def by_date(files: Sequence[Answers]) -> list[list[Answers]]:
    """``files`` grouped by ``date:`` (the groups in order of date, files in the order given)."""
    groups: dict[str, list[Answers]] = {}
    for a in files:
        groups.setdefault(a.date, []).append(a)
    return [groups[d] for d in sorted(groups)]


def _same(values: Sequence[str]) -> str:
    return values[0] if len(set(values)) == 1 else ""


def merge(pb: Playbook, files: Sequence[Answers]) -> tuple[Answers | None, list[Problem]]:
    """One assessment from the partial ``files`` of one date: every answer of each, the scope the
    union of theirs (in the playbooks' order); a question answered differently is an LB608 error."""
    if len(files) == 1:
        return files[0], []
    first: dict[str, tuple[Entry, str]] = {}  # question id -> its first answer and file
    problems: list[Problem] = []
    notes: dict[str, str] = {}
    for f in files:
        for e in f.entries:
            if e.note and e.id not in notes:
                notes[e.id] = e.note
            if not e.answer:
                continue
            seen = first.get(e.id)
            if seen is None:
                first[e.id] = (e, f.path)
            elif seen[0].answer != e.answer:
                where = seen[0].loc
                problems.append(
                    CONFLICT.at(
                        e.loc,
                        f"question '{e.id}' is answered '{e.answer}' here and '{seen[0].answer}' in"
                        f" {where.path}:{where.line}:{where.column} (files of the same date are merged)",
                        "agree on one answer and leave the other blank, or give the files their own dates",
                    )
                )
    if problems:
        return None, problems
    in_scope = {i for f in files for i in f.scope}
    scope = tuple(q.id for q in pb.questions() if q.id in in_scope)
    blanks = {e.id: e for f in files for e in f.entries if not e.answer}
    entries = [replace(e, note=notes.get(e.id, e.note)) for e, _ in first.values()]
    entries += [replace(e, note=notes.get(e.id, e.note)) for i, e in blanks.items() if i not in first]
    answered = {e.id for e in entries}
    merged = Answers(
        path=" + ".join(f.path for f in files),
        playbook=_same([f.playbook for f in files]),
        checklist=_same([f.checklist for f in files]),
        role=_same([f.role for f in files]),
        date=files[0].date,
        entries=tuple(entries),
        scope=scope,
        missing=tuple(i for i in scope if i not in answered),
        retired=tuple(dict.fromkeys(i for f in files for i in f.retired)),
    )
    return merged, []
