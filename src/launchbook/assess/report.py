"""The typed report: what scoring one answers file gives (:class:`Report`), and what changed between
two (:class:`Comparison`). Frozen dataclasses built from the playbooks and the scores; every renderer
reads these, and ``to_json`` is the JSON report (its keys and their order are part of the format).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..model import Playbook, Question
from .answers import Answers, one_line
from .scoring import DEFAULT_RULES, ScoringData, SectionScore, do_next, scope_questions, score_sections


@dataclass(frozen=True)
class LevelInfo:
    """A maturity level: its number, its name and what it corresponds to in other frameworks."""

    level: int
    name: str
    references: Mapping[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "name": self.name, "references": dict(self.references)}


@dataclass(frozen=True)
class HeldBack:
    """A question that holds a level back, with its answer and note."""

    id: str
    ask: str
    answer: str
    note: str
    level: int
    owner: str
    owner_name: str
    phase: str
    category: str
    failure_mode: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ask": self.ask,
            "answer": self.answer,
            "note": self.note,
            "level": self.level,
            "owner": self.owner,
            "owner_name": self.owner_name,
            "phase": self.phase,
            "category": self.category,
            "failure_mode": self.failure_mode,
        }


@dataclass(frozen=True)
class SectionReport:
    """A category's or a phase's score, titled, with what holds it back."""

    id: str
    title: str
    level: int | None
    level_name: str | None
    score: float | None
    applicable: int
    counts: Mapping[str, int]
    held_back_by: tuple[HeldBack, ...]
    next_level: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **_score_json(
                self.level, self.score, self.applicable, self.counts, self.held_back_by, self.next_level
            ),
            "title": self.title,
            "level_name": self.level_name,
        }


@dataclass(frozen=True)
class OverallReport:
    """The overall score: the level's name and references, what holds it back and in which categories."""

    level: int | None
    level_name: str | None
    references: Mapping[str, str]
    score: float | None
    applicable: int
    counts: Mapping[str, int]
    held_back_by: tuple[HeldBack, ...]
    next_level: int | None
    limited_by: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            **_score_json(
                self.level, self.score, self.applicable, self.counts, self.held_back_by, self.next_level
            ),
            "limited_by": list(self.limited_by),
            "level_name": self.level_name,
            "references": dict(self.references),
        }


def _score_json(
    level: int | None,
    score: float | None,
    applicable: int,
    counts: Mapping[str, int],
    held: Sequence[HeldBack],
    next_level: int | None,
) -> dict[str, Any]:
    return {
        "level": level,
        "score": score,
        "applicable": applicable,
        "counts": dict(counts),
        "held_back_by": [q.to_json() for q in held],
        "next_level": next_level,
    }


@dataclass(frozen=True)
class RemediationItem:
    """A remediation still to do; ``unblocks_level`` when it (or what requires it) lifts the level."""

    id: str
    title: str
    owner: str
    owner_name: str
    involves: tuple[str, ...]
    phase: str
    effort: str
    requires: tuple[str, ...]
    failure_mode: str
    unblocks_level: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "owner_name": self.owner_name,
            "involves": list(self.involves),
            "phase": self.phase,
            "effort": self.effort,
            "requires": list(self.requires),
            "failure_mode": self.failure_mode,
            "unblocks_level": self.unblocks_level,
        }


@dataclass(frozen=True)
class Source:
    """The answers file a report scores: its path, date, scope and number of questions in scope."""

    path: str
    date: str
    checklist: str
    role: str
    questions: int
    missing: tuple[str, ...] = ()  # in scope, with no entry in the file (they count as unanswered)
    retired: tuple[str, ...] = ()  # answered in the file, not in the playbooks (not scored)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "date": self.date,
            "checklist": self.checklist,
            "role": self.role,
            "questions": self.questions,
            "missing": list(self.missing),
            "not_in_playbooks": list(self.retired),
        }


# ------------------------------------------------------------------ comparison
@dataclass(frozen=True)
class Shift:
    """A level and a score, before and after, and the verdict (improved, regressed, changed, same)."""

    level: tuple[int | None, int | None]
    score: tuple[float | None, float | None]
    change: str

    def to_json(self) -> dict[str, Any]:
        return {"level": list(self.level), "score": list(self.score), "change": self.change}


@dataclass(frozen=True)
class SectionShift:
    id: str
    title: str
    shift: Shift

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, **self.shift.to_json()}


@dataclass(frozen=True)
class AnswerChange:
    """A question's answer before and after (None: not in that file's scope), and its text."""

    id: str
    before: str | None
    after: str | None
    ask: str

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.before is not None:
            out["from"] = self.before
        if self.after is not None:
            out["to"] = self.after
        return out


