"""Property test over every command: hostile arguments and hostile file contents.

Each example sets up a small project (a copy of the minimal playbooks, a hand-written docs page,
a mkdocs.yml, a fake .git, a foreign folder, a FIFO) next to a folder the command must never
touch, mutates one playbook file, runs one command with arguments drawn from a hostile list,
and asserts what every command promises:

- the exit code is 0, 1 or 2, and no traceback is printed (nor raised);
- nothing is written outside the output the command was given (``-o``/``--out``/``DIR``);
- it returns within a time bound (a hang on a FIFO or /dev/zero fails the test).

``build`` and ``serve`` are left out here: a build takes seconds, and serve runs until stopped;
``tests/test_output_paths.py`` covers build's targets.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launchbook.cli import main

pytestmark = pytest.mark.slow  # every command, 60 hypothesis examples each: about 10 s on two cores
MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"
TIME_BOUND = 30.0  # seconds for one command on a loaded 2-core machine; a hang takes forever

# Values for every free-text argument: paths that matter (the project itself, its playbooks and
# docs, .git, a file, a FIFO, a device, a foreign folder, outside the project) and hostile text.
HOSTILE_VALUES = [
    ".", "..", "/", "./", "playbooks", "playbooks/roles.yml", "docs", "docs/index.md", "mkdocs.yml",
    ".git", ".git/objects", "README.md", "fifo", "/dev/zero", "/dev/null", "/proc/version",
    "foreign", "foreign/keep.txt", "../outside", "../outside/x", "out", "out/deeper", "new.txt",
    "", "-", "--", "a\nb", "x\x1b[31mred", "\u202eevil", "{{ 7*7 }}", "{ onfocus=alert(1) }",
    "[x](javascript:alert(1))", "<script>alert(1)</script>", "%%{init: {}}%%", "=cmd|' /C calc'!A0",
    "x" * 300, "9" * 5000, "LB301", "dangling-reference", "kickoff", "no-data", "product-owner",
    "data", "frame", "nist-ai-rmf", "samm", "atlas", "deon", "0", "-1", "1e9",
]  # fmt: skip

PROFILE = settings(
    max_examples=int(os.environ.get("LAUNCHBOOK_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# A shell cannot pass a NUL byte in an argument.
value = st.one_of(
    st.sampled_from(HOSTILE_VALUES), st.text(st.characters(exclude_characters="\x00"), max_size=12)
)
# Where a command writes: never a system path (a command that failed to refuse one would damage the
# machine running the tests; tests/test_output_paths.py covers those refusals one by one).
out_value = value.filter(lambda v: not v.startswith("/"))


def _opt(flag: str, values: st.SearchStrategy[str] = value) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), values.map(lambda v: [flag, v]))


def _flag(flag: str) -> st.SearchStrategy[list[str]]:
    return st.sampled_from([[], [flag]])


def _pos(values: st.SearchStrategy[str] = value) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), values.map(lambda v: [v]))


def _join(*parts: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    return st.tuples(*parts).map(lambda ps: [w for p in ps for w in p])


def _fmt(*choices: str) -> st.SearchStrategy[list[str]]:
    return _opt("--format", st.sampled_from([*choices, "bogus"]))


# Every command's arguments; an output option names where it may write (see OUTPUT_FLAGS).
COMMANDS: dict[str, st.SearchStrategy[list[str]]] = {
    "check": _join(_pos(), _fmt("text", "json", "github"), _flag("--strict"), _flag("--no-cache")),
    "explain": _join(_pos()),
    "schema": _join(
        _opt("--kind", st.sampled_from(["failure-mode", "fork", "answers", "x"])), _opt("--out", out_value)
    ),
    "graph": _join(_pos(), _fmt("mermaid", "dot", "graphml", "json")),
    "plan": _join(_pos(), _opt("--phase"), _opt("--role"), _fmt("text", "json")),
    "generate": _join(_pos(), _opt("-o", out_value), _opt("--docs")),
    "checklist": _join(
        _pos(st.one_of(st.just("kickoff"), value)),
        _flag("--list"),
        _opt("--role"),
        _opt("--phase"),
        _opt("--tag"),
        _opt("--failure-mode"),
        _fmt("md", "csv", "html", "pdf"),
        _opt("--paper", st.sampled_from(["a4", "letter", "a3"])),
        _flag("--handout"),
        _flag("--per-role"),
        _opt("-o", out_value),
        _opt("--playbooks"),
    ),
    "assess": _join(
        _pos(),
        _flag("--template"),
        _opt("--role"),
        _opt("-o", out_value),
        _fmt("text", "json", "md", "html"),
        _opt("--compare"),
        _opt("--top", st.sampled_from(["1", "0", "-5", "x", "9" * 40])),
    ),
    "init": _join(_pos(out_value), _opt("--name"), _opt("--upstream")),
    "diff": _join(_pos(), _opt("--since"), _flag("--update-base")),
    "import": _join(
        _pos(st.sampled_from(["nist-ai-rmf", "samm", "atlas", "deon", "bogus"])),
        _pos(),
        _opt("-o", out_value),
    ),
}
OUTPUT_FLAGS = {"-o", "--out", "--output"}


def _outputs(command: str, argv: list[str]) -> list[str]:
    """The paths a command was told it may write: its output options, and init's DIR."""
    named = [argv[i + 1] for i, w in enumerate(argv[:-1]) if w in OUTPUT_FLAGS]
    if command == "init":
        named += [w for w in argv[1:2] if not w.startswith("-")]
    if command == "diff" and "--update-base" in argv:  # records the base inside the fork it reads
        named += [".launchbook"]
    return named


