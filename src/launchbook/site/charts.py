"""Drawn at build time: the statistics chart, the failure-mode graph and each failure mode's
neighbourhood.

No JavaScript library and no network: the SVG is plain markup, every label is whole and shown
(wrapped over several lines), and nothing carries a ``style=`` attribute (the site's
Content-Security-Policy allows none: colours are presentation attributes or CSS classes). The
graph page adds a small script shipped with the package for highlighting, finding and zoom.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from ..model import Playbook

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#e67e22", "#17becf", "#8c564b", "#7f7f7f"]
RELATION_STYLE = {"causes": ("#c0392b", ""), "worsens": ("#e67e22", ""), "see-also": ("#7f8c8d", "4 3")}


def _a(text: str) -> str:
    return escape(text, quote=True)


# A statistic counts failures when what it measures says so; every other share counts projects that
# made it (deployed, in production, paying off). Two groups, each on its own 0-100 % scale, so that
# "nearly 90% never reach production" is never read next to "10% get deployed" as if both were good.
FAILURE_WORDS = re.compile(
    r"\b(never|fail|fails|failed|failure|stall|stalls|abandoned|dropped|not deployed)\b", re.I
)


def is_failure_share(measures: str) -> bool:
    """Whether a percentage statistic counts projects that failed (else: that made it)."""
    return FAILURE_WORDS.search(measures) is not None


def stats_chart(pb: Playbook, href: Callable[[str], str]) -> str:
    """The percentage statistics (those marked ``chart: true``, else all) as two bar lists: the
    shares that never reach production or fail, and the shares that get deployed or pay off.

    HTML, not one SVG: each label is the whole text and wraps like any paragraph, readable at any
    width, in print and by a screen reader (the list is its own text alternative). Each bar is a
    tiny SVG whose length is a presentation attribute: the site's Content-Security-Policy allows
    no ``style=`` attribute, and no script is needed."""
    stats = [s for s in pb.statistics if s.unit == "percent" and 0 <= s.number <= 100]
    marked = [s for s in stats if s.chart]
    stats = sorted(marked or stats, key=lambda s: (-s.number, s.id))[:12]
    if not stats:
        return ""
    authors = {s.id: s.author for s in pb.sources}
    groups = [
        (
            "Never reach production, fail or stall",
            "lb-bars-fail",
            [s for s in stats if is_failure_share(s.measures)],
        ),
        (
            "Get deployed or pay off",
            "lb-bars-success",
            [s for s in stats if not is_failure_share(s.measures)],
        ),
    ]
    parts = ['<div class="lb-bars">']
    for heading, cls, members in groups:
        if not members:
            continue
        parts.append(f'<div class="lb-bars-group {cls}">')
        parts.append(f'<p class="lb-bars-heading">{_a(heading)}</p>')
        parts.append('<ul class="lb-bars-list">')
        for s in members:
            who = authors.get(s.source, s.source)
            year = s.year or "year not stated"
            parts.append(
                '<li class="lb-bar-row">'
                f'<span class="lb-bar-text"><a href="{_a(href(s.id))}">{_a(s.measures)}</a>'
                f'<span class="lb-bar-source">{_a(who)}, {_a(str(year))}</span></span>'
                '<svg class="lb-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
                'focusable="false" xmlns="http://www.w3.org/2000/svg">'
                '<rect class="lb-bar-track" width="100" height="10"/>'
                f'<rect class="lb-bar-fill" width="{max(0.5, s.number):g}" height="10"/></svg>'
                f'<strong class="lb-bar-value">{_a(s.value)}</strong>'
                "</li>"
            )
        parts.append("</ul></div>")
    parts.append("</div>")
    return "".join(parts)


# ------------------------------------------------------------------ the graph, layered

CHAR_W = 5.7  # px per character at the graph's 11px font, a little generous
LINE_H = 13.5
NODE_PAD = 6.0
NODE_GAP = 10.0


def wrap(text: str, chars: int) -> list[str]:
    """``text`` in lines of at most ``chars`` characters, broken between words (a longer word
    keeps a line of its own): every word is kept, nothing is cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line or not lines:
        lines.append(line)
    return lines


def _text(x: float, y: float, lines: list[str], cls: str = "", anchor: str = "") -> str:
    """An SVG ``<text>`` of several lines (one ``<tspan>`` each), the first baseline at ``y``."""
    attrs = f' class="{cls}"' if cls else ""
    attrs += f' text-anchor="{anchor}"' if anchor else ""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else LINE_H}">{_a(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y:.1f}"{attrs}>{spans}</text>'


