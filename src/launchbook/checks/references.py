"""Checks that ids lead somewhere, once: dangling references, duplicate ids, aliases, references
to oneself, maturity levels and crosswalk ids."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

from ..codes import Code
from ..errors import Loc, Problem, did_you_mean
from ..frameworks import FRAMEWORKS, framework
from ..markup import role_refs
from ..model import Checklist, Citation, FailureMode, MapsTo, Remediation, Source, Statistic, playbook_texts
from .registry import Context, check, missing


class _Targets:
    """What each kind of reference may name, and where such an item is defined. The membership
    tests are written out per reference (a check of 10,000 failure modes makes about 400,000)."""

    def __init__(self, ctx: Context, code: Code) -> None:
        unloaded = ctx.pb.unloaded
        self.code = code
        self.categories, self.phases, self.roles = ctx.categories, ctx.phases, ctx.roles
        self.remediations, self.sources, self.stats = ctx.remediations, ctx.sources, ctx.stats
        self.fms = set(ctx.fms) | set(ctx.aliases)
        self.kinds: dict[str, tuple[Collection[str], str, tuple[str, ...]]] = {
            "category": (self.categories, "launchbook.yml", ()),
            "phase": (self.phases, "launchbook.yml", ()),
            "role": (self.roles, "roles.yml", ()),
            "remediation": (self.remediations, "a failure mode", unloaded),
            "failure mode": (self.fms, "failure-modes/", unloaded),
            "source": (self.sources, "sources.yml", ()),
            "statistic": (self.stats, "sources.yml", ()),
        }

    def unknown(self, what: str, ident: str, loc: Loc) -> Problem:
        """LB301 for ``ident``, which names no ``what``."""
        known, where, unloaded = self.kinds[what]
        return missing(self.code, what, ident, loc, known, where, unloaded)

    def failure_mode(self, fm: FailureMode) -> Iterator[Problem]:
        """Its category and phases, its questions' owners and phases, then its remediations',
        related failure modes' and citations' references."""
        phases, roles = self.phases, self.roles
        if fm.category not in self.categories:
            yield self.unknown("category", fm.category, fm.locs["category"])
        for i, ph in enumerate(fm.phases):
            if ph not in phases:
                yield self.unknown("phase", ph, fm.locs[f"phases.{i}"])
        for q in fm.questions:
            if q.owner not in roles:
                yield self.unknown("role", q.owner, q.locs["owner"])
            if q.phase not in phases:
                yield self.unknown("phase", q.phase, q.locs["phase"])
        for r in fm.remediations:
            yield from self.remediation(r)
        for rel in fm.related:
            if rel.id not in self.fms:
                yield self.unknown("failure mode", rel.id, rel.loc)
        for c in fm.sources:
            yield from self.citation(c)

    def remediation(self, r: Remediation) -> Iterator[Problem]:
        """Its owner, the roles involved, its phase and what it requires."""
        if r.owner not in self.roles:
            yield self.unknown("role", r.owner, r.locs["owner"])
        for i, who in enumerate(r.involves):
            if who not in self.roles:
                yield self.unknown("role", who, r.locs[f"involves.{i}"])
        if r.phase not in self.phases:
            yield self.unknown("phase", r.phase, r.locs["phase"])
        for i, req in enumerate(r.requires):
            if req not in self.remediations:
                yield self.unknown("remediation", req, r.locs[f"requires.{i}"])

    def citation(self, c: Citation) -> Iterator[Problem]:
        """The source a failure mode cites, and the statistics it cites from it."""
        if c.id not in self.sources:
            yield self.unknown("source", c.id, c.loc)
        for i, sid in enumerate(c.statistics):
            if sid not in self.stats:
                yield self.unknown("statistic", sid, c.locs[f"statistics.{i}"])

    def reported_in(self, item: Source | Statistic) -> Iterator[Problem]:
        """The articles that report a source or a statistic."""
        for i, art in enumerate(item.reported_in):
            if art not in self.sources:
                yield self.unknown("source", art, item.locs[f"reported_in.{i}"])

    def checklist(self, cl: Checklist) -> Iterator[Problem]:
        """The roles that attend the meeting and that decide, and its phase."""
        for name in ("attendees", "deciders"):
            for i, who in enumerate(getattr(cl, name)):
                if who not in self.roles:
                    yield self.unknown("role", who, cl.locs[f"{name}.{i}"])
        if cl.phase and cl.phase not in self.phases:
            yield self.unknown("phase", cl.phase, cl.locs["phase"])


@check("LB301", "dangling-reference")
def dangling_reference(ctx: Context, code: Code) -> Iterator[Problem]:
    """A reference to an id that does not exist.

    Every category, phase, role, source, statistic, remediation and failure mode
    that a file mentions must be defined somewhere in the playbook set.

    Example::

        owner: prodcut-owner     # LB301 unknown role 'prodcut-owner'; did you mean 'product-owner'?

    Fix: correct the id (the hint names the closest existing one), or define the
    missing item in roles.yml, sources.yml, launchbook.yml or a failure mode.
    """
    targets = _Targets(ctx, code)
    for fm in ctx.pb.failure_modes:
        yield from targets.failure_mode(fm)
    for src in ctx.pb.sources:
        yield from targets.reported_in(src)
    for st in ctx.pb.statistics:
        if st.source not in targets.sources:
            yield targets.unknown("source", st.source, st.locs["source"])
        yield from targets.reported_in(st)
    for cl in ctx.pb.checklists:
        yield from targets.checklist(cl)


@check("LB302", "duplicate-id")
def duplicate_id(ctx: Context, code: Code) -> Iterator[Problem]:
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
                yield code.at(
                    loc,
                    f"duplicate {what} id '{ident}' (first defined at {f.path}:{f.line})",
                    "give one of them a different id",
                )
            else:
                first[ident] = loc


@check("LB314", "alias-collision")
def alias_collision(ctx: Context, code: Code) -> Iterator[Problem]:
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
                    yield code.at(loc, f"alias '{a}' of '{ident}' is also a {what} id", "remove the alias")
                elif a in owner and owner[a] != ident:
                    yield code.at(
                        loc, f"alias '{a}' is claimed by '{owner[a]}' and '{ident}'", "keep it on one"
                    )
                owner.setdefault(a, ident)


@check("LB316", "self-reference")
def self_reference(ctx: Context, code: Code) -> Iterator[Problem]:
    """A failure mode related to itself, or a remediation that requires itself.

    Example: ``related: [{id: data-silos, relation: causes}]`` inside ``data-silos.yml``.

    Fix: remove the entry.
    """
    for fm in ctx.pb.failure_modes:
        for rel in fm.related:
            if ctx.aliases.get(rel.id, rel.id) == fm.id:
                yield code.at(rel.loc, f"'{fm.id}' is related to itself", "remove the entry")
        for r in fm.remediations:
            for i, req in enumerate(r.requires):
                if req == r.id:
                    yield code.at(r.locs[f"requires.{i}"], f"'{r.id}' requires itself", "remove the entry")


@check("LB317", "unknown-level")
def unknown_level(ctx: Context, code: Code) -> Iterator[Problem]:
    """A question evidences a maturity level the manifest does not define.

    Example: ``level: 7`` when ``launchbook.yml`` defines levels 0 to 4.

    Fix: use one of the manifest's levels.
    """
    levels = {lv.level for lv in ctx.pb.manifest.levels}
    for q in ctx.pb.questions():
        if q.level not in levels:
            yield code.at(
                q.locs["level"],
                f"question '{q.id}' has level {q.level}, not defined in launchbook.yml",
                "use one of: " + ", ".join(str(v) for v in sorted(levels)),
            )


@check("LB318", "unknown-crosswalk")
def unknown_crosswalk(ctx: Context, code: Code) -> Iterator[Problem]:
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
    for what, loc, maps in _crosswalked(ctx):
        for fw, ids in maps:
            if fw in FRAMEWORKS:
                yield from _unknown_framework_ids(code, what, loc, fw, ids)
                continue
            close = did_you_mean(fw, FRAMEWORKS)
            # the one finding whose level is not its code's: an unknown framework name is a warning
            yield Problem.at(
                code.code,
                loc,
                f"{what} maps to unknown framework '{fw}'",
                close or "known frameworks: " + ", ".join(FRAMEWORKS) + "; its ids are not checked",
                "error" if close else "warning",
            )


def _crosswalked(ctx: Context) -> Iterator[tuple[str, Loc, MapsTo]]:
    """(what, where, maps_to) of every failure mode, question and remediation."""
    for fm in ctx.pb.failure_modes:
        yield f"failure mode '{fm.id}'", fm.locs.get("maps_to", fm.loc), fm.maps_to
        for q in fm.questions:
            yield f"question '{q.id}'", q.locs.get("maps_to", q.loc), q.maps_to
        for r in fm.remediations:
            yield f"remediation '{r.id}'", r.locs.get("maps_to", r.loc), r.maps_to


def _unknown_framework_ids(code: Code, what: str, loc: Loc, fw: str, ids: Iterable[str]) -> Iterator[Problem]:
    known = framework(fw).ids
    for ident in ids:
        if ident not in known:
            folded = {k.casefold().replace(" ", ""): k for k in known}
            exact = folded.get(ident.casefold().replace(" ", ""))
            hint = f"did you mean '{exact}'?" if exact else did_you_mean(ident, known)
            yield code.at(
                loc,
                f"{what} maps to unknown {fw} id '{ident}'",
                hint or f"use an id of {framework(fw).title}; see the crosswalk page",
            )


@check("LB320", "unknown-role-reference")
def unknown_role_reference(ctx: Context, code: Code) -> Iterator[Problem]:
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
                yield code.at(
                    loc,
                    f"unknown role '{ident}' in @role({ident}) of {what}",
                    did_you_mean(ident, known) or "write a role id of roles.yml: " + ", ".join(known),
                )
