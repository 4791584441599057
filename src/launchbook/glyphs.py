"""Characters the checklist PDFs' shipped fonts cannot draw (CJK, emoji, most scripts but Latin,
Greek and Cyrillic): found at render time and reported as a warning, never an error.

This module stays light (no Jinja2, no WeasyPrint) so ``launchbook explain`` can import it to read
its code.
"""

from __future__ import annotations

from collections.abc import Iterable

from .codes import declare
from .serialize import is_hidden

MISSING_GLYPHS = declare(
    "LB801",
    "pdf-missing-glyphs",
    """
    A text printed in a checklist PDF has characters its fonts cannot draw.

    The fonts shipped with launchbook (DejaVu Sans) have no Chinese, Japanese or Korean characters
    and no emoji. The PDF is still written, but those characters print as empty boxes, or in a
    font of the machine that renders the PDF, so the PDF differs from one machine to the next. The
    warning names the characters, the text and its file.

    Example (warns)::

        title: 数据缺失            # LB801 in the checklist PDF: '数' (U+6570), ...

    Example (passes)::

        title: Données manquantes   # Latin, Greek and Cyrillic print as written

    Fix: write the text with characters the font has (Latin, Greek, Cyrillic, common symbols), or
    use the HTML or Markdown checklist, which the reader's browser draws with its own fonts.
    """,
    level="warning",
)


def missing(text: str, codepoints: frozenset[int]) -> list[str]:
    """The distinct characters of ``text`` that are visible but not in ``codepoints``, in order.

    Whitespace and invisible characters (controls, bidi marks, zero-width joiners) are left out:
    they draw nothing, in any font."""
    found: dict[str, None] = {}
    for c in text:
        if ord(c) > 0x7E and ord(c) not in codepoints and not c.isspace() and not is_hidden(c):
            found[c] = None
    return list(found)


def describe(chars: Iterable[str]) -> str:
    """``'漢' (U+6F22), '😀' (U+1F600)``."""
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars)
