"""What every importer shares: cleaning foreign text for launchbook's rules, building a
playbook set, and writing it out deterministically.

Foreign texts are kept verbatim as far as launchbook's loader allows: line
endings normalized, tabs expanded, control characters dropped, raw HTML tags
removed (and a stray ``<`` that would read as a tag followed by a space),
Markdown headings turned into bold lines (a page has one heading structure).
Every percentage left in a failure mode's text becomes a statistic sourced to
the framework, because launchbook requires each figure to be a cited statistic
(LB315); the text itself stays as the framework wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..checks import FIGURE_RE
from ..codes import declare
from ..errors import Problem
from ..saferead import MAX_DIGITS
from ..schema import ID_RE

# Warnings an import can give (its errors are the located ForeignDataError).
SKIPPED_PART = declare(
    "LB701",
    "import-skipped-part",
    """
    Part of the framework's data does not have the shape the importer reads, so it was skipped.

    The rest is imported. deon, for example, ships translation files and an example entry next to
    its checklist; a file whose structure is not a checklist's is skipped with this warning.

    Example (warns)::

        $ launchbook import deon data/ -o playbooks
        data/lang/fr.yml: LB701 unexpected structure; skipped this file

    Example (passes): the same import from a folder that holds only the checklist file.

    Fix: nothing, if the skipped part is one you do not need (the warning names it). Otherwise
    report the data file's new shape so the importer can read it.
    """,
    level="warning",
)

UNRESOLVED_REFERENCE = declare(
    "LB702",
    "import-unresolved-reference",
    """
    The framework's data refers to something it does not define.

    ATLAS, for example: a reference with no target, a mitigation that lists an unknown technique,
    a technique without a known tactic. The reference is left as written, or the item is skipped.

    Example (warns)::

        ATLAS: LB702 mitigation AML.M0015 lists unknown technique AML.T9999

    Example (passes): the same release of the data with every technique it names defined.

    Fix: nothing, usually; the warning names the reference. A newer release of the data may
    define it.
    """,
    level="warning",
)

DEFAULT_OWNER = "framework-owner"
DEFAULT_OWNER_ROLE = {
    "id": DEFAULT_OWNER,
    "name": "Framework owner",
    "description": (
        "Default owner of everything the framework assigns to nobody. launchbook import puts it "
        "where the source names no accountable role; rename or reassign it in your overlay."
    ),
    "titles": ["Head of governance", "Risk manager", "Security champion"],
}
DEFAULT_EFFORT = "M"  # no framework estimates effort; M until an organization decides

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.S)
_TAG_START = re.compile(r"<(?=[a-zA-Z/!])")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SPACES = re.compile(r"[ \t]+")


def clean_text(value: Any) -> str:
    """Plain text: one paragraph or several, no HTML, no control characters."""
    s = "" if value is None else str(value)
    s = s.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    s = _CONTROL.sub("", s)
    s = _TAG.sub("", s)
    s = _TAG_START.sub("< ", s)
    lines = [ln.rstrip() for ln in s.split("\n")]
    s = "\n".join(lines)
    s = re.sub(r"\n{3,}", "\n\n", s)
    return s.strip()


def clean_md(value: Any) -> str:
    """Markdown for a playbook field: :func:`clean_text`, headings made bold lines."""
    return _HEADING.sub(lambda m: f"**{m.group(1).strip()}**", clean_text(value))


def one_line(value: Any) -> str:
    """A single line of text (titles, questions): links reduced to their text."""
    s = _LINK.sub(lambda m: m.group(1), clean_text(value))
    return _SPACES.sub(" ", s.replace("\n", " ")).strip()


def kebab(value: str) -> str:
    """A launchbook id from any name: 'GOVERN 1.2' -> 'govern-1-2', 'AML.T0000.001' -> 'aml-t0000-001'."""
    out = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    if not ID_RE.match(out):
        raise ValueError(f"cannot make an id from {value!r}")
    return out


def short_title(text: str, limit: int = 110) -> str:
    """A title from a longer text: its first sentence, or its first words, with an ellipsis."""
    s = one_line(text).lstrip("-*• ").strip()
    m = re.match(r"(.+?[.?!:])(?:\s|$)", s)
    if m and len(m.group(1)) <= limit:
        s = m.group(1).rstrip(".:")
    if len(s) > limit:
        cut = s[:limit].rsplit(" ", 1)[0]
        s = cut.rstrip(",;: ") + "…"
    return s


def figures(texts: Iterable[str]) -> list[str]:
    """Figures (``85%``, ``74 percent``) in the texts, first occurrence order, no repeats."""
    seen: dict[str, None] = {}
    for t in texts:
        for m in FIGURE_RE.finditer(t):
            seen.setdefault(m.group(0), None)
    return list(seen)


@dataclass(frozen=True)
class Attribution:
    """Who made the framework, under what license: becomes the source in sources.yml."""

    source_id: str
    framework: str  # the maps_to key
    title: str
    author: str
    publisher: str
    date: str
    url: str
    license: str
    note: str
    kind: str = "web"


@dataclass
class PlaybookSet:
    """A playbook set under construction, as plain data in launchbook's field order."""

    attribution: Attribution
    title: str
    version: str
    description: str
    categories: list[dict[str, Any]] = field(default_factory=list)
    phases: list[dict[str, Any]] = field(default_factory=list)
    levels: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    failure_modes: list[dict[str, Any]] = field(default_factory=list)
    checklists: list[dict[str, Any]] = field(default_factory=list)
    statistics: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def citation(self, note: str) -> dict[str, Any]:
        return {"id": self.attribution.source_id, "note": note}

    def add_failure_mode(self, fm: dict[str, Any]) -> None:
        """Add a failure mode; figures in its texts become statistics it cites."""
        texts = [fm["title"], fm["summary"], fm["impact"], fm["key_question"], *fm["signs"]]
        texts += [q["ask"] for q in fm["questions"]]
        for r in fm["remediations"]:
            texts += [r["title"], r["do"]]
        texts += [c["note"] for c in fm["sources"]]
        stat_ids = []
        for i, fig in enumerate(figures(texts), 1):
            m = FIGURE_RE.search(fig)
            assert m is not None
            if len(m.group(1)) > MAX_DIGITS:  # no real figure; int() would fail past 4300 digits
                continue
            sid = f"{fm['id']}-figure-{i}"
            self.statistics.append(
                {
                    "id": sid,
                    "value": fig,
                    "number": _number(m.group(1)),
                    "unit": "percent",
                    "measures": f"Figure as written in {self.attribution.title}, {fm['title']}",
                    "source": self.attribution.source_id,
                    "chart": False,
                }
            )
            stat_ids.append(sid)
        if stat_ids:
            fm["sources"][0]["statistics"] = stat_ids
        self.failure_modes.append(fm)

    def used_roles(self) -> set[str]:
        used: set[str] = set()
        for fm in self.failure_modes:
            used.update(q["owner"] for q in fm["questions"])
            for r in fm["remediations"]:
                used.add(r["owner"])
                used.update(r.get("involves", ()))
        return used

    # ------------------------------------------------------------ output
    def files(self) -> dict[str, str]:
        """Relative path -> file content, every file of the set."""
        a = self.attribution
        out: dict[str, str] = {}
        manifest: dict[str, Any] = {
            "title": self.title,
            "version": self.version,
            "description": self.description,
            "categories": self.categories,
            "phases": self.phases,
            "levels": self.levels,
        }
        out["launchbook.yml"] = dump(manifest)
        used = self.used_roles()
        roles = [r for r in self.roles if r["id"] in used]
        if DEFAULT_OWNER in used and all(r["id"] != DEFAULT_OWNER for r in roles):
            roles.append(DEFAULT_OWNER_ROLE)
        out["roles.yml"] = dump({"roles": roles})
        source: dict[str, Any] = {
            "id": a.source_id,
            "kind": a.kind,
            "title": a.title,
            "author": a.author,
            "publisher": a.publisher,
            "date": a.date,
            "url": a.url,
            "license": a.license,
            "note": a.note,
        }
        sources: dict[str, Any] = {"sources": [source]}
        if self.statistics:
            sources["statistics"] = self.statistics
        out["sources.yml"] = dump(sources)
        for fm in self.failure_modes:
            out[f"failure-modes/{fm['id']}.yml"] = dump(fm)
        for cl in self.checklists:
            out[f"checklists/{cl['id']}.yml"] = dump(cl)
        out["README.md"] = readme(self)
        return out


