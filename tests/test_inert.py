"""The inertness gate (:mod:`launchbook.site.inert`) and the Content-Security-Policy every page carries.

The gate reads every page of a built site and refuses anything that could run script or load a
document: a hostile corpus of elements (each refused, naming the page, line and element), the
theme's own scripts (allowed), ``launchbook build`` failing with the previous site kept, and
``launchbook generate``'s output built by plain ``mkdocs build``: clean for the bundled
playbooks, refused with a hand-written hostile page.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from launchbook.cli import main
from launchbook.site.inert import (
    add_csp,
    check_page,
    check_site,
    content_security_policy,
    csp_hash,
    default_allowed,
    theme_inline_patterns,
    theme_inline_scripts,
)
from launchbook.site.linkcheck import PageScans

from .support import LAUNCHBOOK, MINIMAL, ROOT

# ---------------------------------------------------------------- one page

BUNDLE = next(
    s for s in default_allowed().scripts if re.fullmatch(r"assets/javascripts/bundle\.\w+\.min\.js", s)
)

# (name, HTML): each must be refused.
HOSTILE = [
    ("attr_list handler on a heading", '<h1 id="x" tabindex="0" autofocus onfocus="alert(1)">Owner</h1>'),
    ("img onerror", "<img src=x onerror=alert(1)>"),
    ("upper-case handler", "<IMG SRC=x ONERROR=alert(1)>"),
    ("slash-separated attributes", "<img/src/onerror=alert(1)>"),
    ("handler after a quoted value without space", '<img src="x"onerror="alert(1)">'),
    ("handler on svg", "<svg onload=alert(1)></svg>"),
    ("handler on body", "<body onpageshow=alert(1)>"),
    ("handler with no value", "<details open ontoggle>"),
    ("handler in a comment a browser ends early", "<!-- --!><img src=x onerror=alert(1)> -->"),
    ("handler inside svg style", "<svg><style><img src=x onerror=alert(1)></style></svg>"),
    (
        "handler inside noscript",
        "<noscript><p title='</noscript><img src=x onerror=alert(1)>'></p></noscript>",
    ),
    ("handler inside textarea", "<textarea><img src=x onerror=alert(1)></textarea>"),
    ("javascript: href", '<a href="javascript:alert(1)">x</a>'),
    ("mixed case scheme", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    ("scheme with a tab reference", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("scheme with a newline", '<a href="java\nscript:alert(1)">x</a>'),
    ("scheme as a decimal reference without semicolon", '<a href="&#106avascript:alert(1)">x</a>'),
    ("scheme after leading control characters", '<a href="&#1; javascript:alert(1)">x</a>'),
    ("named reference colon", '<a href="javascript&colon;alert(1)">x</a>'),
    ("vbscript:", '<a href="vbscript:msgbox(1)">x</a>'),
    ("data: href", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("data: image", '<img src="data:image/svg+xml,<svg onload=alert(1)>">'),
    ("srcset data:", '<img srcset="a.png 1x, data:image/png;base64,AA 2x">'),
    ("form action", '<form action="javascript:alert(1)"><input></form>'),
    ("button formaction", '<button formaction="javascript:alert(1)">x</button>'),
    ("xlink:href", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    ("svg use data:", '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>'),
    (
        "svg animate sets href",
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/></a></svg>',
    ),
    ("svg set to", '<svg><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>'),
    ("video poster", '<video poster="javascript:alert(1)"></video>'),
    ("table background", '<table background="javascript:alert(1)"></table>'),
    ("blockquote cite", '<blockquote cite="javascript:alert(1)">x</blockquote>'),
    ("srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("srcdoc alone", '<div srcdoc="x"></div>'),
    ("iframe", '<iframe src="../index.html"></iframe>'),
    ("frame", '<frameset><frame src="a.html"></frameset>'),
    ("object", '<object data="x.swf"></object>'),
    ("embed", '<embed src="x.swf">'),
    ("applet", '<applet code="X.class"></applet>'),
    ("base", '<base href="https://example.org/">'),
    ("meta refresh", '<meta http-equiv="refresh" content="0; url=javascript:alert(1)">'),
    ("inline script", "<script>alert(1)</script>"),
    ("inline module script", "<script type=module>alert(1)</script>"),
    ("inline script with a JS type", '<script type="text/javascript">alert(1)</script>'),
    ("a theme script with code appended", "<script>var target=1;alert(1)</script>"),
    ("remote script", '<script src="https://example.org/x.js"></script>'),
    ("protocol-relative script", '<script src="//example.org/x.js"></script>'),
    ("local script that is not ours", '<script src="../assets/evil.js"></script>'),
    ("script outside the site", '<script src="../../../evil.js"></script>'),
    ("data: script", '<script src="data:text/javascript,alert(1)"></script>'),
    ("svg script href", '<svg><script href="x.js"></script></svg>'),
    ("svg script xlink:href", '<svg><script xlink:href="x.js"></script></svg>'),
    ("script tag with a later end", "<script>var x=1</scriptx>alert(1)</script>"),
    ("script with an escape state", "<script><!--<script>alert(1)</script>--></script>"),
    ("unclosed inline script", "<p>x</p><script>alert(1)"),
    ("math href", '<math href="javascript:alert(1)"><mi>x</mi></math>'),
]

CLEAN = [
    '<a href="../roles/x/">x</a> <a href="https://example.org/paper">paper</a> <a href="mailto:a@b.c">m</a>',
    '<p title="turn on=1" class="online">on= is text</p> <code>&lt;img onerror=x&gt;</code>',
    '<script id="__config" type="application/json">{"base": ".."}</script>',
    '<script type="application/json" id="lb-assess-data">{"a":"\\u003cb\\u003e"}</script>',
    f'<script src="../../{BUNDLE}"></script>',
    '<script src="../../assets/launchbook/launchbook-graph.js"></script>',
    '<script src="../../assets/launchbook/assess.js?v=1" defer></script>',
    '<script src="/assets/launchbook/assess.js"></script>',
    '<img src="../assets/images/favicon.png" alt="">',
    "<p>data: a heading, javascript: the language</p>",
]


@pytest.mark.parametrize(("name", "html"), HOSTILE, ids=[n for n, _ in HOSTILE])
def test_hostile_element_is_refused(name: str, html: str) -> None:
    page = "<!doctype html>\n<html><head></head><body>\n<p>before</p>\n" + html + "\n</body></html>"
    problems = check_page(page, "roles/x/index.html")
    assert problems, name
    assert all(p.startswith("roles/x/index.html:4: <") for p in problems), problems


def test_corpus_is_large() -> None:
    assert len(HOSTILE) >= 50


@pytest.mark.parametrize("html", CLEAN)
def test_the_sites_own_content_passes(html: str) -> None:
    assert check_page(f"<html><body>{html}</body></html>", "roles/x/index.html") == []


def test_problem_names_page_line_and_element() -> None:
    page = '<p>a</p>\n<h1 id="po" onfocus="alert(1)">Product owner</h1>'
    assert check_page(page, "roles/po/index.html") == [
        'roles/po/index.html:2: <h1 id="po" onfocus="alert(1)">: an event-handler attribute (onfocus) runs script'
    ]


def test_control_characters_in_the_shown_element_are_escaped() -> None:
    [problem] = check_page("<img src=x\x1b[31m onerror=x>", "a.html")
    assert "\x1b" not in problem and "\\x1b" in problem


def _material_page() -> str:
    head_script = (
        '__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
        '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
        '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'
    )
    return (
        '<!doctype html>\n<html><head>\n<meta charset="utf-8">\n<title>t</title>\n'
        f"<script>{head_script}</script></head><body><script>alert(1)</script></body></html>"
    )


MALFORMED = [
    '<a //==a//a=ba="b"==a="b"\'==== "x ===/ ==a/ = x===aaa="b"a/a="b"a="b"' * 3,
    "<a " + "a=/" * 2000,
    "<a " + "a= " * 2000,
    "<a " * 100000,
    '<a href="' * 50000,
    "<script " + "a=/" * 2000,
    "<script>" * 50000,
    "<script>" * 50000 + "</script>",  # each body runs to the one end
    "<script><!--" * 50000 + "</script>",
]


def test_the_gate_takes_linear_time_on_malformed_tags() -> None:
    """The gate reads every "<" and letter as a tag with html.parser's attribute pattern, made
    atomic: without that, one malformed tag took exponential time. Each page must finish at once
    (in a child process, so a regression fails instead of hanging)."""
    code = (
        "import sys, json; from launchbook.site.inert import check_page\n"
        "for page in json.load(sys.stdin): check_page(page, 'index.html')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(MALFORMED), text=True, timeout=30, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_a_page_of_tags_that_never_end_is_refused_not_read_for_hours() -> None:
    """``<a <a <a ...`` with no ``>``: every tag's attributes run to the end of the page, so reading
    each would take quadratic time; past a budget the gate refuses the page instead."""
    problems = check_page("<p>ok</p>" + "<a " * 100000, "hostile/index.html")
    assert len(problems) == 1 and "cannot be read in bounded time" in problems[0]
    assert problems[0].startswith("hostile/index.html:1: <a <a <a")
    assert check_page("<a onclick=x>\n" * 20000, "x.html")[-1].startswith("x.html:20000: <a onclick=x>")


def test_theme_inline_scripts_are_recognised_by_their_template() -> None:
    assert len(theme_inline_patterns()) >= 5  # Material's partials/javascripts: base, palette, content, ...
    page = _material_page()
    for base in ("..", "../..", ".", "/", "https://example.org/docs/"):  # the URL in the literal varies
        assert len(theme_inline_scripts(page.replace('"../.."', f'"{base}"'))) == 1, base
        assert (
            check_page(page.replace('"../.."', f'"{base}"').replace("<script>alert(1)</script>", ""), "a")
            == []
        )
    for bad in ('"+alert(1)+"', '\\"', "x\ny", "<img src=x onerror=alert(1)>"):  # nothing else may
        changed = page.replace('"../.."', f'"{bad}"')
        assert theme_inline_scripts(changed) == [], bad
        assert check_page(changed, "a"), bad


def test_unknown_theme_partials_leave_no_wildcards() -> None:
    """A template expression is allowed only inside a string literal, as URL characters."""
    for p in theme_inline_patterns():
        assert ".*" not in p.pattern and "[^" not in p.pattern


# ---------------------------------------------------------------- Content-Security-Policy


def test_csp_hashes_only_the_themes_inline_scripts() -> None:
    page = _material_page()
    [theme] = theme_inline_scripts(page)
    policy = content_security_policy(page)
    assert csp_hash(theme) in policy
    assert csp_hash("alert(1)") not in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"):
        assert directive in policy


def test_csp_is_the_first_thing_after_the_charset() -> None:
    out = add_csp(_material_page())
    assert re.search(
        r'<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="[^"]+">', out
    )
    assert out.index("Content-Security-Policy") < out.index("<script")
    assert add_csp("no head here") == "no head here"


# ---------------------------------------------------------------- whole sites


def test_page_scans_report_the_gate_with_or_without_a_helper(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<h1 id="top">Home</h1><a href="a/">a</a>')
    (site / "a" / "index.html").write_text("<p>fine</p>")
    (site / "a" / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    expected = [
        "a/drawing.svg:1: <script>: an inline <script> that is not one of the theme's own",
        "index.html:1: <img src=x onerror=alert(1)>: an event-handler attribute (onerror) runs script",
    ]
    assert check_site(site) == [expected[0]]  # from disk
    for background in (True, False):
        scans = PageScans(background=background)
        scans.add("index.html", '<h1 id="top">Home</h1><a href="a/">a</a><img src=x onerror=alert(1)>')
        links, unsafe = scans.results(site)
        assert links == ["index.html: broken link x"]
        assert unsafe == expected  # the handed-over HTML, not the file on disk


def test_a_forks_own_extra_javascript_is_allowed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "js").mkdir(parents=True)
    (site / "index.html").write_text('<script src="js/mine.js"></script>')
    assert check_site(site) != []
    assert check_site(site, extra_scripts=["js/mine.js"]) == []


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0")
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.mark.pdf
def test_build_fails_on_a_hostile_page_and_keeps_the_old_site(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "notes.md").write_text("# Notes\n\nHello.\n")
    out = tmp_path / "site"
    first = _run([*LAUNCHBOOK, "build", str(MINIMAL), "-o", str(out)], project)
    assert first.returncode == 0, first.stderr
    before = _tree(out)
    assert "Content-Security-Policy" in (out / "notes" / "index.html").read_text()
    (project / "docs" / "notes.md").write_text(
        '# Notes\n\n<img src="x" onerror="alert(1)">\n\n[click](javascript:alert(1)){ onclick="alert(2)" }\n'
    )
    second = _run([*LAUNCHBOOK, "build", str(MINIMAL), "-o", str(out)], project)
    assert second.returncode == 1
    assert "could run script" in second.stderr
    assert "notes/index.html:" in second.stderr and "onerror" in second.stderr and "onclick" in second.stderr
    assert "Traceback" not in second.stderr
    assert _tree(out) == before


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled playbooks through ``launchbook generate``, a hand-written hostile page added to
    its docs, built by plain ``mkdocs build`` (no launchbook plugin)."""
    base = tmp_path_factory.mktemp("generated")
    out = base / "out"
    assert main(["generate", str(ROOT / "playbooks"), "-o", str(out)]) == 0
    (out / "docs" / "hostile.md").write_text(
        '# Hostile\n\n<iframe src="../"></iframe>\n\n<script>alert(1)</script>\n', encoding="utf-8"
    )
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    assert mkdocs is not None
    proc = _run([mkdocs, "build"], out)
    assert proc.returncode == 0, proc.stderr
    return out / "site"


