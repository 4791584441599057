"""Meetings as facilitators run them (issue 18): blocking items and deciders (schema, fork, the
facilitator's copy), one-page handouts grouped by owner, and the checklist page's meeting mode."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from launchbook.checklists import render, tailor
from launchbook.checklists.handout import (
    COMBINED,
    LAYOUTS,
    HandoutTooLong,
    _first_items,
    _fits,
    fit,
    owner_groups,
    render_handout,
    role_handouts,
)
from launchbook.checks import run_checks
from launchbook.cli import main
from launchbook.model import Checklist, ChecklistItem, Playbook, load_playbook
from launchbook.site.meeting import meeting_items, meeting_json

from .support import MINIMAL, ROOT
from .support.fork import checklist, merged

GOLDEN = ROOT / "tests" / "golden" / "checklists"
UPDATE = os.environ.get("LAUNCHBOOK_UPDATE_GOLDEN") == "1"
BUNDLED = ROOT / "playbooks"
HAVE_PDFINFO = shutil.which("pdfinfo") is not None


def _load(root: Path) -> Playbook:
    res = load_playbook(root)
    assert res.playbook is not None, res.problems
    return res.playbook


@pytest.fixture(scope="module")
def pb() -> Playbook:
    return _load(MINIMAL)


@pytest.fixture(scope="module")
def bundled() -> Playbook:
    return _load(BUNDLED)


def decided(pb: Playbook) -> Playbook:
    """The minimal set with its kickoff's first question blocking and two deciders."""
    cl = pb.checklists[0]
    items = tuple(replace(it, blocking=(i == 0)) for i, it in enumerate(cl.items))
    cl = replace(cl, items=items, deciders=("executive-sponsor", "product-owner"))
    return replace(pb, checklists=(cl, *pb.checklists[1:]))


def pages(pdf: bytes, tmp_path: Path, name: str = "x.pdf") -> int:
    path = tmp_path / name
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    assert m, out
    return int(m.group(1))


# ------------------------------------------------------------------ goldens
GOLDEN_CASES = {  # file: (handout?, format, paper)
    "kickoff-blocking.md": (False, "md", "a4"),
    "kickoff-blocking.html": (False, "html", "a4"),
    "kickoff-handout.md": (True, "md", "a4"),
    "kickoff-handout.html": (True, "html", "letter"),
}


@pytest.mark.pdf
@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden(pb: Playbook, name: str) -> None:
    handout, fmt, paper = GOLDEN_CASES[name]
    p = decided(pb)
    t = tailor(p, "kickoff")
    out = render_handout(p, t, fmt, paper) if handout else render(p, t, fmt, paper)
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(out)
    assert path.is_file(), f"missing golden file {path}; run with LAUNCHBOOK_UPDATE_GOLDEN=1"
    assert out.decode("utf-8") == path.read_text(encoding="utf-8"), (
        f"{name} differs from the golden file; if the change is intended run LAUNCHBOOK_UPDATE_GOLDEN=1 pytest"
    )


# ------------------------------------------------------------------ blocking items and deciders
def test_facilitator_copy_shows_blocking_items_in_words_and_sign_off_lines(pb: Playbook) -> None:
    p = decided(pb)
    t = tailor(p, "kickoff")
    page = render(p, t, "html").decode()
    blocking = re.findall(r'<div class="item [^"]*item-blocking[^"]*" id="item-([^"]+)">', page)
    assert blocking == ["plan-written"]
    item = page.split('id="item-plan-written">', 1)[1].split('<p class="notes">', 1)[0]
    assert '<strong class="blocking-tag">Blocking</strong>' in item
    assert [m for m in re.findall(r"</span>(Yes|No|N/A)</span>", item)] == ["Yes", "No", "N/A"]
    assert 'class="box"' not in item  # the answer boxes replace the tick box
    signoff = page.split('<table class="signoff">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<th scope="col" class="\w+">(\w+)</th>', signoff) == [
        "Name",
        "Role",
        "Signature",
        "Date",
    ]
    assert re.findall(r'<td class="role">([^<]+)</td>', signoff) == ["Executive sponsor", "Product owner"]
    md = render(p, t, "md").decode()
    assert "- **Blocking:** Is there a written path to production?" in md
    assert "  - [ ] Yes\n  - [ ] No\n  - [ ] N/A\n" in md
    assert "|  | Executive sponsor |  |  |\n|  | Product owner |  |  |" in md
    plain = render(pb, tailor(pb, "kickoff"), "html").decode()
    assert "Blocking" not in plain.split("<body", 1)[1] and "signoff" not in plain.split("<body", 1)[1]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("  - question: plan-written\n    blocking: yes\n", "true or false"),
        ("  - question: plan-written\n    blocking: 1\n", "true or false"),
    ],
)
def test_blocking_is_a_boolean(
    minimal: Path, capsys: pytest.CaptureFixture[str], edit: str, message: str
) -> None:
    f = minimal / "checklists" / "kickoff.yml"
    f.write_text(
        f.read_text(encoding="utf-8").replace("  - question: plan-written\n", edit), encoding="utf-8"
    )
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    assert "kickoff.yml:9:" in out and message in out, out


