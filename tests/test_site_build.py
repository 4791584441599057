"""``launchbook build``: the site's pages, hostile text, atomic failure, reproducibility, link checking.

The real bundled site is built once per test run (``bundled_site`` in conftest, ~12 s), and a
second time, concurrently, for the reproducibility check (``bundled_site_again``, marked slow);
the rest uses the minimal fixture. Builds run in a subprocess, as a user runs them: with
a hash seed of their own (so set-ordering nondeterminism shows up), from an
empty working directory (no ``mkdocs.yml`` there, so the default config).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from launchbook.cli import main
from launchbook.site.linkcheck import check_site, scan

from .support import LAUNCHBOOK, MINIMAL, ROOT, BuiltSite


@dataclass(frozen=True)
class Built:
    site: Path
    returncode: int
    stderr: str


def _env(seed: str, epoch: str | None, cache: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, PYTHONHASHSEED=seed, NO_MKDOCS_2_WARNING="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    if cache is not None:  # a PDF cache of its own (XDG_CACHE_HOME/launchbook/pdf)
        env["XDG_CACHE_HOME"] = str(cache)
        env.pop("LAUNCHBOOK_NO_CACHE", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return env


def run_build(
    args: list[str],
    cwd: Path,
    *,
    seed: str = "0",
    epoch: str | None = "0",
    check: bool = True,
    cache: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [*LAUNCHBOOK, "build", *args],
        cwd=cwd,
        env=_env(seed, epoch, cache),
        capture_output=True,
        text=True,
        timeout=180,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def tree_hashes(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path -> sha256)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def playbook_ids(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yml"))


@pytest.fixture(scope="module")
def real_site(bundled_site: BuiltSite) -> Built:
    """The bundled site (repository mkdocs.yml, SOURCE_DATE_EPOCH=0, hash seed 1), built once per run."""
    return Built(bundled_site.site, 0, bundled_site.stderr)


@pytest.fixture(scope="module")
def real_sites(real_site: Built, bundled_site_again: BuiltSite) -> tuple[Built, Built]:
    """The bundled site twice, both with SOURCE_DATE_EPOCH=0 (built concurrently, conftest).

    The two builds differ in hash seed and output folder, so anything that
    depends on set order or on the output path shows up as a difference. Each has an empty PDF
    cache of its own, so every PDF is rendered twice.
    """
    return real_site, Built(bundled_site_again.site, 0, bundled_site_again.stderr)


@pytest.fixture
def empty_cwd(tmp_path: Path) -> Path:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    return cwd


def build_minimal(
    playbooks: Path, out: Path, cwd: Path, *, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return run_build([str(playbooks), "-o", str(out)], cwd, check=check)


# ---------------------------------------------------------------- the page set


@pytest.mark.pdf
def test_minimal_site_has_every_page(tmp_path: Path, empty_cwd: Path) -> None:
    out = tmp_path / "site"
    build_minimal(MINIMAL, out, empty_cwd)
    for fid in playbook_ids(MINIMAL / "failure-modes"):
        assert (out / "failure-modes" / fid / "index.html").is_file(), fid
    for section in ("categories", "roadmap", "graph", "sources", "tags", "maturity", "checklists", "roles"):
        assert (out / section / "index.html").is_file(), section
    roles = re.findall(r"^  - id: ([a-z0-9-]+)", (MINIMAL / "roles.yml").read_text(), re.M)
    assert roles
    for rid in roles:
        assert (out / "roles" / rid / "index.html").is_file(), rid
    for cid in playbook_ids(MINIMAL / "checklists"):
        assert (out / "checklists" / cid / "index.html").is_file(), cid
        for paper in ("a4-letter",):  # the default: one page that prints on A4 and on Letter
            pdf = out / "checklists" / f"{cid}-{paper}.pdf"
            assert pdf.read_bytes().startswith(b"%PDF-"), pdf
    # the default config was used: nothing leaked into the empty working directory
    assert list(empty_cwd.iterdir()) == []


def test_real_site_has_a_page_per_failure_mode(real_site: Built) -> None:
    for fid in playbook_ids(ROOT / "playbooks" / "failure-modes"):
        assert (real_site.site / "failure-modes" / fid / "index.html").is_file(), fid
    assert (real_site.site / "search" / "search_index.json").is_file()


def test_build_prints_timing_summary(real_site: Built) -> None:
    m = re.search(r"built (\d+) pages and (\d+) PDFs into .+ in (\d+\.\d) s", real_site.stderr)
    assert m, real_site.stderr
    assert int(m.group(1)) == sum(1 for _ in real_site.site.rglob("index.html"))
    assert int(m.group(2)) == len(list((real_site.site / "checklists").glob("*.pdf")))


# ---------------------------------------------------------------- hostile text

HOSTILE_SUMMARY = """summary: |
  The data everyone assumed existed does not.
  <script>alert(1)</script>
  [click](javascript:alert(2))
  <img src=x onerror=alert(3)>
  {{ 7*7 }}
