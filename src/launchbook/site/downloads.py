"""The checklist downloads of a site: what the checklist pages link to, and writing those files.

Every checklist is written as the facilitator's copy in PDF, printable HTML, Markdown and CSV,
and the one-page handout (:mod:`launchbook.checklists.handout`) in PDF; each PDF once per paper
of the site (the plugin's ``papers``). The default paper is ``a4-letter``, a page that prints
unscaled on A4 and on Letter, so a site renders each PDF once instead of once per paper.
:func:`start_checklists` renders the cheap formats at once and hands the PDFs to
:mod:`launchbook.site.pdfs` (a cache, then worker processes), so the PDFs render while the
caller does other work (MkDocs renders the pages); :meth:`Checklists.write` waits for them and
writes every file. Nothing here imports MkDocs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..checklists.handout import handout_candidates
from ..checklists.render import PAPER_NAMES, PAPERS, render, render_html, warn_missing_glyphs
from ..checklists.tailor import tailor
from ..errors import UsageError
from ..model import Playbook
from .pdfs import PdfJobs, Source

DEFAULT_PAPERS = ("a4-letter",)
"""The papers a site's PDFs are made for unless its config names others."""
FOLDER = "checklists"


def check_papers(papers: Sequence[str]) -> None:
    """Raise :class:`UsageError` unless ``papers`` names one or more known papers, each once."""
    if not papers or len(set(papers)) != len(papers) or not set(papers) <= set(PAPERS):
        raise UsageError(
            f"papers {list(papers)}: name one or more of {', '.join(PAPERS)}, each once"
            " (a4-letter is one page that prints unscaled on A4 and on Letter)"
        )


def downloads(papers: Sequence[str] = DEFAULT_PAPERS) -> tuple[tuple[str, str, str, str], ...]:
    """``(label, file name after the checklist id, format, paper)`` of every download, in the order
    the pages list them: the facilitator's PDF per paper, printable HTML (on the first paper),
    Markdown, CSV, the handout's PDF per paper. A handout's file name holds ``-handout``
    (:func:`launchbook.site.meeting.is_handout`). Papers are checked (:func:`check_papers`)."""
    check_papers(papers)
    return (
        *((f"PDF ({PAPER_NAMES[p]})", f"-{p}.pdf", "pdf", p) for p in papers),
        ("Printable HTML", "-print.html", "html", papers[0]),
        ("Markdown", ".md.txt", "md", papers[0]),
        ("CSV", ".csv", "csv", papers[0]),
        *((f"Handout PDF ({PAPER_NAMES[p]})", f"-handout-{p}.pdf", "handout", p) for p in papers),
    )


def checklist_downloads(
    pb: Playbook, papers: Sequence[str] = DEFAULT_PAPERS
) -> dict[str, list[tuple[str, str]]]:
    """Download links (label, path from the site root) that :func:`write_checklists` creates."""
    return {
        cl.id: [(label, f"{FOLDER}/{cl.id}{suffix}") for label, suffix, _, _ in downloads(papers)]
        for cl in pb.checklists
    }


@dataclass
class Checklists:
    """Checklist files being rendered: the cheap formats done, the PDFs pending in ``pdfs``."""

    files: dict[str, bytes]  # file name -> bytes, the PDFs not among them yet
    pdfs: PdfJobs
    pdf_names: list[str]  # the PDFs' file names, in the order of their jobs

    def write(self, site_dir: Path) -> int:
        """Wait for the PDFs and write every file into ``site_dir/checklists``; returns how many.
        A file that already holds the same bytes is left alone (serve: its time does not change)."""
        out = site_dir / FOLDER
        out.mkdir(parents=True, exist_ok=True)
        files = dict(self.files)
        files.update(zip(self.pdf_names, self.pdfs.results(), strict=True))
        for name in sorted(files):
            path = out / name
            with contextlib.suppress(OSError):
                if path.read_bytes() == files[name]:
                    continue
            path.write_bytes(files[name])
        return len(files)

    def close(self) -> None:
        """Stop rendering (a failed build)."""
        self.pdfs.close()


def start_checklists(
    pb: Playbook, papers: Sequence[str] = DEFAULT_PAPERS, *, workers: int | None = None
) -> Checklists:
    """Tailor every checklist, render its HTML, Markdown and CSV, and start its PDFs on each of
    ``papers`` (see :class:`launchbook.site.pdfs.PdfJobs`; ``workers`` processes at most, default
    one per core)."""
    files_of = downloads(papers)
    files: dict[str, bytes] = {}
    sources: list[Source] = []
    names: list[str] = []
    for cl in pb.checklists:
        t = tailor(pb, cl.id)
        for _, suffix, fmt, paper in files_of:
            if fmt in ("pdf", "handout"):
                warn_missing_glyphs(pb, t)  # once per text and process, as a PDF render does
                html = render_html(pb, t, paper, pdf=True) if fmt == "pdf" else None
                sources.append(html if html is not None else handout_candidates(pb, t, paper))
                names.append(cl.id + suffix)
            else:
                files[cl.id + suffix] = render(pb, t, fmt, paper)
    return Checklists(files, PdfJobs(sources, workers=workers), names)


def write_checklists(pb: Playbook, site_dir: Path, papers: Sequence[str] = DEFAULT_PAPERS) -> int:
    """Write every checklist in every format into ``site_dir/checklists``; returns the number of files."""
    pending = start_checklists(pb, papers)
    try:
        return pending.write(site_dir)
    finally:
        pending.close()