def _setup(root: Path) -> Path:
    project = root / "project"
    shutil.copytree(MINIMAL, project / "playbooks")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Hand-written\n\nKeep me.\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Test\nplugins:\n  - launchbook:\n      playbooks: playbooks\n", encoding="utf-8"
    )
    (project / "README.md").write_text("mine\n", encoding="utf-8")
    (project / ".git" / "objects").mkdir(parents=True)
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (project / "foreign").mkdir()
    (project / "foreign" / "keep.txt").write_text("not launchbook's\n", encoding="utf-8")
    os.mkfifo(project / "fifo")
    (root / "outside").mkdir()
    (root / "outside" / "precious.txt").write_text("keep\n", encoding="utf-8")
    return project


def _snapshot(root: Path) -> dict[str, str]:
    """Every entry under root, with a hash of each regular file's bytes."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = "link:" + os.readlink(p)
            elif p.is_fifo():
                out[rel] = "fifo"
            elif p.is_file():
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


def _inside(rel: str, allowed: list[Path], root: Path) -> bool:
    """In an allowed output, or a folder made to hold one (``--out a/b`` makes ``a``)."""
    p = (root / rel).resolve()
    return any(p == a or a in p.parents or (p in a.parents and p.is_dir()) for a in allowed)


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_bound(seconds: float) -> Iterator[None]:
    def on_alarm(signum: int, frame: object) -> None:
        raise _Timeout(f"no answer within {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _mutate(project: Path, file: str, line: int, text: str) -> None:
    """Replace the value of one ``key: value`` line of a playbook file with a hostile scalar."""
    path = project / "playbooks" / file
    lines = path.read_text(encoding="utf-8").split("\n")
    candidates = [i for i, ln in enumerate(lines) if ": " in ln and not ln.rstrip().endswith(":")]
    i = candidates[line % len(candidates)]
    key = lines[i].split(": ", 1)[0]
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    lines[i] = f'{key}: "{escaped}"'
    path.write_text("\n".join(lines), encoding="utf-8")


def run_command(project: Path, argv: list[str]) -> tuple[int, str]:
    """``launchbook ARGV`` in-process in ``project``: (exit code, stdout + stderr)."""
    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _time_bound(TIME_BOUND):
            rc = main(argv)
    finally:
        os.chdir(cwd)
    return rc, out.getvalue() + err.getvalue()


PLAYBOOK_FILES = [
    "failure-modes/no-data.yml",
    "roles.yml",
    "sources.yml",
    "checklists/kickoff.yml",
    "launchbook.yml",
]


RENDERS_PDF = {"checklist", "generate"}  # --format pdf; generate writes every checklist's PDFs


@pytest.mark.parametrize(
    "command", [pytest.param(c, marks=pytest.mark.pdf) if c in RENDERS_PDF else c for c in sorted(COMMANDS)]
)
def test_every_command_is_safe(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAUNCHBOOK_NO_CACHE", "1")

    @PROFILE
    @given(
        argv=COMMANDS[command],
        mutate=st.one_of(
            st.none(),
            st.tuples(st.sampled_from(PLAYBOOK_FILES), st.integers(0, 50), st.sampled_from(HOSTILE_VALUES)),
        ),
    )
    def case(argv: list[str], mutate: tuple[str, int, str] | None) -> None:
        with tempfile.TemporaryDirectory(prefix="lb-prop-") as tmp:
            root = Path(tmp).resolve()
            project = _setup(root)
            if mutate is not None:
                _mutate(project, *mutate)
            before = _snapshot(root)
            full = [command, *argv]
            start = time.monotonic()
            rc, output = run_command(project, full)
            elapsed = time.monotonic() - start
            assert rc in (0, 1, 2), f"{full!r}: exit {rc}\n{output}"
            assert "Traceback" not in output, f"{full!r}:\n{output}"
            assert elapsed < TIME_BOUND
            allowed = [(project / o).resolve() for o in _outputs(command, full) if o]
            after = _snapshot(root)
            changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
            stray = sorted(k for k in changed if not _inside(k, allowed, root))
            assert not stray, f"{full!r} wrote outside its output {allowed}: {stray[:10]}"

    case()
