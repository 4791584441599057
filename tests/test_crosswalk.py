"""maps_to is checked against the frameworks' shipped id lists (LB318), and the site shows crosswalks."""

from __future__ import annotations

import shutil
from pathlib import Path

from launchbook.checks import run_checks
from launchbook.cli import main
from launchbook.frameworks import FRAMEWORKS, framework
from launchbook.model import load_playbook
from launchbook.site.pages import build_pages, crosswalk_anchor, nav

PLAYBOOKS = Path(__file__).resolve().parents[1] / "playbooks"


def _with_maps(tmp_path: Path, block: str) -> Path:
    dst = tmp_path / "pb"
    shutil.copytree(PLAYBOOKS, dst)
    fm = dst / "failure-modes" / "data-silos.yml"
    text = fm.read_text(encoding="utf-8")
    if "\nmaps_to:" in text:
        text = text[: text.index("\nmaps_to:") + 1]
    fm.write_text(text + block, encoding="utf-8")
    return dst


def _lb318(folder: Path) -> list[object]:
    res = load_playbook(folder)
    assert res.playbook is not None, res.problems
    return [p for p in run_checks(res.playbook) if p.code == "LB318"]


def test_shipped_id_lists() -> None:
    assert set(FRAMEWORKS) == {"atlas", "deon", "nist-ai-rmf", "samm"}
    assert len(framework("nist-ai-rmf").items) == 72
    assert "GOVERN 1.2" in framework("nist-ai-rmf").ids
    assert {"G-SM", "G-SM-A", "G-SM-1-A"} <= set(framework("samm").ids)
    assert {"AML.M0000", "AML.T0000", "AML.T0000.001", "AML.TA0002"} <= set(framework("atlas").ids)
    assert {"A", "A.1", "E.4"} <= set(framework("deon").ids)


def test_bundled_playbooks_have_valid_crosswalks() -> None:
    assert _lb318(PLAYBOOKS) == []
    res = load_playbook(PLAYBOOKS)
    assert res.playbook is not None
    assert any(fm.maps_to for fm in res.playbook.failure_modes)


def test_unknown_id_is_located_with_did_you_mean(tmp_path: Path) -> None:
    folder = _with_maps(tmp_path, "maps_to:\n  nist-ai-rmf: [MEASURE 2.1.1, govern 1.1]\n  deon: [A.9]\n")
    problems = _lb318(folder)
    msgs = {p.message: p for p in problems}  # type: ignore[attr-defined]
    p = msgs["failure mode 'data-silos' maps to unknown nist-ai-rmf id 'MEASURE 2.1.1'"]
    assert p.hint == "did you mean 'MEASURE 2.11'?" and p.level == "error"  # type: ignore[attr-defined]
    assert p.path.endswith("data-silos.yml") and p.line > 0  # type: ignore[attr-defined]
    assert msgs["failure mode 'data-silos' maps to unknown nist-ai-rmf id 'govern 1.1'"].hint == (  # type: ignore[attr-defined]
        "did you mean 'GOVERN 1.1'?"
    )
    assert "failure mode 'data-silos' maps to unknown deon id 'A.9'" in msgs
    assert main(["check", str(folder)]) == 1


def test_unknown_framework(tmp_path: Path) -> None:
    problems = _lb318(_with_maps(tmp_path, "maps_to:\n  nist-ai-rfm: [GOVERN 1.1]\n  iso-42001: ['5.1']\n"))
    by_msg = {p.message: p for p in problems}  # type: ignore[attr-defined]
    typo = by_msg["failure mode 'data-silos' maps to unknown framework 'nist-ai-rfm'"]
    assert typo.level == "error" and "nist-ai-rmf" in typo.hint  # type: ignore[attr-defined]
    other = by_msg["failure mode 'data-silos' maps to unknown framework 'iso-42001'"]
    assert other.level == "warning"  # type: ignore[attr-defined]


def test_explain_lb318(capsys: object) -> None:
    assert main(["explain", "LB318"]) == 0


def test_site_has_crosswalk_pages_and_sections() -> None:
    res = load_playbook(PLAYBOOKS)
    assert res.playbook is not None
    pages = {p.src: p for p in build_pages(res.playbook)}
    for fw in FRAMEWORKS:
        page = pages[f"crosswalks/{fw}.md"]
        for item in framework(fw).items:
            assert f'id="{crosswalk_anchor(item.id)}"' in page.content
    assert "crosswalks/index.md" in pages
    bias = pages["failure-modes/unchecked-bias.md"].content
    assert "## Crosswalk" in bias and "#item-measure-2-11" in bias
    sections = [e for e in nav(res.playbook) if isinstance(e, dict) and "Crosswalks" in e]
    assert len(sections) == 1


def test_crosswalk_anchor() -> None:
    assert crosswalk_anchor("GOVERN 1.2") == "item-govern-1-2"
    assert crosswalk_anchor("AML.T0000.001") == "item-aml-t0000-001"
    assert crosswalk_anchor("G-SM-1-A") == "item-g-sm-1-a"
