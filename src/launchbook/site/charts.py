"""Inline SVG drawn at build time: the statistics chart and the failure-mode graph.

No JavaScript library and no network: the SVG is plain markup; the graph page
adds a small script shipped with the package for highlighting and zoom.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from html import escape

import networkx as nx

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


# networkx's spring_layout switches to a scipy-only sparse solver at 500 nodes (scipy is not a
# dependency, and that solver is slow); from there on the same Fruchterman-Reingold force model
# runs here, vectorised over 2-D float32 arrays instead of a 3-D einsum: ~0.25 s at 1,000 nodes.
SPRING_MAX_NODES = 500


def _force_layout(
    g: nx.Graph, init: dict[str, tuple[float, float]], *, k: float, iterations: int
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold from ``init`` (as networkx's dense solver: linear cooling, no randomness)."""
    import numpy as np

    nodes = list(g)
    index = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    adj = np.zeros((n, n), dtype=np.float32)
    for u, v in g.edges():
        adj[index[u], index[v]] = adj[index[v], index[u]] = 1.0
    x = np.array([init[v][0] for v in nodes], dtype=np.float32)
    y = np.array([init[v][1] for v in nodes], dtype=np.float32)
    t = max(float(np.ptp(x)), float(np.ptp(y))) * 0.1
    dt = t / (iterations + 1)
    k2, inv_k = np.float32(k * k), np.float32(1.0 / k)
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        d2 = dx * dx + dy * dy
        np.maximum(d2, np.float32(1e-4), out=d2)  # a minimum distance of 0.01
        force = k2 / d2  # repulsion between every pair, attraction along edges
        force -= adj * np.sqrt(d2) * inv_k
        px = (dx * force).sum(axis=1)
        py = (dy * force).sum(axis=1)
        step = np.float32(t) / np.maximum(np.hypot(px, py), np.float32(0.01))
        px *= step
        py *= step
        x += px
        y += py
        t -= dt
        if math.hypot(float(np.linalg.norm(px)), float(np.linalg.norm(py))) / n < 1e-4:
            break
    return {v: (float(x[i]), float(y[i])) for i, v in enumerate(nodes)}


def graph_layout(pb: Playbook) -> dict[str, tuple[float, float]]:
    """Deterministic positions in [0, 1]²: categories in sectors, relations pulled together."""
    g = nx.Graph()
    cats = [c.id for c in pb.manifest.categories]
    init: dict[str, tuple[float, float]] = {}
    by_cat: dict[str, list[str]] = {c: [] for c in cats}
    for fm in pb.failure_modes:
        by_cat.setdefault(fm.category, []).append(fm.id)
    for ci, cat in enumerate(by_cat):
        members = by_cat[cat]
        angle0 = 2 * math.pi * ci / max(1, len(by_cat))
        for j, fid in enumerate(members):
            r = 0.25 + 0.2 * (j % 3)
            a = angle0 + 0.9 * (j / max(1, len(members)) - 0.5)
            init[fid] = (0.5 + r * math.cos(a), 0.5 + r * math.sin(a))
            g.add_node(fid)
    ids = {fm.id for fm in pb.failure_modes}
    for fm in pb.failure_modes:
        for rel in fm.related:
            if rel.id in ids and rel.id != fm.id:
                g.add_edge(fm.id, rel.id)
    if len(g) == 0:
        return {}
    n = len(g)
    if n < SPRING_MAX_NODES:
        pos = nx.spring_layout(g, pos=init, seed=7, iterations=60, k=1.6 / math.sqrt(n))
    else:
        pos = _force_layout(g, init, k=1.6 / math.sqrt(n), iterations=60)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    sx = (maxx - minx) or 1.0
    sy = (maxy - miny) or 1.0
    return {k: (float((v[0] - minx) / sx), float((v[1] - miny) / sy)) for k, v in sorted(pos.items())}


LABEL_CHAR_W = 5.9  # px per character at the graph's 11px font, a little generous
LABEL_H = 13.0


