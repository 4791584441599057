"""The playbook dependency graph, and the consistency checks that run over it.

:func:`build_graph` turns a :class:`~launchbook.model.Playbook` into one
networkx ``DiGraph``. Each check is a small generator registered with
:func:`check`; its docstring is its user documentation (``launchbook explain
CODE``): what it catches, an example, how to fix it.
"""

from __future__ import annotations

import inspect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .codes import Code, lookup, registered
from .errors import Level, Loc, Problem, did_you_mean, sorted_problems
from .markup import role_refs
from .model import FailureMode, LoadResult, Playbook, Question, Remediation, playbook_texts

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
    for fm in pb.failure_modes:
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


# ------------------------------------------------------------------ index
@dataclass
class Context:
    """What a check reads: the playbook, its graph and id lookups (first definition wins)."""

    pb: Playbook
    fms: dict[str, FailureMode] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    remediations: dict[str, Remediation] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for fm in self.pb.failure_modes:
            self.fms.setdefault(fm.id, fm)
            for q in fm.questions:
                self.questions.setdefault(q.id, q)
            for r in fm.remediations:
                self.remediations.setdefault(r.id, r)
        for fm in self.pb.failure_modes:
            for a in fm.aliases:
                self.aliases.setdefault(a, fm.id)

    @cached_property
    def graph(self) -> nx.DiGraph:
        return build_graph(self.pb)

    @cached_property
    def roles(self) -> set[str]:
        return {r.id for r in self.pb.roles}

    @cached_property
    def sources(self) -> set[str]:
        return {s.id for s in self.pb.sources}

    @cached_property
    def stats(self) -> dict[str, str]:
        return {s.id: s.value for s in self.pb.statistics}

    @cached_property
    def phases(self) -> dict[str, int]:
        return self.pb.phase_index

    @cached_property
    def categories(self) -> set[str]:
        return {c.id for c in self.pb.manifest.categories}


# ------------------------------------------------------------------ registry
CheckFn = Callable[[Context], Iterator[Problem]]


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    level: Level
    fn: CheckFn

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.fn.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""


CHECKS: dict[str, Check] = {}


def check(code: str, name: str, level: Level = "error") -> Callable[[CheckFn], CheckFn]:
    """Register a check under a stable code and a readable name."""

    def register(fn: CheckFn) -> CheckFn:
        CHECKS[code] = Check(code, name, level, fn)
        return fn

    return register


def blocking_errors(res: LoadResult) -> list[Problem]:
    """The errors that stop a command from using a playbook set: loading errors, then check errors, sorted."""
    problems = list(res.problems)
    if res.playbook is not None:
        problems += run_checks(res.playbook)
    return [p for p in sorted_problems(problems) if p.level == "error"]


def run_checks(pb: Playbook, select: Iterable[str] | None = None) -> list[Problem]:
    ctx = Context(pb)
    wanted = set(select) if select else None
    out: list[Problem] = []
    for chk in CHECKS.values():
        if wanted is None or chk.code in wanted or chk.name in wanted:
            out.extend(chk.fn(ctx))
    return out


def _p(chk_code: str, loc: Loc, message: str, hint: str = "") -> Problem:
    return Problem.at(chk_code, loc, message, hint, CHECKS[chk_code].level if chk_code in CHECKS else "error")


def _missing(
    code: str, what: str, ident: str, loc: Loc, known: Iterable[str], where: str, unloaded: Iterable[str] = ()
) -> Problem:
    hint = did_you_mean(ident, known) or _unloaded_hint(unloaded) or f"define it in {where}, or fix the id"
    return _p(code, loc, f"unknown {what} '{ident}'", hint)


def _unloaded_hint(unloaded: Iterable[str], lead: str = "it may be defined in") -> str:
    """A hint for a finding that may only be the echo of a file that did not load."""
    files = sorted(unloaded)
    if not files:
        return ""
    return f"{lead} {', '.join(files)}, which did not load; fix the errors there first"