"""


def _with_summary(folder: Path, block: str) -> Path:
    f = folder / "failure-modes" / "no-data.yml"
    text = f.read_text(encoding="utf-8")
    old = "summary: The data everyone assumed existed does not.\n"
    assert old in text
    f.write_text(text.replace(old, block), encoding="utf-8")
    return f


def test_check_refuses_raw_html_with_location(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _with_summary(minimal, HOSTILE_SUMMARY)
    lines = f.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines, 1) if line.startswith("summary:"))
    last = next(i for i, line in enumerate(lines, 1) if "{{ 7*7 }}" in line)
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    found = re.findall(r"^(\S*no-data\.yml):(\d+):(\d+): LB207 (.*)$", out, re.M)
    assert found, out
    path, line, _col, message = found[0]
    assert Path(path).name == "no-data.yml"
    assert first <= int(line) <= last, (first, line, last)
    assert "summary" in message


class _PageAudit(HTMLParser):
    """Scripts, URLs and event-handler attributes of one built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], bool]] = []  # (attrs, inside the article)
        self.urls: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.depth = 0  # > 0 inside <article class="md-content__inner">
        self.summary: list[str] = []
        self.summary_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self.depth:
            self.depth += 1
        elif tag == "article" and "md-content__inner" in (a.get("class") or ""):
            self.depth = 1
        if self.summary_depth:
            self.summary_depth += 1
        elif tag == "div" and "lb-summary" in (a.get("class") or "").split():
            self.summary_depth = 1
        if tag == "script":
            self.scripts.append((a, self.depth > 0))
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action", "formaction", "xlink:href", "poster") and value is not None:
                self.urls.append(value)

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
        if self.summary_depth:
            self.summary_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.summary_depth:
            self.summary.append(data)


@pytest.mark.pdf
def test_built_page_neutralizes_markdown_tricks(
    minimal: Path, tmp_path: Path, empty_cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    js = "summary: |\n  The data everyone assumed existed does not.\n  [click](javascript:alert(2))\n"
    f = _with_summary(minimal, js)
    assert main(["check", str(minimal)]) == 1  # check refuses what the site would not keep, first
    assert re.search(r"no-data\.yml:\d+:3: LB221 a javascript: link in 'summary'", capsys.readouterr().out)
    f.write_text(f.read_text(encoding="utf-8").replace("javascript:alert(2)", "https://example.org/c"))
    f.write_text(
        f.read_text(encoding="utf-8").replace("[click]", "{ onclick=alert(2) } [click]\n  {{ 7*7 }}")
    )
    assert main(["check", str(minimal)]) == 0  # no raw HTML, no unsafe link: check accepts it
    out = tmp_path / "site"
    build_minimal(minimal, out, empty_cwd)
    audit = _PageAudit()
    audit.feed((out / "failure-modes" / "no-data" / "index.html").read_text(encoding="utf-8"))
    audit.close()
    assert audit.scripts, "Material's own scripts should be there"
    for attrs, in_article in audit.scripts:
        assert not in_article, attrs
        src = attrs.get("src")
        if src is not None:
            assert re.fullmatch(r"(\.\./)*assets/(javascripts|launchbook)/[\w.-]+\.js", src), src
        else:  # Material's inline bootstrap snippets and its JSON config
            assert attrs in ({}, {"id": "__config", "type": "application/json"}), attrs
    for url in audit.urls:
        assert not re.match(r"\s*(javascript|data|vbscript):", url, re.I), url
    assert audit.handlers == []
    summary = " ".join(audit.summary)
    assert "{{ 7*7 }}" in summary
    assert "49" not in summary
    assert "click" in summary


# ---------------------------------------------------------------- atomic failure


@pytest.mark.pdf
def test_failed_build_leaves_previous_site(minimal: Path, tmp_path: Path, empty_cwd: Path) -> None:
    out = tmp_path / "site"
    build_minimal(minimal, out, empty_cwd)
    before = tree_hashes(out)
    assert len(before) > 20
    f = minimal / "failure-modes" / "no-plan.yml"
    f.write_text(f.read_text(encoding="utf-8").replace("category: organization", "category: organisation"))
    proc = build_minimal(minimal, out, empty_cwd, check=False)
    assert proc.returncode != 0
    assert "build failed" in proc.stderr
    assert "no-plan.yml" in proc.stderr and "organisation" in proc.stderr
    assert tree_hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cwd",
        "playbooks",
        "site",
    ]  # no half-built leftovers


