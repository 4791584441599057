"""Printable checklists: tailoring, the four formats, the CLI and the PDF's restricted fetcher."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from launchbook.checklists import CSV_COLUMNS, Tailored, render, tailor
from launchbook.checklists.render import FONT_SCHEME, blocking_ids, html_to_pdf, make_fetcher, render_html
from launchbook.cli import main
from launchbook.errors import UsageError
from launchbook.model import Playbook, load_playbook, with_role_names
from launchbook.text import md_inline

from .support import MINIMAL, ROOT
from .support.golden import Golden

BUNDLED = ROOT / "playbooks"
HAVE_POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdffonts"))
needs_poppler = pytest.mark.skipif(
    not HAVE_POPPLER,
    reason="pdftotext/pdfinfo/pdffonts not installed (poppler-utils; `make sysdeps` installs it)",
)


def _load(root: Path) -> Playbook:
    res = load_playbook(root)
    assert res.playbook is not None, res.problems
    return res.playbook


@pytest.fixture(scope="module")
def pb() -> Playbook:
    return _load(MINIMAL)


def ids(t: Tailored) -> list[str]:
    return [i.id for i in t.items]


# ------------------------------------------------------------------ golden files
GOLDEN_CASES: dict[str, tuple[str, str, str | None]] = {  # file: (format, paper, role)
    "kickoff.md": ("md", "a4", None),
    "kickoff.csv": ("csv", "a4", None),
    "kickoff.html": ("html", "a4", None),
    "kickoff-letter.html": ("html", "letter", None),
    "kickoff-role-executive-sponsor.md": ("md", "a4", "executive-sponsor"),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden(pb: Playbook, name: str, golden: Golden) -> None:
    fmt, paper, role = GOLDEN_CASES[name]
    golden.check(f"checklists/{name}", render(pb, tailor(pb, "kickoff", role=role), fmt, paper))


def test_text_outputs_are_reproducible(pb: Playbook) -> None:
    t = tailor(pb, "kickoff")
    for fmt in ("md", "csv", "html"):
        assert render(pb, t, fmt) == render(pb, tailor(pb, "kickoff"), fmt)


def test_csv_rows_and_columns(pb: Playbook) -> None:
    rows = list(csv.reader(io.StringIO(render(pb, tailor(pb, "kickoff"), "csv").decode())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r[3] for r in rows[1:]] == ["plan-written", "write-plan", "data-sample-seen"]
    assert rows[1][:8] == [
        "kickoff",
        "Nobody planned the path to production",
        "question",
        "plan-written",
        "Is there a written path to production?",
        "Product owner",
        "Frame",
        "An article about ML projects",
    ]
    assert [r[-1] for r in rows[1:]] == ["", "", ""]  # no item of this checklist blocks


def test_csv_marks_the_blocking_items(pb: Playbook) -> None:
    cl = dataclasses.replace(
        pb.checklists[0],
        items=(dataclasses.replace(pb.checklists[0].items[0], blocking=True), *pb.checklists[0].items[1:]),
    )
    edited = dataclasses.replace(pb, checklists=(cl, *pb.checklists[1:]))
    t = tailor(edited, "kickoff")
    rows = list(csv.DictReader(io.StringIO(render(edited, t, "csv").decode())))
    assert [r["blocking"] for r in rows] == ["yes" if it.id in blocking_ids(t) else "" for it in t.items]
    assert [r["blocking"] for r in rows].count("yes") == 1


def test_markdown_is_a_task_list_with_owners(pb: Playbook) -> None:
    md = render(pb, tailor(pb, "kickoff"), "md").decode()
    items, _ = md.split("## Outcome")
    tasks = [line for line in items.splitlines() if line.startswith("- [ ] ")]
    assert len(tasks) == 3
    assert all("**" in t for t in tasks)
    assert "## Nobody planned the path to production" in md
    assert "**Key question:** Can we see the data today?" in md


def test_html_is_self_contained(pb: Playbook) -> None:
    page = render(pb, tailor(pb, "kickoff"), "html").decode()
    assert "<style>" in page and "@media print" in page
    assert not re.search(r"<(link|script|img|iframe)\b", page)
    assert "url(" not in page  # no font or image fetched by the browser
    assert "Content-Security-Policy" in page
    assert "size: A4" in page


# ------------------------------------------------------------------ tailoring
def test_no_filter_keeps_checklist_order_grouped_by_failure_mode(pb: Playbook) -> None:
    t = tailor(pb, "kickoff")
    assert [g.id for g in t.groups] == ["no-plan", "no-data"]
    assert ids(t) == ["plan-written", "write-plan", "data-sample-seen"]
    g = t.groups[0]
    assert g.key_question == "How does this get into production, and who pays?"
    assert g.why is not None and g.why.impact == "Models wait on laptops."
    assert g.why.source_title == "An article about ML projects"
    assert t.items[1].owner_name == "Product owner" and t.items[1].involves == ("Executive sponsor",)


@pytest.mark.parametrize(
    ("opts", "expected"),
    [
        ({"role": "product-owner"}, ["plan-written", "write-plan"]),
        ({"role": "executive-sponsor"}, ["write-plan"]),  # involved in it
        ({"role": "data-engineer"}, ["data-sample-seen"]),
        ({"phase": "frame"}, ["plan-written", "write-plan"]),
        ({"phase": "data"}, ["data-sample-seen"]),
        ({"phase": "deploy"}, []),
        ({"tag": "planning"}, ["plan-written", "write-plan"]),
        ({"failure_modes": ["no-data"]}, ["data-sample-seen"]),
        ({"failure_modes": ["no-data", "no-plan"]}, ["plan-written", "write-plan", "data-sample-seen"]),
        ({"role": "product-owner", "phase": "frame", "tag": "planning"}, ["plan-written", "write-plan"]),
        ({"role": "data-engineer", "phase": "frame"}, []),
    ],
)
def test_filters(pb: Playbook, opts: dict[str, object], expected: list[str]) -> None:
    t = tailor(pb, "kickoff", **opts)  # type: ignore[arg-type]
    assert ids(t) == expected
    assert all(g.items for g in t.groups)


def test_failure_mode_alias_is_accepted(pb: Playbook) -> None:
    fm = pb.failure_modes[0]
    renamed = dataclasses.replace(fm, aliases=("old-name",))
    pb2 = dataclasses.replace(pb, failure_modes=(renamed, *pb.failure_modes[1:]))
    assert {i.failure_mode for i in tailor(pb2, "kickoff", failure_modes=["old-name"]).items} == {fm.id}


def test_group_by_phase(minimal: Path) -> None:
    f = minimal / "checklists" / "kickoff.yml"
    f.write_text(f.read_text().replace("group_by: failure-mode", "group_by: phase"))
    pb = _load(minimal)
    t = tailor(pb, "kickoff")
    assert [(g.kind, g.id) for g in t.groups] == [("phase", "frame"), ("phase", "data")]
    md = render(pb, t, "md").decode()
    assert "## Phase: Frame" in md and "Nobody planned the path to production" in md
    page = render(pb, t, "html").decode()
    assert "Failure mode:</em> The data is not there" in page


@pytest.mark.parametrize(
    ("opts", "message"),
    [
        ({"checklist_id": "kickof"}, "unknown checklist 'kickof'; did you mean 'kickoff'?"),
        (
            {"role": "product-ownr"},
            "unknown role 'product-ownr'; did you mean 'product-owner'? Roles, by id or name: executive-sponsor"
            " (Executive sponsor), product-owner (Product owner), data-engineer (Data engineer)",
        ),
        ({"phase": "deploi"}, "unknown phase 'deploi'; did you mean 'deploy'?"),
        ({"tag": "plannning"}, "unknown tag 'plannning'; did you mean 'planning'?"),
        ({"failure_modes": ["no-dat"]}, "unknown failure mode 'no-dat'; did you mean 'no-data'?"),
    ],
)
def test_unknown_names_raise_usage_error(pb: Playbook, opts: dict[str, object], message: str) -> None:
    checklist_id = str(opts.pop("checklist_id", "kickoff"))
    with pytest.raises(UsageError) as exc:
        tailor(pb, checklist_id, **opts)  # type: ignore[arg-type]
    assert str(exc.value) == message


# ------------------------------------------------------------------ hostile text
def test_playbook_text_is_sanitized_in_html_and_csv(pb: Playbook) -> None:
    fm = pb.failure_modes[1]
    assert fm.id == "no-plan"
    q = dataclasses.replace(
        fm.questions[0], ask="=HYPERLINK(1) [x](javascript:alert(1)) <script>bad()</script>"
    )
    fm2 = dataclasses.replace(fm, questions=(q,), key_question="<img src=x onerror=alert(1)>")
    src = dataclasses.replace(pb.sources[0], url="javascript:alert(2)")
    pb2 = dataclasses.replace(pb, failure_modes=(pb.failure_modes[0], fm2), sources=(src, *pb.sources[1:]))
    t = tailor(pb2, "kickoff")
    page = render(pb2, t, "html").decode()
    assert not re.search(r"(?i)(href|src)\s*=\s*[\"']?\s*javascript:", page)
    assert "[x](javascript:alert(1))" in page  # a question is plain text: shown as written
    assert "<script>bad" not in page and "<img" not in page
    rows = list(csv.reader(io.StringIO(render(pb2, t, "csv").decode())))
    assert rows[1][4].startswith("'=HYPERLINK")  # no formula runs when the CSV is opened
    md = render(pb2, t, "md").decode()
    assert "<script>" not in md and "javascript:alert(2)" not in md


# ------------------------------------------------------------------ PDF
@pytest.mark.pdf
def test_fetcher_serves_only_packaged_fonts() -> None:
    f = make_fetcher()
    assert f.fetch(f"{FONT_SCHEME}DejaVuSans.ttf").read()[:4] == b"\x00\x01\x00\x00"
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/font.ttf",
        f"{FONT_SCHEME}../../../../etc/passwd",
        f"{FONT_SCHEME}/etc/passwd",
        "data:text/plain,hello",
    ):
        with pytest.raises(PermissionError):
            f.fetch(url)
    assert len(f.refused) == 6


@pytest.mark.pdf
def test_pdf_renderer_fetches_no_local_file_or_url(pb: Playbook) -> None:
    page = render_html(pb, tailor(pb, "kickoff"), pdf=True)
    hostile = (
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/pixel.png">'
        '<link rel="stylesheet" href="https://example.org/x.css">'
        '<div style="background: url(file:///etc/hostname)">x</div>'
    )
    page = page.replace("<main>", "<main>" + hostile, 1)
    fetcher = make_fetcher()
    out = html_to_pdf(page, fetcher)
    assert out.startswith(b"%PDF-")
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://127.0.0.1:9/pixel.png" in fetcher.refused
    assert "https://example.org/x.css" in fetcher.refused
    assert "file:///etc/hostname" in fetcher.refused
    assert all(not u.startswith(FONT_SCHEME) for u in fetcher.refused)


@pytest.mark.pdf
def test_pdf_is_byte_identical_across_renders(pb: Playbook) -> None:
    t = tailor(pb, "kickoff")
    first = render(pb, t, "pdf")
    assert first == render(pb, t, "pdf")
    assert b"/CreationDate" not in first and b"/ModDate" not in first


@needs_poppler
@pytest.mark.pdf
def test_pdf_embeds_only_the_packaged_font(pb: Playbook, tmp_path: Path) -> None:
    path = tmp_path / "k.pdf"
    path.write_bytes(render(pb, tailor(pb, "kickoff"), "pdf"))
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = [line.split()[0] for line in listing.splitlines()[2:]]
    assert fonts and all(re.fullmatch(r"[A-Z]{6}\+Launchbook-Sans(-\w+)?", f) for f in fonts), fonts


def _pdftotext(data: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pages(data: bytes, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+(.*)$", info, re.M).group(1)  # type: ignore[union-attr]
    return pages, size


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _plain(markdown_text: str) -> str:
    return _squash(html.unescape(re.sub(r"<[^>]+>", "", md_inline(markdown_text))))


@needs_poppler
@pytest.mark.parametrize(
    ("paper", "size"),
    [
        ("a4", "595.276 x 841.89 pts (A4)"),
        ("letter", "612 x 792 pts (letter)"),
        ("a4-letter", "595.276 x 792 pts"),
    ],
)
@pytest.mark.pdf
def test_pdf_paper_sizes(pb: Playbook, tmp_path: Path, paper: str, size: str) -> None:
    pages, got = _pages(render(pb, tailor(pb, "kickoff"), "pdf", paper), tmp_path)
    assert pages == 1
    assert got.replace("595.28 ", "595.276 ") == size


def _bundled() -> Playbook | None:
    if not (BUNDLED / "launchbook.yml").is_file():
        return None
    res = load_playbook(BUNDLED)
    # as the commands read it: role references shown as the roles' names
    return with_role_names(res.playbook) if res.playbook is not None else None


@needs_poppler
@pytest.mark.parametrize("paper", ["a4", "letter", "a4-letter"])
@pytest.mark.pdf
def test_bundled_checklist_pdfs_hold_every_item_and_fit(tmp_path: Path, paper: str) -> None:
    bpb = _bundled()
    if bpb is None or not bpb.checklists:
        pytest.skip("no bundled checklists yet")
    for cl in bpb.checklists:
        t = tailor(bpb, cl.id)
        if not t.items:
            continue
        data = render(bpb, t, "pdf", paper)
        text = _squash(_pdftotext(data, tmp_path, f"{cl.id}.pdf"))
        assert _plain(cl.title) in text
        for it in t.items:
            assert _plain(it.text) in text, f"{cl.id}: item {it.id} text missing from the PDF"
            assert f"Owner: {it.owner_name}" in text, f"{cl.id}: owner of {it.id} missing"
        for g in t.groups:
            if g.key_question:
                assert _plain(g.key_question) in text, f"{cl.id}: key question of {g.id} missing"
        assert "Outcome" in text and "Action agreed" in text and "Recorded by" in text, cl.id
        assert cl.decision, f"{cl.id}: a meeting checklist should say what the meeting decides"
        for option in cl.decision:
            assert _plain(option) in text, f"{cl.id}: decision option {option!r} missing"
        pages, _ = _pages(data, tmp_path)
        assert pages <= len(t.items) / 3 + 2, f"{cl.id}: {pages} pages for {len(t.items)} items on {paper}"
        assert f"Page {pages} of {pages}" in text


def test_outcome_block_with_and_without_a_decision(pb: Playbook) -> None:
    t = tailor(pb, "kickoff")
    assert t.checklist.decision == ("Start", "Start with conditions", "Not yet")
    page = render(pb, t, "html").decode()
    assert page.count('class="choice-box"') == 3
    assert "Conditions or reasons" in page and page.count("<tr><td></td><td></td><td></td></tr>") == 4
    md = render(pb, t, "md").decode()
    assert "- [ ] Start with conditions" in md.split("## Outcome")[1]
    plain = Tailored(replace(t.checklist, decision=()), t.groups, t.filters, t.attendees)
    page = render(pb, plain, "html").decode()
    assert 'class="choice-box"' not in page and "Conditions or reasons" not in page
    assert "Action agreed" in page and "Recorded by" in page  # every meeting records its actions
    assert "Decision" not in render(pb, plain, "md").decode()


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        ("[Go]", "at least 2"),
        ("[Go, Go]", "twice"),
        ('[Go, "' + "x" * 61 + '"]', "longer than 60"),
        ("Go", "a list"),
    ],
)
def test_decision_is_validated(
    minimal: Path, capsys: pytest.CaptureFixture[str], decision: str, message: str
) -> None:
    f = minimal / "checklists" / "kickoff.yml"
    text = f.read_text(encoding="utf-8")
    f.write_text(re.sub(r"^decision: .*$", f"decision: {decision}", text, flags=re.M), encoding="utf-8")
    assert main(["check", str(minimal)]) == 1
    err = capsys.readouterr().out
    assert "kickoff.yml:11:" in err and message in err, err


# ------------------------------------------------------------------ command line
def test_cli_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklist", "--list", "--playbooks", str(MINIMAL)]) == 0
    assert capsys.readouterr().out.startswith("kickoff  Kickoff — First meeting (3 items)")


@pytest.mark.parametrize("fmt", ["md", "csv", "html"])
def test_cli_text_formats_to_stdout_match_the_library(
    pb: Playbook, capsysbinary: pytest.CaptureFixture[bytes], fmt: str
) -> None:
    assert (
        main(
            ["checklist", "kickoff", "--playbooks", str(MINIMAL), "--format", fmt, "--role", "product-owner"]
        )
        == 0
    )
    assert capsysbinary.readouterr().out == render(pb, tailor(pb, "kickoff", role="product-owner"), fmt)


@pytest.mark.pdf
def test_cli_pdf_to_file_and_format_from_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sub" / "kickoff.pdf"
    assert (
        main(["checklist", "kickoff", "--playbooks", str(MINIMAL), "--paper", "letter", "-o", str(out)]) == 0
    )
    assert out.read_bytes().startswith(b"%PDF-")
    assert "wrote" in capsys.readouterr().err
    md = tmp_path / "k.md"
    assert main(["checklist", "kickoff", "--playbooks", str(MINIMAL), "-o", str(md)]) == 0
    assert md.read_text().startswith("# Kickoff")


@pytest.mark.pdf
def test_cli_pdf_bytes_to_non_tty_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["checklist", "kickoff", "--playbooks", str(MINIMAL), "--failure-mode", "no-data"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["kickof"], "did you mean 'kickoff'?"),
        (["kickoff", "--role", "data-enginer"], "did you mean 'data-engineer'?"),
        (["kickoff", "--phase", "deploi"], "did you mean 'deploy'?"),
        (["kickoff", "--tag", "plannin"], "did you mean 'planning'?"),
        (["kickoff", "--failure-mode", "no-plann"], "did you mean 'no-plan'?"),
        (
            ["kickoff", "--role", "data-engineer", "--phase", "frame"],
            "no item of checklist 'kickoff' matches",
        ),
        ([], "name a checklist (one of: kickoff)"),
    ],
)
def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: list[str], hint: str) -> None:
    assert main(["checklist", *args, "--playbooks", str(MINIMAL), "--format", "md"]) == 2
    err = capsys.readouterr().err
    assert hint in err
    assert "Traceback" not in err


def test_cli_refuses_a_broken_playbook(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = minimal / "checklists" / "kickoff.yml"
    f.write_text(f.read_text().replace("question: plan-written", "question: plan-writen"))
    assert main(["checklist", "kickoff", "--playbooks", str(minimal), "--format", "md"]) != 0
    captured = capsys.readouterr()
    assert "LB313" in captured.err and captured.out == ""
