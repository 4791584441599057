"""Post-build check of the built site: every internal link and anchor resolves, nothing loads from outside.

Pages are read by :func:`scan`, with the standard library's :class:`html.parser.HTMLParser`.
(A regular expression copying its start-tag pattern read pages 2.4 times as fast, but in the
helper process below that saves no measurable build time: ``benchmarks/SITE-NOTES.md``.)
``tests/test_linkcheck.py`` holds fixed expectations of what it finds on a table of pages.
``launchbook build`` hands each page's HTML, as MkDocs renders it, to :class:`PageScans`, which
scans it in a helper process on another core while MkDocs renders the next page, together with
the inertness gate (:mod:`launchbook.site.inert`) over the same HTML; only files MkDocs did not
render as pages are read from disk.

The helper keeps each page's findings (its ids and links, and the inertness gate's lines) under
``$XDG_CACHE_HOME/launchbook/pagescan`` by a hash of the page's path and bytes, so a rebuild
does not read the pages that did not change again (:class:`_ScanMemo`). Those findings depend
on nothing else (the file's key covers launchbook's code, the Python version, whose
``html.parser`` reads the pages, and the scripts the gate allows); what depends on the other
pages, resolving links and anchors against the whole site, runs on every build.

Links are resolved as strings against the set of files in the site (no filesystem call per
link), and each distinct link once per folder: Material repeats the same navigation links on
every page, so most are cache hits.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import pickle
import posixpath
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeGuard
from urllib.parse import unquote, urlsplit

from ..fsutil import cache_folder, source_digest, write_atomic

if TYPE_CHECKING:
    from .inert import Allowed

Link = tuple[str, str, str]  # (tag, attribute, URL), the tag in lower case
Scan = tuple[set[str], list[Link]]  # (ids and names a fragment can point at, links)

_LOADING = {("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src"), ("source", "src")}


class _Reader(HTMLParser):
    """The ids and links of one page, as :class:`html.parser.HTMLParser` reads its start tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[Link] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:  # an attribute without a value
                continue
            if name in ("id", "name"):
                if tag != "meta":
                    self.ids.add(value)
            elif name in ("href", "src"):
                self.links.append((tag, name, value))


def scan(page: str) -> Scan:
    """The ids (``id``/``name``, not of ``<meta>``) and the ``href``/``src`` links of an HTML page:
    tag and attribute names in lower case, character references in values unescaped; nothing in
    comments, declarations or the raw text of ``<script>`` and ``<style>``.

    Where the parser cannot end a tag (``<a href="x`` with no closing quote) or a comment, it holds
    the rest of the page back until more comes; none does, and the rest is not read. (Its
    ``close()``, which would read it, takes quadratic time on such a page in Python releases
    before 3.11.13 and 3.12.11: ``"<a " * 20000`` took minutes; this stays linear, tested.)"""
    reader = _Reader()
    reader.feed(page)
    return reader.ids, reader.links


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


class _Site:
    """A built site's files and folders, and where a link from one of its folders points."""

    def __init__(self, site: Path) -> None:
        self.files, self.dirs = _tree(site)
        self._resolved: dict[tuple[str, str], str | None] = {}  # (folder, path) -> file, None if it leaves

    def target(self, here: str, path: str) -> str | None:
        """The file a link's ``path`` from folder ``here`` points at; None if it leaves the site.
        Resolved as strings (no filesystem call), each distinct (folder, path) once."""
        key = (here, path)
        if key not in self._resolved:
            plain = unquote(path)
            joined = plain.lstrip("/") if plain.startswith("/") else posixpath.join(here, plain)
            target = posixpath.normpath(joined) if joined else "."
            if target == ".." or target.startswith("../"):
                self._resolved[key] = None
            else:
                target = "" if target == "." else target
                if target in self.dirs or path.endswith("/"):
                    target = posixpath.join(target, "index.html")
                self._resolved[key] = target
        return self._resolved[key]