@pytest.mark.pdf
def test_broken_link_in_a_page_fails_the_build(minimal: Path, tmp_path: Path, empty_cwd: Path) -> None:
    """The link check runs on what MkDocs rendered, hand-written pages included, and names the page."""
    out = tmp_path / "site"
    build_minimal(minimal, out, empty_cwd)
    before = tree_hashes(out)
    (empty_cwd / "docs").mkdir()
    (empty_cwd / "docs" / "notes.md").write_text(
        "# Notes\n\n"
        '<a href="../no-such-page/">gone</a> <a href="../failure-modes/no-plan/#no-such-anchor">moved</a>\n'
        '<a href="../failure-modes/no-plan/#questions">fine</a>\n',
        encoding="utf-8",
    )
    proc = build_minimal(minimal, out, empty_cwd, check=False)
    assert proc.returncode != 0
    assert "2 broken link(s)" in proc.stderr, proc.stderr
    assert "notes/index.html: broken link ../no-such-page/" in proc.stderr
    assert "notes/index.html: missing anchor ../failure-modes/no-plan/#no-such-anchor" in proc.stderr
    assert tree_hashes(out) == before


# ---------------------------------------------------------------- reproducible


@pytest.mark.slow  # a second build of the bundled site
def test_builds_are_byte_identical_with_source_date_epoch(real_sites: tuple[Built, Built]) -> None:
    first, second = (tree_hashes(b.site) for b in real_sites)
    assert first.keys() == second.keys()
    differ = sorted(k for k in first if first[k] != second[k])
    assert differ == [], differ
    assert len(first) > 100
    for built in real_sites:  # cold caches: every PDF was rendered, none taken from a cache
        pdfs = len(list((built.site / "checklists").glob("*.pdf")))
        assert f"({pdfs} PDFs rendered, the others from the cache)" in built.stderr


@pytest.mark.pdf
def test_a_rebuild_renders_only_the_pdfs_whose_input_changed(
    tmp_path: Path, empty_cwd: Path, minimal: Path
) -> None:
    """The PDF cache: a rebuild with nothing changed renders no PDF and writes the same site; a
    changed checklist is rendered again, the other PDFs are not; and a cached PDF is the PDF a
    cold build renders."""
    cache, out = tmp_path / "cache", tmp_path / "site"
    first = run_build([str(minimal), "-o", str(out)], empty_cwd, cache=cache)
    assert "(2 PDFs rendered" in first.stderr  # the facilitator's copy and the handout, on a4-letter
    cold = tree_hashes(out)
    again = run_build([str(minimal), "-o", str(out)], empty_cwd, cache=cache)
    assert "(0 PDFs rendered" in again.stderr
    assert tree_hashes(out) == cold
    checklist = minimal / "checklists" / "kickoff.yml"
    checklist.write_text(
        checklist.read_text(encoding="utf-8").replace("title: ", "title: New ", 1), encoding="utf-8"
    )
    edited = run_build([str(minimal), "-o", str(out)], empty_cwd, cache=cache)
    assert "(2 PDFs rendered" in edited.stderr
    changed = {k for k, v in tree_hashes(out).items() if cold.get(k) != v}
    assert {f"checklists/kickoff-{kind}a4-letter.pdf" for kind in ("", "handout-")} <= changed
    # the edited checklist's PDFs, cold in a fresh cache, are the ones just built
    fresh = run_build([str(minimal), "-o", str(tmp_path / "fresh")], empty_cwd, cache=tmp_path / "cold")
    assert "(2 PDFs rendered" in fresh.stderr
    assert tree_hashes(tmp_path / "fresh") == tree_hashes(out)


