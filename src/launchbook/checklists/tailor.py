"""Tailoring a checklist: resolve its items, filter them, group them for printing.

:func:`tailor` is pure: it reads a :class:`~launchbook.model.Playbook` and returns a
frozen :class:`Tailored` value that every output format renders. Unknown names
(checklist, role, phase, tag, failure mode) raise :class:`~launchbook.errors.UsageError`
with a did-you-mean hint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import UsageError, did_you_mean
from ..model import Checklist, FailureMode, Phase, Playbook, Question, Remediation, Role


@dataclass(frozen=True)
class Why:
    """Why a failure mode matters: its impact (Markdown) and the first source it cites."""

    impact: str
    source_title: str
    source_url: str


@dataclass(frozen=True)
class TailoredItem:
    """One line of a printed checklist: a question to ask or a remediation to agree on."""

    kind: str  # "question" | "remediation"
    id: str
    text: str  # the question (``ask``) or the remediation's title; plain text
    detail: str  # the remediation's ``do`` (Markdown); empty for questions
    owner: str  # role id
    owner_name: str
    involves: tuple[str, ...]  # role names of the roles involved (remediations)
    phase: str
    phase_title: str
    failure_mode: str
    failure_mode_title: str
    key_question: str
    why: Why


@dataclass(frozen=True)
class Group:
    """Items under one heading: a failure mode (with its key question and why) or a phase."""

    kind: str  # "failure-mode" | "phase"
    id: str
    title: str
    key_question: str  # empty for a phase group
    why: Why | None  # None for a phase group
    items: tuple[TailoredItem, ...]


@dataclass(frozen=True)
class Tailored:
    """A checklist with its filters applied, ready to render."""

    checklist: Checklist
    groups: tuple[Group, ...]
    filters: tuple[tuple[str, str], ...]  # (what, value) pairs as given, for the page header
    attendees: tuple[str, ...]  # role names

    @property
    def items(self) -> tuple[TailoredItem, ...]:
        return tuple(it for g in self.groups for it in g.items)


def _unknown(what: str, value: str, known: Iterable[str]) -> UsageError:
    names = sorted(set(known))
    hint = did_you_mean(value, names) or ("known: " + ", ".join(names) if names else f"no {what}s defined")
    return UsageError(f"unknown {what} '{value}'; {hint}")


def _why(pb: Playbook, fm: FailureMode) -> Why:
    sources = {s.id: s for s in pb.sources}
    for c in fm.sources:
        src = sources.get(c.id)
        if src is not None:
            return Why(fm.impact, src.title, src.url)
    return Why(fm.impact, "", "")


def _matches_role(ref: Question | Remediation, role: str) -> bool:
    if isinstance(ref, Question):
        return ref.owner == role
    return role == ref.owner or role in ref.involves


@dataclass(frozen=True)
class _Index:
    """The playbook's roles, phases and failure modes (with their aliases) by id."""

    roles: dict[str, Role]
    phases: dict[str, Phase]
    fms: dict[str, FailureMode]
    aliases: dict[str, str]

    @classmethod
    def of(cls, pb: Playbook) -> _Index:
        return cls(
            {r.id: r for r in pb.roles},
            {p.id: p for p in pb.manifest.phases},
            {fm.id: fm for fm in pb.failure_modes},
            {a: fm.id for fm in pb.failure_modes for a in fm.aliases},
        )


@dataclass(frozen=True)
class _Filters:
    """What to keep; None (or no failure modes) keeps everything."""

    role: str | None
    phase: str | None
    tag: str | None
    failure_modes: frozenset[str]  # ids, aliases resolved

    def keep(self, ref: Question | Remediation, fm: FailureMode) -> bool:
        """Whether an item (``ref``, of failure mode ``fm``) passes every filter."""
        return (
            (self.role is None or _matches_role(ref, self.role))
            and (self.phase is None or ref.phase == self.phase)
            and (self.tag is None or self.tag in fm.tags)
            and (not self.failure_modes or fm.id in self.failure_modes)
        )


def tailor(
    pb: Playbook,
    checklist_id: str,
    *,
    role: str | None = None,
    phase: str | None = None,
    tag: str | None = None,
    failure_modes: Sequence[str] = (),
) -> Tailored:
    """The checklist ``checklist_id`` of ``pb``, filtered and grouped.

    - ``role`` keeps the questions the role asks and the remediations it owns or is involved in;
    - ``phase`` keeps the items of that phase;
    - ``tag`` keeps the items of failure modes with that tag;
    - ``failure_modes`` keeps the items of those failure modes (ids or aliases).

    Filters combine with "and". Items are grouped by the checklist's ``group_by``:
    failure modes in order of first appearance, or phases in the manifest's order.
    The result may have no groups when nothing matches.
    """
    checklists = {c.id: c for c in pb.checklists}
    cl = checklists.get(checklist_id)
    if cl is None:
        raise _unknown("checklist", checklist_id, checklists)
    index = _Index.of(pb)
    filters = _filters(pb, index, role, phase, tag, failure_modes)
    items = _items(pb, cl, index, filters)
    groups = (
        _phase_groups(pb, items, index) if cl.group_by == "phase" else _failure_mode_groups(pb, items, index)
    )
    attendees = tuple(index.roles[a].name if a in index.roles else a for a in cl.attendees)
    return Tailored(cl, groups, _filter_labels(pb, index, filters), attendees)


