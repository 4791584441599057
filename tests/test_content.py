"""The bundled playbooks: complete, original wording, every figure cited, every role used."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from launchbook.graph import FIGURE_RE, roles_usage, run_checks
from launchbook.model import Playbook, load_playbook

ROOT = Path(__file__).resolve().parents[1]
PLAYBOOKS = ROOT / "playbooks"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def pb() -> Playbook:
    res = load_playbook(PLAYBOOKS)
    assert res.playbook is not None, res.problems
    assert not res.problems
    return res.playbook


def test_bundled_playbooks_check_clean_even_strict(pb: Playbook) -> None:
    assert run_checks(pb) == []


def test_size_of_the_content(pb: Playbook) -> None:
    assert len(pb.failure_modes) >= 30
    assert len(pb.roles) >= 10
    assert len(pb.checklists) >= 5
    assert sum(fm.beyond_articles for fm in pb.failure_modes) >= 5
    assert {"project-kickoff", "data-readiness-review", "go-no-go-production", "post-launch-review"} <= {
        c.id for c in pb.checklists
    }


def test_every_failure_mode_is_complete(pb: Playbook) -> None:
    for fm in pb.failure_modes:
        assert fm.signs and fm.questions and fm.remediations and fm.sources, fm.id
        assert fm.key_question.strip(), fm.id


def test_every_role_owns_something(pb: Playbook) -> None:
    usage = roles_usage(pb)
    for role in pb.roles:
        assert usage.get(role.id, {}).get("owns"), f"{role.id} owns no remediation"


def test_beyond_articles_cite_a_url(pb: Playbook) -> None:
    urls = {s.id: s.url for s in pb.sources}
    for fm in pb.failure_modes:
        if fm.beyond_articles:
            assert any(urls.get(c.id) for c in fm.sources), fm.id


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _shingles(words: list[str], n: int = 8) -> set[str]:
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles are not next to this checkout")
def test_no_eight_word_run_from_the_seed_articles() -> None:
    seed: set[str] = set()
    for f in SEEDS.glob("0*.txt"):
        seed |= _shingles(_words(f.read_text(encoding="utf-8", errors="replace")))
    assert len(seed) > 1000
    # the detector itself works: a sentence of the first article is caught
    assert _shingles(_words("Getting funding for a project or experiment is the easy part")) & seed
    hits = []
    for f in sorted(PLAYBOOKS.rglob("*.y*ml")):
        text = f.read_text(encoding="utf-8")
        if f.name == "sources.yml":
            # a citation names its article: titles and addresses (URL slugs repeat titles) are exempt
            text = re.sub(r"(?m)^[ \t-]*(title|url):.*$", "", text)
        hits += [f"{f.name}: {s}" for s in sorted(_shingles(_words(text)) & seed)]
    assert hits == []


def test_every_figure_in_a_text_is_a_cited_statistic(pb: Playbook) -> None:
    stats = {s.id: s for s in pb.statistics}
    found = 0
    for fm in pb.failure_modes:
        # a value keeps its qualifier ("at least 30%"); the figure in it is what texts may quote
        values = [stats[s].value for c in fm.sources for s in c.statistics]
        cited = {f"{v.group(1)}%" for v in map(FIGURE_RE.search, values) if v}
        for _name, text, _loc in fm.texts():
            for m in FIGURE_RE.finditer(text):
                found += 1
                assert f"{m.group(1)}%" in cited, f"{fm.id}: {m.group(0)}"
    assert found > 0


def test_statistics_credit_the_study_and_the_article(pb: Playbook) -> None:
    kinds = {s.id: s.kind for s in pb.sources}
    for st in pb.statistics:
        assert st.reported_in, st.id
        for art in st.reported_in:
            assert kinds[art] == "article", f"{st.id} reported in {art}, which is not an article"


COMPARED = ROOT / "tests" / "fixtures" / "compared-passages.sha256"


def _hash(shingle: str) -> str:
    return hashlib.sha256(shingle.encode("utf-8")).hexdigest()[:16]


def test_no_eight_word_run_from_the_sources_compared_for_new_content() -> None:
    """The second edition's new texts were compared against passages of their sources (kept as hashes)."""
    lines = COMPARED.read_text(encoding="utf-8").splitlines()
    known = {ln for ln in lines if ln and not ln.startswith("#")}
    assert len(known) > 500
    # the detector itself works: a run of Gartner's sentence, as THE Journal quotes it, is caught
    quoted = "projects will be abandoned after proof of concept by the end of 2025"
    assert {_hash(s) for s in _shingles(_words(quoted))} & known
    hits = []
    for f in sorted(PLAYBOOKS.rglob("*.y*ml")):
        text = f.read_text(encoding="utf-8")
        if f.name == "sources.yml":
            text = re.sub(r"(?m)^[ \t-]*(title|url):.*$", "", text)
        hits += [f"{f.name}: {s}" for s in sorted(_shingles(_words(text))) if _hash(s) in known]
    assert hits == []
