"""The link check's page reader, its findings, and its helper process.

:func:`launchbook.site.linkcheck.scan` reads pages with :class:`html.parser.HTMLParser`; what it
must find is written out here, a table of pages and the ids and links expected of each (not
compared with the running interpreter's parser, whose reading of malformed tags changes between
Python releases: only cases where every release and a browser agree are in the table). The
findings of :func:`check_site` are a table too. :class:`PageScans` must report what
:func:`check_site` reports, whether its helper process runs, cannot start, or dies during the build.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from launchbook.site.linkcheck import PageScans, check_site, scan

# page -> (ids, links): what the reader must find
READS: list[tuple[str, set[str], list[tuple[str, str, str]]]] = [
    ('<a href="plain">x</a>', set(), [("a", "href", "plain")]),
    ("<a href='single#frag'>x</a>", set(), [("a", "href", "single#frag")]),
    ("<a href=unquoted>x</a>", set(), [("a", "href", "unquoted")]),
    (
        '<A HREF="UPPER" ID="Up">x</A>',
        {"Up"},
        [("a", "href", "UPPER")],
    ),  # names lower case, values as written
    ('<img src="i.png" id=img1>', {"img1"}, [("img", "src", "i.png")]),
    ('<!-- <a href="in-comment"> --><a href="after-comment">', set(), [("a", "href", "after-comment")]),
    ('<!-- never closed <a href="hidden">', set(), []),
    (
        '<script>var s = \'<a href="in-script">\';</script><a href="after-script">',
        set(),
        [("a", "href", "after-script")],
    ),
    ('<script src="s.js"></script>', set(), [("script", "src", "s.js")]),
    ("<style>a[href='x'] { color: red }</style><a id=\"after-style\">", {"after-style"}, []),
    ("<SCRIPT>x = 1 < 2 && '<img src=no>'</SCRIPT >", set(), []),
    ('<div title="a > b" id="gt-in-value">', {"gt-in-value"}, []),
    ('<div title=\'<a href="in-value">\' id="q">', {"q"}, []),
    ('<meta name="description" id="meta-id"><meta name="x">', set(), []),  # a <meta> names no anchor
    ('<a href="a&amp;b&#x41;&#66;&lt;">entities</a>', set(), [("a", "href", "a&bAB<")]),
    ('<a href>no value</a><a href="">empty</a>', set(), [("a", "href", "")]),
    ('<a data-href="not-a-link" href="a-link" data-id="not-an-id">', set(), [("a", "href", "a-link")]),
    ('<a href = "spaced" >', set(), [("a", "href", "spaced")]),
    ('<a\nhref="newline"\nid="nl">', {"nl"}, [("a", "href", "newline")]),
    (
        '<a href="x"/><br/><img src="self-closing.png"/>',
        set(),
        [("a", "href", "x"), ("img", "src", "self-closing.png")],
    ),
    ("<!DOCTYPE html><?xml version='1.0'?>", set(), []),
    ('<svg><use href="#sym"/><symbol id="sym"></symbol></svg>', {"sym"}, [("use", "href", "#sym")]),
    ('<a name="old-anchor"></a>', {"old-anchor"}, []),
    ("text with < and > and <3 and a<b", set(), []),
    ('<a href="javascript:alert(1)">', set(), [("a", "href", "javascript:alert(1)")]),
    ("<iframe src=//cdn.example.org/x></iframe>", set(), [("iframe", "src", "//cdn.example.org/x")]),
    ('<a href="%7Euser/">escaped</a>', set(), [("a", "href", "%7Euser/")]),  # unquoted when resolved
    (
        '<nav><a href="../">up</a><a href="#top" id="top">top</a></nav>',
        {"top"},
        [("a", "href", "../"), ("a", "href", "#top")],
    ),
]


@pytest.mark.parametrize(("page", "ids", "links"), READS, ids=[p[:40] for p, _, _ in READS])
def test_scan_finds_the_expected_ids_and_links(
    page: str, ids: set[str], links: list[tuple[str, str, str]]
) -> None:
    assert scan(page) == (ids, links)


def test_scan_reads_a_page_in_order() -> None:
    page = "".join(p for p, _, _ in READS)
    got_ids, got_links = scan(page)
    # The unclosed comment above swallows everything after it, as a browser reads it.
    before = READS[: [p for p, _, _ in READS].index('<!-- never closed <a href="hidden">')]
    assert got_links == [link for _, _, links in before for link in links]
    assert got_ids == set().union(*(ids for _, ids, _ in before))


PATHOLOGICAL = [
    '<a //==a//a=ba="b"==a="b"\'==== "x ===/ ==a/ = x===aaa="b"a/a="b"a="b"' * 3,
    "<a " + "a=/" * 2000,
    "<a " + "a= " * 2000,
    "</" * 20000,
    "<a " * 20000,
    "<!x" * 20000,
    "<script " + "a=/" * 2000,
    "<a " * 200000,  # HTMLParser.close() on Python 3.11.7 takes quadratic time on this: hours
    '<a href="' * 100000,
    "<!--" + "<a " * 100000,
]


def test_scan_takes_linear_time_on_malformed_tags() -> None:
    """Each of these must finish at once (run in a child process, so a regression fails instead
    of hanging)."""
    code = (
        "import sys, json; from launchbook.site.linkcheck import scan\n"
        "for page in json.load(sys.stdin): scan(page)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(PATHOLOGICAL), text=True, timeout=20, check=False
    )
    assert proc.returncode == 0


# What check_site finds on a site of index.html (the page in the table), a/index.html (with the
# anchor "here"), a/file.txt and img.png.
FINDINGS: list[tuple[str, list[str]]] = [
    ('<a href="a/">ok</a><a href="a/#here">ok</a><a href="a/file.txt">ok</a><img src="img.png">', []),
    ('<a href="#top" id="top">self</a><a href="">self</a><a href="./">self</a>', []),
    ('<a href="b/">gone</a>', ["index.html: broken link b/"]),
    ('<a href="a/#nowhere">bad</a>', ["index.html: missing anchor a/#nowhere"]),
    ('<a href="#nowhere">bad</a>', ["index.html: missing anchor #nowhere"]),
    ('<a href="a/file.txt#x">a fragment of a file that is not a page</a>', []),
    ('<a href="../../etc/passwd">out</a>', ["index.html: link ../../etc/passwd leaves the site"]),
    ('<a href="/a/">root-relative</a><a href="a/index.html">file</a><a href="%61/">escaped</a>', []),
    ('<a href="https://example.org/">a link out is fine</a><a href="mailto:x@example.org">', []),
    (
        '<img src="https://cdn.example.org/x.png"><script src="//cdn.example.org/x.js"></script>',
        [
            "index.html: <img src> loads https://cdn.example.org/x.png from outside the site",
            "index.html: <script src> loads //cdn.example.org/x.js from outside the site",
        ],
    ),
    (
        '<link href="https://fonts.example.org/css"><iframe src="https://example.org/"></iframe>',
        [
            "index.html: <link href> loads https://fonts.example.org/css from outside the site",
            "index.html: <iframe src> loads https://example.org/ from outside the site",
        ],
    ),
    ('<a href="javascript:alert(1)">', ["index.html: <a href> has a javascript: URL"]),
    ('<!-- <a href="b/"> --><script>"<a href=b/>"</script>', []),  # nothing read there
]


@pytest.mark.parametrize(("page", "problems"), FINDINGS, ids=[p[:40] for p, _ in FINDINGS])
def test_check_site_findings(tmp_path: Path, page: str, problems: list[str]) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<h1 id="here">A</h1>', encoding="utf-8")
    (site / "a" / "file.txt").write_text("x", encoding="utf-8")
    (site / "img.png").write_bytes(b"png")
    (site / "index.html").write_text(page, encoding="utf-8")
    assert check_site(site) == problems


def _site(tmp_path: Path) -> Path:
    """Two pages: the home page has one broken link and one missing anchor."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<h1 id="here">A</h1><a href="../#top">home</a>')
    (site / "index.html").write_text(
        '<h1 id="top">Home</h1><a href="a/#here">ok</a><a href="b/">gone</a><a href="a/#nowhere">bad</a>'
    )
    return site


