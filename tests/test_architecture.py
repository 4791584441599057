"""The limits that keep launchbook's structure one a newcomer can hold in their head (issue 16).

Every import counts: at module level, inside functions and under ``if TYPE_CHECKING:``. The
layers, bottom to top (a module imports only from its own layer, without a cycle, or below):

    L0  launchbook, errors, codes, fsutil, saferead, serialize, text, markup, glyphs, frameworks,
        report                       no launchbook import above L0: the plumbing everything uses
    L1  schema                       the file specs: fields, kinds, JSON Schema
    L2  yamlread, loader, loader_codes   hostile YAML in, located problems out
    L3  model                        frozen dataclasses of a playbook set, built from documents
    L4  graph, checks                the dependency graph and the consistency checks (LB3xx)
    L5  locate                       which playbooks a command works on (typed errors, no exit)
    L6  overlay, cache, export       forks merged onto upstream; cached checks; graph exports
    L7  assess, checklists, importers   maturity scores, printable checklists, foreign frameworks
    L8  site                         the MkDocs plugin, site build, generate, link check
    L9  fork                         init and diff of an organization's fork
    L10 commands                     one module per command: its arguments, its handler, its output
    L11 cli                          the parser from the commands' table; errors -> exit codes

A module's layer is that of its longest listed prefix (``launchbook.site.pages`` is in ``site``).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "launchbook"

LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "launchbook",
        "errors",
        "codes",
        "fsutil",
        "saferead",
        "serialize",
        "text",
        "markup",
        "glyphs",
        "frameworks",
        "report",
    ),
    ("schema",),
    ("loader", "loader_codes", "yamlread"),
    ("model",),
    ("graph", "checks"),
    ("locate",),
    ("overlay", "cache", "export"),
    ("assess", "checklists", "importers"),
    ("site",),
    ("fork",),
    ("commands",),
    ("cli",),
)
MAX_LINES = 600
MAX_PLUGIN_LINES = 100
MAX_COMPLEXITY = 15


# ------------------------------------------------------------------ the import graph
def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _targets(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """The launchbook modules one import statement names (``from . import x`` names module x)."""
    if isinstance(node, ast.Import):
        yield from (a.name for a in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        submodules = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules()]
        yield from submodules or [target]


def _known(name: str) -> str | None:
    """The module ``name`` is, or is inside (``launchbook.overlay.in_use`` -> ``launchbook.overlay``)."""
    while name not in modules() and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in modules() else None


def imports_of(source: str, module: str, is_package: bool = False) -> frozenset[str]:
    """The launchbook modules ``source`` (the text of ``module``) imports anywhere: module level,
    functions, ``if TYPE_CHECKING:`` (an ast walk sees them all)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        for target in _targets(node, module, is_package):
            known = _known(target) if target.startswith("launchbook") else None
            if known is not None and known != module:
                found.add(known)
    return frozenset(found)


@cache
def import_graph() -> dict[str, frozenset[str]]:
    """Module -> the launchbook modules it imports."""
    return {
        m: imports_of(p.read_text(encoding="utf-8"), m, p.name == "__init__.py") for m, p in modules().items()
    }


def cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def layer(module: str) -> int:
    rest = module.split(".", 1)[1] if "." in module else "launchbook"
    top = rest.split(".")[0]
    for level, names in enumerate(LAYERS):
        if top in names:
            return level
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {Path(__file__).name}")


# ------------------------------------------------------------------ the builder itself
def test_the_graph_counts_imports_in_functions_and_type_checking() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from .errors import Problem\n"
        "if TYPE_CHECKING:\n"
        "    from .model import Playbook\n"
        "def f() -> None:\n"
        "    from .overlay import require_playbook\n"
        "    import launchbook.graph\n"
    )
    found = imports_of(source, "launchbook.loader")
    assert found == {"launchbook.errors", "launchbook.model", "launchbook.overlay", "launchbook.graph"}
    # ``from . import loader_codes`` is an import of that module, not of the package
    assert imports_of("from . import loader_codes\n", "launchbook.yamlread") == {"launchbook.loader_codes"}
    assert "launchbook.cache" in import_graph()["launchbook.commands.check"]  # inside a function


def test_cycles_are_found() -> None:
    graph = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": frozenset({"b"}), "b": frozenset()}) == []


def test_every_module_is_in_a_layer() -> None:
    for module in modules():
        layer(module)


# ------------------------------------------------------------------ the limits
def _site_cycle(cycle: list[str]) -> bool:
    return all(m.startswith("launchbook.site.") for m in cycle)


