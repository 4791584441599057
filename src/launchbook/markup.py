"""What a playbook text may hold: plain text is never markup, Markdown never links or loads
what the site refuses.

Two rules, one place, used by the loader (which refuses with the text's file, line and column)
and by the outputs (which neutralize what a caller that skipped ``check`` still hands them):

- **Plain text** (a schema :class:`~launchbook.schema.Text` of kind ``text``: titles, names,
  questions, ...) is shown as written. Markdown link and image syntax (``[x](url)``,
  ``![x](url)``, ``[x][ref]``), raw HTML and autolinks (``<b>``, ``</b>``, ``<!--``,
  ``<https://x>``) and attribute lists (``{ onclick=x }``, ``{: .class }``, which MkDocs'
  ``attr_list`` turns into HTML attributes) are refused (:func:`plain_text_markup`). Ordinary
  punctuation stays allowed: parentheses, brackets without a link after them, ``a < b``, and a
  role reference such as ``@role(product-owner)``.
- **Markdown** (kind ``markdown``) may link only with a full ``http:``, ``https:`` or
  ``mailto:`` address, and shows no image (:func:`markdown_unsafe_link`): the site's sanitizer
  keeps no other link and no image, and the build's link check refuses ``javascript:``,
  ``data:`` and ``vbscript:`` URLs, images from outside the site and relative links that do not
  resolve (a text appears on several pages, so a relative link cannot resolve on all of them).
  Code spans and fenced code are text, not links; an empty target (``[see]()``) is allowed.

Standard library only (and the code registry): the loader imports this module. The loader passes
the names of the Markdown fields, which come from the schema, into the plain-text hints.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .codes import declare

MARKUP_IN_PLAIN_TEXT = declare(
    "LB220",
    "markup-in-plain-text",
    """
    Markdown or HTML syntax in a plain-text field (a title, name, question, tag, meeting, ...).

    Plain text is shown as written on every page, checklist and export, never as Markdown, so
    these are refused: a link or image ('[x](url)', '![x](url)', '[x][ref]'), HTML or an
    autolink ('<b>', '<https://x>'), and an attribute list ('{ #id .class key=value }', which
    MkDocs' attr_list would turn into HTML attributes, event handlers included). Ordinary
    punctuation stays allowed: parentheses, a bracket alone, 'a < b', and a role reference
    such as '@role(product-owner)'.

    Example (fails)::

        name: Product owner { onfocus=alert(1) }   # LB220 attribute-list syntax

    Example (passes)::

        name: Product owner (the budget holder)

    Fix: remove the syntax, or move the link into a Markdown field (description, summary,
    impact, do, a source's or citation's note, signs).
    """,
)

UNSAFE_LINK = declare(
    "LB221",
    "unsafe-link",
    """
    A link or image in a Markdown field that the site would not keep.

    Markdown fields may link only to full http://, https:// or mailto: addresses: the site's
    sanitizer removes any other link and every image, and the build's link check refuses
    javascript:, data: and vbscript: URLs, images loaded from outside the site, and relative
    links that do not resolve (a text appears on several pages, so a relative link cannot be
    right on all of them). check refuses them first, at the link's line and column.

    Example (fails)::

        summary: See [the plan](javascript:alert(1)) and ![chart](https://x.example/c.png)

    Example (passes)::

        summary: See [the plan](https://example.org/plan) and [the chart](https://x.example/c.png)

    Fix: link with a full https:// address; instead of an image, link to it.
    """,
)

SAFE_SCHEMES = ("http", "https", "mailto")  # the schemes the site's sanitizer keeps (text.py)


@dataclass(frozen=True)
class Finding:
    """Markup found in a text: where it starts, the text matched, what it is and how to fix it."""

    start: int
    found: str
    what: str
    hint: str


# A link or an image: ``](`` ends an inline link's text, ``] [`` or ``][`` a reference link's;
# ``![`` starts an image. A bracket alone ("[draft]") is plain prose.
_LINK_RE = r"!\[|\]\(|\] ?\["
# A tag, an end tag, a comment, a declaration or an autolink: '<' then a letter, '/', '!' or '?'.
# "a < b" and "<5 %" stay prose.
_HTML_RE = r"<[A-Za-z/!?]"
# An attribute list as Python-Markdown's attr_list reads one (its BASE_RE): braces around
# something that is not only blanks, on one line.
_ATTR_LIST_RE = r"\{:?[ ]*[^}\n ][^}\n]*\}"
# All three, as the JSON Schema's ``not: {pattern}`` of a plain-text field, so that an editor
# refuses what ``check`` refuses (the syntax is both Python's and ECMA-262's).
PLAIN_TEXT_MARKUP = f"{_LINK_RE}|{_HTML_RE}|{_ATTR_LIST_RE}"
_PLAIN_LINK = re.compile(_LINK_RE)
_PLAIN_HTML = re.compile(_HTML_RE + r"[^\s<>]*>?")
_ATTR_LIST = re.compile(_ATTR_LIST_RE)


def _plain_hint(what: str, markdown_fields: str) -> str:
    return (
        f"remove the {what}: plain text is shown as written, never as Markdown or HTML;"
        f" Markdown (links included) is allowed in {markdown_fields}"
    )


def plain_text_markup(value: str, markdown_fields: str = "the Markdown fields") -> Finding | None:
    """The first link, image, HTML or attribute-list syntax in a plain text, or None.

    ``markdown_fields`` names, for the hint, the fields where Markdown is allowed (the loader
    passes :func:`launchbook.schema.markdown_fields`)."""
    found: list[Finding] = []
    if "[" in value or "]" in value:
        m = _PLAIN_LINK.search(value)
        if m:
            what = "Markdown image syntax" if m.group() == "![" else "Markdown link syntax"
            start = m.start()
            if m.group() != "![":  # point at the link's '[', not at its ']'
                opening = value.rfind("[", value.rfind("\n", 0, start) + 1, start)
                start = opening if opening >= 0 else start
            found.append(Finding(start, value[start : m.end()], what, _plain_hint(what, markdown_fields)))
    if "<" in value:
        m = _PLAIN_HTML.search(value)
        if m:
            found.append(Finding(m.start(), m.group(), "HTML", _plain_hint("HTML", markdown_fields)))
    if "{" in value:
        m = _ATTR_LIST.search(value)
        if m:
            found.append(
                Finding(
                    m.start(),
                    m.group(),
                    "attribute-list syntax",
                    _plain_hint("braces", markdown_fields)
                    + " (a '{ ... }' group would become HTML attributes on the site)",
                )
            )
    return min(found, key=lambda f: f.start) if found else None


# ---------------------------------------------------------------- Markdown
# An inline link or image: ``[text](url`` / ``![alt](url`` (the destination may be in <...>).
_MD_INLINE = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*(<[^<>\n]*>|[^\s)]*)")
# A reference definition: ``[ref]: url`` at the start of a line.
_MD_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(<[^<>\n]*>|\S+)", re.M)
# An image by reference: ``![alt][ref]`` or ``![alt]``.
_MD_REF_IMAGE = re.compile(r"!\[[^\]\n]*\]")
_URL_BLANKS = re.compile(r"[\x00-\x20\x7f]+")  # what browsers drop from a URL before its scheme
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_BACKSLASH = re.compile(r"\\(.)")


def url_scheme(url: str) -> str:
    """The scheme a browser would read in ``url`` (lower case; '' when relative): entities and
    backslash escapes are decoded and blanks dropped first (``jav&#x61;script:``, ``java\\tscript:``)."""
    plain = _URL_BLANKS.sub("", html.unescape(_BACKSLASH.sub(r"\1", url.strip("<>"))))
    m = _SCHEME.match(plain)
    return m.group(1).lower() if m else ""


def _url_problem(url: str) -> tuple[str, str] | None:
    """(what, hint) when a link to ``url`` would not survive the site; None when it does."""
    scheme = url_scheme(url)
    if scheme in SAFE_SCHEMES or not url.strip("<>"):
        return None  # an empty link ("[see]()") points at its own page, which always resolves
    if scheme:
        return (
            f"a {scheme}: link",
            "links in playbook text must be full http://, https:// or mailto: addresses;"
            f" the site removes a {scheme}: link and the build refuses it",
        )
    return (
        f"a relative link '{url.strip('<>')}'",
        "write the full https:// address: a text appears on several pages of the site,"
        " where a relative link would point somewhere else",
    )


_IMAGE_HINT = (
    "the site shows no image from playbook text (and the build refuses images from outside the site);"
    " link to it instead: [caption](https://...)"
)


# Code, where Markdown syntax is only text: a fenced block (to its closing fence or the end) and
# an inline code span (a run of backticks to the next run of the same length).
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n(?:.*?\n[ ]{0,3}\1[`~]*[ \t]*(?:\n|$)|.*\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


def _mask_code(value: str) -> str:
    """``value`` with its code blocks and code spans blanked out, offsets unchanged."""
    if "`" not in value and "~~~" not in value:
        return value
    blank = lambda m: re.sub(r"[^\n]", " ", m.group())  # noqa: E731
    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, value))


def markdown_unsafe_link(value: str) -> Finding | None:
    """The first image, or link the site would not keep, in a Markdown text (outside code), or None."""
    if "[" not in value:
        return None
    masked = _mask_code(value)
    found: list[Finding] = []
    for m in _MD_INLINE.finditer(masked):
        if m.group(1):
            found.append(Finding(m.start(), m.group(), "an image", _IMAGE_HINT))
            break
        bad = _url_problem(m.group(3))
        if bad is not None:
            found.append(Finding(m.start(), m.group(), *bad))
            break
    m2 = _MD_REF_IMAGE.search(masked)
    if m2:
        found.append(Finding(m2.start(), m2.group(), "an image", _IMAGE_HINT))
    for m in _MD_DEFINITION.finditer(masked):
        bad = _url_problem(m.group(1))
        if bad is not None:
            found.append(Finding(m.start(), m.group(), *bad))
            break
    return min(found, key=lambda f: f.start) if found else None
