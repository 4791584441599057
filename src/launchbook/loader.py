"""Safe YAML loading that keeps line and column for every node.

Every file is hostile until checked. PyYAML's defaults are not enough, so this
module reads the raw bytes itself and refuses, each with its own code and a
hint: oversize files, invalid UTF-8, a BOM in the middle, control characters
(and NEL, LS, PS), tabs as indentation, mixed line endings, empty files,
several documents, anchors and aliases, merge keys, explicit tags, nesting
past a depth limit, duplicate keys, and a root that is not a mapping.

Composition uses libyaml (``CSafeLoader``) when available; nothing is ever
*constructed* by PyYAML. Plain scalars are resolved by the field's spec from
:mod:`launchbook.schema` (``answer: no`` stays the text ``no``), never by
YAML 1.1's implicit resolvers.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import loader_codes  # noqa: F401 - declares LB100-LB212, emitted here through the registry
from .codes import REGISTRY
from .errors import Loc, Problem, did_you_mean
from .markup import Finding, markdown_unsafe_link, plain_text_markup
from .saferead import ReadRefused, TooLarge, read_regular
from .schema import (
    ID_RE,
    PATTERNS,
    Bool,
    Dict,
    Enum,
    Int,
    Num,
    Obj,
    OneOf,
    Seq,
    Spec,
    Text,
    compile_full,
    is_real_date,
    markdown_fields,
)

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
Key = tuple[str | int, ...]
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
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_NUM = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z")
MAX_DIGITS = 30  # digits in a number: far more than any bound in the schema, far below int()'s 4300
_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?|/[a-zA-Z][a-zA-Z0-9-]*\s*|!--)>?", re.S)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_COMPILED = {k: compile_full(v) for k, v in PATTERNS.items()}
_NAMES = {yaml.ScalarNode: "a single value", yaml.SequenceNode: "a list", yaml.MappingNode: "a mapping"}


@dataclass(frozen=True)
class Document:
    """One loaded file: plain data (``None`` when it could not be read) and node positions."""

    path: str
    data: dict[str, Any] | None
    locs: dict[Key, Pos]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(p.level == "error" for p in self.problems)

    def pos(self, *key: str | int) -> Pos:
        """Line and column (1-based) of the node at ``key``, or of its nearest parent."""
        k: Key = key
        found = self.locs.get(k)
        if found is not None:
            return found
        while k not in self.locs and k:
            k = k[:-1]
        return self.locs.get(k, (0, 0))


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


class _Reader:
    """Collects problems for one file while walking its nodes against a spec."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.locs: dict[Key, Pos] = {}
        self.text = ""  # the decoded file, once it passed the raw-text checks

    def add(self, code: str, pos: Pos, message: str, hint: str = "") -> None:
        """A problem of the declared ``code`` (a code not declared is a KeyError: a bug)."""
        self.problems.append(_problem(code, _escape(message), self.path, pos, hint))

    # ------------------------------------------------------------ raw text
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

    # ------------------------------------------------------------ nodes
    # The walk runs once per node of every file, so it is written for speed: the spec's
    # class is dispatched once, a field's name is worked out only for a message, and the
    # checks that cannot fire are skipped by exact pre-tests (see ``_scalar``).
    def walk(self, node: yaml.Node, spec: Spec, key: Key) -> Any:
        mark = node.start_mark
        pos = (mark.line + 1, mark.column + 1)
        self.locs[key] = pos
        if isinstance(spec, Text):  # the most common spec: a leaf
            if not isinstance(node, yaml.ScalarNode):
                return self._wrong(node, "a single value", pos, key)
            return self._text(node, spec, key, pos)
        if isinstance(spec, (Obj, OneOf)):
            return self._obj(node, spec, key, pos)
        if isinstance(spec, Seq):
            return self._seq(node, spec, key, pos)
        if isinstance(spec, Dict):
            return self._dict(node, spec, key, pos)
        if not isinstance(node, yaml.ScalarNode):
            expected = "true or false" if isinstance(spec, Bool) else "a single value"
            return self._wrong(node, expected, pos, key)
        return self._scalar(node, spec, key, pos)

    def _seq(self, node: yaml.Node, spec: Seq, key: Key, pos: Pos) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return self._wrong(node, "a list", pos, key)
        out = []
        seen: dict[Any, int] = {}
        walk, item, unique, locs = self.walk, spec.item, spec.unique, self.locs
        text = type(item) is Text  # then a scalar item is handled here, as walk would
        for i, child in enumerate(node.value):
            ikey = (*key, i)
            if text and isinstance(child, yaml.ScalarNode):
                mark = child.start_mark
                ipos = (mark.line + 1, mark.column + 1)
                locs[ikey] = ipos
                value = self._text(child, item, ikey, ipos)  # type: ignore[arg-type]
            else:
                value = walk(child, item, ikey)
            if value is _BAD:
                continue
            if unique and isinstance(value, str):
                if value in seen:
                    self.add("LB211", locs[ikey], f"'{value}' is listed twice", "remove one")
                    continue
                seen[value] = i
            out.append(value)
        if len(node.value) < spec.min_items:
            self.add(
                "LB210",
                pos,
                f"'{_field(key)}' needs at least {spec.min_items} item(s)",
                "add the missing items",
            )
        return out

    def _dict(self, node: yaml.Node, spec: Dict, key: Key, pos: Pos) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return self._wrong(node, "a mapping", pos, key)
        dout: dict[str, Any] = {}
        pattern = compile_full(spec.key_pattern)
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                self.add(
                    "LB202",
                    _mark(knode.start_mark),
                    "keys must be plain text",
                    "write the key as one plain word, not a list or mapping",
                )
                continue
            k = knode.value
            kpos = _mark(knode.start_mark)
            if self._merge_key(knode):
                continue
            if k in dout:
                first = self.locs.get((*key, k), kpos)
                self.add("LB101", kpos, f"duplicate key '{k}' (first at line {first[0]})", _DUP_HINT)
                continue
            if not pattern.match(k):
                self.add("LB203", kpos, f"key '{k}' is not a kebab-case name", _ID_HINT)
                continue
            value = self.walk(vnode, spec.value, (*key, k))
            if value is not _BAD:
                dout[k] = value
        return dout

    def _obj(self, node: yaml.Node, spec: Obj | OneOf, key: Key, pos: Pos) -> Any:
        obj = spec.obj if isinstance(spec, OneOf) else spec
        if not isinstance(node, yaml.MappingNode):
            if not key:
                found = _NAMES.get(type(node), "something else")
                self.add(
                    "LB108",
                    pos,
                    f"the file must be a mapping of fields, found {found}",
                    f"start the file with the {obj.title}'s fields, e.g. '{obj.fields[0].name}: ...'",
                )
                return _BAD
            return self._wrong(node, f"a mapping ({obj.title})", pos, key)
        out: dict[str, Any] = {}
        locs, by_name, walk = self.locs, obj.by_name, self.walk
        bad = False  # whether some value in ``out`` is _BAD
        for knode, vnode in node.value:
            # the key's own position is only needed for a problem or a null value
            if not isinstance(knode, yaml.ScalarNode):
                self.add(
                    "LB202",
                    _mark(knode.start_mark),
                    "keys must be plain field names",
                    "write the field's name, then ':' and its value",
                )
                continue
            name = knode.value
            if name == "<<" and not knode.style:
                self._merge_key(knode)
                continue
            ckey = (*key, name)
            if name in out or ckey in locs:
                kpos = _mark(knode.start_mark)
                first = locs.get(ckey, kpos)
                self.add("LB101", kpos, f"duplicate key '{name}' (first at line {first[0]})", _DUP_HINT)
                continue
            fld = by_name.get(name)
            if fld is None:
                kpos = _mark(knode.start_mark)
                hint = did_you_mean(name, by_name) or "allowed fields: " + ", ".join(by_name)
                self.add("LB200", kpos, f"unknown field '{name}' in {obj.title}", hint)
                locs[ckey] = kpos
                continue
            fspec = fld.spec
            if isinstance(vnode, yaml.ScalarNode):
                if not vnode.style and vnode.value in _NULLS:
                    kpos = _mark(knode.start_mark)
                    locs[ckey] = kpos
                    if fld.required:
                        self.add("LB201", kpos, f"'{name}' is empty", f"write a value after '{name}:'")
                        out[name] = _BAD
                        bad = True
                    continue
                if type(fspec) is Text:  # a text field, handled here as walk would
                    mark = vnode.start_mark
                    vpos = (mark.line + 1, mark.column + 1)
                    locs[ckey] = vpos
                    value = self._text(vnode, fspec, ckey, vpos)
                else:
                    value = walk(vnode, fspec, ckey)
            else:
                value = walk(vnode, fspec, ckey)
            if value is _BAD:
                bad = True
            out[name] = value
        # every field present (``out`` only holds field names) means none is missing
        if len(out) != len(obj.fields):
            for fld in obj.fields:
                if fld.required and fld.name not in out:
                    self.add(
                        "LB201",
                        pos,
                        f"{obj.title} is missing required field '{fld.name}'",
                        f"add '{fld.name}:'" + (f" ({fld.description})" if fld.description else ""),
                    )
        if isinstance(spec, OneOf):
            present = [k for k in spec.keys if k in out]
            if len(present) != 1:
                self.add(
                    "LB212",
                    pos,
                    f"{spec.title} must have exactly one of {', '.join(spec.keys)}",
                    f"write e.g. '- {spec.keys[0]}: some-id'",
                )
                return _BAD
        if bad:
            return {k: v for k, v in out.items() if v is not _BAD}
        return out

    def _merge_key(self, knode: yaml.Node) -> bool:
        """Report ``knode`` when it is a merge key ``<<`` (refused wherever it appears)."""
        if not (isinstance(knode, yaml.ScalarNode) and knode.value == "<<" and not knode.style):
            return False
        self.add(
            "LB111",
            _mark(knode.start_mark),
            "merge key '<<' is not allowed",
            "write the merged fields out in full",
        )
        return True

    def _wrong(self, node: yaml.Node, expected: str, pos: Pos, key: Key) -> Any:
        if isinstance(node, yaml.MappingNode) and any(self._merge_key(k) for k, _ in node.value):
            return _BAD  # a merge key where one value belongs (e.g. a list item): named as such
        found = _NAMES.get(type(node), "something else")
        if isinstance(node, yaml.ScalarNode):
            found = f"'{_short(node.value)}'"
        self.add(
            "LB202", pos, f"'{_field(key)}' must be {expected}, found {found}", _TYPE_HINTS.get(expected, "")
        )
        return _BAD

    def _pos_in(self, node: yaml.ScalarNode, pos: Pos, offset: int, found: str) -> Pos:
        """The line and column of ``found`` (at ``offset`` in the value) in the file, where the
        value's layout allows it: a literal block (``|``) keeps its lines, a one-line value its
        columns; otherwise the value's own position."""
        value: str = node.value
        lines = self.text.splitlines()
        if node.style == "|":
            line = pos[0] + 1 + value.count("\n", 0, offset)
            if 0 < line <= len(lines):
                col = lines[line - 1].find(found)
                return (line, col + 1 if col >= 0 else 1)
        elif "\n" not in value and 0 < pos[0] <= len(lines):
            col = lines[pos[0] - 1].find(found, pos[1] - 1)
            if col >= 0:
                return (pos[0], col + 1)
        return pos

    def _text(self, node: yaml.ScalarNode, spec: Text, key: Key, pos: Pos) -> Any:
        value: str = node.value
        style = node.style
        if (not style and value in _NULLS) or len(value) < spec.min_length:
            self.add("LB201", pos, f"'{_field(key)}' is empty", "write a value")
            return _BAD
        if len(value) > spec.max_length:
            self.add(
                "LB209", pos, f"'{_field(key)}' is longer than {spec.max_length} characters", "shorten it"
            )
            return _BAD
        # Only a double-quoted escape ("\a", "\N", "\L") can put a control character in a
        # value: the raw text was refused above if it held one, and line folding only adds
        # spaces and newlines.
        if style == '"':
            bad = _CONTROL.search(value)
            if bad:
                self.add(
                    "LB105",
                    pos,
                    f"control character U+{ord(bad.group()[0]):04X} in '{_field(key)}'",
                    "remove the escape sequence; text may not hold control characters",
                )
                return _BAD
        kind = spec.kind
        if kind == "text":
            return (
                self._markup(node, pos, key, plain_text_markup(value, markdown_fields()), True)
                if spec.published
                else value
            )
        if kind == "id":
            if not ID_RE.match(value):
                self.add("LB203", pos, f"'{_short(value)}' is not a valid id", _id_hint(value))
                return _BAD
        elif kind in _COMPILED and (
            not _COMPILED[kind].match(value) or (kind == "date" and not is_real_date(value))
        ):
            self.add("LB209", pos, f"'{_short(value)}' is not a valid {kind}", _FORMAT_HINTS[kind])
            return _BAD
        if kind == "markdown" and "<" in value:  # every match of _HTML starts with '<'
            m = _HTML.search(value)
            if m:
                self.add(
                    "LB207",
                    self._pos_in(node, pos, m.start(), m.group()),
                    f"raw HTML '{_short(m.group())}' in '{_field(key)}'",
                    "write Markdown only; raw HTML is not allowed in playbook text",
                )
                return _BAD
        if kind == "markdown":
            return self._markup(node, pos, key, markdown_unsafe_link(value), False)
        return value

    def _markup(self, node: yaml.ScalarNode, pos: Pos, key: Key, found: Finding | None, plain: bool) -> Any:
        """The text, or _BAD after a located LB220 (markup in plain text) or LB221 (a link or
        image in Markdown that the site would not keep)."""
        if found is None:
            return node.value
        where = self._pos_in(node, pos, found.start, found.found)
        shown, name = _short(found.found), _field(key)
        if plain:
            self.add(
                "LB220", where, f"'{name}' is plain text: {found.what} '{shown}' is not allowed", found.hint
            )
        else:
            self.add("LB221", where, f"{found.what} in '{name}': '{shown}'", found.hint)
        return _BAD

    def _scalar(self, node: yaml.ScalarNode, spec: Spec, key: Key, pos: Pos) -> Any:
        value: str = node.value
        plain = not node.style
        if isinstance(spec, Text):
            return self._text(node, spec, key, pos)
        if isinstance(spec, Enum):
            if value not in spec.values:
                hint = did_you_mean(value, spec.values) or "use one of: " + ", ".join(spec.values)
                self.add("LB206", pos, f"'{_short(value)}' is not allowed for '{_field(key)}'", hint)
                return _BAD
            return value
        if isinstance(spec, Bool):
            if plain and value in ("true", "false"):
                return value == "true"
            self.add(
                "LB205",
                pos,
                f"'{_short(value)}' is not a boolean for '{_field(key)}'",
                "write true or false (yes/no/on/off are not booleans in launchbook)",
            )
            return _BAD
        if isinstance(spec, (Int, Num)):
            name = _field(key)
            regex = _INT if isinstance(spec, Int) else _NUM
            if not plain or not regex.match(value):
                self.add(
                    "LB204",
                    pos,
                    f"'{_short(value)}' is not a {'whole ' if isinstance(spec, Int) else ''}number for '{name}'",
                    _number_hint(value, plain),
                )
                return _BAD
            if len(value.partition(".")[0]) > MAX_DIGITS:  # before int(), which raises past 4300 digits
                self.add(
                    "LB204",
                    pos,
                    f"a number with {len(value.partition('.')[0].lstrip('-')):,} digits is out of range for '{name}'",
                    f"use a number from {spec.minimum:g} to {spec.maximum:g}",
                )
                return _BAD
            number: float | int = int(value) if isinstance(spec, Int) else float(value)
            if not spec.minimum <= number <= spec.maximum:
                self.add(
                    "LB204",
                    pos,
                    f"{value} is out of range for '{name}'",
                    f"use a number from {spec.minimum:g} to {spec.maximum:g}",
                )
                return _BAD
            return number
        raise TypeError(spec)  # pragma: no cover


