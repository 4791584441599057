"""`launchbook serve` rebuilds only what an edit changed, and never serves a stale page."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchbook.site.build import default_config
from launchbook.site.preview import preview_builder


def _files(site: Path) -> dict[str, float]:
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


@pytest.mark.pdf
def test_an_edit_rerenders_that_page_only(
    minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text(default_config(minimal, docs), encoding="utf-8")
    site = tmp_path / "site"
    rebuild, close = preview_builder(config, site)
    try:
        rebuild()
        before = _files(site)
        edited = site / "failure-modes" / "no-plan" / "index.html"
        untouched = site / "failure-modes" / "no-data" / "index.html"
        assert "funded as an experiment" in edited.read_text()

        fm = minimal / "failure-modes" / "no-plan.yml"
        fm.write_text(fm.read_text().replace("funded as an experiment", "approved as a side quest"))
        rebuild()
        after = _files(site)

        assert "approved as a side quest" in edited.read_text(), "the edit must be seen"
        assert "funded as an experiment" not in edited.read_text()
        rel_untouched = str(untouched.relative_to(site))
        assert after[rel_untouched] == before[rel_untouched], "an unchanged page is not rendered again"
        pdf = "checklists/kickoff-a4-letter.pdf"
        assert after[pdf] == before[pdf], "an unchanged checklist is not rendered again"

        # a change that other pages read (a role's name) re-renders every page that shows it
        roles = minimal / "roles.yml"
        roles.write_text(roles.read_text().replace("name: Data engineer", "name: Data platform engineer"))
        rebuild()
        assert "Data platform engineer" in untouched.read_text()
    finally:
        close()


def test_prose_is_read_only_by_its_own_page() -> None:
    """The serve cache keeps every other page while only a failure mode's prose changes;
    that is only safe if no other page shows that prose."""
    import dataclasses

    from launchbook.locate import bundled_playbooks
    from launchbook.model import FailureMode, load_playbook
    from launchbook.site.pages import build_pages

    pb = load_playbook(bundled_playbooks()).playbook
    assert pb is not None

    def reworded(fm: FailureMode) -> FailureMode:
        return dataclasses.replace(
            fm,
            summary=fm.summary + " Reworded.",
            signs=tuple(s + " Reworded." for s in fm.signs),
            impact=fm.impact + " Reworded.",
            remediations=tuple(dataclasses.replace(r, do=r.do + " Reworded.") for r in fm.remediations),
            sources=tuple(dataclasses.replace(c, note=c.note + " Reworded.") for c in fm.sources),
        )

    pb2 = dataclasses.replace(pb, failure_modes=tuple(reworded(fm) for fm in pb.failure_modes))
    before = {p.src: p.content for p in build_pages(pb)}
    after = {p.src: p.content for p in build_pages(pb2)}
    assert before.keys() == after.keys()
    changed = {src for src in before if before[src] != after[src]}
    assert changed == {f"failure-modes/{fm.id}.md" for fm in pb.failure_modes}
