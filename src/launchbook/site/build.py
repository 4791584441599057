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

from ..fsutil import umask
from .linkcheck import PageScans
from .plugin import LaunchbookPlugin

DEFAULT_MKDOCS = """\
site_name: {site_name}
docs_dir: {docs_dir}
use_directory_urls: true
theme:
  name: material
  font: false
  features:
    - navigation.sections
    - navigation.top
    - search.highlight
    - content.code.copy
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      toggle:
        icon: material/weather-night
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      toggle:
        icon: material/weather-sunny
        name: Switch to light mode
plugins:
  - search
  - launchbook:
      playbooks: {playbooks}
markdown_extensions:
  - attr_list
  - md_in_html
  - admonition
  - tables
  - toc:
      permalink: true
"""


class BuildFailed(Exception):
    """The build did not produce a site; the message says why."""


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    pdfs: int
    seconds: float


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def default_config(playbooks: Path, docs_dir: Path, site_name: str = "launchbook") -> str:
    """:data:`DEFAULT_MKDOCS` with each value written by the YAML serializer (one quoted scalar)."""
    from ..serialize import yaml_scalar

    return DEFAULT_MKDOCS.format(
        site_name=yaml_scalar(site_name),
        docs_dir=yaml_scalar(str(docs_dir)),
        playbooks=yaml_scalar(str(playbooks)),
    )


def build_site(out: Path, config_file: Path | None = None, *, playbooks: Path | None = None) -> BuildResult:
    """Build the site into ``out`` atomically. Raises :class:`BuildFailed`; ``out`` is untouched then."""
    start = time.perf_counter()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    scratch = Path(tempfile.mkdtemp(prefix="launchbook-config-"))
    collect = _Collect()
    scans: PageScans | None = None
    mk_logger = logging.getLogger("mkdocs")
    mk_logger.addHandler(collect)
    try:
        if config_file is None:
            from ..locate import find_playbooks

            pb_dir = (playbooks or find_playbooks(None)).resolve()
            docs = Path("docs").resolve() if Path("docs").is_dir() else scratch / "docs"
            docs.mkdir(exist_ok=True)
            config_file = scratch / "mkdocs.yml"
            config_file.write_text(default_config(pb_dir, docs), encoding="utf-8")
        cfg = load_config(config_file=str(config_file), site_dir=str(tmp), strict=True)
        lb = cfg.plugins.get("launchbook")
        if playbooks is not None:  # an explicit playbook folder wins over the plugin setting in mkdocs.yml
            if lb is None:
                raise BuildFailed(
                    f"{config_file} does not use the launchbook plugin, so it cannot build {playbooks}"
                )
            lb.config.playbooks = str(playbooks.resolve())
        scans = PageScans(background=isinstance(lb, LaunchbookPlugin))
        if isinstance(lb, LaunchbookPlugin):
            lb.link_scans = scans
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mk_build.build(cfg)
        finally:
            cfg.plugins.on_shutdown()
        if collect.messages:
            raise BuildFailed("the build had warnings:\n  " + "\n  ".join(collect.messages))
        problems = scans.check(tmp)
        if problems:
            raise BuildFailed(
                f"{len(problems)} broken link(s) or external request(s) in the built site:\n  "
                + "\n  ".join(problems[:50])
            )
        pages = sum(1 for _ in tmp.rglob("index.html"))
        pdfs = sum(1 for _ in (tmp / "checklists").glob("*.pdf")) if (tmp / "checklists").is_dir() else 0
        os.chmod(tmp, 0o777 & ~umask())  # mkdtemp makes 0700; the site must be readable by a web server
        _swap(tmp, out)
    except MkDocsException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        detail = "\n  ".join(collect.messages)
        raise BuildFailed(f"{exc}" + (f"\n  {detail}" if detail else "")) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if scans is not None:
            scans.close()
        mk_logger.removeHandler(collect)
        shutil.rmtree(scratch, ignore_errors=True)
    return BuildResult(out, pages, pdfs, time.perf_counter() - start)


def _swap(new: Path, out: Path) -> None:
    """Replace ``out`` with ``new``: two renames, so readers never see half a site."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
    os.replace(new, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def report(result: BuildResult) -> None:
    print(
        f"built {result.pages} pages and {result.pdfs} PDFs into {result.site_dir} in {result.seconds:.1f} s",
        file=sys.stderr,
    )
