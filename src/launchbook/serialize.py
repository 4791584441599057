"""Text written into a structured format goes through that format's serializer: helpers shared by
the writers of YAML (``init``, ``build``'s mkdocs.yml), terminal output and graph exports."""

from __future__ import annotations

import re
import unicodedata

import yaml

# Control (Cc), format (Cf: bidi embeddings and overrides U+202A-202E, isolates U+2066-2069,
# marks U+200E/U+200F, zero-width and tag characters), surrogates (Cs: the undecodable bytes of
# a file name), line and paragraph separators (Zl, Zp) and unassigned code points (Cn).
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
# Everything but printable ASCII is a suspect; is_hidden() decides (é, 漢 and emoji are visible).
SUSPECT = re.compile(r"[^\x20-\x7e]")


def is_hidden(c: str) -> bool:
    """Whether the character ``c`` is a control, bidi, invisible or separator character."""
    return unicodedata.category(c) in HIDDEN_CATEGORIES


def escape_char(c: str) -> str:
    """``c`` as a visible escape: ``\\u202e``, ``\\U000e0041``."""
    n = ord(c)
    return f"\\u{n:04x}" if n <= 0xFFFF else f"\\U{n:08x}"


def hidden_characters(text: str) -> list[str]:
    """The distinct hidden characters of ``text`` (see :func:`is_hidden`), as ``U+XXXX``, in order."""
    found: dict[str, None] = {}
    for m in SUSPECT.finditer(text):
        if is_hidden(m.group()):
            found[f"U+{ord(m.group()):04X}"] = None
    return list(found)


def yaml_scalar(text: str) -> str:
    """``text`` as one YAML double-quoted scalar on one line, written by PyYAML's emitter: it loads
    back (``yaml.safe_load``) as exactly ``text``, whatever it holds (``: ``, ``#``, quotes, line
    breaks, ``{{ }}``, a leading ``*``, ``&`` or ``!``, astral characters). ASCII text gives the
    same result as ``json.dumps``."""
    out = yaml.safe_dump(text, default_style='"', width=float("inf"), allow_unicode=True)
    out = out.removesuffix("\n")
    # PyYAML writes bidi and zero-width characters raw; escaped, they cannot reorder what an
    # editor shows (inside a double-quoted scalar, \\uXXXX is the same character)
    out = SUSPECT.sub(lambda m: escape_char(m.group()) if is_hidden(m.group()) else m.group(), out)
    if "\n" in out or yaml.safe_load(out) != text:  # pragma: no cover - PyYAML guarantees both
        raise ValueError(f"cannot write {text!r} as one YAML scalar")
    return out
