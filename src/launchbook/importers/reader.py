"""A safe reader for other frameworks' data files (YAML and JSON).

Foreign data is not launchbook's format, so :mod:`launchbook.loader` (which
refuses anchors, tags and anything its schema does not know) is the wrong tool
for it. This reader accepts what the frameworks really use and nothing more:

* anchors and aliases (MITRE ATLAS), with *bounded expansion*: every node is
  counted with the size it expands to, and reading stops past
  :data:`MAX_NODES` (an alias bomb is refused before it is built);
* the ``!include PATH`` tag (MITRE ATLAS), only when the caller allows it,
  resolved relative to the including file and only inside the import's
  source folder (no ``..``, no absolute paths, no symlinks out); a folder
  means its ``matrix.yaml``, ``*`` globs read every match in name order;
* plain scalars resolved as null, decimal integer, decimal float or text
  only: ``No``, ``yes``, ``on`` (OWASP SAMM answer texts), dates, ``0755``
  and ``1:30`` stay text;
* any other tag (``!!python/object``, ``!!binary``, ``!foo``) and merge keys
  (``<<``) are refused, as are oversize files, deep nesting and duplicate keys.

Errors are :class:`ForeignDataError` with the file, line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..saferead import MAX_DIGITS, JsonLimitError, ReadRefused, loads_json, read_regular

MAX_BYTES = 16 << 20  # 16 MiB per file: ATLAS' largest source file is ~150 KB
MAX_NODES = 2_000_000  # expanded nodes per import: all of ATLAS is ~40,000
MAX_DEPTH = 64
MAX_INCLUDE_DEPTH = 8

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = frozenset(
    {
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:seq",
        "tag:yaml.org,2002:map",
    }
)
INCLUDE_TAG = "!include"
_SIZE = "_launchbook_size"


def _size(node: yaml.Node) -> int:
    size: int = getattr(node, _SIZE, 1)
    return size


class ForeignDataError(Exception):
    """A framework file that cannot be read safely: where, and why."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.message = message


@dataclass
class Budget:
    """What one import may still read: shared by every file it opens."""

    root: Path
    nodes: int = MAX_NODES
    anchors: dict[str, yaml.Node] = field(default_factory=dict)
    display: Callable[[Path], str] = str

    def spend(self, n: int, path: str, mark: Any) -> None:
        self.nodes -= n
        if self.nodes < 0:
            raise ForeignDataError(
                path,
                mark.line + 1 if mark else 0,
                mark.column + 1 if mark else 0,
                f"more than {MAX_NODES:,} values once aliases are expanded (alias bomb?); refused",
            )


class ForeignLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with launchbook's limits; see the module docstring."""

    # No implicit resolvers at all: plain scalars are typed in construct_scalar below.
    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's class-level registry

    def __init__(
        self, text: str, path: Path, budget: Budget, *, includes: bool, depth: int = 0, shared: bool = False
    ) -> None:
        super().__init__(text)
        self.path = path
        self.shown = budget.display(path)
        self.budget = budget
        self.includes = includes
        self.include_depth = depth
        self._depth = 0
        if shared:
            # cross-file anchors (ATLAS names objects of techniques.yaml in mitigations.yaml)
            self.anchors = budget.anchors

    # ------------------------------------------------------------ errors
    def fail(self, mark: Any, message: str) -> ForeignDataError:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        return ForeignDataError(self.shown, line, col, message)

    # ------------------------------------------------------------ composing
    def compose_document(self) -> yaml.Node:
        self.get_event()  # type: ignore[no-untyped-call]  # DocumentStart
        node = self.compose_node(None, None)
        self.get_event()  # type: ignore[no-untyped-call]  # DocumentEnd
        return node  # anchors are kept (shared across documents when asked)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise self.fail(mark, f"nesting deeper than {MAX_DEPTH} levels")
        try:
            composed = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if composed is None:  # pragma: no cover - PyYAML always returns a node here
            raise self.fail(None, "empty node")
        node: yaml.Node = composed
        if getattr(node, _SIZE, None) is None:
            # the size the node expands to, aliases included: computed from the children's
            # sizes, so an alias bomb is measured without being expanded
            if isinstance(node, yaml.SequenceNode):
                size = 1 + sum(_size(c) for c in node.value)
            elif isinstance(node, yaml.MappingNode):
                size = 1 + sum(_size(k) + _size(v) for k, v in node.value)
            else:
                size = 1
            setattr(node, _SIZE, size)
            if size > MAX_NODES:
                self.budget.spend(size, self.shown, node.start_mark)
        return node

    # ------------------------------------------------------------ constructing
    def construct_document(self, node: yaml.Node) -> Any:
        self.budget.spend(_size(node), self.shown, node.start_mark)
        return super().construct_document(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.tag == INCLUDE_TAG:
            return self._include(node)
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node.start_mark, f"tag '{node.tag}' is not allowed in framework data")
        return super().construct_object(node, deep)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node.start_mark, "expected a mapping")
        out: dict[Any, Any] = {}
        for knode, vnode in node.value:
            if isinstance(knode, yaml.ScalarNode) and knode.value == "<<" and not knode.style:
                raise self.fail(knode.start_mark, "merge key '<<' is not allowed in framework data")
            key = self.construct_object(knode, deep=True)
            if not isinstance(key, (str, int, float)) and key is not None:
                raise self.fail(knode.start_mark, "keys must be plain values")
            if key in out:
                raise self.fail(knode.start_mark, f"duplicate key '{key}'")
            out[key] = self.construct_object(vnode, deep=deep)
        return out

    def _include(self, node: yaml.Node) -> Any:
        if not self.includes:
            raise self.fail(node.start_mark, "tag '!include' is not allowed in this file")
        if not isinstance(node, yaml.ScalarNode) or not node.value:
            raise self.fail(node.start_mark, "'!include' needs a relative path")
        if self.include_depth >= MAX_INCLUDE_DEPTH:
            raise self.fail(node.start_mark, f"'!include' nested more than {MAX_INCLUDE_DEPTH} levels deep")
        rel = str(node.value)
        if rel.startswith(("/", "\\")) or ".." in Path(rel).parts or ":" in rel:
            raise self.fail(node.start_mark, f"'!include {rel}' leaves the source folder; refused")
        base = self.path.parent
        root = self.budget.root.resolve()
        if "*" in rel or "?" in rel or "[" in rel:
            paths = sorted(p for p in base.glob(rel) if p.is_file())
            return [self._read_included(p, root, node) for p in paths]
        target = base / rel
        if target.is_dir():
            target = target / "matrix.yaml"
        return self._read_included(target, root, node)

    def _read_included(self, target: Path, root: Path, node: yaml.Node) -> Any:
        real = target.resolve()
        if not real.is_relative_to(root):
            raise self.fail(node.start_mark, f"'!include {node.value}' leaves the source folder; refused")
        if real.suffix not in (".yaml", ".yml"):
            raise self.fail(node.start_mark, f"'!include {node.value}' is not a .yaml/.yml file")
        if not real.is_file():
            raise self.fail(node.start_mark, f"'!include {node.value}': no such file")
        return read_yaml(
            target, self.budget, includes=True, shared=True, _depth=self.include_depth + 1, _single=False
        )


