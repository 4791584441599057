"""Changing upstream items: extend.yml adds to checklists and failure modes, overrides/ replace
fields (only those :data:`launchbook.schema.fork.SETTABLE` lists, LB404; each field once, LB408)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..codes import declare
from ..errors import Loc, did_you_mean
from ..loader import Document
from ..model import (
    Builder,
    ChecklistItem,
    build_citations,
    build_items,
    build_question,
    build_related,
    build_remediation,
)
from ..schema.fork import SETTABLE, TARGETS
from .state import UNKNOWN_ID, MergeState, plural
from .values import append_list, set_fields, set_remediation

BAD_FIELD = declare(
    "LB404",
    "overlay-bad-field",
    """
    An override sets a field the item does not have, or one that cannot be overridden (id, aliases,
    a failure mode's questions or remediations); or an extension gives a checklist what only a
    failure mode takes (or the reverse).

    Example::

        - question: plan-written
          set: {effort: S}   # LB404 questions have no 'effort'

    Fix: set only the item's own fields; add questions or remediations with extend.yml and drop
    them with exclude.yml.
    """,
)
CONFLICT = declare(
    "LB408",
    "overlay-conflict",
    """
    Two overlay entries disagree: the same field overridden twice, an item both changed and
    excluded, a role remapped onto a role that is itself remapped or excluded.

    Example::

        - remediation: write-plan
          set: {effort: S}
        - remediation: write-plan
          set: {effort: L}   # LB408 'effort' of remediation 'write-plan' is already overridden

    Fix: keep one of the entries; the message gives both locations.
    """,
)

_FAILURE_MODE_ONLY = ("questions", "remediations", "signs", "related", "sources", "tags")
_CHECKLIST_ONLY = ("items", "after")


class Changes(MergeState):
    """extend.yml and overrides/*.yml."""

    # ---------------------------------------------------------------- extend
    def extend(self) -> None:
        """Items added to upstream checklists; questions, remediations, signs... to failure modes."""
        doc = self.ov.extend
        if doc is None or doc.data is None:
            return
        for i, ext in enumerate(doc.data.get("extend", ())):
            if "checklist" in ext:
                self._extend_checklist(doc, i, ext)
            else:
                self._extend_failure_mode(doc, i, ext)

    def _not_for(
        self, doc: Document, i: int, ext: Mapping[str, Any], names: tuple[str, ...], kind: str
    ) -> None:
        for name in names:
            if name in ext:
                self.problems.append(
                    BAD_FIELD.at(
                        self.key_loc(doc, "extend", i, name),
                        f"'{name}' cannot extend a {kind}",
                        "a checklist takes 'items' (and 'after'); a failure mode takes questions,"
                        " remediations, signs, related, sources and tags",
                    )
                )

    def _insert_at(self, doc: Document, i: int, cid: str, refs: list[str], after: str | None) -> int:
        """Where new items go: after the item ``after`` (LB401 when the checklist lacks it), or last."""
        if after is None:
            return len(refs)
        if after in refs:
            return refs.index(after) + 1
        self.problems.append(
            UNKNOWN_ID.at(
                self.loc(doc, "extend", i, "after"),
                f"checklist '{cid}' has no item '{after}'",
                did_you_mean(after, refs) or "name a question or remediation the checklist lists",
            )
        )
        return len(refs)

    def _extend_checklist(self, doc: Document, i: int, ext: Mapping[str, Any]) -> None:
        cid = self.resolve("checklist", ext["checklist"], self.loc(doc, "extend", i, "checklist"))
        self._not_for(doc, i, ext, _FAILURE_MODE_ONLY, "checklist")
        if cid is None:
            return
        cl = self.checklists[cid]
        new: tuple[ChecklistItem, ...] = build_items(ext.get("items", ()), Builder(doc, ("extend", i)))
        items = list(cl.items)
        at = self._insert_at(doc, i, cid, [it.ref for it in items], ext.get("after"))
        items[at:at] = new
        self.checklists[cid] = replace(cl, items=tuple(items))
        self.changed.setdefault(("checklist", cid), self.loc(doc, "extend", i))

    def _extend_failure_mode(self, doc: Document, i: int, ext: Mapping[str, Any]) -> None:
        fid = self.resolve("failure_mode", ext["failure_mode"], self.loc(doc, "extend", i, "failure_mode"))
        self._not_for(doc, i, ext, _CHECKLIST_ONLY, "failure mode")
        if fid is None:
            return
        fm = self.fms[fid]
        b = Builder(doc, ("extend", i))
        locs = dict(fm.locs)
        self.fms[fid] = replace(
            fm,
            questions=fm.questions
            + tuple(build_question(q, fid, b, j) for j, q in enumerate(ext.get("questions", ()))),
            remediations=fm.remediations
            + tuple(build_remediation(r, fid, b, j) for j, r in enumerate(ext.get("remediations", ()))),
            signs=append_list(locs, "signs", fm.signs, ext.get("signs", ()), b),
            tags=append_list(locs, "tags", fm.tags, ext.get("tags", ()), b),
            related=fm.related + build_related(ext.get("related", ()), b),
            sources=fm.sources + build_citations(ext.get("sources", ()), b),
            locs=locs,
        )
        self.changed.setdefault(("failure_mode", fid), self.loc(doc, "extend", i))

    # ---------------------------------------------------------------- overrides
    def override(self) -> None:
        """Fields of upstream items replaced by overrides/*.yml ``set:``."""
        seen: dict[tuple[str, str, str], Loc] = {}
        for doc in self.ov.overrides:
            assert doc.data is not None
            for i, entry in enumerate(doc.data.get("overrides", ())):
                kind = next(k for k in TARGETS if k in entry)
                target = self.resolve(kind, entry[kind], self.loc(doc, "overrides", i, kind))
                if target is None:
                    continue
                values = self._settable(doc, i, kind, target, entry["set"], seen)
                if values:
                    self._apply_set(kind, target, values, Builder(doc, ("overrides", i, "set")))
                    self.changed.setdefault((kind, target), self.loc(doc, "overrides", i))

    def _settable(
        self,
        doc: Document,
        i: int,
        kind: str,
        target: str,
        values: Mapping[str, Any],
        seen: dict[tuple[str, str, str], Loc],
    ) -> dict[str, Any]:
        """The values of one ``set:`` that may be set: fields the item has (LB404), not set before (LB408)."""
        out: dict[str, Any] = {}
        fields = SETTABLE[kind]
        for name, value in values.items():
            floc = self.key_loc(doc, "overrides", i, "set", name)
            if name not in fields:
                hint = did_you_mean(name, fields) or "fields: " + ", ".join(fields)
                self.problems.append(
                    BAD_FIELD.at(floc, f"{plural(kind)} '{target}' has no field '{name}' to set", hint)
                )
                continue
            first = seen.setdefault((kind, target, name), floc)
            if first is not floc:
                self.problems.append(
                    CONFLICT.at(
                        floc,
                        f"'{name}' of {plural(kind)} '{target}' is already overridden at {first.path}:{first.line}",
                        "keep one of the two",
                    )
                )
                continue
            out[name] = value
        return out

    def _apply_set(self, kind: str, target: str, values: Mapping[str, Any], b: Builder) -> None:
        if kind == "failure_mode":
            self.fms[target] = set_fields(self.fms[target], values, b)
        elif kind == "checklist":
            self.checklists[target] = set_fields(self.checklists[target], values, b)
        elif kind == "question":
            fm = self.fms[self.question_index()[target]]
            qs = tuple(set_fields(q, values, b) if q.id == target else q for q in fm.questions)
            self.fms[fm.id] = replace(fm, questions=qs)
        else:
            fm = self.fms[self.remediation_index()[target]]
            rs = tuple(set_remediation(r, values, b) if r.id == target else r for r in fm.remediations)
            self.fms[fm.id] = replace(fm, remediations=rs)