def check_site(site: Path, scanned: Mapping[str, Scan] | None = None) -> list[str]:
    """Problems as readable lines; empty when every link resolves and no asset is remote.

    ``scanned`` holds pages already read by :func:`scan`, by their path in the site
    (``failure-modes/x/index.html``); every other HTML file is read from disk."""
    site = site.resolve()
    tree = _Site(site)
    pages = sorted((f for f in tree.files if f.endswith(".html")), key=lambda f: f.split("/"))
    scanned = scanned or {}
    parsed: dict[str, Scan] = {}
    for page in pages:
        got = scanned.get(page)
        parsed[page] = (
            got if got is not None else scan((site / page).read_text(encoding="utf-8", errors="replace"))
        )
    problems: list[str] = []
    for page in pages:
        for link in parsed[page][1]:
            problem = _link_problem(page, link, tree, parsed)
            if problem:
                problems.append(f"{page}: {problem}")
    return problems


def _link_problem(page: str, link: Link, tree: _Site, parsed: Mapping[str, Scan]) -> str | None:
    """What is wrong with ``link`` on ``page``, or None."""
    tag, attr, url = link
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") or url.startswith("//"):
        return f"<{tag} {attr}> loads {url} from outside the site" if (tag, attr) in _LOADING else None
    if parts.scheme in ("mailto", "tel"):
        return None
    if parts.scheme:
        return f"<{tag} {attr}> has a {parts.scheme}: URL"
    target = tree.target(posixpath.dirname(page), parts.path) if parts.path else page
    if target is None:
        return f"link {url} leaves the site"
    if target not in tree.files:
        return f"broken link {url}"
    if parts.fragment and target.endswith(".html"):
        ids = parsed[target][0] if target in parsed else set()
        if unquote(parts.fragment) not in ids:
            return f"missing anchor {url}"
    return None


# The helper imports this very launchbook (whose folder comes as argv[1]), installed or not;
# argv[2] is the JSON list of further scripts the inertness gate allows.
_HELPER = (
    "import sys, json; sys.path.insert(0, sys.argv[1]); from launchbook.site.linkcheck import _helper; "
    "_helper(sys.stdin.buffer, sys.stdout.buffer, json.loads(sys.argv[2]))"
)

Results = tuple[list[str], list[str]]  # (link problems, inertness problems)


