"""The small caches that keep a rebuild close to plain MkDocs (issue 21): launchbook's compiled
Jinja templates and the characters the PDF fonts can draw. Each must serve exactly what a fresh
computation gives, be keyed on what it depends on, and stay off with ``LAUNCHBOOK_NO_CACHE``."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from launchbook import glyphs
from launchbook.checklists.render import FONT_FILES, _read_codepoints, font_bytes
from launchbook.text import template_env

CSS = {"font_family": "DejaVu Sans", "page_size": "A4", "pdf": True}


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("LAUNCHBOOK_NO_CACHE", raising=False)
    return tmp_path / "launchbook"


# ------------------------------------------------------------------ compiled templates
def test_a_second_environment_renders_from_the_compiled_cache(
    xdg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = template_env("launchbook.checklists").get_template("checklist.css.j2").render(**CSS)
    assert list((xdg / "jinja").rglob("*.cache")), "the compiled template was not kept"

    def no_compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again although the cache holds the template")

    env = template_env("launchbook.checklists")
    monkeypatch.setattr(env, "compile", no_compile)
    assert env.get_template("checklist.css.j2").render(**CSS) == first


def test_a_changed_template_is_compiled_again(xdg: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "t.j2").write_text("one {{ x }}")
    env = template_env("launchbook.checklists")
    env.loader = jinja2.FileSystemLoader(str(folder))
    assert env.get_template("t.j2").render(x=1) == "one 1"
    (folder / "t.j2").write_text("two {{ x }}")
    env2 = template_env("launchbook.checklists")
    env2.loader = jinja2.FileSystemLoader(str(folder))
    assert env2.get_template("t.j2").render(x=1) == "two 1"


def test_no_cache_setting_and_an_unwritable_folder(
    xdg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAUNCHBOOK_NO_CACHE", "1")
    assert template_env("launchbook.checklists").bytecode_cache is None
    monkeypatch.delenv("LAUNCHBOOK_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the cache folder cannot be made
    out = template_env("launchbook.checklists").get_template("checklist.css.j2").render(**CSS)
    assert "@page" in out


# ------------------------------------------------------------------ font characters
def test_codepoints_read_once_then_served_equal(xdg: Path) -> None:
    fonts = {name: font_bytes(name) for name in FONT_FILES}
    calls: list[int] = []

    def read() -> frozenset[int]:
        calls.append(1)
        return _read_codepoints()

    fresh = glyphs.cached_codepoints(fonts, read)
    again = glyphs.cached_codepoints(fonts, read)
    assert len(calls) == 1
    assert again == fresh and 0x4E00 not in again and ord("é") in again
    other = dict(fonts, **{next(iter(fonts)): b"other bytes"})  # other fonts: another entry
    assert glyphs.cached_codepoints(other, lambda: frozenset({65})) == frozenset({65})


def test_codepoints_corrupt_entry_and_no_cache(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fonts = {"a.ttf": b"abc"}
    assert glyphs.cached_codepoints(fonts, lambda: frozenset({65, 66, 67, 90})) == {65, 66, 67, 90}
    (entry,) = (xdg / "glyphs").iterdir()
    assert entry.read_text() == "[[65, 67], [90, 90]]"
    entry.write_text("[[65")  # corrupt: read again, and written right
    assert glyphs.cached_codepoints(fonts, lambda: frozenset({70})) == {70}
    assert glyphs.cached_codepoints(fonts, lambda: frozenset()) == {70}
    monkeypatch.setenv("LAUNCHBOOK_NO_CACHE", "1")
    assert glyphs.cached_codepoints(fonts, lambda: frozenset({1})) == {1}


# ------------------------------------------------------------------ the link check's page findings
PAGES = {
    "index.html": '<html><body><h1 id="top">x</h1><a href="b/">b</a><a href="#nowhere">n</a></body></html>',
    "b/index.html": '<html><body><a href="../index.html#top">t</a><script>alert(1)</script></body></html>',
}


def _run_helper(site: Path, pages: dict[str, str]) -> tuple[list[str], list[str]]:
    import io
    import pickle

    from launchbook.site.linkcheck import _helper

    inp = io.BytesIO()
    for path, page in pages.items():
        pickle.dump((path, page), inp)
    pickle.dump(str(site), inp)
    inp.seek(0)
    out = io.BytesIO()
    _helper(inp, out)
    found: tuple[list[str], list[str]] = pickle.loads(out.getvalue())
    return found


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    site = tmp_path / "site"
    for path, page in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(page)
    return site


def test_kept_page_findings_are_reported_again_and_a_changed_page_is_read(
    xdg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import launchbook.site.linkcheck as lc
    from launchbook.site.inert import Allowed

    site = _site(tmp_path, PAGES)
    first = _run_helper(site, PAGES)
    links, unsafe = first
    assert any("missing anchor #nowhere" in p for p in links) and unsafe  # the findings to keep
    read: list[str] = []
    real = lc._findings

    def counting(page: str, path: str, allowed: Allowed) -> object:
        read.append(path)
        return real(page, path, allowed)

    monkeypatch.setattr(lc, "_findings", counting)
    assert _run_helper(site, PAGES) == first and read == []  # nothing read again, the same findings
    changed = dict(PAGES, **{"b/index.html": '<html><body><a href="../index.html#gone">t</a></body></html>'})
    site = _site(tmp_path, changed)
    links, unsafe = _run_helper(site, changed)
    assert read == ["b/index.html"]
    assert any("#gone" in p for p in links) and not unsafe
    monkeypatch.setenv("LAUNCHBOOK_NO_CACHE", "1")
    _run_helper(site, changed)
    assert read == ["b/index.html", "index.html", "b/index.html"]


def test_a_corrupt_findings_file_is_read_past(xdg: Path, tmp_path: Path) -> None:
    import marshal

    site = _site(tmp_path, PAGES)
    first = _run_helper(site, PAGES)
    (memo,) = (xdg / "pagescan").iterdir()
    memo.write_bytes(b"\x00garbage")
    assert _run_helper(site, PAGES) == first
    memo.write_bytes(marshal.dumps({k: ("not", "findings") for k in marshal.loads(memo.read_bytes())}))
    assert _run_helper(site, PAGES) == first


def test_old_compiled_template_folders_are_pruned(xdg: Path) -> None:
    import os

    from launchbook.text import _CompiledTemplates

    root = xdg / "jinja"
    for i in range(12):
        (root / f"old{i}").mkdir(parents=True)
        os.utime(root / f"old{i}", ns=(i * 10**9, i * 10**9))
    current = Path(_CompiledTemplates(str(root)).directory)
    current.mkdir()
    os.utime(current, ns=(0, 0))  # the oldest of all, but in use: kept
    _CompiledTemplates(str(root))
    left = sorted(p.name for p in root.iterdir())
    assert left == sorted([current.name, *(f"old{i}" for i in range(4, 12))])  # and the 8 most recent
