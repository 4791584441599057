"""Rendering a :class:`~launchbook.checklists.tailor.Tailored` checklist: PDF, HTML, Markdown, CSV.

- ``html``: one self-contained page (inline CSS, no external request) with a print stylesheet;
- ``pdf``: the same page through WeasyPrint, with the packaged DejaVu Sans font and a URL
  fetcher that serves those font files and refuses everything else (no local file, no network);
- ``md``: a GitHub task list to paste into an issue;
- ``csv``: one row per item.

Markdown fields go through :func:`~launchbook.text.md_inline` / :func:`~launchbook.text.md_to_html`
(rendered, then sanitized) before they reach HTML; plain text (titles, questions, names) is never
markup: autoescaped in HTML, :func:`~launchbook.text.escape_markdown` in the Markdown export, where
Markdown fields keep no link or image that ``check`` refuses
(:func:`~launchbook.text.neutralize_markdown`). Templates never evaluate text. Nothing in the
output depends on the time or the machine: two renders of the same input are byte-identical
(PDF included; ``SOURCE_DATE_EPOCH``, when set, becomes the PDF's creation date).
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from .. import glyphs
from ..errors import Loc, Problem, UsageError, sorted_problems
from ..model import Playbook, Question, Remediation
from ..text import escape_markdown, md_inline, md_to_html, neutralize_markdown, template_env
from .tailor import Group, Tailored, TailoredItem

FORMATS = ("pdf", "html", "md", "csv")
PAPERS = {"a4": "A4", "letter": "letter", "a4-letter": "210mm 279.4mm"}
"""Paper id -> CSS page size. ``a4-letter`` is the overlap of the two (A4's width, Letter's
height): a page that prints unscaled on either, which a site publishes instead of one file each."""
PAPER_NAMES = {"a4": "A4", "letter": "Letter", "a4-letter": "A4 or Letter"}
"""Paper id -> the name people read (download labels, messages)."""
FONT_SCHEME = "launchbook-font:"
FONT_FILES = {
    "DejaVuSans.ttf": ("normal", "normal"),
    "DejaVuSans-Bold.ttf": ("normal", "bold"),
    "DejaVuSans-Oblique.ttf": ("italic", "normal"),
}
FONT_FAMILY = "Launchbook Sans"
OUTCOME_ROWS = 4  # blank rows for the actions agreed, in the HTML, PDF and Markdown outcome block
CSV_COLUMNS = (
    "checklist",
    "failure_mode",
    "kind",
    "id",
    "text",
    "owner",
    "phase",
    "source",
    "source_url",
    "blocking",
)
"""The CSV's columns; ``blocking`` is ``yes`` for an item that blocks the meeting's decision
(answered Yes, No or N/A on paper), else empty. New columns are added at the end."""


# ------------------------------------------------------------------ helpers
def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _safe_url(url: str) -> str:
    """``url`` if it is an http(s) link, else empty: no ``javascript:``, ``data:`` or ``file:`` link."""
    return url if re.match(r"https?://[^\s<>\"'`]+$", url) else ""


@cache
def checklist_env() -> jinja2.Environment:
    return template_env("launchbook.checklists")


@cache
def font_bytes(name: str) -> bytes:
    """The bytes of a packaged font file (``name`` must be one of :data:`FONT_FILES`)."""
    if name not in FONT_FILES:
        raise KeyError(name)
    return resources.files("launchbook.checklists").joinpath("fonts", name).read_bytes()


def font_faces_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: {style}; font-weight: {weight}; '
        f'src: url("{FONT_SCHEME}{name}") format("truetype"); }}'
        for name, (style, weight) in FONT_FILES.items()
    )


def check_paper(paper: str) -> None:
    """Raise :class:`UsageError` naming the known papers unless ``paper`` is one of them."""
    if paper not in PAPERS:
        raise UsageError(f"unknown paper '{paper}'; known: {', '.join(PAPERS)}")


def _check(fmt: str, paper: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; known: {', '.join(FORMATS)}")
    check_paper(paper)


# ------------------------------------------------------------------ HTML
def blocking_ids(t: Tailored) -> frozenset[str]:
    """The ids of the checklist's items marked ``blocking``."""
    return frozenset(i.ref for i in t.checklist.items if i.blocking)


def decider_names(pb: Playbook, t: Tailored) -> tuple[str, ...]:
    """The display names (the fork's) of the roles who sign the checklist's decision off."""
    roles = {r.id: r.name for r in pb.roles}
    return tuple(roles.get(d, d) for d in t.checklist.deciders)


