"""Handouts: a checklist on one page for the people in the room, its items grouped by owner.

The facilitator's copy carries the rationale (key questions, why it matters, sources); a
handout carries only what an attendee ticks: the items under the name of the role that owns them
(the fork's role names), a box per item (Yes / No / N/A for blocking ones), and lines for the
meeting, the date and the attendees. It is one page on A4 and on Letter: a long checklist
shrinks to fit (two columns, then smaller type, :data:`LAYOUTS`), and one that cannot fit
raises :class:`HandoutTooLong`, which names how many items to drop or suggests ``--role``.
The page count is measured by laying the page out with WeasyPrint, never guessed.

>>> pdf = render_handout(pb, tailor(pb, "project-kickoff"), "pdf", "letter")   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup

from ..errors import UsageError
from ..model import Playbook
from ..text import escape_markdown
from .render import (
    FONT_FAMILY,
    PAPER_NAMES,
    PAPERS,
    blocking_ids,
    check_paper,
    checklist_env,
    font_config,
    font_faces_css,
    make_fetcher,
    md_item,
    warn_missing_glyphs,
)
from .tailor import Tailored, TailoredItem

HANDOUT_FORMATS = ("pdf", "html", "md")
COMBINED = "_all-roles.pdf"  # the per-role handouts in one file; no role id starts with "_"


@dataclass(frozen=True)
class Layout:
    """How a handout is set: columns and type size (points)."""

    name: str
    columns: int
    font_pt: float


LAYOUTS = (
    Layout("one-column", 1, 10.0),
    Layout("two-columns", 2, 9.0),
    Layout("two-columns-small", 2, 8.0),
    Layout("two-columns-smallest", 2, 7.0),
)
"""Tried in order: the first one whose page count is one is used (7pt is the smallest type a
printed sheet stays legible at)."""


@dataclass(frozen=True)
class OwnerGroup:
    """The items one role owns, under its display name."""

    role: str
    name: str
    items: tuple[TailoredItem, ...]


class HandoutTooLong(UsageError):
    """The checklist (as tailored) does not fit on one page even in the densest layout."""


def owner_groups(pb: Playbook, t: Tailored) -> tuple[OwnerGroup, ...]:
    """``t``'s items grouped by owner, in the order of the roles file (unknown owners last);
    items keep the checklist's order within a group."""
    order = {r.id: i for i, r in enumerate(pb.roles)}
    owners = sorted(dict.fromkeys(it.owner for it in t.items), key=lambda o: (order.get(o, len(order)), o))
    out = []
    for owner in owners:
        items = tuple(it for it in t.items if it.owner == owner)
        out.append(OwnerGroup(owner, items[0].owner_name, items))
    return tuple(out)


def roles_present(pb: Playbook, t: Tailored) -> tuple[str, ...]:
    """The role ids that own items of ``t``, in the roles file's order: one handout each."""
    return tuple(g.role for g in owner_groups(pb, t))


# ------------------------------------------------------------------ HTML
def handout_html(
    pb: Playbook, t: Tailored, paper: str, layout: Layout = LAYOUTS[0], *, pdf: bool = False
) -> str:
    """The handout as one HTML page set in ``layout``; ``pdf=True`` adds the packaged fonts."""
    check_paper(paper)
    blocking = blocking_ids(t)
    groups: list[dict[str, Any]] = [
        {
            "role": g.role,
            "name": g.name,
            "items": [
                {
                    "id": it.id,
                    "kind": it.kind,
                    "text": it.text,
                    "involves": it.involves,
                    "blocking": it.id in blocking,
                }
                for it in g.items
            ],
        }
        for g in owner_groups(pb, t)
    ]
    cl = t.checklist
    ctx = {
        "pdf": pdf,
        "font_faces": Markup(font_faces_css()) if pdf else "",
        "font_family": FONT_FAMILY,
        "page_size": PAPERS[paper],
        "paper": paper,
        "layout": layout,
        "playbook_title": pb.manifest.title,
        "playbook_version": pb.manifest.version,
        "id": cl.id,
        "title": cl.title,
        "meeting": cl.meeting,
        "attendees": t.attendees,
        "filters": t.filters,
        "groups": groups,
        "count": len(t.items),
        "has_blocking": any(it.id in blocking for it in t.items),
    }
    return checklist_env().get_template("handout.html.j2").render(ctx)


# ------------------------------------------------------------------ fitting on one page
def _document(html: str) -> Any:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=None, url_fetcher=make_fetcher()).render(
        font_config=font_config()
    )


def _first_items(t: Tailored, n: int) -> Tailored:
    """``t`` with only its first ``n`` items (in the checklist's order)."""
    groups, left = [], n
    for g in t.groups:
        if left <= 0:
            break
        groups.append(replace(g, items=g.items[:left]))
        left -= len(g.items)
    return replace(t, groups=tuple(groups))


def _fits(pb: Playbook, t: Tailored, paper: str, layout: Layout) -> Any | None:
    doc = _document(handout_html(pb, t, paper, layout, pdf=True))
    return doc if len(doc.pages) == 1 else None


def _most_that_fit(pb: Playbook, t: Tailored, paper: str) -> int:
    """The largest number of the first items that fits one page in the densest layout."""
    lo, hi = 0, len(t.items)  # lo fits (an empty sheet does), hi does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _fits(pb, _first_items(t, mid), paper, LAYOUTS[-1]) is not None:
            lo = mid
        else:
            hi = mid
    return lo


