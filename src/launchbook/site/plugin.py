"""``plugins: [launchbook]``: a thin MkDocs adapter over :mod:`launchbook.site.pages`.

Like mkdocs-gen-files, it adds generated pages to the file set, so a fork keeps
its own ``mkdocs.yml`` and hand-written pages in ``docs/``; a hand-written
page with the same path as a generated one wins.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkPage

from ..checks import blocking_errors
from ..model import Playbook
from ..report import text as text_report
from .incremental import PageCache, digest, materialize
from .inert import add_csp
from .linkcheck import PageScans
from .pages import build_pages, fill_markers, nav

ASSETS = ("launchbook.css", "launchbook-graph.js")
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
PAGE_ASSETS = ("assess.js", "meeting.js")  # copied, but loaded only by the page that needs it
ASSET_DIR = "assets/launchbook"
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables", "toc")  # heading ids ({ #id }), HTML blocks


class LaunchbookConfig(Config):
    playbooks = c.Optional(c.Type(str))
    pdf = c.Type(bool, default=True)
    nav = c.Type(bool, default=True)


def resolve_playbooks(setting: str | None, config_file: str | None) -> Path:
    """The playbook folder: the plugin setting (relative to mkdocs.yml), else the fork next to mkdocs.yml
    (a folder with fork.yml), else ./playbooks, else bundled. :func:`load_checked` reads either kind."""
    base = Path(config_file).parent if config_file else Path.cwd()
    if setting:
        return (base / setting).resolve()
    if (base / "fork.yml").is_file():
        return base.resolve()
    from ..locate import bundled_playbooks

    local = base / "playbooks"
    return local.resolve() if (local / "launchbook.yml").is_file() else bundled_playbooks()


def load_checked(root: Path) -> Playbook:
    """Load and check (a fork: upstream with its overlay); any error aborts the build with every problem listed."""
    from ..overlay import load_any

    res = load_any(root)
    errors = blocking_errors(res)
    if errors or res.playbook is None:
        raise PluginError("launchbook: the playbooks have errors:\n" + text_report(errors, res.files))
    from ..model import with_role_names

    return with_role_names(res.playbook)


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


class LaunchbookPlugin(BasePlugin[LaunchbookConfig]):
    def __init__(self) -> None:
        self.pb: Playbook | None = None
        self.root: Path | None = None
        self.serving = False
        self.cache: PageCache | None = None
        self.page_dir: Path | None = None
        self.pdf_digests: dict[str, str] = {}
        self.progress: Progress | None = None
        # Set by ``launchbook build``: every page's HTML goes to the link check as it is rendered,
        # so the check's reading overlaps MkDocs' rendering and no page is read back from disk.
        self.link_scans: PageScans | None = None
        self.csp = True  # a Content-Security-Policy on every page (launchbook.site.inert)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also makes MkDocs keep this instance across serve's rebuilds,
        # which is what lets the page cache work.
        self.serving = command == "serve" and dirty
        # serve's live reload injects an inline script into every page, which a policy would block:
        # the preview goes without one; every build (launchbook build, mkdocs build) carries it.
        self.csp = command != "serve"
        if self.serving and self.page_dir is None:
            self.cache = PageCache()
            self.page_dir = Path(tempfile.mkdtemp(prefix="launchbook-pages-"))

    def on_shutdown(self) -> None:
        if self.page_dir is not None:
            shutil.rmtree(self.page_dir, ignore_errors=True)
            self.page_dir = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = resolve_playbooks(self.config.playbooks, config.config_file_path)
        self.pb = load_checked(self.root)
        for ext in REQUIRED_EXTENSIONS:  # a fork's own mkdocs.yml may lack them; the pages' anchors need them
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        if self.config.nav and not config.nav:
            extra: list[Any] = []
            docs = Path(config.docs_dir)
            for name, title in (
                ("start-here.md", "Start here"),
                ("changes.md", "What changed"),
                ("assess.md", "Assess"),
                ("tutorials", "Tutorials"),
            ):
                if (docs / name).exists():
                    if name == "tutorials":
                        extra.append(
                            {title: sorted(f"tutorials/{p.name}" for p in (docs / name).glob("*.md"))}
                        )
                    else:
                        extra.append({title: name})
            config.nav = nav(self.pb, extra)
        for asset in ASSETS:
            path = f"{ASSET_DIR}/{asset}"
            target = config.extra_css if asset.endswith(".css") else config.extra_javascript
            if path not in [str(x) for x in target]:
                target.append(path)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.pb is not None
        pdfs = checklist_downloads(self.pb) if self.config.pdf else {}
        pages = [(p.src, p.content) for p in build_pages(self.pb, checklist_files=pdfs, cache=self.cache)]
        pages.append(("index.md", DEFAULT_HOME))
        pages = [(src, content) for src, content in pages if files.get_file_from_path(src) is None]
        if self.page_dir is not None:
            # serve: real files whose modification time changes only with their content,
            # so MkDocs' dirty build re-renders only the pages an edit changed
            materialize(pages, self.page_dir)
            for src, _ in pages:
                files.append(File(src, str(self.page_dir), config.site_dir, config.use_directory_urls))
        else:
            for src, content in pages:
                files.append(File.generated(config, src, content=content))
        self.progress = Progress("pages", len(files.documentation_pages()))
        for name, data in package_assets():
            files.append(File.generated(config, f"{ASSET_DIR}/{name}", content=data))
        return files

    def on_page_markdown(self, markdown: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        assert self.pb is not None
        return fill_markers(self.pb, markdown, page.file.src_uri)

    @event_priority(-100)  # last, so the link scan sees the HTML that is written
    def on_post_page(self, output: str, page: MkPage, config: MkDocsConfig) -> str:
        if self.progress is not None:
            self.progress.step()
        # Material's search dialog has no accessible name (axe: aria-dialog-name); give it one.
        output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)
        if self.csp:
            output = add_csp(output)
        if self.link_scans is not None:
            self.link_scans.add(page.file.dest_uri, output)
        return output

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        # 404.html is a theme template, not a page: it gets the same policy.
        return add_csp(output_content) if self.csp and template_name.endswith(".html") else output_content

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.pb is not None
        if self.config.pdf:
            write_checklists(self.pb, Path(config.site_dir), self.pdf_digests if self.serving else None)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.root is not None:
            server.watch(str(self.root))
        return server


def package_assets() -> list[tuple[str, bytes]]:
    """The CSS and scripts shipped in ``site/assets`` that every build copies into the site."""
    pkg = resources.files("launchbook.site") / "assets"
    return [(name, (pkg / name).read_bytes()) for name in ASSETS + PAGE_ASSETS]


DEFAULT_HOME = """# Getting machine-learning projects into production

