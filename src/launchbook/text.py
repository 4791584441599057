"""Playbook text to safe output: Markdown rendered, then sanitized; plain text escaped.

Markdown fields are Markdown without raw HTML (the loader refuses HTML tags), and
the output is sanitized with nh3 anyway: no ``<script>``, no ``on…=``
attributes, and only http, https and mailto links survive (``javascript:``
and ``data:`` never do). Plain-text fields (titles, names, questions) are never
markup: :func:`escape_markdown` writes one into Markdown so that it renders as
written, :func:`escape_html` into what a theme prints as HTML, and Jinja's autoescape
does the rest. Text is never evaluated as a template.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
import shutil
import sys
import threading
from collections.abc import Mapping
from functools import lru_cache

import jinja2
import markdown
import nh3

from .fsutil import cache_folder, source_digest
from .markup import ROLE_REF, SAFE_SCHEMES, markdown_unsafe_link

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
_SCHEMES = set(SAFE_SCHEMES)  # one definition with what check allows (markup.py)


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates kept between processes, so a rebuild does not compile
    launchbook's templates again. Jinja keys each entry on the template's name and file and
    checks a hash of its source; the folder is keyed on what compiling also depends on: the
    Jinja and Python versions and launchbook's own code (the environments' options and filters,
    which Jinja calls at compile time to fold constants, are all in it). A folder that cannot
    be written leaves the cache unused, never fails a render."""

    KEEP = 8  # folders kept (one per launchbook code and Jinja version): a checkout's edits add more

    def __init__(self, root: str) -> None:
        key = f"{jinja2.__version__}\0{sys.version}\0".encode() + source_digest()
        super().__init__(os.path.join(root, hashlib.sha256(key).hexdigest()[:32]), "%s.cache")
        self._prune(root)

    def _prune(self, root: str) -> None:
        """Remove the folders beyond the :data:`KEEP` most recently written (never this one)."""
        with contextlib.suppress(OSError):
            folders = sorted(os.scandir(root), key=lambda e: e.stat().st_mtime_ns, reverse=True)
            for old in folders[self.KEEP :]:
                if old.is_dir() and old.path != self.directory:
                    shutil.rmtree(old.path, ignore_errors=True)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:  # e.g. a file where a folder of the path should be: compile
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template_env(package: str) -> jinja2.Environment:
    """The one Jinja2 setup for launchbook's own templates in ``package``/templates: autoescape on,
    StrictUndefined (a missing value is an error, never an empty string). Playbook text is only ever
    passed in as data, never compiled as a template. Compiled templates are cached under
    ``$XDG_CACHE_HOME/launchbook/jinja`` (not with ``LAUNCHBOOK_NO_CACHE``)."""
    folder = cache_folder("jinja")
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates ship with the package; never re-stat them per render
        bytecode_cache=_CompiledTemplates(str(folder)) if folder is not None else None,
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


# ------------------------------------------------------------------ plain text
# How each ASCII punctuation character of a plain text is written into Markdown. Python-Markdown
# unescapes a backslash only before the characters of its core ESCAPED_CHARS (CommonMark before
# any punctuation), so those get one; '&', '<' and '>' become HTML references, valid in both. The
# rest that some Markdown extension gives a meaning (':' emoji, autolinks and URL schemes, '|'
# tables, '~' '=' '^' strike, mark and caret, '$' math, '@' mentions, '"' in attributes) become
# numeric character references, which no inline pattern reads as markup. '-' and '.' mean
# something only at the start of a line (a list), where :func:`escape_markdown` escapes them.
_MD_ESCAPES: dict[int, str] = {
    **{ord(c): "\\" + c for c in "\\`*_{}[]()#+!"},
    **{ord(c): f"&#{ord(c)};" for c in '|~=^:$@"'},
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
}
_MD_BACKSLASHES = {k: v for k, v in _MD_ESCAPES.items() if v.startswith("\\")}
_BLANKS = re.compile(r"[ \t\n\r\f\v\x85\u2028\u2029]+")  # what can end a line, and ASCII blanks
_LIST_START = re.compile(r"^(\d{1,9}(?=[.)](?:\s|$))|)([-.)])")  # '- x', '1. x', '2) x', '---'


