"""Roles in texts and on the command line.

- **Role references** (``@role(product-owner)`` in any text, plain or Markdown) are kept as
  written in a loaded :class:`~.types.Playbook`, so that ``check`` and ``launchbook diff`` see
  them; :func:`with_role_names` gives the playbook every output reads (site, generated Markdown,
  checklists, assessment, graph exports), each reference replaced by the role's display name
  (:func:`launchbook.text.substitute_roles`, the one substitution). :func:`map_texts` is the one
  walk over every human-written text of a playbook.
- **Role filters** (``--role``) accept a role's id or its display name, case-insensitively:
  :func:`resolve_role`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from ..errors import Loc, UsageError, did_you_mean
from .types import Playbook, Role

# The model's fields that hold Markdown (the schema's kind "markdown": see
# launchbook.markup.markdown_fields); every other text field is plain text.
MARKDOWN_FIELDS = frozenset({"description", "do", "impact", "note", "signs", "summary"})
# Fields that never hold prose: ids, references, locations.
_NOT_TEXT = frozenset({"id", "loc", "locs", "root", "aliases", "unloaded", "url", "date", "version", "kind"})

TextFn = Callable[[str, bool], str]  # (text, is Markdown) -> new text
T = TypeVar("T")


def map_texts(obj: T, fn: TextFn) -> T:
    """``obj`` (a playbook or any item of one) with ``fn`` applied to each human-written text;
    parts where nothing changed are kept as they are (same objects)."""
    return _map(obj, fn, False)  # type: ignore[no-any-return]


def _map(value: Any, fn: TextFn, markdown: bool) -> Any:
    if isinstance(value, str):
        return fn(value, markdown)
    if isinstance(value, tuple):
        items = tuple(_map(v, fn, markdown) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.name in _NOT_TEXT:
                continue
            old = getattr(value, f.name)
            new = _map(old, fn, f.name in MARKDOWN_FIELDS)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def playbook_texts(pb: Playbook) -> Iterator[tuple[str, str, Loc]]:
    """Every human-written text of the playbook set with what holds it and its location: those of
    the failure modes (:meth:`~.types.FailureMode.texts`), checklists, roles and launchbook.yml."""
    for fm in pb.failure_modes:
        for name, text, loc in fm.texts():
            yield f"{name} of failure mode '{fm.id}'", text, loc
    for cl in pb.checklists:
        for name in ("title", "meeting", "description"):
            yield f"{name} of checklist '{cl.id}'", getattr(cl, name), cl.locs.get(name, cl.loc)
    for role in pb.roles:
        yield f"role '{role.id}'", role.description, role.loc
    m = pb.manifest
    yield "launchbook.yml", m.description, m.loc
    for cat in m.categories:
        yield f"category '{cat.id}'", cat.description, cat.loc
    for phase in m.phases:
        yield f"phase '{phase.id}'", phase.description, phase.loc
    for level in m.levels:
        yield f"level {level.level}", level.description, level.loc


def role_names(pb: Playbook) -> dict[str, str]:
    """Role id -> display name."""
    return {r.id: r.name for r in pb.roles}


def with_role_names(pb: Playbook, extra: Mapping[str, str] | None = None) -> Playbook:
    """``pb`` as its readers see it: each ``@role(id)`` in its texts replaced by the role's display
    name. A role a fork removed keeps being named: by the role it was remapped onto, else by its
    upstream name (``extra`` adds more names)."""
    from ..text import substitute_roles

    current = role_names(pb)
    former = pb.fork_changes.former_role_names(current) if pb.fork_changes is not None else {}
    names = {**former, **(extra or {}), **current}
    return map_texts(pb, lambda text, md: substitute_roles(text, names, md))


def resolve_role(pb: Playbook, given: str) -> str:
    """The id of the role ``given`` names: its id or its display name, in any case (a fork that
    renamed ``it-operations`` to "SRE" takes ``--role SRE``). Raises
    :class:`~launchbook.errors.UsageError` listing every role by id and name."""
    found = find_role(pb.roles, given)
    if found is not None:
        return found.id
    choices = [r.id for r in pb.roles] + [r.name for r in pb.roles]
    hint = did_you_mean(given, choices)
    known = ", ".join(f"{r.id} ({r.name})" for r in pb.roles)
    raise UsageError(f"unknown role '{given}'; {hint + ' ' if hint else ''}Roles, by id or name: {known}")


def find_role(roles: Iterable[Role], given: str) -> Role | None:
    """The role whose id or display name is ``given`` (case and surrounding blanks ignored)."""
    want = " ".join(given.split()).casefold()
    roles = tuple(roles)
    for r in roles:
        if r.id.casefold() == want:
            return r
    for r in roles:
        if " ".join(r.name.split()).casefold() == want:
            return r
    return None
