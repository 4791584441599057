"""What the site draws at build time (issue 19): the home chart, the layered graph, each failure
mode's neighbourhood, styled tables and search synonyms, checked on the generated pages without
a browser (tests/test_browser.py looks at them rendered)."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from launchbook.model import Playbook, load_playbook
from launchbook.site.charts import (
    NEIGHBOURS_MAX,
    graph_layout,
    graph_svg,
    is_failure_share,
    wrap,
)
from launchbook.site.pages import SEARCH_KEYWORDS, build_pages, fill_markers

from .support import ROOT


@pytest.fixture(scope="module")
def pb() -> Playbook:
    res = load_playbook(ROOT / "playbooks")
    assert res.playbook is not None
    return res.playbook


@pytest.fixture(scope="module")
def pages(pb: Playbook) -> dict[str, str]:
    return {p.src: p.content for p in build_pages(pb)}


class _Svg(HTMLParser):
    """The text of each ``<text>`` (its lines joined by spaces) and every attribute name seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.attrs: set[str] = set()
        self._lines: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs.update(name for name, _ in attrs)
        if tag == "text":
            self._lines = []

    def handle_data(self, data: str) -> None:
        if self._lines is not None and data.strip():
            self._lines.append(data.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "text" and self._lines is not None:
            self.texts.append(" ".join(self._lines))
            self._lines = None


def parse(html: str) -> _Svg:
    p = _Svg()
    p.feed(html)
    return p


def test_wrap_keeps_every_word() -> None:
    text = "Legal, privacy and compliance are consulted only at go-live"
    lines = wrap(text, 20)
    assert " ".join(lines) == text
    assert all(len(line) <= 20 for line in lines)
    assert wrap("a-very-long-single-word-indeed", 5) == ["a-very-long-single-word-indeed"]


def test_home_chart_separates_failure_from_success_and_keeps_whole_labels(pb: Playbook) -> None:
    html = fill_markers(pb, "<!-- launchbook:stats-chart -->")
    charted = [s for s in pb.statistics if s.chart]
    fail = html.split('class="lb-bars-group lb-bars-success"')[0]
    success = html.split('class="lb-bars-group lb-bars-success"')[1]
    assert "Never reach production" in fail and "Get deployed" in success
    for s in charted:
        group = fail if is_failure_share(s.measures) else success
        other = success if group is fail else fail
        text = html_escape(s.measures)
        assert text in group, s.id  # the whole text, never cut
        assert text not in other
    assert "…" not in html
    by_id = {s.id: is_failure_share(s.measures) for s in charted}
    assert by_id["venturebeat-never-production-90"] and by_id["kdnuggets-stall-80"]
    assert not by_id["gartner-ml-deployed-10"] and not by_id["rexer-always-deployed-11"]
    assert "style=" not in html and "<script" not in html


def test_graph_labels_every_failure_mode_whole(pb: Playbook) -> None:
    svg = graph_svg(pb, lambda fid: f"../failure-modes/{fid}/")
    parsed = parse(svg)
    for fm in pb.failure_modes:
        assert fm.title in parsed.texts, fm.id
    assert "…" not in svg
    assert "style" not in parsed.attrs and not any(a.startswith("on") for a in parsed.attrs)
    assert svg.count('class="lb-node"') == len(pb.failure_modes)


def test_graph_layout_is_columns_by_category_without_overlaps(pb: Playbook) -> None:
    boxes = graph_layout(pb)
    assert graph_layout(pb) == boxes  # deterministic
    col: dict[str, set[float]] = {}
    spans: dict[float, list[tuple[float, float]]] = {}
    for fm in pb.failure_modes:
        x, y, _, h, _ = boxes[fm.id]
        col.setdefault(fm.category, set()).add(x)
        spans.setdefault(x, []).append((y, y + h))
    assert all(len(xs) == 1 for xs in col.values())  # one column per category
    xs = [min(col[c.id]) for c in pb.manifest.categories if c.id in col]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)  # in the manifest's order
    for column in spans.values():
        column.sort()
        assert all(a[1] < b[0] for a, b in itertools.pairwise(column))  # no overlap


