"""The assess package by responsibility: answers follow former ids (LB607), codes declared in the
registry, the typed report and its table of renderers (HTML autoescaped by its template), and
the layer rule (assess imports nothing above it)."""

from __future__ import annotations

import ast
import dataclasses
import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from launchbook import codes
from launchbook.assess import RENDERERS, Report, build_report, read_answers
from launchbook.assess.render import render_json
from launchbook.cli import main
from launchbook.model import Playbook, load_playbook

from .support import MINIMAL, ROOT

ASSESS = ROOT / "src" / "launchbook" / "assess"


def load(root: Path) -> Playbook:
    pb = load_playbook(root).playbook
    assert pb is not None
    return pb


def answers_file(tmp_path: Path, body: str, name: str = "answers.yml") -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


# ------------------------------------------------------------------ answers follow former ids
@pytest.fixture
def renamed(tmp_path: Path) -> Playbook:
    """The minimal playbooks where 'plan-written' was once called 'plan-drafted'."""
    root = tmp_path / "playbooks"
    shutil.copytree(MINIMAL, root)
    fm = root / "failure-modes" / "no-plan.yml"
    text = fm.read_text(encoding="utf-8")
    fm.write_text(
        text.replace("  - id: plan-written\n", "  - id: plan-written\n    aliases: [plan-drafted]\n")
    )
    return load(root)


def test_an_answer_under_a_former_id_counts_with_a_warning(renamed: Playbook, tmp_path: Path) -> None:
    p = answers_file(
        tmp_path,
        "answers:\n  - id: plan-drafted\n    answer: yes\n  - id: data-sample-seen\n    answer: no\n",
    )
    ans, problems = read_answers(p, renamed)
    assert ans is not None, problems
    assert ans.as_map() == {"plan-written": "yes", "data-sample-seen": "no"}
    assert [(p.code, p.level, p.line, p.column) for p in problems] == [("LB607", "warning", 2, 9)]
    assert problems[0].message == "question 'plan-drafted' is now 'plan-written'; the answer counts for it"


def test_the_current_id_wins_over_a_former_one(renamed: Playbook, tmp_path: Path) -> None:
    p = answers_file(
        tmp_path,
        "answers:\n  - id: plan-drafted\n    answer: yes\n  - id: data-sample-seen\n    answer: no\n"
        "  - id: plan-written\n    answer: partial\n",
    )
    ans, problems = read_answers(p, renamed)
    assert ans is not None, problems
    assert ans.as_map()["plan-written"] == "partial"
    assert [p.code for p in problems] == ["LB607"] and "ignored" in problems[0].message
    # the folded answer does not hide a question left unanswered
    p.write_text("answers:\n  - id: plan-drafted\n    answer: yes\n  - id: plan-written\n    answer: no\n")
    ans, problems = read_answers(p, renamed)
    assert ans is not None and ans.missing == ("data-sample-seen",)
    assert [p.code for p in problems] == ["LB606", "LB607"]  # in file order


# ------------------------------------------------------------------ codes in the registry
@pytest.mark.parametrize(
    ("code", "level"),
    [("LB601", "error"), ("LB602", "note"), ("LB603", "error"), ("LB604", "error"), ("LB605", "error"),
     ("LB606", "warning"), ("LB607", "warning")],
)  # fmt: skip
def test_assess_codes_are_declared_with_their_level_and_documented(code: str, level: str) -> None:
    declared = codes.lookup(code)
    assert declared is not None and declared.level == level
    assert not declared.doc.startswith("(warning)")
    assert "Example::" in declared.doc and "Fix:" in declared.doc
    assert declared.name.startswith("assess-") and codes.lookup(declared.name) == declared


def test_explain_reads_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "assess-renamed-question"]) == 0
    assert capsys.readouterr().out.startswith("LB607 assess-renamed-question (warning)\n\n")


