"""Plain text is never markup (issue 15, items 1 and 4).

- ``check`` refuses link, image, HTML and attribute-list syntax in plain-text fields (LB220) and,
  in Markdown fields, every link or image the site would not keep (LB221), at the construct's
  ``path:line:col``; a role reference (``@role(id)``) and ordinary punctuation stay allowed.
- With ``check`` bypassed (a hostile :class:`Playbook` built in memory), the site's pages,
  ``generate``'s Markdown built by plain MkDocs, and the checklists (HTML, Markdown) show the
  hostile texts as text: no attribute, handler, link or image comes out of them.

Each hostile input is a small YAML edit of the minimal fixture (``CHECK_CASES``).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from launchbook.checklists import render, tailor
from launchbook.cli import main
from launchbook.commands.explain import explain
from launchbook.markup import markdown_unsafe_link, plain_text_markup, url_scheme
from launchbook.model import Playbook, load_playbook
from launchbook.site.generate import generate
from launchbook.site.pages import build_pages
from launchbook.text import escape_markdown, neutralize_markdown

from .support import MINIMAL, ROOT

SITE_EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc"]  # what the site and generate use
ATTR_LIST = "Product owner { tabindex=0 autofocus=1 onfocus=alert(1) }"  # the reproduction

# ------------------------------------------------------------------ check refuses, located
# (file in the minimal fixture, line as it is, line as the attacker writes it, code, field, the
# text the reported column must point at)
CHECK_CASES = {
    "role-name-attr-list": (
        "roles.yml",
        "    name: Product owner\n",
        f"    name: {ATTR_LIST}\n",
        "LB220",
        "name",
        "{ tabindex",
    ),
    "role-name-colon-attr-list": (
        "roles.yml",
        "    name: Data engineer\n",
        "    name: 'Data engineer {: .x onclick=alert(1) }'\n",
        "LB220",
        "name",
        "{: .x",
    ),
    "failure-mode-title-js-link": (
        "failure-modes/no-plan.yml",
        "title: Nobody planned the path to production\n",
        "title: Nobody planned [the path](javascript:alert(1)) to production\n",
        "LB220",
        "title",
        "[the path]",
    ),
    "failure-mode-title-attr-list": (
        "failure-modes/no-plan.yml",
        "title: Nobody planned the path to production\n",
        "title: Nobody planned the path to production { onmouseover=alert(1) }\n",
        "LB220",
        "title",
        "{ onmouseover",
    ),
    "checklist-title-remote-image": (
        "checklists/kickoff.yml",
        "title: Kickoff\n",
        "title: Kickoff ![x](https://evil.example/t.png)\n",
        "LB220",
        "title",
        "![x]",
    ),
    "checklist-meeting-html": (
        "checklists/kickoff.yml",
        "meeting: First meeting\n",
        "meeting: First <img src=x onerror=alert(1)> meeting\n",
        "LB220",
        "meeting",
        "<img",
    ),
    "checklist-decision-link": (
        "checklists/kickoff.yml",
        'decision: [Start, "Start with conditions", "Not yet"]\n',
        'decision: [Start, "[Go](https://evil.example)", "Not yet"]\n',
        "LB220",
        "decision",
        "[Go]",
    ),
    "category-title-attr-list": (
        "launchbook.yml",
        "    title: Organization\n",
        "    title: Organization { autofocus onfocus=alert(1) }\n",
        "LB220",
        "title",
        "{ autofocus",
    ),
    "phase-title-autolink": (
        "launchbook.yml",
        "    title: Frame\n",
        "    title: Frame <https://evil.example>\n",
        "LB220",
        "title",
        "<https",
    ),
    "level-name-reference-link": (
        "launchbook.yml",
        "    name: Ad hoc\n",
        "    name: Ad hoc [x][ref]\n",
        "LB220",
        "name",
        "[x]",
    ),
    "question-ask-end-tag": (
        "failure-modes/no-plan.yml",
        "    ask: Is there a written path to production?\n",
        "    ask: Is there a written path to production?</td><td>\n",
        "LB220",
        "ask",
        "</td>",
    ),
    "key-question-attr-list": (
        "failure-modes/no-plan.yml",
        "key_question: How does this get into production, and who pays?\n",
        "key_question: 'How does this get into production? {#x onclick=alert(1)}'\n",
        "LB220",
        "key_question",
        "{#x",
    ),
    "remediation-title-image": (
        "failure-modes/no-plan.yml",
        "    title: Write the deployment plan\n",
        "    title: Write the ![plan](data:image/png;base64,AAAA)\n",
        "LB220",
        "title",
        "![plan]",
    ),
    "source-title-link": (
        "sources.yml",
        "    title: An article about ML projects\n",
        "    title: An [article](vbscript:msgbox) about ML projects\n",
        "LB220",
        "title",
        "[article]",
    ),
    "statistic-measures-html-comment": (
        "sources.yml",
        "    measures: Share of models deployed\n",
        "    measures: Share of models deployed <!-- hidden -->\n",
        "LB220",
        "measures",
        "<!--",
    ),
    "role-typical-title": (
        "roles.yml",
        "    titles: [VP of Operations]\n",
        '    titles: ["VP {onclick=alert(1)}"]\n',
        "LB220",
        "titles",
        "{onclick",
    ),
    # Markdown fields: whatever the build would refuse, check refuses first
    "summary-javascript-link": (
        "failure-modes/no-plan.yml",
        "  The project was funded as an experiment; only 10% of such models ship.\n",
        "  The project was funded as an experiment; only 10% of such models ship.\n"
        "  See [the plan](javascript:alert(1)).\n",
        "LB221",
        "summary",
        "[the plan](javascript",
    ),
    "summary-mixed-case-entity-scheme": (
        "failure-modes/no-plan.yml",
        "  The project was funded as an experiment; only 10% of such models ship.\n",
        "  The project was funded as an experiment; only 10% of such models ship.\n"
        "  See [the plan](JaV&#x61;Script:alert(1)).\n",
        "LB221",
        "summary",
        "[the plan](JaV",
    ),
    "impact-remote-image": (
        "failure-modes/no-plan.yml",
        "impact: Models wait on laptops.\n",
        "impact: Models wait on laptops. ![chart](https://evil.example/c.png)\n",
        "LB221",
        "impact",
        "![chart]",
    ),
    "do-data-url": (
        "failure-modes/no-plan.yml",
        "    do: Name the system, the team and the release criteria.\n",
        "    do: Name the [system](data:text/html;base64,PHNjcmlwdD4=), the team and the release criteria.\n",
        "LB221",
        "do",
        "[system](data",
    ),
    "description-relative-link-leaving-the-site": (
        "launchbook.yml",
        "    description: People and process.\n",
        "    description: People and [process](../../../etc/passwd).\n",
        "LB221",
        "description",
        "[process]",
    ),
    "sign-vbscript-link": (
        "failure-modes/no-plan.yml",
        '  - The plan ends at "accuracy reached".\n',
        "  - The plan ends at [accuracy](vbscript:msgbox(1)).\n",
        "LB221",
        "signs",
        "[accuracy]",
    ),
    "citation-note-reference-image": (
        "failure-modes/no-plan.yml",
        "    note: Names the missing plan as the first reason.\n",
        "    note: Names the missing plan ![x][img] as the first reason.\n",
        "LB221",
        "note",
        "![x]",
    ),
    "checklist-description-definition": (
        "checklists/kickoff.yml",
        "description: Ask these before any data work.\n",
        "description: |\n  Ask these before any [data][d] work.\n\n  [d]: javascript:alert(1)\n",
        "LB221",
        "description",
        "[d]: javascript",
    ),
}


def _edit(folder: Path, rel: str, old: str, new: str) -> Path:
    f = folder / rel
    text = f.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    return f


@pytest.mark.parametrize("case", sorted(CHECK_CASES))
def test_check_refuses_markup_at_its_place(
    case: str, minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rel, old, new, code, field, at = CHECK_CASES[case]
    f = _edit(minimal, rel, old, new)
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    found = re.findall(rf"^(\S+):(\d+):(\d+): {code} (.*)\n    hint: (.*)$", out, re.M)
    assert len(found) == 1, out
    path, line, col, message, hint = found[0]
    assert Path(path).resolve() == f.resolve()
    source_line = f.read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert source_line[int(col) - 1 :].startswith(at), (source_line, col, at)
    assert f"'{field}'" in message
    if code == "LB220":
        assert "is plain text" in message
        assert "Markdown (links included) is allowed in" in hint and "'summary'" in hint
    else:
        assert "http" in hint


@pytest.mark.parametrize(
    "text",
    [
        "Ask @role(product-owner) first",  # the role reference syntax stays allowed
        "Latency (p99) < 200 ms, accuracy > 0.9",
        "A [draft] plan, a {} placeholder",
        "Decide: go / no-go (and why)",
    ],
)
def test_ordinary_punctuation_stays_allowed(
    text: str, minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(
        minimal,
        "failure-modes/no-plan.yml",
        "    ask: Is there a written path to production?\n",
        f"    ask: '{text}'\n",
    )
    _edit(
        minimal,
        "failure-modes/no-plan.yml",
        "impact: Models wait on laptops.\n",
        "impact: Models wait on [laptops](https://example.org/l), ask [us](mailto:a@example.org).\n",
    )
    assert main(["check", str(minimal), "--strict"]) == 0, capsys.readouterr().out


def test_every_bundled_set_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    for folder in (ROOT / "playbooks", MINIMAL, ROOT / "tests" / "fixtures" / "upstream-v1"):
        assert main(["check", str(folder), "--strict"]) == 0, capsys.readouterr().out


def test_new_codes_are_explained() -> None:
    for code, name in (("LB220", "markup-in-plain-text"), ("LB221", "unsafe-link")):
        doc = explain(code)
        assert doc is not None and doc.startswith(f"{code} {name} (error)")
        assert explain(name) == doc


def test_answers_notes_are_not_published_text(tmp_path: Path) -> None:
    """An answer's note is never shown on a page: a link in it is evidence, not refused."""
    from launchbook.loader import load_document
    from launchbook.schema import ANSWERS

    f = tmp_path / "answers.yml"
    f.write_text(
        "answers:\n  - id: plan-written\n    answer: yes\n    note: see [plan](https://example.org)\n"
    )
    assert load_document(f, ANSWERS).problems == ()


