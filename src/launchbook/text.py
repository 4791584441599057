"""Playbook text to safe HTML: Markdown rendered, then sanitized.

Playbook text is Markdown without raw HTML (the loader refuses HTML tags), and
the output is sanitized with nh3 anyway: no ``<script>``, no ``on…=``
attributes, and only http, https and mailto links survive (``javascript:``
and ``data:`` never do). Text is never evaluated as a template.
"""

from __future__ import annotations

import html
import re
import threading
from functools import lru_cache

import jinja2
import markdown
import nh3

_TAGS = {
    "p",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "br",
    "h3",
    "h4",
    "h5",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
_ATTRS = {"a": {"href", "title"}}
_SCHEMES = {"http", "https", "mailto"}


def template_env(package: str) -> jinja2.Environment:
    """The one Jinja2 setup for launchbook's own templates in ``package``/templates: autoescape on,
    StrictUndefined (a missing value is an error, never an empty string). Playbook text is only ever
    passed in as data, never compiled as a template."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates ship with the package; never re-stat them per render
    )


def sanitize(fragment: str) -> str:
    """Remove everything but a small set of formatting tags and safe links."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        attributes=_ATTRS,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_LOCAL = threading.local()

# What makes a text more than one plain paragraph: a character Markdown, the escaping or the
# sanitizer treats specially (nh3 writes U+00A0 as &nbsp;), a line that starts with white space
# (indented code, blank lines, continuation) or with a block marker, a line that ends in white
# space (hard breaks). Most playbook text matches none of these and is only wrapped in <p>.
_NOT_PLAIN = re.compile(r"[\\`*_\[\]<>&!#|~\x00-\x09\x0b-\x1f\x7f\xa0]|^\s|\s$|^(?:[-+=]|\d+[.)])", re.M)


def plain_paragraph(text: str) -> str | None:
    """``<p>text</p>`` when that is what Markdown renders ``text`` to (tested against it), else None.
    The one final newline of a YAML block scalar is dropped, as Markdown drops it."""
    body = text[:-1] if text.endswith("\n") else text
    if body and _NOT_PLAIN.search(body) is None:
        return f"<p>{body}</p>"
    return None


@lru_cache(maxsize=16384)
def md_to_html(text: str) -> str:
    """Render Markdown to sanitized HTML. Raw HTML in the input is escaped, never passed through.

    Plain prose (:func:`plain_paragraph`, most playbook text) skips the Markdown parse."""
    plain = plain_paragraph(text)
    return plain if plain is not None else render_markdown(text)


def render_markdown(text: str) -> str:
    """:func:`md_to_html` without the plain-prose shortcut. One Markdown converter per thread is
    reused (``reset()``): building one cost more than converting a playbook text
    (profile in benchmarks/SITE-NOTES.md)."""
    md = getattr(_LOCAL, "md", None)
    if md is None:
        md = _LOCAL.md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    return sanitize(md.reset().convert(html.escape(text, quote=False)))


def md_inline(text: str) -> str:
    """Like :func:`md_to_html` without the wrapping paragraph, for one-line texts."""
    out = md_to_html(text).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out