# ------------------------------------------------------------------ checks
@check("LB301", "dangling-reference")
def dangling_reference(ctx: Context) -> Iterator[Problem]:
    """A reference to an id that does not exist.

    Every category, phase, role, source, statistic, remediation and failure mode
    that a file mentions must be defined somewhere in the playbook set.

    Example::

        owner: prodcut-owner     # LB301 unknown role 'prodcut-owner'; did you mean 'product-owner'?

    Fix: correct the id (the hint names the closest existing one), or define the
    missing item in roles.yml, sources.yml, launchbook.yml or a failure mode.
    """
    pb = ctx.pb
    roles, srcs, phases, cats = ctx.roles, ctx.sources, ctx.phases, ctx.categories
    all_fm = set(ctx.fms) | set(ctx.aliases)
    for fm in pb.failure_modes:
        if fm.category not in cats:
            yield _missing("LB301", "category", fm.category, fm.locs["category"], cats, "launchbook.yml")
        for i, ph in enumerate(fm.phases):
            if ph not in phases:
                yield _missing("LB301", "phase", ph, fm.locs[f"phases.{i}"], phases, "launchbook.yml")
        for q in fm.questions:
            if q.owner not in roles:
                yield _missing("LB301", "role", q.owner, q.locs["owner"], roles, "roles.yml")
            if q.phase not in phases:
                yield _missing("LB301", "phase", q.phase, q.locs["phase"], phases, "launchbook.yml")
        for r in fm.remediations:
            if r.owner not in roles:
                yield _missing("LB301", "role", r.owner, r.locs["owner"], roles, "roles.yml")
            for i, who in enumerate(r.involves):
                if who not in roles:
                    yield _missing("LB301", "role", who, r.locs[f"involves.{i}"], roles, "roles.yml")
            if r.phase not in phases:
                yield _missing("LB301", "phase", r.phase, r.locs["phase"], phases, "launchbook.yml")
            for i, req in enumerate(r.requires):
                if req not in ctx.remediations:
                    yield _missing(
                        "LB301",
                        "remediation",
                        req,
                        r.locs[f"requires.{i}"],
                        ctx.remediations,
                        "a failure mode",
                        ctx.pb.unloaded,
                    )
        for rel in fm.related:
            if rel.id not in all_fm:
                yield _missing(
                    "LB301", "failure mode", rel.id, rel.loc, all_fm, "failure-modes/", ctx.pb.unloaded
                )
        for c in fm.sources:
            if c.id not in srcs:
                yield _missing("LB301", "source", c.id, c.loc, srcs, "sources.yml")
            for i, sid in enumerate(c.statistics):
                if sid not in ctx.stats:
                    yield _missing(
                        "LB301", "statistic", sid, c.locs[f"statistics.{i}"], ctx.stats, "sources.yml"
                    )
    for src in pb.sources:
        for i, art in enumerate(src.reported_in):
            if art not in srcs:
                yield _missing("LB301", "source", art, src.locs[f"reported_in.{i}"], srcs, "sources.yml")
    for st in pb.statistics:
        if st.source not in srcs:
            yield _missing("LB301", "source", st.source, st.locs["source"], srcs, "sources.yml")
        for i, art in enumerate(st.reported_in):
            if art not in srcs:
                yield _missing("LB301", "source", art, st.locs[f"reported_in.{i}"], srcs, "sources.yml")
    for cl in pb.checklists:
        for i, who in enumerate(cl.attendees):
            if who not in roles:
                yield _missing("LB301", "role", who, cl.locs[f"attendees.{i}"], roles, "roles.yml")
        if cl.phase and cl.phase not in phases:
            yield _missing("LB301", "phase", cl.phase, cl.locs["phase"], phases, "launchbook.yml")


@check("LB302", "duplicate-id")
def duplicate_id(ctx: Context) -> Iterator[Problem]:
    """The same id is defined twice in one namespace.

    Failure modes, questions, remediations, roles, sources, statistics, phases,
    categories and checklists each have one namespace across all files, so a
    question id must be unique among the questions of every failure mode.

    Example: two failure modes both define a question ``id: data-owner-named``.

    Fix: rename one of them (ids are referenced from checklists and forks, so
    rename the newer one).
    """
    pb = ctx.pb
    spaces: dict[str, list[tuple[str, Loc]]] = {
        "failure mode": [(f.id, f.loc) for f in pb.failure_modes],
        "question": [(q.id, q.loc) for q in pb.questions()],
        "remediation": [(r.id, r.loc) for r in pb.remediations()],
        "role": [(r.id, r.loc) for r in pb.roles],
        "source": [(s.id, s.loc) for s in pb.sources],
        "statistic": [(s.id, s.loc) for s in pb.statistics],
        "phase": [(p.id, p.loc) for p in pb.manifest.phases],
        "category": [(c.id, c.loc) for c in pb.manifest.categories],
        "checklist": [(c.id, c.loc) for c in pb.checklists],
        "maturity level": [(str(lv.level), lv.loc) for lv in pb.manifest.levels],
    }
    for what, items in spaces.items():
        first: dict[str, Loc] = {}
        for ident, loc in items:
            if ident in first:
                f = first[ident]
                yield _p(
                    "LB302",
                    loc,
                    f"duplicate {what} id '{ident}' (first defined at {f.path}:{f.line})",
                    "give one of them a different id",
                )
            else:
                first[ident] = loc