def test_unknown_decider_is_a_dangling_reference_with_a_suggestion(minimal: Path) -> None:
    f = minimal / "checklists" / "kickoff.yml"
    f.write_text(f.read_text(encoding="utf-8") + "deciders: [executive-sponsr]\n", encoding="utf-8")
    problems = [p for p in run_checks(_load(minimal)) if p.code == "LB301"]
    assert [(p.line, p.column, p.hint) for p in problems] == [(12, 12, "did you mean 'executive-sponsor'?")]


def test_a_fork_overrides_blocking_and_deciders(tmp_path: Path) -> None:
    files = {
        "overrides/kickoff.yml": """
            overrides:
              - checklist: kickoff
                set:
                  deciders: [product-owner]
                  items:
                    - question: plan-written
                    - remediation: write-plan
                    - question: data-sample-seen
                      blocking: true
        """,
        "roles.yml": "rename:\n  product-owner:\n    name: Head of product\n",
    }
    pb, problems = merged(tmp_path, files)
    assert problems == []
    cl = checklist(pb, "kickoff")
    assert cl.deciders == ("product-owner",)
    assert [(i.ref, i.blocking) for i in cl.items] == [
        ("plan-written", False),
        ("write-plan", False),
        ("data-sample-seen", True),
    ]
    md = render(pb, tailor(pb, "kickoff"), "md").decode()
    assert "- **Blocking:** Has the team seen a real sample?" in md and "|  | Head of product |  |  |" in md


def test_remapped_and_excluded_deciders(tmp_path: Path) -> None:
    base = {
        "overrides/k.yml": "overrides:\n  - checklist: kickoff\n    set: {deciders: [data-engineer, product-owner]}\n"
    }
    pb, problems = merged(tmp_path / "a", {**base, "roles.yml": "remap:\n  data-engineer: product-owner\n"})
    assert problems == [] and checklist(pb, "kickoff").deciders == ("product-owner",)
    exclude = "exclude:\n  - role: data-engineer\n    reason: We have none.\n"
    owners = (
        "  - question: data-sample-seen\n    set: {owner: product-owner}\n"
        "  - remediation: inventory-data\n    set: {owner: product-owner}\n"
    )
    files = {"overrides/k.yml": base["overrides/k.yml"] + owners, "exclude.yml": exclude}
    pb, problems = merged(tmp_path / "b", files)
    assert [p for p in problems if p.level == "error"] == []
    assert checklist(pb, "kickoff").deciders == ("product-owner",)  # the excluded role is dropped


# ------------------------------------------------------------------ handouts
@pytest.mark.pdf
def test_handout_groups_by_owner_in_the_roles_order_without_rationale(pb: Playbook) -> None:
    p = decided(pb)
    t = tailor(p, "kickoff")
    groups = owner_groups(p, t)
    order = [r.id for r in p.roles]
    assert [g.role for g in groups] == sorted({it.owner for it in t.items}, key=order.index)
    assert sorted(it.id for g in groups for it in g.items) == sorted(it.id for it in t.items)
    page = render_handout(p, t, "html", "a4").decode()
    body = page.split("<body", 1)[1]
    for rationale in ("Why this matters", "Key question", t.checklist.description.strip(), "Source:"):
        assert rationale not in body
    for line in ("<strong>Meeting:</strong>", '<th scope="row">Date</th>', '<th scope="row">Attendees</th>'):
        assert line in body
    assert re.findall(r'<section class="owner" id="owner-([^"]+)">', body) == [g.role for g in groups]
    assert body.count('<span class="box"') == len(t.items) - 1  # the blocking one has Yes / No / N/A
    assert '<strong class="blocking-tag">Blocking</strong>' in body


