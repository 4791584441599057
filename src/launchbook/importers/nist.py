"""NIST AI RMF Playbook (JSON export) -> launchbook playbook set.

Input: the Playbook's JSON export (``nist_ai_rmf_playbook.json``, a list of 72
subcategories with ``title`` such as ``GOVERN 1.2``, ``description``,
``section_about``, ``section_actions``, ``section_doc``, ``section_ref``,
``AI Actors`` and ``Topic``). SRC is that file or a folder holding it.

Mapping:

* each subcategory -> a failure mode ``govern-1-2``, ``maps_to: {nist-ai-rmf: ["GOVERN 1.2"]}``;
  its category and phase are its function (govern, map, measure, manage, in that order);
* each suggested action -> a remediation ``govern-1-2-r1``, ``-r2`` ... (nested bullets kept);
* each "Organizations can document the following" question -> a question ``govern-1-2-q1`` ...;
  transparency resources and references are kept in the summary;
* AI actors -> roles (``tevv``, ``operation-and-monitoring`` ...). NIST lists actors without
  naming one accountable: the first listed is the owner, the others are involved; a subcategory
  with no actor is owned by ``framework-owner``;
* topics -> tags. Effort is ``M`` (NIST does not estimate effort).
* one checklist per function (``nist-ai-rmf-govern`` ...) with its documentation questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import (
    DEFAULT_EFFORT,
    DEFAULT_OWNER,
    Attribution,
    PlaybookSet,
    bullets,
    clean_md,
    clean_text,
    kebab,
    numbered,
    one_line,
    short_title,
)
from .reader import Budget, ForeignDataError, read_json

FRAMEWORK = "nist-ai-rmf"
FILE = "nist_ai_rmf_playbook.json"
FUNCTIONS = ("GOVERN", "MAP", "MEASURE", "MANAGE")
FUNCTION_TEXT = {
    "GOVERN": "A culture of risk management is cultivated and present (cross-cutting).",
    "MAP": "Context is recognized and risks related to context are identified.",
    "MEASURE": "Identified risks are assessed, analyzed, or tracked.",
    "MANAGE": "Risks are prioritized and acted upon based on a projected impact.",
}
ATTRIBUTION = Attribution(
    source_id="nist-ai-rmf-playbook",
    framework=FRAMEWORK,
    title="NIST AI RMF Playbook",
    author="National Institute of Standards and Technology",
    publisher="NIST Trustworthy and Responsible AI Resource Center",
    date="2023",
    url="https://airc.nist.gov/docs/playbook.json",
    license="Work of the U.S. Government, not subject to copyright in the United States (17 U.S.C. 105)",
    note=(
        "Imported with `launchbook import nist-ai-rmf`: subcategories, suggested actions, "
        "documentation questions and AI actors, kept verbatim. Cite NIST as the source."
    ),
)
_ID = re.compile(r"(GOVERN|MAP|MEASURE|MANAGE) [0-9]{1,4}\.[0-9]{1,4}")


@dataclass(frozen=True)
class Subcategory:
    id: str  # "GOVERN 1.2"
    function: str
    description: str
    about: str
    actions: tuple[tuple[str, str], ...]  # (title, what to do)
    questions: tuple[str, ...]
    resources: str
    references: str
    actors: tuple[str, ...]
    topics: tuple[str, ...]


def locate(src: Path) -> Path:
    if src.is_file():
        return src
    for cand in (src / FILE, *sorted(src.glob("*/" + FILE))):
        if cand.is_file():
            return cand
    raise ForeignDataError(str(src), 0, 0, f"no {FILE} here (pass the file or its folder)")


def read(src: Path, budget: Budget) -> list[Subcategory]:
    path = locate(src)
    data = read_json(path, budget)
    shown = budget.display(path)
    if not isinstance(data, list):
        raise ForeignDataError(shown, 0, 0, "expected a list of subcategories")
    out = []
    seen: set[str] = set()
    for i, e in enumerate(data):
        if not isinstance(e, dict) or not isinstance(e.get("title"), str):
            raise ForeignDataError(shown, 0, 0, f"entry {i + 1} has no title")
        sid = " ".join(e["title"].split())
        if not _ID.fullmatch(sid):
            raise ForeignDataError(shown, 0, 0, f"entry {i + 1}: '{sid}' is not a subcategory id")
        if sid in seen:
            raise ForeignDataError(shown, 0, 0, f"subcategory '{sid}' appears twice")
        seen.add(sid)
        questions, resources = _doc(str(e.get("section_doc") or ""))
        out.append(
            Subcategory(
                id=sid,
                function=sid.split()[0],
                description=one_line(e.get("description")),
                about=clean_md(e.get("section_about")),
                actions=_actions(str(e.get("section_actions") or "")),
                questions=tuple(questions),
                resources=resources,
                references=clean_md(e.get("section_ref")),
                actors=tuple(dict.fromkeys(one_line(a) for a in (e.get("AI Actors") or []) if one_line(a))),
                topics=tuple(dict.fromkeys(one_line(t) for t in (e.get("Topic") or []) if one_line(t))),
            )
        )
    return sorted(out, key=_order)


def _actions(text: str) -> tuple[tuple[str, str], ...]:
    """Suggested actions; a lead-in line ending with ':' ("Policies should be designed to:") is
    kept in front of each action it introduces rather than made an action of its own."""
    items = list(bullets(text))
    first = clean_text(text).split("\n", 1)[0].strip()
    if len(items) > 1 and items[0] == first and first.endswith(":") and not re.match(r"^[-*•]\s", first):
        lead = first
        return tuple(
            (
                short_title(item),
                f"{lead} {item[:1].lower()}{item[1:]}" if item[:2].istitle() else f"{lead} {item}",
            )
            for item in items[1:]
        )
    return tuple((short_title(item), item) for item in items)


def _order(s: Subcategory) -> tuple[int, int, int]:
    major, minor = s.id.split()[1].split(".")
    return FUNCTIONS.index(s.function), int(major), int(minor)


def _doc(text: str) -> tuple[list[str], str]:
    """Documentation questions (the first section's bullets) and the resources that follow."""
    sections = re.split(r"^\s*#{1,6}\s*(.*?)\s*$", clean_text(text), flags=re.M)
    questions: list[str] = []
    resources: list[str] = []
    # sections: [before, heading1, body1, heading2, body2, ...]
    for heading, body in zip(sections[1::2], sections[2::2], strict=True):
        if "document" in heading.lower() and not questions:
            questions = [one_line(b) for b in bullets(body) if one_line(b)]
        elif body.strip():
            resources.append(f"**{heading}**\n\n{clean_md(body)}")
    if not sections[1:] and text.strip():
        questions = [one_line(b) for b in bullets(text) if one_line(b)]
    return questions, "\n\n".join(resources)


def catalog(subs: list[Subcategory]) -> list[dict[str, str]]:
    return [{"id": s.id, "name": s.description, "kind": "subcategory", "group": s.function} for s in subs]


def build(subs: list[Subcategory]) -> PlaybookSet:
    ps = PlaybookSet(
        attribution=ATTRIBUTION,
        title="NIST AI RMF Playbook (imported)",
        version="1.0.0",
        description=(
            "The NIST AI Risk Management Framework Playbook as a launchbook playbook set: one failure "
            "mode per subcategory, its suggested actions as remediations, its documentation questions "
            "as questions, AI actors as roles."
        ),
    )
    for fn in FUNCTIONS:
        ps.categories.append({"id": fn.lower(), "title": fn.title(), "description": FUNCTION_TEXT[fn]})
        ps.phases.append({"id": fn.lower(), "title": fn.title(), "description": FUNCTION_TEXT[fn]})
    ps.levels = [
        {"level": 0, "name": "Not evidenced", "description": "Nothing documented for the subcategory."},
        {
            "level": 1,
            "name": "Documented",
            "description": "The organization can document the answer to the subcategory's questions.",
        },
    ]
    actors: dict[str, str] = {}
    for s in subs:
        for a in s.actors:
            actors.setdefault(kebab(a), a)
    for rid, name in sorted(actors.items()):
        ps.roles.append(
            {
                "id": rid,
                "name": name,
                "description": f"AI actor named by the NIST AI RMF Playbook: {name}.",
            }
        )
    for s in subs:
        ps.add_failure_mode(_failure_mode(s, ps))
    for fn in FUNCTIONS:
        items = [
            {"question": q["id"]}
            for fm in ps.failure_modes
            if fm["category"] == fn.lower()
            for q in fm["questions"]
        ]
        if items:
            ps.checklists.append(
                {
                    "id": f"{FRAMEWORK}-{fn.lower()}",
                    "title": f"NIST AI RMF {fn.title()}: documentation questions",
                    "meeting": f"AI RMF {fn.title()} review",
                    "description": f"The documentation questions of every {fn} subcategory. {FUNCTION_TEXT[fn]}",
                    "phase": fn.lower(),
                    "group_by": "failure-mode",
                    "items": items,
                }
            )
    return ps


def _failure_mode(s: Subcategory, ps: PlaybookSet) -> dict[str, Any]:
    fid = kebab(s.id)
    phase = s.function.lower()
    roles = [kebab(a) for a in s.actors] or [DEFAULT_OWNER]
    owner, involves = roles[0], roles[1:]
    maps = {FRAMEWORK: [s.id]}
    summary = [s.description]
    if s.about:
        summary.append(s.about)
    if s.resources:
        summary.append(s.resources)
    if s.references:
        summary.append(f"**References**\n\n{s.references}")
    asks = list(s.questions) or [f"Can we document that this holds for our AI system: {s.description}"]
    actions = list(s.actions) or [(short_title(s.description), f"Put in place and document: {s.description}")]
    remediations = []
    for i, (title, act) in enumerate(actions, 1):
        r: dict[str, Any] = {
            "id": numbered(fid, i, "r"),
            "title": title,
            "do": act,
            "owner": owner,
        }
        if involves:
            r["involves"] = involves
        r.update({"phase": phase, "effort": DEFAULT_EFFORT, "maps_to": {FRAMEWORK: [s.id]}})
        remediations.append(r)
    topics = "; ".join(s.topics) if s.topics else "not stated"
    fm: dict[str, Any] = {
        "id": fid,
        "title": f"{s.id}: {s.description.rstrip('.')}",
        "category": phase,
        "phases": [phase],
        "summary": "\n\n".join(summary),
        "signs": [f"Nobody can show documentation that {s.id} holds: {s.description}"],
        "impact": f"The AI RMF {s.function.title()} outcome {s.id} is not met. Risk topics concerned: {topics}.",
        "key_question": asks[0],
        "questions": [
            {
                "id": numbered(fid, i, "q"),
                "ask": q,
                "owner": owner,
                "phase": phase,
                "level": 1,
                "maps_to": {FRAMEWORK: [s.id]},
            }
            for i, q in enumerate(asks, 1)
        ],
        "remediations": remediations,
        "sources": [ps.citation(f"NIST AI RMF Playbook, subcategory {s.id}.")],
    }
    tags = list(dict.fromkeys(kebab(t) for t in s.topics))
    if tags:
        fm["tags"] = tags
    fm["maps_to"] = maps
    return fm