@check("LB303", "requires-cycle")
def requires_cycle(ctx: Context) -> Iterator[Problem]:
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
            yield _p(
                "LB303",
                r.locs[f"requires.{i}"],
                f"requires cycle: '{a}' requires '{b}' (cycle: {path})",
                "remove the requires entry that points back to a later step",
            )


def _has_requires_cycle(pb: Playbook) -> bool:
    """Whether the graph of :func:`requires_graph` has a cycle (Kahn's algorithm, O(V + E))."""
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
def requires_later_phase(ctx: Context) -> Iterator[Problem]:
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
                yield _p(
                    "LB304",
                    r.locs[f"requires.{i}"],
                    f"'{r.id}' ({r.phase}) requires '{req}', scheduled later ({other.phase})",
                    f"move '{req}' to {r.phase} or earlier, or '{r.id}' to {other.phase} or later",
                )


@check("LB305", "orphan-role", "warning")
def orphan_role(ctx: Context) -> Iterator[Problem]:
    """A role that owns nothing and is involved in nothing.

    Example: ``roles.yml`` defines ``security-officer`` but no question or
    remediation names it as owner or in ``involves``.

    Fix: give the role something to own, or delete it (or exclude it in a fork).
    """
    used: set[str] = set()
    for q in ctx.pb.questions():
        used.add(q.owner)
    for r in ctx.pb.remediations():
        used.add(r.owner)
        used.update(r.involves)
    for role in ctx.pb.roles:
        if role.id not in used:
            yield _p(
                "LB305",
                role.loc,
                f"role '{role.id}' owns nothing",
                _unloaded_hint(ctx.pb.unloaded, "it may own items in")
                or "assign it questions or remediations, or remove it",
            )


@check("LB306", "orphan-source", "warning")
def orphan_source(ctx: Context) -> Iterator[Problem]:
    """A source that nothing cites.

    Sources are cited by failure modes, or are the study behind a statistic, or
    the article that reports one.

    Example: ``sources.yml`` lists ``old-survey`` but no failure mode cites it.

    Fix: cite it where it is used, or delete it.
    """
    used: set[str] = set()
    for fm in ctx.pb.failure_modes:
        used.update(c.id for c in fm.sources)
    for st in ctx.pb.statistics:
        used.add(st.source)
        used.update(st.reported_in)
    for s in ctx.pb.sources:
        used.update(s.reported_in)
    for s in ctx.pb.sources:
        if s.id not in used:
            yield _p(
                "LB306", s.loc, f"source '{s.id}' is not cited", "cite it from a failure mode, or remove it"
            )


@check("LB307", "orphan-statistic", "warning")
def orphan_statistic(ctx: Context) -> Iterator[Problem]:
    """A statistic that no failure mode cites.

    Example: ``sources.yml`` lists statistic ``rexer-11`` but no failure mode's
    ``sources[].statistics`` mentions it.

    Fix: cite it where the figure matters, or delete it.
    """
    used = {s for fm in ctx.pb.failure_modes for c in fm.sources for s in c.statistics}
    for st in ctx.pb.statistics:
        if st.id not in used:
            yield _p(
                "LB307",
                st.loc,
                f"statistic '{st.id}' is not cited by any failure mode",
                "add it to a failure mode's sources[].statistics, or remove it",
            )


@check("LB308", "orphan-question", "warning")
def orphan_question(ctx: Context) -> Iterator[Problem]:
    """A question asked in a phase where its failure mode does not occur.

    Phase views and phase-tailored checklists show a failure mode's questions
    only in the failure mode's phases; a question outside them is orphaned and
    never shown there.

    Example: failure mode with ``phases: [frame]`` and a question with ``phase: operate``.

    Fix: add the phase to the failure mode's ``phases``, or move the question.
    """
    for fm in ctx.pb.failure_modes:
        for q in fm.questions:
            if q.phase in ctx.phases and q.phase not in fm.phases:
                yield _p(
                    "LB308",
                    q.locs["phase"],
                    f"question '{q.id}' is in phase '{q.phase}', not one of {fm.id}'s phases",
                    f"add '{q.phase}' to phases of '{fm.id}', or use one of: {', '.join(fm.phases)}",
                )