Most ML projects never reach production. These playbooks name the failure modes, the questions to ask and who owns the fix.

<!-- launchbook:stats-chart -->

<!-- launchbook:categories -->
"""


def checklist_downloads(pb: Playbook) -> dict[str, list[tuple[str, str]]]:
    """Download links (label, path from the site root) that :func:`write_checklists` will create."""
    out: dict[str, list[tuple[str, str]]] = {}
    for cl in pb.checklists:
        out[cl.id] = [
            ("PDF (A4)", f"checklists/{cl.id}-a4.pdf"),
            ("PDF (Letter)", f"checklists/{cl.id}-letter.pdf"),
            ("Printable HTML", f"checklists/{cl.id}-print.html"),
            ("Markdown", f"checklists/{cl.id}.md.txt"),
            ("CSV", f"checklists/{cl.id}.csv"),
        ]
    return out


def write_checklists(pb: Playbook, site_dir: Path, digests: dict[str, str] | None = None) -> int:
    """Write every checklist in every format into ``site_dir/checklists``; returns the number of files.

    With ``digests`` (serve), a checklist whose tailored content is unchanged since the last call
    is not rendered again."""
    from ..checklists import render, tailor

    out = site_dir / "checklists"
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    progress = Progress("checklist files", 5 * len(pb.checklists))
    for cl in pb.checklists:
        t = tailor(pb, cl.id)
        if digests is not None:
            key = digest(t)
            if digests.get(cl.id) == key and (out / f"{cl.id}-a4.pdf").is_file():
                continue
            digests[cl.id] = key
        for name, fmt, paper in (
            (f"{cl.id}-a4.pdf", "pdf", "a4"),
            (f"{cl.id}-letter.pdf", "pdf", "letter"),
            (f"{cl.id}-print.html", "html", "a4"),
            (f"{cl.id}.md.txt", "md", "a4"),
            (f"{cl.id}.csv", "csv", "a4"),
        ):
            (out / name).write_bytes(render(pb, t, fmt, paper))
            n += 1
            progress.step()
    return n
