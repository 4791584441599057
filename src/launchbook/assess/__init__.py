"""``launchbook assess``: an organization's maturity, scored from its answers to the playbook questions.

The package, by responsibility:

- :mod:`.scoring`: the rules (:data:`RULES`, data the site embeds) and the scorer, pure functions
  over frozen dataclasses; what to do next.
- :mod:`.answers`: answers files read and validated (located problems LB601-LB606), and written.
- :mod:`.report`: the typed report of one file (:class:`Report`) and of a comparison.
- :mod:`.render`: :data:`RENDERERS`, one function per output format (Markdown and HTML from
  Jinja templates).
- :mod:`.page`: the data the site's offline assess page embeds.

The command (arguments, output) is :mod:`launchbook.commands.assess`.

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

from .answers import Answers, Entry, read_answers, write_answers
from .page import page_data, page_json
from .render import FORMATS, RENDERERS
from .report import Comparison, Report, build_report, compare_reports
from .scoring import RULES, Scores, ScoringData, scope_questions, score, score_sections, scoring_data

__all__ = [
    "FORMATS",
    "RENDERERS",
    "RULES",
    "Answers",
    "Comparison",
    "Entry",
    "Report",
    "Scores",
    "ScoringData",
    "build_report",
    "compare_reports",
    "page_data",
    "page_json",
    "read_answers",
    "scope_questions",
    "score",
    "score_sections",
    "scoring_data",
    "write_answers",
]