# ------------------------------------------------------------------ the detectors themselves
@pytest.mark.parametrize(
    ("text", "what"),
    [
        (ATTR_LIST, "attribute-list syntax"),
        ("x {:#id}", "attribute-list syntax"),
        ("[a [nested] b](https://x)", "Markdown link syntax"),
        ("[a] [b]", "Markdown link syntax"),
        ("![a](b)", "Markdown image syntax"),
        ("a <b>bold</b>", "HTML"),
        ("a <!-- c -->", "HTML"),
        ("<mailto:a@b.c>", "HTML"),
    ],
)
def test_plain_text_markup_found(text: str, what: str) -> None:
    found = plain_text_markup(text)
    assert found is not None and found.what == what
    assert text[found.start :].startswith(found.found)


@pytest.mark.parametrize("text", ["a < b", "@role(x)", "f(x) = [y]", "{}", "{ }", "a\n{b\n}", "<5%"])
def test_plain_text_markup_not_found(text: str) -> None:
    assert plain_text_markup(text) is None


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        (" JaVaScRiPt:x", "javascript"),
        ("java\tscript:x", "javascript"),
        ("jav&#x61;script:x", "javascript"),
        ("jav&#97;script:x", "javascript"),
        ("<vbscript:x>", "vbscript"),
        ("data:text/html,x", "data"),
        ("https://example.org", "https"),
        ("../x", ""),
        ("#frag", ""),
    ],
)
def test_url_scheme_reads_what_a_browser_reads(url: str, scheme: str) -> None:
    assert url_scheme(url) == scheme


