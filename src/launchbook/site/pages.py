"""The virtual page set: every generated page of the site, as Markdown with sanitized HTML blocks.

Pure functions from a :class:`~launchbook.model.Playbook` to :class:`Page`
values; the MkDocs plugin only hands them to MkDocs. Markdown fields are rendered
with :func:`launchbook.text.md_to_html` (sanitized) and passed to templates as
already-safe HTML; plain text is never markup: templates autoescape it in HTML blocks and pass
it through the ``plain`` filter (:func:`launchbook.text.escape_markdown`) where it lands in a
Markdown line (headings), and through ``yaml_str`` (HTML-escaped) into front matter. Templates
use ``StrictUndefined``; text is never evaluated as a template.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from ..frameworks import FRAMEWORKS, framework
from ..graph import do_first_order, roles_usage
from ..model import FailureMode, Playbook, Remediation
from ..text import escape_html, escape_markdown, md_inline, md_to_html, template_env
from .changes import SRC as CHANGES_SRC
from .changes import TITLE as CHANGES_TITLE
from .changes import added_by, changes_page, item_url
from .charts import graph_svg, neighbourhood_svg, stats_chart
from .incremental import PageCache
from .meeting import ACTION_ROWS, ANSWER_CHOICES, is_handout, meeting_items, meeting_json


@dataclass(frozen=True)
class Page:
    """One generated page: its source path in the docs tree and its Markdown content."""

    src: str
    title: str
    content: str


def dest_dir(src: str) -> str:
    """The directory URL of a page (``failure-modes/x.md`` -> ``failure-modes/x/``)."""
    stem = src[:-3] if src.endswith(".md") else src
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@lru_cache(maxsize=65536)
def _rel_dir(from_src: str, to_src: str) -> str:
    a = [p for p in dest_dir(from_src).split("/") if p]
    b = [p for p in dest_dir(to_src).split("/") if p]
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    parts = [".."] * (len(a) - common) + b[common:]
    return "/".join(parts) + "/" if parts else "./"


def rel_url(from_src: str, to_src: str, anchor: str = "") -> str:
    """A relative directory URL from one page to another (optionally to an anchor)."""
    return _rel_dir(from_src, to_src) + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = template_env("launchbook.site")
    env.filters["md"] = lambda s: Markup(md_to_html(s))
    env.filters["mdi"] = lambda s: Markup(md_inline(s))
    # Plain text in a Markdown line (a heading): escaped so that it renders as written. In an
    # HTML block, autoescaping is already the right escaping (Markdown leaves the block alone).
    env.filters["plain"] = lambda s: Markup(escape_markdown(str(s)))
    # A front-matter value: MkDocs themes print a page's title and description as HTML
    env.filters["yaml_str"] = lambda s: Markup(json.dumps(escape_html(str(s)), ensure_ascii=False))
    return env


def render(template: str, **ctx: Any) -> str:
    return _env().get_template(template).render(**ctx)


FM_DIR = "failure-modes"


def fm_src(fid: str) -> str:
    return f"{FM_DIR}/{fid}.md"


# Search synonyms: the words readers type for a page that its text does not use, or uses too
# rarely to rank it first. Material's search (lunr) indexes a page's front-matter ``tags`` with a
# boost of a million and matches every typed word as a prefix, after dropping stop words ("it",
# "in", "too") from the index but not from the query: "buy-in" is searched as "buy*" and "in*",
# "IT operations" as "it*" and "operations*". A synonym that starts with such a word ("ITOps",
# "involvement") lets the intended page match every word of the query, which Material ranks first.
# Keyed by failure-mode or role id; a fork keeps them as long as it keeps the id.
SEARCH_KEYWORDS: dict[str, tuple[str, ...]] = {
    "hype-and-lost-interest": (
        "scope too big",
        "oversized scope",
        "too ambitious",
        "big bang",
        "scope creep",
    ),
    "decision-makers-not-bought-in": ("buy-in", "bought in", "involvement", "user adoption", "resistance"),
    "it-operations": ("ITOps", "IT ops", "operations team", "SRE"),
    "batch-vs-online-mismatch": ("feature store", "training-serving skew"),
    "no-executive-sponsor": ("champion", "sponsorship"),
    "unclear-success-metric": ("KPI", "success criteria"),
}


def search_keywords(ident: str, *names: str) -> list[str]:
    """The front-matter tags a page adds for search: its names and its synonyms, without repeats."""
    out: dict[str, None] = {}
    for word in (*names, *SEARCH_KEYWORDS.get(ident, ())):
        if word.strip():
            out.setdefault(word, None)
    return list(out)


class _Site:
    """Lookups shared by the page renderers."""

    def __init__(self, pb: Playbook) -> None:
        self.pb = pb
        self.fms = {fm.id: fm for fm in pb.failure_modes}
        for fm in pb.failure_modes:
            for a in fm.aliases:
                self.fms.setdefault(a, fm)
        self.roles = {r.id: r for r in pb.roles}
        self.phases = {p.id: p for p in pb.manifest.phases}
        self.categories = {c.id: c for c in pb.manifest.categories}
        self.sources = {s.id: s for s in pb.sources}
        self.stats = {s.id: s for s in pb.statistics}
        self.rems = {r.id: r for r in pb.remediations()}
        self.questions = {q.id: q for q in pb.questions()}
        self.tags: dict[str, list[FailureMode]] = defaultdict(list)
        for fm in pb.failure_modes:
            for t in fm.tags:
                self.tags[t].append(fm)
        self.usage = roles_usage(pb)
        # The failure modes that relate to each one (its ``related`` are the ones it relates to).
        self.incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for fm in pb.failure_modes:
            for rel in fm.related:
                if rel.id in self.fms and self.fms[rel.id].id != fm.id:
                    self.incoming[self.fms[rel.id].id].append((fm.id, rel.relation))

    def outgoing(self, fm: FailureMode) -> list[tuple[str, str]]:
        """(id, relation) of the failure modes ``fm`` relates to."""
        return [
            (self.fms[r.id].id, r.relation)
            for r in fm.related
            if r.id in self.fms and self.fms[r.id].id != fm.id
        ]

    def incoming_of(self, fm: FailureMode) -> list[tuple[str, str]]:
        """(id, relation) of the failure modes that relate to ``fm``, but a "see also" that ``fm``
        already names the other way."""
        out = {i for i, _ in self.outgoing(fm)}
        return [(i, rel) for i, rel in self.incoming.get(fm.id, []) if not (rel == "see-also" and i in out)]

    def neighbourhood(self, fm: FailureMode, here: str) -> Markup:
        """The inline SVG of ``fm`` and its direct neighbours, linked relative to ``here``."""
        outgoing, incoming = self.outgoing(fm), self.incoming_of(fm)
        titles = {i: self.fms[i].title for i in {fm.id, *(i for i, _ in outgoing + incoming)}}
        return Markup(
            neighbourhood_svg(fm.id, titles, incoming, outgoing, lambda fid: rel_url(here, fm_src(fid)))
        )

    def link(self, here: str) -> dict[str, Any]:
        """URL builders relative to the page ``here``, for templates."""
        return {
            "fm": lambda fid, anchor="": rel_url(here, fm_src(self.fms[fid].id), anchor),
            "role": lambda rid: rel_url(here, f"roles/{rid}.md"),
            "category": lambda cid: rel_url(here, f"categories/{cid}.md"),
            "phase": lambda pid: rel_url(here, "roadmap.md", f"phase-{pid}"),
            "source": lambda sid: rel_url(here, "sources.md", f"source-{sid}"),
            "stat": lambda sid: rel_url(here, "sources.md", f"stat-{sid}"),
            "tag": lambda t: rel_url(here, "tags.md", f"tag-{t}"),
            "checklist": lambda cid: rel_url(here, f"checklists/{cid}.md"),
            "page": lambda src, anchor="": rel_url(here, src, anchor),
            "rem": lambda rid: rel_url(here, fm_src(self.rems[rid].failure_mode), f"rem-{rid}"),
        }

    def added_by(self, kind: str, ident: str) -> str:
        """The organization's name when its fork added this item (marked on its page), else ""."""
        return added_by(self.pb, kind, ident)

    def ordered_remediations(self, rems: Iterable[Remediation]) -> list[Remediation]:
        return do_first_order(self.pb, rems)

    def crosswalk(self, fm: FailureMode) -> list[dict[str, Any]]:
        """A failure mode's ``maps_to`` (its own, its questions' and remediations'), per framework."""
        return fm_crosswalk(fm)


