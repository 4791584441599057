"""``launchbook assess``: an organization's maturity, scored from its answers to the playbook questions.

The package, by responsibility:

- :mod:`.scoring`: the rules (:data:`RULES`, data the site embeds) and the scorer, pure functions
  over frozen dataclasses; what to do next.
- :mod:`.answers`: answers files read and validated (located problems LB601-LB607), and written
  (the template, grouped by category and phase).
- :mod:`.merge`: one date's partial files merged (LB608 when they disagree), files grouped by date.
- :mod:`.report`: the typed report of one file (:class:`Report`) and of a comparison.
- :mod:`.trend`: several reports over time (:class:`Trend`) and across projects (:class:`Portfolio`).
- :mod:`.render`, :mod:`.views`: :data:`RENDERERS`, :data:`TREND_RENDERERS`,
  :data:`PORTFOLIO_RENDERERS`, one function per output format (Markdown and HTML from Jinja
  templates; :mod:`.chart` draws their inline SVG charts).
- :mod:`.page`: the data the site's offline assess page embeds, and :func:`do_next_plain`, the
  plain-data "do next" ``assets/assess.js`` implements.

The command (arguments, output) is :mod:`launchbook.commands.assess`.

Scoring is one definition, :data:`RULES` (data) and :func:`score` (a pure
function over plain data). The site's "Assess your organization" page embeds
the same rules and questions as JSON and ``assets/assess.js`` implements the
same function; a test runs both on the same answer sets.

The rules, precisely:

- ``yes`` weighs 1, ``partial`` 0.5, ``no`` 0; ``n/a`` (which needs a note) is
  left out of everything. A question not answered (a blank answer, or no entry
  at all) counts as ``no`` and is counted per section as "unanswered".
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
from .merge import by_date, merge
from .page import do_next_plain, page_data, page_json
from .render import FORMATS, RENDERERS
from .report import Comparison, Report, build_report, compare_reports
from .scoring import RULES, Scores, ScoringData, scope_questions, score, score_sections, scoring_data
from .trend import Portfolio, Trend, build_portfolio, build_trend
from .views import PORTFOLIO_RENDERERS, TREND_RENDERERS

__all__ = [
    "FORMATS",
    "PORTFOLIO_RENDERERS",
    "RENDERERS",
    "RULES",
    "TREND_RENDERERS",
    "Answers",
    "Comparison",
    "Entry",
    "Portfolio",
    "Report",
    "Scores",
    "ScoringData",
    "Trend",
    "build_portfolio",
    "build_report",
    "build_trend",
    "by_date",
    "compare_reports",
    "do_next_plain",
    "merge",
    "page_data",
    "page_json",
    "read_answers",
    "scope_questions",
    "score",
    "score_sections",
    "scoring_data",
    "write_answers",
]
