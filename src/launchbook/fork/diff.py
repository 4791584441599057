"""Fingerprints of a playbook set, and what upstream changed since a fork's base.

A snapshot (``.launchbook/base/<version>.json``) holds, per kind and id, a short
hash of every field of every item, its title and (for failure modes) its
aliases. Comparing two snapshots gives what was added, removed, renamed (a new
id whose ``aliases`` hold a removed id) and changed (with the fields that
changed); :func:`touches` then finds the overlay entries that name those items.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..codes import declare
from ..errors import Loc, UsageError
from ..loader import Document
from ..model import Playbook
from ..overlay import Overlay, load_any
from ..saferead import loads_json, read_regular
from ..schema.fork import EXCLUDABLE, TARGETS

SNAPSHOT_FORMAT = 1
MAX_SNAPSHOT_BYTES = 16 << 20
MAX_SNAPSHOT_DEPTH = 16  # a snapshot nests 6 levels (items, kind, id, entry, fields/aliases)
KINDS = (
    "failure_mode",
    "question",
    "remediation",
    "checklist",
    "role",
    "category",
    "phase",
    "source",
    "statistic",
)
# Not hashed: ids (compared as keys), aliases (used for renames), locations, a failure mode's questions
# and remediations (items of their own), a phase's index, the parent of a question or remediation
# (compared after following renames).
_SKIP = frozenset({"id", "aliases", "loc", "locs", "questions", "remediations", "index", "failure_mode"})
_NESTED_SKIP = frozenset({"loc", "locs"})

Snapshot = dict[str, Any]
Status = Literal["added", "removed", "renamed", "changed"]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in _NESTED_SKIP
        }
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _hash(value: Any) -> str:
    text = json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _entry(obj: Any, title: str, **extra: Any) -> dict[str, Any]:
    fields = {f.name: _hash(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in _SKIP}
    return {"title": title, "fields": fields, **extra}


def fingerprints(pb: Playbook) -> Snapshot:
    """A JSON-able snapshot of ``pb``: per kind, per id, a hash of each field."""
    items: dict[str, dict[str, Any]] = {k: {} for k in KINDS}
    for fm in pb.failure_modes:
        items["failure_mode"][fm.id] = _entry(fm, fm.title, aliases=list(fm.aliases))
        for q in fm.questions:
            items["question"][q.id] = _entry(q, q.ask, parent=fm.id, aliases=list(q.aliases))
        for r in fm.remediations:
            items["remediation"][r.id] = _entry(r, r.title, parent=fm.id, aliases=list(r.aliases))
    for cl in pb.checklists:
        items["checklist"][cl.id] = _entry(cl, cl.title)
    for role in pb.roles:
        items["role"][role.id] = _entry(role, role.name)
    for cat in pb.manifest.categories:
        items["category"][cat.id] = _entry(cat, cat.title)
    for ph in pb.manifest.phases:
        items["phase"][ph.id] = _entry(ph, ph.title)
    for src in pb.sources:
        items["source"][src.id] = _entry(src, src.title)
    for st in pb.statistics:
        items["statistic"][st.id] = _entry(st, st.value)
    return {
        "launchbook_snapshot": SNAPSHOT_FORMAT,
        "title": pb.manifest.title,
        "version": pb.manifest.version,
        "items": items,
    }


def dump_snapshot(snap: Snapshot) -> str:
    return json.dumps(snap, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# Raised by read_snapshot, when 'launchbook diff' cannot use the base 'launchbook init' recorded.
BASE_SNAPSHOT = declare(
    "LB409",
    "fork-base",
    """
    The base snapshot recorded by 'launchbook init' (.launchbook/base/<version>.json) is missing
    or unreadable, so 'launchbook diff' cannot tell what upstream changed.

    Example::

        $ launchbook diff
        launchbook: error: LB409 cannot read the base snapshot .launchbook/base/1.0.0.json

    Fix: run 'launchbook diff --since PATH' against a copy of the upstream playbooks at your base
    version, then 'launchbook diff --update-base' to record a new snapshot.
    """,
)


def read_snapshot(path: Path) -> Snapshot:
    """Read a snapshot file; raises :class:`UsageError` (LB409) when it is missing or malformed."""
    try:
        raw = read_regular(path, MAX_SNAPSHOT_BYTES)
    except OSError as exc:
        raise UsageError(
            f"{BASE_SNAPSHOT.code} cannot read the base snapshot {path}: {exc.strerror or exc}; pass --since PATH to"
            " compare with a copy of the upstream playbooks instead"
        ) from None
    try:
        data = loads_json(raw.decode("utf-8"), MAX_SNAPSHOT_DEPTH)
        if not isinstance(data, dict) or data.get("launchbook_snapshot") != SNAPSHOT_FORMAT:
            raise ValueError("not a launchbook snapshot")
        items = data.get("items")
        if not isinstance(items, dict) or not isinstance(data.get("version"), str):
            raise ValueError("no items or version")
        for kind in KINDS:
            entries = items.setdefault(kind, {})
            if not isinstance(entries, dict):
                raise ValueError(f"'{kind}' is not a mapping")
            for ident, entry in entries.items():
                if not isinstance(entry, dict) or not isinstance(entry.get("fields", {}), dict):
                    raise ValueError(f"bad entry {kind} '{ident}'")
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{BASE_SNAPSHOT.code} {path} is not a usable base snapshot ({exc})") from None
    return data


# ------------------------------------------------------------------ diff
@dataclass(frozen=True)
class Change:
    kind: str
    ident: str
    status: Status
    title: str = ""
    fields: tuple[str, ...] = ()
    old_id: str = ""  # renamed: the id in the base


@dataclass(frozen=True)
class Touch:
    """An overlay entry that names an item upstream changed."""

    loc: Loc
    action: str  # override, exclude, extend, rename, remap, add
    change: Change
    overlapping: tuple[str, ...] = ()  # overridden fields that upstream also changed


def _renames(base: Snapshot, now: Snapshot, kind: str = "failure_mode") -> dict[str, str]:
    """Items of ``kind`` renamed from ``base`` to ``now``: old id -> new id (the new one lists it in aliases)."""
    old: Mapping[str, Any] = base["items"].get(kind, {})
    new: Mapping[str, Any] = now["items"].get(kind, {})
    out: dict[str, str] = {}
    for ident, entry in new.items():
        for alias in entry.get("aliases", ()):
            if alias in old and alias not in new:
                out[alias] = ident
    return out


def diff_snapshots(base: Snapshot, now: Snapshot) -> list[Change]:
    """What changed from ``base`` to ``now``, by kind then status then id."""
    out: list[Change] = []
    fm_renames = _renames(base, now)
    for kind in KINDS:
        old: Mapping[str, Any] = base["items"].get(kind, {})
        new: Mapping[str, Any] = now["items"].get(kind, {})
        renamed = _renames(base, now, kind)
        targets = set(renamed.values())
        for ident in sorted(new):
            entry = new[ident]
            if ident in old or ident in targets:
                oid = ident if ident in old else next(a for a, n in renamed.items() if n == ident)
                before = old[oid]
                changed = {
                    f
                    for f in set(entry["fields"]) | set(before.get("fields", {}))
                    if entry["fields"].get(f) != before.get("fields", {}).get(f)
                }
                parent = before.get("parent")
                if parent is not None and fm_renames.get(parent, parent) != entry.get("parent"):
                    changed.add("failure_mode")  # moved to another failure mode
                fields = tuple(sorted(changed))
                if oid != ident:
                    out.append(Change(kind, ident, "renamed", entry.get("title", ""), fields, oid))
                elif fields:
                    out.append(Change(kind, ident, "changed", entry.get("title", ""), fields))
            else:
                out.append(Change(kind, ident, "added", entry.get("title", "")))
        for ident in sorted(old):
            if ident not in new and ident not in renamed:
                out.append(Change(kind, ident, "removed", old[ident].get("title", "")))
    return out


def _entries(ov: Overlay) -> Iterator[tuple[str, str, str, Loc, tuple[str, ...]]]:
    """(action, kind, id, location, fields) of every overlay entry that names an upstream item."""

    def loc(doc: Document, *key: str | int) -> Loc:
        line, col = doc.pos(*key)
        return Loc(doc.path, line, col)

    for doc in ov.overrides:
        for i, e in enumerate((doc.data or {}).get("overrides", ())):
            kind = next(k for k in TARGETS if k in e)
            yield "override", kind, e[kind], loc(doc, "overrides", i, kind), tuple(e["set"])
    if ov.exclude is not None:
        for i, e in enumerate((ov.exclude.data or {}).get("exclude", ())):
            kind = next(k for k in EXCLUDABLE if k in e)
            yield "exclude", kind, e[kind], loc(ov.exclude, "exclude", i, kind), ()
    if ov.extend is not None:
        for i, e in enumerate((ov.extend.data or {}).get("extend", ())):
            kind = "checklist" if "checklist" in e else "failure_mode"
            yield "extend", kind, e[kind], loc(ov.extend, "extend", i, kind), ()
            for j, it in enumerate(e.get("items", ())):
                ik = "question" if "question" in it else "remediation"
                yield "list", ik, it[ik], loc(ov.extend, "extend", i, "items", j, ik), ()
    if ov.roles is not None:
        data = ov.roles.data or {}
        for rid in data.get("rename", {}):
            yield "rename", "role", rid, loc(ov.roles, "rename", rid), ()
        for old, new in data.get("remap", {}).items():
            yield "remap", "role", old, loc(ov.roles, "remap", old), ()
            yield "remap", "role", new, loc(ov.roles, "remap", old), ()
        for i, r in enumerate(data.get("add", ())):
            yield "add", "role", r["id"], loc(ov.roles, "add", i, "id"), ()
    for doc in ov.failure_modes:
        yield "add", "failure_mode", (doc.data or {})["id"], loc(doc, "id"), ()
    for doc in ov.checklists:
        yield "add", "checklist", (doc.data or {})["id"], loc(doc, "id"), ()


def touches(ov: Overlay, changes: list[Change]) -> list[Touch]:
    """The overlay entries that name an item in ``changes`` (by its base id or its new id)."""
    by_key: dict[tuple[str, str], Change] = {}
    for ch in changes:
        by_key[(ch.kind, ch.ident)] = ch
        if ch.old_id:
            by_key[(ch.kind, ch.old_id)] = ch
    out = []
    for action, kind, ident, loc, fields in _entries(ov):
        found = by_key.get((kind, ident))
        if found is None:
            continue
        if (action == "add") != (found.status == "added"):
            continue
        if found.status == "renamed" and ident == found.ident:
            continue  # already written against the new id
        out.append(Touch(loc, action, found, tuple(f for f in fields if f in found.fields)))
    return sorted(out, key=lambda t: (t.loc.path, t.loc.line, t.loc.column))


_NAMES = {
    "failure_mode": "failure mode",
    "question": "question",
    "remediation": "remediation",
    "checklist": "checklist",
    "role": "role",
    "category": "category",
    "phase": "phase",
    "source": "source",
    "statistic": "statistic",
}


def _advice(t: Touch) -> str:
    ch = t.change
    what = f"{_NAMES[ch.kind]} '{ch.old_id or ch.ident}'"
    if t.action == "add":
        return f"your overlay adds {what}, and upstream now defines it too: rename yours"
    if ch.status == "removed":
        return f"{t.action} of {what}: removed upstream; delete this entry"
    if ch.status == "renamed":
        extra = f" (and changed: {', '.join(ch.fields)})" if ch.fields else ""
        return f"{t.action} of {what}: renamed upstream to '{ch.ident}'{extra}; update the id"
    if t.overlapping:
        return (
            f"{t.action} of {what}: upstream changed {', '.join(t.overlapping)}, which you override;"
            " compare and keep or drop your value"
        )
    return f"{t.action} of {what}: changed upstream ({', '.join(ch.fields)}); review this entry"


def format_diff(
    base: Snapshot, now: Snapshot, changes: list[Change], touched: list[Touch], since: str, next_step: bool
) -> str:
    lines = [
        f"upstream: {now.get('title', '')}",
        f"  base {base['version']} ({since}) -> now {now['version']}",
        "",
    ]
    if not changes:
        lines.append("no upstream changes since the base.")
    for status, label in (
        ("added", "added"),
        ("renamed", "renamed"),
        ("changed", "changed"),
        ("removed", "removed"),
    ):
        group = [c for c in changes if c.status == status]
        if not group:
            continue
        lines.append(f"{label} ({len(group)}):")
        for c in group:
            kind = _NAMES[c.kind]
            if status == "renamed":
                desc = f"{c.old_id} -> {c.ident}  (the old id still works as an alias)"
                if c.fields:
                    desc += f"  (also changed: {', '.join(c.fields)})"
            elif status == "changed":
                desc = f"{c.ident}  ({', '.join(c.fields)})"
            else:
                desc = c.ident
            lines.append(f"  {kind:<13} {desc}")
        lines.append("")
    if touched:
        lines.append(f"your overlay touches {len(touched)} changed item(s):")
        for t in touched:
            lines.append(f"  {t.loc.path}:{t.loc.line}: {_advice(t)}")
        lines.append("")
    elif changes:
        lines.append("your overlay touches none of the changed items.")
        lines.append("")
    if next_step and base["version"] != now["version"]:
        lines.append(
            f"when the overlay is up to date, run 'launchbook diff --update-base' to record {now['version']}"
            " as the new base."
        )
    return "\n".join(lines).rstrip("\n") + "\n"


def resolve_since(root: Path, since: str | None, base: str) -> tuple[Snapshot, str]:
    """The snapshot to compare with and how to name it: the fork's recorded base (``since`` None), a
    recorded version, a snapshot file, or a folder of playbooks."""
    if since is None:
        path = root / ".launchbook" / "base" / f"{base}.json"
        return read_snapshot(path), f"recorded base, {path.relative_to(root)}"
    recorded = root / ".launchbook" / "base" / f"{since}.json"
    if re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.+-]*", since) and recorded.is_file():
        return read_snapshot(recorded), f"snapshot {since}"
    path = Path(since)
    if path.is_file():
        return read_snapshot(path), str(path)
    if path.is_dir():
        res = load_any(path)
        if res.playbook is None:
            raise UsageError(f"{since}: the playbooks cannot be loaded; run 'launchbook check {since}'")
        return fingerprints(res.playbook), str(path)
    known = sorted(p.stem for p in (root / ".launchbook" / "base").glob("*.json"))
    raise UsageError(
        f"--since {since}: no recorded snapshot and no such path"
        + (f"; recorded versions: {', '.join(known)}" if known else "")
    )


def update_base(root: Path, fork_file: str, now: Snapshot) -> Path:
    """Record ``now`` as the fork's base: its snapshot under .launchbook/base/ and ``base:`` in
    fork.yml. Returns the snapshot's path."""
    version = str(now["version"])
    snap = root / ".launchbook" / "base" / f"{version}.json"
    snap.parent.mkdir(parents=True, exist_ok=True)
    snap.write_text(dump_snapshot(now), encoding="utf-8")
    path = root / "fork.yml"
    text = path.read_text(encoding="utf-8")
    new_text, n = re.subn(r"(?m)^base:[^\n#]*", f'base: "{version}"', text, count=1)
    if n != 1:
        raise UsageError(f"{fork_file}: no top-level 'base:' line to update")
    path.write_text(new_text, encoding="utf-8")
    return snap