def escape_markdown(text: str) -> str:
    """Plain text as one line of inline Markdown that renders as exactly that text, nothing more:
    no link, image, emphasis, HTML, heading, list, attribute list (``{ onclick=x }``) or extension
    syntax, with Python-Markdown (any extension) and CommonMark alike. Runs of blanks and line
    breaks become one space, as HTML shows them, so the text cannot end the line it is written on
    (a heading's) nor start a block."""
    one_line = _BLANKS.sub(" ", text).strip().translate(_MD_ESCAPES)
    return _LIST_START.sub(r"\1\\\2", one_line, count=1)


def neutralize_markdown(text: str) -> str:
    """A Markdown text kept as Markdown for a Markdown output (the checklist export), without what
    ``check`` refuses in it: each image and each link the site would not keep
    (:func:`launchbook.markup.markdown_unsafe_link`) is written as plain text, and every ``<`` as
    ``&lt;`` (no raw HTML, no autolink). For callers that skipped ``check``; checked text passes
    unchanged unless it holds a '<'."""
    for _ in range(text.count("[")):  # each round removes at least one '[' of a construct
        found = markdown_unsafe_link(text)
        if found is None:
            break
        end = found.start + len(found.found)
        text = text[: found.start] + escape_markdown(found.found) + text[end:]
    return text.replace("<", "&lt;")


def escape_html(text: str) -> str:
    """Plain text as HTML text and double-quoted attribute value (``&``, ``<``, ``>`` and ``"``),
    for what MkDocs themes print as HTML (a page's front-matter title and description). An
    apostrophe is kept as is, so a title reads and searches the same."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def md_inline(text: str) -> str:
    """Like :func:`md_to_html` without the wrapping paragraph, for one-line texts."""
    out = md_to_html(text).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


# ------------------------------------------------------------------ role references
_SENTENCE_END = re.compile(r"(?:^|[.!?]|\n\s*\n|\n\s*(?:[-*+]|\d+[.)]))[\s\"'(*_“‘]*$")


def substitute_roles(text: str, names: Mapping[str, str], markdown: bool = False) -> str:
    """``text`` with each ``@role(id)`` (:data:`launchbook.markup.ROLE_REF`) replaced by the role's
    display name from ``names`` (id -> name; an unknown id, which ``check`` reports, is shown as
    written). Inside a sentence a name written like a common noun ("Product owner", "Legal and
    privacy") starts lower-case, as a writer would write it; "IT operations", "SRE" or "Head of
    Data" are kept as they are. In a Markdown text the name is written as plain text
    (Markdown's backslash escapes: a Markdown field is rendered with its '&' and '<' as text), so a
    name is never markup; a plain text is escaped later, by whoever writes it out, as always."""
    if "@role(" not in text:
        return text

    def shown(m: re.Match[str]) -> str:
        article, blank, ident = m.group(1), m.group(2), m.group(3).strip()
        name = names.get(ident, ident)
        if article or _SENTENCE_END.search(text, 0, m.start()) is None:
            name = _in_sentence(name)
        out = _BLANKS.sub(" ", name).translate(_MD_BACKSLASHES) if markdown else name
        return f"{_article_for(name, article)}{blank}{out}" if article else out

    return _ARTICLE_REF.sub(shown, text)


# "a @role(x)" / "an @role(x)": the article agrees with the name shown ("an ML engineer", "a
# product owner", "an executive sponsor"), whatever a fork renames the role to.
_ARTICLE_REF = re.compile(r"(?:\b([Aa]n?)(\s+))?" + ROLE_REF.pattern)
_VOWEL_LETTERS = "AEFHILMNORSX"  # letters whose spoken name starts with a vowel sound


def _article_for(name: str, written: str) -> str:
    """``a`` or ``an`` before ``name``, in the case ``written`` was."""
    word = name.split()[0] if name.split() else name
    if len(word) > 1 and word.isupper():
        vowel = word[0] in _VOWEL_LETTERS  # an acronym is spelled out: "an SRE", "an ML engineer"
    else:
        low = word.lower()
        vowel = low[:1] in "aeiou" and not low.startswith(("uni", "use", "usu", "one", "eu"))
        vowel = vowel or low.startswith(("hour", "honest", "honor", "honour"))
    article = "an" if vowel else "a"
    return article.capitalize() if written[:1].isupper() else article


def _in_sentence(name: str) -> str:
    """A display name as written inside a sentence: "Product owner" -> "product owner"."""
    words = name.split()
    if not words or not (words[0][:1].isupper() and words[0][1:].islower()):
        return name
    if any(w[:1].isupper() for w in words[1:]):
        return name  # a proper name ("Head of Data")
    return name[0].lower() + name[1:]
