"""Checklist PDFs for a site: kept in a cache by a hash of everything they depend on, and the
ones not in it rendered in worker processes, one per core, while the caller goes on.

A PDF is WeasyPrint's rendering of one HTML string (:func:`launchbook.checklists.render.html_to_pdf`),
and that string already holds everything the checklist depends on: the tailored checklist (a
fork's overlay included), the paper, the template and its CSS, the font faces and the creation
date (``SOURCE_DATE_EPOCH``). The key is a SHA-256 over that HTML, the bytes of the packaged
fonts, the launchbook version and a hash of its source files (a code change in a development
checkout counts, as in :mod:`launchbook.cache`), and the WeasyPrint and pydyf versions. So a
rebuild re-renders only the PDFs whose inputs changed, and a cached PDF is byte-identical to a
fresh one (tested).

Entries live under ``$XDG_CACHE_HOME/launchbook/pdf`` (default ``~/.cache/launchbook/pdf``),
never in the site or the playbooks, written atomically; the :data:`MAX_ENTRIES` most recently
used are kept. ``LAUNCHBOOK_NO_CACHE=1`` turns the folder off (a process still remembers its own
renders, for ``serve``'s rebuilds). Any problem with the folder falls back to rendering.

The first worker is started with :mod:`subprocess` (not :mod:`multiprocessing`, which re-imports
the caller's main module and must not fork a process with threads; the reasons of
:class:`launchbook.site.linkcheck.PageScans`); it imports WeasyPrint (0.6 s of CPU) and then forks
the other workers, a fresh process with no threads, each with pipes of its own, so a cold build
imports WeasyPrint once, not once per core. Each worker renders the jobs one thread hands it. A
worker that cannot start or dies leaves its jobs to this process.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import queue
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO

from .. import __version__
from ..cache import _code_digest, cache_dir
from ..fsutil import write_atomic
from ..yamlread import fewer_collections

FORMAT = b"launchbook-pdf-cache-1"  # bump when what a key covers changes
MAX_ENTRIES = 256  # PDFs kept in the cache folder (a bundled site has 24, about 1.5 MB)
_MEMORY: dict[str, bytes] = {}  # this process's PDFs by key: serve's rebuilds without the folder

_WORKER = (
    "import sys; sys.path.insert(0, sys.argv[1]); from launchbook.site.pdfs import _first_worker; "
    "_first_worker(sys.argv[2:])"
)


@cache
def _environment() -> bytes:
    """What every key covers besides the HTML: code, versions, fonts."""
    from ..checklists.render import FONT_FILES, font_bytes

    h = hashlib.sha256(FORMAT + b"\0" + __version__.encode() + b"\0" + _code_digest())
    for dist in ("weasyprint", "pydyf"):
        try:
            h.update(f"\0{dist}={version(dist)}".encode())
        except PackageNotFoundError:
            h.update(f"\0{dist}=none".encode())
    for name in sorted(FONT_FILES):
        h.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(font_bytes(name)).digest())
    return h.digest()


Source = str | tuple[str, ...]
"""What a PDF is made of: an HTML string, or a handout's HTML in each of its layouts, of which the
first that fits one page is rendered (:func:`launchbook.checklists.handout.fit_pdf`)."""


def pdf_key(html: Source) -> str:
    """The cache key of the PDF WeasyPrint makes of ``html`` (see the module's docstring)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    text = html if isinstance(html, str) else "\0fit\0" + "\0".join(html)
    return hashlib.sha256(_environment() + epoch.encode() + b"\0" + text.encode("utf-8")).hexdigest()


def render_source(source: Source) -> bytes:
    """The PDF of one source (in this process)."""
    if isinstance(source, str):
        from ..checklists.render import html_to_pdf

        return html_to_pdf(source)
    from ..checklists.handout import fit_pdf

    return fit_pdf(source)


def _size(source: Source) -> int:
    return len(source) if isinstance(source, str) else sum(len(s) for s in source)


def pdf_cache_dir() -> Path | None:
    """The cache folder, or None when ``LAUNCHBOOK_NO_CACHE`` is set."""
    return None if os.environ.get("LAUNCHBOOK_NO_CACHE") else cache_dir() / "pdf"


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def cached_pdf(key: str) -> bytes | None:
    """The cached PDF of ``key``, or None (absent, unreadable, not a whole PDF, cache off)."""
    if key in _MEMORY:
        return _MEMORY[key]
    folder = pdf_cache_dir()
    if folder is None:
        return None
    path = folder / f"{key}.pdf"
    try:
        data = path.read_bytes()
        if not _is_pdf(data):
            return None
        os.utime(path)  # most recently used: kept longest
    except OSError:
        return None
    _MEMORY[key] = data
    return data


def store_pdf(key: str, data: bytes) -> None:
    """Keep ``data`` under ``key`` (in this process, and in the folder unless the cache is off)."""
    _MEMORY[key] = data
    folder = pdf_cache_dir()
    if folder is None:
        return
    try:
        write_atomic(folder / f"{key}.pdf", data)
        entries = sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[MAX_ENTRIES:]:
            old.unlink(missing_ok=True)
    except OSError:  # unwritable, full: the site is built all the same
        pass


class _Worker:
    """One worker process: HTML in, PDF bytes out, over a pair of pipes (``proc``: the process, when
    this one started it; a forked worker is its first worker's child)."""

    def __init__(
        self, send: IO[bytes] | None, receive: IO[bytes] | None, proc: subprocess.Popen[bytes] | None
    ) -> None:
        self.send, self.receive, self.proc = send, receive, proc

    def render(self, html: Source) -> bytes:
        send, receive = self.send, self.receive
        if send is not None and receive is not None:
            try:
                pickle.dump(html, send, protocol=pickle.HIGHEST_PROTOCOL)
                send.flush()
                data = pickle.load(receive)
                if isinstance(data, bytes):
                    return data
            except (OSError, EOFError, pickle.UnpicklingError):
                pass
            self.close_pipes()  # gone or failed: this process renders from now on (and raises the error)
        return render_source(html)

    def close_pipes(self) -> None:
        """Close the pipes: the worker ends at the end of its input."""
        for stream in (self.send, self.receive):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.send = self.receive = None

    def wait(self) -> None:
        """Wait for the process this one started (after every worker's pipes are closed: the first
        worker waits for the ones it forked)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _start_workers(n: int) -> list[_Worker]:
    """``n`` workers: one process started with :mod:`subprocess`, which imports WeasyPrint once and
    forks the others (a fresh process with no threads, unlike this one); where ``os.fork`` does not
    exist, ``n`` processes. None when Python cannot be started (this process renders then)."""
    if not sys.executable:
        return []
    forked = n - 1 if hasattr(os, "fork") else 0
    # per forked worker: (it reads, we write, we read, it writes)
    pipes = [(*os.pipe(), *os.pipe()) for _ in range(forked)]
    child_ends = [fd for r1, _, _, w2 in pipes for fd in (r1, w2)]
    argv = [sys.executable, "-c", _WORKER, str(Path(__file__).resolve().parents[2])]
    commands = [argv + [f"{r1},{w2}" for r1, _, _, w2 in pipes]] + [argv] * (n - 1 - forked)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for command in commands:
            procs.append(
                subprocess.Popen(
                    command,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    pipesize=1 << 20,
                    pass_fds=child_ends,  # empty unless forking, and then only one command
                )
            )
    except OSError:
        for fd in [fd for p in pipes for fd in p]:
            os.close(fd)
        started = [_Worker(p.stdin, p.stdout, p) for p in procs]
        for worker in started:
            worker.close_pipes()
        for worker in started:
            worker.wait()
        return []
    for fd in child_ends:
        os.close(fd)
    workers = [_Worker(p.stdin, p.stdout, p) for p in procs]
    workers[1:1] = [_Worker(os.fdopen(w1, "wb"), os.fdopen(r2, "rb"), None) for _, w1, r2, _ in pipes]
    return workers


_SPARE: list[_Worker] = []  # started by :func:`prestart`, not yet taken by a PdfJobs


def cache_is_empty() -> bool:
    """Whether no PDF is in the cache folder (or the folder is off): then every PDF of a build is
    rendered, and starting the workers early (:func:`prestart`) cannot be wasted work."""
    folder = pdf_cache_dir()
    if folder is None:
        return True
    try:
        return not any(folder.glob("*.pdf"))
    except OSError:
        return True


def prestart() -> None:
    """Start the workers (one per core) now, before the caller knows its PDFs: a build calls this
    first when the cache is empty, so WeasyPrint is imported on the second core while this process
    imports MkDocs and reads the config, a time that core is otherwise idle. The next
    :class:`PdfJobs` takes them; :func:`release_spare` stops them if none does."""
    if not _SPARE:
        _SPARE.extend(_start_workers(os.cpu_count() or 1))


def release_spare() -> None:
    """Stop the workers :func:`prestart` started that no :class:`PdfJobs` took (PDFs off, or all
    cached). They may still be importing WeasyPrint, so they are killed rather than waited for."""
    spare = list(_SPARE)
    _SPARE.clear()
    for worker in spare:
        worker.close_pipes()
    for worker in spare:
        if worker.proc is not None:
            with contextlib.suppress(OSError):
                worker.proc.kill()
        worker.wait()


def _take_workers(n: int) -> list[_Worker]:
    """The prestarted workers if there are any (all of them: they are started), else ``n`` new ones."""
    if _SPARE:
        taken = list(_SPARE)
        _SPARE.clear()
        return taken
    return _start_workers(n)


class PdfJobs:
    """The PDFs of ``sources`` (HTML strings, or handouts' layouts: :data:`Source`), from the cache or rendered by at most ``workers``
    worker processes (default: one per core) in the background; :meth:`results` waits for them."""

    def __init__(self, sources: Sequence[Source], *, workers: int | None = None) -> None:
        self._keys = [pdf_key(s) for s in sources]
        self._found: dict[str, bytes] = {}
        todo: dict[str, Source] = {}
        for key, html in zip(self._keys, sources, strict=True):
            got = cached_pdf(key)
            if got is not None:
                self._found[key] = got
            else:
                todo.setdefault(key, html)
        self.rendered = len(todo)
        if not todo:
            release_spare()
        self._workers: list[_Worker] = []
        self._futures: dict[str, Future[bytes]] = {}
        self._executor: ThreadPoolExecutor | None = None
        if todo:
            n = max(1, min(workers or os.cpu_count() or 1, len(todo)))
            # prestarted or new, they import WeasyPrint while the jobs queue; none: rendered here
            self._workers = _take_workers(n) or [_Worker(None, None, None)]
            n = len(self._workers)
            idle: queue.Queue[_Worker] = queue.Queue()
            for w in self._workers:
                idle.put(w)

            def job(html: Source) -> bytes:
                worker = idle.get()
                try:
                    return worker.render(html)
                finally:
                    idle.put(worker)

            self._executor = ThreadPoolExecutor(max_workers=n, thread_name_prefix="launchbook-pdf")
            # the largest first, so the last job to finish is a short one
            for key, html in sorted(todo.items(), key=lambda kv: -_size(kv[1])):
                self._futures[key] = self._executor.submit(job, html)

    def results(self) -> list[bytes]:
        """Every PDF, in the order of the sources; new ones are stored in the cache."""
        for key, future in self._futures.items():
            data = future.result()
            store_pdf(key, data)
            self._found[key] = data
        self._futures.clear()
        self.close()
        return [self._found[key] for key in self._keys]

    def close(self) -> None:
        """Stop the workers and drop what they have not rendered yet."""
        for future in self._futures.values():
            future.cancel()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        for worker in self._workers:
            worker.close_pipes()
        for worker in self._workers:
            worker.wait()
        self._workers = []


def _worker(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """A worker process: render each source that comes in and send back the PDF's bytes (or, when
    the render fails, the error's text, so the caller renders it itself and raises)."""
    while True:
        try:
            html = pickle.load(stdin)
        except EOFError:
            return
        try:
            out: bytes | str = render_source(html)
        except Exception as exc:  # reported back; the caller renders it again and raises
            out = f"{type(exc).__name__}: {exc}"
        pickle.dump(out, stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()


def _first_worker(forks: Sequence[str]) -> None:
    """The first worker process: import WeasyPrint, fork one more worker for each ``"READ,WRITE"``
    pair of pipe descriptors in ``forks`` (so WeasyPrint is imported once, not once per core), then
    render what comes in on standard input, and wait for the forked workers."""
    import weasyprint  # noqa: F401 - before the fork, so the forked workers have it

    # What is imported lives as long as the process: frozen before the fork, its pages also stay
    # shared with the forked workers instead of being copied on a collection.
    with fewer_collections():
        pairs = [tuple(int(fd) for fd in pair.split(",")) for pair in forks]
        children = []
        for i, (read, write) in enumerate(pairs):
            pid = os.fork()
            if pid == 0:  # a forked worker: its own pipes only, so each end closes when its owner does
                try:
                    null = os.open(os.devnull, os.O_RDWR)
                    os.dup2(null, 0)
                    os.dup2(null, 1)
                    for other in [fd for j, p in enumerate(pairs) if j != i for fd in p]:
                        os.close(other)
                    _worker(os.fdopen(read, "rb"), os.fdopen(write, "wb"))
                finally:
                    os._exit(0)
            children.append(pid)
        for fd in [fd for p in pairs for fd in p]:
            os.close(fd)
        _worker(sys.stdin.buffer, sys.stdout.buffer)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
