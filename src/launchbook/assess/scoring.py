"""The scoring: :data:`RULES` (data the site embeds as is) and pure functions over frozen dataclasses.

:func:`score_sections` is the scorer: a :class:`ScoringData` and ``{question id: answer}`` in, a
:class:`Scores` out. :func:`score` is its plain-data twin (dicts in, dicts out), the very function
``assets/assess.js`` implements; a test runs both on the same answer sets. :func:`do_next` orders the
remediations still to do. Nothing here reads files or prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Playbook, Question, Remediation
from ..schema import ANSWER_VALUES

RULES: dict[str, Any] = {
    "version": 1,
    "answers": list(ANSWER_VALUES),
    "weights": {"yes": 1.0, "partial": 0.5, "no": 0.0},
    "excluded": ["n/a"],
    "note_required": ["n/a"],
    "meets_level": ["yes"],
    "unanswered": "no",
    "sections": ["category", "phase"],
    "overall": "all-questions",
    "explanation": [
        "yes counts 1, partial 0.5, no 0; n/a (which needs a note) is left out; an unanswered question counts as no.",
        "A category's or phase's score is the mean of its applicable answers.",
        "A category or phase reaches level L when every applicable question of level L or below is answered yes"
        " (partial is not yes), up to the highest level its questions evidence; never below the lowest level.",
        "The overall level applies the same rule to all questions: the minimum across categories,"
        " as the ML Test Score takes the minimum across its sections.",
        "It is held back by the questions not answered yes at the lowest level among them: fix those first.",
    ],
}


@dataclass(frozen=True)
class Rules:
    """:data:`RULES` typed: what each answer weighs, which answers are left out or meet a level."""

    answers: tuple[str, ...]
    weights: Mapping[str, float]
    excluded: frozenset[str]
    note_required: frozenset[str]
    meets_level: frozenset[str]
    unanswered: str
    explanation: tuple[str, ...]
    plain: Mapping[str, Any]  # the data this was read from, as the site embeds it

    @classmethod
    def from_plain(cls, rules: Mapping[str, Any]) -> Rules:
        return cls(
            answers=tuple(rules["answers"]),
            weights=dict(rules["weights"]),
            excluded=frozenset(rules["excluded"]),
            note_required=frozenset(rules["note_required"]),
            meets_level=frozenset(rules["meets_level"]),
            unanswered=rules["unanswered"],
            explanation=tuple(rules["explanation"]),
            plain=rules,
        )

    def answer_of(self, answers: Mapping[str, str], qid: str) -> str:
        """The answer that counts for ``qid``: the given one, else the rule for unanswered."""
        return answers.get(qid, self.unanswered)

    def needs_work(self, answer: str) -> bool:
        """An answer that is neither left out (n/a) nor meets its level (yes)."""
        return answer not in self.excluded and answer not in self.meets_level


DEFAULT_RULES = Rules.from_plain(RULES)


@dataclass(frozen=True)
class ScoredQuestion:
    """What the scorer knows of a question: its level and the sections it belongs to."""

    id: str
    level: int
    category: str
    phase: str


@dataclass(frozen=True)
class ScoringData:
    """Everything the scorer reads (and the browser's scorer, as :meth:`as_plain`)."""

    rules: Rules
    levels: tuple[int, ...]
    categories: tuple[str, ...]
    phases: tuple[str, ...]
    questions: tuple[ScoredQuestion, ...]

    @classmethod
    def of(cls, pb: Playbook, questions: Iterable[Question] | None = None) -> ScoringData:
        """The data of ``questions`` (default: every question) with the playbooks' levels and sections."""
        qs = list(pb.questions()) if questions is None else list(questions)
        category_of = {fm.id: fm.category for fm in pb.failure_modes}
        return cls(
            rules=DEFAULT_RULES,
            levels=tuple(sorted(lv.level for lv in pb.manifest.levels)),
            categories=tuple(c.id for c in pb.manifest.categories),
            phases=tuple(p.id for p in pb.manifest.phases),
            questions=tuple(ScoredQuestion(q.id, q.level, category_of[q.failure_mode], q.phase) for q in qs),
        )

    @classmethod
    def from_plain(cls, data: Mapping[str, Any]) -> ScoringData:
        """Read back :meth:`as_plain` (or any data of the same shape, as the tests write)."""
        return cls(
            rules=Rules.from_plain(data["rules"]),
            levels=tuple(data["levels"]),
            categories=tuple(data["categories"]),
            phases=tuple(data["phases"]),
            questions=tuple(
                ScoredQuestion(q["id"], q["level"], q["category"], q["phase"]) for q in data["questions"]
            ),
        )

    def as_plain(self) -> dict[str, Any]:
        return {
            "rules": self.rules.plain,
            "levels": list(self.levels),
            "categories": list(self.categories),
            "phases": list(self.phases),
            "questions": [
                {"id": q.id, "level": q.level, "category": q.category, "phase": q.phase}
                for q in self.questions
            ],
        }


@dataclass(frozen=True)
class SectionScore:
    """The score of a category, a phase or all questions; ``level`` and ``score`` are None when no
    question applies. ``held_back_by`` are the question ids that keep ``next_level`` out of reach."""

    level: int | None
    score: float | None
    applicable: int
    counts: Mapping[str, int]
    held_back_by: tuple[str, ...]
    next_level: int | None

    def as_plain(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "score": self.score,
            "applicable": self.applicable,
            "counts": dict(self.counts),
            "held_back_by": list(self.held_back_by),
            "next_level": self.next_level,
        }


@dataclass(frozen=True)
class Scores:
    """Scores per category and per phase (in the playbooks' order) and overall. ``limited_by``: the
    categories that hold a question holding the overall level back."""

    overall: SectionScore
    limited_by: tuple[str, ...]
    categories: tuple[tuple[str, SectionScore], ...]
    phases: tuple[tuple[str, SectionScore], ...]

    def as_plain(self) -> dict[str, Any]:
        return {
            "overall": {**self.overall.as_plain(), "limited_by": list(self.limited_by)},
            "categories": [{"id": c, **s.as_plain()} for c, s in self.categories],
            "phases": [{"id": p, **s.as_plain()} for p, s in self.phases],
        }


@dataclass
class _Tally:
    """The running sums of one section while its questions are read."""

    counts: dict[str, int]
    total: float = 0.0
    applicable: int = 0
    top: int | None = None
    block: int | None = None
    blockers: tuple[str, ...] = ()

    def add(self, rules: Rules, q: ScoredQuestion, answer: str) -> None:
        if answer in rules.excluded:
            return
        self.applicable += 1
        self.total += rules.weights[answer]
        lv = q.level
        self.top = lv if self.top is None or lv > self.top else self.top
        if answer in rules.meets_level:
            return
        if self.block is None or lv < self.block:
            self.block, self.blockers = lv, (q.id,)
        elif lv == self.block:
            self.blockers += (q.id,)


def section_score(
    data: ScoringData, qs: Sequence[ScoredQuestion], answers: Mapping[str, str]
) -> SectionScore:
    """One section's score and level by the rules (module docstring of :mod:`launchbook.assess`)."""
    rules = data.rules
    tally = _Tally(counts={**dict.fromkeys(rules.answers, 0), "unanswered": 0})
    for q in qs:
        a = answers.get(q.id)
        tally.counts["unanswered" if a is None else a] += 1
        tally.add(rules, q, rules.unanswered if a is None else a)
    if tally.top is None:
        return SectionScore(None, None, 0, tally.counts, (), None)
    top, block = tally.top, tally.block
    ladder = sorted(data.levels)
    level = ladder[0]
    for candidate in ladder:
        if candidate <= top and (block is None or candidate < block) and candidate > level:
            level = candidate
    nxt = next((c for c in ladder if level < c <= top), None)
    return SectionScore(
        level, tally.total / tally.applicable, tally.applicable, tally.counts, tally.blockers, nxt
    )


def score_sections(data: ScoringData, answers: Mapping[str, str]) -> Scores:
    """Scores per category, per phase and overall for ``{question id: answer}``."""
    qs = data.questions
    categories = tuple(
        (c, section_score(data, [q for q in qs if q.category == c], answers)) for c in data.categories
    )
    phases = tuple((p, section_score(data, [q for q in qs if q.phase == p], answers)) for p in data.phases)
    overall = section_score(data, qs, answers)
    held = set(overall.held_back_by)
    limited_by = tuple(c for c, s in categories if held & set(s.held_back_by))
    return Scores(overall, limited_by, categories, phases)


def score(data: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """Scores per category, per phase and overall, from :func:`scoring_data` and ``{question id: answer}``.

    Plain data in, plain data out: ``assets/assess.js`` implements the very same function.
    """
    return score_sections(ScoringData.from_plain(data), answers).as_plain()


def scope_questions(pb: Playbook, checklist: str | None = None, role: str | None = None) -> list[Question]:
    """The questions an answers file covers: all of them, or a checklist's, or a role's (or both)."""
    questions = list(pb.questions())
    if checklist:
        by_id = {q.id: q for q in questions}
        cl = next(c for c in pb.checklists if c.id == checklist)
        questions = [by_id[i.ref] for i in cl.items if i.kind == "question" and i.ref in by_id]
    if role:
        questions = [q for q in questions if q.owner == role]
    return questions


def scoring_data(pb: Playbook, questions: Iterable[Question] | None = None) -> dict[str, Any]:
    """Everything :func:`score` (and the browser's scorer) reads: rules, levels, sections, questions."""
    return ScoringData.of(pb, questions).as_plain()


# ------------------------------------------------------------------ what to do next
def remediation_questions(pb: Playbook) -> dict[str, tuple[str, ...]]:
    """The questions each remediation gets answered yes, by current id: its ``answers`` (a former id
    followed to the question that keeps it in ``aliases``; an id the playbooks lack left out), or,
    when it names none, every question of its failure mode."""
    ids = {q.id for q in pb.questions()}
    current = {a: q.id for q in pb.questions() for a in q.aliases if a not in ids} | {i: i for i in ids}
    of_fm: dict[str, tuple[str, ...]] = {fm.id: tuple(q.id for q in fm.questions) for fm in pb.failure_modes}
    out: dict[str, tuple[str, ...]] = {}
    for r in pb.remediations():
        if r.answers:
            out.setdefault(r.id, tuple(dict.fromkeys(current[a] for a in r.answers if a in current)))
        else:
            out.setdefault(r.id, of_fm.get(r.failure_mode, ()))
    return out


def plan_data(pb: Playbook) -> list[dict[str, Any]]:
    """What :func:`plan` reads of each remediation, in file order (the site embeds it):

    - ``questions``: :func:`remediation_questions`;
    - ``requires``: the remediations to do first (ids of remediations that exist);
    - ``prerequisites``: every remediation it needs before it, through ``requires`` transitively;
    - ``rank``: ``[phase index, file index]``, the order among those free to go next.
    """
    import networkx as nx

    from ..graph import requires_graph

    g = requires_graph(pb)
    phase = pb.phase_index
    qs_of = remediation_questions(pb)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, r in enumerate(pb.remediations()):
        if r.id in seen:
            continue
        seen.add(r.id)
        out.append(
            {
                "id": r.id,
                "questions": list(qs_of[r.id]),
                "requires": [x for x in r.requires if x in g],
                "prerequisites": sorted(nx.descendants(g, r.id)) if r.id in g else [],
                "rank": [phase.get(r.phase, 99), i],
            }
        )
    return out


def _ordered(items: Sequence[Mapping[str, Any]]) -> list[str]:
    """``items`` in dependency order: repeatedly the one with the smallest ``rank`` among those whose
    prerequisites (within ``items``) are all placed; on a cycle (the checks report it), by rank."""
    ids = {m["id"] for m in items}
    pending = {m["id"]: set(m["prerequisites"]) & ids for m in items}
    rank = {m["id"]: tuple(m["rank"]) for m in items}
    out: list[str] = []
    while pending:
        ready = [i for i, before in pending.items() if not before]
        if not ready:
            return sorted(ids, key=lambda i: rank[i])
        first = min(ready, key=lambda i: rank[i])
        out.append(first)
        del pending[first]
        for before in pending.values():
            before.discard(first)
    return out


def plan(
    remediations: Sequence[Mapping[str, Any]],
    data: ScoringData,
    answers: Mapping[str, str],
    held_back_by: Iterable[str],
) -> tuple[list[str], list[str]]:
    """What to do next, from :func:`plan_data`: the ids in order, and those that lift the level.

    The rules, precisely (``assets/assess.js`` implements the same):

    1. A question is *open* when it is in scope (``data.questions``) and its answer (unanswered
       counts as no) is neither yes nor n/a.
    2. A remediation is *wanted* when one of its ``questions`` is open.
    3. A remediation is *done* when each of its ``questions`` is in scope and answered yes or n/a.
    4. The list: the wanted remediations, plus, through ``requires`` from those listed (repeatedly),
       each prerequisite that is not done.
    5. *Lifting*: those listed with a question in ``held_back_by`` (what holds the overall level
       back), plus, through ``requires`` (repeatedly), their prerequisites that are listed.
    6. Order: the lifting ones first, then the rest, each group by :func:`_ordered`.
    """
    rules = data.rules
    scope = {q.id for q in data.questions}
    by_id = {m["id"]: m for m in remediations}

    def open_(qid: str) -> bool:
        return qid in scope and rules.needs_work(rules.answer_of(answers, qid))

    def done(m: Mapping[str, Any]) -> bool:
        return all(
            q in scope and answers.get(q) in rules.meets_level | rules.excluded for q in m["questions"]
        )

    listed = {m["id"] for m in remediations if any(open_(q) for q in m["questions"])}
    _close(listed, by_id, lambda rid: not done(by_id[rid]))
    held = set(held_back_by)
    lifting = {i for i in listed if held & set(by_id[i]["questions"])}
    _close(lifting, by_id, lambda rid: rid in listed)
    head = _ordered([m for m in remediations if m["id"] in lifting])
    tail = _ordered([m for m in remediations if m["id"] in listed and m["id"] not in lifting])
    return head + tail, sorted(lifting)


def _close(chosen: set[str], by_id: Mapping[str, Mapping[str, Any]], admit: Callable[[str], bool]) -> None:
    """Add to ``chosen`` the prerequisites (through ``requires``, repeatedly) that ``admit`` lets in."""
    stack = list(chosen)
    while stack:
        for req in by_id[stack.pop()]["requires"]:
            if req in by_id and req not in chosen and admit(req):
                chosen.add(req)
                stack.append(req)


@dataclass(frozen=True)
class DoNext:
    """Remediations still to do, in dependency order; ``unblocking`` are those (with their
    prerequisites still to do) that lift the overall level, listed first."""

    order: tuple[Remediation, ...]
    unblocking: frozenset[str]


def do_next(
    pb: Playbook, data: ScoringData, answers: Mapping[str, str], held_back_by: Iterable[str]
) -> DoNext:
    """The remediations to do next by the rules of :func:`plan`, as the playbooks' remediations."""
    by_id: dict[str, Remediation] = {}
    for r in pb.remediations():
        by_id.setdefault(r.id, r)
    order, lifting = plan(plan_data(pb), data, answers, held_back_by)
    return DoNext(tuple(by_id[i] for i in order), frozenset(lifting))