def _resolve_plain(loader: ForeignLoader, node: yaml.ScalarNode) -> Any:
    value = node.value
    if node.style:  # quoted or block: always text
        return value
    if value in _NULL:
        return None
    if _INT.match(value) or _FLOAT.match(value):
        digits = sum(c.isdigit() for c in value)
        if digits > MAX_DIGITS:  # before int(), which raises past 4300 digits
            raise loader.fail(
                node.start_mark, f"a number with {digits:,} digits (at most {MAX_DIGITS} allowed)"
            )
        return int(value) if _INT.match(value) else float(value)
    return value


def _construct_plain_scalar(loader: ForeignLoader, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise loader.fail(node.start_mark, "expected a single value")
    return _resolve_plain(loader, node)


# Without implicit resolvers every plain scalar gets the default str tag (or '!' when
# quoted, which PyYAML also maps to str); type it here, by its text alone.
ForeignLoader.add_constructor(_STR, _construct_plain_scalar)


def _construct_seq(loader: ForeignLoader, node: yaml.Node) -> list[Any]:
    if not isinstance(node, yaml.SequenceNode):
        raise loader.fail(node.start_mark, "expected a list")
    return [loader.construct_object(c) for c in node.value]


def _construct_map(loader: ForeignLoader, node: yaml.Node) -> dict[Any, Any]:
    return loader.construct_mapping(node)


ForeignLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
ForeignLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def _read_text(path: Path, shown: str, root: Path) -> str:
    """The text of a regular file inside ``root``, of at most :data:`MAX_BYTES` (checked before
    and while reading; a FIFO or device is refused without being opened)."""
    try:
        raw = read_regular(path, MAX_BYTES, root)
    except ReadRefused as exc:
        raise ForeignDataError(shown, 0, 0, f"{exc.reason} ({exc.hint})") from None
    except OSError as exc:
        raise ForeignDataError(shown, 0, 0, f"cannot read file: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ForeignDataError(shown, 0, 0, f"invalid UTF-8 at byte {exc.start}") from exc


def read_yaml(
    path: Path,
    budget: Budget,
    *,
    includes: bool = False,
    shared: bool = False,
    _depth: int = 0,
    _single: bool = True,
) -> Any:
    """Read one YAML document from ``path`` (inside ``budget.root``) with the limits above."""
    shown = budget.display(path)
    text = _read_text(path, shown, budget.root)
    loader = ForeignLoader(text, path, budget, includes=includes, depth=_depth, shared=shared)
    try:
        return loader.get_single_data()
    except ForeignDataError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        raise loader.fail(mark, f"YAML error: {what}") from None
    except yaml.YAMLError as exc:
        raise ForeignDataError(shown, 0, 0, f"YAML error: {exc}") from None
    except RecursionError:
        raise ForeignDataError(shown, 0, 0, "structure nested too deeply") from None
    finally:
        loader.dispose()


def read_json(path: Path, budget: Budget) -> Any:
    """Read a JSON file with the size limit, refusing duplicate keys."""
    shown = budget.display(path)
    text = _read_text(path, shown, budget.root)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise ForeignDataError(shown, 0, 0, f"duplicate key '{k}'")
            out[k] = v
        return out

    try:
        return loads_json(text, MAX_DEPTH, object_pairs_hook=pairs)
    except (json.JSONDecodeError, JsonLimitError) as exc:
        raise ForeignDataError(shown, exc.lineno, exc.colno, f"JSON error: {exc.msg}") from None
    except ValueError as exc:  # a float out of range (digits are bounded before parsing)
        raise ForeignDataError(shown, 0, 0, f"JSON error: {exc}") from None
    except RecursionError:  # pragma: no cover - depth is bounded before parsing
        raise ForeignDataError(shown, 0, 0, "structure nested too deeply") from None
