"""Reporters: golden files for text, json and github output, and the formatting rules.

Goldens live in tests/golden/ (compared by the ``golden`` fixture); regenerate them after an
intended change with

    LAUNCHBOOK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_reporters.py

and review the diff before committing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from launchbook import report
from launchbook.cli import main
from launchbook.errors import Problem, sorted_problems

from .support import GOLDEN, MINIMAL
from .support.golden import Golden


def run_check(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("text", "check.txt"), ("json", "check.json"), ("github", "check.github.txt")],
)
def test_golden_check_output(
    fmt: str,
    name: str,
    golden: Golden,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(GOLDEN)
    code, out, err = run_check(["check", "playbooks", "--format", fmt], capsys)
    assert code == 1
    assert err == ""
    golden.check(name, out)


def test_golden_strict_text(
    golden: Golden, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(GOLDEN)
    code, out, _ = run_check(["check", "playbooks", "--strict"], capsys)
    assert code == 1
    assert "[warning]" not in out
    golden.check("check-strict.txt", out)


def test_golden_fixture_covers_every_kind_of_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The golden fixture keeps a loader error, check errors, a warning and a '%' to escape."""
    monkeypatch.chdir(GOLDEN)
    _, out, _ = run_check(["check", "playbooks", "--format", "json"], capsys)
    doc = json.loads(out)
    codes = {p["code"] for p in doc["problems"]}
    assert {"LB100", "LB301", "LB304", "LB305", "LB313", "LB315"} <= codes
    assert {p["level"] for p in doc["problems"]} == {"error", "warning"}
    assert all(p["path"].startswith("playbooks/") for p in doc["problems"])  # relative, stable
    assert any("%" in p["message"] for p in doc["problems"])