# ---------------------------------------------------------------- link checker


def _page(body: str, ids: tuple[str, ...] = ()) -> str:
    anchors = "".join(f'<h2 id="{i}">{i}</h2>' for i in ids)
    return f"<!doctype html><html><body>{anchors}{body}</body></html>"


@pytest.fixture
def tiny_site(tmp_path: Path) -> Path:
    site = tmp_path / "tiny"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text(_page('<a href="../#top">home</a>', ("here",)))
    (site / "style.css").write_text("")
    (site / "index.html").write_text(
        _page(
            '<a href="a/">a</a> <a href="a/#here">ok anchor</a> <a href="#top">self</a>'
            '<link rel="stylesheet" href="style.css"><a href="https://example.org/">external link</a>',
            ("top",),
        )
    )
    return site


def test_linkcheck_accepts_a_sound_site(tiny_site: Path) -> None:
    assert check_site(tiny_site) == []


def test_linkcheck_finds_broken_link_and_missing_anchor(tiny_site: Path) -> None:
    index = tiny_site / "index.html"
    index.write_text(
        index.read_text().replace(
            "</body>", '<a href="b/">gone</a><a href="a/#nowhere">bad anchor</a></body>'
        )
    )
    problems = check_site(tiny_site)
    assert any("broken link b/" in p and p.startswith("index.html") for p in problems), problems
    assert any("missing anchor a/#nowhere" in p for p in problems), problems
    assert len(problems) == 2, problems


def test_linkcheck_finds_remote_assets_and_script_urls(tiny_site: Path) -> None:
    (tiny_site / "a" / "index.html").write_text(
        _page(
            '<script src="https://cdn.example.org/x.js"></script><a href="javascript:alert(1)">x</a>',
            ("here",),
        )
    )
    problems = check_site(tiny_site)
    assert any("loads https://cdn.example.org/x.js" in p for p in problems), problems
    assert any("javascript: URL" in p for p in problems), problems


def test_linkcheck_with_relative_site_dir(tiny_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tiny_site.parent)
    assert check_site(Path(tiny_site.name)) == []


def test_linkcheck_real_site_is_clean(real_site: Built) -> None:
    assert check_site(real_site.site) == []


def test_scan_reads_every_real_page(real_site: Built) -> None:
    pages = sorted(real_site.site.rglob("*.html"))
    assert len(pages) > 70
    for page in pages:
        ids, links = scan(page.read_text(encoding="utf-8"))
        assert links, page  # Material's header alone has links: an empty scan would be a bug
    fid = playbook_ids(ROOT / "playbooks" / "failure-modes")[0]
    ids, _ = scan((real_site.site / "failure-modes" / fid / "index.html").read_text(encoding="utf-8"))
    assert {"questions", "remediations"} <= ids


def test_no_leftover_build_dirs(real_site: Built) -> None:
    leftovers = [p.name for p in real_site.site.parent.iterdir() if p.name not in ("site", "elsewhere")]
    assert leftovers == []


