"""Property tests: random mutations of valid playbook files never produce a traceback."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launchbook.cli import main
from launchbook.loader import load_bytes
from launchbook.schema import KINDS

from .support import MINIMAL

FILES = [
    "failure-modes/no-data.yml",
    "failure-modes/no-plan.yml",
    "launchbook.yml",
    "roles.yml",
    "sources.yml",
    "checklists/kickoff.yml",
]
NASTY = [
    "\t", "\r", "\r\n", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff",
    ":", ": ", "- ", "-", "[", "]", "{", "}", "&a ", "*a", "!", "!!python/object:os.system ", "<<: ",
    "#", "'", '"', "|", ">", "%", "@", "`", "?", "---\n", "...\n", "no", "0755", "1:30", "~",
]  # fmt: skip
PROFILE = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def mutation(draw: st.DrawFn, raw: bytes) -> bytes:
    """One random edit of ``raw``: delete, duplicate, swap or re-indent a line, insert, truncate."""
    lines = raw.split(b"\n")
    n = len(lines)
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "insert", "bytes", "truncate"]))
    i = draw(st.integers(0, n - 1))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = draw(st.integers(0, n - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        delta = draw(st.integers(-4, 4))
        line = lines[i]
        lines[i] = b" " * delta + line if delta >= 0 else line[min(-delta, len(line) - len(line.lstrip())) :]
    else:
        joined = b"\n".join(lines)
        pos = draw(st.integers(0, len(joined)))
        if kind == "truncate":
            return joined[:pos]
        if kind == "insert":
            piece = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=6))).encode(
                "utf-8", "surrogatepass"
            )
        else:
            piece = draw(st.binary(min_size=1, max_size=6))
        return joined[:pos] + piece + joined[pos:]
    return b"\n".join(lines)


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(FILES))
    raw = (MINIMAL / name).read_bytes()
    for _ in range(draw(st.integers(1, 3))):
        raw = draw(mutation(raw))
    return name, raw


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    dest = tmp_path_factory.mktemp("props") / "playbooks"
    shutil.copytree(MINIMAL, dest)
    yield dest


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.slow  # a long hypothesis run
@PROFILE
@given(case=mutated_file(), fmt=st.sampled_from(["text", "json", "github"]))
def test_mutations_never_crash_check(work: Path, case: tuple[str, bytes], fmt: str) -> None:
    name, raw = case
    target = work / name
    original = (MINIMAL / name).read_bytes()
    target.write_bytes(raw)
    try:
        code, out, err = run(["check", str(work), "--format", fmt])
    finally:
        target.write_bytes(original)
    assert code in (0, 1, 2)
    assert "Traceback" not in out + err
    assert out.endswith("\n")
    if fmt == "json":
        doc = json.loads(out)
        problems = doc["problems"]
        assert all(p["line"] >= 0 and p["column"] >= 0 and p["code"].startswith("LB") for p in problems)
        assert all(Path(p["path"]).name in {Path(f).name for f in FILES} for p in problems)
        assert (code == 0) == (doc["summary"]["errors"] == 0)
    if fmt == "text" and code == 1:
        assert re.search(r"^\S+\.yml(:\d+:\d+)?: LB\d{3} ", out, re.M), out


@PROFILE
@given(raw=st.binary(max_size=400), kind=st.sampled_from(sorted(KINDS)))
def test_loader_never_raises_on_arbitrary_bytes(raw: bytes, kind: str) -> None:
    doc = load_bytes(raw, KINDS[kind], "x.yml")
    assert doc.data is not None or doc.problems, "a file that did not load must say why"
    assert all(p.path == "x.yml" for p in doc.problems)
    assert_plain(doc.data)


@PROFILE
@given(pieces=st.lists(st.sampled_from([*NASTY, "a", " ", "\n", "  ", "id", "x: ", "title: "]), max_size=30))
def test_loader_never_raises_on_yaml_like_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    doc = load_bytes(text.encode("utf-8"), KINDS["failure-mode"], "x.yml")
    assert doc.data is not None or doc.problems
    # only plain data comes out: nothing a tag or a resolver would construct
    assert_plain(doc.data)


def assert_plain(value: object) -> None:
    if isinstance(value, dict):
        assert all(type(k) is str for k in value)
        for v in value.values():
            assert_plain(v)
    elif isinstance(value, list):
        for v in value:
            assert_plain(v)
    else:
        assert value is None or type(value) in (str, int, float, bool), type(value)
