"""Terminal output escapes control, bidi and invisible characters (issue 15, item 10): one
function, :func:`launchbook.report.for_terminal`, used by every text reporter and every CLI
print of playbook text."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from launchbook import report
from launchbook.cli import main
from launchbook.errors import Problem
from launchbook.report import for_terminal, json_for_terminal

BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)]
CONTROLS = [chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))]
OTHER_HIDDEN = ["\u2028", "\u2029", "\u200b", "\u200d", "\ufeff", "\U000e0041", "\udcff", "\u0378"]


@pytest.mark.parametrize("c", BIDI + CONTROLS + OTHER_HIDDEN)
def test_every_hidden_character_becomes_a_visible_escape(c: str) -> None:
    out = for_terminal(f"a{c}b")
    n = ord(c)
    assert out == (f"a\\u{n:04x}b" if n <= 0xFFFF else f"a\\U{n:08x}b")
    assert out.isascii() and out.isprintable()


def test_visible_text_is_left_alone() -> None:
    text = "caf\u00e9 \u6f22\u5b57 \U0001f600 \u00a0nbsp \u05e9\u05dc\u05d5\u05dd \\u202e stays"
    assert for_terminal(text) == text


def test_newlines_kept_only_when_asked() -> None:
    assert for_terminal("a\nb") == "a\\u000ab"
    assert for_terminal("a\nb\u202ec", newlines=True) == "a\nb\\u202ec"


def test_the_bmp_has_no_unescaped_hidden_character() -> None:
    """Against the Unicode database: no control, format, separator or surrogate survives."""
    for n in range(0x10000):
        c = chr(n)
        if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            assert c not in for_terminal(c), hex(n)


HOSTILE = "title \u202eevil\u202c \x1b[2J\x1b]0;owned\x07 \u2066x\u2069"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_text_reporters_escape_bidi(fmt: str) -> None:
    p = Problem("LB301", "error", HOSTILE, f"pb/{HOSTILE}.yml", 1, 1, HOSTILE)
    out = report.REPORTERS[fmt]([p], 1)
    assert "\u202e" not in out and "\x1b" not in out and "\u2066" not in out and "\x07" not in out
    assert "\\u202e" in out and "\\u001b" in out


def test_json_reporter_escapes_bidi_and_keeps_the_data() -> None:
    p = Problem("LB301", "error", HOSTILE + "\U000e0041\x7f\x85", f"pb/{HOSTILE}\udcff.yml", 1, 1, HOSTILE)
    out = report.as_json([p], 1)
    assert "\u202e" not in out and "\U000e0041" not in out and "\x7f" not in out and "\x85" not in out
    out.encode("utf-8")  # a lone surrogate (an undecodable file name) no longer breaks the output
    doc = json.loads(out)
    assert doc["problems"][0]["message"] == HOSTILE + "\U000e0041\x7f\x85"
    assert doc["problems"][0]["path"] == f"pb/{HOSTILE}\udcff.yml"


def test_json_for_terminal_keeps_printable_unicode() -> None:
    doc = json.dumps({"t": "caf\u00e9 \u6f22 \U0001f600 \u202e"}, ensure_ascii=False)
    out = json_for_terminal(doc)
    assert "caf\u00e9 \u6f22 \U0001f600" in out and "\\u202e" in out
    assert json.loads(out) == json.loads(doc)


def test_plan_escapes_titles(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fm = minimal / "failure-modes" / "no-plan.yml"
    fm.write_text(
        fm.read_text(encoding="utf-8").replace(
            "title: Write the deployment plan", "title: Write the \u202eplan\u2069"
        ),
        encoding="utf-8",
    )
    assert main(["plan", str(minimal)]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\u2069" not in out
    assert "Write the \\u202eplan\\u2069" in out


def test_checklist_list_escapes_titles(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cl = minimal / "checklists" / "kickoff.yml"
    cl.write_text(
        cl.read_text(encoding="utf-8").replace("title: Kickoff", "title: Kick\u202eoff"), encoding="utf-8"
    )
    assert main(["checklist", "--list", "--playbooks", str(minimal)]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "Kick\\u202eoff" in out


def test_usage_errors_escape_what_the_user_typed(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(minimal), "--phase", "x\x1b[2J\u202ey"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err and "x\\u001b[2J\\u202ey" in err


def test_check_prints_a_bidi_title_escaped(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A problem message quoting playbook text: the text reporter escapes it."""
    (minimal / "failure-modes" / "evil\u202eyml.txt.yml").write_text("id: [\n", encoding="utf-8")
    main(["check", str(minimal), "--no-cache"])
    out = capsys.readouterr().out
    assert "\u202e" not in out and "evil\\u202eyml.txt.yml" in out
