"""What a launchbook site holds besides MkDocs' own work, for any engine: the playbooks it reads,
the generated pages with the default home page, the shipped assets, the nav's extra entries and
each finished page's last touches. ``plugins: [launchbook]`` (:mod:`launchbook.site.plugin`)
calls these from MkDocs' events; ``launchbook generate`` (:mod:`launchbook.site.generate`)
calls the same ones to write plain Markdown. Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from ..checks import blocking_errors
from ..errors import UsageError as UsageError  # the plugin catches it from here
from ..model import Playbook
from ..report import text as text_report
from .config import ASSET_DIR, ASSETS, PAGE_ASSETS, REQUIRED_EXTENSIONS
from .downloads import check_papers, checklist_downloads
from .incremental import PageCache, materialize
from .inert import add_csp
from .pages import build_pages

DEFAULT_HOME = """# Getting machine-learning projects into production

Most ML projects never reach production. These playbooks name the failure modes, the questions to ask and who owns the fix.

<!-- launchbook:stats-chart -->

<!-- launchbook:categories -->
"""
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
# Hand-written pages that get a nav entry of their own, in this order, when the site has them.
NAV_EXTRAS = (("start-here.md", "Start here"), ("changes.md", "What changed"))
TUTORIALS = ("tutorials/", "Tutorials")


class PlaybookErrors(Exception):
    """The playbooks have errors, so no site is built; the message lists every one."""


def resolve_playbooks(setting: str | None, config_file: str | None) -> Path:
    """The playbook folder: ``setting`` (relative to the MkDocs config), else the fork next to the
    config (a folder with fork.yml), else ./playbooks, else bundled. :func:`load_checked` reads either kind."""
    base = Path(config_file).parent if config_file else Path.cwd()
    if setting:
        return (base / setting).resolve()
    if (base / "fork.yml").is_file():
        return base.resolve()
    from ..locate import bundled_playbooks

    local = base / "playbooks"
    return local.resolve() if (local / "launchbook.yml").is_file() else bundled_playbooks()


def load_checked(root: Path) -> Playbook:
    """Load and check (a fork: upstream with its overlay). Raises :class:`PlaybookErrors` listing
    every blocking problem."""
    from ..overlay import load_any

    res = load_any(root)
    errors = blocking_errors(res)
    if errors or res.playbook is None:
        raise PlaybookErrors("launchbook: the playbooks have errors:\n" + text_report(errors, res.files))
    from ..model import with_role_names  # every page names roles as the fork does

    return with_role_names(res.playbook)


def site_papers(pdf: bool, papers: Sequence[str]) -> tuple[str, ...]:
    """The papers of a site's PDFs from the plugin's ``pdf`` and ``papers`` options (none when
    ``pdf`` is false); raises :class:`UsageError` naming the known papers for an unknown or repeated one."""
    if not pdf:
        return ()
    try:
        check_papers(papers)
    except UsageError as exc:
        raise UsageError(f"the launchbook plugin's option {exc}") from None
    return tuple(papers)


def site_pages(
    pb: Playbook, *, papers: Sequence[str], exists: Callable[[str], bool], serve: PageFolder | None = None
) -> list[tuple[str, str]]:
    """``(src, Markdown)`` of every generated page and the default home page that the site does not
    already hold (``exists(src)``: a hand-written page with the same path wins). ``papers``: the
    checklist pages link the downloads :func:`launchbook.site.downloads.write_checklists` writes
    for these papers (none: no downloads).
    Markers (:func:`launchbook.site.pages.fill_markers`) are left for the caller to fill. ``serve``:
    the pages of the previous build are kept, and only those whose input changed are rendered."""
    links = checklist_downloads(pb, papers) if papers else {}
    pages = [
        (p.src, p.content)
        for p in build_pages(pb, checklist_files=links, cache=serve.cache if serve else None)
    ]
    pages.append(("index.md", DEFAULT_HOME))  # its markers are filled as a hand-written page's are
    return [(src, content) for src, content in pages if not exists(src)]


def package_assets() -> list[tuple[str, bytes]]:
    """``(path in the site, bytes)`` of the CSS and scripts shipped in ``site/assets`` that every
    build copies into the site."""
    pkg = resources.files("launchbook.site") / "assets"
    return [(f"{ASSET_DIR}/{name}", (pkg / name).read_bytes()) for name in ASSETS + PAGE_ASSETS]


def nav_extras(sources: Iterable[str]) -> list[Any]:
    """The nav entries of the hand-written pages among ``sources`` (Markdown paths in the docs
    folder): Start here, What changed, and the tutorials (every page under ``tutorials/``)."""
    have = set(sources)
    extra: list[Any] = [{title: name} for name, title in NAV_EXTRAS if name in have]
    folder, title = TUTORIALS
    tutorials = sorted(p for p in have if p.startswith(folder) and p.endswith(".md"))
    if tutorials:
        extra.append({title: tutorials})
    return extra


def complete_config(
    markdown_extensions: list[Any], extra_css: list[Any], extra_javascript: list[Any]
) -> None:
    """Add what the pages need to a site's MkDocs settings, in place: the Markdown extensions
    their anchors and HTML blocks use (a fork's own mkdocs.yml may lack them) and the assets."""
    markdown_extensions.extend(e for e in REQUIRED_EXTENSIONS if e not in markdown_extensions)
    for path in (f"{ASSET_DIR}/{asset}" for asset in ASSETS):
        target = extra_css if path.endswith(".css") else extra_javascript
        if path not in [str(x) for x in target]:  # MkDocs keeps entries as objects: compare their text
            target.append(path)


def finish_page(html: str, *, csp: bool) -> str:
    """A rendered page's last touches: an accessible name for Material's search dialog (axe:
    aria-dialog-name) and, with ``csp``, the page's Content-Security-Policy."""
    html = html.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)
    return add_csp(html) if csp else html


def finish_template(html: str, name: str, *, csp: bool) -> str:
    """A theme template's output (404.html is one, not a page): the same policy as the pages."""
    return add_csp(html) if csp and name.endswith(".html") else html


class PageFolder:
    """``serve``'s generated pages as real files in a temporary folder, each rewritten only when its
    content changed, so MkDocs' dirty build (which compares modification times) re-renders only
    the pages an edit changed; and the :class:`~launchbook.site.incremental.PageCache` that
    renders only those again."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="launchbook-pages-"))
        self.cache = PageCache()

    def write(self, pages: Iterable[tuple[str, str]]) -> str:
        """Write ``(src, Markdown)`` pages; returns the folder, to read them from."""
        materialize(pages, self.path)
        return str(self.path)

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class Progress:
    """``pages 120/1040`` on a terminal, rewritten in place; silent in CI and when output is redirected."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.n = label, total, 0
        self.live = sys.stderr.isatty() and not os.environ.get("CI") and total > 0

    def step(self) -> None:
        self.n += 1
        if self.live and (self.n == self.total or self.n % 25 == 0):
            end = "\n" if self.n == self.total else ""
            sys.stderr.write(f"\r{self.label} {self.n}/{self.total}{end}")
            sys.stderr.flush()