def fit(pb: Playbook, t: Tailored, paper: str) -> tuple[Layout, Any]:
    """The first layout of :data:`LAYOUTS` that sets ``t`` on one page, and that laid-out page
    (a WeasyPrint document). Raises :class:`HandoutTooLong` naming how many items to drop."""
    for layout in LAYOUTS:
        doc = _fits(pb, t, paper, layout)
        if doc is not None:
            return layout, doc
    most = _most_that_fit(pb, t, paper)
    drop = len(t.items) - most
    roles = roles_present(pb, t)
    by_role = (
        f", or print one sheet per role: --role {roles[0]} (or --per-role -o DIR)" if len(roles) > 1 else ""
    )
    raise HandoutTooLong(
        f"the handout of checklist '{t.checklist.id}' does not fit on one {PAPER_NAMES[paper]} page: it has"
        f" {len(t.items)} items and at most {most} fit in two columns of {LAYOUTS[-1].font_pt:g}pt type;"
        f" drop {drop} item{'s' if drop != 1 else ''} (--phase, --tag or --failure-mode){by_role}"
    )


def handout_candidates(pb: Playbook, t: Tailored, paper: str) -> tuple[str, ...]:
    """The handout's PDF HTML in each layout of :data:`LAYOUTS`, for :func:`fit_pdf` (the site
    renders them in worker processes and caches the result)."""
    return tuple(handout_html(pb, t, paper, layout, pdf=True) for layout in LAYOUTS)


def fit_pdf(candidates: Sequence[str]) -> bytes:
    """The PDF of the first of ``candidates`` that lays out on one page; when none does (a long
    checklist of a fork), the last one, which spills onto a second page: a site build publishes
    it all the same, where ``launchbook checklist --handout`` refuses (:func:`fit`)."""
    if not candidates:
        raise ValueError("no handout layout to render")
    for html in candidates:
        doc = _document(html)
        if len(doc.pages) == 1:
            break
    return pdf_bytes(doc)


# ------------------------------------------------------------------ Markdown
def handout_md(pb: Playbook, t: Tailored) -> str:
    """The handout as a GitHub task list: one heading per owner, no rationale."""
    cl = t.checklist
    blocking = blocking_ids(t)
    out = [f"# {escape_markdown(cl.title)} — handout", ""]
    out.append(f"**Meeting:** {escape_markdown(cl.meeting)}\\")
    if t.filters:
        out.append(f"**Tailored for:** {'; '.join(f'{k} {escape_markdown(v)}' for k, v in t.filters)}\\")
    out += ["**Date:**\\", "**Attendees:**", ""]
    if not t.items:
        out += ["_No item matches this selection._", ""]
    for g in owner_groups(pb, t):
        out += [f"## {escape_markdown(g.name)}", ""]
        for it in g.items:
            extra = f" — with {escape_markdown(', '.join(it.involves))}" if it.involves else ""
            out += md_item(f"{escape_markdown(it.text)}{extra} (`{it.id}`)", it.id in blocking)
        out.append("")
    out.append(
        f"<sub>{escape_markdown(pb.manifest.title)} {escape_markdown(pb.manifest.version)}"
        f" · checklist `{cl.id}` · handout</sub>"
    )
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ entry points
def _check(fmt: str, paper: str) -> None:
    if fmt not in HANDOUT_FORMATS:
        raise UsageError(f"a handout is {', '.join(HANDOUT_FORMATS)}, not '{fmt}'")
    check_paper(paper)


def handout_document(pb: Playbook, t: Tailored, paper: str) -> Any:
    """The one-page handout laid out by WeasyPrint (see :func:`fit`); for :func:`combine`."""
    warn_missing_glyphs(pb, t)
    return fit(pb, t, paper)[1]


def render_handout(pb: Playbook, t: Tailored, fmt: str = "pdf", paper: str = "a4") -> bytes:
    """``t``'s handout as ``fmt`` (pdf, html or md). The HTML is set in the layout the PDF fits in."""
    _check(fmt, paper)
    if fmt == "md":
        return handout_md(pb, t).encode("utf-8")
    if fmt == "html":
        layout, _ = fit(pb, t, paper)
        return handout_html(pb, t, paper, layout).encode("utf-8")
    return pdf_bytes(handout_document(pb, t, paper))


def pdf_bytes(doc: Any) -> bytes:
    """A laid-out WeasyPrint document as PDF bytes (reproducible: no random identifier)."""
    out: bytes = doc.write_pdf(pdf_identifier=False)
    return out


def combine(docs: Sequence[Any]) -> bytes:
    """Several laid-out documents as one PDF, in order (the per-role handouts, for printing)."""
    if not docs:
        raise UsageError("no handout to combine")
    return pdf_bytes(docs[0].copy([page for d in docs for page in d.pages]))


def role_handouts(
    pb: Playbook, t: Tailored, for_role: Callable[[str], Tailored], fmt: str = "pdf", paper: str = "a4"
) -> list[tuple[str, bytes]]:
    """One handout per role that owns items of ``t`` (``for_role(role)`` tailors the checklist for
    it), as ``(file name, content)``: ``<role>.<fmt>``, and for PDF all of them in one file to print
    (:data:`COMBINED`). Each must fit one page (:class:`HandoutTooLong` names the role)."""
    _check(fmt, paper)
    out: list[tuple[str, bytes]] = []
    docs = []
    for role in roles_present(pb, t):
        mine = for_role(role)
        try:
            if fmt == "pdf":
                docs.append(handout_document(pb, mine, paper))
                out.append((f"{role}.pdf", pdf_bytes(docs[-1])))
            else:
                out.append((f"{role}.{fmt}", render_handout(pb, mine, fmt, paper)))
        except HandoutTooLong as exc:
            raise HandoutTooLong(f"role '{role}': {exc}") from None
    if docs:
        out.append((COMBINED, combine(docs)))
    return out