@check("LB309", "no-remediation")
def no_remediation(ctx: Context) -> Iterator[Problem]:
    """A failure mode with no remediation.

    A reader who recognizes the failure needs to know what to do about it.

    Example: ``remediations: []``.

    Fix: add at least one remediation with an owner, a phase and an effort.
    """
    for fm in ctx.pb.failure_modes:
        if not fm.remediations:
            yield _p("LB309", fm.locs.get("remediations", fm.loc), f"'{fm.id}' has no remediation", "add one")


@check("LB310", "no-source")
def no_source(ctx: Context) -> Iterator[Problem]:
    """A failure mode that cites no source.

    Every failure mode is grounded in at least one article, survey or paper.

    Example: ``sources: []``.

    Fix: cite the source it comes from (add it to sources.yml first if needed).
    """
    for fm in ctx.pb.failure_modes:
        if not fm.sources:
            yield _p(
                "LB310", fm.locs.get("sources", fm.loc), f"'{fm.id}' cites no source", "cite at least one"
            )


@check("LB311", "no-key-question")
def no_key_question(ctx: Context) -> Iterator[Problem]:
    """A failure mode whose key question is blank, or has no question at all.

    The key question is what a facilitator asks first; checklists print it in bold.

    Example: ``key_question: ""``.

    Fix: write the one question that would reveal this failure mode early.
    """
    for fm in ctx.pb.failure_modes:
        if not fm.key_question.strip():
            yield _p(
                "LB311", fm.locs.get("key_question", fm.loc), f"'{fm.id}' has no key question", "write one"
            )
        elif not fm.questions:
            yield _p(
                "LB311",
                fm.locs.get("questions", fm.loc),
                f"'{fm.id}' has no questions",
                "add at least one question",
            )


@check("LB312", "owner-not-single")
def owner_not_single(ctx: Context) -> Iterator[Problem]:
    """A remediation without one single accountable owner.

    ``owner`` names exactly one accountable role; others go in ``involves``. A
    role that is both owner and involved blurs who is accountable.

    Example: ``owner: ml-engineer`` with ``involves: [ml-engineer, data-engineer]``.

    Fix: keep the accountable role in ``owner`` and remove it from ``involves``.
    """
    for r in ctx.pb.remediations():
        if r.owner in r.involves:
            i = r.involves.index(r.owner)
            yield _p(
                "LB312",
                r.locs[f"involves.{i}"],
                f"'{r.owner}' is both owner and involved in '{r.id}'",
                "remove the owner from involves",
            )


@check("LB313", "missing-checklist-item")
def missing_checklist_item(ctx: Context) -> Iterator[Problem]:
    """A checklist item that names a question or remediation that does not exist.

    Example::

        items:
          - question: deployment-plan-writen   # did you mean 'deployment-path-written'?

    Fix: correct the id, or remove the item.
    """
    for cl in ctx.pb.checklists:
        seen: set[tuple[str, str]] = set()
        for it in cl.items:
            known = ctx.questions if it.kind == "question" else ctx.remediations
            if it.ref not in known:
                yield _p(
                    "LB313",
                    it.loc,
                    f"checklist '{cl.id}' lists unknown {it.kind} '{it.ref}'",
                    did_you_mean(it.ref, known)
                    or _unloaded_hint(ctx.pb.unloaded)
                    or "fix the id or remove the item",
                )
            elif (it.kind, it.ref) in seen:
                yield _p(
                    "LB313", it.loc, f"checklist '{cl.id}' lists {it.kind} '{it.ref}' twice", "remove one"
                )
            seen.add((it.kind, it.ref))


