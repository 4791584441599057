"""The built site in a real headless browser (Debian chromium via Playwright).

Search ranking, links and anchors, console errors, requests that would leave
the site, the graph page, accessibility (axe-core, vendored under
tests/vendor/axe-core), horizontal overflow at desktop and phone widths,
screenshots (tests/artifacts/screenshots/, gitignored) and print styles.

The bundled site (``bundled_site``, built once per test run) is served over http.server on a
free localhost port. Browsers are never downloaded: Playwright drives
/usr/bin/chromium (``make sysdeps`` installs it).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import urlopen

import pytest

from .support import ROOT, BuiltSite

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("LAUNCHBOOK_CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.exists():  # pragma: no cover - depends on the machine
    pytest.skip(
        "the browser tests need Debian's chromium at /usr/bin/chromium (run `make sysdeps`)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
)

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
FAILURE_MODES = sorted(p.stem for p in (ROOT / "playbooks" / "failure-modes").glob("*.yml"))

# The pages the checks below visit: (name, path from the site root).
KEY_PAGES = [
    ("home", ""),
    ("failure-mode", "failure-modes/unmonitored-drift/"),
    ("role", "roles/executive-sponsor/"),
    ("graph", "graph/"),
    ("checklist", "checklists/project-kickoff/"),
]
WIDTHS = {"desktop": 1280, "phone": 390}


# ---------------------------------------------------------------- fixtures


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(bundled_site: BuiltSite) -> Path:
    return bundled_site.site


@pytest.fixture(scope="module")
def origin(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watch:
    """What a browser context did: requests, off-site attempts, console errors."""

    origin: str
    requests: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def new_context(browser: Any, origin: str, width: int = 1280, **kw: Any) -> tuple[Any, Watch]:
    ctx = browser.new_context(viewport={"width": width, "height": 900}, **kw)
    watch = Watch(origin)

    def route(r: Any) -> None:
        url = r.request.url
        watch.requests.append(url)
        if url.startswith(origin) or url.startswith(("data:", "blob:", "about:")):
            r.continue_()
        else:
            watch.offsite.append(url)
            r.abort()

    ctx.route("**/*", route)
    return ctx, watch


def open_page(ctx: Any, watch: Watch, path: str) -> Any:
    page = ctx.new_page()
    page.on("console", lambda m: watch.errors.append(f"{path}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.errors.append(f"{path}: {e}"))
    page.goto(watch.origin + path, wait_until="load")
    return page


@pytest.fixture
def ctx(browser: Any, origin: str) -> Iterator[tuple[Any, Watch]]:
    c, watch = new_context(browser, origin)
    try:
        yield c, watch
    finally:
        c.close()


# ---------------------------------------------------------------- search

# What a reader types, and the page that must come first. Chosen by reading the
# playbooks; the site is tuned (front-matter tags, search synonyms and page boosts) to rank them.
SEARCHES = {
    "drift": "failure-modes/unmonitored-drift/",
    "who owns deployment": "failure-modes/no-deployment-plan/",
    "executive sponsor": "failure-modes/no-executive-sponsor/",
    "data not available": "failure-modes/data-not-available/",
    "Gartner": "sources/",
    "hallucination": "failure-modes/llm-fabricated-output/",
    "fabricated": "failure-modes/llm-fabricated-output/",
    "reproducible": "failure-modes/not-reproducible/",
    "feature store": "failure-modes/batch-vs-online-mismatch/",
    "funding": "failure-modes/no-deployment-plan/",
    "kickoff": "checklists/project-kickoff/",
    "go/no-go": "checklists/go-no-go-production/",
    "ground truth": "failure-modes/no-ground-truth/",
    "silos": "failure-modes/data-silos/",
    "bias": "failure-modes/unchecked-bias/",
    "fairness": "failure-modes/unchecked-bias/",
    "maturity": "maturity/",
    "roadmap": "roadmap/",
    "ml engineer": "roles/ml-engineer/",
    "data scientist": "roles/data-scientist/",
    "product owner": "roles/product-owner/",
    "notebook": "failure-modes/notebook-to-production-gap/",
    "llm cost": "failure-modes/llm-cost-per-request/",
    "on-call": "failure-modes/no-owner-after-launch/",
    "monitoring": "failure-modes/unmonitored-drift/",
    "legal review": "failure-modes/late-legal-privacy-review/",
    "data quality": "failure-modes/poor-data-quality/",
    "post-launch review": "checklists/post-launch-review/",
    # Short, common words that Material matches as prefixes ("it*", "in*", "too*"): ranked by the
    # synonyms of launchbook.site.pages.SEARCH_KEYWORDS (issue 19).
    "scope too big": "failure-modes/hype-and-lost-interest/",
    "buy-in": "failure-modes/decision-makers-not-bought-in/",
    "IT operations": "roles/it-operations/",
}


@pytest.fixture(scope="module")
def search_page(browser: Any, origin: str) -> Iterator[Any]:
    c, watch = new_context(browser, origin)
    page = open_page(c, watch, "")
    yield page
    c.close()
    assert watch.offsite == []


def first_result(page: Any, origin: str, query: str) -> list[str]:
    """Type ``query`` into Material's search box; the result pages in order (paths from the site root).

    Predicates are functions (``() => ...``): Playwright evaluates a bare expression with eval,
    which the site's Content-Security-Policy forbids."""
    box = page.locator(".md-search__input")
    box.click()
    box.fill("")
    box.press("End")  # Material searches on keyup: clear, then wait for the empty state
    page.wait_for_function(
        "() => !/matching/.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    box.fill(query[:-1])
    box.press_sequentially(query[-1])  # one keyup with the whole query
    page.wait_for_function(
        "() => /matching/.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    hrefs: list[str] = page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)"
    )
    out = []
    for h in hrefs:
        assert h.startswith(origin), h
        out.append(urlsplit(h).path.lstrip("/"))
    return out


@pytest.mark.parametrize("query", list(SEARCHES))
def test_search_ranks_the_right_page_first(search_page: Any, origin: str, query: str) -> None:
    results = first_result(search_page, origin, query)
    assert results, f"no results for {query!r}"
    assert results[0] == SEARCHES[query], f"{query!r}: {results[:5]}"


# ---------------------------------------------------------------- links, console, requests


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in ("href", "src") and tag in ("a", "link", "script", "img", "iframe", "source"):
                self.links.append(value)


def test_every_internal_link_and_anchor_resolves(origin: str) -> None:
    """Crawl the served site from the home page: every page reachable, every anchor present."""
    pages: dict[str, _Links] = {}
    todo = [origin]
    pending: list[tuple[str, str]] = []  # (from page, absolute url)
    while todo:
        url = todo.pop()
        if url in pages:
            continue
        with urlopen(url, timeout=10) as resp:
            assert resp.status == 200, url
            body = resp.read().decode("utf-8")
        p = _Links()
        p.feed(body)
        pages[url] = p
        for link in p.links:
            target = urljoin(url, link)
            parts = urlsplit(target)
            if parts.scheme in ("mailto", "tel"):
                continue
            if not target.startswith(origin):
                assert parts.scheme in ("http", "https"), f"{url}: {link}"
                continue
            pending.append((url, target))
            base = target.split("#", 1)[0]
            if base.endswith("/") or base.endswith(".html"):
                todo.append(base)
    broken = []
    for page_url, target in pending:
        base, _, fragment = target.partition("#")
        if base in pages:
            if fragment and unquote(fragment) not in pages[base].ids:
                broken.append(f"{page_url}: missing anchor {target}")
            continue
        try:
            with urlopen(base, timeout=10) as resp:
                ok = resp.status == 200
        except OSError:
            ok = False
        if not ok:
            broken.append(f"{page_url}: broken link {target}")
    assert broken == []
    crawled = {urlsplit(u).path for u in pages}
    for fid in FAILURE_MODES:
        assert f"/failure-modes/{fid}/" in crawled, fid


@pytest.mark.parametrize(("name", "path"), KEY_PAGES)
def test_no_console_errors_and_nothing_leaves_the_site(ctx: tuple[Any, Watch], name: str, path: str) -> None:
    c, watch = ctx
    page = open_page(c, watch, path)
    page.wait_for_load_state("networkidle")
    assert watch.errors == []
    assert watch.offsite == []
    assert watch.requests and all(u.startswith(watch.origin) for u in watch.requests)


# ---------------------------------------------------------------- the graph page


def test_graph_renders_every_failure_mode_and_highlights_neighbours(ctx: tuple[Any, Watch]) -> None:
    c, watch = ctx
    page = open_page(c, watch, "graph/")
    nodes = page.locator("#lb-graph .lb-node")
    assert nodes.count() == len(FAILURE_MODES)
    ids = sorted(page.eval_on_selector_all("#lb-graph .lb-node", "els => els.map(e => e.dataset.id)"))
    assert ids == FAILURE_MODES
    node = page.locator('#lb-graph .lb-node[data-id="unmonitored-drift"] rect')
    node.hover()
    page.wait_for_selector("#lb-graph .lb-node.lb-hit")
    assert page.locator("#lb-graph .lb-node.lb-hit").count() == 1
    assert page.locator("#lb-graph .lb-node.lb-near").count() >= 1
    assert page.locator("#lb-graph .lb-edge.lb-near").count() >= 1
    page.mouse.move(1, 1)
    page.wait_for_function("() => !document.querySelector('#lb-graph .lb-hit')")
    # find by name
    page.fill("#lb-graph-filter", "drift")
    assert page.locator("#lb-graph .lb-node.lb-hit").count() >= 1
    assert watch.errors == []


# Per label of an SVG: its whole text, whether it is displayed, whether it lies inside its box, the
# rendered height of one line (px) and its box on the screen.
SVG_LABELS = """sel => [...document.querySelectorAll(sel)].map(n => {
  const t = n.querySelector('text'), r = n.querySelector('rect').getBoundingClientRect();
  const b = t.getBoundingClientRect(), lines = t.querySelectorAll('tspan').length || 1;
  return {id: n.dataset.id || '', text: [...t.querySelectorAll('tspan')].map(s => s.textContent).join(' '),
    shown: getComputedStyle(t).display !== 'none' && getComputedStyle(n).visibility !== 'hidden',
    inside: b.left >= r.left - 0.5 && b.right <= r.right + 0.5 && b.top >= r.top - 0.5 && b.bottom <= r.bottom + 0.5,
    line: b.height / lines, box: [b.left, b.top, b.right, b.bottom]};
})"""


def _overlaps(boxes: list[list[float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[:i])
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def test_graph_labels_every_failure_mode_whole_at_normal_zoom(ctx: tuple[Any, Watch]) -> None:
    """Issue 19: no hairball. At 1280 px, without hovering, every failure mode shows its whole title,
    legible (a line at least 11 px high), inside its own box, and no two labels overlap."""
    c, watch = ctx
    page = open_page(c, watch, "graph/")
    labels = page.evaluate(SVG_LABELS, "#lb-graph .lb-node")
    titles = {fid: _title(fid) for fid in FAILURE_MODES}
    assert sorted(label["id"] for label in labels) == FAILURE_MODES
    for label in labels:
        assert label["shown"] and label["inside"], label
        assert label["text"] == titles[label["id"]], label
        assert label["line"] >= 11, label
    assert _overlaps([label["box"] for label in labels]) == []
    assert watch.errors == []


def test_failure_mode_page_draws_its_neighbours_legibly(browser: Any, origin: str) -> None:
    for width in WIDTHS.values():
        c, watch = csp_context(browser, origin, width=width)
        try:
            page = open_page(c, watch, "failure-modes/unmonitored-drift/")
            labels = page.evaluate(SVG_LABELS, ".lb-neighbourhood .lb-node")
            assert len(labels) >= 3
            assert all(label["shown"] and label["inside"] and label["line"] >= 9 for label in labels), labels
            assert _overlaps([label["box"] for label in labels]) == []
            hrefs = page.eval_on_selector_all(
                ".lb-neighbourhood a", "els => els.map(e => e.getAttribute('href'))"
            )
            assert hrefs and all(h.startswith("../") for h in hrefs)
            assert violations(page) == [] and watch.errors == []
        finally:
            c.close()


def _title(fid: str) -> str:
    """The failure mode's title as every page shows it: role references as the roles' names."""
    import yaml

    from launchbook.text import substitute_roles

    data = yaml.safe_load((ROOT / "playbooks" / "failure-modes" / f"{fid}.yml").read_text(encoding="utf-8"))
    roles = yaml.safe_load((ROOT / "playbooks" / "roles.yml").read_text(encoding="utf-8"))["roles"]
    return substitute_roles(str(data["title"]), {r["id"]: r["name"] for r in roles})


# ---------------------------------------------------------------- accessibility


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("name", "path"), KEY_PAGES[:4])
def test_axe_finds_no_serious_violations(
    browser: Any, origin: str, name: str, path: str, scheme: str
) -> None:
    c, watch = new_context(browser, origin, color_scheme=scheme)
    try:
        page = open_page(c, watch, path)
        page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script> tag: the page's CSP allows none
        result = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}))"
        )
    finally:
        c.close()
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert bad == [], json.dumps(bad, indent=1)


