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