@pytest.mark.parametrize(
    "text",
    [
        "[a](https://example.org/x_(y))",
        "[m](mailto:a@example.org)",
        "a [b] c",
        "no links",
        "[r]: https://x.org",
    ],
)
def test_markdown_safe_links_pass(text: str) -> None:
    assert markdown_unsafe_link(text) is None


# ------------------------------------------------------------------ escaping: renders as written
class _Audit(HTMLParser):
    """Every element, attribute and text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _audit(fragment: str) -> _Audit:
    a = _Audit()
    a.feed(fragment)
    a.close()
    return a


_PUNCT = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_PUNCT + "ab1 \n\t")), max_size=40))
def test_escaped_heading_renders_as_written(text: str) -> None:
    """Any plain text in a heading line, rendered as the site renders it: one <h2> holding that
    text (blanks collapsed), with no attribute but the id the heading asked for."""
    want = " ".join(text.split())
    assume(want)  # a title is never blank (the loader refuses an empty one)
    html = markdown.markdown(f"## {escape_markdown(text)} {{ #fixed }}", extensions=SITE_EXTENSIONS)
    a = _audit(html)
    assert a.tags == [("h2", {"id": "fixed"})], (text, html)
    assert "".join(a.text) == want, (text, html)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_PUNCT + "ab1 \n")), max_size=40))
def test_escaped_text_in_a_list_item_renders_as_written(text: str) -> None:
    want = " ".join(text.split())
    html = markdown.markdown(f"- [ ] {escape_markdown(text)}", extensions=SITE_EXTENSIONS)
    a = _audit(html)
    assert [t for t, _ in a.tags] == ["ul", "li"], (text, html)
    assert "".join(a.text).strip() == f"[ ] {want}".strip(), (text, html)


def test_escaping_defeats_extension_syntax() -> None:
    """Syntax of extensions a fork's mkdocs.yml may enable (emoji, magiclink, mark, ...) stays text."""
    exts = [*SITE_EXTENSIONS, "pymdownx.emoji", "pymdownx.magiclink", "pymdownx.mark", "pymdownx.tilde"]
    text = ":smile: https://evil.example ==mark== ~~del~~ @someone"
    a = _audit(markdown.markdown(escape_markdown(text), extensions=exts))
    assert [t for t, _ in a.tags] == ["p"]
    assert "".join(a.text) == text