PROBLEMS = ["index.html: broken link b/", "index.html: missing anchor a/#nowhere"]


def _hand_over(scans: PageScans, site: Path) -> None:
    for page in ("index.html", "a/index.html"):
        scans.add(page, (site / page).read_text())


def test_page_scans_in_a_helper_process_report_what_check_site_reports(tmp_path: Path) -> None:
    site = _site(tmp_path)
    assert check_site(site) == PROBLEMS
    scans = PageScans()
    assert scans.background
    _hand_over(scans, site)
    assert scans.check(site) == PROBLEMS
    assert not scans.background  # the helper has exited


def test_page_scans_use_the_handed_over_html_not_the_file(tmp_path: Path) -> None:
    """What MkDocs rendered is what is checked; the file is only read for pages not handed over."""
    site = _site(tmp_path)
    for background in (True, False):
        scans = PageScans(background=background)
        scans.add("index.html", '<h1 id="top">Home</h1><a href="c/">other</a>')
        assert scans.check(site) == ["index.html: broken link c/"]


def test_page_scans_without_a_helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path)
    monkeypatch.setattr("sys.executable", str(tmp_path / "no-such-python"))
    scans = PageScans()
    assert not scans.background  # could not start: scans here
    _hand_over(scans, site)
    assert scans.check(site) == PROBLEMS


def test_page_scans_survive_the_helper_dying(tmp_path: Path) -> None:
    site = _site(tmp_path)
    scans = PageScans()
    scans.add("index.html", (site / "index.html").read_text())
    proc = scans._proc
    assert proc is not None
    proc.kill()
    proc.wait()
    scans.add("a/index.html", (site / "a" / "index.html").read_text())  # the pipe is broken: scanned here
    assert scans.check(site) == PROBLEMS  # index.html, lost with the helper, is read from disk


def test_closing_page_scans_stops_the_helper(tmp_path: Path) -> None:
    scans = PageScans()
    proc = scans._proc
    assert proc is not None
    scans.add("index.html", "<p>")
    scans.close()
    assert proc.returncode is not None and not scans.background
    scans.close()  # twice is harmless
