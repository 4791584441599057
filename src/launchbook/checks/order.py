"""Checks of the order remediations are done in: no circle of ``requires``, and nothing waits for
a step of a later phase."""

from __future__ import annotations

from collections.abc import Iterator

from ..codes import Code
from ..errors import Problem
from ..graph import requires_graph
from ..model import Playbook
from .registry import Context, check


@check("LB303", "requires-cycle")
def requires_cycle(ctx: Context, code: Code) -> Iterator[Problem]:
    """Remediations that require each other in a circle.

    ``requires`` says what must be done first; a cycle means nothing in it can
    ever start. Every edge of the cycle is reported at the line that adds it.

    Example: ``a`` requires ``b``, ``b`` requires ``c``, ``c`` requires ``a``.

    Fix: decide which step really comes first and delete the ``requires``
    entry that points backwards.
    """
    if not _has_requires_cycle(ctx.pb):  # the usual case, found without building a graph
        return
    import networkx as nx

    g = requires_graph(ctx.pb)
    for comp in nx.strongly_connected_components(g):
        if len(comp) < 2 and not any(g.has_edge(n, n) for n in comp):
            continue
        # start from the smallest id, so the report is the same on every run (sets have no order)
        cycle = nx.find_cycle(g.subgraph(comp), source=min(comp))
        path = " -> ".join([str(e[0]) for e in cycle] + [str(cycle[0][0])])
        for a, b in cycle:
            r = ctx.remediations[a]
            i = r.requires.index(b)
            yield code.at(
                r.locs[f"requires.{i}"],
                f"requires cycle: '{a}' requires '{b}' (cycle: {path})",
                "remove the requires entry that points back to a later step",
            )


def _has_requires_cycle(pb: Playbook) -> bool:
    """Whether the graph of :func:`~launchbook.graph.requires_graph` has a cycle (Kahn's
    algorithm, O(V + E))."""
    ids = {r.id for r in pb.remediations()}
    succ: dict[str, set[str]] = {i: set() for i in ids}
    indegree = dict.fromkeys(ids, 0)
    for r in pb.remediations():
        for req in r.requires:
            if req in ids and req not in succ[r.id]:
                succ[r.id].add(req)
                indegree[req] += 1
    ready = [i for i, d in indegree.items() if d == 0]
    done = 0
    while ready:
        n = ready.pop()
        done += 1
        for m in succ[n]:
            indegree[m] -= 1
            if indegree[m] == 0:
                ready.append(m)
    return done < len(ids)


@check("LB304", "requires-later-phase")
def requires_later_phase(ctx: Context, code: Code) -> Iterator[Problem]:
    """A remediation requires one that is scheduled in a later phase.

    Phases run in the manifest's order; a step in ``frame`` cannot wait for a
    step in ``deploy``.

    Example: ``write-deployment-plan`` (frame) requires ``set-up-monitoring`` (operate).

    Fix: move one of the two remediations to another phase, or drop the requirement.
    """
    ph = ctx.phases
    for r in ctx.pb.remediations():
        for i, req in enumerate(r.requires):
            other = ctx.remediations.get(req)
            if other is None or r.phase not in ph or other.phase not in ph:
                continue
            if ph[other.phase] > ph[r.phase]:
                yield code.at(
                    r.locs[f"requires.{i}"],
                    f"'{r.id}' ({r.phase}) requires '{req}', scheduled later ({other.phase})",
                    f"move '{req}' to {r.phase} or earlier, or '{r.id}' to {other.phase} or later",
                )
