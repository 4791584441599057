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


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper; a string holding a hidden character is written double-quoted."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    hidden = any(is_hidden(m.group()) for m in SUSPECT.finditer(data))
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"' if hidden else None)


_Dumper.add_representer(str, _represent_str)


def yaml_document(data: object) -> str:
    """``data`` (dicts, lists, strings, numbers, booleans, None) as a block-style YAML document
    written by PyYAML's safe emitter, keys in their order: it loads back (``yaml.safe_load``) as
    exactly ``data``. As in :func:`yaml_scalar`, a string with a bidi, zero-width or other hidden
    character is double-quoted with that character escaped, so it cannot reorder what an editor
    shows; other Unicode is written as itself."""
    out = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=float("inf"))
    # A raw hidden character can only stand inside a double-quoted scalar (above), where \uXXXX is
    # the same character; the emitter itself escapes line breaks there, so "\n" is structure.
    out = SUSPECT.sub(
        lambda m: escape_char(m.group()) if m.group() != "\n" and is_hidden(m.group()) else m.group(), out
    )
    if yaml.safe_load(out) != data:  # pragma: no cover - PyYAML guarantees it
        raise ValueError("cannot write the data as YAML that loads back the same")
    return out
