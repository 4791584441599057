"""The synthetic playbook generator (scripts/make_synthetic.py) and the check cache."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from launchbook.cache import check_folder
from launchbook.cli import main

from .support.synthetic import GEN


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("LAUNCHBOOK_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("n", [30, 200])
def test_generated_set_checks_clean_in_strict_mode(
    n: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"pb{n}"
    GEN.write_set(n, out, seed=3)
    assert len(list((out / "failure-modes").glob("*.yml"))) == n
    assert main(["check", str(out), "--strict", "--no-cache"]) == 0
    assert "no problems" in capsys.readouterr().out


def test_generated_files_are_shaped_like_the_real_ones(tmp_path: Path) -> None:
    GEN.write_set(200, tmp_path / "pb", seed=1)
    sizes = sorted(p.stat().st_size for p in (tmp_path / "pb" / "failure-modes").glob("*.yml"))
    median = sizes[len(sizes) // 2]
    assert 3_500 <= median <= 7_000, median
    text = (tmp_path / "pb" / "failure-modes").glob("*.yml").__next__().read_text()
    for field in ("summary:", "signs:", "questions:", "remediations:", "requires:", "related:", "sources:"):
        assert field in text


def test_generator_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    GEN.write_set(60, tmp_path / "a", seed=11)
    GEN.write_set(60, tmp_path / "b", seed=11)
    GEN.write_set(60, tmp_path / "c", seed=12)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_generator_command_line(tmp_path: Path) -> None:
    assert GEN.main(["12", "-o", str(tmp_path / "cli"), "--seed", "2"]) == 0
    assert (tmp_path / "cli" / "launchbook.yml").is_file()


# ------------------------------------------------------------------ cache
@pytest.fixture
def small_set(tmp_path: Path) -> Path:
    out = tmp_path / "work" / "playbooks"
    GEN.write_set(30, out, seed=5)
    return out


def test_unchanged_set_is_served_from_the_cache(small_set: Path) -> None:
    first = check_folder(small_set)
    second = check_folder(small_set)
    assert not first.cached and second.cached
    assert (second.problems, second.files, second.loaded) == (first.problems, first.files, first.loaded)


def test_cached_report_is_the_same_as_an_uncached_one(
    small_set: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fm = sorted((small_set / "failure-modes").glob("*.yml"))[0]
    fm.write_text(fm.read_text().replace("owner: ", "owner: nobody-", 1))  # an LB301 with a hint
    outputs = []
    for args in (["--no-cache"], [], []):  # uncached, then a miss that fills the cache, then a hit
        code = main(["check", str(small_set), "--format", "json", *args])
        outputs.append((code, capsys.readouterr().out))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0][0] == 1 and "LB301" in outputs[0][1]


def test_an_edit_is_always_seen(small_set: Path) -> None:
    assert check_folder(small_set).problems == ()
    fm = sorted((small_set / "failure-modes").glob("*.yml"))[3]
    fm.write_text(fm.read_text().replace("effort: ", "effort: XL-", 1))
    after = check_folder(small_set)
    assert not after.cached
    assert any(p.code == "LB206" and p.path.endswith(fm.name) for p in after.problems)


def test_a_content_change_that_keeps_size_and_mtime_is_seen(small_set: Path) -> None:
    assert check_folder(small_set).problems == ()
    assert check_folder(small_set).cached
    fm = sorted((small_set / "failure-modes").glob("*.yml"))[5]
    before = fm.stat()
    text = fm.read_text()
    phase = next(p for p in ("phase: frame", "phase: build") if p in text)
    edited = text.replace(phase, phase[:-5] + "frxme" if phase.endswith("frame") else phase[:-5] + "bxild", 1)
    assert len(edited) == len(text)
    fm.write_text(edited)
    os.utime(fm, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    assert fm.stat().st_mtime_ns == before.st_mtime_ns and fm.stat().st_size == before.st_size
    after = check_folder(small_set)
    assert not after.cached
    assert any(p.code == "LB301" and "phase" in p.message for p in after.problems)


def test_added_and_removed_files_are_seen(small_set: Path) -> None:
    files = check_folder(small_set).files
    extra = small_set / "failure-modes" / "extra-file.yml"
    extra.write_text("id: extra-file\n")
    added = check_folder(small_set)
    assert added.files == files + 1 and any(p.code == "LB201" for p in added.problems)
    extra.unlink()
    assert check_folder(small_set).files == files
    (small_set / "roles.yml").unlink()
    missing = check_folder(small_set)
    assert not missing.loaded and any(p.code == "LB116" for p in missing.problems)


def test_check_writes_nothing_next_to_the_playbooks(small_set: Path, tmp_path: Path) -> None:
    before = sorted(small_set.parent.iterdir())
    check_folder(small_set)
    check_folder(small_set)
    assert sorted(small_set.parent.iterdir()) == before
    assert list((tmp_path / "xdg-cache" / "launchbook").glob("check-*.json"))


def test_a_corrupt_cache_entry_is_ignored(small_set: Path, tmp_path: Path) -> None:
    check_folder(small_set)
    for entry in (tmp_path / "xdg-cache" / "launchbook").glob("check-*.json"):
        entry.write_text("{not json")
    again = check_folder(small_set)
    assert not again.cached and again.problems == ()


def test_no_cache_environment_variable(small_set: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAUNCHBOOK_NO_CACHE", "1")
    check_folder(small_set)
    assert not check_folder(small_set).cached
