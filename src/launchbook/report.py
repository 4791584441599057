"""Reporters: problems as text (``path:line:col: CODE message``), JSON or GitHub annotations."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from .errors import Problem

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _safe(value: str) -> str:
    """Escape what could break one-problem-per-line output or drive a terminal (file names too)."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def summary(problems: Sequence[Problem], files: int) -> str:
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    if not problems:
        return f"checked {files} files: no problems"
    return f"checked {files} files: {errors} error(s), {warnings} warning(s)"


def text(problems: Sequence[Problem], files: int) -> str:
    lines = []
    for p in problems:
        warn = " [warning]" if p.level == "warning" else ""
        lines.append(f"{_safe(p.location())}: {p.code} {_safe(p.message)}{warn}")
        if p.hint:
            lines.append(f"    hint: {_safe(p.hint)}")
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
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(problems: Sequence[Problem], files: int) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``)."""
    lines = []
    for p in problems:
        props = [f"file={_escape(_safe(p.path), True)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.column or 1}"]
        props.append(f"title={_escape(p.code, True)}")
        msg = _safe(p.message) + (f"\n{_safe(p.hint)}" if p.hint else "")
        lines.append(f"::{p.level} {','.join(props)}::{_escape(msg)}")
    lines.append(summary(problems, files))
    return "\n".join(lines) + "\n"


REPORTERS = {"text": text, "json": as_json, "github": github}