def build_pages(
    pb: Playbook,
    *,
    checklist_files: dict[str, list[tuple[str, str]]] | None = None,
    cache: PageCache | None = None,
) -> list[Page]:
    """Every generated page. ``checklist_files`` maps a checklist id to (label, site path) downloads;
    ``cache`` (used by ``launchbook serve``) re-renders only the failure-mode pages whose inputs changed."""
    s = _Site(pb)
    if cache is None:
        return _failure_mode_pages(pb, s, None) + _aggregate_pages(pb, s, checklist_files)
    cache.start(pb)
    return _failure_mode_pages(pb, s, cache) + cache.aggregate_pages(
        pb, lambda: _aggregate_pages(pb, s, checklist_files)
    )


def _failure_mode_pages(pb: Playbook, s: _Site, cache: PageCache | None) -> list[Page]:
    pages: list[Page] = []
    common = {"pb": pb, "s": s}
    for fm in pb.failure_modes:
        src = fm_src(fm.id)

        def render_fm(fm: FailureMode = fm, src: str = src) -> str:
            return render(
                "failure_mode.md.j2",
                fm=fm,
                rems=s.ordered_remediations(fm.remediations),
                keywords=search_keywords(fm.id),
                neighbourhood=s.neighbourhood(fm, src),
                L=s.link(src),
                **common,
            )

        content = cache.failure_mode_page(fm, render_fm) if cache is not None else render_fm()
        pages.append(Page(src, fm.title, content))
    return pages