# ------------------------------------------------------------------ the typed report and its renderers
@pytest.fixture
def hostile(tmp_path: Path) -> Playbook:
    """Titles and names with characters that mean something in HTML and Markdown tables (tags and
    attribute lists themselves are refused in plain text by check, LB220)."""
    root = tmp_path / "playbooks"
    shutil.copytree(MINIMAL, root)
    manifest = root / "launchbook.yml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("title: Organization", "title: 'Org a < b & | co'")
    manifest.write_text(text.replace("name: Ad hoc", "name: 'Ad \"hoc\" & co'"), encoding="utf-8")
    return load(root)


def report_of(pb: Playbook, tmp_path: Path) -> Report:
    p = answers_file(
        tmp_path,
        "answers:\n  - id: plan-written\n    answer: no\n  - id: data-sample-seen\n    answer: partial\n",
    )
    ans, problems = read_answers(p, pb)
    assert ans is not None, problems
    return build_report(pb, ans)


def test_every_format_renders_a_report(tmp_path: Path) -> None:
    r = report_of(load(MINIMAL), tmp_path)
    assert list(RENDERERS) == ["text", "json", "md", "html"]
    for fmt, render in RENDERERS.items():
        out = render(r)
        assert out.endswith("\n") and not out.endswith("\n\n"), fmt
        assert ("data-sample-seen" in out and "Do next" in out) or fmt == "json", fmt
    assert json.loads(render_json(r)) == json.loads(json.dumps(r.to_json()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.top = 3  # type: ignore[misc]


def test_html_report_escapes_playbook_text(hostile: Playbook, tmp_path: Path) -> None:
    html = RENDERERS["html"](report_of(hostile, tmp_path))
    assert "a < b" not in html and '"hoc"' not in html
    assert '<th scope="row">Org a &lt; b &amp; | co</th>' in html
    assert "<title>Maturity assessment: level 0 — Ad &#34;hoc&#34; &amp; co</title>" in html


def test_md_report_keeps_a_title_in_its_table_cell(hostile: Playbook, tmp_path: Path) -> None:
    md = RENDERERS["md"](report_of(hostile, tmp_path))
    assert "| Org a < b & \\| co | 0 | 0% | 0 | 0 | 1 | 0 |" in md


def test_compare_across_scopes_names_added_and_removed_questions(tmp_path: Path) -> None:
    pb = load(MINIMAL)
    role = answers_file(
        tmp_path, "role: data-engineer\nanswers:\n  - id: data-sample-seen\n    answer: yes\n"
    )
    kickoff = answers_file(
        tmp_path,
        "checklist: kickoff\nrole: product-owner\nanswers:\n  - id: plan-written\n    answer: no\n",
        "kickoff.yml",
    )
    new, old = (read_answers(p, pb)[0] for p in (role, kickoff))
    assert new is not None and old is not None
    c = build_report(pb, new).compared_with(build_report(pb, old)).to_json()["compare"]
    assert c["added"] == [{"id": "data-sample-seen", "to": "yes"}]
    assert c["removed"] == [{"id": "plan-written", "from": "no"}]
    assert c["improved"] == c["regressed"] == c["changed"] == []


def test_templates_ship_inside_the_package() -> None:
    templates = resources.files("launchbook.assess").joinpath("templates")
    assert sorted(t.name for t in templates.iterdir() if t.name.endswith(".j2")) == [
        "_head.html.j2",
        "portfolio.html.j2",
        "portfolio.md.j2",
        "report.html.j2",
        "report.md.j2",
        "trend.html.j2",
        "trend.md.j2",
    ]


# ------------------------------------------------------------------ layers
def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at module level, in functions or under TYPE_CHECKING."""
    package = "launchbook.assess"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            found.add(".".join([*base, *([node.module] if node.module else [])]))
    return found


@pytest.mark.parametrize("module", sorted(p.name for p in ASSESS.glob("*.py")))
def test_assess_imports_nothing_above_its_layer(module: str) -> None:
    above = (
        "launchbook.cli",
        "launchbook.commands",
        "launchbook.site",
        "launchbook.fork",
        "launchbook.checklists",
    )
    mods = imported_modules(ASSESS / module)
    assert not [m for m in mods if m.startswith(above)], mods


def test_the_import_parser_sees_the_package_imports() -> None:
    assert "launchbook.assess.report" in imported_modules(ASSESS / "render.py")