def test_neutralize_markdown_keeps_safe_links_only() -> None:
    text = (
        "See [ok](https://example.org), [bad](javascript:alert(1)), ![img](https://evil.example/x.png) <b>."
    )
    a = _audit(markdown.markdown(neutralize_markdown(text)))
    assert [(t, attrs) for t, attrs in a.tags if t != "p"] == [("a", {"href": "https://example.org"})]
    assert "[bad](javascript:alert(1))" in "".join(a.text)


# ------------------------------------------------------------------ rendering with check bypassed
HOSTILE = {
    "role": ATTR_LIST,
    "fm": "Nobody planned { tabindex=0 onfocus=alert(2) } [x](javascript:alert(3)) ![i](https://evil.example/i.png)",
    "category": 'Organization { onmouseover=alert(4) } <img src=x onerror=alert(5)> "quoted"',
    "checklist": "Kickoff {: autofocus onfocus=alert(6) } [y](javascript:alert(7))",
    "level": "Ad hoc { onclick=alert(8) }",
    "phase": "Frame\n\n# injected { onclick=alert(9) }",
    "ask": "Is there a plan? <script>alert(10)</script> [z](javascript:alert(11))",
}


def hostile_playbook() -> Playbook:
    """The minimal set with hostile plain text everywhere, as a caller that skipped check has it."""
    pb = load_playbook(MINIMAL).playbook
    assert pb is not None
    m = pb.manifest
    manifest = dataclasses.replace(
        m,
        categories=(dataclasses.replace(m.categories[0], title=HOSTILE["category"]), *m.categories[1:]),
        phases=(dataclasses.replace(m.phases[0], title=HOSTILE["phase"]), *m.phases[1:]),
        levels=(dataclasses.replace(m.levels[0], name=HOSTILE["level"]), *m.levels[1:]),
    )
    roles = tuple(
        dataclasses.replace(r, name=HOSTILE["role"]) if r.id == "product-owner" else r for r in pb.roles
    )
    fms = []
    for fm in pb.failure_modes:
        if fm.id == "no-plan":
            q = dataclasses.replace(fm.questions[0], ask=HOSTILE["ask"])
            fm = dataclasses.replace(
                fm,
                title=HOSTILE["fm"],
                key_question=HOSTILE["ask"],
                questions=(q, *fm.questions[1:]),
                impact="Models wait. [bad](javascript:alert(12)) ![c](https://evil.example/c.png)",
            )
        fms.append(fm)
    cls = tuple(
        dataclasses.replace(
            c, title=HOSTILE["checklist"], description="Ask. ![d](https://evil.example/d.png) [e](data:x)"
        )
        for c in pb.checklists
    )
    return dataclasses.replace(pb, manifest=manifest, roles=roles, failure_modes=tuple(fms), checklists=cls)


_BAD_URL = re.compile(r"""(?i)(?:href|src)\s*=\s*["']?\s*(?:javascript|data|vbscript):""")


def _assert_inert(html: str, where: str) -> None:
    a = _audit(html)
    for tag, attrs in a.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (where, tag, name)
            assert name not in ("tabindex", "autofocus"), (where, tag, name)
            if name in ("href", "src"):
                assert not re.match(r"(?i)\s*(javascript|data|vbscript):", value or ""), (where, value)
        assert tag not in ("script", "img", "iframe"), (where, tag, attrs)
    assert not _BAD_URL.search(html), where


