"""The merge in progress: working copies of upstream's items by id, how the overlay's ids are
resolved against them, and the problems found so far. The operations (adding, extending,
overriding, excluding, remapping) are in the modules next to this one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from ..codes import declare
from ..errors import Loc, Problem, did_you_mean
from ..loader import Document
from ..model import Checklist, FailureMode, Playbook, Role, Source, Statistic
from .files import Overlay

UNKNOWN_ID = declare(
    "LB401",
    "overlay-unknown-id",
    """
    The overlay names an id that upstream (and the overlay itself) does not define.

    Example::

        - remediation: write-plna   # LB401 unknown remediation; did you mean 'write-plan'?

    Fix: correct the id (the hint names the closest one). If upstream removed the item, delete the
    entry; 'launchbook diff' lists what upstream removed since your base.
    """,
)
OLD_ID = declare(
    "LB402",
    "overlay-old-id",
    """
    The overlay names an item by an id upstream has since renamed; the old id is kept in the item's
    aliases, so the entry still applies.

    Example::

        - failure_mode: no-data   # LB402 'no-data' is now 'data-not-available'

    Fix: replace the old id with the new one at your convenience.
    """,
    level="warning",
)


def plural(kind: str) -> str:
    """A kind of item as a reader writes it: ``failure mode`` for ``failure_mode``."""
    return kind.replace("_", " ")


class MergeState:
    """Working copies by id (upstream's first, the overlay's as they are added), and the problems."""

    def __init__(self, pb: Playbook, ov: Overlay) -> None:
        self.pb = pb
        self.ov = ov
        self.problems: list[Problem] = []
        index = pb.by_id
        self.roles: dict[str, Role] = dict(index.roles)
        self.sources: dict[str, Source] = dict(index.sources)
        self.stats: dict[str, Statistic] = dict(index.statistics)
        self.fms: dict[str, FailureMode] = dict(index.failure_modes)
        self.checklists: dict[str, Checklist] = dict(index.checklists)
        self.categories = dict(index.categories)
        self.aliases: dict[str, str] = index.failure_modes.aliases()
        # former ids of questions and remediations, by kind
        self.item_aliases: dict[str, dict[str, str]] = {
            "question": index.questions.aliases(),
            "remediation": index.remediations.aliases(),
        }
        self.changed: dict[tuple[str, str], Loc] = {}  # (kind, id) -> first override/extend location

    # ---------------------------------------------------------------- lookups
    def question_index(self) -> dict[str, str]:
        """Question id -> id of the failure mode that holds it, as merged so far."""
        return {q.id: fm.id for fm in self.fms.values() for q in fm.questions}

    def remediation_index(self) -> dict[str, str]:
        """Remediation id -> id of the failure mode that holds it, as merged so far."""
        return {r.id: fm.id for fm in self.fms.values() for r in fm.remediations}

    def known(self, kind: str) -> Iterable[str]:
        """The ids of ``kind`` as merged so far."""
        by_kind: dict[str, Callable[[], Iterable[str]]] = {
            "failure_mode": lambda: self.fms,
            "question": self.question_index,
            "remediation": self.remediation_index,
            "checklist": lambda: self.checklists,
            "role": lambda: self.roles,
            "category": lambda: self.categories,
        }
        return list(by_kind[kind]())

    def resolve(self, kind: str, ident: str, loc: Loc) -> str | None:
        """The current id for ``ident`` (following former ids, LB402), or None with an LB401 error."""
        known = self.known(kind)
        if ident in known:
            return ident
        renamed = self.aliases if kind == "failure_mode" else self.item_aliases.get(kind, {})
        if ident in renamed:
            new = renamed[ident]
            self.problems.append(
                OLD_ID.at(
                    loc,
                    f"{plural(kind)} '{ident}' was renamed upstream to '{new}'; this entry still applies",
                    f"replace '{ident}' with '{new}'",
                )
            )
            return new
        hint = did_you_mean(ident, [*known, *renamed])
        self.problems.append(
            UNKNOWN_ID.at(
                loc,
                f"unknown {plural(kind)} '{ident}' in the overlay",
                hint
                or f"no {plural(kind)} has this id upstream or in the overlay; 'launchbook diff' lists"
                " what upstream removed",
            )
        )
        return None

    def loc(self, doc: Document, *key: str | int) -> Loc:
        line, col = doc.pos(*key)
        return Loc(doc.path, line, col)

    def key_loc(self, doc: Document, *key: str | int) -> Loc:
        """The location of a mapping key (the loader records where its value starts)."""
        line, col = doc.pos(*key)
        lines = (self.ov.lines or {}).get(doc.path, ())
        name = re.escape(str(key[-1]))
        for ln in range(min(line, len(lines)), max(0, line - 4), -1):
            m = re.match(rf"(\s*)['\"]?{name}['\"]?\s*:", lines[ln - 1])
            if m:
                return Loc(doc.path, ln, len(m.group(1)) + 1)
        return Loc(doc.path, line, col)

    def result(self) -> Playbook:
        """The merged playbook."""
        manifest = replace(
            self.pb.manifest,
            categories=tuple(c for c in self.pb.manifest.categories if c.id in self.categories),
        )
        return replace(
            self.pb,
            manifest=manifest,
            roles=tuple(self.roles.values()),
            sources=tuple(self.sources.values()),
            statistics=tuple(self.stats.values()),
            failure_modes=tuple(self.fms.values()),
            checklists=tuple(self.checklists.values()),
        )
