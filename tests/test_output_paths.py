"""No command deletes what it did not write; file outputs refuse folders and unwritable paths.

Every reproduction of issue 15, items 2, 5 (output paths) and 9 (leftovers of a killed build)
runs here against a throw-away project: a copy of the minimal playbook set with a mkdocs.yml, a
docs/ page, a README and a .git folder. A refused command must exit 2 with one message naming
the path, print no traceback and leave every file of the project byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from launchbook import fsutil
from launchbook.cli import main
from launchbook.fsutil import MARKER, read_marker

from .support import LAUNCHBOOK, MINIMAL

MKDOCS_YML = """\
site_name: project
theme:
  name: material
  font: false
plugins:
  - search
  - launchbook:
      playbooks: playbooks
"""


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path -> sha256); folders as 'dir'."""
    out: dict[str, str] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        out[rel] = "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the current folder): playbooks/, docs/, mkdocs.yml, README.md, .git/."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(MINIMAL, root / "playbooks")
    (root / "docs").mkdir()
    (root / "docs" / "notes.md").write_text("# Notes\n\nHand-written.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "README.md").write_text("# My project\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(argv)
    err = capsys.readouterr().err
    return code, err


def assert_refused(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("launchbook: error: "), err
    for word in words:
        assert word in err, (word, err)


# ---------------------------------------------------------------- build -o


@pytest.mark.parametrize(
    ("target", "words"),
    [
        (".", ["project folder", "site"]),  # the suggestion names a folder that works
        ("playbooks", ["playbook folder"]),
        ("docs", ["docs"]),
        ("docs/site", ["is inside"]),  # MkDocs would copy it into the next site
        (".git/x", [".git"]),
        ("..", ["holds the project folder"]),
        ("README.md", ["not a folder"]),
        ("README.md/site", ["is a file"]),
        ("x" * 300, ["cannot be used"]),  # a name the system refuses
    ],
)
def test_build_refuses_the_project(
    project: Path, target: str, words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(project.parent)
    code, err = run(["build", "-o", target], capsys)
    assert_refused(code, err, target, *words)
    assert tree(project.parent) == before  # nothing written, nothing deleted


def test_build_refuses_the_project_by_absolute_path_and_from_elsewhere(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--config names the project: its folder is refused even from another current folder."""
    before = tree(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    for target in (project, project / "playbooks", project / "docs"):
        code, err = run(["build", "--config", str(project / "mkdocs.yml"), "-o", str(target)], capsys)
        assert_refused(code, err, str(target))
    assert tree(project) == before


def test_build_refuses_a_folder_holding_the_playbooks_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a mkdocs.yml: the playbooks named on the command line (and their parent) are refused."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data / "playbooks")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    before = tree(data)
    for target in (data / "playbooks", data):
        code, err = run(["build", str(data / "playbooks"), "-o", str(target)], capsys)
        assert_refused(code, err, "playbook folder")
    assert tree(data) == before


def test_build_refuses_a_non_empty_foreign_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "public").mkdir()
    (project / "public" / "report.pdf").write_bytes(b"%PDF- mine")
    code, err = run(["build", "-o", "public"], capsys)
    assert_refused(code, err, "public", "not written by launchbook", MARKER)
    assert sorted(p.name for p in (project / "public").iterdir()) == ["report.pdf"]


@pytest.mark.pdf
def test_build_refuses_a_folder_of_another_kind_of_output(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["generate", "-o", "out"], capsys)[0] == 0
    before = tree(project / "out")
    code, err = run(["build", "-o", "out"], capsys)
    assert_refused(code, err, "out", "generate output")
    assert tree(project / "out") == before


@pytest.mark.pdf
def test_rebuild_into_its_own_site_works_and_a_hand_added_file_is_named_not_deleted(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["build"], capsys)[0] == 0  # the default site/, as `make site` does
    marker = read_marker(project / "site")
    assert marker is not None and marker.kind == "site"
    assert "index.html" in marker.files and "failure-modes/no-plan/index.html" in marker.files
    assert run(["build"], capsys)[0] == 0  # a rebuild replaces its own site
    assert run(["build", "-o", "site"], capsys)[0] == 0
    (project / "site" / "CNAME").write_text("docs.example.org\n", encoding="utf-8")
    before = tree(project / "site")
    code, err = run(["build"], capsys)
    assert_refused(code, err, "CNAME", "did not write", "docs/")
    assert tree(project / "site") == before
    (project / "site" / "CNAME").unlink()
    assert run(["build"], capsys)[0] == 0
    assert sorted(p.name for p in project.iterdir()) == [
        ".git",
        "README.md",
        "docs",
        "mkdocs.yml",
        "playbooks",
        "site",
    ]


@pytest.mark.pdf
def test_a_site_built_before_the_marker_is_still_replaced(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An upgrade keeps `make site` working: a folder that looks like a launchbook site is replaced."""
    assert run(["build"], capsys)[0] == 0
    (project / "site" / MARKER).unlink()  # as the old version left it
    assert run(["build"], capsys)[0] == 0
    assert read_marker(project / "site") is not None
    # ... but one site-like file does not make a folder a site
    (project / "other").mkdir()
    (project / "other" / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    (project / "other" / "index.html").write_text("<p>mine</p>", encoding="utf-8")
    code, err = run(["build", "-o", "other"], capsys)
    assert_refused(code, err, "other", "not written by launchbook")
    assert sorted(p.name for p in (project / "other").iterdir()) == ["index.html", "sitemap.xml"]


def test_a_forged_marker_of_a_fifo_or_link_is_not_trusted(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The marker is read only as a regular file: a pipe is not opened (no hang), a link not followed."""
    (project / "mine").mkdir()
    (project / "mine" / "keep.txt").write_text("mine", encoding="utf-8")
    os.mkfifo(project / "mine" / MARKER)
    code, err = run(["build", "-o", "mine"], capsys)
    assert_refused(code, err, "not written by launchbook")
    (project / "mine" / MARKER).unlink()
    real = project.parent / "real-marker"
    real.write_text(json.dumps({"written_by": "launchbook", "kind": "site", "files": ["keep.txt"]}))
    (project / "mine" / MARKER).symlink_to(real)
    code, err = run(["build", "-o", "mine"], capsys)
    assert_refused(code, err, "not written by launchbook")
    assert (project / "mine" / "keep.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.pdf
def test_build_into_a_new_folder_outside_the_project(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["build", "-o", str(tmp_path / "deploy" / "www")], capsys)[0] == 0
    assert (tmp_path / "deploy" / "www" / "index.html").is_file()
    (tmp_path / "empty").mkdir()
    assert run(["build", "-o", str(tmp_path / "empty")], capsys)[0] == 0  # an empty folder is fine


@pytest.mark.pdf
def test_a_fork_builds_into_its_own_site_folder_but_not_over_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(MINIMAL, tmp_path / "upstream")
    assert main(["init", str(tmp_path / "acme"), "--upstream", str(tmp_path / "upstream")]) == 0
    monkeypatch.chdir(tmp_path / "acme")
    before = tree(tmp_path)
    for target in (".", "overlay", "docs", str(tmp_path / "upstream"), ".launchbook"):
        code, err = run(["build", "-o", target], capsys)
        assert code == 2 and "Traceback" not in err, (target, err)
    assert tree(tmp_path) == before
    assert run(["build"], capsys)[0] == 0
    assert (tmp_path / "acme" / "site" / "index.html").is_file()


# ---------------------------------------------------------------- generate -o


@pytest.mark.parametrize("target", [".", "docs", "playbooks", "..", ".git/out", "docs/out", "x" * 300])
def test_generate_refuses_the_project(project: Path, target: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(project.parent)
    code, err = run(["generate", "-o", target], capsys)
    assert_refused(code, err, target)
    assert tree(project.parent) == before  # mkdocs.yml not rewritten, docs/notes.md not deleted


def test_generate_refuses_an_existing_file_and_a_foreign_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(["generate", "-o", "README.md"], capsys)
    assert_refused(code, err, "README.md", "not a folder")
    (project / "mine").mkdir()
    (project / "mine" / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    code, err = run(["generate", "-o", "mine"], capsys)
    assert_refused(code, err, "mine", "not written by launchbook")
    assert (project / "mine" / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"


@pytest.mark.pdf
def test_generate_again_replaces_its_output_but_not_a_page_added_by_hand(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["generate", "-o", "out"], capsys)[0] == 0
    assert (project / "out" / "docs" / "notes.md").is_file()  # ./docs merged in
    assert run(["generate", "-o", "out"], capsys)[0] == 0
    (project / "out" / "site").mkdir()  # `mkdocs build` inside the output: not generate's business
    (project / "out" / "site" / "index.html").write_text("built", encoding="utf-8")
    assert run(["generate", "-o", "out"], capsys)[0] == 0
    assert (project / "out" / "site" / "index.html").read_text(encoding="utf-8") == "built"
    (project / "out" / "docs" / "extra.md").write_text("# Mine\n", encoding="utf-8")
    before = tree(project / "out")
    code, err = run(["generate", "-o", "out"], capsys)
    assert_refused(code, err, "docs/extra.md", "did not write")
    assert tree(project / "out") == before
    leftovers = [p.name for p in (project / "out").iterdir() if p.name.startswith(".docs.")]
    assert leftovers == []


@pytest.mark.pdf
def test_generate_output_from_before_the_marker_is_still_replaced(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["generate", "-o", "out"], capsys)[0] == 0
    (project / "out" / MARKER).unlink()
    (project / "out" / "docs" / MARKER).unlink()
    assert run(["generate", "-o", "out"], capsys)[0] == 0
    assert read_marker(project / "out") is not None


@pytest.mark.pdf
def test_generate_refuses_its_own_docs_as_input(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`cd out && launchbook generate -o .` would read out/docs while replacing it."""
    assert run(["generate", "-o", "out"], capsys)[0] == 0
    code, err = run(["generate", "-o", "out", "--docs", "out/docs"], capsys)
    assert_refused(code, err, "out")


# ---------------------------------------------------------------- schema --out, import -o, init


def test_schema_out_refuses_a_file_the_project_and_a_foreign_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(project)
    for target, words in (
        ("README.md", ["not a folder"]),
        (".", ["project folder"]),
        ("docs", ["not written by launchbook"]),
        (".git/schemas", [".git"]),
        ("README.md/schemas", ["is a file"]),
    ):
        code, err = run(["schema", "--out", target], capsys)
        assert_refused(code, err, target, *words)
    assert tree(project) == before


def test_schema_out_again_works_and_keeps_other_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["schema", "--out", "schemas"], capsys)[0] == 0
    (project / "schemas" / "README.md").write_text("for the editor\n", encoding="utf-8")
    assert run(["schema", "--out", "schemas"], capsys)[0] == 0  # it overwrites only its own files
    assert (project / "schemas" / "README.md").is_file()
    # a folder written before the marker holds only schema files: accepted
    (project / "old").mkdir()
    (project / "old" / "roles.json").write_text("{}", encoding="utf-8")
    assert run(["schema", "--out", "old"], capsys)[0] == 0


def test_import_refuses_its_source_and_keeps_what_was_added(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "deon"
    src.mkdir()
    (src / "checklist.yml").write_text(
        "title: T\nsections:\n  - title: S\n    section_id: A\n    lines:\n"
        "      - line_id: A.1\n        line_summary: One\n        line: Is it so?\n",
        encoding="utf-8",
    )
    before = tree(src)
    for target in (str(src), str(tmp_path), ".", ".git/deon", "playbooks"):
        code, err = run(["import", "deon", str(src), "-o", target], capsys)
        assert_refused(code, err, target)
    assert tree(src) == before
    assert run(["import", "deon", str(src), "-o", "imported"], capsys)[0] == 0
    marker = read_marker(project / "imported")
    assert marker is not None and marker.kind == "import" and "launchbook.yml" in marker.files
    assert run(["import", "deon", str(src), "-o", "imported"], capsys)[0] == 0  # again: replaced
    assert main(["check", "imported", "--strict"]) == 0
    (project / "imported" / "failure-modes" / "my-own.yml").write_text("id: my-own\n", encoding="utf-8")
    code, err = run(["import", "deon", str(src), "-o", "imported"], capsys)
    assert_refused(code, err, "failure-modes/my-own.yml")
    assert (project / "imported" / "failure-modes" / "my-own.yml").is_file()


def test_init_refuses_git_and_a_path_under_a_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(project)
    for target in (".git/acme", "README.md/acme", ".", "x" * 300):
        code, err = run(["init", target], capsys)
        assert_refused(code, err, target)
    assert tree(project) == before


# ---------------------------------------------------------------- commands that write one file


def test_checklist_output_refuses_a_folder_and_unwritable_paths(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(project)
    base = ["checklist", "kickoff", "--playbooks", "playbooks", "--format", "md"]
    for target, words in (
        ("docs", ["is a folder"]),
        ("/proc/launchbook-x.md", ["cannot be written"]),
        ("README.md/x.md", ["is a file"]),
        (".git/x.md", [".git"]),
        ("x" * 300, ["cannot be written"]),
        ("playbooks/roles.yml", ["playbook folder"]),  # never over a playbook
        ("playbooks/new.md", ["playbook folder"]),
        ("mkdocs.yml", ["project's own mkdocs.yml"]),
    ):
        code, err = run([*base, "-o", target], capsys)
        assert_refused(code, err, target, *words)
    assert tree(project) == before
    assert run([*base, "-o", "out/kickoff.md"], capsys)[0] == 0  # a missing folder is made
    assert (project / "out" / "kickoff.md").read_text(encoding="utf-8").startswith("#")


def test_assess_template_output_refuses_unwritable_paths(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for target, words in (
        ("docs", ["is a folder"]),
        ("x" * 300, ["cannot be written"]),
        ("README.md/answers.yml", ["is a file"]),
        ("/proc/launchbook-answers.yml", ["cannot be written"]),
    ):
        code, err = run(["assess", "--template", "playbooks", "-o", target], capsys)
        assert_refused(code, err, target, *words)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_checklist_output_into_a_read_only_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "ro").mkdir()
    (project / "ro").chmod(0o555)
    try:
        code, err = run(["checklist", "kickoff", "--playbooks", "playbooks", "-o", "ro/x.md"], capsys)
        assert_refused(code, err, "not writable")
    finally:
        (project / "ro").chmod(0o755)


# ---------------------------------------------------------------- leftovers of killed runs


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def fake(parent: Path, name: str, *, marked: bool) -> Path:
    folder = parent / name
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "page.html").write_text("half a site", encoding="utf-8")
    if marked:
        fsutil.write_marker(folder, "site", pid=1, host="x")
    return folder


@pytest.mark.pdf
def test_build_removes_its_own_leftovers_and_nothing_else(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    host = fsutil._HOST
    dead, alive = dead_pid(), os.getppid()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    removed = [
        fake(project, f".site.building-{dead}-{host}-abc123", marked=True),
        fake(project, f".site.old-{dead}-{host}-xyz", marked=True),
        fake(scratch, f".launchbook-config.building-{dead}-{host}-q1", marked=True),
        fake(scratch, f".launchbook-serve.building-{dead}-{host}-s1", marked=True),  # a killed serve's
    ]
    kept = [
        fake(project, f".site.building-{dead}-{host}-nomarker", marked=False),  # similar name, no marker
        fake(project, f".site.building-{alive}-{host}-running", marked=True),  # its builder still runs
        fake(project, f".site.building-{dead}-otherhost-abc", marked=True),  # another machine's
        fake(project, ".site.building-abc", marked=True),  # not the pattern
        fake(project, f".public.building-{dead}-{host}-abc", marked=True),  # another output's
        fake(scratch, f"launchbook-config-{dead}", marked=True),  # not the pattern
    ]
    assert run(["build"], capsys)[0] == 0
    for p in removed:
        assert not p.exists(), p
    for p in kept:
        assert (p / "sub" / "page.html").is_file(), p


@pytest.mark.slow  # two builds in processes of their own, one killed midway
@pytest.mark.pdf
def test_kill_9_during_a_build_leaves_nothing_after_the_next_build(project: Path, tmp_path: Path) -> None:
    """The reproduction: kill -9 while the site is being written; the next build cleans up."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch), NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([*LAUNCHBOOK, "build"], cwd=project, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            building = list(project.glob(".site.building-*"))
            if building and any(building[0].rglob("*.html")):
                break
            assert proc.poll() is None, "the build ended before it could be killed"
            time.sleep(0.02)
        else:
            pytest.fail("no temporary site folder appeared")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert list(project.glob(".site.building-*")), "the killed build left its folder (the bug's premise)"
    assert list(scratch.glob(".launchbook-config.*"))
    again = subprocess.run(
        [*LAUNCHBOOK, "build"], cwd=project, env=env, capture_output=True, text=True, timeout=180
    )
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in project.iterdir()) == [
        ".git",
        "README.md",
        "docs",
        "mkdocs.yml",
        "playbooks",
        "site",
    ]
    assert list(scratch.iterdir()) == []


@pytest.mark.pdf
def test_generate_removes_its_own_leftovers_and_nothing_else(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["generate", "-o", "out"], capsys)[0] == 0
    host, dead = fsutil._HOST, dead_pid()
    gone = fake(project / "out", f".docs.building-{dead}-{host}-a", marked=True)
    old = fake(project / "out", f".docs.old-{dead}-{host}-b", marked=True)
    kept = fake(project / "out", f".docs.building-{dead}-{host}-c", marked=False)
    assert run(["generate", "-o", "out"], capsys)[0] == 0
    assert not gone.exists() and not old.exists()
    assert (kept / "sub" / "page.html").is_file()
