"""The fork's "What we changed" page: what the organization excluded (and why), overrode, renamed,
merged and added, from the merged playbook's provenance (:mod:`launchbook.model.provenance`).
Only a fork has it (``pb.fork_changes``); each added item is also marked on its own page
(:func:`added_by`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model import Playbook
from ..model.provenance import Exclusion, ForkChanges

SRC = "what-we-changed.md"
TITLE = "What we changed"
KIND_NAMES = {
    "failure_mode": "Failure mode",
    "question": "Question",
    "remediation": "Remediation",
    "checklist": "Checklist",
    "category": "Category",
    "role": "Role",
    "source": "Source",
}


def added_by(pb: Playbook, kind: str, ident: str) -> str:
    """The organization's name when its fork added the item ``ident`` of ``kind``, else ""."""
    ch = pb.fork_changes
    return ch.organization if ch is not None and ident in ch.added_ids(kind) else ""


@dataclass(frozen=True)
class ExcludedRow:
    """An exclusion as listed: the item, its reason, and how many items went along with it."""

    item: Exclusion
    along: dict[str, int]


def excluded_rows(ch: ForkChanges) -> list[ExcludedRow]:
    """The exclusions exclude.yml names (and checklists left empty), each with the count of items
    by kind that went with it (a failure mode's questions and remediations, a category's failure
    modes)."""
    rows = []
    for e in ch.excluded:
        if e.via:
            continue
        along: dict[str, int] = {}
        for other in ch.excluded:
            if other.via == e.id:
                along[other.kind] = along.get(other.kind, 0) + 1
        rows.append(ExcludedRow(e, along))
    return rows


def changes_page(
    pb: Playbook, link: Callable[[str, str], str | None], render: Callable[..., str]
) -> str | None:
    """The page's Markdown (``None`` when ``pb`` is not a fork). ``link(kind, id)`` is the URL of an
    item's page, or None; ``render`` renders a site template."""
    ch = pb.fork_changes
    if ch is None:
        return None
    ctx: dict[str, Any] = {
        "ch": ch,
        "excluded": excluded_rows(ch),
        "kinds": KIND_NAMES,
        "link": link,
        "roles": {r.id: r.name for r in pb.roles},
        "title": TITLE,
        "upstream": pb.manifest.version,
    }
    return render("changes.md.j2", **ctx)


def item_url(s: Any, here: str) -> Callable[[str, str], str | None]:
    """``(kind, id) -> URL`` of an item's page (or anchor) relative to ``here``, None when it has none."""
    L = s.link(here)

    def url(kind: str, ident: str) -> str | None:
        if kind == "failure_mode" and ident in s.fms:
            return str(L["fm"](ident))
        if kind == "question" and ident in s.questions:
            return str(L["fm"](s.questions[ident].failure_mode, f"q-{ident}"))
        if kind == "remediation" and ident in s.rems:
            return str(L["rem"](ident))
        known = {
            "checklist": s.pb.checklist,
            "role": s.roles.get,
            "category": s.categories.get,
            "source": s.sources.get,
        }
        if kind in known and known[kind](ident) is not None:
            return str(L[kind](ident))
        return None

    return url