@dataclass(frozen=True)
class Comparison:
    """What changed since an older answers file: levels and scores, and answers by direction."""

    older: Source
    overall: Shift
    categories: tuple[SectionShift, ...]
    phases: tuple[SectionShift, ...]
    improved: tuple[AnswerChange, ...]
    regressed: tuple[AnswerChange, ...]
    changed: tuple[AnswerChange, ...]
    added: tuple[AnswerChange, ...]
    removed: tuple[AnswerChange, ...]
    new_questions: tuple[str, ...] = ()  # in the playbooks now, with no entry in the older file
    gone_questions: tuple[str, ...] = ()  # answered in the older file, no longer in the playbooks

    @property
    def any_answer_changed(self) -> bool:
        return any((self.improved, self.regressed, self.changed, self.added, self.removed))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "older": {"path": self.older.path, "date": self.older.date},
            "overall": self.overall.to_json(),
            "categories": [s.to_json() for s in self.categories],
            "phases": [s.to_json() for s in self.phases],
        }
        for key in ("improved", "regressed", "changed", "added", "removed"):
            out[key] = [c.to_json() for c in getattr(self, key)]
        out["new_questions"] = list(self.new_questions)
        out["gone_questions"] = list(self.gone_questions)
        return out


# ------------------------------------------------------------------ the report
@dataclass(frozen=True)
class Report:
    """One answers file scored: overall, per category and per phase, and the remediations to do next
    (``top`` of them shown). ``answered`` and ``asks`` cover the questions in scope."""

    playbook_title: str
    playbook_version: str
    source: Source
    rules: Mapping[str, Any]
    levels: tuple[LevelInfo, ...]
    overall: OverallReport
    categories: tuple[SectionReport, ...]
    phases: tuple[SectionReport, ...]
    top: int
    remediations: tuple[RemediationItem, ...]
    answered: Mapping[str, str]
    asks: Mapping[str, str]
    compare: Comparison | None = None

    @property
    def explanation(self) -> Sequence[str]:
        """How it is scored, in sentences."""
        return tuple(self.rules["explanation"])

    @property
    def shown_remediations(self) -> tuple[RemediationItem, ...]:
        return self.remediations[: self.top]

    @property
    def headline(self) -> str:
        o = self.overall
        if o.level is None:
            return "not scored (no applicable question: every answer is n/a)"
        return f"level {o.level} — {o.level_name}"

    def compared_with(self, older: Report) -> Report:
        """This report with what changed since ``older``."""
        return replace(self, compare=compare_reports(self, older))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "playbook": {"title": self.playbook_title, "version": self.playbook_version},
            "answers": self.source.to_json(),
            "rules": self.rules,
            "levels": [lv.to_json() for lv in self.levels],
            "overall": self.overall.to_json(),
            "categories": [s.to_json() for s in self.categories],
            "phases": [s.to_json() for s in self.phases],
            "top": self.top,
            "remediations": [m.to_json() for m in self.remediations],
        }
        if self.compare is not None:
            out["compare"] = self.compare.to_json()
        return out


UNANSWERED = "unanswered"  # what a report shows for a question with no answer (it counts as no)


class _Builder:
    """The playbooks' names and titles a report is built with."""

    def __init__(self, pb: Playbook, ans: Answers) -> None:
        self.pb = pb
        self.levels = {lv.level: lv for lv in pb.manifest.levels}
        self.roles = {r.id: r.name for r in pb.roles}
        self.questions = {q.id: q for q in pb.questions()}
        self.fm_category = {fm.id: fm.category for fm in pb.failure_modes}
        self.answers = ans.as_map()
        self.notes = ans.notes()

    def level(self, lv: int | None) -> LevelInfo | None:
        if lv is None:
            return None
        known = self.levels.get(lv)
        if known is None:
            return LevelInfo(lv, f"level {lv}", {})
        return LevelInfo(lv, known.name, dict(known.references))

    def held_back(self, qid: str) -> HeldBack:
        q = self.questions[qid]
        return HeldBack(
            id=q.id,
            ask=q.ask,
            answer=self.answers.get(q.id, UNANSWERED),
            note=self.notes.get(q.id, ""),
            level=q.level,
            owner=q.owner,
            owner_name=self.roles.get(q.owner, q.owner),
            phase=q.phase,
            category=self.fm_category[q.failure_mode],
            failure_mode=q.failure_mode,
        )

    def section(self, sid: str, title: str, s: SectionScore) -> SectionReport:
        info = self.level(s.level)
        return SectionReport(
            id=sid,
            title=title,
            level=s.level,
            level_name=info.name if info else None,
            score=s.score,
            applicable=s.applicable,
            counts=s.counts,
            held_back_by=tuple(self.held_back(i) for i in s.held_back_by),
            next_level=s.next_level,
        )

    def overall(self, s: SectionScore, limited_by: tuple[str, ...]) -> OverallReport:
        info = self.level(s.level)
        return OverallReport(
            level=s.level,
            level_name=info.name if info else None,
            references=info.references if info else {},
            score=s.score,
            applicable=s.applicable,
            counts=s.counts,
            held_back_by=tuple(self.held_back(i) for i in s.held_back_by),
            next_level=s.next_level,
            limited_by=limited_by,
        )

    def remediations(self, data: ScoringData, held_back_by: tuple[str, ...]) -> tuple[RemediationItem, ...]:
        plan = do_next(self.pb, data, self.answers, held_back_by)
        return tuple(
            RemediationItem(
                id=r.id,
                title=r.title,
                owner=r.owner,
                owner_name=self.roles.get(r.owner, r.owner),
                involves=tuple(r.involves),
                phase=r.phase,
                effort=r.effort,
                requires=tuple(r.requires),
                failure_mode=r.failure_mode,
                unblocks_level=r.id in plan.unblocking,
            )
            for r in plan.order
        )