def _node_height(lines: int) -> float:
    return lines * LINE_H + 2 * NODE_PAD


def _edge_path(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float], bulge: float
) -> str:
    """A curve from box ``a`` to box ``b`` (x, y, width, height): between columns from the facing
    sides; within a column out to the right and back."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    y1, y2 = ay + ah / 2, by + bh / 2
    if abs(ax - bx) < 1:  # same column
        x1 = ax + aw
        x2 = bx + bw + 3
        c = x1 + bulge
        return f"M{x1:.1f},{y1:.1f} C{c:.1f},{y1:.1f} {c:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    if bx > ax:
        x1, x2 = ax + aw, bx - 3
    else:
        x1, x2 = ax, bx + bw + 3
    mid = (x1 + x2) / 2
    return f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def graph_layout(
    pb: Playbook, col_w: float = 176.0, gap: float = 40.0, top: float = 44.0
) -> dict[str, tuple[float, float, float, float, list[str]]]:
    """Deterministic boxes (x, y, width, height, label lines): one column per category, in the
    manifest's order; in a column, the failure modes that arise earliest in a project first (by
    their first, then last phase, then title). Linear in the number of failure modes."""
    order = {p.id: i for i, p in enumerate(pb.manifest.phases)}
    cats = [c.id for c in pb.manifest.categories]
    for fm in pb.failure_modes:
        if fm.category not in cats:
            cats.append(fm.category)
    chars = max(8, int((col_w - 2 * NODE_PAD - 4) / CHAR_W))
    out: dict[str, tuple[float, float, float, float, list[str]]] = {}
    for ci, cat in enumerate(cats):
        members = sorted(
            (fm for fm in pb.failure_modes if fm.category == cat),
            key=lambda fm: (
                min((order.get(p, len(order)) for p in fm.phases), default=len(order)),
                max((order.get(p, len(order)) for p in fm.phases), default=len(order)),
                fm.title.lower(),
                fm.id,
            ),
        )
        x = ci * (col_w + gap)
        y = top
        for fm in members:
            lines = wrap(fm.title, chars)
            h = _node_height(len(lines))
            out[fm.id] = (x, y, col_w, h, lines)
            y += h + NODE_GAP
    return out


def graph_svg(pb: Playbook, href: Callable[[str], str]) -> str:
    """Every failure mode as a labelled box in its category's column, relations drawn behind as
    curves (causes, worsens: solid; see also: dashed), each box a link to its page."""
    col_w, gap, pad = 176.0, 40.0, 8.0
    boxes = graph_layout(pb, col_w, gap)
    cats = [c for c in pb.manifest.categories]
    colour = {c.id: PALETTE[i % len(PALETTE)] for i, c in enumerate(cats)}
    ncols = max(1, len(cats) + len({fm.category for fm in pb.failure_modes} - {c.id for c in cats}))
    width = ncols * col_w + ncols * gap + 2 * pad  # a gap on the right too: edges within the last column
    height = max((y + h for _, y, _, h, _ in boxes.values()), default=60.0) + pad
    fms = {fm.id: fm for fm in pb.failure_modes}
    parts = [
        f'<svg id="lb-graph" class="lb-graph" viewBox="{-pad:.0f} {-pad:.0f} {width:.0f} {height + pad:.0f}" '
        'role="group" aria-label="Failure modes by category and how they relate; the text list below holds the same '
        'information" xmlns="http://www.w3.org/2000/svg">',
        '<defs><marker id="lb-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>',
        '<g class="lb-columns">',
    ]
    chars = max(8, int(col_w / 7.2))
    for i, c in enumerate(cats):
        parts.append(_text(i * (col_w + gap), 14, wrap(c.title, chars)[:2], "lb-col-title"))
    parts.append('</g><g class="lb-edges">')
    for fm in pb.failure_modes:
        for k, rel in enumerate(fm.related):
            if rel.id not in boxes or rel.id == fm.id:
                continue
            a, b = boxes[fm.id][:4], boxes[rel.id][:4]
            stroke, dash = RELATION_STYLE.get(rel.relation, ("#999", ""))
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<path d="{_edge_path(a, b, gap * 0.35 + 4 * (k % 4))}" fill="none" stroke="{stroke}"{dash_attr} '
                f'marker-end="url(#lb-arrow)" data-from="{_a(fm.id)}" data-to="{_a(rel.id)}" '
                f'class="lb-edge lb-rel-{_a(rel.relation)}"/>'
            )
    parts.append('</g><g class="lb-nodes">')
    for fid, (x, y, w, h, lines) in boxes.items():
        fm = fms[fid]
        parts.append(
            f'<a href="{_a(href(fid))}" class="lb-node" data-id="{_a(fid)}" data-category="{_a(fm.category)}" '
            f'data-title="{_a(fm.title.lower())}">'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.0f}" height="{h:.1f}" rx="4" stroke="{colour.get(fm.category, "#555")}"/>'
            + _text(x + NODE_PAD + 2, y + NODE_PAD + 10, lines)
            + "</a>"
        )
    parts.append("</g></svg>")
    return "".join(parts)


# ------------------------------------------------------------------ one failure mode's neighbourhood

NEIGHBOURS_MAX = 8  # per side: the page's list of related failure modes names them all


def neighbourhood_svg(
    fm_id: str,
    titles: dict[str, str],
    incoming: list[tuple[str, str]],
    outgoing: list[tuple[str, str]],
    href: Callable[[str], str],
) -> str:
    """The failure mode in the middle, the ones that lead to it on the left and the ones it leads to
    on the right (``(id, relation)`` pairs), each a link. Only direct neighbours, at most
    ``NEIGHBOURS_MAX`` a side: its size does not grow with the playbooks. Empty without neighbours."""
    if not incoming and not outgoing:
        return ""
    col_w, gap = 180.0, 44.0
    chars = max(8, int((col_w - 2 * NODE_PAD - 4) / CHAR_W))
    left, right = incoming[:NEIGHBOURS_MAX], outgoing[:NEIGHBOURS_MAX]
    more = len(incoming) - len(left), len(outgoing) - len(right)

    def column(items: list[tuple[str, str]], x: float) -> list[tuple[str, str, float, float, list[str]]]:
        out, y = [], 22.0
        for fid, rel in items:
            lines = wrap(titles.get(fid, fid), chars)
            out.append((fid, rel, x, y, lines))
            y += _node_height(len(lines)) + NODE_GAP
        return out

    lcol, rcol = column(left, 0.0), column(right, 2 * (col_w + gap))
    mid_lines = wrap(titles.get(fm_id, fm_id), chars)
    heights = [y + _node_height(len(ls)) for _, _, _, y, ls in lcol + rcol] + [
        22 + _node_height(len(mid_lines))
    ]
    height = max(heights) + (16 if any(more) else 4)
    mid_h = _node_height(len(mid_lines))
    mid = (col_w + gap, max(22.0, (height - mid_h) / 2), col_w, mid_h)
    width = 3 * col_w + 2 * gap
    parts = [
        f'<svg class="lb-neighbourhood" viewBox="-2 0 {width + 4:.0f} {height:.0f}" role="group" '
        f'aria-label="{_a(titles.get(fm_id, fm_id))} and its related failure modes; the list below says the same" '
        'xmlns="http://www.w3.org/2000/svg">',
        '<defs><marker id="lb-arrow-n" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>',
    ]
    if lcol:
        parts.append(_text(0, 12, ["Leads here"], "lb-col-title"))
    if rcol:
        parts.append(_text(2 * (col_w + gap), 12, ["Leads to"], "lb-col-title"))
    for _, rel, x, y, lines in lcol + rcol:
        box = (x, y, col_w, _node_height(len(lines)))
        a, b = (box, mid) if x < mid[0] else (mid, box)
        stroke, dash = RELATION_STYLE.get(rel, ("#999", ""))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<path d="{_edge_path(a, b, 0)}" fill="none" stroke="{stroke}"{dash_attr} marker-end="url(#lb-arrow-n)" '
            f'class="lb-edge lb-rel-{_a(rel)}"><title>{_a(rel)}</title></path>'
        )
    parts.append(
        f'<g class="lb-node lb-self"><rect x="{mid[0]:.1f}" y="{mid[1]:.1f}" width="{col_w:.0f}" height="{mid_h:.1f}" rx="4"/>'
        + _text(mid[0] + NODE_PAD + 2, mid[1] + NODE_PAD + 10, mid_lines)
        + "</g>"
    )
    for fid, rel, x, y, lines in lcol + rcol:
        h = _node_height(len(lines))
        parts.append(
            f'<a href="{_a(href(fid))}" class="lb-node"><title>{_a(titles.get(fid, fid))} ({_a(rel)})</title>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w:.0f}" height="{h:.1f}" rx="4"/>'
            + _text(x + NODE_PAD + 2, y + NODE_PAD + 10, lines)
            + "</a>"
        )
    for n, x in ((more[0], 0.0), (more[1], 2 * (col_w + gap))):
        if n:
            parts.append(_text(x, height - 4, [f"and {n} more (listed below)"], "lb-more"))
    parts.append("</svg>")
    return "".join(parts)
