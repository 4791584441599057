"""The playbook graph as Mermaid, Graphviz dot, GraphML or JSON."""

from __future__ import annotations

import io
import json

import networkx as nx

from .graph import FM, build_graph
from .model import Playbook


def _plain(pb: Playbook) -> nx.DiGraph:
    """The full graph with only string attributes (GraphML and JSON cannot hold objects)."""
    g = build_graph(pb)
    out = nx.DiGraph()
    for n, data in g.nodes(data=True):
        obj = data.get("obj")
        label = getattr(obj, "title", None) or getattr(obj, "name", None) or getattr(obj, "ask", None) or n
        out.add_node(n, kind=str(data.get("kind", "missing")), label=str(label))
    for a, b, data in g.edges(data=True):
        out.add_edge(a, b, **{k: str(v) for k, v in data.items()})
    return out


def _mermaid_id(n: str) -> str:
    return n.replace(":", "_").replace("-", "_")


def export_graph(pb: Playbook, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(nx.node_link_data(_plain(pb), edges="edges"), indent=2, sort_keys=True) + "\n"
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(_plain(pb), buf)
        return buf.getvalue().decode("utf-8")
    fms = {fm.id: fm for fm in pb.failure_modes}
    if fmt == "mermaid":
        lines = ["flowchart LR"]
        for fm in pb.failure_modes:
            title = fm.title.replace('"', "'")
            lines.append(f'  {_mermaid_id(f"{FM}:{fm.id}")}["{title}"]')
        for fm in pb.failure_modes:
            for rel in fm.related:
                if rel.id in fms:
                    arrow = "-.->" if rel.relation == "see-also" else "-->"
                    a, b = _mermaid_id(f"{FM}:{fm.id}"), _mermaid_id(f"{FM}:{rel.id}")
                    lines.append(f"  {a} {arrow}|{rel.relation}| {b}")
        return "\n".join(lines) + "\n"
    if fmt == "dot":
        lines = ["digraph launchbook {", "  rankdir=LR;", "  node [shape=box, fontname=Helvetica];"]
        for fm in pb.failure_modes:
            lines.append(f"  {json.dumps(fm.id)} [label={json.dumps(fm.title)}];")
        for fm in pb.failure_modes:
            for rel in fm.related:
                if rel.id in fms:
                    style = ", style=dashed" if rel.relation == "see-also" else ""
                    lines.append(
                        f"  {json.dumps(fm.id)} -> {json.dumps(rel.id)} [label={json.dumps(rel.relation)}{style}];"
                    )
        lines.append("}")
        return "\n".join(lines) + "\n"
    raise ValueError(fmt)
