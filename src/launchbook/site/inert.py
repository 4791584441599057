"""The inertness gate: no page of a built site can run script that is not the theme's or launchbook's.

:func:`check_site` reads every HTML (and SVG) file of a built site, whoever built it
(``launchbook build``, or plain ``mkdocs build`` of ``launchbook generate``'s output), and
returns one readable line per offending element; ``launchbook build`` fails on any, and keeps
the previous site. It refuses:

- any event-handler attribute (a name starting with ``on``) and ``srcdoc``;
- a ``javascript:``, ``vbscript:`` or ``data:`` URL in a URL attribute (``href``, ``src``,
  ``action``, ``formaction``, ``xlink:href``, ``poster``, ``background``, ``srcset``, ...; the
  values of SVG animations too, which can set an ``href``), and ``<meta http-equiv=refresh>``;
- a ``<script>`` that is not the theme's or launchbook's own: an external script must load a
  file of Material's bundle (``assets/javascripts/``) or of launchbook's assets
  (``assets/launchbook/``); an inline one must be one of the scripts Material's
  ``partials/javascripts/`` templates emit, where the only text that varies is the URL inside
  a string literal; ``<script type="application/json">`` data blocks are inert and allowed;
- ``<iframe>``, ``<frame>``, ``<frameset>``, ``<object>``, ``<embed>``, ``<applet>``,
  ``<portal>``, ``<fencedframe>`` and ``<base>``.

Every ``<`` followed by a letter is read as a start tag, also inside comments, ``<noscript>``,
``<textarea>``, ``<style>``, script bodies and other tags' attribute values: a browser does not
always agree with a parser on where those end (``--!>``, ``<svg><style>``, a ``<noscript>``
holding ``<p title="</noscript><img ...>">``), so the gate assumes the worst and never has to
agree. Attributes are delimited by html.parser's own (Python 3.11) tolerant start-tag pattern,
character references unescaped; URLs as a browser reads them (tabs and newlines removed,
leading spaces and control characters ignored, case ignored).

:func:`theme_inline_scripts` gives the Content-Security-Policy hashes the same recognition.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import itertools
import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from html import unescape
from importlib import resources
from pathlib import Path
from typing import Any

FORBIDDEN_ELEMENTS = frozenset(
    ("iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe", "base")
)
# Attributes whose value a browser reads as a URL (HTML, SVG, MathML and legacy ones).
URL_ATTRIBUTES = frozenset(
    (
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "background",
        "cite",
        "data",
        "codebase",
        "classid",
        "archive",
        "longdesc",
        "usemap",
        "manifest",
        "icon",
        "ping",
        "profile",
        "lowsrc",
        "dynsrc",
        "xml:base",
        "itemtype",
    )
)
SRCSET_ATTRIBUTES = frozenset(("srcset", "imagesrcset"))
# SVG animations set another attribute (an ``href``) to these values.
ANIMATION_ELEMENTS = frozenset(("animate", "set", "animatemotion", "animatetransform", "animatecolor"))
ANIMATION_VALUES = frozenset(("values", "to", "from", "by"))
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
JSON_TYPES = frozenset(("application/json", "application/ld+json"))
THEME_SCRIPT_DIR = "assets/javascripts/"
LAUNCHBOOK_SCRIPT_DIR = "assets/launchbook/"
SCANNED_SUFFIXES = (".html", ".htm", ".xhtml", ".svg")

# A start tag's attributes, as html.parser (3.11) delimits them (``locatestarttagend_tolerant``):
# a value is quoted or bare, an unbalanced quote is part of the next attribute's name. The group
# is atomic, as ``re.match`` there takes the first match and never backtracks into it: without
# that, a malformed tag costs exponential time (tested).
_ATTRS = (
    r"""(?>(?:[\s/]*(?:(?<=['"\s/])[^\s/>][^\s/=>]*"""
    r"""(?:\s*=+\s*(?:'[^']*'|"[^"]*"|(?!['"])[^>\s]*)\s*)?(?:\s|/(?!>))*)*)?\s*)"""
)
# One attribute: its name, and "=" with its value (quoted or bare) if it has one.
_ATTR = re.compile(r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?""")
_OPEN = re.compile(r"<[a-zA-Z]")
READ_BUDGET = 2  # the attribute pattern may read this many times the page's length in all
MAX_THEME_SCRIPT = 16_384  # Material's inline scripts are under 2 KB; a longer one is not the theme's
UNREADABLE = (
    "tags that never end overlap so much that the page cannot be read in bounded time "
    "(the gate reads no further and refuses the page)"
)
_START = re.compile(rf"<([a-zA-Z][^\t\n\r\f />\x00]*)({_ATTRS})", re.S)
_SCRIPT_END = re.compile(r"</script[\t\n\r\f />]", re.I)
_URL_NOISE = re.compile(r"[\t\n\r]")
# Text a template puts inside a script's string literal: a URL, never a quote, backslash or tag.
_URL_TEXT = r"[\w.~/:%+@!$,;=?#&-]*"
_JINJA = re.compile(r"\{\{.*?\}\}", re.S)


@dataclass(frozen=True)
class Allowed:
    """What may run: site paths of external scripts, and patterns of inline scripts."""

    scripts: frozenset[str]
    inline: tuple[re.Pattern[str], ...]


@cache
def theme_inline_patterns() -> tuple[re.Pattern[str], ...]:
    """The inline scripts Material's ``partials/javascripts/*.html`` templates emit, as patterns.

    A ``{{ ... }}`` expression is allowed only inside a string literal (``"{{ base_url }}"``) and
    matches URL characters only, so what varies can never become code; a script with any other
    template syntax inside is left out (and would fail the gate)."""
    try:
        folder = resources.files("material") / "templates" / "partials" / "javascripts"
        sources = [f.read_text(encoding="utf-8") for f in folder.iterdir() if f.name.endswith(".html")]
    except (ModuleNotFoundError, OSError):
        return ()
    patterns: list[re.Pattern[str]] = []
    for source in sorted(sources):
        for body in re.findall(r"<script>(.*?)</script>", source, re.S):
            if "{%" in body or "{#" in body:
                continue
            parts = _JINJA.split(body)
            if any(not (a.endswith('"') and b.startswith('"')) for a, b in itertools.pairwise(parts)):
                continue
            patterns.append(re.compile(_URL_TEXT.join(re.escape(p) for p in parts)))
    return tuple(patterns)


@cache
def default_allowed(extra_scripts: frozenset[str] = frozenset()) -> Allowed:
    """Material's bundled scripts, launchbook's assets, and ``extra_scripts`` (site paths)."""
    own = resources.files("launchbook.site") / "assets"
    mine = {LAUNCHBOOK_SCRIPT_DIR + f.name for f in own.iterdir() if f.name.endswith(".js")}
    theme: set[str] = set()
    try:
        bundle = Path(str(resources.files("material") / "templates" / THEME_SCRIPT_DIR))
        for root, _, files in os.walk(bundle):
            rel = Path(root).relative_to(bundle).as_posix()
            theme.update(
                posixpath.normpath(posixpath.join(THEME_SCRIPT_DIR, rel, f))
                for f in files
                if f.endswith(".js")
            )
    except (ModuleNotFoundError, OSError):
        pass
    return Allowed(frozenset(mine | theme | extra_scripts), theme_inline_patterns())


def theme_inline_scripts(page: str) -> list[str]:
    """The bodies of the page's bare inline ``<script>`` elements that are the theme's own, in order."""
    patterns = theme_inline_patterns()
    found = []
    for m in re.finditer(r"<script>(.*?)</script>", page, re.S):
        body = m.group(1)
        if any(p.fullmatch(body) for p in patterns):
            found.append(body)
    return found


def csp_hash(script: str) -> str:
    """``'sha256-...'``: a Content-Security-Policy source that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _dangerous(url: str) -> str | None:
    """The scheme (``javascript:``) a browser would run or inline for ``url``, if it is one of those."""
    plain = _URL_NOISE.sub("", url).lstrip("".join(map(chr, range(0x21)))).lower()
    for scheme in DANGEROUS_SCHEMES:
        if plain.startswith(scheme):
            return scheme
    return None


def _site_path(page: str, url: str) -> str | None:
    """``url`` (a script's ``src``) as a path in the site, or None if it is not a plain local path."""
    url = url.strip()
    if not url or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//|\\", url):
        return None
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(page), path)
    target = posixpath.normpath(joined)
    return None if target.startswith("..") else target


def _snippet(page: str, start: int, end: int) -> str:
    text = page[start:end]
    if len(text) > 160:
        text = text[:157] + "..."
    return text.encode("unicode_escape").decode("ascii").replace("\\\\", "\\")


class _Marks:
    """Where the next ``>`` and the next ``</script`` of a page are, found by bisection in positions
    collected once (a search from every tag would take quadratic time on a page of open tags)."""

    def __init__(self, page: str) -> None:
        self.page = page
        self._gt: list[int] | None = None
        self._script_ends: list[int] | None = None

    def next_gt(self, i: int) -> int:
        if self._gt is None:
            self._gt = [m.start() for m in re.finditer(">", self.page)]
        k = bisect.bisect_left(self._gt, i)
        return self._gt[k] if k < len(self._gt) else -1

    def next_script_end(self, i: int) -> int:
        if self._script_ends is None:
            self._script_ends = [m.start() for m in _SCRIPT_END.finditer(self.page)]
        k = bisect.bisect_left(self._script_ends, i)
        return self._script_ends[k] if k < len(self._script_ends) else -1


def check_page(page: str, path: str, allowed: Allowed | None = None) -> list[str]:
    """Problems of one page (``path``: its place in the site, ``roles/x/index.html``), one line each.

    Linear in the page's length but for tags whose attributes overlap (``<a <a <a ...`` with no
    ``>`` reads the rest of the page for every tag): past :data:`READ_BUDGET` times the page's
    length, the page is refused as unreadable."""
    allowed = allowed or default_allowed()
    marks = _Marks(page)
    budget = READ_BUDGET * len(page) + 100_000
    problems: list[str] = []
    line, counted = 1, 0
    for opened in _OPEN.finditer(page):  # every "<" and letter, also inside another tag's attribute value
        m = _START.match(page, opened.start())
        if m is None:  # pragma: no cover - the pattern matches wherever _OPEN does
            continue
        budget -= m.end() - m.start()
        reasons = [UNREADABLE] if budget < 0 else _tag_problems(page, path, m, marks, allowed)
        if reasons:
            line, counted = line + page.count("\n", counted, m.start()), m.start()
            end = marks.next_gt(m.end())
            end = m.end() if end < 0 or end - m.end() > 2 else end + 1
            problems.extend(f"{path}:{line}: {_snippet(page, m.start(), end)}: {r}" for r in reasons)
        if budget < 0:
            break
    return problems


def _tag_problems(page: str, path: str, m: re.Match[str], marks: _Marks, allowed: Allowed) -> list[str]:
    """Why the start tag ``m`` (``_START``'s match) could run script or load a document."""
    tag = m.group(1).lower()
    attrs: dict[str, str | None] = {}
    reasons: list[str] = []
    for name, eq, value in _ATTR.findall(m.group(2)):
        name = name.lower()
        if eq:
            if len(value) > 1 and value[0] in "'\"" and value[0] == value[-1]:
                value = value[1:-1]
            value = unescape(value) if "&" in value else value
        attrs.setdefault(name, value if eq else None)
        reason = _attribute_problem(tag, name, value if eq else None)
        if reason:
            reasons.append(reason)
    if tag in FORBIDDEN_ELEMENTS:
        reasons.append(f"<{tag}> is not allowed in the site")
    elif tag == "meta" and (attrs.get("http-equiv") or "").strip().lower() == "refresh":
        reasons.append("<meta http-equiv=refresh> redirects the reader")
    elif tag == "script":
        reason = _script_problem(page, path, m.end(), attrs, allowed, marks)
        if reason:
            reasons.append(reason)
    return reasons


def _attribute_problem(tag: str, name: str, value: str | None) -> str | None:
    """Why attribute ``name`` (lower case; ``value`` unescaped, None when it has none) of a ``tag``
    could run script or load a document, or None."""
    if name.startswith("on"):
        return f"an event-handler attribute ({name}) runs script"
    if name == "srcdoc":
        return "srcdoc embeds a document"
    if value is None:
        return None
    if name in URL_ATTRIBUTES or (tag in ANIMATION_ELEMENTS and name in ANIMATION_VALUES):
        values = value.split(";") if name in ANIMATION_VALUES else [value]
        scheme = next((s for s in map(_dangerous, values) if s), None)
    elif name in SRCSET_ATTRIBUTES:
        scheme = next((s for c in value.split(",") if (s := _dangerous(c.strip()))), None)
    else:
        return None
    return f"{name} holds a {scheme} URL" if scheme else None


def _script_problem(
    page: str, path: str, start: int, attrs: Mapping[str, str | None], ok: Allowed, marks: _Marks
) -> str | None:
    """Why this ``<script>`` (its attributes; its body starts after ``start``) is not the site's own."""
    if "href" in attrs or "xlink:href" in attrs:
        return "a <script> with an href (SVG) loads script that is not the site's own"
    opened = marks.next_gt(start)
    close = marks.next_script_end(opened + 1) if opened >= 0 else -1
    if "src" in attrs:
        target = _site_path(path, attrs["src"] or "")
        if target is None or target not in ok.scripts:
            return "a <script> that does not load one of the theme's or launchbook's scripts"
        return None
    script_type = (attrs.get("type") or "").strip().lower()
    if script_type in JSON_TYPES:
        return None  # a data block: never run
    if set(attrs) - {"type"} or script_type not in ("", "text/javascript"):
        return "an inline <script> with attributes is not one the theme emits"
    body = page[opened + 1 : close] if 0 <= close - opened <= MAX_THEME_SCRIPT else None
    if close < 0 or (body is not None and "<!--" in body):
        return "an inline <script> whose end a browser may read differently"
    if body is not None and any(p.fullmatch(body) for p in ok.inline):
        return None
    return "an inline <script> that is not one of the theme's own"


def site_pages(site: Path) -> list[str]:
    """Every file of ``site`` the gate reads, as posix paths relative to it, sorted."""
    found: list[str] = []
    for root, _, files in os.walk(site):
        rel = Path(root).relative_to(site).as_posix()
        for f in files:
            if f.lower().endswith(SCANNED_SUFFIXES):
                found.append(f if rel == "." else f"{rel}/{f}")
    return sorted(found, key=lambda f: f.split("/"))


def check_site(
    site: Path,
    checked: Mapping[str, list[str]] | None = None,
    *,
    extra_scripts: Iterable[str] = (),
) -> list[str]:
    """Problems of every page of the built ``site``, one line each naming the page and the element.

    ``checked`` holds the problems of pages already read by :func:`check_page` (by their path
    in the site); every other page is read from disk. ``extra_scripts`` are further site paths
    of external scripts to allow (a fork's own ``extra_javascript``)."""
    allowed = default_allowed(frozenset(extra_scripts))
    checked = checked or {}
    problems: list[str] = []
    for page in site_pages(site.resolve()):
        got = checked.get(page)
        if got is None:
            got = check_page((site / page).read_text(encoding="utf-8", errors="replace"), page, allowed)
        problems.extend(got)
    return problems


def own_scripts(config: Any) -> list[str]:
    """Site paths of the local scripts a MkDocs config's ``extra_javascript`` lists (a fork's own)."""
    found = []
    for entry in getattr(config, "extra_javascript", None) or config.get("extra_javascript") or ():
        path = _site_path("index.html", str(getattr(entry, "path", entry)))
        if path is not None:
            found.append(path)
    return found


# ------------------------------------------------------------------ Content-Security-Policy
# What every page of the site may load: its own files, and of inline scripts only the theme's,
# by hash. Material's stylesheets draw their icons as ``data:`` SVG images (``mask-image``), so
# images may be ``data:``; no page needs inline styles, frames, plugins, a <base> or a form
# that posts elsewhere.
CSP_BASE = (
    "default-src 'self'",
    "script-src 'self'{hashes}",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
)
CSP_META = '<meta http-equiv="Content-Security-Policy" content="{policy}">'
_HEAD = re.compile(r"<head(?:\s[^>]*)?>(?:\s*<meta\s+charset=[^>]*>)?", re.I)


def content_security_policy(page: str) -> str:
    """The policy for ``page``: the site's own files, and the theme's inline scripts it holds, by hash."""
    hashes = "".join(" " + csp_hash(s) for s in dict.fromkeys(theme_inline_scripts(page)))
    return "; ".join(CSP_BASE).format(hashes=hashes)


def add_csp(page: str) -> str:
    """``page`` with its :func:`content_security_policy` as the first thing of its ``<head>``
    (after ``<meta charset>``), so it governs every script after it; unchanged if it has no head."""
    head = _HEAD.search(page)
    if head is None:
        return page
    meta = CSP_META.format(policy=content_security_policy(page))
    return page[: head.end()] + meta + page[head.end() :]
