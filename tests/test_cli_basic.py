from __future__ import annotations

from pathlib import Path

import pytest

from launchbook.cli import main

from .support import MINIMAL


def test_minimal_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(MINIMAL), "--strict"]) == 0
    assert "no problems" in capsys.readouterr().out


def test_missing_path_is_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["check", str(tmp_path / "nope")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_dangling_role_is_reported_with_location(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = minimal / "failure-modes" / "no-data.yml"
    f.write_text(
        f.read_text().replace(
            "owner: data-engineer\n    phase: data\n    level",
            "owner: data-enginer\n    phase: data\n    level",
        )
    )
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    assert "no-data.yml:13:12: LB301 unknown role 'data-enginer'" in out
    assert "did you mean 'data-engineer'?" in out


def test_plan_orders_requirements_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(MINIMAL)]) == 0
    out = capsys.readouterr().out
    assert out.index("write-plan") < out.index("fund-deployment") < out.index("inventory-data")


def test_unknown_phase_in_plan_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(MINIMAL), "--phase", "deploi"]) == 2
    assert "did you mean 'deploy'?" in capsys.readouterr().err


def test_raw_html_is_located_on_its_own_line(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = minimal / "failure-modes" / "no-data.yml"
    text = f.read_text().replace(
        "summary: The data everyone assumed existed does not.",
        "summary: |\n  The data everyone assumed existed does not.\n  Then <script>alert(1)</script> ran.",
    )
    text = text.replace("impact: The project stalls for months.", "impact: It <b>stalls</b>.")
    f.write_text(text)
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    assert "no-data.yml:7:8: LB207 raw HTML '<script>'" in out
    assert "no-data.yml:10:12: LB207 raw HTML '<b>'" in out


def test_findings_caused_by_a_broken_file_point_at_it(
    minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (minimal / "failure-modes" / "no-data.yml").write_text("id: no-data\ntitle: [unclosed\n")
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    assert "LB301 unknown failure mode 'no-data'" in out
    assert "it may be defined in" in out and "no-data.yml, which did not load" in out


def test_a_shortened_name_gets_a_suggestion() -> None:
    from launchbook.errors import did_you_mean

    known = ["go-no-go-production", "project-kickoff", "post-launch-review"]
    assert did_you_mean("go-no-go", known) == "did you mean 'go-no-go-production'?"
    assert did_you_mean("kickof", known) == "did you mean 'project-kickoff'?"
    assert did_you_mean("p", known) == ""


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import os
    import stat

    from launchbook.fsutil import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "out.txt", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o644


@pytest.mark.pdf
def test_the_built_site_is_readable_by_a_web_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import stat

    from .support import MINIMAL as minimal_set

    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    try:
        assert main(["build", str(minimal_set), "-o", "out"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755
