"""The first stage of loading a playbook file: hostile bytes to one composed YAML node.

Every file is hostile until checked, so the bytes are checked before PyYAML sees them: the size,
UTF-8, a BOM in the middle, control characters (and NEL, LS, PS), tabs as indentation, mixed line
endings, an empty file; then, from the event stream and only when the text could hold them,
anchors and aliases, explicit tags and nesting past a depth limit; then one document is composed
(never constructed), with several documents and syntax errors located. Each refusal has its own
code (:mod:`launchbook.loader_codes`), a position and a hint. :mod:`launchbook.loader` walks the
node against the file's spec.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from . import loader_codes  # noqa: F401 - declares LB100-LB212, emitted through the registry
from .codes import REGISTRY
from .errors import Loc, Problem
from .saferead import ReadRefused, TooLarge, read_regular

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing: still safe, only slower
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class _Composer(_Loader):
    """The loader used to compose: the node's tag is never read (scalars are resolved by the
    field's spec), so YAML 1.1's implicit resolvers, a regex match per scalar, are skipped."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        return _DEFAULT_TAGS.get(kind, "tag:yaml.org,2002:str")

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered: nothing to track (called once per node)."""

    def ascend_resolver(self) -> None:
        """See :meth:`descend_resolver`."""


_DEFAULT_TAGS: dict[type[yaml.Node], str] = {
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}
MAX_BYTES = 1 << 20  # 1 MiB: the largest real playbook file is ~10 KB
MAX_DEPTH = 16  # deepest real structure is 4 levels
Pos = tuple[int, int]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|\r(?!\n)")
# What a message may not carry to a terminal (escape sequences, line separators).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_TAB_INDENT = re.compile(r"^ *\t", re.M)
_LF_ALONE = re.compile(r"(?<!\r)\n")
# Cheap filters: only files that could hold an anchor, alias, tag or deep flow
# nesting pay for a full event scan.
_MAYBE_SPECIAL = re.compile(r"(?:^|[\s\[{,:?-])[&*!]", re.M)
# Fast exact pre-tests for the regexes above (a regex that cannot match is not run):
# ASCII bytes that can never be a control character, a lone CR or an indenting tab.
_ASCII_PLAIN = bytes(range(0x20, 0x7F)) + b"\n"
_DEEP_LINE = " " * (MAX_DEPTH * 2)
_DEEP_RUN = re.compile(rf"[-?][ \t]+(?:[-?][ \t]+){{{MAX_DEPTH // 2 - 1}}}")
# Every match of _DEEP_RUN becomes eight '-' in a row once blanks are deleted and '?' is
# read as '-' (one bytes.translate: much faster than the regex, which tries every '-').
_DEEP_RUN_TABLE = bytes.maketrans(b"?", b"-")
_DEEP_RUN_HINT = b"-" * (MAX_DEPTH // 2)


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many short-lived node trees exist.

    On the way out (of the outermost block), what the block created is moved to the
    collector's permanent generation (``gc.freeze``) before collection resumes. A loaded
    playbook holds no reference cycles, so the collector has nothing to find in it, but
    every object allocated with collection paused sits in the youngest generation: the
    first collection afterwards would walk all of them, and the next full one again
    (together about 2 s at 10,000 failure modes). Frozen objects are still freed by
    reference counting; the next outermost block unfreezes them first, so a cycle frozen
    by chance (in a long-running ``serve``) is collected in a later full collection.
    """
    enabled = gc.isenabled()
    if enabled:
        gc.unfreeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Freeze what exists (out of the collector's way, as :func:`no_gc` leaves what it loaded) and
    collect every 50,000 allocations instead of 700 while the block runs: for work that allocates
    millions of objects and few reference cycles (MkDocs rendering pages, WeasyPrint laying out a
    PDF), where the default walked the same objects over and over (a few percent of the time,
    ``benchmarks/SITE-NOTES.md``). The threshold is restored afterwards; frozen objects stay frozen,
    and are still freed by reference counting."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _problem(code: str, message: str, path: str, pos: Pos, hint: str) -> Problem:
    """A problem of a declared code, at that code's level."""
    return REGISTRY[code].at(Loc(path, pos[0], pos[1]), message, hint)


def _escape(message: str) -> str:
    """``message`` without what a terminal would act on (escape sequences, line separators)."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", message)


def _line_col(text: str, offset: int) -> Pos:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _mark(mark: Any) -> Pos:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


class TextReader:
    """Collects the problems of one file while its bytes are checked and its node composed."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, code: str, pos: Pos, message: str, hint: str = "") -> None:
        """A problem of the declared ``code`` (a code not declared is a KeyError: a bug)."""
        self.problems.append(_problem(code, _escape(message), self.path, pos, hint))

    def text_checks(self, raw: bytes) -> str | None:
        if len(raw) > MAX_BYTES:
            self.add(
                "LB102",
                (1, 1),
                f"file is {len(raw):,} bytes, over the {MAX_BYTES:,}-byte limit",
                "split the content into several files; a playbook file is normally under 20 KB",
            )
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            prefix = raw[: exc.start].decode("utf-8", "replace")
            self.add(
                "LB103",
                _line_col(prefix, len(prefix)),
                f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
                "save the file as UTF-8 (in most editors: 'Save with encoding' -> UTF-8)",
            )
            return None
        if text.startswith("\ufeff"):
            text = text[1:]
        bom = text.find("\ufeff")
        if bom >= 0:
            self.add(
                "LB104",
                _line_col(text, bom),
                "byte order mark (U+FEFF) in the middle of the file",
                "delete the invisible U+FEFF character; it usually comes from pasting two files together",
            )
        plain = raw.isascii() and not raw.translate(None, _ASCII_PLAIN)  # no control, CR or tab
        for m in [] if plain else list(_CONTROL.finditer(text))[:5]:
            self.add(
                "LB105",
                _line_col(text, m.start()),
                f"control character U+{ord(m.group()[0]):04X} in text",
                "delete it; line breaks must be plain newlines and text may not hold control characters",
            )
        lone_lf = _LF_ALONE.search(text) if "\r\n" in text else None
        if lone_lf is not None:
            self.add(
                "LB114",
                _line_col(text, lone_lf.start()),
                "mixed line endings (CRLF and LF in one file)",
                "convert the file to one line ending (LF), e.g. with `dos2unix`",
            )
        for m in list(_TAB_INDENT.finditer(text))[:3] if "\t" in text else []:
            self.add(
                "LB106",
                _line_col(text, m.end() - 1),
                "tab used for indentation",
                "indent with spaces; YAML does not allow tabs in indentation",
            )
        if self.problems:
            return None
        if not text.strip() or _only_comments(text):
            self.add("LB107", (1, 1), "file is empty", "add the file's fields, or delete the file")
            return None
        return text

    def event_scan(self, text: str) -> None:
        """Find anchors, aliases, tags and deep nesting from the event stream (no composition)."""
        depth = 0
        try:
            for ev in yaml.parse(text, Loader=_Loader):
                if isinstance(ev, yaml.AliasEvent):
                    self.add(
                        "LB110",
                        _mark(ev.start_mark),
                        f"alias '*{ev.anchor}' is not allowed",
                        "write the value out in full; anchors and aliases are refused",
                    )
                    continue
                if isinstance(ev, yaml.NodeEvent) and ev.anchor is not None:
                    self.add(
                        "LB110",
                        _mark(ev.start_mark),
                        f"anchor '&{ev.anchor}' is not allowed",
                        "remove the anchor and write repeated values out in full",
                    )
                tag = getattr(ev, "tag", None)
                if tag is not None and isinstance(ev, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                    self.add(
                        "LB112",
                        _mark(ev.start_mark),
                        f"explicit tag '{tag}' is not allowed",
                        "remove the tag; launchbook reads every value by its field's type",
                    )
                if isinstance(ev, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_DEPTH:
                        self.add(
                            "LB113",
                            _mark(ev.start_mark),
                            f"nesting deeper than {MAX_DEPTH} levels",
                            _DEEP_HINT,
                        )
                        return
                elif isinstance(ev, yaml.CollectionEndEvent):
                    depth -= 1
        except yaml.MarkedYAMLError as exc:
            if _too_deep(exc):  # libyaml's own limit, hit while scanning ahead
                self.add(
                    "LB113", _mark(exc.problem_mark), f"nesting deeper than {MAX_DEPTH} levels", _DEEP_HINT
                )
            return  # the composer reports other syntax errors with their position
        except yaml.YAMLError:
            return

    def compose(self, text: str) -> yaml.Node | None:
        loader = _Composer(text)
        try:
            node: yaml.Node | None = loader.get_single_node()
        except yaml.composer.ComposerError as exc:
            if exc.context and "single document" in exc.context:
                self.add(
                    "LB109",
                    _mark(exc.problem_mark),
                    "more than one YAML document in the file",
                    "remove the '---' separator and keep one document per file",
                )
            else:
                self.add(
                    "LB100",
                    _mark(exc.problem_mark),
                    f"YAML syntax error: {exc.problem}",
                    _syntax_hint(str(exc.problem)),
                )
            return None
        except yaml.MarkedYAMLError as exc:
            if _too_deep(exc):
                self.add(
                    "LB113", _mark(exc.problem_mark), f"nesting deeper than {MAX_DEPTH} levels", _DEEP_HINT
                )
                return None
            where = exc.problem_mark or exc.context_mark
            what = exc.problem or exc.context or "invalid YAML"
            if exc.context and exc.context_mark and "end of stream" in what:
                # e.g. an unclosed quote: point at where it opened, not at the end of the file
                where, what = exc.context_mark, f"{what} {exc.context}"
            elif exc.context and exc.context_mark and where and exc.context_mark.line != where.line:
                what = f"{what} ({exc.context} that starts on line {exc.context_mark.line + 1})"
            self.add("LB100", _mark(where), f"YAML syntax error: {what}", _syntax_hint(str(what)))
            return None
        except yaml.YAMLError as exc:
            self.add("LB100", (1, 1), f"YAML error: {exc}", "check the quoting and indentation")
            return None
        finally:
            loader.dispose()
        return node


_DEEP_HINT = "flatten the structure; playbook files nest at most a few levels"


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "quote the value: it contains ': ' (e.g. title: \"Ask: why?\")"
    if "found character '\\t'" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in problem:
        return "each field needs 'name: value'; check the indentation of this line"
    return "check the quoting and indentation around this line"


def read_source(path: Path, name: str, root: Path | None = None) -> bytes | Problem:
    """The bytes of one playbook file, or the problem that keeps it from being read.

    Only a regular file is read (a FIFO, device or socket is refused without being opened),
    a link only while it stays inside ``root``, and never more than :data:`MAX_BYTES` + 1
    bytes (see :func:`launchbook.saferead.read_regular`).
    """
    try:
        return read_regular(path, MAX_BYTES, root)
    except TooLarge as exc:
        hint = "split the content into several files; a playbook file is normally under 20 KB"
        return _problem("LB102", exc.reason, name, (1, 1), hint)
    except ReadRefused as exc:
        return _problem("LB115", f"cannot read file: {_escape(exc.reason)}", name, (1, 1), exc.hint)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        hint = "check the path and permissions"
        if isinstance(exc, IsADirectoryError):
            hint = "a folder has this file's name; rename the folder"
        return _problem("LB115", f"cannot read file: {_escape(reason)}", name, (1, 1), hint)


def _too_deep(exc: yaml.MarkedYAMLError) -> bool:
    return "maximum nesting depth" in str(exc.problem or "")


def _maybe_special(text: str) -> bool:
    """Could the text hold an anchor, alias or tag? (``_MAYBE_SPECIAL``, run only when one of
    its three characters occurs at all)."""
    if "&" not in text and "*" not in text and "!" not in text:
        return False
    return _MAYBE_SPECIAL.search(text) is not None


def _deep_indent(text: str) -> bool:
    """Deep block indentation, or a long run of inline ``- - -`` / ``? ?`` nesting."""
    # a line starting with MAX_DEPTH * 2 spaces (what ``^ {32}`` with re.M finds, without a regex)
    if text.startswith(_DEEP_LINE) or "\n" + _DEEP_LINE in text:
        return True
    # ``(?:[-?][ \t]+){8}`` written to start with a character class, which the regex engine
    # can skip to, instead of a group it must try at every position
    if _DEEP_RUN_HINT not in text.encode().translate(_DEEP_RUN_TABLE, b" \t"):
        return False
    return _DEEP_RUN.search(text) is not None


def _only_comments(text: str) -> bool:
    """True when every line is blank or a comment; reads only up to the first other line."""
    start = 0
    while True:
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.strip() and not line.lstrip().startswith("#"):
            return False
        if end < 0:
            return True
        start = end + 1