@check("LB314", "alias-collision")
def alias_collision(ctx: Context) -> Iterator[Problem]:
    """An alias that is also a current id of its kind, or the alias of two items.

    Failure modes, questions and remediations keep their former ids in ``aliases`` so that
    forks written against them still apply; each old id must lead to one place.

    Example: ``aliases: [data-silos]`` while ``data-silos.yml`` still exists, or two
    remediations that both list ``aliases: [write-plan]``.

    Fix: remove the alias, or rename the other item.
    """
    spaces: tuple[
        tuple[str, dict[str, object], list[tuple[str, tuple[str, ...], Mapping[str, Loc], Loc]]], ...
    ] = (
        ("failure mode", dict(ctx.fms), [(f.id, f.aliases, f.locs, f.loc) for f in ctx.pb.failure_modes]),
        ("question", dict(ctx.questions), [(q.id, q.aliases, q.locs, q.loc) for q in ctx.pb.questions()]),
        (
            "remediation",
            dict(ctx.remediations),
            [(r.id, r.aliases, r.locs, r.loc) for r in ctx.pb.remediations()],
        ),
    )
    for what, current, items in spaces:
        owner: dict[str, str] = {}
        for ident, aliases, locs, item_loc in items:
            for i, a in enumerate(aliases):
                loc = locs.get(f"aliases.{i}", item_loc)
                if a in current:
                    yield _p(
                        "LB314", loc, f"alias '{a}' of '{ident}' is also a {what} id", "remove the alias"
                    )
                elif a in owner and owner[a] != ident:
                    yield _p(
                        "LB314",
                        loc,
                        f"alias '{a}' is claimed by '{owner[a]}' and '{ident}'",
                        "keep it on one",
                    )
                owner.setdefault(a, ident)


# A percentage; not a number inside a word, path or URL ("doi.org/10.1177%2F...": %2F is an escape).
FIGURE_RE = re.compile(r"(?<![\w./])(\d+(?:\.\d+)?)\s?(%(?![0-9A-Fa-f]{2})|percent\b)", re.I)


@check("LB315", "uncited-figure")
def uncited_figure(ctx: Context) -> Iterator[Problem]:
    """A figure (such as ``85%``) in a text that no cited statistic backs.

    Every percentage in a failure mode's texts must be the ``value`` of a
    statistic that the failure mode cites in ``sources[].statistics``, so that
    readers can see who measured it and who reported it.

    Example: ``summary: Only 20% of models ship.`` with no cited statistic whose value is ``20%``.

    Fix: add the statistic to sources.yml and cite it, or remove the figure.
    """
    for fm in ctx.pb.failure_modes:
        # Exact pre-test: every match holds '%' or (any case) 'percent'; most texts have neither,
        # and then their locations are never worked out.
        joined = "\n".join(fm.text_values())
        if "%" not in joined and "percent" not in joined.lower():
            continue
        cited = {_norm_figure(ctx.stats[s]) for c in fm.sources for s in c.statistics if s in ctx.stats}
        for name, text, loc in fm.texts():
            for m in FIGURE_RE.finditer(text):
                fig = f"{m.group(1)}%"
                if fig not in cited:
                    yield _p(
                        "LB315",
                        loc,
                        f"figure '{m.group(0)}' in {name} of '{fm.id}' is not a cited statistic",
                        "cite the statistic in sources[].statistics, or remove the figure",
                    )


def _norm_figure(value: str) -> str:
    m = FIGURE_RE.search(value)
    return f"{m.group(1)}%" if m else value


@check("LB316", "self-reference")
def self_reference(ctx: Context) -> Iterator[Problem]:
    """A failure mode related to itself, or a remediation that requires itself.

    Example: ``related: [{id: data-silos, relation: causes}]`` inside ``data-silos.yml``.

    Fix: remove the entry.
    """
    for fm in ctx.pb.failure_modes:
        for rel in fm.related:
            if ctx.aliases.get(rel.id, rel.id) == fm.id:
                yield _p("LB316", rel.loc, f"'{fm.id}' is related to itself", "remove the entry")
        for r in fm.remediations:
            for i, req in enumerate(r.requires):
                if req == r.id:
                    yield _p(
                        "LB316", r.locs[f"requires.{i}"], f"'{r.id}' requires itself", "remove the entry"
                    )


@check("LB317", "unknown-level")
def unknown_level(ctx: Context) -> Iterator[Problem]:
    """A question evidences a maturity level the manifest does not define.

    Example: ``level: 7`` when ``launchbook.yml`` defines levels 0 to 4.

    Fix: use one of the manifest's levels.
    """
    levels = {lv.level for lv in ctx.pb.manifest.levels}
    for q in ctx.pb.questions():
        if q.level not in levels:
            yield _p(
                "LB317",
                q.locs["level"],
                f"question '{q.id}' has level {q.level}, not defined in launchbook.yml",
                "use one of: " + ", ".join(str(v) for v in sorted(levels)),
            )


