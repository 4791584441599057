"""Playbook text to safe HTML: Markdown rendered, then sanitized.

Playbook text is Markdown without raw HTML (the loader refuses HTML tags), and
the output is sanitized with nh3 anyway: no ``<script>``, no ``on…=``
attributes, and only http, https and mailto links survive (``javascript:``
and ``data:`` never do). Text is never evaluated as a template.
"""

from __future__ import annotations

import html
import threading
from functools import lru_cache

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


@lru_cache(maxsize=16384)
def md_to_html(text: str) -> str:
    """Render Markdown to sanitized HTML. Raw HTML in the input is escaped, never passed through.

    One Markdown converter per thread is reused (``reset()``): building one cost more than
    converting a playbook text (profile in benchmarks/SITE-NOTES.md)."""
    md = getattr(_LOCAL, "md", None)
    if md is None:
        md = _LOCAL.md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    rendered = md.reset().convert(html.escape(text, quote=False))
    return sanitize(rendered)


def md_inline(text: str) -> str:
    """Like :func:`md_to_html` without the wrapping paragraph, for one-line texts."""
    out = md_to_html(text).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out
