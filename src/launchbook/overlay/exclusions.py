"""Dropping upstream items (exclude.yml), pruning what referred to them, and remapping roles
(roles.yml ``remap:``). A reference to an excluded item is dropped quietly and recorded in the
merge's provenance (``check`` counts them, ``--verbose`` lists them); an excluded role that still
owns work is one error listing that work (LB407): ownership is remapped, never pruned."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from ..codes import declare
from ..errors import Loc
from ..model import FailureMode, Remediation, Source, Statistic
from ..model.provenance import DroppedLink, Exclusion, RoleMerge
from ..schema.fork import EXCLUDABLE
from .changes import CONFLICT
from .state import MergeState, plural
from .values import keep_indexes, remap_attendees, remap_remediation, without

NO_REASON = declare(
    "LB405",
    "exclude-without-reason",
    """
    An exclusion without a 'reason'. Readers of the fork's site, and whoever pulls the next
    upstream update, need to know why an item was dropped.

    Example::

        - failure_mode: llm-cost-per-request      # LB405

    Fix: add 'reason: We do not run LLMs in production.'
    """,
)
EXCLUDED_DEPENDENCY = declare(
    "LB406",
    "excluded-dependency",
    """
    A checklist lost all of its items to the exclusions, so it was dropped too.

    Excluding an item also drops every reference to it from what stays (a remediation that
    requires it, a checklist line, a 'related' entry, a role among 'involves' or 'attendees'),
    quietly: 'launchbook check' counts those links in one line and lists them with --verbose, and
    the fork's site lists the exclusions with their reasons. A checklist left empty is different:
    a whole meeting disappears, so it is reported.

    Example::

        - question: data-sample-seen    # LB406 checklist 'data-review' has no items left
          reason: We ask it our own way.

    Fix: exclude the checklist explicitly (with its reason), or extend it with items of your own.
    """,
    level="warning",
)
EXCLUDED_OWNER = declare(
    "LB407",
    "excluded-owner",
    """
    A role is excluded but still owns a remediation or answers for a question that stays.

    Example::

        - role: data-steward          # LB407 still owns remediation 'catalog-data'
          reason: No such role here.

    Fix: move its ownership onto another role with 'remap: {old-role: new-role}' in
    overlay/roles.yml (this also drops the old role), or override the owners first.
    """,
)

Gone = dict[str, dict[str, Loc]]  # kind -> excluded id -> the exclusion's location


class Exclusions(MergeState):
    """exclude.yml, the pruning it cascades into, and role remaps."""

    # ---------------------------------------------------------------- exclude
    def exclude(self) -> dict[str, Loc]:
        """Apply exclude.yml; returns the excluded roles with their exclusion (pruned after remapping)."""
        gone = self._exclusions()
        self._cascade(gone)
        self._prune(gone)
        return gone["role"]

    def _exclusions(self) -> Gone:
        """The ids exclude.yml names, resolved: each with a reason (LB405), none also changed (LB408)."""
        doc = self.ov.exclude
        gone: Gone = {k: {} for k in EXCLUDABLE}
        if doc is None or doc.data is None:
            return gone
        for i, entry in enumerate(doc.data.get("exclude", ())):
            kind = next(k for k in EXCLUDABLE if k in entry)
            loc = self.loc(doc, "exclude", i, kind)
            if not entry.get("reason", "").strip():
                self.problems.append(
                    NO_REASON.at(
                        loc,
                        f"exclusion of {plural(kind)} '{entry[kind]}' has no reason",
                        "add 'reason: ...' saying why it does not apply to your organization",
                    )
                )
                continue
            target = self.resolve(kind, entry[kind], loc)
            if target is None:
                continue
            if (kind, target) in self.changed:
                other = self.changed[(kind, target)]
                self.problems.append(
                    CONFLICT.at(
                        loc,
                        f"{plural(kind)} '{target}' is excluded here but changed at {other.path}:{other.line}",
                        "remove the override or extension, or the exclusion",
                    )
                )
            if target not in gone[kind]:
                gone[kind][target] = loc
                self.excluded.append(
                    Exclusion(kind, target, self.title_of(kind, target), entry["reason"].strip())
                )
        return gone

    def _take_along(self, gone: Gone, kind: str, ident: str, title: str, loc: Loc, via: str) -> None:
        """``ident`` goes with the excluded item ``via`` (a failure mode's questions, a category's
        failure modes)."""
        if ident not in gone[kind]:
            gone[kind][ident] = loc
            self.excluded.append(Exclusion(kind, ident, title, "", via))

    def _cascade(self, gone: Gone) -> None:
        """Drop what is excluded: a category takes its failure modes, a failure mode its items."""
        for cid, loc in gone["category"].items():
            for fm in self.fms.values():
                if fm.category == cid:
                    self._take_along(gone, "failure_mode", fm.id, fm.title, loc, cid)
            del self.categories[cid]
        qidx, ridx = self.question_index(), self.remediation_index()
        for fid, loc in list(gone["failure_mode"].items()):
            fm = self.fms.pop(fid)
            for q in fm.questions:
                self._take_along(gone, "question", q.id, q.ask, loc, fid)
            for r in fm.remediations:
                self._take_along(gone, "remediation", r.id, r.title, loc, fid)
        for qid in gone["question"]:
            if qidx[qid] in self.fms:
                fm = self.fms[qidx[qid]]
                self.fms[fm.id] = without(fm, "questions", [q for q in fm.questions if q.id != qid])
        for rid in gone["remediation"]:
            if ridx[rid] in self.fms:
                fm = self.fms[ridx[rid]]
                self.fms[fm.id] = without(fm, "remediations", [r for r in fm.remediations if r.id != rid])
        for cid in gone["checklist"]:
            del self.checklists[cid]

    def _dropped(self, what: str, ident: str, dependent: str, where: Loc) -> None:
        """A reference to an excluded item, dropped quietly: excluding an item means excluding the
        links to it. ``check`` counts them in one line and lists them with ``--verbose``."""
        self.dropped_links.append(DroppedLink(what, ident, dependent, where))

    def _prune(self, gone: Gone) -> None:
        """References to excluded items dropped (recorded in the provenance, not reported each)."""
        fm_gone = {**gone["failure_mode"]}
        for alias, fid in self.aliases.items():
            if fid in fm_gone:
                fm_gone[alias] = fm_gone[fid]
        for fid, fm in list(self.fms.items()):
            self.fms[fid] = self._prune_failure_mode(fm, fm_gone, gone["remediation"], gone["question"])
        for cid in list(self.checklists):
            self._prune_checklist(cid, gone)

    def _prune_failure_mode(
        self,
        fm: FailureMode,
        fm_gone: Mapping[str, Loc],
        rem_gone: Mapping[str, Loc],
        q_gone: Mapping[str, Loc],
    ) -> FailureMode:
        related = []
        for rel in fm.related:
            if rel.id in fm_gone:
                self._dropped("failure mode", rel.id, f"failure mode '{fm.id}' (related)", rel.loc)
            else:
                related.append(rel)
        rems = []
        for r in fm.remediations:
            keep = [i for i, req in enumerate(r.requires) if req not in rem_gone]
            for i, req in enumerate(r.requires):
                if req in rem_gone:
                    where = r.locs.get(f"requires.{i}", r.loc)
                    self._dropped("remediation", req, f"remediation '{r.id}' (requires)", where)
            r = keep_indexes(r, "requires", keep) if len(keep) != len(r.requires) else r
            answers = [i for i, q in enumerate(r.answers) if q not in q_gone]  # it answers fewer
            rems.append(keep_indexes(r, "answers", answers) if len(answers) != len(r.answers) else r)
        return replace(fm, related=tuple(related), remediations=tuple(rems))

    def _prune_checklist(self, cid: str, gone: Gone) -> None:
        cl = self.checklists[cid]
        items = []
        last = cl.loc
        for it in cl.items:
            dead = gone["question"] if it.kind == "question" else gone["remediation"]
            if it.ref in dead:
                last = dead[it.ref]
                self._dropped(it.kind, it.ref, f"checklist '{cid}'", it.loc)
            else:
                items.append(it)
        if not items:
            self.problems.append(
                EXCLUDED_DEPENDENCY.at(
                    last,
                    f"checklist '{cid}' has no items left after the exclusions; it was dropped",
                    "exclude the checklist explicitly, or extend it with items of your own",
                )
            )
            self.excluded.append(Exclusion("checklist", cid, cl.title, "all of its items were excluded"))
            del self.checklists[cid]
        elif len(items) != len(cl.items):
            self.checklists[cid] = replace(cl, items=tuple(items))

    # ---------------------------------------------------------------- roles
    def remap(self, excluded_roles: Mapping[str, Loc]) -> None:
        """roles.yml ``remap:`` (the new role takes over everything), then excluded roles dropped."""
        mapping = self._role_mapping(excluded_roles)
        for fid, fm in list(self.fms.items()):
            qs = tuple(replace(q, owner=mapping.get(q.owner, q.owner)) for q in fm.questions)
            rs = tuple(remap_remediation(r, mapping) for r in fm.remediations)
            self.fms[fid] = replace(fm, questions=qs, remediations=rs)
        for cid, cl in list(self.checklists.items()):
            self.checklists[cid] = remap_attendees(cl, mapping)
        for old, new in mapping.items():
            self.merged_roles.append(RoleMerge(old, self.roles[old].name, new))
            del self.roles[old]
        for rid, loc in excluded_roles.items():
            if rid not in mapping:
                self._drop_role(rid, loc)

    def _role_mapping(self, excluded_roles: Mapping[str, Loc]) -> dict[str, str]:
        """Old role -> new role, from roles.yml ``remap:``; a role onto itself, or onto a role that is
        remapped or excluded, is a conflict (LB408)."""
        doc = self.ov.roles
        mapping: dict[str, str] = {}
        if doc is None or doc.data is None:
            return mapping
        remap = doc.data.get("remap", {})
        for old, new in remap.items():
            kloc = self.key_loc(doc, "remap", old)
            src = self.resolve("role", old, kloc)
            dst = self.resolve("role", new, self.loc(doc, "remap", old))
            if src is None or dst is None:
                continue
            if src == dst:
                self.problems.append(
                    CONFLICT.at(
                        kloc,
                        f"role '{src}' is remapped onto itself",
                        "remove this line, or remap the role onto the role that takes over its work",
                    )
                )
            elif dst in remap or dst in excluded_roles:
                why = "remapped too" if dst in remap else "excluded"
                self.problems.append(
                    CONFLICT.at(
                        self.loc(doc, "remap", old),
                        f"role '{src}' is remapped onto '{dst}', which is {why}",
                        "remap directly onto the role that stays",
                    )
                )
            else:
                mapping[src] = dst
        return mapping

    def _drop_role(self, rid: str, loc: Loc) -> None:
        """An excluded role: one error (LB407) listing what it still owns, which keeps the role so that
        nothing else is reported about it; where it is only involved or attends, it is dropped."""
        owned = [
            (what, item.id)
            for fm in self.fms.values()
            for what, items in (("question", fm.questions), ("remediation", fm.remediations))
            for item in items
            if item.owner == rid
        ]
        if owned:
            listed = ", ".join(f"{what} '{ident}'" for what, ident in owned)
            self.problems.append(
                EXCLUDED_OWNER.at(
                    loc,
                    f"excluded role '{rid}' still owns {len(owned)} item(s), which need a new owner: {listed}",
                    f"remap it instead ('remap: {{{rid}: another-role}}' in roles.yml), or override the"
                    " owner of each",
                )
            )
            return
        for fid, fm in list(self.fms.items()):
            self.fms[fid] = replace(fm, remediations=tuple(self._uninvolve(r, rid) for r in fm.remediations))
        for cid, cl in list(self.checklists.items()):
            for name in ("attendees", "deciders"):
                who: tuple[str, ...] = getattr(cl, name)
                if rid in who:
                    i = who.index(rid)
                    self._dropped(
                        "role", rid, f"checklist '{cid}' ({name})", cl.locs.get(f"{name}.{i}", cl.loc)
                    )
                    cl = keep_indexes(cl, name, [j for j in range(len(who)) if j != i])
            self.checklists[cid] = cl
        self.roles.pop(rid, None)

    def _uninvolve(self, r: Remediation, rid: str) -> Remediation:
        if rid not in r.involves:
            return r
        i = r.involves.index(rid)
        self._dropped("role", rid, f"remediation '{r.id}' (involves)", r.locs.get(f"involves.{i}", r.loc))
        return keep_indexes(r, "involves", [j for j in range(len(r.involves)) if j != i])

    # ---------------------------------------------------------------- citations
    def drop_orphaned_citations(self) -> None:
        """Sources and statistics that only excluded failure modes cited go with them (no LB306/LB307)."""
        src_before, stat_before = _cited(self.pb.failure_modes)
        src_now, stat_now = _cited(self.fms.values())
        for sid in stat_before - stat_now:
            self.stats.pop(sid, None)
        before = _needed(src_before, self.pb.statistics, self.pb.sources)
        while True:
            now = _needed(src_now, self.stats.values(), self.sources.values())
            gone = [sid for sid in self.sources if sid in before and sid not in now]
            if not gone:
                break
            for sid in gone:
                del self.sources[sid]


def _cited(fms: Iterable[FailureMode]) -> tuple[set[str], set[str]]:
    """The sources and the statistics ``fms`` cite."""
    srcs: set[str] = set()
    stats: set[str] = set()
    for fm in fms:
        for c in fm.sources:
            srcs.add(c.id)
            stats.update(c.statistics)
    return srcs, stats


def _needed(srcs: set[str], stats: Iterable[Statistic], sources: Iterable[Source]) -> set[str]:
    """The sources cited, and those the statistics and sources kept refer to."""
    out = set(srcs)
    for st in stats:
        out.add(st.source)
        out.update(st.reported_in)
    for src in sources:
        out.update(src.reported_in)
    return out
