"""Applying an overlay to upstream playbooks: a pure function, one method per operation."""

from __future__ import annotations

from ..errors import Problem
from ..model import Playbook
from .additions import Additions
from .changes import Changes
from .exclusions import Exclusions
from .files import Overlay


class Merge(Additions, Changes, Exclusions):
    """The merge in progress (:class:`~launchbook.overlay.state.MergeState`) with every operation."""


def apply_overlay(pb: Playbook, ov: Overlay) -> tuple[Playbook, list[Problem]]:
    """Upstream ``pb`` with ``ov`` applied, and the overlay problems found (pure; ``pb`` is unchanged).

    Order: roles added and renamed, sources added, failure modes and checklists
    added, extensions, overrides, exclusions (pruning what depends on them), then
    role remaps (which also reach the overlay's own items). Sources and statistics
    that only excluded failure modes cited are dropped with them.
    """
    m = Merge(pb, ov)
    m.add_roles()
    m.rename_roles()
    m.add_sources()
    m.add_failure_modes()
    m.add_checklists()
    m.extend()
    m.override()
    excluded_roles = m.exclude()
    m.remap(excluded_roles)
    m.drop_orphaned_citations()
    return m.result(), m.problems