def _filters(
    pb: Playbook,
    index: _Index,
    role: str | None,
    phase: str | None,
    tag: str | None,
    failure_modes: Sequence[str],
) -> _Filters:
    """The filters, each name checked (a UsageError names the closest known one)."""
    if role is not None and role not in index.roles:
        raise _unknown("role", role, index.roles)
    if phase is not None and phase not in index.phases:
        raise _unknown("phase", phase, index.phases)
    if tag is not None and tag not in {t for fm in pb.failure_modes for t in fm.tags}:
        raise _unknown("tag", tag, (t for fm in pb.failure_modes for t in fm.tags))
    wanted_fms: set[str] = set()
    for f in failure_modes:
        fid = f if f in index.fms else index.aliases.get(f)
        if fid is None:
            raise _unknown("failure mode", f, index.fms)
        wanted_fms.add(fid)
    return _Filters(role, phase, tag, frozenset(wanted_fms))


def _items(pb: Playbook, cl: Checklist, index: _Index, filters: _Filters) -> list[TailoredItem]:
    """The checklist's items that exist and pass the filters, in the checklist's order."""
    questions = {q.id: q for q in pb.questions()}
    remediations = {r.id: r for r in pb.remediations()}
    items: list[TailoredItem] = []
    for it in cl.items:
        ref: Question | Remediation | None = (
            questions.get(it.ref) if it.kind == "question" else remediations.get(it.ref)
        )
        if ref is None or ref.failure_mode not in index.fms:  # reported by the checks (LB313)
            continue
        fm = index.fms[ref.failure_mode]
        if filters.keep(ref, fm):
            items.append(_item(pb, it.kind, ref, fm, index))
    return items


def _item(
    pb: Playbook, kind: str, ref: Question | Remediation, fm: FailureMode, index: _Index
) -> TailoredItem:
    """One line of the checklist: the question or remediation with the names of what it refers to."""
    owner = index.roles.get(ref.owner)
    ph = index.phases.get(ref.phase)
    if isinstance(ref, Question):
        text, detail, involves = ref.ask, "", tuple[str, ...]()
    else:
        text, detail = ref.title, ref.do
        involves = tuple(index.roles[r].name if r in index.roles else r for r in ref.involves)
    return TailoredItem(
        kind=kind,
        id=ref.id,
        text=text,
        detail=detail,
        owner=ref.owner,
        owner_name=owner.name if owner else ref.owner,
        involves=involves,
        phase=ref.phase,
        phase_title=ph.title if ph else ref.phase,
        failure_mode=fm.id,
        failure_mode_title=fm.title,
        key_question=fm.key_question,
        why=_why(pb, fm),
    )


def _phase_groups(pb: Playbook, items: list[TailoredItem], index: _Index) -> tuple[Group, ...]:
    """One group per phase, in the manifest's order; unknown phases (unchecked input) last."""
    groups: list[Group] = []
    for p in pb.manifest.phases:
        members = tuple(i for i in items if i.phase == p.id)
        if members:
            groups.append(Group("phase", p.id, p.title, "", None, members))
    for ph_id in dict.fromkeys(i.phase for i in items if i.phase not in index.phases):
        groups.append(Group("phase", ph_id, ph_id, "", None, tuple(i for i in items if i.phase == ph_id)))
    return tuple(groups)


def _failure_mode_groups(pb: Playbook, items: list[TailoredItem], index: _Index) -> tuple[Group, ...]:
    """One group per failure mode, in order of first appearance."""
    seen: list[str] = []
    for i in items:
        if i.failure_mode not in seen:
            seen.append(i.failure_mode)
    groups: list[Group] = []
    for fid in seen:
        fm = index.fms[fid]
        members = tuple(i for i in items if i.failure_mode == fid)
        groups.append(Group("failure-mode", fid, fm.title, fm.key_question, _why(pb, fm), members))
    return tuple(groups)


def _filter_labels(pb: Playbook, index: _Index, filters: _Filters) -> tuple[tuple[str, str], ...]:
    """(what, value) of each filter as the page header shows it."""
    labels: list[tuple[str, str]] = []
    if filters.role is not None:
        labels.append(("role", index.roles[filters.role].name))
    if filters.phase is not None:
        labels.append(("phase", index.phases[filters.phase].title))
    if filters.tag is not None:
        labels.append(("tag", filters.tag))
    for fid in sorted(filters.failure_modes, key=lambda f: [fm.id for fm in pb.failure_modes].index(f)):
        labels.append(("failure mode", index.fms[fid].title))
    return tuple(labels)