@pytest.mark.slow  # generate of the bundled playbooks, then a whole plain MkDocs build
@pytest.mark.pdf
def test_generated_site_built_by_plain_mkdocs_is_inert_but_for_the_hostile_page(generated_site: Path) -> None:
    assert (generated_site / "failure-modes" / "unmonitored-drift" / "index.html").is_file()
    problems = check_site(generated_site)
    assert problems, "the hand-written hostile page must be refused"
    assert {p.split(":", 1)[0] for p in problems} == {"hostile/index.html"}
    assert any("<iframe" in p for p in problems) and any("inline <script>" in p for p in problems)


def test_the_plugin_adds_the_policy_to_builds_but_not_to_serves_live_reload() -> None:
    from types import SimpleNamespace
    from typing import Any

    from launchbook.site.plugin import LaunchbookPlugin

    page: Any = SimpleNamespace(file=SimpleNamespace(dest_uri="index.html"))
    html = '<html><head><meta charset="utf-8"></head><body></body></html>'
    for command, expected in (("build", True), ("serve", False)):
        plugin = LaunchbookPlugin()
        plugin.on_startup(command=command, dirty=False)
        out = plugin.on_post_page(html, page, None)  # type: ignore[arg-type]
        assert ("Content-Security-Policy" in out) is expected, command
        assert ("Content-Security-Policy" in plugin.on_post_template(html, "404.html", None)) is expected  # type: ignore[arg-type]
        plugin.on_shutdown()
