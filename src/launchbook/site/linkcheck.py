"""Post-build check of the built site: every internal link and anchor resolves, nothing loads from outside."""

from __future__ import annotations

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


def check_site(site: Path) -> list[str]:
    """Problems as readable lines; empty when every link resolves and no asset is remote."""
    site = site.resolve()  # targets are resolved below; keys must match them
    parsed: dict[Path, _Collect] = {}
    for page in sorted(site.rglob("*.html")):
        p = _Collect()
        p.feed(page.read_text(encoding="utf-8", errors="replace"))
        parsed[page] = p
    problems: list[str] = []
    for page, p in parsed.items():
        rel_page = page.relative_to(site)
        for tag, attr, url in p.links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                if (tag, attr) in _LOADING:
                    problems.append(f"{rel_page}: <{tag} {attr}> loads {url} from outside the site")
                continue
            if parts.scheme in ("mailto", "tel"):
                continue
            if parts.scheme:
                problems.append(f"{rel_page}: <{tag} {attr}> has a {parts.scheme}: URL")
                continue
            if not parts.path:
                target = page
            else:
                base = site if parts.path.startswith("/") else page.parent
                target = (base / unquote(parts.path).lstrip("/")).resolve()
                if target.is_dir() or parts.path.endswith("/"):
                    target = target / "index.html"
                if not target.is_relative_to(site):
                    problems.append(f"{rel_page}: link {url} leaves the site")
                    continue
            if not target.exists():
                problems.append(f"{rel_page}: broken link {url}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else set()
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{rel_page}: missing anchor {url}")
    return problems
