"""Values the overlay writes into the model: overridden fields, pruned and remapped lists.

What a field's value becomes comes from the schema: a list field (a ``Seq`` in
:data:`launchbook.schema.fork.SET`) becomes a tuple, so the item stays hashable; lists of
objects are built by the model's own builders. A new field is a schema and model change only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from ..errors import Loc
from ..model import (
    Builder,
    Checklist,
    FailureMode,
    Remediation,
    build_citations,
    build_items,
    build_maps_to,
    build_related,
)
from ..schema import Seq
from ..schema.fork import SET

T = TypeVar("T")

# Fields built into objects, by the model's builders (given the Builder of the override).
_BUILT: dict[str, Any] = {
    "maps_to": lambda value, b: build_maps_to({"maps_to": value}),
    "related": build_related,
    "sources": build_citations,
    "items": build_items,
}
# Every other list field an override can set is a tuple of plain values.
LISTS = frozenset(f.name for f in SET.fields if isinstance(f.spec, Seq) and f.name not in _BUILT)


def convert(name: str, value: Any, b: Builder) -> Any:
    """The model value of field ``name`` set to ``value`` (YAML data) by an override at ``b``."""
    if name in _BUILT:
        return _BUILT[name](value, b)
    if name in LISTS:
        return tuple(value)
    return value


def append_list(
    locs: dict[str, Loc], name: str, old: tuple[str, ...], new: Sequence[str], b: Builder
) -> tuple[str, ...]:
    """``old`` + ``new``, recording where each new entry is (``name.i``) in ``locs``."""
    for j in range(len(new)):
        locs[f"{name}.{len(old) + j}"] = b.loc(name, j)
    return old + tuple(new)


def set_fields(obj: T, values: Mapping[str, Any], b: Builder) -> T:
    """``obj`` with ``values`` replacing its fields; locations of the new values point into the overlay."""
    old_locs: Mapping[str, Loc] = getattr(obj, "locs")  # noqa: B009 - every settable item has locs
    locs = {k: v for k, v in old_locs.items() if k.split(".")[0] not in values}
    locs.update(b.locs((), values))
    return replace(obj, **{k: convert(k, v, b) for k, v in values.items()}, locs=locs)  # type: ignore[type-var]


def set_remediation(r: Remediation, values: Mapping[str, Any], b: Builder) -> Remediation:
    """Like :func:`set_fields`; a new owner listed in ``involves`` leaves it (one accountable owner)."""
    out = set_fields(r, values, b)
    if "owner" in values and "involves" not in values and out.owner in out.involves:
        keep = [i for i, who in enumerate(out.involves) if who != out.owner]
        out = keep_indexes(out, "involves", keep)
    return out


def keep_indexes(obj: T, name: str, keep: Sequence[int]) -> T:
    """``obj`` with only the list items of field ``name`` at ``keep``, their locations renumbered."""
    old: tuple[Any, ...] = getattr(obj, name)
    old_locs: Mapping[str, Loc] = getattr(obj, "locs")  # noqa: B009
    locs = {k: v for k, v in old_locs.items() if not k.startswith(f"{name}.")}
    for new_i, old_i in enumerate(keep):
        if f"{name}.{old_i}" in old_locs:
            locs[f"{name}.{new_i}"] = old_locs[f"{name}.{old_i}"]
    return replace(obj, **{name: tuple(old[i] for i in keep)}, locs=locs)  # type: ignore[type-var]


def without(fm: FailureMode, name: str, items: Sequence[Any]) -> FailureMode:
    """``fm`` with its ``questions`` or ``remediations`` replaced by ``items``."""
    if name == "questions":
        return replace(fm, questions=tuple(items))
    return replace(fm, remediations=tuple(items))


def _first_of_each(values: Sequence[str]) -> list[int]:
    """Indexes of the first occurrence of each value."""
    keep, seen = [], set()
    for i, value in enumerate(values):
        if value not in seen:
            seen.add(value)
            keep.append(i)
    return keep


def remap_remediation(r: Remediation, mapping: Mapping[str, str]) -> Remediation:
    """``r`` with its owner and involved roles remapped; a role involved twice, or the owner, once."""
    if not mapping:
        return r
    owner = mapping.get(r.owner, r.owner)
    involves = [mapping.get(w, w) for w in r.involves]
    keep = [i - 1 for i in _first_of_each([owner, *involves])[1:]]  # the owner is not involved too
    return keep_indexes(replace(r, owner=owner, involves=tuple(involves)), "involves", keep)


def remap_attendees(cl: Checklist, mapping: Mapping[str, str]) -> Checklist:
    """``cl`` with its attendees and deciders remapped, each role once in each list."""
    if not mapping:
        return cl
    attendees = [mapping.get(w, w) for w in cl.attendees]
    deciders = [mapping.get(w, w) for w in cl.deciders]
    cl = keep_indexes(replace(cl, attendees=tuple(attendees)), "attendees", _first_of_each(attendees))
    return keep_indexes(replace(cl, deciders=tuple(deciders)), "deciders", _first_of_each(deciders))
