"""Characters the checklist PDFs' shipped fonts cannot draw (CJK, emoji, most scripts but Latin,
Greek and Cyrillic): found at render time and reported as a warning, never an error.

This module stays light (no Jinja2, no WeasyPrint) so ``launchbook explain`` can import it to read
its code. Which characters the fonts have is read from their tables once and kept in the cache
folder (:func:`cached_codepoints`), so a build does not parse the fonts each time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping

from .codes import declare
from .fsutil import cache_folder, write_atomic
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


CODEPOINTS_FORMAT = b"launchbook-codepoints-1"  # bump when what the key covers or the layout changes


def cached_codepoints(fonts: Mapping[str, bytes], read: Callable[[], frozenset[int]]) -> frozenset[int]:
    """``read()`` (the characters every font of ``fonts`` can draw), kept under
    ``$XDG_CACHE_HOME/launchbook/glyphs`` by a SHA-256 of the fonts' names and bytes: the answer
    depends on nothing else. ``LAUNCHBOOK_NO_CACHE`` or an unreadable or corrupt entry: ``read()``."""
    folder = cache_folder("glyphs")
    if folder is None:
        return read()
    h = hashlib.sha256(CODEPOINTS_FORMAT)
    for name in sorted(fonts):
        h.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(fonts[name]).digest())
    path = folder / (h.hexdigest()[:32] + ".json")
    try:
        ranges = json.loads(path.read_bytes())
        return frozenset(c for start, end in ranges for c in range(int(start), int(end) + 1))
    except (OSError, ValueError, TypeError):
        pass
    have = read()
    with contextlib.suppress(OSError):
        write_atomic(path, json.dumps(_ranges(have)).encode())
    return have


def _ranges(codepoints: frozenset[int]) -> list[list[int]]:
    """``[[first, last], ...]``: the code points as sorted runs (the cmap of a font is mostly runs)."""
    out: list[list[int]] = []
    for c in sorted(codepoints):
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out