@pytest.mark.pdf
@pytest.mark.skipif(not HAVE_PDFINFO, reason="pdfinfo not installed (poppler-utils)")
@pytest.mark.parametrize("paper", ["a4", "letter", "a4-letter"])
def test_every_bundled_handout_is_exactly_one_page(bundled: Playbook, tmp_path: Path, paper: str) -> None:
    for cl in bundled.checklists:
        t = tailor(bundled, cl.id)
        pdf = render_handout(bundled, t, "pdf", paper)
        assert pages(pdf, tmp_path) == 1, cl.id
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "x.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Why this matters" not in text and "Meeting:" in text and "Attendees" in text, cl.id
        assert ("BLOCKING" in text) == any(i.blocking for i in cl.items), cl.id


@pytest.mark.pdf
def test_a_long_checklist_shrinks_to_two_columns_before_spilling(bundled: Playbook) -> None:
    kickoff = tailor(bundled, "project-kickoff")
    layout, _ = fit(bundled, kickoff, "a4")
    assert layout.columns == 2  # 23 items: one column would take a second page
    assert _fits(bundled, kickoff, "a4", LAYOUTS[0]) is None


def _long(pb: Playbook, n: int) -> Playbook:
    questions = [q.id for q in pb.questions()][:n]
    cl = replace(
        pb.checklists[0],
        id="everything",
        items=tuple(ChecklistItem("question", q, pb.checklists[0].loc) for q in questions),
    )
    return replace(pb, checklists=(*pb.checklists, cl))


@pytest.mark.pdf
def test_a_checklist_that_cannot_fit_names_how_many_items_to_drop(bundled: Playbook) -> None:
    p = _long(bundled, 80)
    t = tailor(p, "everything")
    with pytest.raises(HandoutTooLong) as exc:
        fit(p, t, "letter")
    msg = str(exc.value)
    m = re.search(r"it has 80 items and at most (\d+) fit .* drop (\d+) items", msg)
    assert m, msg
    most, drop = int(m.group(1)), int(m.group(2))
    assert most + drop == 80 and "--role" in msg and "--per-role" in msg
    assert _fits(p, _first_items(t, most), "letter", LAYOUTS[-1]) is not None
    assert _fits(p, _first_items(t, most + 1), "letter", LAYOUTS[-1]) is None


@pytest.mark.pdf
@pytest.mark.skipif(not HAVE_PDFINFO, reason="pdfinfo not installed (poppler-utils)")
def test_per_role_handouts_and_one_combined_pdf(pb: Playbook, tmp_path: Path) -> None:
    t = tailor(pb, "kickoff")
    files = role_handouts(pb, t, lambda r: tailor(pb, "kickoff", role=r))
    roles = [g.role for g in owner_groups(pb, t)]
    assert [name for name, _ in files] == [f"{r}.pdf" for r in roles] + [COMBINED]
    for name, pdf in files[:-1]:
        assert pages(pdf, tmp_path, name) == 1
    assert pages(files[-1][1], tmp_path, COMBINED) == len(roles)
    mds = role_handouts(pb, t, lambda r: tailor(pb, "kickoff", role=r), "md")
    assert [name for name, _ in mds] == [f"{r}.md" for r in roles]
    assert "Tailored for:** role Data engineer" in dict(mds)["data-engineer.md"].decode()


@pytest.mark.pdf
def test_handout_pdf_is_reproducible(pb: Playbook) -> None:
    t = tailor(pb, "kickoff")
    assert render_handout(pb, t, "pdf") == render_handout(pb, t, "pdf")


# ------------------------------------------------------------------ bundled checklists say what they print
def test_bundled_descriptions_match_what_the_sheet_prints(bundled: Playbook) -> None:
    for cl in bundled.checklists:
        text = " ".join(cl.description.split())
        blocking = [i.ref for i in cl.items if i.blocking]
        if re.search(r"(?<!outcome )\bblock", text, re.I):
            assert blocking, f"{cl.id}: its description talks about blocking items; mark them"
        if blocking:
            assert "marked Blocking" in text, f"{cl.id}: say on the sheet what the Blocking mark means"
        if re.search(r"\bsigns?\b", text):
            assert cl.deciders, f"{cl.id}: its description asks for a signature; name the deciders"
        assert "at the end" not in text, f"{cl.id}: the sheet groups by failure mode; nothing is 'at the end'"
    by_id = {cl.id: cl for cl in bundled.checklists}
    for cid in (
        "go-no-go-production",
        "data-readiness-review",
        "generative-ai-launch-review",
        "security-review",
    ):
        assert any(i.blocking for i in by_id[cid].items), cid
    assert by_id["go-no-go-production"].deciders == ("executive-sponsor",)