@pytest.mark.pdf
def test_explicit_playbooks_win_over_mkdocs_yml(tmp_path: Path, empty_cwd: Path) -> None:
    """``launchbook build PATH`` next to a mkdocs.yml builds PATH, not the plugin's default playbooks."""
    (empty_cwd / "docs").mkdir()
    (empty_cwd / "mkdocs.yml").write_text(
        "site_name: fork\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n  - launchbook\n"
    )
    out = tmp_path / "site"
    build_minimal(MINIMAL, out, empty_cwd)
    assert (out / "failure-modes" / "no-data" / "index.html").is_file()
    assert not (out / "failure-modes" / "unmonitored-drift").exists()


# ---------------------------------------------------------------- the papers of the PDFs
def _papers_config(cwd: Path, papers: str, *, pdf: bool = True) -> Path:
    """The config ``launchbook build`` writes when there is none, with the plugin's ``papers`` set."""
    import yaml

    from launchbook.site.config import config_text, site_config

    (cwd / "docs").mkdir(exist_ok=True)
    plugin = {"playbooks": str(MINIMAL.resolve()), "pdf": pdf, "papers": yaml.safe_load(papers)}
    config = cwd / "mkdocs.yml"
    config.write_text(config_text(site_config("Papers", "docs", plugin=plugin)), encoding="utf-8")
    return config


@pytest.mark.pdf
def test_papers_option_makes_each_pdf_once_per_paper(tmp_path: Path, empty_cwd: Path) -> None:
    config = _papers_config(empty_cwd, "[a4, letter]")
    out = tmp_path / "site"
    built = run_build(["--config", str(config), "-o", str(out)], empty_cwd, cache=tmp_path / "cache")
    assert "(4 PDFs rendered" in built.stderr
    names = sorted(p.name for p in (out / "checklists").glob("*.pdf"))
    assert names == [
        "kickoff-a4.pdf",
        "kickoff-handout-a4.pdf",
        "kickoff-handout-letter.pdf",
        "kickoff-letter.pdf",
    ]
    page = (out / "checklists" / "kickoff" / "index.html").read_text(encoding="utf-8")
    for label in ("PDF (A4)", "PDF (Letter)", "Handout PDF (A4)", "Handout PDF (Letter)"):
        assert f">{label}</a>" in page, label
    assert "a4-letter" not in page


@pytest.mark.parametrize("papers", ["[a5]", "[a4, a4]", "[]", "a4"])
def test_an_unknown_or_repeated_paper_fails_the_build_naming_the_papers(
    tmp_path: Path, empty_cwd: Path, papers: str
) -> None:
    config = _papers_config(empty_cwd, papers)
    out = tmp_path / "site"
    failed = run_build(["--config", str(config), "-o", str(out)], empty_cwd, check=False)
    assert failed.returncode == 1, failed.stderr
    assert "Traceback" not in failed.stderr
    if papers != "a4":  # a string, not a list: MkDocs' own message names the option
        assert "name one or more of a4, letter, a4-letter, each once" in failed.stderr
    assert "papers" in failed.stderr
    assert not out.exists()


def _pdf_workers() -> list[int]:
    """Pids of running PDF worker processes (any launchbook's), read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"_first_worker" in cmdline:
                found.append(int(entry.name))
    return found


@pytest.mark.pdf
@pytest.mark.skipif(not Path("/proc/self/cmdline").is_file(), reason="reads processes from /proc")
@pytest.mark.parametrize("pdf", [True, False])
def test_workers_started_early_end_with_the_build(tmp_path: Path, empty_cwd: Path, pdf: bool) -> None:
    """With an empty PDF cache a build starts its PDF workers before reading the config; when the
    config turns PDFs off they are stopped at once, and no worker outlives the build either way."""
    assert _pdf_workers() == []
    config = _papers_config(empty_cwd, "[a4-letter]", pdf=pdf)
    out = tmp_path / "site"
    built = run_build(["--config", str(config), "-o", str(out)], empty_cwd, cache=tmp_path / "cache")
    assert sorted(p.name for p in out.joinpath("checklists").glob("*.pdf")) == (
        ["kickoff-a4-letter.pdf", "kickoff-handout-a4-letter.pdf"] if pdf else []
    ), built.stderr
    assert _pdf_workers() == []