def _aggregate_pages(
    pb: Playbook, s: _Site, checklist_files: dict[str, list[tuple[str, str]]] | None
) -> list[Page]:
    """Every page that is not one failure mode's: categories, roles, roadmap, graph, sources, ..."""
    pages: list[Page] = []
    common = {"pb": pb, "s": s}
    for cat in pb.manifest.categories:
        src = f"categories/{cat.id}.md"
        fms = [fm for fm in pb.failure_modes if fm.category == cat.id]
        pages.append(
            Page(src, cat.title, render("category.md.j2", cat=cat, fms=fms, L=s.link(src), **common))
        )
    src = "categories/index.md"
    pages.append(Page(src, "Failure modes", render("categories_index.md.j2", L=s.link(src), **common)))
    for role in pb.roles:
        src = f"roles/{role.id}.md"
        use = s.usage.get(role.id, {"owns": [], "involved": [], "asks": []})
        pages.append(
            Page(
                src,
                role.name,
                render(
                    "role.md.j2",
                    role=role,
                    owns=s.ordered_remediations(s.rems[r] for r in use["owns"]),
                    involved=s.ordered_remediations(s.rems[r] for r in use["involved"]),
                    asks=[s.questions[q] for q in use["asks"]],
                    keywords=search_keywords(role.id, role.name),
                    L=s.link(src),
                    **common,
                ),
            )
        )
    src = "roles/index.md"
    pages.append(Page(src, "Roles", render("roles_index.md.j2", L=s.link(src), **common)))
    src = "roadmap.md"
    by_phase = {
        p.id: s.ordered_remediations(r for r in pb.remediations() if r.phase == p.id)
        for p in pb.manifest.phases
    }
    pages.append(Page(src, "Roadmap", render("roadmap.md.j2", by_phase=by_phase, L=s.link(src), **common)))
    src = "sources.md"
    pages.append(Page(src, "Sources and statistics", render("sources.md.j2", L=s.link(src), **common)))
    src = "tags.md"
    pages.append(
        Page(src, "Tags", render("tags.md.j2", tags=sorted(s.tags.items()), L=s.link(src), **common))
    )
    src = "graph.md"

    def graph_page_svg() -> str:
        return graph_svg(pb, lambda fid: rel_url("graph.md", fm_src(fid)))

    pages.append(
        Page(
            src,
            "Graph",
            render(
                "graph.md.j2",
                svg=Markup(graph_page_svg()),
                L=s.link(src),
                **common,
            ),
        )
    )
    src = "maturity.md"
    pages.append(
        Page(src, "Maturity levels", render("maturity.md.j2", rules=assess_rules(), L=s.link(src), **common))
    )
    src = "assess.md"
    pages.append(Page(src, "Assess your organization", assess_page(pb, s, src)))
    files = checklist_files or {}
    for cl in pb.checklists:
        src = f"checklists/{cl.id}.md"
        items = meeting_items(cl, s.questions, s.rems)
        links = [
            (label, rel_url(src, "index.md") + path, is_handout(path)) for label, path in files.get(cl.id, [])
        ]
        pages.append(
            Page(
                src,
                cl.title,
                render(
                    "checklist.md.j2",
                    cl=cl,
                    items=items,
                    downloads=[(label, url) for label, url, handout in links if not handout],
                    handouts=[(label, url) for label, url, handout in links if handout],
                    data_json=Markup(meeting_json(pb, cl, items)),
                    choices=ANSWER_CHOICES,
                    action_rows=ACTION_ROWS,
                    L=s.link(src),
                    **common,
                ),
            )
        )
    src = "checklists/index.md"
    pages.append(Page(src, "Checklists", render("checklists_index.md.j2", L=s.link(src), **common)))
    pages += crosswalk_pages(pb, s)
    changes = changes_page(pb, item_url(s, CHANGES_SRC), render)  # a fork's "What we changed"
    if changes is not None:
        pages.append(Page(CHANGES_SRC, CHANGES_TITLE, changes))
    return pages


