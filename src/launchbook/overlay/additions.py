"""Adding to upstream: the overlay's roles, sources, statistics, failure modes and checklists,
and renaming roles. An id that already exists is refused (LB403)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..codes import declare
from ..errors import Loc, Problem
from ..loader import Document
from ..model import build_checklist, build_failure_mode, build_role, build_sources
from .state import MergeState

ID_EXISTS = declare(
    "LB403",
    "overlay-id-exists",
    """
    The overlay adds a role, source, statistic, failure mode or checklist whose id already exists
    upstream (or twice in the overlay).

    Example::

        add:
          - id: product-owner     # LB403 role 'product-owner' already exists

    Fix: change an upstream item with overrides/ (or roles.yml 'rename:'), or give the new item an
    id of its own; prefixing your organization's ids (acme-...) avoids clashes with future
    upstream items.
    """,
)


def _id_file_mismatch(what: str, ident: str, doc: Document, loc: Loc) -> Problem | None:
    """LB208 (declared with the loader's codes) when ``doc``'s file name is not ``ident``."""
    name = Path(doc.path).name
    if Path(doc.path).stem == ident:
        return None
    return Problem.at(
        "LB208",
        loc,
        f"{what} id '{ident}' does not match the file name '{name}'",
        f"rename the file to '{ident}.yml'",
    )


class Additions(MergeState):
    """roles.yml ``add:`` and ``rename:``, sources.yml, failure-modes/ and checklists/."""

    def add_roles(self) -> None:
        """New roles from roles.yml ``add:``."""
        doc = self.ov.roles
        if doc is None or doc.data is None:
            return
        for i, r in enumerate(doc.data.get("add", ())):
            if r["id"] in self.roles:
                self.problems.append(
                    ID_EXISTS.at(
                        self.loc(doc, "add", i, "id"),
                        f"role '{r['id']}' already exists",
                        "use 'rename:' to change an upstream role, or choose another id",
                    )
                )
                continue
            self.roles[r["id"]] = build_role(r, self.loc(doc, "add", i))

    def rename_roles(self) -> None:
        """New names, descriptions and titles from roles.yml ``rename:``."""
        doc = self.ov.roles
        if doc is None or doc.data is None:
            return
        for rid, change in doc.data.get("rename", {}).items():
            target = self.resolve("role", rid, self.key_loc(doc, "rename", rid))
            if target is None:
                continue
            role = self.roles[target]
            self.roles[target] = replace(
                role,
                name=change.get("name", role.name),
                description=change.get("description", role.description),
                titles=tuple(change.get("titles", role.titles)),
            )

    def add_sources(self) -> None:
        """Sources and statistics from sources.yml."""
        doc = self.ov.sources
        if doc is None or doc.data is None:
            return
        sources, stats = build_sources(doc)
        for i, s in enumerate(sources):
            if s.id in self.sources:
                self.problems.append(
                    ID_EXISTS.at(
                        self.loc(doc, "sources", i, "id"),
                        f"source '{s.id}' already exists",
                        "give the new source an id of its own; upstream's source is already there",
                    )
                )
            else:
                self.sources[s.id] = s
        for i, st in enumerate(stats):
            if st.id in self.stats:
                self.problems.append(
                    ID_EXISTS.at(
                        self.loc(doc, "statistics", i, "id"),
                        f"statistic '{st.id}' already exists",
                        "give the new statistic an id of its own; upstream's statistic is already there",
                    )
                )
            else:
                self.stats[st.id] = st

    def add_failure_modes(self) -> None:
        """The failure modes of failure-modes/*.yml."""
        for doc in self.ov.failure_modes:
            fm = build_failure_mode(doc)
            loc = self.loc(doc, "id")
            mismatch = _id_file_mismatch("failure mode", fm.id, doc, loc)
            if mismatch:
                self.problems.append(mismatch)
            if fm.id in self.fms or fm.id in self.aliases:
                where = "an upstream failure mode" if fm.id in self.fms else "an upstream alias"
                self.problems.append(
                    ID_EXISTS.at(
                        loc,
                        f"failure mode '{fm.id}' is already {where}",
                        "change it with overlay/overrides/ or extend.yml, or give yours another id",
                    )
                )
                continue
            self.fms[fm.id] = fm

    def add_checklists(self) -> None:
        """The checklists of checklists/*.yml."""
        for doc in self.ov.checklists:
            cl = build_checklist(doc)
            loc = self.loc(doc, "id")
            mismatch = _id_file_mismatch("checklist", cl.id, doc, loc)
            if mismatch:
                self.problems.append(mismatch)
            if cl.id in self.checklists:
                self.problems.append(
                    ID_EXISTS.at(
                        loc,
                        f"checklist '{cl.id}' already exists upstream",
                        "add items to it with overlay/extend.yml, or give yours another id",
                    )
                )
                continue
            self.checklists[cl.id] = cl
