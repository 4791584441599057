"""The playbook graph as Mermaid, Graphviz dot, GraphML or JSON.

Playbook texts (titles) are data, never syntax, in every format:

- Mermaid: a label is one quoted string on its node's line; every character but letters,
  digits, spaces and a few punctuation marks is written as Mermaid's entity code (``#34;``),
  so no ``"``, ``%%{init}%%`` directive, ``click`` line, ``<tag>`` or Markdown string gets through;
- dot: every id and label is a quoted string with ``\\`` and ``"`` escaped (never an HTML-like label);
- GraphML: written by networkx's XML writer, with characters XML 1.0 forbids removed;
- JSON: ``json.dumps``.

Control, bidi and other invisible characters and line breaks become spaces in Mermaid, dot and
GraphML labels: the visible text is kept, and a label never spans lines.
"""

from __future__ import annotations

import io
import json
import re

import networkx as nx

from .graph import FM, build_graph
from .model import FailureMode, Playbook, Related
from .serialize import SUSPECT, is_hidden

_MERMAID_SAFE = re.compile(r"[\w .,!?'()/-]")  # \w: letters and digits of any script, and _


def visible_text(text: str) -> str:
    """``text`` on one line: control, bidi, invisible and separator characters and line breaks
    become spaces, runs of spaces one space."""

    def sub(m: re.Match[str]) -> str:
        c = m.group()
        return " " if is_hidden(c) or c.isspace() else c

    return re.sub(r" {2,}", " ", SUSPECT.sub(sub, text)).strip()


def mermaid_label(text: str) -> str:
    """``text`` as the inside of a Mermaid ``["..."]`` label: one line, and every character that is
    not a letter, digit, space or ``.,!?'()/-_`` written as an entity code (``#34;``), which
    Mermaid shows as the character itself."""
    return "".join(c if _MERMAID_SAFE.fullmatch(c) else f"#{ord(c)};" for c in visible_text(text))


def mermaid_id(node: str) -> str:
    """A Mermaid node id for a graph node (``fm:some-id`` -> ``fm_some_id``); any character other
    than ASCII letters, digits, ``-`` and ``:`` is written as ``_xHEX_``, so ids stay distinct words."""
    return "".join(
        "_" if c in ":-" else c if c.isascii() and (c.isalnum() or c == "_") else f"_x{ord(c):x}_"
        for c in node
    )


def dot_string(text: str) -> str:
    """``text`` as a dot quoted string: one line, ``\\`` and ``"`` escaped, so it never ends the
    string, never starts an escape such as ``\\N``, and is never read as an HTML-like label."""
    return '"' + visible_text(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _xml_text(text: str) -> str:
    """``text`` without what XML 1.0 cannot hold (control characters, surrogates, U+FFFE/U+FFFF)."""
    return visible_text(text).replace("\ufffe", " ").replace("\uffff", " ")


def _plain(pb: Playbook, *, xml: bool = False) -> nx.DiGraph:
    """The full graph with only string attributes (GraphML and JSON cannot hold objects)."""
    g = build_graph(pb)
    out = nx.DiGraph()
    for n, data in g.nodes(data=True):
        obj = data.get("obj")
        label = str(
            getattr(obj, "title", None) or getattr(obj, "name", None) or getattr(obj, "ask", None) or n
        )
        out.add_node(n, kind=str(data.get("kind", "missing")), label=_xml_text(label) if xml else label)
    for a, b, data in g.edges(data=True):
        out.add_edge(a, b, **{k: str(v) for k, v in data.items()})
    return out


def _related(pb: Playbook, fm: FailureMode) -> list[tuple[Related, str]]:
    """``fm``'s related entries that name a failure mode of ``pb`` (by id or former id), with its id."""
    out = []
    for rel in fm.related:
        target = pb.failure_mode(rel.id)
        if target is not None:
            out.append((rel, target.id))
    return out


def export_graph(pb: Playbook, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(nx.node_link_data(_plain(pb), edges="edges"), indent=2, sort_keys=True) + "\n"
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(_plain(pb, xml=True), buf)
        return buf.getvalue().decode("utf-8")
    if fmt == "mermaid":
        lines = ["flowchart LR"]
        for fm in pb.failure_modes:
            lines.append(f'  {mermaid_id(f"{FM}:{fm.id}")}["{mermaid_label(fm.title)}"]')
        for fm in pb.failure_modes:
            for rel, target in _related(pb, fm):
                arrow = "-.->" if rel.relation == "see-also" else "-->"
                a, b = mermaid_id(f"{FM}:{fm.id}"), mermaid_id(f"{FM}:{target}")
                lines.append(f"  {a} {arrow}|{mermaid_label(rel.relation)}| {b}")
        return "\n".join(lines) + "\n"
    if fmt == "dot":
        lines = ["digraph launchbook {", "  rankdir=LR;", "  node [shape=box, fontname=Helvetica];"]
        for fm in pb.failure_modes:
            lines.append(f"  {dot_string(fm.id)} [label={dot_string(fm.title)}];")
        for fm in pb.failure_modes:
            for rel, target in _related(pb, fm):
                style = ", style=dashed" if rel.relation == "see-also" else ""
                lines.append(
                    f"  {dot_string(fm.id)} -> {dot_string(target)} [label={dot_string(rel.relation)}{style}];"
                )
        lines.append("}")
        return "\n".join(lines) + "\n"
    raise ValueError(fmt)
