"""Safe YAML loading that keeps line and column for every node.

Every file is hostile until checked. PyYAML's defaults are not enough, so the
raw bytes are checked first (:mod:`launchbook.yamlread`: oversize files, invalid
UTF-8, a BOM in the middle, control characters, tabs as indentation, mixed line
endings, empty files, several documents, anchors and aliases, explicit tags,
nesting past a depth limit), then this module walks the composed node against
the file's spec and refuses, each with its own code and a hint: merge keys,
duplicate keys, a root that is not a mapping, and every field that does not
match the schema.

Composition uses libyaml (``CSafeLoader``) when available; nothing is ever
*constructed* by PyYAML. Plain scalars are resolved by the field's spec from
:mod:`launchbook.schema` (``answer: no`` stays the text ``no``), never by
YAML 1.1's implicit resolvers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, did_you_mean
from .markup import Finding, markdown_unsafe_link, plain_text_markup
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
from .yamlread import (
    _CONTROL,
    MAX_BYTES,
    MAX_DEPTH,
    Pos,
    TextReader,
    _deep_indent,
    _mark,
    _maybe_special,
    no_gc,
    read_source,
)

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Document", "load_bytes", "load_document", "no_gc", "read_source"]
Key = tuple[str | int, ...]

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


class _Reader(TextReader):
    """Collects problems for one file while walking its nodes against a spec."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.locs: dict[Key, Pos] = {}
        self.text = ""  # the decoded file, once it passed the raw-text checks

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
            return self._not_a_mapping(node, obj, key, pos)
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
            self._missing_fields(obj, out, pos)
        if isinstance(spec, OneOf) and not self._one_of(spec, out, pos):
            return _BAD
        if bad:
            return {k: v for k, v in out.items() if v is not _BAD}
        return out

    def _not_a_mapping(self, node: yaml.Node, obj: Obj, key: Key, pos: Pos) -> Any:
        """_BAD after LB108 (a file that is not a mapping) or the wrong-shape problem of a value."""
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

    def _missing_fields(self, obj: Obj, out: dict[str, Any], pos: Pos) -> None:
        """LB201 for each required field of ``obj`` that ``out`` lacks."""
        for fld in obj.fields:
            if fld.required and fld.name not in out:
                self.add(
                    "LB201",
                    pos,
                    f"{obj.title} is missing required field '{fld.name}'",
                    f"add '{fld.name}:'" + (f" ({fld.description})" if fld.description else ""),
                )

    def _one_of(self, spec: OneOf, out: dict[str, Any], pos: Pos) -> bool:
        """Whether ``out`` has exactly one of the keys ``spec`` wants (else LB212)."""
        present = [k for k in spec.keys if k in out]
        if len(present) == 1:
            return True
        self.add(
            "LB212",
            pos,
            f"{spec.title} must have exactly one of {', '.join(spec.keys)}",
            f"write e.g. '- {spec.keys[0]}: some-id'",
        )
        return False

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
