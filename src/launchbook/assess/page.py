"""What the site's offline "Assess your organization" page embeds: the scoring data (the same
:data:`~launchbook.assess.scoring.RULES` and questions the CLI scores with) plus the texts of the
form and the results. ``assets/assess.js`` scores in the browser with the same rules.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..graph import do_first_order
from ..model import Playbook
from .answers import one_line
from .scoring import ScoringData, plan, plan_data, scope_questions, score_sections, scoring_data


def page_data(pb: Playbook) -> dict[str, Any]:
    """What the browser page embeds: the scoring data plus texts for the form and the results."""
    data = scoring_data(pb)
    fm_titles = {fm.id: fm.title for fm in pb.failure_modes}
    roles = {r.id: r.name for r in pb.roles}
    planned = {m["id"]: m for m in plan_data(pb)}
    data.update(
        {
            "playbook": f"{pb.manifest.title} {pb.manifest.version}",
            "title": pb.manifest.title,
            "version": pb.manifest.version,
            "level_names": {str(lv.level): lv.name for lv in pb.manifest.levels},
            "category_titles": {c.id: c.title for c in pb.manifest.categories},
            "phase_titles": {p.id: p.title for p in pb.manifest.phases},
            "asks": {q.id: one_line(q.ask) for q in pb.questions()},
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
                    # what "do next" reads (scoring.plan): questions, prerequisites, rank
                    **planned[r.id],
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


def do_next_plain(data: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, list[str]]:
    """ "Do next" from what the page embeds (:func:`page_data`, or its scoped copy) and ``{question id:
    answer}``: ``order`` (remediation ids) and ``lifting`` (those that lift the overall level, sorted).

    The plain-data twin of the report's list (:func:`launchbook.assess.scoring.plan` has the rules);
    ``assets/assess.js`` implements the same function, and a test runs both on the same answers."""
    scoring = ScoringData.from_plain(data)
    held = score_sections(scoring, answers).overall.held_back_by
    order, lifting = plan(data["remediations"], scoring, answers, held)
    return {"order": order, "lifting": lifting}