@check("LB318", "unknown-crosswalk")
def unknown_crosswalk(ctx: Context) -> Iterator[Problem]:
    """A ``maps_to`` entry naming a framework item that does not exist.

    ``maps_to`` (on failure modes, questions and remediations) crosswalks to other
    frameworks; launchbook ships their real id lists (``nist-ai-rmf``, ``samm``,
    ``atlas``, ``deon``) and checks every id against them. Id formats:
    ``GOVERN 1.2`` (NIST AI RMF subcategory), ``G-SM`` / ``G-SM-A`` / ``G-SM-1-A``
    (SAMM practice / stream / activity), ``AML.T0000`` / ``AML.M0000`` (ATLAS),
    ``A.1`` (deon). A framework launchbook does not know is a warning (its ids
    cannot be checked), unless its name is close to a known one.

    Example::

        maps_to:
          nist-ai-rmf: [MEASURE 2.1.1]   # LB318 unknown nist-ai-rmf id; did you mean 'MEASURE 2.11'?

    Fix: use the framework's exact id (the hint names the closest one; the site's
    crosswalk pages list them all), or the framework's exact name.
    """
    from .frameworks import FRAMEWORKS, framework

    def items() -> Iterator[tuple[str, Loc, tuple[tuple[str, tuple[str, ...]], ...]]]:
        for fm in ctx.pb.failure_modes:
            yield f"failure mode '{fm.id}'", fm.locs.get("maps_to", fm.loc), fm.maps_to
            for q in fm.questions:
                yield f"question '{q.id}'", q.locs.get("maps_to", q.loc), q.maps_to
            for r in fm.remediations:
                yield f"remediation '{r.id}'", r.locs.get("maps_to", r.loc), r.maps_to

    for what, loc, maps in items():
        for fw, ids in maps:
            if fw not in FRAMEWORKS:
                close = did_you_mean(fw, FRAMEWORKS)
                yield Problem.at(
                    "LB318",
                    loc,
                    f"{what} maps to unknown framework '{fw}'",
                    close or "known frameworks: " + ", ".join(FRAMEWORKS) + "; its ids are not checked",
                    "error" if close else "warning",
                )
                continue
            known = framework(fw).ids
            for ident in ids:
                if ident not in known:
                    folded = {k.casefold().replace(" ", ""): k for k in known}
                    exact = folded.get(ident.casefold().replace(" ", ""))
                    hint = f"did you mean '{exact}'?" if exact else did_you_mean(ident, known)
                    yield _p(
                        "LB318",
                        loc,
                        f"{what} maps to unknown {fw} id '{ident}'",
                        hint or f"use an id of {framework(fw).title}; see the crosswalk page",
                    )


@check("LB319", "unbacked-year")
def unbacked_year(ctx: Context) -> Iterator[Problem]:
    """A statistic's year that neither its source's date nor a note backs.

    A figure's ``year`` is only given where someone states it: the date of the
    study in ``source`` shows it, or ``year_note`` says where it is stated (a
    citing article's words, such as "as VentureBeat reported in 2019"). An
    article that gives no year for a figure does not make the figure as old as
    the article, and an undated source (``date: "n.d."``) dates nothing. Without
    a ``year`` the site shows "year not stated".

    Example::

        - id: survey-deployed-10
          year: 2019            # LB319: its source 'survey-one' is dated n.d.
          source: survey-one

    Fix: remove ``year`` (the figure is then shown with "year not stated"), or
    add ``year_note`` saying who states the year and how, or correct the
    source's ``date``.
    """
    dates = {s.id: s.date for s in ctx.pb.sources}
    for st in ctx.pb.statistics:
        if st.year is None or st.year_note.strip() or st.source not in dates:
            continue
        date = dates[st.source]
        if date[:4] == str(st.year):
            continue
        shown = "undated (n.d.)" if date == "n.d." else f"dated {date}"
        yield _p(
            "LB319",
            st.locs.get("year", st.loc),
            f"statistic '{st.id}' gives year {st.year}, but its source '{st.source}' is {shown}",
            "remove the year (the figure is shown with 'year not stated'), or add year_note saying who"
            " states it",
        )


