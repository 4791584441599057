"""``launchbook assess``: an organization's maturity, scored from its answers to the playbook questions.

An answers file is YAML read by the same safe loader as the playbooks, against
:data:`launchbook.schema.ANSWERS`::

    playbook: "launchbook 0.1.0"
    answers:
      # Is there a written path to production?
      - id: plan-written
        answer: yes          # yes | partial | no | n/a, unquoted: read as text
        note: "signed off in March"

Scoring is one definition, :data:`RULES` (data) and :func:`score` (a pure
function over plain data). The site's "Assess your organization" page embeds
the same rules and questions as JSON and ``assets/assess.js`` implements the
same function; a test runs both on the same answer sets.

The rules, precisely:

- ``yes`` weighs 1, ``partial`` 0.5, ``no`` 0; ``n/a`` (which needs a note) is
  left out of everything. A question not answered (only possible in the
  browser, the CLI refuses such files) counts as ``no``.
- A section (a category, or a phase) scores the mean weight of its applicable
  questions.
- A section's *level* is the highest maturity level ``L`` such that every
  applicable question of level ``L`` or below is answered ``yes`` (partial is
  not yes), capped at the highest level its questions evidence; never below
  the lowest level. A section with no applicable question has no level.
- The *overall* level applies the same rule to all questions at once. That is
  the minimum across categories, as the ML Test Score takes the minimum across
  its sections, except that a category whose questions stop at a lower level
  does not cap it.
- What holds a section back: its applicable questions that are not ``yes`` at
  the lowest level among those.

Every rule only looks at "is it yes" and at weights that grow from no to yes,
so changing one answer from no to yes never lowers any score or level.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Loc, Problem, UsageError, did_you_mean, sorted_problems
from .fsutil import check_output_file, write_output_file
from .graph import do_first_order
from .loader import load_document
from .model import Playbook, Question, Remediation, display_path
from .schema import ANSWER_VALUES, ANSWERS

# ------------------------------------------------------------------ the rules, as data
# The codes an answers file can get (besides the loader's LB1xx/LB2xx), for 'launchbook explain'.
ASSESS_CODES: dict[str, tuple[str, str]] = {
    "LB601": (
        "assess-unknown-scope",
        "The answers file names a checklist or role (its 'checklist:' or 'role:' line) that the"
        " playbooks do not have.\n\nFix: use an id from 'launchbook checklist --list' or roles.yml"
        " (the hint names the closest one), or remove the line to answer every question.",
    ),
    "LB602": (
        "assess-unknown-question",
        "An answer for a question id the playbooks do not have: mistyped, or the question was"
        " removed or renamed upstream.\n\nFix: correct the id (the hint names the closest one);"
        " 'launchbook assess --template' writes a file with the current ids.",
    ),
    "LB603": (
        "assess-duplicate-answer",
        "The same question is answered twice; the score would depend on which one wins.\n\n"
        "Fix: keep one of the two entries.",
    ),
    "LB604": (
        "assess-out-of-scope",
        "A question outside the file's scope: the 'checklist:' or 'role:' line narrows the"
        " questions, and this one is not among them.\n\nFix: remove the answer, or the line"
        " that narrows the scope.",
    ),
    "LB605": (
        "assess-na-without-note",
        "An answer that needs a reason has none: 'n/a' (and any answer the rules mark so) must say"
        " why the question does not apply, or the score could hide a gap.\n\n"
        "Example::\n\n    - id: plan-written\n      answer: n/a   # LB605\n\n"
        "Fix: add 'note: why this does not apply here'.",
    ),
    "LB606": (
        "assess-unanswered",
        "Questions in the file's scope that have no answer; a score over part of the questions would"
        " overstate maturity.\n\nFix: add an entry for each (answer n/a with a note where one does"
        " not apply); 'launchbook assess --template' lists them all.",
    ),
    "LB607": (
        "assess-renamed-question",
        "(warning) An answer under a question's former id: the question was renamed, or merged into"
        " another one, and keeps the old id in its 'aliases', so the answer counts for the current"
        " question. When a file answers a merged question under several of its ids, the answer"
        " under the current id counts (else the first one) and the others are ignored.\n\n"
        "Fix: write the current id (the message names it); 'launchbook assess --template' writes a"
        " file with the current ids.",
    ),
}

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

EXAMPLES = """
examples:
  launchbook assess --template -o answers.yml             # every question, answers to fill in
  launchbook assess --template --checklist project-kickoff --role product-owner -o answers.yml
  launchbook assess answers.yml                           # levels, what holds them back, what to do next
  launchbook assess answers.yml --format json
  launchbook assess answers.yml --compare answers-2024.yml --format md > progress.md
