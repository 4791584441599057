"""``launchbook build``: MkDocs build into a temporary folder, checked, then swapped in atomically.

A failed build (bad playbook, template error, any MkDocs warning, a broken
internal link or anchor, a request that would leave the site) exits non-zero
and leaves the previous site byte-identical. With ``SOURCE_DATE_EPOCH`` set,
two builds are byte-identical.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands import build as mk_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ..fsutil import (
    check_output_folder,
    files_under,
    make_temp_dir,
    remove_leftovers,
    replace_folder,
    umask,
    write_marker,
)
from ..overlay import in_use  # fork-aware: a fork's upstream folder is in use too
from ..yamlread import fewer_collections
from .config import ASSET_DIR, ASSETS, default_config
from .content import resolve_playbooks
from .inert import own_scripts
from .linkcheck import PageScans
from .pdfs import release_spare
from .plugin import LaunchbookPlugin

__all__ = ["BuildFailed", "BuildResult", "build_site", "default_config", "report"]


class BuildFailed(Exception):
    """The build did not produce a site; the message says why."""


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    pdfs: int
    seconds: float
    pdfs_rendered: int | None = None  # the PDFs not taken from the cache (None: not known)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def build_site(out: Path, config_file: Path | None = None, *, playbooks: Path | None = None) -> BuildResult:
    """Build the site into ``out`` atomically. Raises :class:`BuildFailed`; ``out`` is untouched then.

    Raises :class:`~launchbook.errors.UsageError` before anything is written when ``out`` is not a
    folder the site may replace (see :func:`launchbook.fsutil.check_output_folder`).
    """
    start = time.perf_counter()
    shown = out
    out = out.resolve()
    for leftover in ("launchbook-config", "launchbook-serve"):  # before ours exists: its name has our pid
        remove_leftovers(Path(tempfile.gettempdir()), leftover)
    scratch = make_temp_dir(Path(tempfile.gettempdir()), "launchbook-config", "building", "build-config")
    tmp: Path | None = None
    collect = _Collect()
    scans: PageScans | None = None
    mk_logger = logging.getLogger("mkdocs")
    mk_logger.addHandler(collect)
    try:
        default_docs: list[Path] = []
        if config_file is None:
            config_file, default_docs = _write_default_config(scratch, playbooks)
        user_config = None if config_file.parent == scratch else config_file
        # A placeholder: the target is checked below (with a clearer message than MkDocs'), and the
        # build goes to a temporary folder next to it.
        cfg = load_config(config_file=str(config_file), site_dir=str(scratch / "site"), strict=True)
        lb = cfg.plugins.get("launchbook")
        if not (isinstance(lb, LaunchbookPlugin) and lb.config.pdf):
            release_spare()  # no PDF to render: prestarted workers stop now
        if playbooks is not None:  # an explicit playbook folder wins over the plugin setting in mkdocs.yml
            if lb is None:
                raise BuildFailed(
                    f"{config_file} does not use the launchbook plugin, so it cannot build {playbooks}"
                )
            lb.config.playbooks = str(playbooks.resolve())
        project = in_use(
            config_file=user_config,
            playbooks=_playbooks_in_use(lb, cfg.config_file_path),
            docs=[*default_docs, *([] if user_config is None else [Path(cfg.docs_dir)])],
        )
        check_output_folder(shown, "site", project, legacy=_looks_like_old_site, what="site folder")
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out.parent, out.name)
        tmp = make_temp_dir(out.parent, out.name, "building", "site")
        cfg.site_dir = str(tmp)
        scans = PageScans(background=isinstance(lb, LaunchbookPlugin), extra_scripts=own_scripts(cfg))
        if isinstance(lb, LaunchbookPlugin):
            lb.link_scans = scans
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            with fewer_collections():
                mk_build.build(cfg)
        finally:
            cfg.plugins.on_shutdown()
        _refuse_problems(collect.messages, *scans.results(tmp))
        pages = sum(1 for _ in tmp.rglob("index.html"))
        pdfs = sum(1 for _ in (tmp / "checklists").glob("*.pdf")) if (tmp / "checklists").is_dir() else 0
        # The marker lists every file, so the next build replaces this folder only while it holds
        # nothing else (a file added by hand is named, not deleted).
        write_marker(tmp, "site", files_under(tmp))
        os.chmod(tmp, 0o777 & ~umask())  # mkdtemp makes 0700; the site must be readable by a web server
        replace_folder(tmp, out)
    except MkDocsException as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        detail = "\n  ".join(collect.messages)
        raise BuildFailed(f"{exc}" + (f"\n  {detail}" if detail else "")) from None
    except OSError as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        where = f" ({exc.filename})" if exc.filename else ""
        raise BuildFailed(f"the build stopped: {exc.strerror or exc}{where}") from None
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        release_spare()
        if scans is not None:
            scans.close()
        mk_logger.removeHandler(collect)
        shutil.rmtree(scratch, ignore_errors=True)
    rendered = lb.pdfs_rendered if isinstance(lb, LaunchbookPlugin) else None
    return BuildResult(out, pages, pdfs, time.perf_counter() - start, rendered)


def _write_default_config(scratch: Path, playbooks: Path | None) -> tuple[Path, list[Path]]:
    """No mkdocs.yml: the default one, in ``scratch``, for ``playbooks`` (else the ones found from
    here) and ./docs if there is one; returns it and the docs folders of the project."""
    from ..locate import find_playbooks

    pb_dir = (playbooks or find_playbooks(None)).resolve()
    docs = Path("docs").resolve() if Path("docs").is_dir() else scratch / "docs"
    docs.mkdir(exist_ok=True)
    config_file = scratch / "mkdocs.yml"
    config_file.write_text(default_config(pb_dir, docs), encoding="utf-8")
    return config_file, [] if docs.parent == scratch else [docs]


def _refuse_problems(warnings: list[str], links: list[str], unsafe: list[str]) -> None:
    """Raise :class:`BuildFailed` for MkDocs' warnings, the inertness gate's findings (nothing on
    the site may run script but the theme's and ours) and the link check's."""
    if warnings:
        raise BuildFailed("the build had warnings:\n  " + "\n  ".join(warnings))
    if unsafe:
        raise BuildFailed(
            f"{len(unsafe)} element(s) in the built site could run script or load a document "
            "(from a playbook text or a page in docs/; fix the text or the page):\n  "
            + "\n  ".join(unsafe[:50])
        )
    if links:
        raise BuildFailed(
            f"{len(links)} broken link(s) or external request(s) in the built site:\n  "
            + "\n  ".join(links[:50])
        )


def _playbooks_in_use(lb: object, config_file: str | None) -> Path | None:
    """The playbook folder the build reads: the plugin's, as the plugin resolves it."""
    if not isinstance(lb, LaunchbookPlugin):
        return None
    try:
        return resolve_playbooks(lb.config.playbooks, config_file)
    except Exception:  # no playbooks at all: the build reports it
        return None


def _looks_like_old_site(folder: Path) -> bool:
    """A site built by a launchbook older than the marker: MkDocs' sitemap and search index and
    launchbook's own assets, and at most a few top-level entries that a site does not have.

    Such a folder is replaced as before, so ``make site`` keeps working after an upgrade; anything
    less site-like is refused (a user's folder is never taken for a site because of one file).
    """
    return (
        (folder / "sitemap.xml").is_file()
        and (folder / "search" / "search_index.json").is_file()
        and all((folder / ASSET_DIR / name).is_file() for name in ASSETS)
        and (folder / "index.html").is_file()
        and not (folder / ".git").exists()
        and not (folder / "mkdocs.yml").exists()
    )


def report(result: BuildResult) -> None:
    cached = ""
    if result.pdfs and result.pdfs_rendered is not None:
        cached = f" ({result.pdfs_rendered} PDFs rendered, the others from the cache)"
    print(
        f"built {result.pages} pages and {result.pdfs} PDFs into {result.site_dir} in {result.seconds:.1f} s"
        + cached,
        file=sys.stderr,
    )