def build_report(pb: Playbook, ans: Answers, top: int = 10) -> Report:
    """Scores enriched with titles, level names, explanations and the remediations to do next."""
    by_id = {q.id: q for q in pb.questions()}
    qs: list[Question] = (
        [by_id[i] for i in ans.scope if i in by_id]
        if ans.scope
        else scope_questions(pb, ans.checklist or None, ans.role or None)
    )
    data = ScoringData.of(pb, qs)
    b = _Builder(pb, ans)
    scores = score_sections(data, b.answers)
    cats = {c.id: c.title for c in pb.manifest.categories}
    phases = {p.id: p.title for p in pb.manifest.phases}
    return Report(
        playbook_title=pb.manifest.title,
        playbook_version=pb.manifest.version,
        source=Source(ans.path, ans.date, ans.checklist, ans.role, len(qs), ans.missing, ans.retired),
        rules=data.rules.plain,
        levels=tuple(info for lv in pb.manifest.levels if (info := b.level(lv.level)) is not None),
        overall=b.overall(scores.overall, scores.limited_by),
        categories=tuple(b.section(c, cats[c], s) for c, s in scores.categories),
        phases=tuple(b.section(p, phases[p], s) for p, s in scores.phases),
        top=top,
        remediations=b.remediations(data, scores.overall.held_back_by),
        answered={q.id: b.answers.get(q.id, UNANSWERED) for q in qs},
        asks={q.id: one_line(q.ask) for q in qs},
    )


# ------------------------------------------------------------------ comparing two reports
def _direction(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "same" if a == b else "changed"
    return "improved" if b > a else "regressed" if b < a else "same"


def shift(level: tuple[int | None, int | None], score: tuple[float | None, float | None]) -> Shift:
    """The verdict on a section: "improved" when the level and the score both rise, "regressed" when
    both fall, "same" when neither moves, "mixed" otherwise ("changed" when one side has no score)."""
    by_level, by_score = _direction(*level), _direction(*score)
    if "changed" in (by_level, by_score):
        return Shift(level, score, "changed")
    return Shift(level, score, by_level if by_level == by_score else "mixed")


def _section_shifts(new: Sequence[SectionReport], old: Sequence[SectionReport]) -> tuple[SectionShift, ...]:
    olds = {s.id: s for s in old}
    out = []
    for s in new:
        o = olds.get(s.id)
        before = (o.level, o.score) if o else (None, None)
        out.append(SectionShift(s.id, s.title, shift((before[0], s.level), (before[1], s.score))))
    return tuple(out)


def _weight(answer: str) -> float | None:
    """What an answer weighs (unanswered as the rules count it); None for n/a."""
    return DEFAULT_RULES.weights.get(DEFAULT_RULES.unanswered if answer == UNANSWERED else answer)


def _moved(new: Report, old: Report, skip: frozenset[str]) -> dict[str, list[AnswerChange]]:
    moved: dict[str, list[AnswerChange]] = {k: [] for k in ("improved", "regressed", "changed", "added")}
    for qid, b in new.answered.items():
        a = old.answered.get(qid)
        if a == b or qid in skip:
            continue
        item = AnswerChange(qid, a, b, new.asks.get(qid, ""))
        wa, wb = (None, None) if a is None else (_weight(a), _weight(b))
        if a is None:
            key = "added"
        elif wa is not None and wb is not None and wa != wb:
            key = "improved" if wb > wa else "regressed"
        else:
            key = "changed"
        moved[key].append(item)
    return moved


def compare_reports(new: Report, old: Report) -> Comparison:
    """What changed between two reports: levels and scores, answers that improved or regressed, and
    the questions added to the playbooks since the older file (new) or no longer in them (gone)."""
    new_questions = tuple(q for q in old.source.missing if q in new.answered)
    moved = _moved(new, old, frozenset(new_questions))
    removed = tuple(
        AnswerChange(qid, a, None, old.asks.get(qid, ""))
        for qid, a in old.answered.items()
        if qid not in new.answered
    )
    o, n = old.overall, new.overall
    return Comparison(
        older=old.source,
        overall=shift((o.level, n.level), (o.score, n.score)),
        categories=_section_shifts(new.categories, old.categories),
        phases=_section_shifts(new.phases, old.phases),
        improved=tuple(moved["improved"]),
        regressed=tuple(moved["regressed"]),
        changed=tuple(moved["changed"]),
        added=tuple(moved["added"]),
        removed=removed,
        new_questions=new_questions,
        gone_questions=tuple(dict.fromkeys(old.source.retired)),
    )
