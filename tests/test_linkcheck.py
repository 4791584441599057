"""The link check's page reader and its helper process.

:func:`launchbook.site.linkcheck.scan` reads pages with a regular expression for speed; Python's
own :class:`html.parser.HTMLParser` is the reference here, and both must find the same ids and
links in a hostile corpus (``<![CDATA[`` left out: the scan reads it as browsers do, a bogus
comment to the first ``>``, Python 3.11's parser to ``]]>``), in generated HTML, and where the
parser gives up on a malformed tag, it stops reading there too and (``test_site_build.py``) on every page of the
real site. :class:`PageScans` must report what :func:`check_site` reports, whether its helper
process runs, cannot start, or dies during the build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from launchbook.site.linkcheck import PageScans, check_site, scan

from .support.htmlref import reference_read, reference_scan

HOSTILE = [
    '<a href="plain">x</a>',
    "<a href='single#frag'>x</a>",
    "<a href=unquoted>x</a>",
    '<A HREF="UPPER" ID="Up">x</A>',
    '<img src="i.png" id=img1>',
    '<!-- <a href="in-comment"> --><a href="after-comment">',
    '<!-- never closed <a href="hidden">',
    '<script>var s = \'<a href="in-script">\';</script><a href="after-script">',
    '<script src="s.js"></script>',
    "<style>a[href='x'] { color: red }</style><a id=\"after-style\">",
    "<SCRIPT>x = 1 < 2 && '<img src=no>'</SCRIPT >",
    '<div title="a > b" id="gt-in-value">',
    '<div title=\'<a href="in-value">\' id="q">',
    '<meta name="description" id="meta-id"><meta name="x">',
    '<a href="a&amp;b&#x41;&#66;&lt;">entities</a>',
    '<p id="dup" id="dup2">',
    '<a href>no value</a><a href="">empty</a>',
    '<a data-href="not-a-link" href="a-link" data-id="not-an-id">',
    '<a href = "spaced" >',
    '<a\nhref="newline"\nid="nl">',
    '<a href==="equals">',
    '<a href="x"/><br/><img src="self-closing.png"/>',
    "<!DOCTYPE html><?xml version='1.0'?>",
    '<svg><use href="#sym"/><symbol id="sym"></symbol></svg>',
    '<a name="old-anchor"></a>',
    "text with < and > and <3 and a<b",
    '<a href="javascript:alert(1)">',
    "<iframe src=//cdn.example.org/x></iframe>",
    '<a href="%7Euser/">escaped</a>',
]


@pytest.mark.parametrize("page", HOSTILE)
def test_scan_agrees_with_html_parser(page: str) -> None:
    assert scan(page) == reference_scan(page)


def test_scan_reads_what_matters() -> None:
    ids: set[str] = set()
    links: list[tuple[str, str, str]] = []
    for page in HOSTILE:
        got = scan(page)
        ids |= got[0]
        links += got[1]
    assert {"Up", "img1", "gt-in-value", "q", "dup", "sym", "old-anchor", "nl"} <= ids
    assert "meta-id" not in ids and "not-an-id" not in ids
    urls = [u for _, _, u in links]
    assert "in-comment" not in urls and "in-script" not in urls and "in-value" not in urls
    assert ("a", "href", "a&bAB<") in links and ("a", "href", "UPPER") in links


FRAGMENTS = st.sampled_from(
    [
        *HOSTILE,
        "<",
        ">",
        '"',
        "'",
        "=",
        " ",
        "\n",
        "/",
        "<a ",
        "href=",
        "id=",
        "</a>",
        "</script>",
        "<script>",
        "<style>",
        "</style>",
        "<!--",
        "-->",
        "<!",
        "&amp;",
        "&",
        "text",
        '<div class="c">',
        "</div title=\"<b id='e'>\">",
        '<a href="x',
        "<a b='c>",
        "<a\tid=t>",
        "<a/id=s>",
        "<img src=x/>",
        "</>",
        "</ a>",
        "<a id= >",
        "<script/src=b>",
        "<scriptx src=a>",
        '<a href="&#0;&notanentity;&amp">',
        "\x00",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(FRAGMENTS, max_size=12).map("".join))
def test_scan_agrees_with_html_parser_on_generated_html(page: str) -> None:
    assert scan(page) == reference_scan(page)


def test_scan_stops_where_html_parser_stops() -> None:
    """A start tag HTMLParser cannot end (here an unclosed quote) ends its reading of the page."""
    page = "<a id=before><a href=\"x<a href='#frag'>x</a><a href=later>"
    assert reference_read(page) == (({"before"}, []), False)
    assert scan(page) == ({"before"}, [])


PATHOLOGICAL = [
    '<a //==a//a=ba="b"==a="b"\'==== "x ===/ ==a/ = x===aaa="b"a/a="b"a="b"' * 3,
    "<a " + "a=/" * 2000,
    "<a " + "a= " * 2000,
    "</" * 20000,
    "<a " * 20000,
    "<!x" * 20000,
    "<script " + "a=/" * 2000,
]


def test_scan_takes_linear_time_on_malformed_tags() -> None:
    """Backtracking into a tag's attributes once made one malformed tag take hours; each of these
    must finish at once (run in a child process, so a regression fails instead of hanging)."""
    code = (
        "import sys, json; from launchbook.site.linkcheck import scan\n"
        "for page in json.load(sys.stdin): scan(page)\n"
    )
    import json
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(PATHOLOGICAL), text=True, timeout=20, check=False
    )
    assert proc.returncode == 0
    for page in PATHOLOGICAL[1:]:
        assert scan(page) == reference_scan(page)


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