def test_site_pages_show_hostile_plain_text_as_text() -> None:
    """Every generated page, rendered with the site's Markdown extensions: no attribute, handler,
    link or image comes out of a plain text, and the text is shown as written."""
    pages = {p.src: p for p in build_pages(hostile_playbook())}
    shown: dict[str, str] = {}
    for src, page in pages.items():
        body = page.content.split("\n---\n", 1)[1] if page.content.startswith("---\n") else page.content
        html = markdown.markdown(body, extensions=SITE_EXTENSIONS)
        if src == "assess.md":  # launchbook's own JSON data and script, checked elsewhere
            html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
        if src.startswith("checklists/"):  # the meeting mode's data (no '<' in it) and script, and only those
            data = re.findall(r'<script type="application/json" id="lb-meeting-data">([^<]*)</script>', html)
            assert len(data) == (src != "checklists/index.md"), src
            html = re.sub(r'<script type="application/json" id="lb-meeting-data">[^<]*</script>', "", html)
            html = re.sub(r'<script src="(\.\./)+assets/launchbook/meeting\.js"></script>', "", html)
        _assert_inert(html, src)
        shown[src] = " ".join("".join(_audit(html).text).split())
    assert ATTR_LIST in shown["roles/product-owner.md"]
    role_h1 = _audit(
        markdown.markdown(
            pages["roles/product-owner.md"].content.split("\n---\n", 1)[1], extensions=SITE_EXTENSIONS
        )
    )
    assert ("h1", {"id": role_h1.tags[0][1]["id"]}) == role_h1.tags[0]  # only an id, no onfocus
    assert " ".join(HOSTILE["fm"].split()) in shown["failure-modes/no-plan.md"]
    assert " ".join(HOSTILE["category"].split()) in shown["categories/organization.md"]
    assert " ".join(HOSTILE["checklist"].split()) in shown["checklists/kickoff.md"]
    assert " ".join(HOSTILE["level"].split()) in shown["maturity.md"]
    assert " ".join(HOSTILE["phase"].split()) in shown["roadmap.md"]
    # front matter: what Material prints as HTML (title, description) holds no tag
    for src in ("failure-modes/no-plan.md", "categories/organization.md", "checklists/kickoff.md"):
        front = pages[src].content.split("\n---\n", 1)[0]
        assert "<" not in front and ">" not in front, front


@pytest.mark.pdf
def test_generated_markdown_built_by_plain_mkdocs_is_inert(tmp_path: Path) -> None:
    """``generate``'s output of hostile text (check bypassed), built by plain MkDocs with
    attr_list: every page of the site is free of handlers, javascript: URLs and hostile tags."""
    out = tmp_path / "out"
    generate(hostile_playbook(), out, site_name="hostile")
    docs = out / "docs"
    role_md = (docs / "roles" / "product-owner.md").read_text(encoding="utf-8")
    assert "# Product owner \\{ tabindex&#61;0 autofocus&#61;1 onfocus&#61;alert\\(1\\) \\}" in role_md
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    assert mkdocs is not None
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([mkdocs, "build"], cwd=out, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    site = out / "site"
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not _BAD_URL.search(html), page
        audit = _audit(html)
        for tag, attrs in audit.tags:
            assert not any(n.startswith("on") for n in attrs), (page, tag, attrs)
            assert "autofocus" not in attrs, (page, tag, attrs)
            if tag == "img":
                assert not (attrs.get("src") or "").startswith(("http", "//")), (page, attrs)
            if tag == "script" and "src" not in attrs:
                assert "alert(" not in html.split("<script", 1)[1].split("</script>", 1)[0], page
    h1 = (site / "roles" / "product-owner" / "index.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>.*?</h1>", h1, re.S)
    assert heading is not None
    audit = _audit(heading.group())
    assert list(audit.tags[0][1]) == ["id"], audit.tags  # no onfocus, tabindex or autofocus
    assert ATTR_LIST in "".join(audit.text)


def test_checklist_outputs_pass_no_live_link_or_image() -> None:
    pb = hostile_playbook()
    t = tailor(pb, "kickoff")
    md = render(pb, t, "md").decode()
    as_html = markdown.markdown(md, extensions=["tables"])
    a = _audit(as_html)
    links = [attrs.get("href") for tag, attrs in a.tags if tag == "a"]
    assert all(h == "https://example.org/article" for h in links), links
    assert not [tag for tag, _ in a.tags if tag in ("img", "script")]
    text = " ".join("".join(a.text).split())
    assert " ".join(HOSTILE["checklist"].split()) in text  # the title, shown as written
    assert HOSTILE["ask"] in text
    page = render(pb, t, "html").decode()
    _assert_inert(page, "checklist.html")
    assert ATTR_LIST in " ".join("".join(_audit(page).text).split())
