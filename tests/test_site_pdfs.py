"""Checklist PDFs of a site (:mod:`launchbook.site.pdfs`): rendered in worker processes, cached by a
hash of everything they depend on, and a cached PDF byte-identical to a fresh render."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
from pathlib import Path

import pytest

from launchbook.checklists.handout import handout_candidates, render_handout
from launchbook.checklists.render import html_to_pdf, render_html
from launchbook.checklists.tailor import tailor
from launchbook.model import Playbook, load_playbook
from launchbook.site import pdfs
from launchbook.site.downloads import start_checklists

from .support import MINIMAL


@pytest.fixture(scope="module")
def pb() -> Playbook:
    res = load_playbook(MINIMAL)
    assert res.playbook is not None
    return res.playbook


BOTH = ("a4", "letter")  # a site whose config names both papers (the default is one, a4-letter)


@pytest.fixture(scope="module")
def cold(pb: Playbook, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """MINIMAL's checklist files rendered once, cold, by worker processes: (cache folder, files)."""
    xdg = tmp_path_factory.mktemp("xdg")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(xdg))
        mp.delenv("LAUNCHBOOK_NO_CACHE", raising=False)
        mp.setattr(pdfs, "_MEMORY", {})
        pending = start_checklists(pb, BOTH, workers=2)
        assert pending.pdfs.rendered == 4  # kickoff and its handout on A4 and Letter
        site = tmp_path_factory.mktemp("site")
        assert pending.write(site) == 7
    files = {p.name: p.read_bytes() for p in (site / "checklists").iterdir()}
    return xdg / "launchbook" / "pdf", files


