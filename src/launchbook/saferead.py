"""Reading untrusted files: regular files only, inside their root, never more than a limit.

Every reader of user or third-party data (playbooks, answers files, framework data,
fork base snapshots) goes through :func:`read_regular`, which

* refuses FIFOs, devices, sockets and folders *without opening them* (opening a FIFO
  for reading blocks until a writer appears; opening some devices has side effects):
  the path is ``stat``-ed first, then opened with ``O_NONBLOCK`` (and ``O_NOFOLLOW``
  on the resolved path) and the open descriptor is ``fstat``-ed again, so a file
  swapped between the two looks is still refused;
* follows symbolic links only while they stay inside ``root`` when one is given (a
  ``sources.yml`` that links to ``/dev/zero`` or out of the tree is refused);
* checks the size limit before reading and enforces it while reading (at most
  ``limit + 1`` bytes are ever read, so a file that grows, or lies about its size, costs
  no more memory than the limit).

:func:`loads_json` parses JSON with its nesting depth and the digits of its numbers
bounded *before* parsing, so a hostile file gives a located :class:`JsonLimitError`
instead of a ``RecursionError`` or Python's 4300-digit ``ValueError``.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

MAX_DIGITS = 30  # digits in one number: far more than any real figure, far below int()'s 4300
_CHUNK = 1 << 16


class ReadRefused(OSError):
    """A file launchbook will not read: ``strerror`` says why, ``hint`` what to do."""

    def __init__(self, path: Path | str, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.strerror = self.reason = reason
        self.filename = str(path)
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


class TooLarge(ReadRefused):
    """Over the size limit: ``size`` is the size seen (at least ``limit + 1``)."""

    def __init__(self, path: Path | str, size: int, limit: int) -> None:
        super().__init__(
            path,
            f"file is {size:,} bytes, over the {limit:,}-byte limit"
            if size > limit + 1
            else f"file is over the {limit:,}-byte limit",
            "split the content into several files, or check that this is the file you meant",
        )
        self.size = size
        self.limit = limit


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def _not_regular(path: Path | str, mode: int) -> ReadRefused:
    return ReadRefused(
        path,
        f"{_kind(mode)}, not a regular file; refused",
        "replace it with an ordinary file (launchbook reads only regular files)",
    )


def _inside(real: str, root: Path) -> bool:
    base = os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _stat_if_no_links_below(path: Path, root: Path) -> os.stat_result | None:
    """The ``lstat`` of ``path`` when it is written as ``root/...`` and no part below ``root`` is
    a link (then it cannot lead out of ``root``), else None. One ``lstat`` per part instead of
    resolving both paths; the file's own ``lstat`` doubles as its ``stat``."""
    text, base = os.fspath(path), os.fspath(root).rstrip(os.sep)
    if not text.startswith(base + os.sep):
        return None
    below = text[len(base) + 1 :].split(os.sep)
    if ".." in below:
        return None
    current = base
    st = None
    for part in below:
        current = current + os.sep + part
        st = os.lstat(current)  # a missing part raises: reported by the caller
        if stat.S_ISLNK(st.st_mode):
            return None
    return st


def read_regular(path: Path, limit: int, root: Path | None = None) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes (inside ``root``).

    Raises :class:`ReadRefused` (an :class:`OSError`; :class:`TooLarge` for the size) or
    the ``OSError`` of a missing or unreadable file. Never blocks on a special file and
    never reads more than ``limit + 1`` bytes.
    """
    target: str = os.fspath(path)
    st = _stat_if_no_links_below(path, root) if root is not None else None
    if root is not None and st is None:
        real = os.path.realpath(path)
        if not _inside(real, root):
            raise ReadRefused(
                path,
                f"a link that leads out of the playbook folder (to {real}); refused",
                "copy the file into the folder instead of linking to it",
            )
        target = real
    if st is None:
        st = os.stat(target)  # never opens: a FIFO or device is refused before any open()
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(path, st.st_mode)
    if st.st_size > limit:
        raise TooLarge(path, st.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if root is not None:
        # no link was found in the last part: one there now was swapped in (an earlier part
        # swapped in the meantime can only lead to another file, still fstat-ed below)
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags)
    try:
        st = os.fstat(fd)  # the file actually opened (it may have been swapped since the stat)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(path, st.st_mode)
        if st.st_size > limit:
            raise TooLarge(path, st.st_size, limit)
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(_CHUNK if not chunks else 1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:  # the file grew while being read
            raise TooLarge(path, got, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


# ------------------------------------------------------------------ JSON
class JsonLimitError(ValueError):
    """JSON past a limit (nesting depth, digits of a number), with its line and column."""

    def __init__(self, msg: str, lineno: int, colno: int) -> None:
        super().__init__(f"{msg} (line {lineno}, column {colno})")
        self.msg = msg
        self.lineno = lineno
        self.colno = colno


# Strings (skipped whole), brackets, and runs of digits longer than MAX_DIGITS.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|[0-9]{' + str(MAX_DIGITS + 1) + ",}", re.S)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_json_limits(text: str, max_depth: int, max_digits: int = MAX_DIGITS) -> None:
    """Raise :class:`JsonLimitError` where ``text`` nests deeper than ``max_depth`` or holds a
    number with more than ``max_digits`` digits (a run of digits outside strings)."""
    # exact pre-tests: too few brackets to be deep, and no digit run that long
    shallow = text.count("[") + text.count("{") <= max_depth
    if shallow and re.search(f"[0-9]{{{max_digits + 1}}}", text) is None:
        return
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        c = m.group()[0]
        if c in "[{":
            depth += 1
            if depth > max_depth:
                raise JsonLimitError(f"nesting deeper than {max_depth} levels", *_line_col(text, m.start()))
        elif c in "]}":
            depth -= 1
        elif c != '"' and len(m.group()) > max_digits:
            raise JsonLimitError(
                f"a number with {len(m.group()):,} digits (at most {max_digits} allowed)",
                *_line_col(text, m.start()),
            )


def _float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):  # pragma: no cover - digits bounded
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def loads_json(text: str, max_depth: int, **kwargs: Any) -> Any:
    """``json.loads`` after :func:`check_json_limits`; ``NaN`` and ``Infinity`` are refused."""
    check_json_limits(text, max_depth)

    def constant(name: str) -> Any:
        raise JsonLimitError(f"'{name}' is not a JSON number", 1, 1)

    return json.loads(text, parse_constant=constant, parse_float=_float, **kwargs)
