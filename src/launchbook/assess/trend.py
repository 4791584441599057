"""Several assessments over time (:class:`Trend`) and across projects (:class:`Portfolio`): typed
views built from :class:`~launchbook.assess.report.Report` values, as frozen dataclasses whose
``to_json`` is their JSON report. The renderers are in :mod:`.views`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import mean
from typing import Any

from .report import Report, SectionReport


@dataclass(frozen=True)
class Point:
    """A level and a score (None when no question applies)."""

    level: int | None
    score: float | None

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "score": self.score}


@dataclass(frozen=True)
class Series:
    """A section (a category, or ``overall``) over the points of a trend, or across projects."""

    id: str
    title: str
    points: tuple[Point, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "points": [p.to_json() for p in self.points]}


def _point(s: SectionReport | None) -> Point:
    return Point(None, None) if s is None else Point(s.level, s.score)


def _category_series(reports: Sequence[Report]) -> tuple[Series, ...]:
    first = reports[0]
    out = []
    for c in first.categories:
        points = tuple(_point(next((x for x in r.categories if x.id == c.id), None)) for r in reports)
        out.append(Series(c.id, c.title, points))
    return tuple(out)


def _overall(reports: Sequence[Report]) -> Series:
    return Series("overall", "Overall", tuple(Point(r.overall.level, r.overall.score) for r in reports))


# ------------------------------------------------------------------ trend
@dataclass(frozen=True)
class Trend:
    """Assessments in order of date: the overall level and score and each category's, at each date."""

    playbook_title: str
    playbook_version: str
    dates: tuple[str, ...]
    paths: tuple[str, ...]
    levels: tuple[int, ...]
    overall: Series
    categories: tuple[Series, ...]

    @property
    def series(self) -> tuple[Series, ...]:
        return (self.overall, *self.categories)

    def to_json(self) -> dict[str, Any]:
        return {
            "playbook": {"title": self.playbook_title, "version": self.playbook_version},
            "dates": list(self.dates),
            "answers": list(self.paths),
            "levels": list(self.levels),
            "overall": self.overall.to_json(),
            "categories": [c.to_json() for c in self.categories],
        }


def build_trend(reports: Sequence[Report]) -> Trend:
    """The trend of ``reports`` (each scored against the same playbooks), in order of their dates."""
    ordered = sorted(reports, key=lambda r: r.source.date)
    first = ordered[0]
    return Trend(
        playbook_title=first.playbook_title,
        playbook_version=first.playbook_version,
        dates=tuple(r.source.date for r in ordered),
        paths=tuple(r.source.path for r in ordered),
        levels=tuple(lv.level for lv in first.levels),
        overall=_overall(ordered),
        categories=_category_series(ordered),
    )


# ------------------------------------------------------------------ portfolio
@dataclass(frozen=True)
class WeakSection:
    """A category or phase across projects: its mean score and its levels, lowest first."""

    id: str
    title: str
    kind: str  # "category" or "phase"
    mean_score: float
    lowest_level: int | None
    projects_at_lowest: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "mean_score": self.mean_score,
            "lowest_level": self.lowest_level,
            "projects_at_lowest": self.projects_at_lowest,
        }


@dataclass(frozen=True)
class Lift:
    """A remediation that lifts the overall level of the projects named (it is on their "do next"
    list, marked as unblocking the next level)."""

    id: str
    title: str
    owner_name: str
    effort: str
    projects: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "owner_name": self.owner_name,
            "effort": self.effort,
            "projects": list(self.projects),
        }


@dataclass(frozen=True)
class Portfolio:
    """Projects side by side: a level per category (the heatmap), the weakest sections across them,
    and the remediations that would lift the most projects (``top`` of them)."""

    playbook_title: str
    playbook_version: str
    projects: tuple[str, ...]
    paths: tuple[str, ...]
    levels: tuple[int, ...]
    overall: Series
    categories: tuple[Series, ...]
    weakest: tuple[WeakSection, ...]
    lifts: tuple[Lift, ...]
    top: int

    @property
    def rows(self) -> list[tuple[str, Point, list[Point]]]:
        """One row per project: its name, its overall point, its point in each category."""
        return [
            (name, self.overall.points[i], [c.points[i] for c in self.categories])
            for i, name in enumerate(self.projects)
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "playbook": {"title": self.playbook_title, "version": self.playbook_version},
            "projects": [
                {"name": n, "path": p, "overall": self.overall.points[i].to_json()}
                for i, (n, p) in enumerate(zip(self.projects, self.paths, strict=True))
            ],
            "levels": list(self.levels),
            "categories": [c.to_json() for c in self.categories],
            "weakest": [w.to_json() for w in self.weakest],
            "lifts": [x.to_json() for x in self.lifts[: self.top]],
        }


def _weak(reports: Sequence[Report], shown: int = 5) -> tuple[WeakSection, ...]:
    """The ``shown`` sections (categories and phases) with the lowest mean score across projects."""
    found = []
    for kind, sections in (("category", "categories"), ("phase", "phases")):
        for s in getattr(reports[0], sections):
            scored = [
                x for r in reports for x in getattr(r, sections) if x.id == s.id and x.score is not None
            ]
            if not scored:
                continue
            levels = [x.level for x in scored if x.level is not None]
            low = min(levels) if levels else None
            found.append(
                WeakSection(
                    s.id,
                    s.title,
                    kind,
                    mean(x.score for x in scored if x.score is not None),
                    low,
                    sum(1 for x in scored if x.level == low),
                )
            )
    found.sort(key=lambda w: (w.mean_score, w.lowest_level if w.lowest_level is not None else 99))
    return tuple(found[:shown])


def _lifts(names: Sequence[str], reports: Sequence[Report]) -> tuple[Lift, ...]:
    """Remediations by the number of projects whose overall level they lift (most first; ties in
    the order they first appear)."""
    found: dict[str, tuple[Any, list[str]]] = {}
    for name, r in zip(names, reports, strict=True):
        for m in r.remediations:
            if m.unblocks_level:
                found.setdefault(m.id, (m, []))[1].append(name)
    ranked = sorted(found.values(), key=lambda x: -len(x[1]))
    return tuple(Lift(m.id, m.title, m.owner_name, m.effort, tuple(p)) for m, p in ranked)


def build_portfolio(names: Sequence[str], reports: Sequence[Report], top: int = 10) -> Portfolio:
    """The portfolio of ``reports`` (one per project, named ``names``), in the order given."""
    first = reports[0]
    return Portfolio(
        playbook_title=first.playbook_title,
        playbook_version=first.playbook_version,
        projects=tuple(names),
        paths=tuple(r.source.path for r in reports),
        levels=tuple(lv.level for lv in first.levels),
        overall=_overall(reports),
        categories=_category_series(reports),
        weakest=_weak(reports),
        lifts=_lifts(names, reports),
        top=top,
    )