class PageScans:
    """Pages' links and ids, collected while MkDocs renders them, the link check over them, and
    the inertness gate (:func:`launchbook.site.inert.check_site`) over the same pages.

    The scanning runs in a helper process started with :mod:`subprocess` (not
    :mod:`multiprocessing`, which re-imports the caller's main module and must not fork a
    process with threads), so it overlaps MkDocs' single-threaded rendering. If the helper
    cannot start or dies, pages are scanned here instead and the check is the same.
    ``extra_scripts`` are site paths of further external scripts the gate allows (a fork's own
    ``extra_javascript``)."""

    def __init__(self, background: bool = True, extra_scripts: Sequence[str] = ()) -> None:
        self._local: dict[str, Scan] = {}
        self._unsafe: dict[str, list[str]] = {}
        self._extra = list(extra_scripts)
        self._proc: subprocess.Popen[bytes] | None = None
        if background and sys.executable:
            try:
                self._proc = subprocess.Popen(
                    [
                        sys.executable,
                        "-c",
                        _HELPER,
                        str(Path(__file__).resolve().parents[2]),
                        json.dumps(self._extra),
                    ],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    pipesize=1 << 20,  # Linux: a page fits, so handing it over rarely waits
                )
            except OSError:
                self._proc = None

    @property
    def background(self) -> bool:
        return self._proc is not None

    def add(self, path: str, page: str) -> None:
        """One rendered page, by its path in the site (``failure-modes/x/index.html``)."""
        if self._proc is not None and self._proc.stdin is not None:
            try:
                pickle.dump((path, page), self._proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                return
            except OSError:  # the helper is gone: scan here from now on, its pages are read from disk
                self.close()
        from .inert import check_page, default_allowed

        self._local[path] = scan(page)
        self._unsafe[path] = check_page(page, path, default_allowed(frozenset(self._extra)))

    def check(self, site: Path) -> list[str]:
        """:func:`check_site` over the built ``site``, with the pages handed over so far."""
        return self.results(site)[0]

    def results(self, site: Path) -> Results:
        """The link check's problems and the inertness gate's, over the built ``site``."""
        proc = self._proc
        if proc is not None and proc.stdin is not None and proc.stdout is not None:
            try:
                pickle.dump(str(site.resolve()), proc.stdin)
                proc.stdin.close()
                problems: Results = pickle.load(proc.stdout)
                proc.wait()
                self.close()  # it has exited: this closes its pipes
                return problems
            except (OSError, EOFError, pickle.UnpicklingError):
                self.close()
        from .inert import check_site as inert_site

        return check_site(site, self._local), inert_site(site, self._unsafe, extra_scripts=self._extra)

    def close(self) -> None:
        """Stop the helper if it still runs (a failed build, a failed helper) and close its pipes."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            self._proc = None


class _ScanMemo:
    """The helper's findings per page, ``(scan, inertness lines)``, kept between builds under a
    key of the page's path and bytes (see the module's docstring). The file holds the entries of
    the last builds, at most :data:`MEMO_ENTRIES`, written atomically; ``LAUNCHBOOK_NO_CACHE`` or
    an unreadable file: every page is read."""

    FORMAT = b"launchbook-page-scans-1"  # bump when what scan or check_page return changes shape
    MEMO_ENTRIES = 4096

    def __init__(self, extra_scripts: Sequence[str]) -> None:
        self.old: dict[bytes, tuple[Scan, list[str]]] = {}
        self.new: dict[bytes, tuple[Scan, list[str]]] = {}
        folder = cache_folder("pagescan")
        self.path = None
        if folder is None:
            return
        env = [self.FORMAT, sys.version.encode(), source_digest(), json.dumps(sorted(extra_scripts)).encode()]
        self.path = folder / (hashlib.sha256(b"\0".join(env)).hexdigest()[:32] + ".marshal")
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            data = marshal.loads(self.path.read_bytes())
            self.old = data if isinstance(data, dict) else {}

    def get(self, path: str, page: str, read: Callable[[], tuple[Scan, list[str]]]) -> tuple[Scan, list[str]]:
        """The findings of ``page`` at ``path``: kept ones, else ``read()``."""
        key = hashlib.sha256(path.encode() + b"\0" + page.encode("utf-8", "surrogatepass")).digest()
        found = self.old.get(key)
        if not _well_formed(found):
            found = read()
        self.new[key] = found
        return found

    def save(self) -> None:
        if self.path is None:
            return
        kept = dict(self.new)
        for key, value in self.old.items():
            if len(kept) >= self.MEMO_ENTRIES:
                break
            kept.setdefault(key, value)
        with contextlib.suppress(OSError, ValueError):
            write_atomic(self.path, marshal.dumps(kept))


def _well_formed(found: object) -> TypeGuard[tuple[Scan, list[str]]]:
    """``((ids, links), lines)`` of the types :func:`scan` and ``check_page`` return."""
    if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], list)):
        return False
    sc = found[0]
    return isinstance(sc, tuple) and len(sc) == 2 and isinstance(sc[0], set) and isinstance(sc[1], list)


def _findings(page: str, path: str, allowed: Allowed) -> tuple[Scan, list[str]]:
    from .inert import check_page

    return scan(page), check_page(page, path, allowed)


def _helper(stdin: IO[bytes], stdout: IO[bytes], extra_scripts: Sequence[str] = ()) -> None:
    """The helper process: scan pages as they come, then check the site whose path comes last."""
    from .inert import check_site as inert_site
    from .inert import default_allowed

    allowed = default_allowed(frozenset(extra_scripts))
    memo = _ScanMemo(extra_scripts)
    scans: dict[str, Scan] = {}
    unsafe: dict[str, list[str]] = {}
    while True:
        try:
            item = pickle.load(stdin)
        except EOFError:  # the build stopped
            return
        if isinstance(item, str):
            break
        path, page = item
        scans[path], unsafe[path] = memo.get(path, page, partial(_findings, page, path, allowed))
    memo.save()
    site = Path(item)
    results: Results = (check_site(site, scans), inert_site(site, unsafe, extra_scripts=extra_scripts))
    pickle.dump(results, stdout)
    stdout.flush()
