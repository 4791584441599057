"""deon data-ethics checklist (YAML) -> launchbook playbook set.

Input: deon's ``checklist.yml`` (sections with ``section_id`` A-E and ``lines``
with ``line_id`` such as ``A.1``, ``line_summary`` and ``line``) and, when
present, ``examples_of_ethical_issues.yml`` (real cases per line). SRC is the
deon repository, its ``deon/assets`` folder or the checklist file. Other YAML
files next to them (translations) are not needed: each is still read, and one
that is broken is a warning on stderr, not a failure.

Mapping: each section -> a phase and a category (deon's sections follow a
project: collection, storage, analysis, modeling, deployment) and a failure
mode ``a-data-collection`` (``maps_to: {deon: [A]}``); each line -> a question
``a-1-q1`` (the line itself) and a remediation ``a-1-r1`` ("discuss and
record", as deon is meant to be used) carrying its examples; ``maps_to`` keeps
``A.1``. deon names no owner: ``framework-owner`` owns everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .common import DEFAULT_EFFORT, DEFAULT_OWNER, Attribution, PlaybookSet, kebab, numbered, one_line
from .reader import Budget, ForeignDataError, read_yaml

FRAMEWORK = "deon"
CHECKLIST = "checklist.yml"
EXAMPLES = "examples_of_ethical_issues.yml"
ATTRIBUTION = Attribution(
    source_id="deon-checklist",
    framework=FRAMEWORK,
    title="deon: An ethics checklist for data scientists",
    author="DrivenData",
    publisher="DrivenData Inc.",
    date="2018",
    url="https://deon.drivendata.org/",
    license="MIT (Copyright 2018 DrivenData Inc.)",
    note=(
        "Imported with `launchbook import deon` from deon's checklist.yml and "
        "examples_of_ethical_issues.yml; MIT license, Copyright 2018 DrivenData Inc."
    ),
)


@dataclass(frozen=True)
class Line:
    id: str  # A.1
    summary: str
    line: str
    examples: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Section:
    id: str  # A
    title: str
    lines: tuple[Line, ...]


@dataclass
class Checklist:
    title: str
    sections: list[Section]
    warnings: list[Problem] = field(default_factory=list)


def locate(src: Path) -> Path:
    if src.is_file():
        return src
    for cand in (src / CHECKLIST, src / "assets" / CHECKLIST, src / "deon" / "assets" / CHECKLIST):
        if cand.is_file():
            return cand
    raise ForeignDataError(str(src), 0, 0, f"no deon {CHECKLIST} here (pass the file or deon/assets)")


def read(src: Path, budget: Budget) -> Checklist:
    path = locate(src)
    data = read_yaml(path, budget)
    shown = budget.display(path)
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise ForeignDataError(shown, 0, 0, "expected 'title' and a list of 'sections'")
    warnings: list[Problem] = []
    examples: dict[str, list[tuple[str, str]]] = {}
    ex_path = path.parent / EXAMPLES
    if ex_path.is_file():
        try:
            for entry in read_yaml(ex_path, budget) or []:
                links = [
                    (one_line(x.get("text")), str(x.get("url") or "").strip())
                    for x in entry.get("links") or []
                    if isinstance(x, dict)
                ]
                examples[str(entry.get("line_id"))] = [(t, u) for t, u in links if t]
        except (ForeignDataError, AttributeError, TypeError) as exc:
            warnings.append(_warning(exc, budget.display(ex_path), "examples left out"))
    # files the importer does not need (translations): read, so a broken one is reported, as a warning
    for other in sorted(path.parent.glob("*.y*ml")):
        if other in (path, ex_path):
            continue
        try:
            read_yaml(other, budget)
        except ForeignDataError as exc:
            warnings.append(_warning(exc, budget.display(other), "not needed for the import, skipped"))
    sections = []
    for i, s in enumerate(data["sections"]):
        if not isinstance(s, dict) or not s.get("section_id") or not isinstance(s.get("lines"), list):
            raise ForeignDataError(shown, 0, 0, f"section {i + 1} needs 'section_id' and 'lines'")
        lines = []
        for ln in s["lines"]:
            if not isinstance(ln, dict) or not ln.get("line_id") or not ln.get("line"):
                raise ForeignDataError(
                    shown, 0, 0, f"section {s['section_id']}: a line without 'line_id'/'line'"
                )
            lid = str(ln["line_id"]).strip()
            lines.append(
                Line(
                    lid,
                    one_line(ln.get("line_summary")) or lid,
                    one_line(ln["line"]),
                    tuple(examples.get(lid, ())),
                )
            )
        sections.append(Section(str(s["section_id"]).strip(), one_line(s.get("title")), tuple(lines)))
    return Checklist(one_line(data.get("title")) or "Data Science Ethics Checklist", sections, warnings)


def _warning(exc: Exception, shown: str, what: str) -> Problem:
    if isinstance(exc, ForeignDataError):
        return Problem("LB701", "warning", f"{exc.message}; {what}", exc.path, exc.line, exc.column)
    return Problem("LB701", "warning", f"unexpected structure; {what}", shown)


def catalog(cl: Checklist) -> list[dict[str, str]]:
    out = []
    for s in cl.sections:
        out.append({"id": s.id, "name": s.title, "kind": "section", "group": s.id})
        out += [{"id": ln.id, "name": ln.summary, "kind": "item", "group": s.id} for ln in s.lines]
    return out


def build(cl: Checklist) -> PlaybookSet:
    ps = PlaybookSet(
        attribution=ATTRIBUTION,
        title=f"deon: {cl.title} (imported)",
        version="1.0.0",
        description=(
            "deon's data-ethics checklist as a launchbook playbook set: one failure mode per section, "
            "each checklist line as a question, with the real-world examples deon collects."
        ),
    )
    for s in cl.sections:
        sid = kebab(s.id + " " + s.title)
        text = f"deon section {s.id}: {s.title}."
        ps.categories.append({"id": sid, "title": s.title, "description": text})
        ps.phases.append({"id": sid, "title": s.title, "description": text})
    ps.levels = [
        {"level": 0, "name": "Not discussed", "description": "The team has not discussed the item."},
        {
            "level": 1,
            "name": "Discussed and recorded",
            "description": "The team discussed the item and recorded its answer with the project.",
        },
    ]
    for s in cl.sections:
        ps.add_failure_mode(_failure_mode(s, ps))
    ps.checklists.append(
        {
            "id": "deon-data-ethics",
            "title": cl.title,
            "meeting": "Data ethics review",
            "description": "Every line of deon's checklist, section by section, as deon presents it.",
            "group_by": "phase",
            "items": [{"question": q["id"]} for fm in ps.failure_modes for q in fm["questions"]],
        }
    )
    return ps


def _failure_mode(s: Section, ps: PlaybookSet) -> dict[str, Any]:
    sid = kebab(s.id + " " + s.title)
    questions = []
    remediations = []
    for ln in s.lines:
        lid = kebab(ln.id)
        do = [
            f"Discuss with the team: {ln.line} Record the answer and any decision with the project "
            f"(deon's own workflow: the checklist lives in the repository)."
        ]
        if ln.examples:
            do.append(
                "**Examples of ethical issues** (collected by deon)\n\n"
                + "\n".join(
                    f"- [{t}]({u})" if u.startswith(("http://", "https://")) else f"- {t}"
                    for t, u in ln.examples
                )
            )
        questions.append(
            {
                "id": numbered(lid, 1, "q"),
                "ask": ln.line,
                "owner": DEFAULT_OWNER,
                "phase": sid,
                "level": 1,
                "maps_to": {FRAMEWORK: [ln.id]},
            }
        )
        remediations.append(
            {
                "id": numbered(lid, 1, "r"),
                "title": f"{ln.summary} ({ln.id})",
                "do": "\n\n".join(do),
                "owner": DEFAULT_OWNER,
                "phase": sid,
                "effort": DEFAULT_EFFORT,
                "maps_to": {FRAMEWORK: [ln.id]},
            }
        )
    items = "\n".join(f"- **{ln.id} {ln.summary}:** {ln.line}" for ln in s.lines)
    return {
        "id": sid,
        "title": f"{s.title} ({s.id}): ethics questions nobody asked",
        "category": sid,
        "phases": [sid],
        "summary": f"deon's checklist for {s.title.lower()}:\n\n{items}",
        "signs": [f"The team has not discussed “{ln.summary}” ({ln.id})." for ln in s.lines]
        or [f"The {s.title} section was never discussed."],
        "impact": "Ethical risks in "
        + s.title.lower()
        + " go unexamined until they harm people or the project.",
        "key_question": questions[0]["ask"] if questions else f"Have we discussed {s.title}?",
        "questions": questions,
        "remediations": remediations,
        "sources": [ps.citation(f"deon checklist, section {s.id} ({s.title}).")],
        "maps_to": {FRAMEWORK: [s.id]},
    }
