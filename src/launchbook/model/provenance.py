"""What a fork changed in its upstream playbooks: the provenance the overlay's merge records.

A merged :class:`~launchbook.model.types.Playbook` carries it as ``pb.fork_changes`` (``None``
for playbooks that are not a fork). The fork's site lists it on its "What we changed" page and
marks each addition on its own page; ``launchbook check`` reports the links an exclusion dropped
as one line (their list with ``--verbose``), not as one warning each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from ..errors import Loc


@dataclass(frozen=True)
class Exclusion:
    """An upstream item the fork dropped. ``via`` is the id of the excluded failure mode or category
    that took it along ("" when exclude.yml names it)."""

    kind: str  # failure_mode | question | remediation | category | role | checklist
    id: str
    title: str
    reason: str
    via: str = ""


@dataclass(frozen=True)
class DroppedLink:
    """A reference to an excluded item, dropped from an item that stays."""

    kind: str  # the excluded item's kind, as readers write it ("failure mode")
    id: str
    dependent: str  # "remediation 'ship-it' (requires)"
    where: Loc  # the reference's location (an upstream file)


@dataclass(frozen=True)
class Override:
    """Fields of an upstream item the fork overrides or extends."""

    kind: str
    id: str
    title: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class RoleRename:
    id: str
    old_name: str
    new_name: str


@dataclass(frozen=True)
class RoleMerge:
    """A role remapped onto another: ``old`` (named ``old_name`` upstream) is gone, ``new`` does its work."""

    old: str
    old_name: str
    new: str


@dataclass(frozen=True)
class Addition:
    """An item of the organization's own."""

    kind: str  # role | source | failure_mode | checklist | question | remediation
    id: str
    title: str


@dataclass(frozen=True)
class ForkChanges:
    """Everything a fork's overlay changed, in overlay order."""

    organization: str
    excluded: tuple[Exclusion, ...] = ()
    dropped_links: tuple[DroppedLink, ...] = ()
    overridden: tuple[Override, ...] = ()
    renamed_roles: tuple[RoleRename, ...] = ()
    merged_roles: tuple[RoleMerge, ...] = ()
    added: tuple[Addition, ...] = ()

    def added_ids(self, kind: str) -> frozenset[str]:
        """The ids of the items of ``kind`` the fork added."""
        return self._added.get(kind, frozenset())

    @cached_property
    def _added(self) -> dict[str, frozenset[str]]:
        kinds = {a.kind for a in self.added}
        return {k: frozenset(a.id for a in self.added if a.kind == k) for k in kinds}

    def former_role_names(self, current: Mapping[str, str]) -> dict[str, str]:
        """Role id -> the name texts show for a role the fork removed: the role that took over a
        remapped one (``current``: the fork's id -> name), else the dropped role's upstream name."""
        names = {e.id: e.title for e in self.excluded if e.kind == "role"}
        names.update({m.old: current.get(m.new, m.new) for m in self.merged_roles})
        return names

    @property
    def empty(self) -> bool:
        return not (self.excluded or self.overridden or self.renamed_roles or self.merged_roles or self.added)


def check_notes(changes: ForkChanges | None, verbose: bool = False) -> list[str]:
    """What ``launchbook check`` says about a fork's exclusions besides problems: one line with the
    number of references dropped with excluded items; with ``verbose``, one line for each."""
    if changes is None or not changes.dropped_links:
        return []
    n = len(changes.dropped_links)
    items = len({(d.kind, d.id) for d in changes.dropped_links})
    lines = [
        f"info: {n} reference(s) to {items} excluded item(s) were dropped with them"
        + ("" if verbose else " (launchbook check --verbose lists them)")
    ]
    for d in changes.dropped_links if verbose else ():
        lines.append(f"  {d.where.path}:{d.where.line}: {d.dependent} no longer refers to {d.kind} '{d.id}'")
    return lines
