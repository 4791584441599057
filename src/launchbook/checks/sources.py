"""Checks that what the playbooks claim is grounded: every failure mode cites a source, every
source and statistic is cited, every figure in a text is a cited statistic, and a statistic's year
is one its source or a note states."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..codes import Code
from ..errors import Problem
from .registry import Context, check

# A percentage; not a number inside a word, path or URL ("doi.org/10.1177%2F...": %2F is an escape).
FIGURE_RE = re.compile(r"(?<![\w./])(\d+(?:\.\d+)?)\s?(%(?![0-9A-Fa-f]{2})|percent\b)", re.I)


@check("LB306", "orphan-source", "warning")
def orphan_source(ctx: Context, code: Code) -> Iterator[Problem]:
    """A source that nothing cites.

    Sources are cited by failure modes, or are the study behind a statistic, or
    the article that reports one.

    Example: ``sources.yml`` lists ``old-survey`` but no failure mode cites it.

    Fix: cite it where it is used, or delete it.
    """
    used: set[str] = set()
    for fm in ctx.pb.failure_modes:
        used.update(c.id for c in fm.sources)
    for st in ctx.pb.statistics:
        used.add(st.source)
        used.update(st.reported_in)
    for s in ctx.pb.sources:
        used.update(s.reported_in)
    for s in ctx.pb.sources:
        if s.id not in used:
            yield code.at(s.loc, f"source '{s.id}' is not cited", "cite it from a failure mode, or remove it")


@check("LB307", "orphan-statistic", "warning")
def orphan_statistic(ctx: Context, code: Code) -> Iterator[Problem]:
    """A statistic that no failure mode cites.

    Example: ``sources.yml`` lists statistic ``rexer-11`` but no failure mode's
    ``sources[].statistics`` mentions it.

    Fix: cite it where the figure matters, or delete it.
    """
    used = {s for fm in ctx.pb.failure_modes for c in fm.sources for s in c.statistics}
    for st in ctx.pb.statistics:
        if st.id not in used:
            yield code.at(
                st.loc,
                f"statistic '{st.id}' is not cited by any failure mode",
                "add it to a failure mode's sources[].statistics, or remove it",
            )


@check("LB310", "no-source")
def no_source(ctx: Context, code: Code) -> Iterator[Problem]:
    """A failure mode that cites no source.

    Every failure mode is grounded in at least one article, survey or paper.

    Example: ``sources: []``.

    Fix: cite the source it comes from (add it to sources.yml first if needed).
    """
    for fm in ctx.pb.failure_modes:
        if not fm.sources:
            yield code.at(fm.locs.get("sources", fm.loc), f"'{fm.id}' cites no source", "cite at least one")


@check("LB315", "uncited-figure")
def uncited_figure(ctx: Context, code: Code) -> Iterator[Problem]:
    """A figure (such as ``85%``) in a text that no cited statistic backs.

    Every percentage in a failure mode's texts must be the ``value`` of a
    statistic that the failure mode cites in ``sources[].statistics``, so that
    readers can see who measured it and who reported it.

    Example: ``summary: Only 20% of models ship.`` with no cited statistic whose value is ``20%``.

    Fix: add the statistic to sources.yml and cite it, or remove the figure.
    """
    for fm in ctx.pb.failure_modes:
        # Exact pre-test: every match holds '%' or (any case) 'percent'; most texts have neither,
        # and then their locations are never worked out.
        joined = "\n".join(fm.text_values())
        if "%" not in joined and "percent" not in joined.lower():
            continue
        cited = {_norm_figure(ctx.stats[s]) for c in fm.sources for s in c.statistics if s in ctx.stats}
        for name, text, loc in fm.texts():
            for m in FIGURE_RE.finditer(text):
                fig = f"{m.group(1)}%"
                if fig not in cited:
                    yield code.at(
                        loc,
                        f"figure '{m.group(0)}' in {name} of '{fm.id}' is not a cited statistic",
                        "cite the statistic in sources[].statistics, or remove the figure",
                    )


def _norm_figure(value: str) -> str:
    m = FIGURE_RE.search(value)
    return f"{m.group(1)}%" if m else value


@check("LB319", "unbacked-year")
def unbacked_year(ctx: Context, code: Code) -> Iterator[Problem]:
    """A statistic's year that neither its source's date nor a note backs.

    A figure's ``year`` is only given where someone states it: the date of the
    study in ``source`` shows it, or ``year_note`` says where it is stated (a
    citing article's words, such as "as VentureBeat reported in 2019"). An
    article that gives no year for a figure does not make the figure as old as
    the article, and an undated source (``date: "n.d."``) dates nothing. Without
    a ``year`` the site shows "year not stated".

    Example::

        - id: survey-deployed-10
          year: 2019            # LB319: its source 'survey-one' is dated n.d.
          source: survey-one

    Fix: remove ``year`` (the figure is then shown with "year not stated"), or
    add ``year_note`` saying who states the year and how, or correct the
    source's ``date``.
    """
    dates = {s.id: s.date for s in ctx.pb.sources}
    for st in ctx.pb.statistics:
        if st.year is None or st.year_note.strip() or st.source not in dates:
            continue
        date = dates[st.source]
        if date[:4] == str(st.year):
            continue
        shown = "undated (n.d.)" if date == "n.d." else f"dated {date}"
        yield code.at(
            st.locs.get("year", st.loc),
            f"statistic '{st.id}' gives year {st.year}, but its source '{st.source}' is {shown}",
            "remove the year (the figure is shown with 'year not stated'), or add year_note saying who"
            " states it",
        )
