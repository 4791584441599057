"""``plugins: [launchbook]``: MkDocs' events mapped onto :mod:`launchbook.site.content`, nothing more.
Like mkdocs-gen-files it adds generated pages to the file set; a hand-written page in ``docs/`` wins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ..model import Playbook
from . import content as site
from .downloads import DEFAULT_PAPERS, Checklists, start_checklists
from .linkcheck import PageScans
from .pages import fill_markers, nav


class LaunchbookConfig(Config):
    playbooks = c.Optional(c.Type(str))
    pdf = c.Type(bool, default=True)
    papers = c.ListOfItems(c.Type(str), default=list(DEFAULT_PAPERS))  # each PDF once per paper
    nav = c.Type(bool, default=True)


class LaunchbookPlugin(BasePlugin[LaunchbookConfig]):
    pb: Playbook  # set by on_config
    root: Path  # set by on_config
    papers: tuple[str, ...] = ()  # set by on_config: of the PDFs (none: no downloads)
    serve_pages: site.PageFolder | None = None  # serve: generated pages kept between rebuilds
    checklists: Checklists | None = None
    pdfs_rendered: int | None = None  # of the last build's PDFs, how many were not in the cache
    progress: site.Progress  # set by on_files
    link_scans: PageScans | None = None  # set by ``launchbook build``: each page is scanned as rendered
    csp = True  # every build has a Content-Security-Policy; serve's live reload needs inline script

    def on_startup(self, *, command: str, dirty: bool) -> None:  # also keeps this instance across rebuilds
        self.csp, self.progress = command != "serve", site.Progress("pages", 0)
        if command == "serve" and dirty and self.serve_pages is None:
            self.serve_pages = site.PageFolder()

    def on_shutdown(self) -> None:
        for part in [p for p in (self.serve_pages, self.checklists) if p is not None]:
            part.close()
        self.serve_pages = self.checklists = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = site.resolve_playbooks(self.config.playbooks, config.config_file_path)
        try:
            self.papers = site.site_papers(self.config.pdf, self.config.papers)
            self.pb = site.load_checked(self.root)
        except (site.PlaybookErrors, site.UsageError) as exc:
            raise PluginError(str(exc)) from None
        site.complete_config(config.markdown_extensions, config.extra_css, config.extra_javascript)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.config.nav and not config.nav:
            config.nav = nav(self.pb, site.nav_extras(f.src_uri for f in files.documentation_pages()))
        if self.papers:  # rendered while MkDocs renders the pages, written in on_post_build
            self.checklists = start_checklists(self.pb, self.papers)
        folder = self.serve_pages
        exists = lambda src: files.get_file_from_path(src) is not None  # noqa: E731 - a hand-written page wins
        pages = site.site_pages(self.pb, papers=self.papers, exists=exists, serve=folder)
        where = folder.write(pages) if folder else None  # serve: real files, touched only when changed
        for src, text in pages:
            made = File(src, where, config.site_dir, config.use_directory_urls) if where else None
            files.append(made or File.generated(config, src, content=text))
        self.progress = site.Progress("pages", len(files.documentation_pages()))
        for path, data in site.package_assets():
            files.append(File.generated(config, path, content=data))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return fill_markers(self.pb, markdown, page.file.src_uri)

    @event_priority(-100)  # last, so the link scan sees the HTML that is written
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        self.progress.step()
        output = site.finish_page(output, csp=self.csp)
        if self.link_scans is not None:
            self.link_scans.add(page.file.dest_uri, output)
        return output

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        return site.finish_template(output_content, template_name, csp=self.csp)

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.checklists is not None:
            self.checklists.write(Path(config.site_dir))
            self.pdfs_rendered, self.checklists = self.checklists.pdfs.rendered, None

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.root))
        return server