"""

FORMATS = ("text", "json", "md", "html")


# ------------------------------------------------------------------ scope and data
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
    qs = list(pb.questions()) if questions is None else list(questions)
    category_of = {fm.id: fm.category for fm in pb.failure_modes}
    return {
        "rules": RULES,
        "levels": sorted(lv.level for lv in pb.manifest.levels),
        "categories": [c.id for c in pb.manifest.categories],
        "phases": [p.id for p in pb.manifest.phases],
        "questions": [
            {"id": q.id, "level": q.level, "category": category_of[q.failure_mode], "phase": q.phase}
            for q in qs
        ],
    }


# ------------------------------------------------------------------ the scorer
def _section(
    data: Mapping[str, Any], qs: Sequence[Mapping[str, Any]], answers: Mapping[str, str]
) -> dict[str, Any]:
    rules = data["rules"]
    weights: Mapping[str, float] = rules["weights"]
    excluded = set(rules["excluded"])
    meets = set(rules["meets_level"])
    ladder: list[int] = sorted(data["levels"])
    counts = {a: 0 for a in rules["answers"]}
    counts["unanswered"] = 0
    total = 0.0
    applicable = 0
    top: int | None = None
    block: int | None = None
    blockers: list[str] = []
    for q in qs:
        a = answers.get(q["id"])
        if a is None:
            counts["unanswered"] += 1
            a = rules["unanswered"]
        else:
            counts[a] += 1
        if a in excluded:
            continue
        applicable += 1
        total += weights[a]
        lv: int = q["level"]
        top = lv if top is None or lv > top else top
        if a not in meets:
            if block is None or lv < block:
                block, blockers = lv, [q["id"]]
            elif lv == block:
                blockers.append(q["id"])
    if top is None:
        return {
            "level": None,
            "score": None,
            "applicable": 0,
            "counts": counts,
            "held_back_by": [],
            "next_level": None,
        }
    level = ladder[0]
    for candidate in ladder:
        if candidate <= top and (block is None or candidate < block) and candidate > level:
            level = candidate
    nxt = None
    for candidate in ladder:
        if level < candidate <= top:
            nxt = candidate
            break
    return {
        "level": level,
        "score": total / applicable,
        "applicable": applicable,
        "counts": counts,
        "held_back_by": blockers,
        "next_level": nxt,
    }


def score(data: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """Scores per category, per phase and overall, from :func:`scoring_data` and ``{question id: answer}``.

    Plain data in, plain data out: ``assets/assess.js`` implements the very same function.
    """
    qs: list[Mapping[str, Any]] = data["questions"]
    categories = [
        {"id": c, **_section(data, [q for q in qs if q["category"] == c], answers)}
        for c in data["categories"]
    ]
    phases = [
        {"id": p, **_section(data, [q for q in qs if q["phase"] == p], answers)} for p in data["phases"]
    ]
    overall = _section(data, qs, answers)
    held = set(overall["held_back_by"])
    overall["limited_by"] = [c["id"] for c in categories if held & set(c["held_back_by"])]
    return {"overall": overall, "categories": categories, "phases": phases}


# ------------------------------------------------------------------ answers files
@dataclass(frozen=True)
class Entry:
    id: str
    answer: str
    note: str
    loc: Loc


@dataclass(frozen=True)
class Answers:
    """A validated answers file."""

    path: str
    playbook: str
    checklist: str
    role: str
    date: str
    entries: tuple[Entry, ...]

    def as_map(self) -> dict[str, str]:
        return {e.id: e.answer for e in self.entries}

    def notes(self) -> dict[str, str]:
        return {e.id: e.note for e in self.entries}


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

    checklist = d.get("checklist", "")
    role = d.get("role", "")
    checklists = [c.id for c in pb.checklists]
    roles = [r.id for r in pb.roles]
    if checklist and checklist not in checklists:
        hint = did_you_mean(checklist, checklists) or "known checklists: " + ", ".join(checklists)
        problems.append(Problem.at("LB601", loc("checklist"), f"unknown checklist '{checklist}'", hint))
        checklist = ""
    if role and role not in roles:
        hint = did_you_mean(role, roles) or "known roles: " + ", ".join(roles)
        problems.append(Problem.at("LB601", loc("role"), f"unknown role '{role}'", hint))
        role = ""
    known = {q.id for q in pb.questions()}
    scope = {q.id for q in scope_questions(pb, checklist or None, role or None)}
    scope_name = " and ".join(
        x for x in (f"checklist '{checklist}'" if checklist else "", f"role '{role}'" if role else "") if x
    )
    seen: dict[str, int] = {}
    entries: list[Entry] = []
    former = {a: q.id for q in pb.questions() for a in q.aliases if a not in known}
    direct = {a["id"] for a in d["answers"] if a.get("id") in known}
    folded = 0  # answers under a former id of a question answered under another id
    for i, a in enumerate(d["answers"]):
        if "id" not in a or "answer" not in a:
            continue  # the loader reported it
        qid: str = a["id"]
        where = loc("answers", i, "id")
        if qid in former:
            old, qid = qid, former[qid]
            if qid in direct or qid in seen:
                problems.append(
                    Problem.at(
                        "LB607",
                        where,
                        f"'{old}' is now part of question '{qid}', which is already answered; this"
                        " answer is ignored",
                        f"remove this entry, or merge its evidence into the answer for '{qid}'",
                        "warning",
                    )
                )
                folded += 1
                continue
            problems.append(
                Problem.at(
                    "LB607",
                    where,
                    f"question '{old}' is now '{qid}'; the answer counts for it",
                    f"write 'id: {qid}'",
                    "warning",
                )
            )
        if qid not in known:
            hint = (
                did_you_mean(qid, known) or "run 'launchbook assess --template' for the current question ids"
            )
            problems.append(Problem.at("LB602", where, f"unknown question '{qid}'", hint))
            continue
        if qid in seen:
            problems.append(
                Problem.at(
                    "LB603",
                    where,
                    f"question '{qid}' is answered twice (first at line {seen[qid]})",
                    "keep one of the two answers",
                )
            )
            continue
        seen[qid] = where.line
        if qid not in scope:
            problems.append(
                Problem.at(
                    "LB604",
                    where,
                    f"question '{qid}' is not in this file's scope ({scope_name})",
                    "remove it, or remove the 'checklist:'/'role:' line that narrows the scope",
                )
            )
            continue
        note = a.get("note", "")
        if a["answer"] in RULES["note_required"] and not note.strip():
            problems.append(
                Problem.at(
                    "LB605",
                    loc("answers", i, "answer"),
                    f"'{a['answer']}' for '{qid}' needs a reason",
                    "add a line 'note: why this question does not apply' to the entry",
                )
            )
            continue
        entries.append(Entry(qid, a["answer"], note, where))
    if len(seen) + folded == len([a for a in d["answers"] if "id" in a]):  # no broken entry hides one
        missing = [q for q in scope_questions(pb, checklist or None, role or None) if q.id not in seen]
        if missing:
            shown = ", ".join(q.id for q in missing[:5]) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            problems.append(
                Problem.at(
                    "LB606",
                    loc("answers"),
                    f"{len(missing)} question(s) in scope not answered: {shown}",
                    "add an entry for each (answer n/a with a note when one does not apply);"
                    " 'launchbook assess --template' lists them all",
                )
            )
    errors = [p for p in problems if p.level == "error"]
    if errors:
        return None, sorted_problems(problems)
    return (
        Answers(display, d.get("playbook", ""), checklist, role, d.get("date", ""), tuple(entries)),
        sorted_problems(problems),
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write_answers(
    pb: Playbook,
    questions: Sequence[Question],
    answers: Mapping[str, tuple[str, str]] | None = None,
    *,
    checklist: str = "",
    role: str = "",
    date: str = "",
) -> str:
    """An answers file: the template when ``answers`` is empty; ``assets/assess.js`` writes the same text."""
    answers = answers or {}
    m = pb.manifest
    out = [
        f"# launchbook answers: {_one_line(m.title)} {m.version}",
        "# Answer each question with yes, partial, no or n/a, written as is (no quotes).",
        "# n/a needs a note saying why the question does not apply.",
        "# Then run: launchbook assess answers.yml",
        f"playbook: {json.dumps(f'{m.title} {m.version}', ensure_ascii=False)}",
    ]
    if checklist:
        out.append(f"checklist: {checklist}")
    if role:
        out.append(f"role: {role}")
    out.append(f"date: {date}" if date else "date:")
    out.append("answers:")
    for q in questions:
        answer, note = answers.get(q.id, ("", ""))
        out.append(f"  # {_one_line(q.ask)}")
        out.append(f"  - id: {q.id}")
        out.append(f"    answer: {answer}" if answer else "    answer:")
        out.append(f"    note: {json.dumps(note, ensure_ascii=False)}" if note else "    note:")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ the report
def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def build_report(pb: Playbook, ans: Answers, top: int = 10) -> dict[str, Any]:
    """Scores enriched with titles, level names, explanations and the remediations to do next."""
    qs = scope_questions(pb, ans.checklist or None, ans.role or None)
    data = scoring_data(pb, qs)
    amap = ans.as_map()
    notes = ans.notes()
    result = score(data, amap)
    levels = {lv.level: lv for lv in pb.manifest.levels}
    cats = {c.id: c.title for c in pb.manifest.categories}
    phases = {p.id: p.title for p in pb.manifest.phases}
    roles = {r.id: r.name for r in pb.roles}
    qby = {q.id: q for q in pb.questions()}
    fm_cat = {fm.id: fm.category for fm in pb.failure_modes}

    def level_info(lv: int | None) -> dict[str, Any] | None:
        if lv is None or lv not in levels:
            return None if lv is None else {"level": lv, "name": f"level {lv}", "references": {}}
        return {"level": lv, "name": levels[lv].name, "references": dict(levels[lv].references)}

    def q_info(qid: str) -> dict[str, Any]:
        q = qby[qid]
        return {
            "id": q.id,
            "ask": q.ask,
            "answer": amap.get(q.id, RULES["unanswered"]),
            "note": notes.get(q.id, ""),
            "level": q.level,
            "owner": q.owner,
            "owner_name": roles.get(q.owner, q.owner),
            "phase": q.phase,
            "category": fm_cat[q.failure_mode],
            "failure_mode": q.failure_mode,
        }

    def enrich(sec: dict[str, Any], title: str) -> dict[str, Any]:
        return {
            **sec,
            "title": title,
            "level_name": (level_info(sec["level"]) or {}).get("name"),
            "held_back_by": [q_info(i) for i in sec["held_back_by"]],
        }

    overall = result["overall"]
    # remediations: of failure modes with a question answered no or partial (or unanswered)
    weak_fms = {
        qby[q["id"]].failure_mode
        for q in data["questions"]
        if amap.get(q["id"], RULES["unanswered"]) not in (*RULES["excluded"], *RULES["meets_level"])
    }
    blocking_fms = {qby[i].failure_mode for i in overall["held_back_by"]}
    candidates = [r for r in pb.remediations() if r.failure_mode in weak_fms]
    ordered, unblock = _next_order(pb, candidates, blocking_fms)
    rems = [
        {
            "id": r.id,
            "title": r.title,
            "owner": r.owner,
            "owner_name": roles.get(r.owner, r.owner),
            "involves": list(r.involves),
            "phase": r.phase,
            "effort": r.effort,
            "requires": list(r.requires),
            "failure_mode": r.failure_mode,
            "unblocks_level": r.id in unblock,
        }
        for r in ordered
    ]
    return {
        "playbook": {"title": pb.manifest.title, "version": pb.manifest.version},
        "answers": {
            "path": ans.path,
            "date": ans.date,
            "checklist": ans.checklist,
            "role": ans.role,
            "questions": len(qs),
        },
        "rules": RULES,
        "levels": [level_info(lv.level) for lv in pb.manifest.levels],
        "overall": {
            **overall,
            "level_name": (level_info(overall["level"]) or {}).get("name"),
            "references": (level_info(overall["level"]) or {}).get("references", {}),
            "held_back_by": [q_info(i) for i in overall["held_back_by"]],
        },
        "categories": [enrich(c, cats[c["id"]]) for c in result["categories"]],
        "phases": [enrich(p, phases[p["id"]]) for p in result["phases"]],
        "top": top,
        "remediations": rems,
        "answered": {q.id: amap.get(q.id, RULES["unanswered"]) for q in qs},
    }


def _next_order(
    pb: Playbook, candidates: list[Remediation], blocking_fms: set[str]
) -> tuple[list[Remediation], set[str]]:
    """Candidates in dependency order: first what unblocks the next level (with its prerequisites)."""
    by_id = {r.id: r for r in candidates}
    first = {r.id for r in candidates if r.failure_mode in blocking_fms}
    stack = list(first)
    while stack:  # prerequisites that are also still to do come along
        for req in by_id[stack.pop()].requires:
            if req in by_id and req not in first:
                first.add(req)
                stack.append(req)
    head = do_first_order(pb, [r for r in candidates if r.id in first])
    tail = do_first_order(pb, [r for r in candidates if r.id not in first])
    return head + tail, first


def compare_reports(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """What changed between two reports: levels and scores, answers that improved or regressed."""
    weights: Mapping[str, float] = RULES["weights"]

    def change(a: float | None, b: float | None) -> str:
        if a is None or b is None:
            return "same" if a == b else "changed"
        return "improved" if b > a else "regressed" if b < a else "same"

    def sections(kind: str) -> list[dict[str, Any]]:
        olds = {s["id"]: s for s in old[kind]}
        out = []
        for s in new[kind]:
            o = olds.get(s["id"], {"level": None, "score": None})
            lv, sc = change(o["level"], s["level"]), change(o["score"], s["score"])
            verdict = lv if lv != "same" else sc
            out.append(
                {
                    "id": s["id"],
                    "title": s["title"],
                    "level": [o["level"], s["level"]],
                    "score": [o["score"], s["score"]],
                    "change": verdict,
                }
            )
        return out

    improved: list[dict[str, Any]] = []
    regressed: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    for qid, b in new["answered"].items():
        if qid not in old["answered"]:
            added.append({"id": qid, "to": b})
            continue
        a = old["answered"][qid]
        if a == b:
            continue
        item = {"id": qid, "from": a, "to": b}
        if a in weights and b in weights:
            (improved if weights[b] > weights[a] else regressed).append(item)
        else:
            changed.append(item)
    for qid, a in old["answered"].items():
        if qid not in new["answered"]:
            removed.append({"id": qid, "from": a})
    o, n = old["overall"], new["overall"]
    return {
        "older": {"path": old["answers"]["path"], "date": old["answers"]["date"]},
        "overall": {
            "level": [o["level"], n["level"]],
            "score": [o["score"], n["score"]],
            "change": change(o["level"], n["level"])
            if o["level"] != n["level"]
            else change(o["score"], n["score"]),
        },
        "categories": sections("categories"),
        "phases": sections("phases"),
        "improved": improved,
        "regressed": regressed,
        "changed": changed,
        "added": added,
        "removed": removed,
    }


# ------------------------------------------------------------------ renderers
def _headline(o: Mapping[str, Any]) -> str:
    if o["level"] is None:
        return "not scored (no applicable question: every answer is n/a)"
    return f"level {o['level']} — {o['level_name']}"


def _lv(x: int | None) -> str:
    return "—" if x is None else str(x)


def _counts(c: Mapping[str, int]) -> str:
    return " ".join(f"{c[a]:>3}" for a in ("yes", "partial", "no", "n/a"))


def render_text(r: dict[str, Any], asks: Mapping[str, str]) -> str:
    o = r["overall"]
    out: list[str] = []
    n = r["answers"]["questions"]
    scope = ", ".join(
        x
        for x in (
            f"checklist {r['answers']['checklist']}" if r["answers"]["checklist"] else "",
            f"role {r['answers']['role']}" if r["answers"]["role"] else "",
        )
        if x
    )
    out.append(
        f"Maturity: {_headline(o)}   (score {_pct(o['score'])}, {n} questions"
        + (f", {o['counts']['n/a']} n/a" if o["counts"]["n/a"] else "")
        + (f"; {scope}" if scope else "")
        + ")"
    )
    for name, value in sorted(o["references"].items()):
        out.append(f"  {name}: {value}")
    out.append("")
    out.append("How it is scored")
    for line in RULES["explanation"]:
        out.append(f"  - {line}")
    out.append("")
    for kind, title in (("categories", "By category"), ("phases", "By phase")):
        out.append(f"{title:<36} level  score  yes part  no n/a")
        for s in r[kind]:
            out.append(
                f"  {s['title'][:34]:<34} {_lv(s['level']):>5}  {_pct(s['score']):>5}  {_counts(s['counts'])}"
            )
        out.append("")
    held = o["held_back_by"]
    titles = {c["id"]: c["title"] for c in r["categories"]}
    if held:
        nxt = o["next_level"]
        out.append(
            f"Held back by: level {nxt} needs every question of level {nxt} or below answered yes; these are not"
            + (f" (in {', '.join(titles[c] for c in o['limited_by'])})" if o["limited_by"] else "")
            + ":"
        )
        for q in held:
            out.append(f"  - [{q['answer']}] {q['ask']}  (level {q['level']}, {q['owner_name']}; {q['id']})")
            if q["note"]:
                out.append(f"      note: {q['note']}")
    elif o["next_level"] is None and o["level"] is not None:
        out.append("Held back by: nothing; every applicable question is answered yes.")
    out.append("")
    rems = r["remediations"][: r["top"]]
    if rems:
        more = len(r["remediations"]) - len(rems)
        out.append("Do next, in dependency order (* unblocks the next level)")
        for i, m in enumerate(rems, 1):
            after = f"  after: {', '.join(m['requires'])}" if m["requires"] else ""
            star = "*" if m["unblocks_level"] else " "
            out.append(
                f"{i:>3}.{star}[{m['effort']}] {m['title']} — {m['owner_name']}  ({m['id']}; {m['phase']}){after}"
            )
        if more:
            out.append(f"     … and {more} more (--top N, or --format json for all)")
        out.append("")
    if "compare" in r:
        out += _compare_text(r["compare"], asks)
    return "\n".join(out).rstrip("\n") + "\n"


def _compare_text(c: dict[str, Any], asks: Mapping[str, str]) -> list[str]:
    older = c["older"]["path"] + (f" ({c['older']['date']})" if c["older"]["date"] else "")
    o = c["overall"]
    out = [
        f"Since {older}: level {_lv(o['level'][0])} -> {_lv(o['level'][1])}, "
        f"score {_pct(o['score'][0])} -> {_pct(o['score'][1])} ({o['change']})"
    ]
    for kind in ("categories", "phases"):
        for s in c[kind]:
            if s["change"] != "same":
                out.append(
                    f"  {s['change']:<9} {s['title']}: level {_lv(s['level'][0])} -> {_lv(s['level'][1])},"
                    f" score {_pct(s['score'][0])} -> {_pct(s['score'][1])}"
                )
    for key, title in (("improved", "Improved"), ("regressed", "Regressed"), ("changed", "Changed")):
        if c[key]:
            out.append(f"{title}:")
            for it in c[key]:
                out.append(f"  - {it['id']}: {it['from']} -> {it['to']}  {asks.get(it['id'], '')}".rstrip())
    for key, title in (("added", "New in scope"), ("removed", "No longer in scope")):
        if c[key]:
            out.append(f"{title}: " + ", ".join(it["id"] for it in c[key]))
    if not any(c[k] for k in ("improved", "regressed", "changed", "added", "removed")):
        out.append("No answer changed.")
    return out


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def render_md(r: dict[str, Any], asks: Mapping[str, str]) -> str:
    o = r["overall"]
    out = [
        f"# Maturity assessment: {_headline(o)}",
        "",
        f"Score {_pct(o['score'])} over {r['answers']['questions']} questions"
        + (f" ({o['counts']['n/a']} n/a)" if o["counts"]["n/a"] else "")
        + f"; playbooks {r['playbook']['title']} {r['playbook']['version']}.",
        "",
    ]
    if o["references"]:
        out += ["| Reference | Corresponds to |", "|---|---|"]
        out += [f"| {k} | {_md_escape(v)} |" for k, v in sorted(o["references"].items())]
        out.append("")
    out += ["## How it is scored", ""] + [f"- {line}" for line in RULES["explanation"]] + [""]
    for kind, title in (("categories", "By category"), ("phases", "By phase")):
        out += [
            f"## {title}",
            "",
            "| | Level | Score | yes | partial | no | n/a |",
            "|---|---|---|---|---|---|---|",
        ]
        for s in r[kind]:
            c = s["counts"]
            out.append(
                f"| {_md_escape(s['title'])} | {_lv(s['level'])} | {_pct(s['score'])} | {c['yes']} | {c['partial']}"
                f" | {c['no']} | {c['n/a']} |"
            )
        out.append("")
    if o["held_back_by"]:
        out += [f"## Held back by (level {o['next_level']} needs these answered yes)", ""]
        for q in o["held_back_by"]:
            out.append(
                f"- **{q['answer']}** — {_md_escape(q['ask'])} (level {q['level']}, {q['owner_name']}; `{q['id']}`)"
            )
        out.append("")
    rems = r["remediations"][: r["top"]]
    if rems:
        out += ["## Do next, in dependency order", ""]
        for i, m in enumerate(rems, 1):
            star = " (unblocks the next level)" if m["unblocks_level"] else ""
            out.append(
                f"{i}. [{m['effort']}] {_md_escape(m['title'])} — {m['owner_name']} (`{m['id']}`, {m['phase']}){star}"
            )
        out.append("")
    if "compare" in r:
        out += ["## Changes", "", "```text", *_compare_text(r["compare"], asks), "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_html(r: dict[str, Any], asks: Mapping[str, str]) -> str:
    e = html.escape
    o = r["overall"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Maturity assessment: {e(_headline(o))}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .5rem;text-align:left}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>Maturity: {e(_headline(o))}</h1>",
        f"<p>Score {_pct(o['score'])} over {r['answers']['questions']} questions;"
        f" playbooks {e(r['playbook']['title'])} {e(r['playbook']['version'])}.</p>",
    ]
    if o["references"]:
        parts.append("<table><thead><tr><th>Reference</th><th>Corresponds to</th></tr></thead><tbody>")
        parts += [f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in sorted(o["references"].items())]
        parts.append("</tbody></table>")
    parts.append("<h2>How it is scored</h2><ul>")
    parts += [f"<li>{e(line)}</li>" for line in RULES["explanation"]]
    parts.append("</ul>")
    for kind, title in (("categories", "By category"), ("phases", "By phase")):
        parts.append(f'<h2>{title}</h2><table><thead><tr><th scope="col">{title[3:].capitalize()}</th>')
        parts.append(
            "".join(f'<th scope="col">{h}</th>' for h in ("Level", "Score", "yes", "partial", "no", "n/a"))
        )
        parts.append("</tr></thead><tbody>")
        for s in r[kind]:
            c = s["counts"]
            cells = [_lv(s["level"]), _pct(s["score"]), c["yes"], c["partial"], c["no"], c["n/a"]]
            parts.append(
                f'<tr><th scope="row">{e(s["title"])}</th>'
                + "".join(f"<td>{x}</td>" for x in cells)
                + "</tr>"
            )
        parts.append("</tbody></table>")
    if o["held_back_by"]:
        parts.append(f"<h2>Held back by (level {o['next_level']} needs these answered yes)</h2><ul>")
        for q in o["held_back_by"]:
            parts.append(
                f"<li><strong>{e(q['answer'])}</strong> — {e(q['ask'])}"
                f" (level {q['level']}, {e(q['owner_name'])}; <code>{e(q['id'])}</code>)</li>"
            )
        parts.append("</ul>")
    rems = r["remediations"][: r["top"]]
    if rems:
        parts.append("<h2>Do next, in dependency order</h2><ol>")
        for m in rems:
            star = " (unblocks the next level)" if m["unblocks_level"] else ""
            parts.append(
                f"<li>[{e(m['effort'])}] {e(m['title'])} — {e(m['owner_name'])}"
                f" (<code>{e(m['id'])}</code>, {e(m['phase'])}){star}</li>"
            )
        parts.append("</ol>")
    if "compare" in r:
        parts.append("<h2>Changes</h2><pre>" + e("\n".join(_compare_text(r["compare"], asks))) + "</pre>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _json_safe(r: dict[str, Any]) -> dict[str, Any]:
    out = dict(r)
    out.pop("answered", None)
    return out


# ------------------------------------------------------------------ site page data
def page_data(pb: Playbook) -> dict[str, Any]:
    """What the browser page embeds: the scoring data plus texts for the form and the results."""
    data = scoring_data(pb)
    fm_titles = {fm.id: fm.title for fm in pb.failure_modes}
    roles = {r.id: r.name for r in pb.roles}
    data.update(
        {
            "playbook": f"{pb.manifest.title} {pb.manifest.version}",
            "title": pb.manifest.title,
            "version": pb.manifest.version,
            "level_names": {str(lv.level): lv.name for lv in pb.manifest.levels},
            "category_titles": {c.id: c.title for c in pb.manifest.categories},
            "phase_titles": {p.id: p.title for p in pb.manifest.phases},
            "asks": {q.id: _one_line(q.ask) for q in pb.questions()},
            "owners": {q.id: roles.get(q.owner, q.owner) for q in pb.questions()},
            "failure_modes": {q.id: q.failure_mode for q in pb.questions()},
            "fm_titles": fm_titles,
            # an imported file's 'checklist:'/'role:' scope, checked as read_answers checks it
            "scopes": {
                "checklist": {c.id: [q.id for q in scope_questions(pb, c.id)] for c in pb.checklists},
                "role": {r.id: [q.id for q in scope_questions(pb, None, r.id)] for r in pb.roles},
            },
            "remediations": [
                {
                    "id": r.id,
                    "title": r.title,
                    "owner": roles.get(r.owner, r.owner),
                    "phase": r.phase,
                    "effort": r.effort,
                    "requires": list(r.requires),
                    "failure_mode": r.failure_mode,
                }
                for r in do_first_order(pb, pb.remediations())
            ],
        }
    )
    return data


def page_json(pb: Playbook) -> str:
    """:func:`page_data` as JSON safe to embed in a ``<script type="application/json">``."""
    text = json.dumps(page_data(pb), ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ------------------------------------------------------------------ command
def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``launchbook assess`` (the CLI registers the subcommand)."""
    p.add_argument(
        "answers",
        nargs="?",
        metavar="ANSWERS",
        help="answers file (with --template: the playbook folder, if any)",
    )
    p.add_argument(
        "path", nargs="?", metavar="PATH", help="playbook folder (default: ./playbooks, else bundled)"
    )
    p.add_argument("--template", action="store_true", help="write an answers file to fill in")
    p.add_argument("--checklist", metavar="NAME", help="with --template: only this checklist's questions")
    p.add_argument("--role", metavar="R", help="with --template: only the questions this role owns")
    p.add_argument("-o", "--output", metavar="FILE", help="with --template: write to FILE (never overwrites)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument(
        "--compare", metavar="OLDER", help="an earlier answers file: what improved, what regressed"
    )
    p.add_argument("--top", type=int, default=10, metavar="N", help="remediations to list (default 10)")


