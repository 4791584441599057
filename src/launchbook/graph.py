"""The playbook dependency graph: its nodes and edges, the order of remediations, who uses a role.

:func:`build_graph` turns a :class:`~launchbook.model.Playbook` into one networkx ``DiGraph``
(exported by ``launchbook graph``); :func:`requires_graph` and :func:`do_first_order` put
remediations in the order they can be done. The consistency checks that run over a playbook set
live in :mod:`launchbook.checks`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .codes import Code, lookup, registered
from .model import FailureMode, Playbook, Remediation

if TYPE_CHECKING:  # networkx is imported where a graph is built: `launchbook check` rarely needs it
    import networkx as nx

# ------------------------------------------------------------------ graph
FM, Q, REM, ROLE, PHASE, SRC, STAT, CL, CAT = (
    "fm",
    "q",
    "rem",
    "role",
    "phase",
    "source",
    "stat",
    "checklist",
    "cat",
)


def node(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


def build_graph(pb: Playbook) -> nx.DiGraph:
    """Nodes are failure modes, questions, remediations, roles, phases, sources, statistics and
    checklists; edges are ``asks``, ``remedied-by``, ``owned-by``, ``involves``, ``requires``,
    ``related``, ``cites``, ``in-phase``, ``in-category`` and ``lists``."""
    import networkx as nx

    g = nx.DiGraph()
    _add_manifest_nodes(g, pb)
    for fm in pb.failure_modes:
        _add_failure_mode(g, fm)
    for fm in pb.failure_modes:
        for r in fm.remediations:
            for req in r.requires:
                g.add_edge(node(REM, r.id), node(REM, req), kind="requires")
    for cl in pb.checklists:
        cn = node(CL, cl.id)
        g.add_node(cn, kind=CL, obj=cl)
        for it in cl.items:
            g.add_edge(cn, node(Q if it.kind == "question" else REM, it.ref), kind="lists")
    return g


def _add_manifest_nodes(g: nx.DiGraph, pb: Playbook) -> None:
    """Categories, phases, roles, sources and statistics (with the source each is measured by)."""
    for cat in pb.manifest.categories:
        g.add_node(node(CAT, cat.id), kind=CAT, obj=cat)
    for phase in pb.manifest.phases:
        g.add_node(node(PHASE, phase.id), kind=PHASE, obj=phase)
    for role in pb.roles:
        g.add_node(node(ROLE, role.id), kind=ROLE, obj=role)
    for src in pb.sources:
        g.add_node(node(SRC, src.id), kind=SRC, obj=src)
    for st in pb.statistics:
        g.add_node(node(STAT, st.id), kind=STAT, obj=st)
        g.add_edge(node(STAT, st.id), node(SRC, st.source), kind="measured-by")


def _add_failure_mode(g: nx.DiGraph, fm: FailureMode) -> None:
    """A failure mode, its questions and remediations, and the edges that leave them (but
    ``requires``, added once every remediation is a node)."""
    f = node(FM, fm.id)
    g.add_node(f, kind=FM, obj=fm)
    g.add_edge(f, node(CAT, fm.category), kind="in-category")
    for ph in fm.phases:
        g.add_edge(f, node(PHASE, ph), kind="in-phase")
    for q in fm.questions:
        qn = node(Q, q.id)
        g.add_node(qn, kind=Q, obj=q)
        g.add_edge(f, qn, kind="asks")
        g.add_edge(qn, node(ROLE, q.owner), kind="owned-by")
        g.add_edge(qn, node(PHASE, q.phase), kind="in-phase")
    for r in fm.remediations:
        rn = node(REM, r.id)
        g.add_node(rn, kind=REM, obj=r)
        g.add_edge(f, rn, kind="remedied-by")
        g.add_edge(rn, node(ROLE, r.owner), kind="owned-by")
        for who in r.involves:
            g.add_edge(rn, node(ROLE, who), kind="involves")
        g.add_edge(rn, node(PHASE, r.phase), kind="in-phase")
    for cite in fm.sources:
        g.add_edge(f, node(SRC, cite.id), kind="cites")
    for rel in fm.related:
        g.add_edge(f, node(FM, rel.id), kind="related", relation=rel.relation)


def requires_graph(pb: Playbook) -> nx.DiGraph:
    """Remediations only, with an edge ``a -> b`` when ``a`` requires ``b``."""
    import networkx as nx

    g = nx.DiGraph()
    ids = {r.id for r in pb.remediations()}
    for r in pb.remediations():
        g.add_node(r.id, obj=r)
    for r in pb.remediations():
        for req in r.requires:
            if req in ids:
                g.add_edge(r.id, req)
    return g


class _OrderMemo:
    """What ordering needs from one playbook, computed once: the site orders every page's remediations."""

    def __init__(self, pb: Playbook) -> None:
        self.pb = pb
        self.graph = requires_graph(pb)
        self.order = {r.id: i for i, r in enumerate(pb.remediations())}
        self.phase = pb.phase_index
        self._desc: dict[str, frozenset[str]] = {}

    def descendants(self, rid: str) -> frozenset[str]:
        import networkx as nx

        if rid not in self._desc:
            self._desc[rid] = frozenset(nx.descendants(self.graph, rid)) if rid in self.graph else frozenset()
        return self._desc[rid]