def test_no_import_cycle_outside_the_site() -> None:
    assert [c for c in cycles(import_graph()) if not _site_cycle(c)] == []


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_each_module_imports_only_its_layer_or_below() -> None:
    upward = [
        f"{m} (L{layer(m)}) imports {t} (L{layer(t)})"
        for m, targets in sorted(import_graph().items())
        for t in sorted(targets)
        if layer(t) > layer(m)
    ]
    assert upward == []


def test_nothing_imports_the_cli() -> None:
    assert [m for m, targets in import_graph().items() if "launchbook.cli" in targets] == []


def test_graph_imports_nothing_above_it() -> None:
    assert not {
        t
        for t in import_graph()["launchbook.graph"]
        if t.startswith(("launchbook.assess", "launchbook.overlay"))
    }


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_over_600_lines() -> None:
    over = {m: _lines(p) for m, p in modules().items() if _lines(p) > MAX_LINES}
    assert over == {}


def test_the_plugin_only_adapts() -> None:
    assert _lines(SRC / "site" / "plugin.py") <= MAX_PLUGIN_LINES


def _reachable(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo.extend(import_graph()[m])
    return seen


def _imports_mkdocs(module: str) -> bool:
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        if any(n == "mkdocs" or n.startswith("mkdocs.") for n in names):
            return True
    return False


def test_generate_reaches_no_mkdocs_import() -> None:
    reached = [m for m in sorted(_reachable("launchbook.site.generate")) if _imports_mkdocs(m)]
    assert reached == []


def _imported_by(code: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC.parent), "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_generate_loads_no_mkdocs() -> None:
    loaded = _imported_by("import launchbook.site.generate")
    assert "launchbook.site.generate" in loaded
    assert not {m for m in loaded if m == "mkdocs" or m.startswith("mkdocs.")}


def test_check_loads_no_renderer(tmp_path: Path) -> None:
    """``launchbook check`` imports only its own command: no Jinja2, Markdown, nh3 or MkDocs."""
    minimal = Path(__file__).resolve().parent / "fixtures" / "minimal"
    code = (
        "import os, sys\n"
        f"os.environ['XDG_CACHE_HOME'] = {str(tmp_path)!r}\n"
        "from launchbook.cli import main\n"
        f"assert main(['check', {str(minimal)!r}]) == 0\n"
    )
    loaded = _imported_by(code)
    assert "launchbook.commands.check" in loaded
    heavy = {"jinja2", "markdown", "nh3", "mkdocs", "weasyprint"}
    assert not {m.split(".")[0] for m in loaded} & heavy
    assert not {
        m for m in loaded if m.startswith("launchbook.commands.") and m != "launchbook.commands.check"
    }


def test_ruff_limits_complexity_to_15() -> None:
    pyproject = (SRC.parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    mccabe = re.search(r"\[tool\.ruff\.lint\.mccabe\]\s*max-complexity\s*=\s*(\d+)", pyproject)
    select = re.search(r"\[tool\.ruff\.lint\][^\[]*select\s*=\s*\[([^\]]*)\]", pyproject, re.S)
    assert mccabe is not None and int(mccabe.group(1)) <= MAX_COMPLEXITY
    assert select is not None and '"C90"' in select.group(1)


def _ruff() -> str | None:
    here = Path(sys.executable).parent / "ruff"
    return str(here) if here.exists() else shutil.which("ruff")


def test_no_function_over_complexity_15() -> None:
    ruff = _ruff()
    if ruff is None:
        pytest.skip("ruff is not installed")
    res = subprocess.run(
        [
            ruff,
            "check",
            "--isolated",
            "--select",
            "C901",
            "--config",
            f"lint.mccabe.max-complexity = {MAX_COMPLEXITY}",
            str(SRC),
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout


# ------------------------------------------------------------------ the code registry
def test_every_emitting_module_is_imported_by_explain() -> None:
    """explain and --list-checks read the registry after importing EMITTERS: a module that declares
    codes (or registers checks) and is missing there would leave its codes unexplained."""
    from launchbook.commands.explain import EMITTERS

    emitting = sorted(
        m
        for m, p in modules().items()
        if re.search(r"^\w+ = declare\(|^@check\(", p.read_text(encoding="utf-8"), re.M)
    )
    emitting = [m for m in emitting if m != "launchbook.codes"]
    assert sorted(set(emitting) - set(EMITTERS)) == []
    assert sorted(set(EMITTERS) - set(emitting)) == []
