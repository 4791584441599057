"""launchbook import: the four real frameworks' data convert to playbook sets that check clean."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from launchbook.cli import main
from launchbook.importers import convert
from launchbook.importers.reader import Budget, ForeignDataError, read_yaml
from launchbook.model import load_playbook

DATA = Path(__file__).resolve().parents[2] / "shared" / "anchors-data"
SOURCES = {
    "nist-ai-rmf": "nist-ai-rmf-playbook",
    "samm": "owasp-samm",
    "atlas": "mitre-atlas",
    "deon": "deon",
}

needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="shared/anchors-data is not present")


def _import(name: str, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    rc = main(["import", name, str(DATA / SOURCES[name]), "-o", str(out)])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    return captured.err


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow  # each framework imported three times and checked twice
@needs_data
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_import_checks_clean_and_is_deterministic(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    _import(name, out, capsys)
    assert main(["check", str(out)]) == 0
    assert main(["check", str(out), "--strict"]) == 0, capsys.readouterr().out
    first = _digest(out)
    _import(name, out, capsys)  # again, into the same folder
    assert _digest(out) == first
    other = tmp_path / "again"
    _import(name, other, capsys)
    assert _digest(other) == first
    sources = (out / "sources.yml").read_text(encoding="utf-8")
    assert "license:" in sources


def _loaded(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[object, str]:
    out = tmp_path / name
    err = _import(name, out, capsys)
    res = load_playbook(out)
    assert res.playbook is not None
    return res.playbook, err


def _mapped(pb: object, framework: str) -> set[str]:
    ids: set[str] = set()
    for fm in pb.failure_modes:  # type: ignore[attr-defined]
        for maps in (fm.maps_to, *(q.maps_to for q in fm.questions), *(r.maps_to for r in fm.remediations)):
            for fw, idents in maps:
                if fw == framework:
                    ids.update(idents)
    return ids


@needs_data
def test_nist_every_subcategory_action_question_and_actor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = json.loads(
        (DATA / SOURCES["nist-ai-rmf"] / "nist_ai_rmf_playbook.json").read_text(encoding="utf-8")
    )
    pb, _ = _loaded("nist-ai-rmf", tmp_path, capsys)
    fms = {fm.maps_to[0][1][0]: fm for fm in pb.failure_modes}  # type: ignore[attr-defined]
    assert len(raw) == 72
    assert set(fms) == {e["title"] for e in raw}
    roles = {r.name for r in pb.roles}  # type: ignore[attr-defined]
    for e in raw:
        fm = fms[e["title"]]
        actions = [ln for ln in e["section_actions"].splitlines() if ln[:2] in ("- ", "* ")]
        assert len(fm.remediations) == len(actions), e["title"]
        doc = e["section_doc"].split("###")[1]
        asked = [ln for ln in doc.splitlines() if ln.startswith("- ")]
        assert len(fm.questions) == len(asked), e["title"]
        assert set(e["AI Actors"]) <= roles
        assert all(r.id.startswith(fm.id + "-") for r in fm.remediations)
    text = (tmp_path / "nist-ai-rmf" / "failure-modes" / "govern-1-1.yml").read_text(encoding="utf-8")
    assert "GOVERN 1.1" in text


@needs_data
def test_samm_every_question_with_its_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = DATA / SOURCES["samm"] / "model"
    pb, _ = _loaded("samm", tmp_path, capsys)
    questions = list(pb.questions())  # type: ignore[attr-defined]
    assert len(questions) == len(list((model / "questions").glob("*.yml"))) == 90
    # the id scheme is the model's own file naming
    assert {q.maps_to[0][1][0] for q in questions} == {p.stem for p in (model / "questions").glob("*.yml")}
    assert {fm.id for fm in pb.failure_modes} == {  # type: ignore[attr-defined]
        p.stem.lower() for p in (model / "streams").glob("*.yml")
    }
    assert len(pb.manifest.categories) == 15  # type: ignore[attr-defined]
    assert {q.level for q in questions} == {1, 2, 3}
    do = "\n".join(r.do for r in pb.remediations())  # type: ignore[attr-defined]
    assert "- No (score 0)" in do  # SAMM's plain `No` stays text


@needs_data
def test_atlas_every_technique_and_mitigation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pb, err = _loaded("atlas", tmp_path, capsys)
    ids = json.loads(
        (Path(__file__).resolve().parents[1] / "src/launchbook/frameworks/atlas.json").read_text(
            encoding="utf-8"
        )
    )["items"]
    techniques = {i["id"] for i in ids if i["kind"] == "technique"}
    mitigations = {i["id"] for i in ids if i["kind"] == "mitigation"}
    assert len(techniques) == 170 and len(mitigations) == 35
    assert {fm.maps_to[0][1][0] for fm in pb.failure_modes} == techniques  # type: ignore[attr-defined]
    assert mitigations <= _mapped(pb, "atlas")
    text = "\n".join(fm.summary for fm in pb.failure_modes)  # type: ignore[attr-defined]
    assert "{{" not in text and "create_internal_link" not in text
    assert "unresolved" not in err


@needs_data
def test_deon_every_item_and_broken_translation_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pb, err = _loaded("deon", tmp_path, capsys)
    assert len(list(pb.questions())) == 21  # type: ignore[attr-defined]
    assert len(pb.failure_modes) == 5  # type: ignore[attr-defined]
    assert "checklist_pt-BR.yml:58:43" in err and "[warning]" in err
    assert {
        f"{s}.{n}" for s, k in zip("ABCDE", (4, 3, 5, 5, 4), strict=True) for n in range(1, k + 1)
    } <= _mapped(pb, "deon")


# ------------------------------------------------------------------ the safe reader
def _read(tmp_path: Path, text: str, *, includes: bool = False) -> object:
    path = tmp_path / "f.yml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path, Budget(tmp_path.resolve()), includes=includes)


def test_reader_refuses_alias_bomb(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 10)}]")
    with pytest.raises(ForeignDataError, match="alias"):
        _read(tmp_path, "\n".join(lines) + "\n")


def test_reader_allows_small_aliases(tmp_path: Path) -> None:
    assert _read(tmp_path, "a: &a [1, 2]\nb: *a\n") == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo owned']\n",
        "a: !!python/name:os.system\n",
        "a: !custom x\n",
        "a: !include other.yml\n",  # includes not enabled
    ],
)
def test_reader_refuses_tags(tmp_path: Path, text: str) -> None:
    with pytest.raises(ForeignDataError, match="not allowed"):
        _read(tmp_path, text)


def test_reader_keeps_bool_like_and_sexagesimal_as_text(tmp_path: Path) -> None:
    data = _read(tmp_path, "a: No\nb: yes\nc: on\nd: 1:30\ne: 0755\nf: 2023-04-12\ng: 3\nh: 0.25\ni: ~\n")
    assert data == {
        "a": "No",
        "b": "yes",
        "c": "on",
        "d": "1:30",
        "e": "0755",
        "f": "2023-04-12",
        "g": 3,
        "h": 0.25,
        "i": None,
    }


def test_reader_include_stays_inside_source(tmp_path: Path) -> None:
    inner = tmp_path / "src"
    inner.mkdir()
    (tmp_path / "secret.yml").write_text("s: 1\n", encoding="utf-8")
    (inner / "part.yml").write_text("- p\n", encoding="utf-8")
    assert _read(inner, "a: !include part.yml\n", includes=True) == {"a": ["p"]}
    with pytest.raises(ForeignDataError, match="leaves the source folder"):
        _read(inner, "a: !include ../secret.yml\n", includes=True)
    (inner / "link.yml").symlink_to(tmp_path / "secret.yml")
    with pytest.raises(ForeignDataError, match="leaves the source folder"):
        _read(inner, "a: !include link.yml\n", includes=True)


def test_reader_refuses_merge_and_duplicate_keys(tmp_path: Path) -> None:
    with pytest.raises(ForeignDataError, match="merge"):
        _read(tmp_path, "a: &a {x: 1}\nb:\n  <<: *a\n")
    with pytest.raises(ForeignDataError, match="duplicate"):
        _read(tmp_path, "a: 1\na: 2\n")


def test_import_refuses_a_folder_that_is_not_a_previous_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "deon"
    src.mkdir()
    (src / "checklist.yml").write_text(
        "title: T\nsections:\n  - title: S\n    section_id: A\n    lines:\n"
        "      - line_id: A.1\n        line_summary: One\n        line: Is it so?\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    assert main(["import", "deon", str(src), "-o", str(out)]) == 2
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep me"
    fresh = tmp_path / "fresh"
    assert main(["import", "deon", str(src), "-o", str(fresh)]) == 0
    assert main(["check", str(fresh), "--strict"]) == 0
    assert convert("deon", src).files == convert("deon", src).files


def test_import_broken_needed_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "deon"
    src.mkdir()
    (src / "checklist.yml").write_text("title: [\n", encoding="utf-8")
    assert main(["import", "deon", str(src), "-o", str(tmp_path / "out")]) == 2
    assert "checklist.yml:" in capsys.readouterr().err
