"""Role references in texts (``@role(id)``): checked, shown as the role's display name on every
output, used by the bundled playbooks wherever a text names a role; role filters that take an id
or a display name."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from launchbook.checks import run_checks
from launchbook.errors import UsageError
from launchbook.markup import plain_text_markup, role_refs
from launchbook.model import Playbook, load_playbook, playbook_texts, resolve_role, with_role_names
from launchbook.text import escape_markdown, md_to_html, substitute_roles

PLAYBOOKS = Path(__file__).resolve().parents[1] / "playbooks"

# How a text names each bundled role as a plain word: its display name and the variants a writer
# uses ("the sponsor", "legal and privacy"), any case, singular or plural, line breaks included.
ROLE_WORDS = {
    "executive-sponsor": r"(?:executive\s+)?sponsors?",
    "product-owner": r"product\s+owners?",
    "data-scientist": r"data\s+scientists?",
    "ml-engineer": r"(?:ml|machine[-\s]learning)\s+engineers?",
    "data-engineer": r"data\s+engineers?",
    "it-operations": r"it\s+operations|it\s+ops",
    "software-engineer": r"software\s+engineers?",
    "legal-privacy": r"legal\s+(?:and|or)\s+privacy|privacy\s+and\s+legal|legal,\s+privacy|ha(?:s|ve)\s+legal"
    r"|with\s+legal(?![,\s]+(?:financial|exposure|regulatory|liability))",
    "domain-expert": r"domain\s+experts?",
    "data-steward": r"data\s+stewards?",
}
_WORDS = re.compile(r"(?<![-\w])(?:" + "|".join(ROLE_WORDS.values()) + r")(?![-\w])", re.I)


@pytest.fixture(scope="module")
def pb() -> Playbook:
    res = load_playbook(PLAYBOOKS)
    assert res.playbook is not None and not res.problems
    return res.playbook


def test_role_words_cover_every_bundled_role(pb: Playbook) -> None:
    assert set(ROLE_WORDS) == {r.id for r in pb.roles}
    for r in pb.roles:  # each display name is one of its own variants
        assert _WORDS.fullmatch(r.name), r.name


def test_no_bundled_text_names_a_role_as_a_plain_word(pb: Playbook) -> None:
    """Every text that names a role does so with @role(id), so a fork's names reach the prose.
    Citation notes are left out: they report what a study says about people in general
    ("interviews with 65 data scientists"), which a fork's role names must not rewrite."""
    found = []
    for what, text, loc in playbook_texts(pb):
        if what.startswith("note of"):
            continue
        for m in _WORDS.finditer(re.sub(r"@role\([^()]*\)", "", text)):
            found.append(f"{loc.path}:{loc.line}: {what}: {m.group()!r}")
    assert found == []


def test_bundled_texts_use_role_references_for_every_role(pb: Playbook) -> None:
    used = {ident for _, text, _ in playbook_texts(pb) for _, ident in role_refs(text)}
    assert used == {r.id for r in pb.roles}


NAMES = {"product-owner": "Product owner", "it-operations": "IT operations", "sre": "SRE", "rd": "R&D *lead*"}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Has @role(product-owner) agreed?", "Has product owner agreed?"),
        ("@role(product-owner) decides.", "Product owner decides."),
        ("Done. @role(product-owner)s decide.", "Done. Product owners decide."),
        ("Was @role(it-operations) at the kickoff?", "Was IT operations at the kickoff?"),
        ("Ask @role(sre).", "Ask SRE."),
        ("Ask @role( sre ) and @role(nobody).", "Ask SRE and nobody."),
        ("No reference here (@role)", "No reference here (@role)"),
    ],
)
def test_substitute_roles_in_plain_text(text: str, shown: str) -> None:
    assert substitute_roles(text, NAMES) == shown


def test_a_name_is_plain_text_in_markdown_and_in_plain_text() -> None:
    """A role name with Markdown characters renders as written, in a Markdown text and, escaped as
    every plain text is, in a plain one; the text's own Markdown still renders."""
    md = substitute_roles("Ask the **@role(rd)** and [see](https://x.example).", NAMES, markdown=True)
    assert md_to_html(md) == (
        '<p>Ask the <strong>R&amp;D *lead*</strong> and <a href="https://x.example" rel="noopener noreferrer">see</a>.</p>'
    )
    plain = substitute_roles("Ask @role(rd) first", NAMES)
    assert plain == "Ask R&D *lead* first"
    assert (
        markdown.markdown(escape_markdown(plain)) == "<p>Ask R&amp;D *lead* first</p>"
    )  # as MkDocs shows it


def test_role_references_are_plain_text_not_markup() -> None:
    assert plain_text_markup("Has @role(product-owner) agreed?") is None
    assert role_refs("@role(a) and @role( b ) and @role()") == [(0, "a"), (13, "b"), (28, "")]


def test_check_reports_unknown_role_reference_with_did_you_mean(pb: Playbook) -> None:
    fm = pb.failure_modes[0]
    broken = fm.__class__(**{**fm.__dict__, "summary": "Ask @role(prodcut-owner) first."})
    bad = Playbook(**{**pb.__dict__, "failure_modes": (broken, *pb.failure_modes[1:])})
    found = [p for p in run_checks(bad) if p.code == "LB320"]
    assert len(found) == 1
    assert "unknown role 'prodcut-owner'" in found[0].message
    assert "did you mean 'product-owner'?" in found[0].hint
    assert found[0].path == fm.loc.path


def test_with_role_names_reaches_every_text(pb: Playbook) -> None:
    named = with_role_names(pb)
    assert not [t for _, t, _ in playbook_texts(named) if "@role(" in t]
    kickoff = named.checklist("project-kickoff")
    assert kickoff is not None and "product owner" in kickoff.description
    assert named.failure_modes[0].loc == pb.failure_modes[0].loc  # ids and locations untouched
    assert [f.id for f in named.failure_modes] == [f.id for f in pb.failure_modes]


@pytest.mark.parametrize("given", ["it-operations", "IT operations", "it OPERATIONS", "  IT   operations "])
def test_resolve_role_takes_id_or_display_name(pb: Playbook, given: str) -> None:
    assert resolve_role(pb, given) == "it-operations"


def test_resolve_role_error_lists_ids_and_names(pb: Playbook) -> None:
    with pytest.raises(UsageError) as exc:
        resolve_role(pb, "IT operation")
    msg = str(exc.value)
    assert "did you mean 'IT operations'?" in msg
    assert "it-operations (IT operations)" in msg and "data-steward (Data steward)" in msg


@pytest.mark.parametrize(
    ("text", "name", "shown"),
    [
        ("A @role(r) does more", "Executive sponsor", "An executive sponsor does more"),
        ("ask an @role(r) first", "Product owner", "ask a product owner first"),
        ("hire a @role(r)", "ML engineer", "hire an ML engineer"),
        ("call a @role(r)", "SRE", "call an SRE"),
        ("find an @role(r)", "User researcher", "find a user researcher"),
        ("Was @role(r) there?", "IT operations", "Was IT operations there?"),
    ],
)
def test_the_article_before_a_role_agrees_with_its_name(text: str, name: str, shown: str) -> None:
    """A fork renames roles, so the bundled text cannot know whether 'a' or 'an' fits."""
    assert substitute_roles(text, {"r": name}) == shown