def assess_rules() -> dict[str, Any]:
    from ..assess import RULES

    return RULES


def assess_page(pb: Playbook, s: _Site, src: str) -> str:
    """The offline "Assess your organization" page: the questions as a form, the scoring data as JSON."""
    from ..assess import page_json

    by_category = [
        (cat, [q for fm in pb.failure_modes if fm.category == cat.id for q in fm.questions])
        for cat in pb.manifest.categories
    ]
    choices = [
        ("yes", "Yes", "yes"),
        ("partial", "Partial", "partial"),
        ("no", "No", "no"),
        ("n/a", "N/A", "na"),
    ]
    return render(
        "assess.md.j2",
        data_json=Markup(page_json(pb)),
        by_category=[(c, qs) for c, qs in by_category if qs],
        choices=choices,
        L=s.link(src),
        pb=pb,
        s=s,
    )


def nav(pb: Playbook, extra: list[Any] | None = None) -> list[Any]:
    """A nav that stays small at any size: sections and category pages, never failure-mode pages."""
    out: list[Any] = [{"Home": "index.md"}]
    out += [e for e in extra or [] if not (isinstance(e, dict) and "assess.md" in e.values())]
    out.append(
        {"Failure modes": ["categories/index.md"] + [f"categories/{c.id}.md" for c in pb.manifest.categories]}
    )
    out += [
        {"Roadmap": "roadmap.md"},
        {"Roles": "roles/index.md"},
        {"Checklists": "checklists/index.md"},
        {"Graph": "graph.md"},
        {"Maturity levels": "maturity.md"},
        {"Assess your organization": "assess.md"},
        {
            "Crosswalks": ["crosswalks/index.md"]
            + [{NAV_TITLES.get(fw, fw): f"crosswalks/{fw}.md"} for fw in FRAMEWORKS]
        },
        {"Sources and statistics": "sources.md"},
        {"Tags": "tags.md"},
    ]
    if pb.fork_changes is not None:
        out.append({CHANGES_TITLE: CHANGES_SRC})
    return out