def _item_ctx(it: TailoredItem, blocking: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {
        "blocking": it.id in blocking,
        "kind": it.kind,
        "id": it.id,
        "text": it.text,  # plain text: autoescaped
        "owner": it.owner_name,
        "involves": it.involves,
        "phase": it.phase_title,
        "failure_mode": it.failure_mode_title,
    }


def _group_ctx(g: Group, blocking: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {
        "kind": g.kind,
        "id": g.id,
        "title": g.title,  # plain text: autoescaped
        "key_question": g.key_question,
        "why": Markup(md_inline(g.why.impact)) if g.why else "",
        "source_title": g.why.source_title if g.why else "",
        "source_url": _safe_url(g.why.source_url) if g.why else "",
        "items": [_item_ctx(i, blocking) for i in g.items],
    }


def render_html(pb: Playbook, t: Tailored, paper: str = "a4", *, pdf: bool = False) -> str:
    """The checklist as one HTML page; ``pdf=True`` adds the packaged fonts for WeasyPrint."""
    _check("html", paper)
    cl = t.checklist
    blocking = blocking_ids(t)
    meta_date = ""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if pdf and epoch.isdigit():
        meta_date = datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ctx = {
        "pdf": pdf,
        "font_faces": Markup(font_faces_css()) if pdf else "",
        "font_family": FONT_FAMILY,
        "page_size": PAPERS[paper],
        "paper": paper,
        "playbook_title": pb.manifest.title,
        "playbook_version": pb.manifest.version,
        "id": cl.id,
        "title": cl.title,
        "meeting": cl.meeting,
        "description": Markup(md_to_html(cl.description)),
        "attendees": t.attendees,
        "filters": t.filters,
        "group_by": cl.group_by,
        "groups": [_group_ctx(g, blocking) for g in t.groups],
        "has_blocking": any(it.id in blocking for it in t.items),
        "deciders": decider_names(pb, t),
        "count": len(t.items),
        "decision": cl.decision,
        "outcome_rows": OUTCOME_ROWS,
        "meta_date": meta_date,
    }
    return checklist_env().get_template("checklist.html.j2").render(ctx)


# ------------------------------------------------------------------ PDF
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PackagedFontFetcher(URLFetcher):  # type: ignore[misc]
        """Serves the packaged fonts (``launchbook-font:NAME``) and refuses every other URL.

        Refused URLs are kept in :attr:`refused`; WeasyPrint logs them and renders without.
        """

        def __init__(self) -> None:
            super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            name = url[len(FONT_SCHEME) :] if url.startswith(FONT_SCHEME) else None
            if name is not None and name in FONT_FILES:
                return URLFetcherResponse(url, body=font_bytes(name), headers={"Content-Type": "font/ttf"})
            self.refused.append(url)
            raise PermissionError(f"checklist PDFs load nothing but their packaged fonts; refused {url!r}")

        def open(self, url: Any, data: Any = None, timeout: Any = None) -> Any:
            target = getattr(url, "full_url", url)
            self.refused.append(str(target))
            raise PermissionError(f"refused {target!r}")

    return PackagedFontFetcher


@cache
def font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def make_fetcher() -> Any:
    """A new restricted URL fetcher (see :func:`html_to_pdf`)."""
    return _fetcher_class()()


def html_to_pdf(html: str, fetcher: Any = None) -> bytes:
    """HTML to PDF with a fetcher that serves only the packaged fonts: no local file, no network."""
    import weasyprint

    doc = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher or make_fetcher())
    out: bytes = doc.write_pdf(font_config=font_config(), pdf_identifier=False)
    return out


# ------------------------------------------------------------------ PDF: characters the fonts lack
@cache
def font_codepoints() -> frozenset[int]:
    """The characters every shipped font face can draw (the intersection of their cmaps), read
    once and then kept in the cache folder (:func:`launchbook.glyphs.cached_codepoints`)."""
    return glyphs.cached_codepoints({name: font_bytes(name) for name in FONT_FILES}, _read_codepoints)


def _read_codepoints() -> frozenset[int]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    faces = [set(TTFont(io.BytesIO(font_bytes(name)), lazy=True).getBestCmap()) for name in FONT_FILES]
    return frozenset(set.intersection(*faces))


def _pdf_texts(pb: Playbook, t: Tailored) -> Iterator[tuple[str, str, Loc]]:
    """(what, text, where) of the texts a checklist PDF prints."""
    cl = t.checklist
    roles = {r.name: r for r in pb.roles}
    fms = {fm.id: fm for fm in pb.failure_modes}
    phases = {p.id: p for p in pb.manifest.phases}
    sources = {s.title: s for s in pb.sources}
    items: dict[tuple[str, str], Question | Remediation] = {("question", q.id): q for q in pb.questions()}
    items.update({("remediation", r.id): r for r in pb.remediations()})
    yield "the playbook title", pb.manifest.title, pb.manifest.loc
    for key in ("title", "meeting", "description"):
        yield f"checklist '{cl.id}' {key}", getattr(cl, key), cl.locs.get(key, cl.loc)
    for i, decision in enumerate(cl.decision):
        yield f"checklist '{cl.id}' decision", decision, cl.locs.get(f"decision.{i}", cl.loc)
    for name in (
        *t.attendees,
        *decider_names(pb, t),
        *(it.owner_name for it in t.items),
        *(n for it in t.items for n in it.involves),
    ):
        role = roles.get(name)
        yield (f"role '{role.id}' name", name, role.loc) if role else ("a role name", name, cl.loc)
    for g in t.groups:
        fm = fms.get(g.id) if g.kind == "failure-mode" else None
        if fm is not None:
            for key in ("title", "key_question", "impact"):
                yield f"failure mode '{fm.id}' {key}", getattr(fm, key), fm.locs.get(key, fm.loc)
        elif g.id in phases:
            yield f"phase '{g.id}' title", g.title, phases[g.id].loc
        if g.why is not None and g.why.source_title in sources:
            src = sources[g.why.source_title]
            yield f"source '{src.id}' title", src.title, src.locs.get("title", src.loc)
        for it in g.items:
            obj = items.get((it.kind, it.id))
            key = "ask" if it.kind == "question" else "title"
            yield f"{it.kind} '{it.id}' {key}", it.text, (obj.locs.get(key, obj.loc) if obj else cl.loc)
            if g.kind == "phase" and it.failure_mode in fms:
                fm = fms[it.failure_mode]
                yield f"failure mode '{fm.id}' title", fm.title, fm.locs.get("title", fm.loc)
            if it.phase in phases:
                yield f"phase '{it.phase}' title", it.phase_title, phases[it.phase].loc


def missing_glyph_problems(pb: Playbook, t: Tailored) -> list[Problem]:
    """An LB801 warning per text of the checklist's PDF that has characters the shipped fonts lack."""
    have = font_codepoints()
    seen: set[tuple[str, str]] = set()
    out = []
    for what, text, loc in _pdf_texts(pb, t):
        if (what, text) in seen:
            continue
        seen.add((what, text))
        chars = glyphs.missing(text, have)
        if chars:
            out.append(
                glyphs.MISSING_GLYPHS.at(
                    loc,
                    f"the {what} has characters the PDF's font cannot draw: {glyphs.describe(chars)};"
                    f" they print as empty boxes in the '{t.checklist.id}' checklist PDF",
                    "use the HTML or Markdown checklist for this text, or characters of Latin, Greek or"
                    " Cyrillic script (see 'launchbook explain LB801')",
                )
            )
    return sorted_problems(out)


_GLYPHS_REPORTED: set[Problem] = set()


def warn_missing_glyphs(pb: Playbook, t: Tailored) -> list[Problem]:
    """Write :func:`missing_glyph_problems` to standard error (each once per process: the A4 and
    letter PDFs of a checklist print the same texts); returns them. Never fails the render."""
    problems = missing_glyph_problems(pb, t)
    new = [p for p in problems if p not in _GLYPHS_REPORTED]
    _GLYPHS_REPORTED.update(new)
    if new:
        from ..report import text as text_report

        sys.stderr.write(text_report(new, 0).rsplit("\n", 2)[0] + "\n")
    return problems


# ------------------------------------------------------------------ Markdown
def md_item(line: str, blocking: bool) -> list[str]:
    """A task-list entry: ``- [ ] line``, or for a blocking item the word and Yes / No / N/A boxes."""
    if not blocking:
        return [f"- [ ] {line}"]
    return [f"- **Blocking:** {line}", *(f"  - [ ] {a}" for a in ("Yes", "No", "N/A"))]


def md_signoff(deciders: Iterable[str]) -> list[str]:
    """The deciders' sign-off table (Name, Role, Signature, Date), or nothing."""
    rows = [f"|  | {escape_markdown(d)} |  |  |" for d in deciders]
    if not rows:
        return []
    return [
        "**Sign-off by the deciders:**",
        "",
        "| Name | Role | Signature | Date |",
        "|---|---|---|---|",
        *rows,
        "",
    ]


def render_md(pb: Playbook, t: Tailored) -> str:
    """A GitHub task list: one heading per group, ``- [ ] text — **owner**`` per item."""
    cl = t.checklist
    blocking = blocking_ids(t)
    out = [f"# {escape_markdown(cl.title)}", ""]
    out.append(f"**Meeting:** {escape_markdown(cl.meeting)}\\")
    if t.attendees:
        out.append(f"**Attendees:** {', '.join(escape_markdown(a) for a in t.attendees)}\\")
    if t.filters:
        out.append(f"**Tailored for:** {'; '.join(f'{k} {escape_markdown(v)}' for k, v in t.filters)}\\")
    out[-1] = out[-1].removesuffix("\\")
    out += ["", neutralize_markdown(cl.description.strip()), ""]
    if not t.groups:
        out += ["_No item matches this selection._", ""]
    for g in t.groups:
        prefix = "Phase: " if g.kind == "phase" else ""
        out += [f"## {prefix}{escape_markdown(g.title)}", ""]
        if g.key_question:
            out += [f"**Key question:** {escape_markdown(g.key_question)}", ""]
        if g.why is not None:
            why = f"**Why this matters:** {_one_line(neutralize_markdown(g.why.impact))}"
            if g.why.source_title:
                src = escape_markdown(g.why.source_title)
                url = _safe_url(g.why.source_url).replace("(", "%28").replace(")", "%29")
                why += f" (source: [{src}]({url}))" if url else f" (source: {src})"
            out += [why, ""]
        for it in g.items:
            extra = f", with {escape_markdown(', '.join(it.involves))}" if it.involves else ""
            extra += f" · {escape_markdown(it.failure_mode_title)}" if g.kind == "phase" else ""
            line = f"{escape_markdown(it.text)} — **{escape_markdown(it.owner_name)}**{extra} (`{it.id}`)"
            out += md_item(line, it.id in blocking)
        out.append("")
    out += ["## Outcome", ""]
    if cl.decision:
        out += ["**Decision** (tick one):", ""]
        out += [f"- [ ] {escape_markdown(d)}" for d in cl.decision]
        out += ["", "**Conditions or reasons:**", ""]
    out += ["| Action agreed | Owner | Due |", "|---|---|---|", *["|  |  |  |"] * OUTCOME_ROWS, ""]
    out += ["**Recorded by:**\\", "**Date:**", ""]
    out += md_signoff(decider_names(pb, t))
    out.append(
        f"<sub>{escape_markdown(pb.manifest.title)} {escape_markdown(pb.manifest.version)} · checklist `{cl.id}`</sub>"
    )
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ CSV
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a leading quote."""
    value = _one_line(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def render_csv(pb: Playbook, t: Tailored) -> str:
    """One row per item; see :data:`CSV_COLUMNS`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    blocking = blocking_ids(t)
    for it in t.items:
        w.writerow(
            _cell(v)
            for v in (
                t.checklist.id,
                it.failure_mode_title,
                it.kind,
                it.id,
                it.text,
                it.owner_name,
                it.phase_title,
                it.why.source_title,
                it.why.source_url,
                "yes" if it.id in blocking else "",
            )
        )
    return buf.getvalue()


# ------------------------------------------------------------------ entry points
def render(pb: Playbook, t: Tailored, fmt: str, paper: str = "a4") -> bytes:
    """``t`` as ``fmt`` (pdf, html, md or csv) on ``paper`` (a4 or letter; pdf and html only)."""
    _check(fmt, paper)
    if fmt == "pdf":
        warn_missing_glyphs(pb, t)
        return html_to_pdf(render_html(pb, t, paper, pdf=True))
    if fmt == "html":
        return render_html(pb, t, paper).encode("utf-8")
    if fmt == "md":
        return render_md(pb, t).encode("utf-8")
    return render_csv(pb, t).encode("utf-8")


def render_pdf_many(jobs: Iterable[tuple[Playbook, Tailored, str]]) -> list[bytes]:
    """Render several PDFs ``(playbook, tailored, paper)``, sharing the font setup."""
    return [render(pb, t, "pdf", paper) for pb, t, paper in jobs]
