"""What the site's offline "Assess your organization" page embeds: the scoring data (the same
:data:`~launchbook.assess.scoring.RULES` and questions the CLI scores with) plus the texts of the
form and the results. ``assets/assess.js`` scores in the browser with the same rules.
"""

from __future__ import annotations

import json
from typing import Any

from ..graph import do_first_order
from ..model import Playbook
from .answers import one_line
from .scoring import scope_questions, scoring_data


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