NAV_TITLES = {"atlas": "MITRE ATLAS", "deon": "deon", "nist-ai-rmf": "NIST AI RMF", "samm": "OWASP SAMM"}


MARKER = "<!-- launchbook:"


def fill_markers(pb: Playbook, markdown: str, here: str = "index.md") -> str:
    """``markdown`` with each ``<!-- launchbook:NAME -->`` marker of a hand-written page replaced by
    its generated HTML block (``stats-chart``, ``categories``); unchanged when it has none."""
    if MARKER not in markdown:
        return markdown
    s = _Site(pb)
    blocks = {
        "stats-chart": stats_chart(pb, lambda sid: rel_url(here, "sources.md", f"stat-{sid}")),
        "categories": render("home_categories.html.j2", L=s.link(here), **{"pb": pb, "s": s}),
    }
    for name, block in blocks.items():
        markdown = markdown.replace(f"{MARKER}{name} -->", f'\n<div class="lb-block">\n{block}\n</div>\n')
    return markdown


# ------------------------------------------------------------------ crosswalks
def crosswalk_anchor(ident: str) -> str:
    """The anchor of a framework item on its crosswalk page: 'GOVERN 1.2' -> 'item-govern-1-2'."""
    slug = "".join(c if c.isalnum() else "-" for c in ident.lower())
    return "item-" + "-".join(p for p in slug.split("-") if p)


def fm_crosswalk(fm: FailureMode) -> list[dict[str, Any]]:
    """Per framework: its title, whether launchbook ships its ids, and each id mapped (deduplicated)."""
    ids: dict[str, dict[str, None]] = {}
    for maps in (fm.maps_to, *(q.maps_to for q in fm.questions), *(r.maps_to for r in fm.remediations)):
        for fw, idents in maps:
            ids.setdefault(fw, {}).update(dict.fromkeys(idents))
    out = []
    for fw in sorted(ids):
        known = framework(fw).ids if fw in FRAMEWORKS else {}
        out.append(
            {
                "key": fw,
                "title": framework(fw).title if fw in FRAMEWORKS else fw,
                "page": f"crosswalks/{fw}.md" if fw in FRAMEWORKS else "",
                "items": [
                    (i, crosswalk_anchor(i), known[i].name if i in known else "", i in known) for i in ids[fw]
                ],
            }
        )
    return out


def crosswalk_pages(pb: Playbook, s: _Site) -> list[Page]:
    """One page per framework: which of its items the playbooks cover (and where), which they do not."""
    covered: dict[str, dict[str, list[tuple[str, str, str, str]]]] = {fw: {} for fw in FRAMEWORKS}
    for fm in pb.failure_modes:
        where: list[tuple[Any, str, str]] = [(fm.maps_to, "", fm.title)]
        where += [(q.maps_to, f"q-{q.id}", q.ask) for q in fm.questions]
        where += [(r.maps_to, f"rem-{r.id}", r.title) for r in fm.remediations]
        for maps, anchor, label in where:
            for fw, idents in maps:
                for i in idents:
                    if fw in covered:
                        covered[fw].setdefault(i, []).append((fm.id, anchor, label, fm.title))
    pages = []
    summary = []
    for fw in FRAMEWORKS:
        f = framework(fw)
        src = f"crosswalks/{fw}.md"
        groups: dict[str, list[Any]] = {}
        for item in f.items:
            groups.setdefault(item.kind, []).append(
                (item, crosswalk_anchor(item.id), covered[fw].get(item.id, []))
            )
        n = sum(1 for item in f.items if item.id in covered[fw])
        summary.append((f, src, n, len(f.items)))
        pages.append(
            Page(
                src,
                f"Crosswalk: {f.title}",
                render(
                    "crosswalk.md.j2",
                    f=f,
                    groups=list(groups.items()),
                    n_covered=n,
                    L=s.link(src),
                    pb=pb,
                    s=s,
                ),
            )
        )
    src = "crosswalks/index.md"
    pages.append(
        Page(src, "Crosswalks", render("crosswalk.md.j2", f=None, summary=summary, L=s.link(src), pb=pb, s=s))
    )
    return pages
