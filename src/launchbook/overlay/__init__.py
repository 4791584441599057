"""Fork support: an organization's overlay on upstream playbooks (issue #7).

A fork is a folder with a ``fork.yml`` that names the upstream playbooks (the
set bundled with launchbook, or a path) and an overlay folder. The overlay
changes upstream by id only, never by copying files::

    overlay/
      roles.yml               rename: / remap: / add:
      sources.yml             sources and statistics the fork cites
      failure-modes/<id>.yml  new failure modes (the upstream schema)
      checklists/<id>.yml     new checklists (the upstream schema)
      overrides/<any>.yml     overrides: [{failure_mode|question|remediation|checklist: id, set: {...}}]
      extend.yml              extend: [{checklist: id, items: [...]}, {failure_mode: id, questions: [...]}]
      exclude.yml             exclude: [{failure_mode|question|remediation|category|role|checklist: id,
                                         reason: text}]

Every overlay file goes through the same safe loader as playbook files (:mod:`.files`, against
the specs of :mod:`launchbook.schema.fork`); :mod:`.loading` reads ``fork.yml`` and loads a fork.
:func:`apply_overlay` (:mod:`.merge`) is a pure function from an upstream
:class:`~launchbook.model.Playbook` and a loaded :class:`Overlay` to the merged
playbook and the problems found, each located at the overlay line it concerns
and naming the upstream id it touches. Exclusions cascade into lists only:
a ``requires``, ``related``, ``involves``, ``attendees`` or checklist entry that
points at an excluded item is dropped with an LB406 warning naming the
dependent, so nothing breaks silently and ``check --strict`` can refuse it.

The merge is one method per operation: :mod:`.additions` (add roles, sources, failure modes,
checklists; rename roles), :mod:`.changes` (extend, override), :mod:`.exclusions` (exclude and
prune, remap roles), on the working copies of :mod:`.state`; :mod:`.values` converts the values
an override sets.
"""

from __future__ import annotations

from .files import Overlay, load_overlay
from .loading import (
    BUNDLED,
    FORK_FILE,
    ForkConfig,
    in_use,
    is_fork,
    load_any,
    load_fork,
    load_path,
    read_fork,
    require_playbook,
)
from .merge import apply_overlay

__all__ = [
    "BUNDLED",
    "FORK_FILE",
    "ForkConfig",
    "Overlay",
    "apply_overlay",
    "in_use",
    "is_fork",
    "load_any",
    "load_fork",
    "load_overlay",
    "load_path",
    "read_fork",
    "require_playbook",
]