@check("LB325", "dangling-answers")
def dangling_answers(ctx: Context) -> Iterator[Problem]:
    """A remediation's ``answers`` names a question the playbooks do not have.

    ``answers`` lists the questions a remediation gets answered yes; the assessment's "do next"
    recommends a remediation only while one of them is not answered yes. An id there must be a
    question's id, or a former id the question keeps in its ``aliases``.

    Example::

        remediations:
          - id: set-sponsor-checkpoints
            answers: [sponsor-checkpoint-held]    # LB325: did you mean sponsor-checkpoints-held?

    Fix: write the id of an existing question (the hint names the closest one), or remove it.
    """
    known = set(ctx.questions) | {a for q in ctx.questions.values() for a in q.aliases}
    for r in ctx.pb.remediations():
        for i, qid in enumerate(r.answers):
            if qid not in known:
                hint = did_you_mean(qid, known) or "list ids of questions of any failure mode"
                yield _p(
                    "LB325",
                    r.locs.get(f"answers.{i}", r.loc),
                    f"remediation '{r.id}' answers unknown question '{qid}'",
                    hint,
                )


@check("LB326", "question-without-remediation", "warning")
def question_without_remediation(ctx: Context) -> Iterator[Problem]:
    """A question that no remediation answers.

    Every question should name, through some remediation's ``answers``, what to do when it is
    not answered yes; else the assessment's "do next" falls back to every remediation of the
    question's failure mode, including work already done.

    Example: the question ``sponsor-checkpoints-held`` while no remediation lists it in
    ``answers``.

    The check applies to a playbook set that links questions at all (one remediation with
    ``answers`` or more): a set written before the field, a fork of an older upstream say, keeps
    the fallback quietly.

    Fix: add the question's id to ``answers`` of the remediation that gets it answered yes
    (a remediation of any failure mode).
    """
    answered: set[str] = set()
    for r in ctx.pb.remediations():
        answered.update(r.answers)
    if not answered:
        return
    for q in ctx.pb.questions():
        if q.id not in answered and not answered.intersection(q.aliases):
            yield _p(
                "LB326",
                q.loc,
                f"no remediation answers question '{q.id}'",
                f"add '{q.id}' to 'answers' of the remediation that gets it answered yes",
            )


@check("LB320", "unknown-role-reference")
def unknown_role_reference(ctx: Context) -> Iterator[Problem]:
    """A role reference (``@role(id)``) in a text that names no role.

    Any text, plain or Markdown, may name a role as ``@role(role-id)``; every output shows
    the role's display name there, so a fork that renames the role renames it in every
    text too. The id must be a role of roles.yml (or a fork's overlay). A role a fork
    remapped or dropped is still named (by the role that took over, or by its old name).

    Example::

        ask: Has @role(prodcut-owner) agreed?   # LB320 unknown role 'prodcut-owner'

    Fix: correct the id (the hint names the closest role), or add the role to roles.yml.
    """
    known = sorted(ctx.roles)
    changes = ctx.pb.fork_changes
    former = changes.former_role_names({}) if changes is not None else {}
    for what, text, loc in playbook_texts(ctx.pb):
        for _, ident in role_refs(text):
            if ident not in ctx.roles and ident not in former:
                yield _p(
                    "LB320",
                    loc,
                    f"unknown role '{ident}' in @role({ident}) of {what}",
                    did_you_mean(ident, known) or "write a role id of roles.yml: " + ", ".join(known),
                )


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
    """(name, documentation) of every code that is not a graph check nor in the registry
    (:mod:`launchbook.codes`); a documentation that starts with "(warning)" is a warning's."""
    from .glyphs import GLYPH_CODES
    from .importers.common import IMPORT_CODES

    return [LOADER_CODES, IMPORT_CODES, GLYPH_CODES]


def _registered() -> list[Code]:
    """The codes declared in the registry. Until the commands layer imports every emitting module
    before explaining codes, the modules that declare codes are imported here."""
    from . import assess  # noqa: F401 - declares LB601-LB608
    from .overlay import apply_overlay  # noqa: F401 - declares LB400-LB410

    return registered()


def _level(doc: str) -> str:
    return "warning" if doc.startswith("(warning)") else "error"


def explain(code: str) -> str | None:
    """Documentation of a code (``LB301``) or name (``dangling-reference``), or None."""
    key = code.strip()
    for chk in CHECKS.values():
        if key.upper() == chk.code or key == chk.name:
            return f"{chk.code} {chk.name} ({chk.level})\n\n{chk.doc}\n"
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

    rows: list[tuple[str, str, str, str]] = [(c.code, c.name, c.level, c.summary) for c in CHECKS.values()]
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
