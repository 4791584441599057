"""Renderers of a :class:`~launchbook.assess.report.Report`: one function per output format, in
:data:`RENDERERS` (the shape of :data:`launchbook.report.REPORTERS`). Text and JSON are written here;
Markdown and HTML are Jinja templates in ``assess/templates`` (autoescaped HTML; the Markdown
template turns escaping off, as Markdown is not HTML). A new format is a function (or a template)
and a line in the table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache

import jinja2

from ..text import template_env
from .answers import plural
from .report import Comparison, Report

Renderer = Callable[[Report], str]


# ------------------------------------------------------------------ cells shared by every format
def pct(x: float | None) -> str:
    """A score as a whole percentage; a dash when there is none."""
    return "—" if x is None else f"{x * 100:.0f}%"


def lv(x: int | None) -> str:
    """A level; a dash when there is none."""
    return "—" if x is None else str(x)


def md_cell(s: str) -> str:
    """Text that stays in one Markdown table cell or list item."""
    return s.replace("|", "\\|").replace("\n", " ")


# ------------------------------------------------------------------ text
def _counts(c: Mapping[str, int]) -> str:
    return " ".join(f"{c[a]:>3}" for a in ("yes", "partial", "no", "n/a")) + f" {c['unanswered']:>6}"


def _scope(r: Report) -> str:
    src = r.source
    parts = (f"checklist {src.checklist}" if src.checklist else "", f"role {src.role}" if src.role else "")
    return ", ".join(x for x in parts if x)


def _text_head(r: Report) -> list[str]:
    o = r.overall
    scope = _scope(r)
    out = [
        f"Maturity: {r.headline}   (score {pct(o.score)}, {r.source.questions} questions"
        + (f", {o.counts['n/a']} n/a" if o.counts["n/a"] else "")
        + (f", {o.counts['unanswered']} unanswered" if o.counts["unanswered"] else "")
        + (f"; {scope}" if scope else "")
        + ")"
    ]
    out += _text_notes(r)
    out += [f"  {name}: {value}" for name, value in sorted(o.references.items())]
    out += ["", "How it is scored", *(f"  - {line}" for line in r.explanation), ""]
    for title, sections in (("By category", r.categories), ("By phase", r.phases)):
        out.append(f"{title:<36} level  score  yes part  no n/a unanswered")
        for s in sections:
            out.append(f"  {s.title[:34]:<34} {lv(s.level):>5}  {pct(s.score):>5}  {_counts(s.counts)}")
        out.append("")
    return out


def notes(r: Report) -> list[str]:
    """Sentences on what was not scored as written: questions with no entry, answers to questions
    the playbooks no longer have (every format shows them)."""
    src, out = r.source, []
    if src.missing:
        n = len(src.missing)
        out.append(
            f"{plural(n, 'question')} in scope "
            + ("has no entry in the file and counts" if n == 1 else "have no entry in the file and count")
            + " as unanswered (added to the playbooks since it was written?): "
            + ", ".join(src.missing)
        )
    if src.retired:
        out.append("Not scored, no longer in these playbooks: " + ", ".join(src.retired))
    return out


def _text_notes(r: Report) -> list[str]:
    return [f"  Note: {line}" for line in notes(r)]


def _text_held_back(r: Report) -> list[str]:
    o = r.overall
    if not o.held_back_by:
        if o.next_level is None and o.level is not None:
            return ["Held back by: nothing; every applicable question is answered yes."]
        return []
    titles = {c.id: c.title for c in r.categories}
    nxt = o.next_level
    out = [
        f"Held back by: level {nxt} needs every question of level {nxt} or below answered yes; these are not"
        + (f" (in {', '.join(titles[c] for c in o.limited_by)})" if o.limited_by else "")
        + ":"
    ]
    for q in o.held_back_by:
        out.append(f"  - [{q.answer}] {q.ask}  (level {q.level}, {q.owner_name}; {q.id})")
        if q.note:
            out.append(f"      note: {q.note}")
    return out


def _text_do_next(r: Report) -> list[str]:
    rems = r.shown_remediations
    if not rems:
        return []
    out = ["Do next, in dependency order (* unblocks the next level)"]
    for i, m in enumerate(rems, 1):
        after = f"  after: {', '.join(m.requires)}" if m.requires else ""
        star = "*" if m.unblocks_level else " "
        out.append(f"{i:>3}.{star}[{m.effort}] {m.title} — {m.owner_name}  ({m.id}; {m.phase}){after}")
    more = len(r.remediations) - len(rems)
    if more:
        out.append(f"     … and {more} more (--top N, or --format json for all)")
    out.append("")
    return out


def compare_lines(c: Comparison) -> list[str]:
    """What changed, as lines of text (the text report's end; a block in Markdown and HTML)."""
    older = c.older.path + (f" ({c.older.date})" if c.older.date else "")
    o = c.overall
    out = [
        f"Since {older}: level {lv(o.level[0])} -> {lv(o.level[1])}, "
        f"score {pct(o.score[0])} -> {pct(o.score[1])} ({o.change})"
    ]
    for s in (*c.categories, *c.phases):
        if s.shift.change != "same":
            out.append(
                f"  {s.shift.change:<9} {s.title}: level {lv(s.shift.level[0])} -> {lv(s.shift.level[1])},"
                f" score {pct(s.shift.score[0])} -> {pct(s.shift.score[1])}"
            )
    for title, items in (("Improved", c.improved), ("Regressed", c.regressed), ("Changed", c.changed)):
        if items:
            out.append(f"{title}:")
            out += [f"  - {it.id}: {it.before} -> {it.after}  {it.ask}".rstrip() for it in items]
    for title, items in (("New in scope", c.added), ("No longer in scope", c.removed)):
        if items:
            out.append(f"{title}: " + ", ".join(it.id for it in items))
    if c.new_questions:
        out.append("New questions since the older file (unanswered there): " + ", ".join(c.new_questions))
    if c.gone_questions:
        out.append("Gone from the playbooks (answered in the older file): " + ", ".join(c.gone_questions))
    if not c.any_answer_changed:
        out.append("No answer changed.")
    return out


def render_text(r: Report) -> str:
    """The terminal report (the command passes it through :func:`launchbook.report.for_terminal`)."""
    out = _text_head(r)
    out += [*_text_held_back(r), ""]
    out += _text_do_next(r)
    if r.compare is not None:
        out += compare_lines(r.compare)
    return "\n".join(out).rstrip("\n") + "\n"


# ------------------------------------------------------------------ json
def render_json(r: Report) -> str:
    return json.dumps(r.to_json(), indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ md and html: templates
@cache
def _env() -> jinja2.Environment:
    env = template_env("launchbook.assess")
    env.filters.update(pct=pct, lv=lv, md_cell=md_cell, zip=lambda a, b: list(zip(a, b, strict=True)))
    env.globals.update(compare_lines=compare_lines, notes=notes)
    return env


def _render(template: str, r: Report) -> str:
    return _env().get_template(template).render(r=r, o=r.overall).rstrip("\n") + "\n"


def render_md(r: Report) -> str:
    return _render("report.md.j2", r)


def render_html(r: Report) -> str:
    return _render("report.html.j2", r)


RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "md": render_md,
    "html": render_html,
}
FORMATS = tuple(RENDERERS)
