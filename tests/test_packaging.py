"""Installable and adoptable: licenses, one version, the lock, hooks, workflows, and the wheel itself.

The last two tests build the wheel and install it into venvs of their own, from the package
registry (about a minute each on a 2-core machine, most of it pip). Without the registry they
skip, as the Zensical smoke test does without Zensical.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import launchbook
from launchbook.cli import main
from launchbook.fork import templates
from launchbook.site import build, generate

from .support import MINIMAL, ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
LOCK = ROOT / "requirements.lock"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
BIN = Path(sys.executable).parent


def _locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, ver = line.partition("==")
            assert sep, f"requirements.lock: {line!r} is not an exact pin"
            pins[canonicalize_name(name)] = ver.strip()
    return pins


def _requirements() -> list[Requirement]:
    return [Requirement(r) for r in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["dev"]]]


# ------------------------------------------------------------------ one version


def test_version_is_written_once_and_read_from_the_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    init = (ROOT / "src" / "launchbook" / "__init__.py").read_text(encoding="utf-8")
    assert not re.search(r"\d+\.\d+\.\d+", init), "the version belongs in pyproject.toml only"
    assert launchbook.__version__ == dist_version("launchbook") == PROJECT["version"]
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"launchbook {PROJECT['version']}"


def test_changelog_has_unreleased_and_the_current_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, flags=re.M)
    assert headings[0] == "Unreleased"
    assert PROJECT["version"] in headings, "each released version has its section"
    assert "keepachangelog.com" in text


# ------------------------------------------------------------------ dependencies and the lock


def test_dependencies_are_ranges_whose_lower_bound_is_the_locked_version() -> None:
    locked = _locked()
    for req in _requirements():
        name = canonicalize_name(req.name)
        ops = {s.operator for s in req.specifier}
        assert "==" not in ops and "===" not in ops, f"{req}: a range, not a pin (the lock pins)"
        assert name in locked, f"{req.name} is not in requirements.lock: run `make lock`"
        assert req.specifier.contains(locked[name], prereleases=True), (
            f"requirements.lock has {req.name}=={locked[name]}, outside {req.specifier}: run `make lock`"
        )
        lower = [s.version for s in req.specifier if s.operator == ">="]
        assert lower == [locked[name]], (
            f"{req}: the lower bound must be the version the lock installs and the tests test ({locked[name]})"
        )
        for s in req.specifier:
            if s.operator == "<":  # an upper bound needs its reason on a comment line in pyproject.toml
                text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
                before = text[: text.index(f'"{req.name}')].rstrip().splitlines()[-3:]
                assert any(line.strip().startswith("#") for line in before), f"{req}: say why it is bounded"


def test_lock_is_what_the_makefile_and_ci_install() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\$\(STAMP\): pyproject\.toml \$\(LOCK\)$", makefile, flags=re.M), (
        "the venv is rebuilt when pyproject.toml or the lock changes"
    )
    assert "pip install -q -r $(LOCK)" in makefile
    assert "pip install -q --no-deps -e ." in makefile, "the package itself adds no unlocked dependency"
    assert "LOCK := requirements.lock" in makefile


# ------------------------------------------------------------------ licenses


def test_license_files_state_code_and_content_licenses() -> None:
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    content = (ROOT / "playbooks" / "LICENSE.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in content and CC_BY in content
    assert "launchbook contributors" in content and "attribution a fork must keep" in content
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## License") :]
    assert "MIT" in section and "CC BY 4.0" in section


def test_notice_names_every_shipped_framework_and_font() -> None:
    notice = (ROOT / "NOTICE.md").read_text(encoding="utf-8")
    frameworks = sorted((ROOT / "src" / "launchbook" / "frameworks").glob("*.json"))
    assert frameworks
    for path in frameworks:
        data = json.loads(path.read_text(encoding="utf-8"))
        row = next((ln for ln in notice.splitlines() if f"`{path.name}`" in ln), None)
        assert row is not None, f"NOTICE.md does not list {path.name}"
        short = data["license"].split(" (")[0]  # "CC BY-SA 4.0 (attribution...)" -> "CC BY-SA 4.0"
        assert short.split(",")[0] in row, f"NOTICE.md: {path.name} is licensed {data['license']}"
    for font in (ROOT / "src" / "launchbook" / "checklists" / "fonts").glob("*.ttf"):
        assert font.name in notice
    assert set(PROJECT["license-files"]) >= {"LICENSE", "NOTICE.md", "playbooks/LICENSE.md"}


def test_site_footers_carry_the_content_license(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configs = {
        "launchbook build / init": yaml.safe_load(build.default_config(Path("playbooks"), Path("docs"))),
        "mkdocs.yml": yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8")),
    }
    monkeypatch.setattr(generate, "write_checklists", lambda *_: 0)  # no PDFs needed here
    monkeypatch.chdir(tmp_path)
    assert main(["generate", str(MINIMAL), "-o", "out"]) == 0
    configs["launchbook generate"] = yaml.safe_load((tmp_path / "out" / "mkdocs.yml").read_text("utf-8"))
    for where, config in configs.items():
        notice = config.get("copyright", "")
        assert "launchbook contributors" in notice and f'href="{CC_BY}"' in notice, where


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed (`make sysdeps`)")
@pytest.mark.pdf
def test_every_pdf_page_carries_the_content_license(tmp_path: Path) -> None:
    pdf = tmp_path / "kickoff.pdf"
    assert main(["checklist", "kickoff", "--playbooks", str(MINIMAL), "-o", str(pdf)]) == 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert pages
    for page in pages:
        assert "launchbook contributors · CC BY 4.0 · creativecommons.org/licenses/by/4.0" in page


# ------------------------------------------------------------------ pre-commit and GitHub Actions


def _launchbook_entry(entry: str) -> list[str]:
    argv = shlex.split(entry)
    assert Path(argv[0]).name == "launchbook"
    exe = shutil.which("launchbook", path=str(BIN))
    assert exe is not None
    return [exe, *argv[1:]]


def test_pre_commit_hook_for_other_repositories(tmp_path: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "launchbook-check")
    assert hook["pass_filenames"] is False
    assert hook["language"] == "python", "pre-commit installs launchbook from this repository"
    files = re.compile(hook["files"])
    for path in ("playbooks/failure-modes/data-silos.yml", "playbooks/launchbook.yml", "fork.yml"):
        assert files.search(path), path
    for path in ("overlay/exclude.yml", "overlay/overrides/team.yml", "mkdocs.yml", "docs/index.md"):
        assert files.search(path), path
    for path in ("src/app.py", "README.md", "fork.yml.bak", "other/playbooks/x.yml"):
        assert not files.search(path), path

    argv = _launchbook_entry(hook["entry"])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    empty = tmp_path / "empty"  # no playbooks here: the bundled ones, as in a repository without its own
    empty.mkdir()
    ok = subprocess.run(argv, cwd=empty, capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = tmp_path / "repo"  # a repository whose playbooks have an error: the hook stops the commit
    shutil.copytree(MINIMAL, broken / "playbooks")
    fm = next((broken / "playbooks" / "failure-modes").glob("*.yml"))
    fm.write_text(fm.read_text(encoding="utf-8") + "\nrelated: [no-such-failure-mode]\n", encoding="utf-8")
    bad = subprocess.run(argv, cwd=broken, capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert fm.name in bad.stdout + bad.stderr


def test_projects_own_pre_commit_config() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert {"ruff", "ruff-format", "mypy", "launchbook-check"} <= set(hooks)
    for hook in hooks.values():  # local hooks run the tools make installed (the locked versions)
        tool = Path(shlex.split(hook["entry"])[0])
        assert tool.parent == Path(".venv/bin"), hook["id"]
        assert (BIN / tool.name).exists(), f"{hook['id']}: {tool.name} is not installed by make"
    assert "--strict" in hooks["mypy"]["entry"]


def _workflow(path: Path | str) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8") if isinstance(path, Path) else path
    data: dict[Any, Any] = yaml.safe_load(text)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def _uses(job: dict[str, Any]) -> list[str]:
    return [s["uses"] for s in _steps(job) if "uses" in s]


def test_test_workflow_runs_make_test() -> None:
    wf = _workflow(ROOT / ".github" / "workflows" / "test.yml")
    assert {"push", "pull_request"} <= set(wf["on"])
    (job,) = wf["jobs"].values()
    assert [s["run"] for s in _steps(job) if "run" in s] == ["make test"]
    assert _uses(job)[:2] == ["actions/checkout@v4", "actions/setup-python@v5"]
    assert wf["permissions"] == {"contents": "read"}


def test_pages_workflow_builds_with_make_site_and_deploys_like_a_fork() -> None:
    wf = _workflow(ROOT / ".github" / "workflows" / "pages.yml")
    fork = _workflow(templates.WORKFLOW.replace("@@VERSION@@", "0"))
    build_job, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert [s["run"] for s in _steps(build_job) if "run" in s] == ["make site"]
    upload = next(
        s for s in _steps(build_job) if s.get("uses", "").startswith("actions/upload-pages-artifact")
    )
    assert upload["with"]["path"] == "site"
    # the same shape as what `launchbook init` writes: same actions and versions, same deploy job
    fork_build = fork["jobs"]["check"]
    assert _uses(build_job) == _uses(fork_build)
    assert deploy["needs"] == "build" and fork["jobs"]["deploy"]["needs"] == "check"
    same = {k: v for k, v in deploy.items() if k != "needs"}
    assert same == {k: v for k, v in fork["jobs"]["deploy"].items() if k != "needs"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert _uses(deploy) == ["actions/deploy-pages@v4"]
    assert wf["on"] == fork["on"] and wf["permissions"] == fork["permissions"]


# ------------------------------------------------------------------ the wheel, installed elsewhere

DOCS_PLUGINS = ["mkdocs-material", "mkdocs-awesome-pages-plugin"]  # newest: what a docs team has today


def _clean_env() -> dict[str, str]:
    """The environment without this checkout on PYTHONPATH: the venvs must run the installed wheel."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def _run(argv: list[str | Path], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(a) for a in argv], cwd=cwd, capture_output=True, text=True, env=_clean_env(), timeout=timeout
    )
    assert proc.returncode == 0, f"{' '.join(map(str, argv))}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _venv(path: Path) -> Path:
    _run([sys.executable, "-m", "venv", path], cwd=path.parent)
    return path / "bin"