# ---------------------------------------------------------------- layout and screenshots


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_horizontal_scroll_and_screenshots(browser: Any, origin: str, width: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    overflow = []
    for scheme in ("light", "dark"):
        c, watch = new_context(browser, origin, WIDTHS[width], color_scheme=scheme)
        try:
            for name, path in KEY_PAGES[:4]:
                page = open_page(c, watch, path)
                sw, iw = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                if sw > iw:
                    overflow.append(f"{name} at {WIDTHS[width]}px ({scheme}): scrollWidth {sw} > {iw}")
                # light: the page's top 3000 px (full width); dark: what the first screen shows
                height = (
                    min(3000, page.evaluate("document.documentElement.scrollHeight"))
                    if scheme == "light"
                    else 900
                )
                page.screenshot(
                    path=str(SHOTS / f"{name}-{width}-{scheme}.png"),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": WIDTHS[width], "height": height},
                )
                page.close()
        finally:
            c.close()
    assert overflow == []


# ---------------------------------------------------------------- print


def test_print_hides_header_and_sidebars(ctx: tuple[Any, Watch]) -> None:
    c, watch = ctx
    page = open_page(c, watch, "failure-modes/unmonitored-drift/")
    assert page.locator(".md-header").is_visible()
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        shown = page.eval_on_selector_all(
            selector, "els => els.filter(e => getComputedStyle(e).display !== 'none')"
        )
        assert shown == [], selector
    assert page.locator("article h1").is_visible()
    assert page.locator(".lb-remediations").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")


# ---------------------------------------------------------------- Content-Security-Policy

# Every page carries a CSP (launchbook.site.inert): only the site's own files, and of inline
# scripts only the theme's, by hash. These pages must work under it without one violation.
CSP_PAGES = [
    *KEY_PAGES,
    ("assess", "assess/"),
    ("maturity", "maturity/"),
    ("sources", "sources/"),
    ("not-found", "404.html"),
    ("print", "checklists/project-kickoff-print.html"),
]
RECORD_VIOLATIONS = (
    "window.__lbCsp = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__lbCsp.push("
    "e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));"
)


def csp_context(browser: Any, origin: str, **kw: Any) -> tuple[Any, Watch]:
    c, watch = new_context(browser, origin, **kw)
    c.add_init_script(RECORD_VIOLATIONS)
    return c, watch


def violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate("window.__lbCsp")
    return found


def test_every_html_file_carries_a_csp_before_any_script(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 70
    for f in pages:
        text = f.read_text(encoding="utf-8")
        m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
        assert m, f
        assert "<script" not in text[: m.start()], f
        policy = m.group(1)
        assert "'unsafe-inline'" not in policy.split("style-src")[0], f"{f}: scripts must be hashed"
        assert "'unsafe-eval'" not in policy, f


@pytest.mark.parametrize(("name", "path"), CSP_PAGES)
def test_no_csp_violation_on_any_page(browser: Any, origin: str, name: str, path: str) -> None:
    c, watch = csp_context(browser, origin)
    try:
        page = open_page(c, watch, path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == []
        assert watch.errors == []
    finally:
        c.close()


def test_search_works_under_the_csp(browser: Any, origin: str) -> None:
    c, watch = csp_context(browser, origin)
    try:
        page = open_page(c, watch, "")
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
        assert first_result(page, origin, "drift")[0] == SEARCHES["drift"]
        assert violations(page) == [] and watch.errors == []
    finally:
        c.close()


def test_palette_toggle_works_and_persists_under_the_csp(browser: Any, origin: str) -> None:
    """The toggle (Material's bundle) switches the scheme; after a reload the theme's inline palette
    script (allowed by its hash) restores it before the page paints."""
    c, watch = csp_context(browser, origin, color_scheme="light")
    try:
        page = open_page(c, watch, "roles/executive-sponsor/")
        scheme = "document.body.getAttribute('data-md-color-scheme')"
        assert page.evaluate(scheme) == "default"
        page.locator('label[for="__palette_1"]').click()
        page.wait_for_function(f"() => {scheme} === 'slate'")
        page.reload(wait_until="load")
        assert page.evaluate(scheme) == "slate"
        assert violations(page) == [] and watch.errors == []
    finally:
        c.close()


def test_graph_and_assess_work_under_the_csp(browser: Any, origin: str) -> None:
    c, watch = csp_context(browser, origin)
    try:
        page = open_page(c, watch, "graph/")
        assert page.locator("#lb-graph .lb-node").count() == len(FAILURE_MODES)
        assert violations(page) == []
        page = open_page(c, watch, "assess/")
        qid = page.eval_on_selector("#lb-assess-form fieldset.lb-q", "e => e.id.slice(3)")
        page.check(f"#q-{qid}-yes")
        page.wait_for_function(
            "() => /1 of \\d+ answered/.test(document.getElementById('lb-assess-result').textContent)"
        )
        # its styles come from launchbook.css now: the fieldset has the assess border
        assert page.eval_on_selector(".lb-q", "e => getComputedStyle(e).borderTopStyle") == "solid"
        assert violations(page) == [] and watch.errors == []
    finally:
        c.close()


INJECTED = (
    '<img src="x" onerror="window.__pwned = 1">'
    "<script>window.__pwned = 2</script>"
    '<a id="lb-js" href="javascript:window.__pwned = 3">click</a>'
    '<svg><a><animate attributeName="href" values="javascript:window.__pwned = 4"/><text y="20">x</text></a></svg>'
)


def test_a_handler_injected_after_the_build_does_not_run(site: Path, browser: Any, origin: str) -> None:
    """Were the gate bypassed, the policy still stops the script: a handler, an inline script and a
    javascript: link put into a built page do not run, and each is reported as a violation."""
    home = (site / "index.html").read_text(encoding="utf-8")
    (site / "injected.html").write_text(
        home.replace("</article>", INJECTED + "</article>", 1), encoding="utf-8"
    )
    c, watch = csp_context(browser, origin)
    try:
        page = open_page(c, watch, "injected.html")
        page.wait_for_load_state("networkidle")
        page.locator("#lb-js").click()
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned") is None
        found = " ".join(violations(page))
        assert "script-src-attr" in found and "script-src-elem" in found, found
        # the page itself still works: Material's bundle ran
        assert page.evaluate("document.documentElement.classList.contains('js')")
    finally:
        c.close()
        (site / "injected.html").unlink()


# ---------------------------------------------------------------- the assess page's import


def test_assess_import_applies_the_clis_limits(browser: Any, origin: str, tmp_path: Path) -> None:
    c, watch = csp_context(browser, origin)
    try:
        page = open_page(c, watch, "assess/")
        page.click("#lb-assess-export")
        exported = page.input_value("#lb-assess-yaml")
        qid = re.search(r"- id: (\S+)", exported)
        assert qid
        status = page.locator("#lb-assess-status")

        def paste(text: str) -> str:
            page.fill("#lb-assess-yaml", text)
            page.click("#lb-assess-import")
            return str(status.text_content())

        answered = exported.replace("    answer:\n", "    answer: yes\n", 1)
        assert paste(answered).startswith("Imported 1 answers")
        too_long = answered.replace("    note:\n", "    note: " + "x" * 2001 + "\n", 1)
        assert "'note' is longer than 2000 characters" in paste(too_long)
        assert "not a valid date" in paste(answered.replace("date: ", "date: 2024-13-45 #", 1))
        assert "unknown checklist" in paste(answered.replace("answers:\n", "checklist: nope\nanswers:\n", 1))
        assert "control character U+0007" in paste(
            answered.replace("    note:\n", '    note: "\\u0007"\n', 1)
        )
        # files: the size limit before reading, UTF-8 strictly
        big = tmp_path / "big.yml"
        big.write_bytes(answered.encode() + b"#" * (1 << 20))
        page.set_input_files("#lb-assess-file", str(big))
        page.wait_for_function(
            "() => /over the 1 MiB limit/.test(document.getElementById('lb-assess-status').textContent)"
        )
        latin1 = tmp_path / "latin1.yml"
        latin1.write_bytes(answered.replace("    note:\n", "    note: caf\xe9\n", 1).encode("latin-1"))
        page.set_input_files("#lb-assess-file", str(latin1))
        page.wait_for_function(
            "() => /not valid UTF-8/.test(document.getElementById('lb-assess-status').textContent)"
        )
        good = tmp_path / "good.yml"
        good.write_text(answered, encoding="utf-8")
        page.set_input_files("#lb-assess-file", str(good))
        page.wait_for_function(
            "() => /^Imported 1 answers/.test(document.getElementById('lb-assess-status').textContent)"
        )
        # a refused import changed nothing: the one answer imported is still the one checked
        assert page.is_checked(f"#q-{qid.group(1)}-yes")
        assert violations(page) == [] and watch.errors == []
    finally:
        c.close()


# ---------------------------------------------------------------- the assess page at phone and desktop widths

EXAMPLES = ROOT / "docs" / "examples" / "assessment"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_assess_page_fits_is_axe_clean_and_compares_files(browser: Any, origin: str, width: str) -> None:
    """Issue 17: at 390 px the page scrolled sideways (680 px wide) and axe reported
    scrollable-region-focusable twice. Answered, and with three files compared, the page stays within
    the viewport, its wide tables scroll in focusable, labelled regions, axe finds nothing serious,
    nothing breaks the CSP, and the files are shown oldest first by their date."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    c, watch = csp_context(browser, origin, width=WIDTHS[width])
    try:
        page = open_page(c, watch, "assess/")
        ids = page.eval_on_selector_all("#lb-assess-form fieldset.lb-q", "es => es.map(e => e.id.slice(3))")
        for i, q in enumerate(ids[:30]):
            page.check(f"#q-{q}-" + ("yes", "partial", "no")[i % 3])
        files = [
            EXAMPLES / "teams" / "search-ranking.yml",  # 2025-06-27
            EXAMPLES / "quarters" / "fraud-detection-2025-q2.yml",  # 2025-06-30
            EXAMPLES / "quarters" / "fraud-detection-2025-q1.yml",  # 2025-03-31
        ]
        page.set_input_files("#lb-assess-files", [str(f) for f in files])
        page.wait_for_function("() => document.querySelector('#lb-assess-trend table')")
        heads = page.eval_on_selector_all("#lb-assess-trend thead th", "es => es.map(e => e.textContent)")
        assert heads == ["Section", "2025-03-31", "2025-06-27", "2025-06-30", "2025-03-31 → 2025-06-30"]
        assert page.locator("#lb-assess-trend svg.lb-trend-chart polyline").count() == 1
        assert "answer(s) changed from 2025-03-31 to 2025-06-30" in str(page.text_content("#lb-assess-trend"))

        sw, iw = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert sw <= iw, f"the assess page scrolls sideways at {iw}px: {sw}px wide"
        regions = page.eval_on_selector_all(
            ".lb-assess .lb-scroll",
            "es => es.map(e => [e.getAttribute('tabindex'), e.getAttribute('role'), e.getAttribute('aria-label')])",
        )
        assert len(regions) >= 4  # by category, by phase, the trend table and its chart
        assert all(t == "0" and r == "region" and label for t, r, label in regions), regions
        # every table of the results sits in such a region
        assert page.evaluate(
            "() => [...document.querySelectorAll('.lb-assess table')].every(t => t.parentElement.classList.contains('lb-scroll'))"
        )
        # the keyboard reaches a region from the file input
        page.focus("#lb-assess-files")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.classList.contains('lb-scroll')")

        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"
        )
        assert [v for v in result if v["impact"] in ("serious", "critical")] == [], json.dumps(
            result, indent=1
        )
        page.screenshot(path=str(SHOTS / f"assess-{width}.png"), full_page=True)
        page.locator(".lb-assess-compare").screenshot(path=str(SHOTS / f"assess-compare-{width}.png"))
        assert violations(page) == [] and watch.errors == [] and watch.offsite == []
    finally:
        c.close()


# ---------------------------------------------------------------- a checklist page run as a meeting


def test_a_meeting_run_on_a_checklist_page_exports_minutes_and_answers_assess_reads(
    browser: Any, origin: str, tmp_path: Path
) -> None:
    """Keyboard only: tick, answer Yes / No / N/A, decide, record an action; the state survives a
    reload (local storage); "Export minutes" downloads Markdown minutes and an answers file that
    `launchbook assess` scores with exit 0; axe finds nothing serious; "Clear" forgets it all."""
    c, watch = csp_context(browser, origin, accept_downloads=True)
    try:
        page = open_page(c, watch, "checklists/go-no-go-production/")
        keys = page.eval_on_selector_all("#lb-m-items li", "es => es.map(e => e.dataset.key)")
        questions = [k for k in keys if k.startswith("q-")]
        assert len(questions) > 3 and any(k.startswith("r-") for k in keys)
        blocking = page.eval_on_selector_all(
            "#lb-m-items li.lb-m-blocking", "es => es.map(e => e.querySelector('label').textContent)"
        )
        assert blocking and all(t.startswith("Blocking ") for t in blocking)
        first, second, third, *rest = questions
        # tick the first item: a tick is a confident yes
        page.focus(f"#tick-{first}")
        page.keyboard.press("Space")
        assert page.is_checked(f"#answer-{first}-1")
        # the second: No (arrow keys move within the Yes / No / N/A group)
        page.focus(f"#answer-{second}-1")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")
        assert page.is_checked(f"#answer-{second}-2") and not page.is_checked(f"#tick-{second}")
        # the third: N/A with its note, typed after a Tab
        page.focus(f"#answer-{third}-3")
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.type("no fairness-relevant groups in this pilot")
        assert page.input_value(f"#note-{third}") == "no fairness-relevant groups in this pilot"
        for k in rest:
            page.focus(f"#answer-{k}-1")
            page.keyboard.press("Space")
        page.focus("#decision-2")
        page.keyboard.press("Space")
        page.focus("#lb-m-conditions")
        page.keyboard.type("fix the runbook by Friday")
        page.focus("#action-1-what")
        page.keyboard.type("Write the runbook")
        page.keyboard.press("Tab")
        page.keyboard.type("IT operations")
        page.fill("#action-1-due", "2030-07-01")
        page.focus("#lb-m-recorder")
        page.keyboard.type("Ada")
        page.fill("#lb-m-date", "2030-06-28")
        page.dispatch_event("#lb-m-date", "change")
        # the meeting survives a reload
        page.reload(wait_until="load")
        assert page.is_checked(f"#tick-{first}") and page.is_checked(f"#answer-{second}-2")
        assert page.input_value("#action-1-owner") == "IT operations"
        assert page.is_checked("#decision-2")
        # accessible with what was entered
        page.evaluate(AXE.read_text(encoding="utf-8"))
        found = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
        )
        assert [v for v in found if v["impact"] in ("serious", "critical")] == [], found
        # export: both files download from the one button, keyboard-pressed
        downloads: list[Any] = []
        page.on("download", lambda d: downloads.append(d))
        page.focus("#lb-m-export")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelectorAll('#lb-m-status a').length === 2")
        for _ in range(50):
            if len(downloads) == 2:
                break
            page.wait_for_timeout(100)
        names = sorted(d.suggested_filename for d in downloads)
        assert names == [
            "go-no-go-production-2030-06-28-answers.yml",
            "go-no-go-production-2030-06-28-minutes.md",
        ]
        for d in downloads:
            d.save_as(tmp_path / d.suggested_filename)
        minutes = (tmp_path / names[1]).read_text(encoding="utf-8")
        assert (
            "**Go with conditions**" in minutes
            and "| Write the runbook | IT operations | 2030-07-01 |" in minutes
        )
        assert "**Recorded by:** Ada" in minutes and "**Blocking:**" in minutes and "Answer: N/A" in minutes
        assert "| Name | Role | Signature | Date |" in minutes
        answers = tmp_path / names[0]
        proc = subprocess.run(
            [sys.executable, "-c", "import sys; from launchbook.cli import main; sys.exit(main())",
             "assess", str(answers), "--format", "json"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "checklist: go-no-go-production" in answers.read_text(encoding="utf-8")
        # clear: confirmed, everything is forgotten, in the page and in the browser
        page.once("dialog", lambda dlg: dlg.accept())
        page.click("#lb-m-clear")
        assert not page.is_checked(f"#tick-{first}") and page.input_value("#lb-m-recorder") == ""
        assert page.evaluate("localStorage.getItem('launchbook-meeting:go-no-go-production')") is None
        assert violations(page) == [] and watch.errors == [] and watch.offsite == []
    finally:
        c.close()