_MEMO: list[_OrderMemo] = []


def _order_memo(pb: Playbook) -> _OrderMemo:
    """The memo of ``pb`` (identity, not equality: playbooks are immutable, so this is never stale)."""
    if not _MEMO or _MEMO[0].pb is not pb:
        _MEMO[:] = [_OrderMemo(pb)]
    return _MEMO[0]


def do_first_order(pb: Playbook, remediations: Iterable[Remediation]) -> list[Remediation]:
    """Remediations ordered so that what is required comes first; ties by phase, then file order."""
    import networkx as nx

    chosen = list(remediations)
    memo = _order_memo(pb)
    order, phase = memo.order, memo.phase
    wanted = {r.id for r in chosen}
    sub = nx.DiGraph()
    sub.add_nodes_from(wanted)
    # keep ordering constraints through remediations that are not chosen
    for a in wanted:
        for b in memo.descendants(a):
            if b in wanted:
                sub.add_edge(b, a)
    by_id = {r.id: r for r in chosen}
    try:
        ids = list(
            nx.lexicographical_topological_sort(
                sub, key=lambda i: (phase.get(by_id[i].phase, 99), order.get(i, 0), i)
            )
        )
    except nx.NetworkXUnfeasible:  # a cycle: the checks report it; fall back to phase order
        ids = sorted(wanted, key=lambda i: (phase.get(by_id[i].phase, 99), order.get(i, 0)))
    return [by_id[i] for i in ids]


# ------------------------------------------------------------------ docs of loader codes
LOADER_CODES: dict[str, tuple[str, str]] = {
    "LB100": (
        "yaml-syntax",
        "The file is not valid YAML. The message gives the line and what the parser expected.",
    ),
    "LB101": ("duplicate-key", "A key appears twice in one mapping; YAML would silently keep only the last."),
    "LB102": ("file-too-large", "The file is over the size limit (1 MiB); split it."),
    "LB103": ("invalid-utf8", "The file is not valid UTF-8; save it as UTF-8."),
    "LB104": ("bom-in-middle", "A byte order mark (U+FEFF) appears inside the file; delete it."),
    "LB105": ("control-character", "Control characters (and NEL, LS, PS, lone CR) are not allowed in text."),
    "LB106": ("tab-indentation", "Tabs used for indentation; indent with spaces."),
    "LB107": ("empty-file", "The file holds no data; fill it in or delete it."),
    "LB108": (
        "not-a-mapping",
        "The file's top level must be a mapping of fields, not a list or a single value.",
    ),
    "LB109": ("multiple-documents", "Only one YAML document per file; remove the '---' separator."),
    "LB110": (
        "anchor-or-alias",
        "Anchors (&a) and aliases (*a) are refused: they can explode in size; write values out.",
    ),
    "LB111": ("merge-key", "Merge keys (<<) are refused; write the fields out in full."),
    "LB112": (
        "explicit-tag",
        "Tags such as !!python/object or !foo are refused; values are typed by their field.",
    ),
    "LB113": ("too-deep", "Nesting deeper than the limit (16 levels)."),
    "LB114": ("mixed-line-endings", "CRLF and LF line endings mixed in one file; convert to LF."),
    "LB115": (
        "unreadable-file",
        "The file cannot be read (permissions, a directory, a broken link), or is refused: a FIFO,"
        " device or socket, or a link that leads out of the playbook folder. Only regular files are read.",
    ),
    "LB116": (
        "missing-file",
        "A required file of the playbook folder (launchbook.yml, roles.yml, sources.yml) is missing.",
    ),
    "LB200": (
        "unknown-field",
        "A field that the file's schema does not define; the hint suggests the closest name.",
    ),
    "LB201": ("missing-field", "A required field is missing or empty."),
    "LB202": (
        "wrong-type",
        "A value of the wrong shape: a list where text is expected, a mapping for a list, and so on.",
    ),
    "LB203": (
        "bad-id",
        "An id that is not plain kebab-case (lower-case letters and digits, single hyphens).",
    ),
    "LB204": (
        "bad-number",
        "Not a plain decimal number: '0755' (octal), '1:30' (base 60) and quoted numbers are refused.",
    ),
    "LB205": ("bad-boolean", "Booleans are true or false; yes/no/on/off are refused."),
    "LB206": ("bad-choice", "A value that is not one of the field's allowed choices."),
    "LB207": ("raw-html", "Raw HTML in a Markdown field; write Markdown only."),
    "LB208": ("id-file-mismatch", "A failure mode's or checklist's id differs from its file name."),
    "LB209": ("bad-format", "A text that does not match its format (URL, date, version) or is too long."),
    "LB210": ("too-few-items", "A list with fewer items than required."),
    "LB211": ("duplicate-item", "The same id listed twice in one list."),
    "LB212": (
        "checklist-item-shape",
        "A checklist item must have exactly one of 'question' or 'remediation'.",
    ),
    "LB220": (
        "markup-in-plain-text",
        "Markdown or HTML syntax in a plain-text field (a title, name, question, tag, meeting, ...).\n\n"
        "Plain text is shown as written on every page, checklist and export, never as Markdown, so"
        " these are refused: a link or image ('[x](url)', '![x](url)', '[x][ref]'), HTML or an"
        " autolink ('<b>', '<https://x>'), and an attribute list ('{ #id .class key=value }', which"
        " MkDocs' attr_list would turn into HTML attributes, event handlers included). Ordinary"
        " punctuation stays allowed: parentheses, a bracket alone, 'a < b', and a role reference"
        " such as '@role(product-owner)'.\n\n"
        "Example::\n\n"
        "    name: Product owner { onfocus=alert(1) }   # LB220 attribute-list syntax\n\n"
        "Fix: remove the syntax, or move the link into a Markdown field (description, summary,"
        " impact, do, a source's or citation's note, signs).",
    ),
    "LB221": (
        "unsafe-link",
        "A link or image in a Markdown field that the site would not keep.\n\n"
        "Markdown fields may link only to full http://, https:// or mailto: addresses: the site's"
        " sanitizer removes any other link and every image, and the build's link check refuses"
        " javascript:, data: and vbscript: URLs, images loaded from outside the site, and relative"
        " links that do not resolve (a text appears on several pages, so a relative link cannot be"
        " right on all of them). check refuses them first, at the link's line and column.\n\n"
        "Example::\n\n"
        "    summary: See [the plan](javascript:alert(1)) and ![chart](https://x.example/c.png)\n\n"
        "Fix: link with a full https:// address; instead of an image, link to it.",
    ),
}