# ------------------------------------------------------------------ the site's meeting mode
def test_meeting_data_is_inert_json_with_the_items_and_deciders(pb: Playbook) -> None:
    p = decided(pb)
    cl: Checklist = p.checklists[0]
    items = meeting_items(cl, {q.id: q for q in p.questions()}, {r.id: r for r in p.remediations()})
    text = meeting_json(p, cl, items)
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert data["checklist"] == "kickoff" and data["deciders"] == ["Executive sponsor", "Product owner"]
    assert [(i["key"], i["blocking"]) for i in data["items"]] == [
        ("q-plan-written", True),
        ("r-write-plan", False),
        ("q-data-sample-seen", False),
    ]
    assert data["needs_note"] == ["n/a"]


# ------------------------------------------------------------------ command line
@pytest.mark.pdf
@pytest.mark.skipif(not HAVE_PDFINFO, reason="pdfinfo not installed (poppler-utils)")
def test_cli_handout_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "handout.pdf"
    assert (
        main(
            [
                "checklist",
                "kickoff",
                "--handout",
                "--paper",
                "letter",
                "-o",
                str(out),
                "--playbooks",
                str(MINIMAL),
            ]
        )
        == 0
    )
    assert "handout, pdf, letter" in capsys.readouterr().err
    assert pages(out.read_bytes(), tmp_path, "again.pdf") == 1
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts" in info


def test_cli_handout_md_to_stdout_matches_the_library(
    pb: Playbook, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["checklist", "kickoff", "--handout", "--format", "md", "--playbooks", str(MINIMAL)]) == 0
    assert capsys.readouterr().out == render_handout(pb, tailor(pb, "kickoff"), "md").decode()


@pytest.mark.pdf
def test_cli_per_role_writes_one_handout_per_role_and_a_combined_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "handouts"
    args = ["checklist", "kickoff", "--per-role", "-o", str(out), "--playbooks", str(MINIMAL)]
    assert main(args) == 0
    expected = ["_all-roles.pdf", "data-engineer.pdf", "product-owner.pdf"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == expected
    assert "wrote 2 handouts" in capsys.readouterr().err
    assert main(args) == 0  # its own folder is replaced
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert main([*args[:-2], "--format", "md", "--playbooks", str(MINIMAL)]) == 0  # the PDFs were its own
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "data-engineer.md",
        "notes.txt",  # a file it did not write is never deleted
        "product-owner.md",
    ]
    other = tmp_path / "other"
    other.mkdir()
    (other / "product-owner.pdf").write_bytes(b"%PDF-1.7 someone else's")
    assert main([*args[:3], "-o", str(other), "--playbooks", str(MINIMAL)]) == 2
    assert "was not written by launchbook" in capsys.readouterr().err
    assert (other / "product-owner.pdf").read_bytes() == b"%PDF-1.7 someone else's"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--per-role"], "give the folder for them with -o DIR"),
        (["--per-role", "--role", "data-engineer", "-o", "d"], "drop --role"),
        (["--handout", "--format", "csv"], "a handout is pdf, html, md, not csv"),
    ],
)
def test_cli_handout_usage_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklist", "kickoff", *args, "--playbooks", str(MINIMAL)]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("papers", "pdfs"),
    [
        ((), ["a4-letter"]),  # the default: one page size that prints on A4 and on Letter
        (("a4", "letter"), ["a4", "letter"]),
    ],
)
def test_checklist_page_links_the_handouts_apart_from_the_facilitators_copy(
    pb: Playbook, papers: tuple[str, ...], pdfs: list[str]
) -> None:
    from launchbook.site.downloads import checklist_downloads
    from launchbook.site.pages import build_pages

    files = checklist_downloads(pb, papers) if papers else checklist_downloads(pb)
    page = next(p for p in build_pages(pb, checklist_files=files) if p.src == "checklists/kickoff.md")
    facilitator, handout = (
        line for line in page.content.splitlines() if line.startswith('<p class="lb-downloads">')
    )
    assert facilitator.startswith('<p class="lb-downloads">Print it for the facilitator:')
    assert "-handout-" not in facilitator
    assert re.findall(r'href="([^"]+\.pdf)"', facilitator) == [
        f"../../checklists/kickoff-{p}.pdf" for p in pdfs
    ]
    assert handout.startswith('<p class="lb-downloads">Hand it out, one page per person:')
    assert re.findall(r'href="([^"]+)"', handout) == [
        f"../../checklists/kickoff-handout-{p}.pdf" for p in pdfs
    ]
    assert '<script src="../../assets/launchbook/meeting.js"></script>' in page.content
