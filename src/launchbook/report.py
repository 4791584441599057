"""Reporters: problems as text (``path:line:col: CODE message``), JSON or GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .errors import Problem


def summary(problems: Sequence[Problem], files: int) -> str:
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    if not problems:
        return f"checked {files} files: no problems"
    return f"checked {files} files: {errors} error(s), {warnings} warning(s)"


def text(problems: Sequence[Problem], files: int) -> str:
    lines = []
    for p in problems:
        lines.append(f"{p.location()}: {p.code} {p.message}" + (" [warning]" if p.level == "warning" else ""))
        if p.hint:
            lines.append(f"    hint: {p.hint}")
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
        props = [f"file={_escape(p.path, True)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.column or 1}"]
        props.append(f"title={_escape(p.code, True)}")
        msg = p.message + (f"\n{p.hint}" if p.hint else "")
        lines.append(f"::{p.level} {','.join(props)}::{_escape(msg)}")
    lines.append(summary(problems, files))
    return "\n".join(lines) + "\n"


REPORTERS = {"text": text, "json": as_json, "github": github}