@pytest.fixture
def cache(cold: tuple[Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the cold build's cache folder, in use, and nothing remembered in this process."""
    folder = tmp_path / "xdg" / "launchbook" / "pdf"
    shutil.copytree(cold[0], folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("LAUNCHBOOK_NO_CACHE", raising=False)
    monkeypatch.setattr(pdfs, "_MEMORY", {})
    return folder


def test_a_rebuild_renders_no_pdf_and_writes_the_same_bytes(
    pb: Playbook, cold: tuple[Path, dict[str, bytes]], cache: Path, tmp_path: Path
) -> None:
    assert sorted(p.suffix for p in cache.iterdir()) == [".pdf"] * 4
    pending = start_checklists(pb, BOTH)
    assert pending.pdfs.rendered == 0
    pending.write(tmp_path / "site")
    files = {p.name: p.read_bytes() for p in (tmp_path / "site" / "checklists").iterdir()}
    assert files == cold[1]


@pytest.mark.pdf
def test_a_worker_renders_what_this_process_renders(
    pb: Playbook, cold: tuple[Path, dict[str, bytes]]
) -> None:
    html = render_html(pb, tailor(pb, "kickoff"), "letter", pdf=True)
    assert html_to_pdf(html) == cold[1]["kickoff-letter.pdf"]


@pytest.mark.pdf
def test_a_worker_renders_the_handout_the_command_renders(
    pb: Playbook, cold: tuple[Path, dict[str, bytes]]
) -> None:
    """A handout's layouts go to a worker as one job; it renders the first that fits one page, the
    very PDF `launchbook checklist --handout` writes."""
    t = tailor(pb, "kickoff")
    for paper in ("a4", "letter"):
        assert cold[1][f"kickoff-handout-{paper}.pdf"] == render_handout(pb, t, "pdf", paper)
    candidates = handout_candidates(pb, t, "a4")
    assert pdfs.pdf_key(candidates) != pdfs.pdf_key(candidates[0])  # a fit job is its own key


@pytest.mark.pdf
def test_a_damaged_entry_is_rendered_again(
    pb: Playbook, cold: tuple[Path, dict[str, bytes]], cache: Path, tmp_path: Path
) -> None:
    entry = sorted(cache.iterdir())[0]
    entry.write_bytes(entry.read_bytes()[:1000])  # a truncated file is not a PDF
    pending = start_checklists(pb, BOTH, workers=1)
    assert pending.pdfs.rendered == 1
    pending.write(tmp_path / "site")
    assert (tmp_path / "site" / "checklists" / "kickoff-a4.pdf").read_bytes() == cold[1]["kickoff-a4.pdf"]
    assert entry.read_bytes().rstrip().endswith(b"%%EOF")  # and the entry is whole again


def test_a_changed_checklist_changes_only_its_own_keys(pb: Playbook) -> None:
    def keys(p: Playbook) -> dict[str, str]:
        t = tailor(p, "kickoff")
        return {paper: pdfs.pdf_key(render_html(p, t, paper, pdf=True)) for paper in ("a4", "letter")}

    before = keys(pb)
    assert before["a4"] != before["letter"]  # the paper is part of what is hashed
    assert keys(pb) == before  # and nothing else varies between runs
    cl = dataclasses.replace(pb.checklists[0], title=pb.checklists[0].title + " (edited)")
    edited = dataclasses.replace(pb, checklists=(cl, *pb.checklists[1:]))
    assert set(keys(edited).values()).isdisjoint(before.values())


def test_the_key_covers_the_creation_date_code_and_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    html = "<p>x</p>"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    first = pdfs.pdf_key(html)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    assert pdfs.pdf_key(html) != first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert pdfs.pdf_key(html) == first
    monkeypatch.setattr(pdfs, "__version__", "999.0")  # a new launchbook (a code change, the same way)
    pdfs._environment.cache_clear()
    try:
        assert pdfs.pdf_key(html) != first
    finally:
        pdfs._environment.cache_clear()  # recomputed with the real version by the next call


def test_no_cache_keeps_nothing_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("LAUNCHBOOK_NO_CACHE", "1")
    monkeypatch.setattr(pdfs, "_MEMORY", {})
    assert pdfs.pdf_cache_dir() is None
    pdfs.store_pdf("k", b"%PDF-1.7\n%%EOF\n")
    assert list(tmp_path.iterdir()) == []
    assert pdfs.cached_pdf("k") == b"%PDF-1.7\n%%EOF\n"  # the process remembers it (serve's rebuilds)


def test_the_cache_keeps_the_most_recent_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("LAUNCHBOOK_NO_CACHE", raising=False)
    monkeypatch.setattr(pdfs, "MAX_ENTRIES", 3)
    for i in range(5):
        pdfs.store_pdf(f"k{i}", b"%PDF-1.7\n%%EOF\n")
        path = tmp_path / "launchbook" / "pdf" / f"k{i}.pdf"
        os.utime(path, (1000 + i, 1000 + i))
    pdfs.store_pdf("k5", b"%PDF-1.7\n%%EOF\n")
    assert sorted(p.stem for p in (tmp_path / "launchbook" / "pdf").iterdir()) == ["k3", "k4", "k5"]


@pytest.mark.pdf
def test_a_worker_that_cannot_start_leaves_the_render_here(
    pb: Playbook, cold: tuple[Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAUNCHBOOK_NO_CACHE", "1")
    monkeypatch.setattr(pdfs, "_MEMORY", {})
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    html = render_html(pb, tailor(pb, "kickoff"), "a4", pdf=True)
    jobs = pdfs.PdfJobs([html], workers=1)
    assert jobs.results() == [cold[1]["kickoff-a4.pdf"]]


@pytest.mark.pdf
@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork: one process per worker")
def test_one_worker_process_is_started_and_forks_the_others(
    pb: Playbook, cold: tuple[Path, dict[str, bytes]]
) -> None:
    """WeasyPrint is imported once: the first worker forks the second, which has pipes of its own; each
    renders what this process renders, and when the pipes close every worker has ended."""
    first, forked = pdfs._start_workers(2)
    try:
        assert first.proc is not None and forked.proc is None
        html = render_html(pb, tailor(pb, "kickoff"), "letter", pdf=True)
        assert forked.render(html) == first.render(html) == cold[1]["kickoff-letter.pdf"]
        assert forked.proc is None and forked.send is not None, (
            "the forked worker rendered it, not this process"
        )
        proc = first.proc
    finally:
        for w in (first, forked):
            w.close_pipes()
        first.wait()
    assert proc.returncode == 0  # it waited for the worker it forked, which ended at the end of its input


@pytest.mark.pdf
def test_a_worker_that_dies_leaves_its_jobs_here(pb: Playbook, cold: tuple[Path, dict[str, bytes]]) -> None:
    workers = pdfs._start_workers(2)
    html = render_html(pb, tailor(pb, "kickoff"), "a4", pdf=True)
    try:
        assert workers[0].proc is not None
        assert (
            workers[1].render(html) == cold[1]["kickoff-a4.pdf"]
        )  # forked (where os.fork exists) and working
        workers[0].proc.kill()  # the first worker, and with it nothing else: the forked one has its own pipes
        workers[0].proc.wait()
        assert [w.render(html) for w in workers] == [cold[1]["kickoff-a4.pdf"]] * 2
        assert workers[0].send is None  # its pipe broke: rendered here, and from now on
        assert workers[1].send is not None  # the other one still renders
    finally:
        for w in workers:
            w.close_pipes()
        for w in workers:
            w.wait()


def test_the_cache_is_empty_until_a_pdf_is_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("LAUNCHBOOK_NO_CACHE", raising=False)
    monkeypatch.setattr(pdfs, "_MEMORY", {})
    assert pdfs.cache_is_empty()  # no folder yet
    pdfs.store_pdf("k", b"%PDF-1.7\n%%EOF\n")
    assert not pdfs.cache_is_empty()
    monkeypatch.setenv("LAUNCHBOOK_NO_CACHE", "1")
    assert pdfs.cache_is_empty()  # off: every PDF is rendered


@pytest.mark.pdf
def test_prestarted_workers_are_taken_by_the_next_jobs_or_stopped(
    pb: Playbook, cold: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAUNCHBOOK_NO_CACHE", "1")
    monkeypatch.setattr(pdfs, "_MEMORY", {})
    pdfs.prestart()
    spare = list(pdfs._SPARE)
    assert spare and all(w.send is not None for w in spare)
    html = render_html(pb, tailor(pb, "kickoff"), "a4", pdf=True)
    jobs = pdfs.PdfJobs([html], workers=1)
    assert jobs._workers == spare and pdfs._SPARE == []  # taken, all of them: they are running
    assert jobs.results() == [cold[1]["kickoff-a4.pdf"]]
    pdfs.prestart()
    first = pdfs._SPARE[0].proc
    assert first is not None
    pdfs.release_spare()  # PDFs off: stopped, even in the middle of importing WeasyPrint
    assert pdfs._SPARE == [] and first.returncode is not None
    pdfs.prestart()
    second = pdfs._SPARE[0].proc
    again = pdfs.PdfJobs([html], workers=1)  # this process remembers the PDF: nothing to render
    assert again.rendered == 0 and pdfs._SPARE == []
    assert second is not None and second.returncode is not None
    assert again.results() == [cold[1]["kickoff-a4.pdf"]]
