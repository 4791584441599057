"""An inline SVG line chart: no script, no style attribute (pages carry a strict CSP), readable
when printed in black and white (each line has its own dash pattern and marker, named in a legend),
and accessible (``role="img"`` with a ``<title>`` and a ``<desc>``; the report beside it carries
the same figures as a table).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import escape

# (colour, dash pattern, marker): distinct in colour and, printed in grey, by dash and marker
STYLES: tuple[tuple[str, str, str], ...] = (
    ("#000000", "", "circle"),
    ("#1f77b4", "6 3", "square"),
    ("#d62728", "2 3", "triangle"),
    ("#2ca02c", "10 3 2 3", "diamond"),
    ("#9467bd", "4 4", "circle-open"),
    ("#8c564b", "1 2", "square-open"),
    ("#e377c2", "8 2 2 2 2 2", "triangle-open"),
    ("#17becf", "12 4", "diamond-open"),
)

W, H = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 48, 16, 44
LEGEND_ROW = 22


@dataclass(frozen=True)
class Line:
    """One series: its name and a value (or None: no point) at each x."""

    name: str
    values: tuple[float | None, ...]


def _days(label: str) -> int:
    try:
        return datetime.date.fromisoformat(label).toordinal()
    except ValueError:
        return 0


def _xs(labels: Sequence[str]) -> list[float]:
    """x of each label: by date when every label is one (time is to scale), else evenly spaced."""
    width = W - LEFT - RIGHT
    days = [_days(x) for x in labels]
    if len(labels) == 1:
        return [LEFT + width / 2]
    if all(days) and days[-1] > days[0]:
        return [LEFT + width * (d - days[0]) / (days[-1] - days[0]) for d in days]
    return [LEFT + width * i / (len(labels) - 1) for i in range(len(labels))]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    fill = "#ffffff" if kind.endswith("-open") else colour
    shape = kind.removesuffix("-open")
    common = f'fill="{fill}" stroke="{colour}" stroke-width="1.5"'
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" {common}/>'
    if shape == "triangle":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}" {common}/>'
    if shape == "diamond":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" {common}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" {common}/>'


def _axes(
    labels: Sequence[str], xs: Sequence[float], ticks: Sequence[tuple[float, str]], y_of: dict[float, float]
) -> list[str]:
    out = ['<g class="lb-chart-axes" font-size="12" fill="#222222">']
    for value, text in ticks:
        y = y_of[value]
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#cccccc" stroke-width="1"/>'
        )
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{escape(text)}</text>')
    base = H - BOTTOM
    out.append(
        f'<line x1="{LEFT}" y1="{base}" x2="{W - RIGHT}" y2="{base}" stroke="#222222" stroke-width="1"/>'
    )
    for x, label in zip(xs, labels, strict=True):
        out.append(
            f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 5}" stroke="#222222" stroke-width="1"/>'
        )
        out.append(f'<text x="{x:.1f}" y="{base + 20}" text-anchor="middle">{escape(label)}</text>')
    out.append("</g>")
    return out


def _legend(lines: Sequence[Line], top: float) -> list[str]:
    out = ['<g class="lb-chart-legend" font-size="12" fill="#222222">']
    per_row = 3
    col = (W - LEFT) / per_row
    for i, line in enumerate(lines):
        colour, dash, marker = STYLES[i % len(STYLES)]
        x = LEFT + col * (i % per_row)
        y = top + LEGEND_ROW * (i // per_row)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        width = 3 if i == 0 else 2
        out.append(
            f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 28:.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="{width}"{dashed}/>'
        )
        out.append(_marker(marker, x + 14, y, colour))
        out.append(f'<text x="{x + 36:.1f}" y="{y + 4:.1f}">{escape(line.name)}</text>')
    out.append("</g>")
    return out


def line_chart(
    ident: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    lines: Sequence[Line],
    ticks: Sequence[tuple[float, str]],
    *,
    spread: float = 0.0,
    pad: float = 0.0,
) -> str:
    """An SVG line chart of ``lines`` over ``labels`` (dates), the y axis from the first to the last
    of ``ticks``. ``spread`` shifts each line by a few pixels so that lines on the same values (levels)
    stay visible side by side. ``ident`` makes the ids of the title and description unique on a page."""
    lo, hi = ticks[0][0] - pad, ticks[-1][0] + pad
    height = H - TOP - BOTTOM

    def y(v: float) -> float:
        return TOP + height * (1 - (v - lo) / ((hi - lo) or 1))

    xs = _xs(labels)
    rows = (len(lines) + 2) // 3
    total = H + 8 + LEGEND_ROW * rows
    out = [
        f'<svg class="lb-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {total}" role="img"'
        f' aria-labelledby="{ident}-title {ident}-desc" font-family="sans-serif">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{W}" height="{total}" fill="#ffffff"/>',
        *_axes(labels, xs, ticks, {v: y(v) for v, _ in ticks}),
    ]
    for i, line in reversed(list(enumerate(lines))):  # the first (overall) drawn last, on top
        colour, dash, marker = STYLES[i % len(STYLES)]
        off = spread * (i - (len(lines) - 1) / 2)
        pts = [(x, y(v) + off) for x, v in zip(xs, line.values, strict=True) if v is not None]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        width = 3 if i == 0 else 2
        out.append(f'<g class="lb-chart-line"><title>{escape(line.name)}</title>')
        if len(pts) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width}"{dashed}/>'
            )
        out += [_marker(marker, px, py, colour) for px, py in pts]
        out.append("</g>")
    out += _legend(lines, H + 8)
    out.append("</svg>")
    return "\n".join(out)


def score_chart(ident: str, title: str, labels: Sequence[str], lines: Sequence[Line]) -> str:
    """Scores (0 to 1) over time, as percentages."""
    desc = "; ".join(
        f"{ln.name}: "
        + ", ".join(
            f"{lab} {'—' if v is None else f'{v * 100:.0f}%'}"
            for lab, v in zip(labels, ln.values, strict=True)
        )
        for ln in lines
    )
    ticks = [(t / 100, f"{t}%") for t in range(0, 101, 25)]
    return line_chart(ident, title, desc, labels, lines, ticks)


def level_chart(
    ident: str, title: str, labels: Sequence[str], lines: Sequence[Line], levels: Sequence[int]
) -> str:
    """Levels over time, the lines spread apart where they share a level."""
    desc = "; ".join(
        f"{ln.name}: "
        + ", ".join(
            f"{lab} level {'—' if v is None else int(v)}" for lab, v in zip(labels, ln.values, strict=True)
        )
        for ln in lines
    )
    ladder = sorted(levels) or [0]
    ticks = [(float(lv), f"level {lv}") for lv in range(ladder[0], ladder[-1] + 1)]
    if len(ticks) == 1:
        ticks.append((ticks[0][0] + 1, f"level {int(ticks[0][0]) + 1}"))
    return line_chart(ident, title, desc, labels, lines, ticks, spread=2.5, pad=0.4)