def _number(text: str) -> float | int:
    return int(text) if text.isdigit() else float(text)


README_MARK = "<!-- generated by launchbook import -->"


def readme(ps: PlaybookSet) -> str:
    a = ps.attribution
    counts = (
        f"{len(ps.failure_modes)} failure modes, "
        f"{sum(len(fm['questions']) for fm in ps.failure_modes)} questions, "
        f"{sum(len(fm['remediations']) for fm in ps.failure_modes)} remediations, "
        f"{len(ps.checklists)} checklists"
    )
    return (
        f"{README_MARK}\n"
        f"# {ps.title}\n\n"
        f"Generated by `launchbook import {a.framework}` from {a.title} ({a.url}).\n"
        f"Re-run the import to update it; edit through an overlay, not here.\n\n"
        f"Contents: {counts}.\n\n"
        f"## Attribution and license\n\n"
        f"{a.title}, {a.author}, {a.date}. License: {a.license}.\n\n"
        f"{a.note}\n"
    )


# ------------------------------------------------------------------ YAML output
class _Dumper(yaml.SafeDumper):
    """Plain YAML launchbook's loader accepts: no anchors, block style, multi-line text as ``|``."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def dump(data: Any) -> str:
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
    return text


def numbered(prefix: str, n: int, kind: str) -> str:
    """Question and remediation ids: the framework item's id, then q1, q2 / r1, r2."""
    return f"{prefix}-{kind}{n}"


def bullets(markdown: str) -> Iterator[str]:
    """Top-level list items of a Markdown list, each with its nested list (as Markdown)."""
    item: list[str] = []
    for line in clean_text(markdown).split("\n"):
        top = re.match(r"^[-*•]\s+(.*)$", line)
        nested = re.match(r"^\s+[-*•]\s+(.*)$", line)
        if top:
            if item:
                yield _join(item)
            item = [top.group(1).strip()]
        elif nested and item:
            if not item[-1].startswith("- "):
                item.append("")
            item.append("- " + nested.group(1).strip())
        elif line.strip():
            if (item and not item[-1].startswith("- ")) or item:
                item[-1] += " " + line.strip()
            else:  # text before the first bullet: an item of its own
                item = [line.strip()]
    if item:
        yield _join(item)


def _join(lines: list[str]) -> str:
    return "\n".join(lines).strip()