def _code_tables() -> list[dict[str, tuple[str, str]]]:
    """(name, documentation) of every code that is not in the registry (:mod:`launchbook.codes`)
    yet; a documentation that starts with "(warning)" is a warning's."""
    from .glyphs import GLYPH_CODES
    from .importers.common import IMPORT_CODES

    return [LOADER_CODES, IMPORT_CODES, GLYPH_CODES]


def _registered() -> list[Code]:
    """The codes declared in the registry. Until the commands layer imports every emitting module
    before explaining codes, the modules that declare codes are imported here."""
    from . import (
        assess,  # noqa: F401 - declares LB601-LB608
        checks,  # noqa: F401 - declares LB301-LB326
    )
    from .overlay import apply_overlay  # noqa: F401 - declares LB400-LB410

    return registered()


def _level(doc: str) -> str:
    return "warning" if doc.startswith("(warning)") else "error"


def explain(code: str) -> str | None:
    """Documentation of a code (``LB301``) or name (``dangling-reference``), or None."""
    key = code.strip()
    for table in _code_tables():
        for c, (name, doc) in table.items():
            if key.upper() == c or key == name:
                return f"{c} {name} ({_level(doc)})\n\n{doc}\n"
    _registered()
    found = lookup(key)
    return found.explain() if found else None


def all_codes() -> list[tuple[str, str, str, str]]:
    """(code, name, level, summary) of every code launchbook can report."""

    def first(doc: str) -> str:
        return doc.strip().splitlines()[0] if doc.strip() else ""

    rows: list[tuple[str, str, str, str]] = []
    for table in _code_tables():
        rows += [(c, n, _level(d), first(d)) for c, (n, d) in table.items()]
    rows += [(c.code, c.name, c.level, c.summary) for c in _registered()]
    return sorted(set(rows))


def roles_usage(pb: Playbook) -> dict[str, dict[str, list[str]]]:
    """Per role: the remediations it owns, those it is involved in, and the questions it asks."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"owns": [], "involved": [], "asks": []})
    for r in pb.remediations():
        out[r.owner]["owns"].append(r.id)
        for who in r.involves:
            out[who]["involved"].append(r.id)
    for q in pb.questions():
        out[q.owner]["asks"].append(q.id)
    return dict(out)
