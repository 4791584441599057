"""A checklist page that can be run as a meeting: what the page template and ``meeting.js`` read.

The page is server-rendered (every control is in the HTML, styled by ``launchbook.css``: the
site's Content-Security-Policy allows no inline script or style); ``assets/meeting.js`` keeps
what is ticked, answered and written in the browser's local storage, and exports Markdown
minutes and an answers file that ``launchbook assess`` reads (written like
:func:`launchbook.assess.answers.write_answers`, scoped to the checklist). The data block carries
what the exports print: the items' texts and owners, the decisions, the deciders.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..assess.scoring import DEFAULT_RULES
from ..model import Checklist, Playbook, Question, Remediation

ANSWER_CHOICES = (("yes", "Yes"), ("no", "No"), ("n/a", "N/A"))
"""The answers a meeting gives a question: the printed Yes / No / N/A boxes, in the answers file's
words (``launchbook assess`` also reads "partial", which a meeting writes in the note)."""
ACTION_ROWS = 4
HANDOUT_MARK = "-handout"  # in the file names of the handouts a build publishes


def is_handout(path: str) -> bool:
    """Whether a checklist download (a path from the site root) is a handout, not the facilitator's copy."""
    return HANDOUT_MARK in path.rsplit("/", 1)[-1]


def meeting_items(
    cl: Checklist, questions: Mapping[str, Question], rems: Mapping[str, Remediation]
) -> list[dict[str, Any]]:
    """The checklist's items as the page lists them (unknown references are left out: ``check``
    reports them)."""
    out: list[dict[str, Any]] = []
    for it in cl.items:
        ref: Question | Remediation | None = (
            questions.get(it.ref) if it.kind == "question" else rems.get(it.ref)
        )
        if ref is None:
            continue
        out.append(
            {
                "kind": it.kind,
                "id": ref.id,
                "key": f"{it.kind[0]}-{ref.id}",  # questions and remediations have separate ids
                "text": ref.ask if isinstance(ref, Question) else ref.title,
                "owner": ref.owner,
                "phase": ref.phase,
                "failure_mode": ref.failure_mode,
                "blocking": it.blocking,
            }
        )
    return out


def _json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def meeting_json(pb: Playbook, cl: Checklist, items: list[dict[str, Any]]) -> str:
    """What ``meeting.js`` reads, as JSON safe inside ``<script type="application/json">``."""
    roles = {r.id: r.name for r in pb.roles}
    m = pb.manifest
    data = {
        "checklist": cl.id,
        "title": cl.title,
        "meeting": cl.meeting,
        "playbook": f"{m.title} {m.version}",
        "decision": list(cl.decision),
        "deciders": [roles.get(d, d) for d in cl.deciders],
        "needs_note": sorted(DEFAULT_RULES.note_required),
        "action_rows": ACTION_ROWS,
        "items": [
            {
                "kind": it["kind"],
                "id": it["id"],
                "key": it["key"],
                "text": it["text"],
                "owner": roles.get(it["owner"], it["owner"]),
                "blocking": it["blocking"],
            }
            for it in items
        ],
    }
    return _json(data)