def _installed(bin_: Path, cwd: Path) -> dict[str, str]:
    out = _run([bin_ / "python", "-m", "pip", "list", "--format=json"], cwd=cwd).stdout
    return {canonicalize_name(d["name"]): d["version"] for d in json.loads(out)}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout; skips when the package registry cannot be reached."""
    tmp = tmp_path_factory.mktemp("wheel")
    probe_argv = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "-q",
        "--no-deps",
        "--timeout",
        "20",
        "--retries",
        "1",
    ]
    try:
        probe = subprocess.run(
            [*probe_argv, "-d", tmp / "probe", DOCS_PLUGINS[1]],
            capture_output=True,
            text=True,
            env=_clean_env(),
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("the package registry is not reachable (pip download timed out)")
    if probe.returncode != 0:
        pytest.skip(f"the package registry is not reachable: {probe.stderr.strip()[-300:]}")
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp / "dist", ROOT], cwd=tmp)
    (whl,) = (tmp / "dist").glob("launchbook-*.whl")
    names = set(zipfile.ZipFile(whl).namelist())
    dist_info = f"launchbook-{PROJECT['version']}.dist-info"
    for lic in PROJECT["license-files"]:
        assert f"{dist_info}/licenses/{lic}" in names, f"{lic} is not in the wheel"
    assert "launchbook/bundled/playbooks/LICENSE.md" in names, "the content license ships with the content"
    assert "launchbook/bundled/playbooks/launchbook.yml" in names
    return whl


@pytest.mark.slow  # builds the wheel and installs it into a venv of its own
def test_wheel_installs_beside_other_mkdocs_plugins(wheel: Path, tmp_path: Path) -> None:
    """A docs environment that already has its own theme and plugins: installing launchbook changes
    none of their versions, and a site with `plugins: [launchbook]` among them builds."""
    bin_ = _venv(tmp_path / "docs-env")
    _run([bin_ / "python", "-m", "pip", "install", "-q", *DOCS_PLUGINS], cwd=tmp_path)
    before = _installed(bin_, tmp_path)
    _run([bin_ / "python", "-m", "pip", "install", "-q", wheel], cwd=tmp_path)
    after = _installed(bin_, tmp_path)
    changed = {n: (v, after.get(n)) for n, v in before.items() if after.get(n) != v and n not in ("pip",)}
    assert not changed, f"installing launchbook changed the docs environment: {changed}"
    assert after["launchbook"] == PROJECT["version"]

    project = tmp_path / "docs-project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Our docs\n\nThe playbooks are under Failure modes.\n")
    (project / "docs" / "guide.md").write_text("# Guide\n\nHow we work.\n")
    (project / "docs" / ".pages").write_text("nav:\n  - index.md\n  - guide.md\n  - ...\n")
    (project / "mkdocs.yml").write_text(
        "site_name: Our docs\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - awesome-pages\n  - launchbook:\n      pdf: false\n"
    )
    proc = _run([bin_ / "mkdocs", "build", "--strict"], cwd=project)
    site = project / "site"
    assert (site / "guide" / "index.html").is_file()
    assert (site / "failure-modes" / "data-silos" / "index.html").is_file(), proc.stderr[-2000:]


@pytest.mark.slow  # as above, then builds the bundled site there
@pytest.mark.pdf
def test_wheel_works_anywhere(wheel: Path, tmp_path: Path) -> None:
    """A fresh venv with the wheel and the locked dependencies; from an empty folder, `launchbook
    build` produces the bundled site and every checklist PDF."""
    bin_ = _venv(tmp_path / "venv")
    _run([bin_ / "python", "-m", "pip", "install", "-q", "-c", LOCK, wheel], cwd=tmp_path)
    empty = tmp_path / "anywhere"
    empty.mkdir()
    assert (
        _run([bin_ / "launchbook", "--version"], cwd=empty).stdout.strip()
        == f"launchbook {PROJECT['version']}"
    )
    _run([bin_ / "launchbook", "check", "--strict"], cwd=empty)
    _run([bin_ / "launchbook", "build"], cwd=empty)
    site = empty / "site"
    assert (site / "index.html").is_file()
    assert (site / "failure-modes" / "data-silos" / "index.html").is_file()
    checklists = sorted(p.stem for p in (ROOT / "playbooks" / "checklists").glob("*.yml"))
    pdfs = sorted(p.name for p in (site / "checklists").glob("*.pdf"))
    assert pdfs == sorted(
        f"{c}-{kind}{paper}.pdf"
        for c in checklists
        for kind in ("", "handout-")
        for paper in ("a4-letter",)  # the default: one page that prints on A4 and on Letter
    )
    for pdf in pdfs:
        assert (site / "checklists" / pdf).read_bytes()[:5] == b"%PDF-"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="{CC_BY}"' in home, "the site's footer names the content license"
    assert sorted(p.name for p in empty.iterdir()) == ["site"], "nothing but the site is written"
