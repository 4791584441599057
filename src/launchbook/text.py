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