class _Bad:
    def __repr__(self) -> str:
        return "<invalid>"


_BAD: Any = _Bad()
_DEEP_HINT = "flatten the structure; playbook files nest at most a few levels"
_DUP_HINT = "remove one of the two; YAML would silently keep only the last"
_ID_HINT = "ids are lower-case letters and digits joined by single hyphens, e.g. 'no-deployment-plan'"
_TYPE_HINTS = {
    "a list": "write it as a list: '- item' on its own lines, or [a, b]",
    "a single value": "write one value, quoted if it contains ':' or starts with a special character",
}
_FORMAT_HINTS = {
    "url": "write a full http:// or https:// address",
    "date": 'write a real date as "YYYY", "YYYY-MM" or "YYYY-MM-DD", or "n.d." when undated',
    "version": 'write a version such as "1.2.0", in quotes',
}


def _field(key: Key) -> str:
    names = [k for k in key if isinstance(k, str)]
    return names[-1] if names else "value"


def _short(value: str, n: int = 40) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= n else value[: n - 1] + "…"


def _id_hint(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    suggestion = f"; e.g. '{slug}'" if slug and ID_RE.match(slug) else ""
    return _ID_HINT + suggestion


def _number_hint(value: str, plain: bool) -> str:
    if not plain:
        return "remove the quotes: numbers are written as plain digits"
    if re.fullmatch(r"0[0-9]+", value) and len(value) <= MAX_DIGITS:
        return f"leading zeros make YAML 1.1 read an octal number; write {int(value)}"
    if ":" in value:
        return "YAML 1.1 reads '1:30' as a base-60 number; write a plain number, or quote text"
    if value.lower().startswith("0x") or value.lower().startswith("0o"):
        return "write the number in decimal"
    return "write a plain decimal number such as 2"


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


def load_document(path: Path, spec: Obj, display: str | None = None, root: Path | None = None) -> Document:
    """Read one YAML file against ``spec``; never raises on bad content.

    ``root``, when given, is the folder the file must stay inside (links out of it are refused).
    """
    name = display or str(path)
    raw = read_source(path, name, root)
    if isinstance(raw, Problem):
        return Document(name, None, {}, (raw,))
    return load_bytes(raw, spec, name)


def load_bytes(raw: bytes, spec: Obj, name: str, reader: _Reader | None = None) -> Document:
    """Load YAML content already in memory (answers files, tests)."""
    reader = reader or _Reader(name)
    text = reader.text_checks(raw)
    if text is None:
        return Document(name, None, {}, tuple(reader.problems))
    reader.text = text
    if _maybe_special(text) or text.count("[") + text.count("{") > MAX_DEPTH or _deep_indent(text):
        reader.event_scan(text)
        if reader.problems:
            return Document(name, None, {}, tuple(reader.problems))
    node = reader.compose(text)
    if isinstance(node, yaml.ScalarNode) and not node.style and node.value in _NULLS:
        node = None  # only '---' or 'null': nothing in it
    if node is None:
        if not reader.problems:
            reader.add("LB107", (1, 1), "file is empty", "add the file's fields, or delete the file")
        return Document(name, None, {}, tuple(reader.problems))
    data = reader.walk(node, spec, ())
    if data is _BAD:
        return Document(name, None, {}, tuple(reader.problems))
    return Document(name, data, reader.locs, tuple(reader.problems))


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