def place_labels(
    pb: Playbook, xy: dict[str, tuple[float, float]], width: float, radius: float
) -> dict[str, tuple[str, float, str, bool]]:
    """Per node: (label, x, text-anchor, shown). Greedy, most connected first: a label goes on the
    side facing outwards, else the other side; if both would overlap a label already placed (or
    another dot), it is hidden and shows on hover, focus or search."""
    degree = {fm.id: len(fm.related) for fm in pb.failure_modes}
    for fm in pb.failure_modes:
        for rel in fm.related:
            degree[rel.id] = degree.get(rel.id, 0) + 1
    boxes: list[tuple[float, float, float, float]] = []
    dots = [(x - radius, y - radius, x + radius, y + radius) for x, y in xy.values()]
    titles = {fm.id: fm.title for fm in pb.failure_modes}
    out: dict[str, tuple[str, float, str, bool]] = {}

    def free(box: tuple[float, float, float, float], own: tuple[float, float]) -> bool:
        x0, y0, x1, y1 = box
        if x0 < 0 or x1 > width:
            return False
        for a0, b0, a1, b1 in boxes:
            if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                return False
        for a0, b0, a1, b1 in dots:
            if (a0 + a1) / 2 == own[0] and (b0 + b1) / 2 == own[1]:
                continue
            if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                return False
        return True

    for fid in sorted(xy, key=lambda i: (-degree.get(i, 0), i)):
        x, y = xy[fid]
        title = titles[fid]
        label = title if len(title) <= 34 else title[:33] + "…"
        w = LABEL_CHAR_W * len(label)
        preferred = "start" if x < width / 2 else "end"
        chosen = None
        for anchor in (preferred, "end" if preferred == "start" else "start"):
            tx = x + (radius + 4) * (1 if anchor == "start" else -1)
            box = (
                (tx, y - LABEL_H / 2, tx + w, y + LABEL_H / 2)
                if anchor == "start"
                else (tx - w, y - LABEL_H / 2, tx, y + LABEL_H / 2)
            )
            if free(box, (x, y)):
                chosen = (tx, anchor, box)
                break
        if chosen is None:
            tx = x + (radius + 4) * (1 if preferred == "start" else -1)
            out[fid] = (label, tx, preferred, False)
        else:
            boxes.append(chosen[2])
            out[fid] = (label, chosen[0], chosen[1], True)
    return out


def graph_svg(pb: Playbook, href: Callable[[str], str]) -> str:
    """The failure modes as linked nodes, coloured by category, with relation edges."""
    pos = graph_layout(pb)
    n = max(1, len(pos))
    width = 1000.0
    height = 640.0 if n <= 60 else 900.0
    pad = 70.0
    radius = 9.0 if n <= 60 else 6.0 if n <= 150 else 4.5
    colour = {c.id: PALETTE[i % len(PALETTE)] for i, c in enumerate(pb.manifest.categories)}
    xy = {k: (pad + x * (width - 2 * pad), pad + y * (height - 2 * pad)) for k, (x, y) in pos.items()}
    fms = {fm.id: fm for fm in pb.failure_modes}
    parts = [
        f'<svg id="lb-graph" class="lb-graph{" lb-graph-large" if n > 60 else ""}" viewBox="0 0 {width:.0f} {height:.0f}" '
        'role="group" aria-label="Failure modes and how they relate; the text list below holds the same information" '
        'xmlns="http://www.w3.org/2000/svg">',
        '<defs><marker id="lb-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>',
        '<g class="lb-edges">',
    ]
    for fm in pb.failure_modes:
        for rel in fm.related:
            if rel.id not in xy or fm.id not in xy or rel.id == fm.id:
                continue
            (x1, y1), (x2, y2) = xy[fm.id], xy[rel.id]
            d = math.hypot(x2 - x1, y2 - y1) or 1.0
            x2e, y2e = x2 - (x2 - x1) * (radius + 2) / d, y2 - (y2 - y1) * (radius + 2) / d
            stroke, dash = RELATION_STYLE.get(rel.relation, ("#999", ""))
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2e:.1f}" y2="{y2e:.1f}" stroke="{stroke}"{dash_attr} '
                f'marker-end="url(#lb-arrow)" data-from="{_a(fm.id)}" data-to="{_a(rel.id)}" '
                f'class="lb-edge lb-rel-{_a(rel.relation)}"/>'
            )
    parts.append('</g><g class="lb-nodes">')
    labels = place_labels(pb, xy, width, radius)
    for fid, (x, y) in xy.items():
        fm = fms[fid]
        label, tx, anchor, shown = labels[fid]
        hidden = "" if shown else ' class="lb-label-hidden"'
        parts.append(
            f'<a href="{_a(href(fid))}" class="lb-node" data-id="{_a(fid)}" data-category="{_a(fm.category)}" '
            f'data-title="{_a(fm.title.lower())}">'
            f"<title>{_a(fm.title)} ({_a(fm.category)})</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour.get(fm.category, "#555")}"/>'
            f'<text x="{tx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}"{hidden}>{_a(label)}</text>'
            "</a>"
        )
    parts.append("</g></svg>")
    return "".join(parts)
