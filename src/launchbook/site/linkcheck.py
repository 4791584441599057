"""Post-build check of the built site: every internal link and anchor resolves, nothing loads from outside.

Pages are parsed with :class:`html.parser.HTMLParser`; links are resolved as strings against the
set of files in the site (no filesystem call per link), and each distinct link is resolved once
per folder: Material repeats the same navigation links on every page, so most are cache hits.
"""

from __future__ import annotations

import os
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LOADING = {("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src"), ("source", "src")}


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []  # (tag, attr, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and tag != "meta":
                self.ids.add(value)
            elif name in ("href", "src"):
                self.links.append((tag, name, value))


def _tree(site: Path) -> tuple[set[str], set[str]]:
    """Every file and folder of the site, as posix paths relative to it ('' is the root)."""
    files: set[str] = set()
    dirs: set[str] = {""}
    for root, dirnames, filenames in os.walk(site):
        rel = Path(root).relative_to(site).as_posix()
        rel = "" if rel == "." else rel
        dirs.update(posixpath.join(rel, d) for d in dirnames)
        files.update(posixpath.join(rel, f) for f in filenames)
    return files, dirs


def check_site(site: Path) -> list[str]:
    """Problems as readable lines; empty when every link resolves and no asset is remote."""
    site = site.resolve()
    files, dirs = _tree(site)
    pages = sorted((f for f in files if f.endswith(".html")), key=lambda f: f.split("/"))
    parsed: dict[str, _Collect] = {}
    for page in pages:
        p = _Collect()
        p.feed((site / page).read_text(encoding="utf-8", errors="replace"))
        parsed[page] = p
    resolved: dict[tuple[str, str], str | None] = {}  # (folder, path) -> target file, None if it leaves

    def resolve(here: str, path: str) -> str | None:
        key = (here, path)
        if key not in resolved:
            plain = unquote(path)
            joined = plain.lstrip("/") if plain.startswith("/") else posixpath.join(here, plain)
            target = posixpath.normpath(joined) if joined else "."
            if target == ".." or target.startswith("../"):
                resolved[key] = None
            else:
                target = "" if target == "." else target
                if target in dirs or path.endswith("/"):
                    target = posixpath.join(target, "index.html")
                resolved[key] = target
        return resolved[key]

    problems: list[str] = []
    for page in pages:
        here = posixpath.dirname(page)
        for tag, attr, url in parsed[page].links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                if (tag, attr) in _LOADING:
                    problems.append(f"{page}: <{tag} {attr}> loads {url} from outside the site")
                continue
            if parts.scheme in ("mailto", "tel"):
                continue
            if parts.scheme:
                problems.append(f"{page}: <{tag} {attr}> has a {parts.scheme}: URL")
                continue
            target = resolve(here, parts.path) if parts.path else page
            if target is None:
                problems.append(f"{page}: link {url} leaves the site")
                continue
            if target not in files:
                problems.append(f"{page}: broken link {url}")
                continue
            if parts.fragment and target.endswith(".html"):
                ids = parsed[target].ids if target in parsed else set()
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{page}: missing anchor {url}")
    return problems
