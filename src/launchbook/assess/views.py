"""Renderers of a :class:`~launchbook.assess.trend.Trend` and a :class:`~launchbook.assess.trend.Portfolio`:
:data:`TREND_RENDERERS` and :data:`PORTFOLIO_RENDERERS`, one function per format, as
:data:`launchbook.assess.render.RENDERERS` for one report. Text and JSON are written here; Markdown and
HTML are Jinja templates (``trend.*.j2``, ``portfolio.*.j2``) with inline SVG charts
(:mod:`.chart`) and the same figures as tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from .chart import Line, level_chart, score_chart
from .render import _env, lv, pct
from .trend import Point, Portfolio, Series, Trend


def cell(p: Point) -> str:
    """A level and a score in one cell: ``1 · 45%``."""
    return "—" if p.level is None else f"{p.level} · {pct(p.score)}"


def _lines(series: Sequence[Series], what: str) -> list[Line]:
    return [Line(s.title, tuple(getattr(p, what) for p in s.points)) for s in series]


def trend_charts(t: Trend, ident: str = "lb-trend") -> tuple[str, str]:
    """The two SVG charts of a trend: scores, then levels."""
    scores = score_chart(
        f"{ident}-scores", "Score over time, overall and by category", t.dates, _lines(t.series, "score")
    )
    levels = level_chart(
        f"{ident}-levels",
        "Maturity level over time, overall and by category",
        t.dates,
        _lines(t.series, "level"),
        t.levels,
    )
    return scores, levels


# ------------------------------------------------------------------ trend
def trend_text(t: Trend) -> str:
    width = 12
    out = [
        f"Trend: {len(t.dates)} assessments against {t.playbook_title} {t.playbook_version}"
        " (level · score at each date)",
        "",
        f"{'':<36}" + "".join(f"{d:>{width}}" for d in t.dates),
    ]
    for i, s in enumerate(t.series):
        name = s.title if i == 0 else "  " + s.title
        out.append(f"{name[:35]:<36}" + "".join(f"{cell(p):>{width}}" for p in s.points))
    out += ["", "Files:"] + [f"  {d}  {p}" for d, p in zip(t.dates, t.paths, strict=True)]
    return "\n".join(out) + "\n"


def trend_json(t: Trend) -> str:
    return json.dumps(t.to_json(), indent=2, ensure_ascii=False) + "\n"


def _render(template: str, **ctx: Any) -> str:
    return _env().get_template(template).render(cell=cell, **ctx).rstrip("\n") + "\n"


def trend_md(t: Trend) -> str:
    return _render("trend.md.j2", t=t, charts=trend_charts(t))


def trend_html(t: Trend) -> str:
    return _render("trend.html.j2", t=t, charts=trend_charts(t))


# ------------------------------------------------------------------ portfolio
def _short(titles: Sequence[str]) -> list[str]:
    return [f"C{i}" for i in range(1, len(titles) + 1)]


def portfolio_text(p: Portfolio) -> str:
    titles = [c.title for c in p.categories]
    keys = _short(titles)
    name_w = max(12, *(len(n) for n in p.projects)) + 2
    out = [
        f"Portfolio: {len(p.projects)} projects against {p.playbook_title} {p.playbook_version}",
        "",
        "Level by category (overall: level · score)",
        f"{'project':<{name_w}}{'overall':>14}" + "".join(f"{k:>5}" for k in keys),
    ]
    for name, overall, cells in p.rows:
        out.append(f"{name:<{name_w}}{cell(overall):>14}" + "".join(f"{lv(c.level):>5}" for c in cells))
    out += ["", *(f"  {k} = {t}" for k, t in zip(keys, titles, strict=True)), ""]
    out.append("Weakest sections across projects (mean score; lowest level, and how many projects are at it)")
    for w in p.weakest:
        out.append(
            f"  {w.title} ({w.kind}): {pct(w.mean_score)}; level {lv(w.lowest_level)} in"
            f" {w.projects_at_lowest} of {len(p.projects)}"
        )
    lifts = p.lifts[: p.top]
    if lifts:
        out += ["", "Remediations that would lift the most projects (to their next overall level)"]
        for i, m in enumerate(lifts, 1):
            out.append(
                f"{i:>3}. [{m.effort}] {m.title} — {m.owner_name}  ({m.id}): {len(m.projects)} of"
                f" {len(p.projects)}: {', '.join(m.projects)}"
            )
    return "\n".join(out) + "\n"


def portfolio_json(p: Portfolio) -> str:
    return json.dumps(p.to_json(), indent=2, ensure_ascii=False) + "\n"


def portfolio_md(p: Portfolio) -> str:
    return _render("portfolio.md.j2", p=p)


def portfolio_html(p: Portfolio) -> str:
    return _render("portfolio.html.j2", p=p)


TREND_RENDERERS: dict[str, Callable[[Trend], str]] = {
    "text": trend_text,
    "json": trend_json,
    "md": trend_md,
    "html": trend_html,
}
PORTFOLIO_RENDERERS: dict[str, Callable[[Portfolio], str]] = {
    "text": portfolio_text,
    "json": portfolio_json,
    "md": portfolio_md,
    "html": portfolio_html,
}
