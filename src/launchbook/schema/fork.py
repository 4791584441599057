"""The shapes of a fork's files: ``fork.yml`` and every file of its overlay folder.

Like the playbook specs in :mod:`launchbook.schema`, these are read by the loader and published
by ``launchbook schema``. The overlay's merge (:mod:`launchbook.overlay`) takes what it may set,
exclude and extend from here, so a new playbook field becomes settable by an override without
touching the overlay code.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import (
    CHECKLIST,
    CHECKLIST_ITEM,
    CITATION,
    FAILURE_MODE,
    ID,
    IDS,
    MD,
    QUESTION,
    RELATED,
    REMEDIATION,
    ROLE,
    SOURCE,
    STATISTIC,
    Dict,
    Field,
    Obj,
    OneOf,
    Seq,
    Text,
)

__all__ = [
    "EXCLUDABLE",
    "EXCLUDE_FILE",
    "EXTEND_FILE",
    "FORK",
    "FORK_KINDS",
    "OVERLAY_DIRS",
    "OVERLAY_FILES",
    "OVERLAY_ROLES",
    "OVERLAY_SOURCES",
    "OVERRIDES_FILE",
    "ROLE_RENAME",
    "SET",
    "SETTABLE",
    "TARGETS",
]


def _optional(fields: Iterable[Field], drop: Iterable[str] = ()) -> tuple[Field, ...]:
    skip = set(drop)
    return tuple(Field(f.name, f.spec, False, f.description) for f in fields if f.name not in skip)


FORK = Obj(
    "fork file",
    (
        Field("name", Text(), True, "The organization's name."),
        Field("title", Text(), False, "Title of the merged playbooks; replaces the upstream title."),
        Field(
            "upstream",
            Text(),
            True,
            "'bundled' for the playbooks shipped with launchbook, or a playbooks folder relative to fork.yml.",
        ),
        Field("overlay", Text(), False, "The overlay folder, relative to fork.yml (default: overlay)."),
        Field("base", Text("version"), True, "The upstream version the overlay was last reviewed against."),
    ),
    "fork.yml: an organization's fork of upstream playbooks.",
)

ROLE_RENAME = Obj(
    "role rename",
    (
        Field("name", Text(), False, "New display name."),
        Field("description", MD, False),
        Field("titles", Seq(Text()), False, "Job titles in your organization."),
    ),
)
OVERLAY_ROLES = Obj(
    "overlay roles file",
    (
        Field("rename", Dict(ROLE_RENAME), False, "Upstream role id -> new name, description, titles."),
        Field("remap", Dict(ID), False, "Old role id -> role that takes over everything it owned."),
        Field("add", Seq(ROLE), False, "New roles."),
    ),
    "overlay/roles.yml: rename, remap and add roles.",
)
OVERLAY_SOURCES = Obj(
    "overlay sources file",
    (Field("sources", Seq(SOURCE), False), Field("statistics", Seq(STATISTIC), False)),
    "overlay/sources.yml: sources and statistics the fork's own items cite.",
)

# ---------------------------------------------------------------- overrides
_SETTABLE_FROM: dict[str, tuple[Obj, tuple[str, ...]]] = {
    "failure_mode": (FAILURE_MODE, ("id", "aliases", "questions", "remediations")),
    "question": (QUESTION, ("id",)),
    "remediation": (REMEDIATION, ("id",)),
    "checklist": (CHECKLIST, ("id",)),
}
SETTABLE: dict[str, tuple[str, ...]] = {
    kind: tuple(f.name for f in obj.fields if f.name not in drop)
    for kind, (obj, drop) in _SETTABLE_FROM.items()
}
"""Per kind of item, the fields an override may set: every schema field but ids and sub-items."""


def _union_fields() -> tuple[Field, ...]:
    out: dict[str, Field] = {}
    for obj, drop in _SETTABLE_FROM.values():
        for f in _optional(obj.fields, drop):
            out.setdefault(f.name, f)
    return tuple(out.values())


SET = Obj("override 'set'", _union_fields())
TARGETS = ("failure_mode", "question", "remediation", "checklist")
OVERRIDE = OneOf(
    "override",
    TARGETS,
    Obj(
        "override",
        (
            *(Field(k, ID, False, f"The {k.replace('_', ' ')} to change.") for k in TARGETS),
            Field("set", SET, True, "The fields to replace; fields not given keep their upstream value."),
        ),
    ),
)
OVERRIDES_FILE = Obj(
    "overrides file",
    (Field("overrides", Seq(OVERRIDE), False),),
    "overlay/overrides/*.yml: change fields of upstream items by id.",
)

# ---------------------------------------------------------------- exclusions
EXCLUDABLE = ("failure_mode", "question", "remediation", "category", "role", "checklist")
EXCLUSION = OneOf(
    "exclusion",
    EXCLUDABLE,
    Obj(
        "exclusion",
        (
            *(Field(k, ID, False) for k in EXCLUDABLE),
            Field("reason", Text(), False, "Why this does not apply to your organization (required)."),
        ),
    ),
)
EXCLUDE_FILE = Obj(
    "exclude file",
    (Field("exclude", Seq(EXCLUSION), False),),
    "overlay/exclude.yml: drop upstream items, each with a reason.",
)

# ---------------------------------------------------------------- extensions
EXTENSION = OneOf(
    "extension",
    ("checklist", "failure_mode"),
    Obj(
        "extension",
        (
            Field("checklist", ID, False, "An upstream checklist to add items to."),
            Field(
                "after",
                ID,
                False,
                "Insert the items after this question or remediation (default: at the end).",
            ),
            Field("items", Seq(CHECKLIST_ITEM), False),
            Field("failure_mode", ID, False, "An upstream failure mode to add to."),
            Field("questions", Seq(QUESTION), False),
            Field("remediations", Seq(REMEDIATION), False),
            Field("signs", Seq(Text()), False),
            Field("related", Seq(RELATED), False),
            Field("sources", Seq(CITATION), False),
            Field("tags", IDS, False),
        ),
    ),
)
EXTEND_FILE = Obj(
    "extend file",
    (Field("extend", Seq(EXTENSION), False),),
    "overlay/extend.yml: add items to upstream checklists and failure modes.",
)

OVERLAY_FILES = ("roles.yml", "sources.yml", "extend.yml", "exclude.yml")
OVERLAY_DIRS = ("failure-modes", "checklists", "overrides")

FORK_KINDS: dict[str, Obj] = {
    "fork": FORK,
    "overlay-roles": OVERLAY_ROLES,
    "overlay-sources": OVERLAY_SOURCES,
    "overlay-overrides": OVERRIDES_FILE,
    "overlay-exclude": EXCLUDE_FILE,
    "overlay-extend": EXTEND_FILE,
}
"""The fork's file kinds ``launchbook schema`` publishes, by kind name."""
