"""Playbook text to HTML: the plain-prose shortcut of ``md_to_html`` renders exactly what Markdown does.

``plain_paragraph`` decides that a text needs no Markdown parse; whenever it does, its
``<p>text</p>`` must equal the full render (Markdown, then nh3), on every text of the bundled
and synthetic playbooks and on generated text made of the characters that matter.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from launchbook.model import load_playbook
from launchbook.text import md_to_html, plain_paragraph, render_markdown

from .support import ROOT
from .support.synthetic import GEN


def _texts(value: object) -> Iterator[str]:
    """Every string in a model value, recursively."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _texts(getattr(value, f.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


def _check(text: str) -> bool:
    plain = plain_paragraph(text)
    if plain is not None:
        assert md_to_html(text) == plain == render_markdown(text), repr(text)
        return True
    assert md_to_html(text) == render_markdown(text)
    return False


def test_shortcut_matches_markdown_on_every_bundled_text() -> None:
    texts = set(_texts(load_playbook(ROOT / "playbooks")))
    plain = [t for t in texts if _check(t)]
    assert len(texts) > 1000
    assert len(plain) > len(texts) // 2  # the shortcut is taken (most text is plain prose)


def test_shortcut_matches_markdown_on_synthetic_text(tmp_path: Path) -> None:
    GEN.write_set(60, tmp_path / "pb", 7)
    texts = set(_texts(load_playbook(tmp_path / "pb")))
    assert sum(_check(t) for t in texts) > len(texts) // 2


def test_markdown_is_not_taken_for_plain() -> None:
    for text in (
        "*a*",
        "a\n\nb",
        "- a",
        "1. a",
        "a  \nb",
        "    code",
        "a\n---",
        "# h",
        "a &amp; b",
        "a\xa0b",
        "x_y_z",
        "[a](b)",
        "",
    ):
        assert plain_paragraph(text) is None, text
    assert plain_paragraph("Plain prose, 10% of it (or more): fine.\nA second line.\n") == (
        "<p>Plain prose, 10% of it (or more): fine.\nA second line.</p>"
    )


ALPHABET = st.sampled_from(
    [*list("ab Z9.,;:%'\"()?/-+=#*_`[]<>&!|~\\\n\t\xa0—’"), "1.", "2)", "  ", "\n\n", "http://x.y"]
)


@pytest.mark.slow  # 1,500 hypothesis examples
@settings(max_examples=1500, deadline=None)
@given(st.lists(ALPHABET, max_size=20).map("".join))
def test_shortcut_matches_markdown_on_generated_text(text: str) -> None:
    _check(text)