def test_failure_mode_page_draws_its_neighbourhood(pb: Playbook, pages: dict[str, str]) -> None:
    page = pages["failure-modes/unmonitored-drift.md"]
    svg = re.search(r'<svg class="lb-neighbourhood".*?</svg>', page, re.S)
    assert svg, "no neighbourhood graph"
    fms = {fm.id: fm for fm in pb.failure_modes}
    out = {r.id for r in fms["unmonitored-drift"].related}
    inc = {fm.id for fm in pb.failure_modes if any(r.id == "unmonitored-drift" for r in fm.related)}
    linked = set(re.findall(r'href="\.\./([a-z0-9-]+)/"', svg.group(0)))
    assert out <= linked and inc <= linked
    texts = parse(svg.group(0)).texts
    assert fms["unmonitored-drift"].title in texts
    assert "style=" not in svg.group(0)
    # the text list says the same: the ones it leads to and the ones that lead to it
    related = page.split("## Related failure modes", 1)[1].split("##", 1)[0]
    for fid in out | inc:
        assert f'href="../{fid}/"' in related.split("</svg>", 1)[1], fid


def test_neighbourhood_stays_small_for_a_hub() -> None:
    """A failure mode many others point at still draws at most NEIGHBOURS_MAX a side."""
    from launchbook.site.charts import neighbourhood_svg

    titles = {f"fm-{i}": f"Failure mode number {i} with a longish title" for i in range(200)}
    svg = neighbourhood_svg(
        "fm-0", titles, [(f"fm-{i}", "causes") for i in range(1, 150)], [("fm-150", "see-also")], str
    )
    assert svg.count("<a ") == NEIGHBOURS_MAX + 1
    assert "and 141 more" in svg
    assert len(svg) < 12_000
    assert neighbourhood_svg("fm-0", titles, [], [], str) == ""


def test_generated_tables_are_wrapped_and_styled(pages: dict[str, str]) -> None:
    css = (ROOT / "src" / "launchbook" / "site" / "assets" / "launchbook.css").read_text(encoding="utf-8")
    assert ".md-typeset table.lb-table" in css and "--md-typeset-table-color" in css
    tables = 0
    for src, content in pages.items():
        for m in re.finditer(r"<table[^>]*>", content):
            tables += 1
            assert 'class="lb-table ' in m.group(0), f"{src}: {m.group(0)}"
            assert content[: m.start()].endswith('<div class="lb-table-wrap">'), src
    assert tables > 10


def test_search_synonyms_reach_the_front_matter(pages: dict[str, str]) -> None:
    for ident, words in SEARCH_KEYWORDS.items():
        src = f"failure-modes/{ident}.md" if f"failure-modes/{ident}.md" in pages else f"roles/{ident}.md"
        front = pages[src].split("---", 2)[1]
        tags = re.search(r"^tags: (.*)$", front, re.M)
        assert tags, src
        for w in words:
            assert f'"{w}"' in tags.group(1), (src, w)
    role = pages["roles/it-operations.md"].split("---", 2)[1]
    assert '"IT operations"' in role  # a role page is found by its display name, a fork's too


def test_fork_readme_names_pdfs_after_their_checklist(tmp_path: Path) -> None:
    env_py = [sys.executable, "-c", "import sys; from launchbook.cli import main; sys.exit(main())"]
    proc = subprocess.run(
        [*env_py, "init", str(tmp_path / "acme"), "--name", "Acme Corp"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    readme = (tmp_path / "acme" / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        m = re.match(r"launchbook checklist (\S+) .*-o (\S+)\.pdf", line)
        if m:
            assert m.group(2).startswith(m.group(1)), line
    assert "kickoff.pdf" not in readme or "project-kickoff" in readme
    texts = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "acme").rglob("*.md"))
    assert "acme-corp-" not in texts
    tutorial = (ROOT / "docs" / "tutorials" / "fork.md").read_text(encoding="utf-8")
    assert "(`acme-...`)" in tutorial and "acme-corp-" not in tutorial


def test_start_here_links_the_fork_tutorial() -> None:
    text = (ROOT / "docs" / "start-here.md").read_text(encoding="utf-8")
    assert "](tutorials/fork.md)" in text
    assert "README's section on forks" not in text
