"""Reporters: problems as text (``path:line:col: CODE message``), JSON or GitHub annotations."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from .errors import Problem
from .serialize import SUSPECT, escape_char, is_hidden


def for_terminal(text: str, *, newlines: bool = False) -> str:
    """``text`` safe to print: control, bidi, invisible and separator characters become visible
    escapes (``\\u001b``, ``\\u202e``), so nothing in a playbook or file name can drive the terminal,
    reorder what is shown or fake an output line. ``newlines=True`` keeps ``\\n`` (multi-line reports).

    Every text reporter and every CLI print of playbook text goes through this function.
    """

    def sub(m: re.Match[str]) -> str:
        c = m.group()
        if newlines and c == "\n":
            return c
        return escape_char(c) if is_hidden(c) else c

    return SUSPECT.sub(sub, text)


def json_for_terminal(doc: str) -> str:
    """JSON text with the characters :func:`for_terminal` hides written as ``\\uXXXX`` escapes.

    They can only occur inside JSON strings, where the escape decodes to the same character, so the
    document means exactly the same (astral code points become a surrogate pair, as JSON requires).
    """

    def sub(m: re.Match[str]) -> str:
        c = m.group()
        if c == "\n" or not is_hidden(c):
            return c
        n = ord(c)
        if n <= 0xFFFF:
            return f"\\u{n:04x}"
        n -= 0x10000
        return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"

    return SUSPECT.sub(sub, doc)


def summary(problems: Sequence[Problem], files: int) -> str:
    errors = sum(1 for p in problems if p.level == "error")
    notes = sum(1 for p in problems if p.level == "note")
    warnings = len(problems) - errors - notes
    if not problems:
        return f"checked {files} files: no problems"
    return f"checked {files} files: {errors} error(s), {warnings} warning(s)" + (
        f", {notes} note(s)" if notes else ""
    )


def text(problems: Sequence[Problem], files: int) -> str:
    lines = []
    for p in problems:
        warn = f" [{p.level}]" if p.level != "error" else ""
        lines.append(f"{for_terminal(p.location())}: {p.code} {for_terminal(p.message)}{warn}")
        if p.hint:
            lines.append(f"    hint: {for_terminal(p.hint)}")
    lines.append(summary(problems, files))
    return "\n".join(lines) + "\n"


def as_json(problems: Sequence[Problem], files: int) -> str:
    errors = sum(1 for p in problems if p.level == "error")
    doc = {
        "problems": [
            {
                "code": p.code,
                "level": p.level,
                "message": p.message,
                "path": p.path,
                "line": p.line,
                "column": p.column,
                "hint": p.hint,
            }
            for p in problems
        ],
        "summary": {"files": files, "errors": errors, "warnings": len(problems) - errors},
    }
    return json_for_terminal(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(problems: Sequence[Problem], files: int) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``)."""
    lines = []
    for p in problems:
        props = [f"file={_escape(for_terminal(p.path), True)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.column or 1}"]
        props.append(f"title={_escape(p.code, True)}")
        msg = for_terminal(p.message) + (f"\n{for_terminal(p.hint)}" if p.hint else "")
        kind = "notice" if p.level == "note" else p.level  # GitHub's name for a note
        lines.append(f"::{kind} {','.join(props)}::{_escape(msg)}")
    lines.append(summary(problems, files))
    return "\n".join(lines) + "\n"


REPORTERS = {"text": text, "json": as_json, "github": github}
