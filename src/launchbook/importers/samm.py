"""OWASP SAMM v2 model (YAML) -> launchbook playbook set.

Input: the ``model/`` folder of https://github.com/owaspsamm/core (business
functions, security practices, streams, practice levels, maturity levels,
activities, questions, answer sets; one YAML document per file, linked by
GUIDs). SRC is that folder or the repository holding it. Answer texts such as
``No`` stay text (the safe reader has no YAML 1.1 booleans).

Id scheme (the model's own file naming, computed from the data, not the file names):

* practice ``G-SM``: the business function's initial, then the practice's ``shortName``;
* stream ``G-SM-A``: the practice, then the stream ``letter``;
* activity ``G-SM-1-A``: the practice, the maturity level, the stream letter; SAMM asks one
  assessment question per activity, so this id names the question too.

Mapping: business functions -> phases (SAMM's order), practices -> categories, each stream ->
a failure mode ``g-sm-a`` (``maps_to: {samm: [G-SM-A]}``), each activity -> a remediation
``g-sm-1-a-r1`` and its question(s) -> ``g-sm-1-a-q1`` with ``level`` = SAMM maturity level and
the answer set (``No`` ... with its score) and quality criteria written into the remediation.
SAMM names no owner (a practice's ``assignee`` is the model author): everything is owned by
``framework-owner``. Levels 0-3 are SAMM's maturity levels. One checklist per business function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .common import (
    DEFAULT_EFFORT,
    DEFAULT_OWNER,
    Attribution,
    PlaybookSet,
    clean_md,
    kebab,
    numbered,
    one_line,
)
from .reader import Budget, ForeignDataError, read_yaml

FRAMEWORK = "samm"
ATTRIBUTION = Attribution(
    source_id="owasp-samm-v2",
    framework=FRAMEWORK,
    title="OWASP Software Assurance Maturity Model (SAMM) v2",
    author="OWASP SAMM project",
    publisher="OWASP Foundation",
    date="2020",
    url="https://owaspsamm.org/model/",
    license="CC BY-SA 4.0 (attribution required; adaptations shared alike)",
    note=(
        "Imported with `launchbook import samm` from the SAMM model data (owaspsamm/core). "
        "Texts are the OWASP SAMM project's, licensed under CC BY-SA 4.0 "
        "(https://creativecommons.org/licenses/by-sa/4.0/): this playbook set is an adaptation and "
        "is shared under the same license."
    ),
)
FOLDERS = {
    "Function": "business_functions",
    "Practice": "security_practices",
    "Stream": "streams",
    "PracticeLevel": "practice_levels",
    "MaturityLevel": "maturity_levels",
    "Activity": "activities",
    "Question": "questions",
    "AnswerSet": "answer_sets",
}


@dataclass(frozen=True)
class Answer:
    text: str
    value: float


@dataclass(frozen=True)
class Question:
    id: str  # activity id, e.g. G-SM-1-A
    order: int
    text: str
    quality: tuple[str, ...]
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Activity:
    id: str  # G-SM-1-A
    level: int
    title: str
    benefit: str
    short: str
    long: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Stream:
    id: str  # G-SM-A
    name: str
    description: str
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class Practice:
    id: str  # G-SM
    name: str
    short: str
    long: str
    function: str
    streams: tuple[Stream, ...]
    objectives: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Function:
    name: str
    letter: str
    description: str
    order: int


@dataclass
class Model:
    functions: list[Function]
    practices: list[Practice]
    levels: list[tuple[int, str]]
    warnings: list[Problem] = field(default_factory=list)


def locate(src: Path) -> Path:
    for cand in (src, src / "model"):
        if (cand / "security_practices").is_dir() and (cand / "streams").is_dir():
            return cand
    raise ForeignDataError(str(src), 0, 0, "no SAMM model here (expected model/security_practices/ ...)")


def _text(d: dict[str, Any], key: str, where: str) -> str:
    v = d.get(key)
    if v is None or isinstance(v, (dict, list)):
        raise ForeignDataError(where, 0, 0, f"missing '{key}'")
    return str(v)


def read(src: Path, budget: Budget) -> Model:
    root = locate(src)
    docs: dict[str, list[tuple[str, dict[str, Any]]]] = {t: [] for t in FOLDERS}
    for kind, folder in FOLDERS.items():
        for path in sorted((root / folder).glob("*.y*ml")):
            data = read_yaml(path, budget)
            shown = budget.display(path)
            if not isinstance(data, dict) or data.get("type") != kind or not data.get("id"):
                raise ForeignDataError(shown, 0, 0, f"expected a SAMM {kind} with an id")
            docs[kind].append((shown, data))
    by_id = {kind: {str(d["id"]): (w, d) for w, d in items} for kind, items in docs.items()}

    def get(kind: str, guid: Any, where: str) -> dict[str, Any]:
        hit = by_id[kind].get(str(guid))
        if hit is None:
            raise ForeignDataError(where, 0, 0, f"unknown {kind} '{guid}'")
        return hit[1]

    functions: dict[str, Function] = {}
    for w, d in docs["Function"]:
        name = one_line(_text(d, "name", w))
        functions[str(d["id"])] = Function(
            name, name[:1].upper(), clean_md(d.get("description")), int(d.get("order", 0))
        )
    mlevels = {str(d["id"]): int(d["number"]) for _, d in docs["MaturityLevel"]}
    answer_sets = {
        str(d["id"]): tuple(
            Answer(one_line(v["text"]), float(v.get("value", 0)))
            for v in sorted(d.get("values") or [], key=lambda v: int(v.get("order", 0)))
        )
        for _, d in docs["AnswerSet"]
    }
    questions_by_activity: dict[str, list[dict[str, Any]]] = {}
    for w, d in docs["Question"]:
        get("Activity", d.get("activity"), w)
        questions_by_activity.setdefault(str(d["activity"]), []).append(d)
    practices = []
    for pw, p in docs["Practice"]:
        fn = functions.get(str(p.get("function")))
        if fn is None:
            raise ForeignDataError(pw, 0, 0, f"unknown function '{p.get('function')}'")
        pid = f"{fn.letter}-{one_line(_text(p, 'shortName', pw))}"
        plevels = {
            str(d["id"]): mlevels[str(d["maturityLevel"])]
            for _, d in docs["PracticeLevel"]
            if str(d.get("practice")) == str(p["id"])
        }
        objectives = tuple(
            sorted(
                (mlevels[str(d["maturityLevel"])], one_line(d.get("objective")))
                for _, d in docs["PracticeLevel"]
                if str(d.get("practice")) == str(p["id"])
            )
        )
        streams = []
        for sw, s in sorted(
            (x for x in docs["Stream"] if str(x[1].get("practice")) == str(p["id"])),
            key=lambda x: str(x[1].get("letter")),
        ):
            letter = one_line(_text(s, "letter", sw))
            sid = f"{pid}-{letter}"
            acts = []
            for aw, a in docs["Activity"]:
                if str(a.get("stream")) != str(s["id"]):
                    continue
                level = plevels.get(str(a.get("level")))
                if level is None:
                    raise ForeignDataError(aw, 0, 0, f"unknown practice level '{a.get('level')}'")
                aid = f"{pid}-{level}-{letter}"
                qs = tuple(
                    Question(
                        aid,
                        int(q.get("order", 1)),
                        one_line(_text(q, "text", aw)),
                        tuple(one_line(c) for c in (q.get("quality") or []) if one_line(c)),
                        answer_sets.get(str(q.get("answerSet")), ()),
                    )
                    for q in sorted(
                        questions_by_activity.get(str(a["id"]), []), key=lambda q: int(q.get("order", 1))
                    )
                )
                acts.append(
                    Activity(
                        aid,
                        level,
                        one_line(_text(a, "title", aw)),
                        one_line(a.get("benefit")),
                        one_line(a.get("shortDescription")),
                        clean_md(a.get("longDescription")),
                        qs,
                    )
                )
            streams.append(
                Stream(
                    sid,
                    one_line(_text(s, "name", sw)),
                    clean_md(s.get("description")),
                    tuple(sorted(acts, key=lambda x: x.level)),
                )
            )
        practices.append(
            Practice(
                pid,
                one_line(_text(p, "name", pw)),
                one_line(p.get("shortDescription")),
                clean_md(p.get("longDescription")),
                fn.name,
                tuple(streams),
                objectives,
            )
        )
    fns = sorted(functions.values(), key=lambda f: (f.order, f.name))
    order = {f.name: i for i, f in enumerate(fns)}
    practices.sort(key=lambda p: (order[p.function], p.id))
    levels = sorted((int(d["number"]), clean_md(d.get("description"))) for _, d in docs["MaturityLevel"])
    return Model(fns, practices, levels)


def catalog(model: Model) -> list[dict[str, str]]:
    out = []
    for p in model.practices:
        out.append({"id": p.id, "name": p.name, "kind": "practice", "group": p.function})
        for s in p.streams:
            out.append({"id": s.id, "name": f"{p.name}: {s.name}", "kind": "stream", "group": p.id})
        for s in p.streams:
            for a in s.activities:
                out.append({"id": a.id, "name": a.title, "kind": "activity", "group": s.id})
    return out


def build(model: Model) -> PlaybookSet:
    ps = PlaybookSet(
        attribution=ATTRIBUTION,
        title="OWASP SAMM v2 (imported)",
        version="2.0.0",
        description=(
            "OWASP SAMM as a launchbook playbook set: business functions as phases, security practices "
            "as categories, one failure mode per stream, its activities as remediations and SAMM's "
            "assessment questions, with their answer sets, as questions. Licensed CC BY-SA 4.0."
        ),
    )
    for f in model.functions:
        ps.phases.append({"id": kebab(f.name), "title": f.name, "description": f.description or f.name})
    for p in model.practices:
        ps.categories.append(
            {"id": kebab(p.id), "title": f"{p.name} ({p.id})", "description": p.short or p.name}
        )
    ps.levels = [
        {"level": 0, "name": "Not practised", "description": "None of the stream's activities is in place."}
    ]
    ps.levels += [
        {"level": n, "name": f"SAMM maturity level {n}", "description": desc or f"SAMM maturity level {n}."}
        for n, desc in model.levels
    ]
    for p in model.practices:
        for s in p.streams:
            ps.add_failure_mode(_failure_mode(p, s, ps))
    for f in model.functions:
        phase = kebab(f.name)
        items = [
            {"question": q["id"]}
            for fm in ps.failure_modes
            if fm["phases"] == [phase]
            for q in fm["questions"]
        ]
        if items:
            ps.checklists.append(
                {
                    "id": f"samm-{phase}",
                    "title": f"SAMM assessment: {f.name}",
                    "meeting": f"SAMM {f.name} assessment",
                    "description": f"SAMM's assessment questions for the {f.name} business function, by stream.",
                    "phase": phase,
                    "group_by": "failure-mode",
                    "items": items,
                }
            )
    return ps


def _answers(q: Question) -> str:
    if not q.answers:
        return ""
    rows = "\n".join(f"- {a.text} (score {a.value:g})" for a in q.answers)
    return f"**Answers to “{q.text}”** (SAMM answer set)\n\n{rows}"


def _failure_mode(p: Practice, s: Stream, ps: PlaybookSet) -> dict[str, Any]:
    fid = kebab(s.id)
    phase = kebab(p.function)
    questions = []
    remediations = []
    signs = []
    for a in s.activities:
        aid = kebab(a.id)
        parts = [a.long or a.short or a.title]
        if a.benefit:
            parts.append(f"**Benefit:** {a.benefit}")
        for q in a.questions:
            if q.quality:
                parts.append("**Quality criteria**\n\n" + "\n".join(f"- {c}" for c in q.quality))
            if q.answers:
                parts.append(_answers(q))
        remediations.append(
            {
                "id": numbered(aid, 1, "r"),
                "title": a.title,
                "do": "\n\n".join(parts),
                "owner": DEFAULT_OWNER,
                "phase": phase,
                "effort": DEFAULT_EFFORT,
                "maps_to": {FRAMEWORK: [a.id]},
            }
        )
        for i, q in enumerate(a.questions, 1):
            questions.append(
                {
                    "id": numbered(aid, i, "q"),
                    "ask": q.text,
                    "owner": DEFAULT_OWNER,
                    "phase": phase,
                    "level": a.level,
                    "maps_to": {FRAMEWORK: [a.id]},
                }
            )
            lowest = q.answers[0].text if q.answers else "No"
            signs.append(f"The answer to “{q.text}” is “{lowest}”.")
    benefits = [f"- Level {a.level}: {a.benefit}" for a in s.activities if a.benefit]
    objectives = [f"- Level {n}: {o}" for n, o in p.objectives if o]
    summary = [s.description or s.name]
    if objectives:
        summary.append(f"**{p.name} objectives by maturity level**\n\n" + "\n".join(objectives))
    return {
        "id": fid,
        "title": f"{p.name}: {s.name} ({s.id})",
        "category": kebab(p.id),
        "phases": [phase],
        "summary": "\n\n".join(summary),
        "signs": signs or [f"None of the {s.name} activities is in place."],
        "impact": (
            "Without the stream's activities the organization forgoes:\n\n" + "\n".join(benefits)
            if benefits
            else f"The {p.name} practice stays immature."
        ),
        "key_question": questions[0]["ask"] if questions else f"Do we practise {s.name}?",
        "questions": questions,
        "remediations": remediations,
        "sources": [ps.citation(f"OWASP SAMM v2, {p.name} practice, {s.name} stream ({s.id}).")],
        "maps_to": {FRAMEWORK: [s.id, p.id]},
    }