def test_warnings_alone_exit_zero_unless_strict(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roles = minimal / "roles.yml"
    roles.write_text(
        roles.read_text() + "  - id: legal-counsel\n    name: Legal\n    description: Reviews.\n"
    )
    code, out, _ = run_check(["check", str(minimal)], capsys)
    assert code == 0
    assert "LB305 role 'legal-counsel' owns nothing [warning]" in out
    code, out, _ = run_check(["check", str(minimal), "--strict"], capsys)
    assert code == 1
    assert "checked 6 files: 1 error(s), 0 warning(s)" in out


# ------------------------------------------------------------------ json on stdout only
@pytest.mark.parametrize("case", ["clean", "problems", "core-broken"])
def test_json_format_prints_only_json(
    case: str, minimal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if case == "problems":
        monkeypatch.chdir(GOLDEN)
        target = "playbooks"
    else:
        target = str(minimal)
    if case == "core-broken":
        (minimal / "sources.yml").write_text("- not a mapping\n")
    code, out, err = run_check(["check", target, "--format", "json"], capsys)
    doc = json.loads(out)  # the whole of stdout is one JSON document
    assert set(doc) == {"problems", "summary"}
    assert err == ""
    assert code == (0 if case == "clean" else 1)
    assert doc["summary"]["errors"] == sum(p["level"] == "error" for p in doc["problems"])
    if case == "clean":
        assert doc["problems"] == []
    if case == "core-broken":
        assert [p["code"] for p in doc["problems"]] == ["LB108"]


# ------------------------------------------------------------------ formatting rules
P_ERR = Problem("LB301", "error", "unknown role 'x'", "pb/a.yml", 3, 7, "did you mean 'y'?")
P_WARN = Problem("LB305", "warning", "role 'z' owns nothing", "pb/roles.yml", 10, 5, "")
P_NOLINE = Problem("LB116", "error", "missing roles.yml", "pb/roles.yml", 0, 0, "add it")
P_NOCOL = Problem("LB100", "error", "bad", "pb/b.yml", 4, 0, "")


def test_text_format_lines() -> None:
    out = report.text([P_ERR, P_WARN, P_NOLINE, P_NOCOL], 5)
    assert out.splitlines() == [
        "pb/a.yml:3:7: LB301 unknown role 'x'",
        "    hint: did you mean 'y'?",
        "pb/roles.yml:10:5: LB305 role 'z' owns nothing [warning]",
        "pb/roles.yml: LB116 missing roles.yml",
        "    hint: add it",
        "pb/b.yml:4:1: LB100 bad",
        "checked 5 files: 3 error(s), 1 warning(s)",
    ]
    assert out.endswith("\n")


def test_text_format_without_problems() -> None:
    assert report.text([], 3) == "checked 3 files: no problems\n"


def test_json_format_fields() -> None:
    doc = json.loads(report.as_json([P_ERR, P_WARN], 2))
    assert doc["problems"][0] == {
        "code": "LB301",
        "level": "error",
        "message": "unknown role 'x'",
        "path": "pb/a.yml",
        "line": 3,
        "column": 7,
        "hint": "did you mean 'y'?",
    }
    assert doc["summary"] == {"files": 2, "errors": 1, "warnings": 1}


def test_json_keeps_unicode_readable() -> None:
    p = Problem("LB200", "error", "unknown field 'tïtle'", "pb/ü.yml", 1, 1, "")
    out = report.as_json([p], 1)
    assert "tïtle" in out and "pb/ü.yml" in out


def test_github_format_escapes_properties_and_messages() -> None:
    p = Problem("LB100", "error", "100% bad", "pb/a,b:c.yml", 2, 0, "fix: it, now")
    line = report.github([p], 1).splitlines()[0]
    assert line == "::error file=pb/a%2Cb%3Ac.yml,line=2,col=1,title=LB100::100%25 bad%0Afix: it, now"


HOSTILE_TEXT = "evil\x1b[31m\r\nnext\u2028line\x85"
ESCAPED = "evil\\u001b[31m\\u000d\\u000anext\\u2028line\\u0085"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_reporters_escape_control_characters_in_paths_messages_and_hints(fmt: str) -> None:
    """A file name or message may carry terminal escapes or line breaks; output stays one line each."""
    p = Problem(
        "LB208", "error", f"id of {HOSTILE_TEXT}", f"pb/{HOSTILE_TEXT}.yml", 1, 1, f"rename {HOSTILE_TEXT}"
    )
    out = report.REPORTERS[fmt]([p], 1)
    assert "\x1b" not in out and "\r" not in out and "\u2028" not in out and "\x85" not in out
    lines = out.splitlines()
    assert len(lines) == (3 if fmt == "text" else 2)  # problem (+ hint), summary
    assert ESCAPED in lines[0]
    if fmt == "text":
        assert lines[0] == f"pb/{ESCAPED}.yml:1:1: LB208 id of {ESCAPED}"
        assert lines[1] == f"    hint: rename {ESCAPED}"


def test_json_escapes_control_characters() -> None:
    p = Problem("LB208", "error", HOSTILE_TEXT, HOSTILE_TEXT, 1, 1, "")
    out = report.as_json([p], 1)
    assert "\x1b" not in out and "\r" not in out
    assert json.loads(out)["problems"][0]["path"] == HOSTILE_TEXT  # exact, once decoded


def test_github_format_levels_and_missing_line() -> None:
    lines = report.github([P_WARN, P_NOLINE], 2).splitlines()
    assert lines[0] == "::warning file=pb/roles.yml,line=10,col=5,title=LB305::role 'z' owns nothing"
    assert lines[1] == "::error file=pb/roles.yml,title=LB116::missing roles.yml%0Aadd it"
    assert lines[2] == "checked 2 files: 1 error(s), 1 warning(s)"


def test_every_reporter_is_registered_and_reachable_from_the_cli() -> None:
    assert set(report.REPORTERS) == {"text", "json", "github"}


def test_sorted_problems_orders_and_dedups() -> None:
    a = Problem("LB301", "error", "m", "b.yml", 2, 1)
    b = Problem("LB301", "error", "m", "a.yml", 9, 1)
    c = Problem("LB200", "error", "m", "b.yml", 2, 1)
    assert sorted_problems([a, b, c, a]) == [b, c, a]


def test_minimal_fixture_text_is_one_summary_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_check(["check", str(MINIMAL)], capsys)
    assert (code, out) == (0, "checked 6 files: no problems\n")