def _write_new(path: Path, text: str) -> None:
    check_output_file(path)  # a folder, a path under a file, .git, a name too long: a message
    if path.exists() or path.is_symlink():
        raise UsageError(
            f"{path}: already exists; choose another name (an answers file is never overwritten)"
        )
    write_output_file(path, text.encode("utf-8"))


def cmd_assess(args: argparse.Namespace) -> int:
    from .overlay import require_playbook
    from .report import for_terminal
    from .report import text as text_report

    if args.template:
        if args.path is not None:
            raise UsageError("with --template, give at most one PATH (the playbook folder)")
        pb = require_playbook(args.answers)
        checklists = [c.id for c in pb.checklists]
        roles = [r.id for r in pb.roles]
        for value, known, what in ((args.checklist, checklists, "checklist"), (args.role, roles, "role")):
            if value is not None and value not in known:
                raise UsageError(
                    f"unknown {what} '{value}'; "
                    + (did_you_mean(value, known) or "known: " + ", ".join(known))
                )
        qs = scope_questions(pb, args.checklist, args.role)
        if not qs:
            raise UsageError("no questions match this checklist and role")
        text = write_answers(pb, qs, checklist=args.checklist or "", role=args.role or "")
        if args.output:
            _write_new(Path(args.output), text)
            print(f"wrote {len(qs)} questions to {args.output}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0
    if args.checklist or args.role or args.output:
        raise UsageError("--checklist, --role and -o go with --template; the scope of answers is in the file")
    if args.answers is None:
        raise UsageError("give an answers file, or --template to write one")
    if args.top < 0:
        raise UsageError("--top must be 0 or more")
    files = [Path(args.answers)] + ([Path(args.compare)] if args.compare else [])
    for f in files:
        if not f.is_file():
            raise UsageError(f"{f}: no such file")
    pb = require_playbook(args.path)
    loaded: list[Answers] = []
    problems: list[Problem] = []
    for f in files:
        ans, probs = read_answers(f, pb)
        problems += probs
        if ans is not None:
            loaded.append(ans)
    if len(loaded) != len(files):
        sys.stderr.write(text_report(sorted_problems(problems), len(files)))
        return 1
    report = build_report(pb, loaded[0], args.top)
    if args.compare:
        report["compare"] = compare_reports(report, build_report(pb, loaded[1], args.top))
    asks = {q.id: _one_line(q.ask) for q in pb.questions()}
    if args.format == "json":
        sys.stdout.write(json.dumps(_json_safe(report), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "md":
        sys.stdout.write(render_md(report, asks))
    elif args.format == "html":
        sys.stdout.write(render_html(report, asks))
    else:
        sys.stdout.write(for_terminal(render_text(report, asks), newlines=True))
    return 0
