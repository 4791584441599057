"""Hostile-input corpus: every file is hostile until checked.

Each case corrupts one file of a copy of the minimal fixture and runs
``launchbook check`` on it. A case passes when the run exits 1 or 2, names the
expected code at the expected ``file:line``, prints no traceback, returns in
under a second, runs no code and writes no file.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from launchbook import loader
from launchbook.cli import main
from launchbook.schema import FAILURE_MODE, MANIFEST, SOURCES

HOSTILE = Path(__file__).resolve().parent / "hostile"
FM = "failure-modes/no-data.yml"
FM2 = "failure-modes/no-plan.yml"
CL = "checklists/kickoff.yml"
TMP = "@TMP@"  # replaced by the test's tmp_path, so a marker file would land where we look

Edit = Callable[[bytes], bytes]


def sub(old: str | bytes, new: str | bytes) -> Edit:
    """Replace the first ``old`` with ``new``; fails loudly if ``old`` is not in the file."""
    o = old.encode() if isinstance(old, str) else old
    n = new.encode() if isinstance(new, str) else new

    def edit(raw: bytes) -> bytes:
        assert o in raw, f"fixture changed: {o!r} not found"
        return raw.replace(o, n, 1)

    return edit


def whole(content: str | bytes) -> Edit:
    data = content.encode() if isinstance(content, str) else content
    return lambda _raw: data


def append(extra: str | bytes) -> Edit:
    data = extra.encode() if isinstance(extra, str) else extra
    return lambda raw: raw + data


def hostile(name: str) -> Edit:
    return lambda _raw: (HOSTILE / name).read_bytes()


def crlf_head(n: int) -> Edit:
    """The first ``n`` lines end in CRLF, the rest in LF."""

    def edit(raw: bytes) -> bytes:
        lines = raw.split(b"\n")
        return b"\r\n".join(lines[:n]) + b"\r\n" + b"\n".join(lines[n:])

    return edit


def deep_block_mapping(levels: int) -> Edit:
    body = "".join("  " * i + f"k{i}:\n" for i in range(1, levels)) + "  " * levels + "leaf\n"
    return append("maps_to:\n" + body)


def deep_block_list(levels: int) -> Edit:
    body = "".join("  " * i + "-\n" for i in range(1, levels)) + "  " * levels + "- leaf\n"
    return sub("signs:\n", "signs:\n" + body)


def alias_bomb() -> bytes:
    lines = ['a0: &a0 "lol"']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    edit: Edit
    code: str
    line: int | None  # None: the problem has no line (a missing or unreadable file)
    says: str = ""  # a further piece of text the output must hold (message or hint)
    exit: int = 1


C = Case
# fmt: off
CASES: list[Case] = [
    # ---- duplicate keys: both lines named
    C("dup-key-top", FM, sub("category: data\n", "category: data\ntitle: Again\n"), "LB101", 4, "first at line 2"),
    C("dup-key-nested", FM, sub("    level: 0\n", "    level: 0\n    owner: x\n"), "LB101", 16, "first at line 13"),
    C("dup-key-dict", FM, append("maps_to:\n  nist: [a]\n  nist: [b]\n"), "LB101", 30, "first at line 29"),
    C("dup-key-manifest", "launchbook.yml", append("title: Again\n"), "LB101", 32, "first at line 1"),
    # ---- anchors, aliases, merge keys
    C("anchor", FM, sub("title: The", "title: &t The"), "LB110", 2, "anchor '&t'"),
    C("alias", FM, sub("impact: The project stalls for months.", "impact: *t"), "LB110", 8, "alias '*t'"),
    C("merge-key", FM, sub("title: The data is not there", "<<: {title: The data}"), "LB111", 2, "merge key"),
    C("merge-key-alias", FM, sub("  - id: data-sample-seen", "  - <<: *q\n    id: x"), "LB110", 11),
    C("alias-bomb", "roles.yml", whole(alias_bomb()), "LB110", 1, "anchor '&a0'"),
    C("alias-bomb-file", FM, hostile("alias-bomb.yml"), "LB110", 3),
    # ---- explicit tags (would run code under yaml.load / unsafe_load)
    C("tag-python-apply", FM, hostile("python-apply.yml"), "LB112", 2, "python/object/apply"),
    C("tag-python-name", FM, sub("title: The", "title: !!python/name:os.system The"), "LB112", 2),
    C("tag-python-object-new", FM, sub("title: The data is not there", f'title: !!python/object/new:os.system ["touch {TMP}/p"]'), "LB112", 2),
    C("tag-custom", FM, sub("title: The", "title: !foo The"), "LB112", 2, "'!foo'"),
    C("tag-str", FM, sub("title: The data is not there", "title: !!str 42"), "LB112", 2),
    C("tag-verbatim", FM, sub("title: The", "title: !<tag:example.com,2000:x> The"), "LB112", 2),
    C("tag-on-key", FM, sub("title: The", "!!str title: The"), "LB112", 2),
    C("tag-on-list", FM, sub("phases: [data]", "phases: !!set [data]"), "LB112", 4),
    # ---- YAML 1.1 type traps in an integer field (question level)
    C("octal-level", FM, sub("level: 0", "level: 0755"), "LB204", 15, "octal"),
    C("sexagesimal-level", FM, sub("level: 0", "level: 1:30"), "LB204", 15, "base-60"),
    C("quoted-level", FM, sub("level: 0", 'level: "1"'), "LB204", 15, "remove the quotes"),
    C("hex-level", FM, sub("level: 0", "level: 0x1"), "LB204", 15, "decimal"),
    C("float-level", FM, sub("level: 0", "level: 1.0"), "LB204", 15),
    C("bool-level", FM, sub("level: 0", "level: yes"), "LB204", 15),
    C("level-out-of-range", FM, sub("level: 0", "level: 10"), "LB204", 15, "out of range"),
    C("level-is-list", FM, sub("level: 0", "level: [1]"), "LB202", 15),
    C("yes-as-boolean", FM, append("beyond_articles: yes\n"), "LB205", 28, "true or false"),
    C("octal-manifest-level", "launchbook.yml", sub("level: 1\n", "level: 01\n"), "LB204", 27, "octal"),
    C("exponent-number", "sources.yml", sub("number: 10", "number: 1e1"), "LB204", 18),
    # ---- documents and roots
    C("multi-doc", FM, append("---\nid: other\n"), "LB109", 28, "more than one"),
    C("multi-doc-empty-second", FM, append("---\n"), "LB109", 28),
    C("empty-file", FM, whole(b""), "LB107", 1, "empty"),
    C("whitespace-only", FM, whole("\n   \n\n"), "LB107", 1),
    C("comment-only", FM, whole("# nothing here\n# at all\n"), "LB107", 1),
    C("document-marker-only", FM, whole("---\n"), "LB107", 1, "empty"),
    C("root-list", FM, whole("- id: no-data\n- title: x\n"), "LB108", 1, "found a list"),
    C("root-flow-list", FM, whole("[id, no-data]\n"), "LB108", 1, "found a list"),
    C("root-scalar", FM, whole("just some text\n"), "LB108", 1, "found a single value"),
    C("root-scalar-number", "roles.yml", whole("42\n"), "LB108", 1),
    # ---- size and depth
    C("ten-megabytes", FM, append(b"# " + b"x" * (10 * 1024 * 1024) + b"\n"), "LB102", 1, "limit"),
    C("deep-flow-20", FM, sub("title: The data is not there", "title: " + "[" * 20 + "]" * 20), "LB113", 2),
    C("deep-flow-10000", FM, sub("title: The data is not there", "title: " + "[" * 10000), "LB113", 2),
    C("deep-flow-mapping", FM, sub("title: The data is not there", "title: " + "{a: " * 40 + "}" * 40), "LB113", 2),
    C("deep-block-mapping", FM, deep_block_mapping(24), "LB113", 44, "nesting deeper"),
    C("deep-block-list", FM, deep_block_list(24), "LB113", 22),
    C("deep-inline-dashes", FM, sub("  - Nobody", "  - " + "- " * 30 + "Nobody"), "LB113", 7),
    C("deep-inline-dashes-5000", FM, sub("  - Nobody", "  - " + "- " * 5000 + "Nobody"), "LB113", 7),
    # ---- characters and encodings
    C("tab-indent", FM, sub("    ask:", "\task:"), "LB106", 12, "spaces"),
    C("tab-after-spaces", FM, sub("    ask:", "  \t  ask:"), "LB106", 12),
    C("bell", FM, sub("title: The", "title: \x07The"), "LB105", 2, "U+0007"),
    C("nul", FM, sub("title: The", "title: \x00The"), "LB105", 2, "U+0000"),
    C("escape-sequence", FM, sub("title: The", "title: \x1b[31mThe"), "LB105", 2, "U+001B"),
    C("del", FM, sub("impact: The", "impact: \x7fThe"), "LB105", 8),
    C("c1-csi", FM, sub("impact: The", "impact: \x9bThe"), "LB105", 8, "U+009B"),
    C("nel", FM, sub("summary: The data", "summary: The\u0085data"), "LB105", 5, "U+0085"),
    C("line-separator", FM, sub("summary: The data", "summary: The\u2028data"), "LB105", 5, "U+2028"),
    C("paragraph-separator", FM, sub("summary: The data", "summary: The\u2029data"), "LB105", 5, "U+2029"),
    C("lone-cr", FM, sub("title: The data", "title: The\rdata"), "LB105", 2, "U+000D"),
    C("escaped-bell", FM, sub("title: The data is not there", 'title: "The \\a data"'), "LB105", 2),
    C("escaped-nel", FM, sub("title: The data is not there", 'title: "The \\N data"'), "LB105", 2),
    C("escaped-ls-in-list", FM, sub("  - Nobody can", '  - "Nobody \\L can"\n  - Nobody can'), "LB105", 7),
    C("escaped-esc", FM, sub("ask: Has the team seen a real sample?", 'ask: "\\e[2J Has the team?"'), "LB105", 12),
    C("escaped-nul-key", FM, append('"ti\\0tle": x\n'), "LB200", 28, "\\u0000"),
    C("invalid-utf8", FM, sub(b"summary: The", b"summary: \xffThe"), "LB103", 5, "0xff"),
    C("overlong-utf8", FM, sub(b"impact: The", b"impact: \xc0\xafThe"), "LB103", 8),
    C("latin1", FM, sub(b"title: The", "title: Caf\u00e9".encode("latin-1")), "LB103", 2),
    C("utf16", FM, lambda raw: raw.decode().encode("utf-16"), "LB103", 1),
    C("bom-in-middle", FM, sub("category: data", "\ufeffcategory: data"), "LB104", 3, "U+FEFF"),
    C("bom-twice", FM, lambda raw: b"\xef\xbb\xbf\xef\xbb\xbf" + raw, "LB104", 1),
    C("mixed-line-endings", FM, crlf_head(3), "LB114", 4, "mixed line endings"),
    C("one-crlf", FM2, sub("tags: [planning]\n", "tags: [planning]\r\n"), "LB114", 1),
    # ---- ids that are not plain kebab-case
    C("id-path-traversal", FM, sub("id: no-data\n", "id: ../etc/passwd\n"), "LB203", 1, "not a valid id"),
    C("id-slash", FM, sub("id: data-sample-seen", "id: a/b"), "LB203", 11),
    C("id-upper-case", FM, sub("id: inventory-data", "id: Upper-Case"), "LB203", 17, "'upper-case'"),
    C("id-space", FM, sub("id: data-sample-seen", "id: with space"), "LB203", 11, "'with-space'"),
    C("id-underscore", FM, sub("id: data-sample-seen", "id: under_score"), "LB203", 11),
    C("id-double-hyphen", FM, sub("id: data-sample-seen", "id: data--seen"), "LB203", 11),
    C("id-absolute", CL, sub("id: kickoff", "id: /etc/kickoff"), "LB203", 1),
    C("ref-traversal", FM, sub("owner: data-engineer\n    phase", "owner: ../roles\n    phase"), "LB203", 13),
    C("checklist-ref-traversal", CL, sub("question: plan-written", "question: ../../x"), "LB203", 8),
    C("key-not-kebab", FM, append("maps_to:\n  NIST_RMF: [a]\n"), "LB203", 29),
    C("id-empty-quoted", FM, sub("id: data-sample-seen", 'id: ""'), "LB201", 11),
    # ---- unknown fields, wrong shapes, wrong values
    C("unknown-field", FM, sub("title: The", "titel: The"), "LB200", 2, "did you mean 'title'?"),
    C("unknown-nested-field", FM, sub("    ask: Has", "    asks: Has"), "LB200", 12, "did you mean 'ask'?"),
    C("unknown-field-no-guess", FM, append("zzzz: 1\n"), "LB200", 28, "allowed fields"),
    C("quoted-merge-key", FM, append('"<<": x\n'), "LB200", 28),
    C("null-key", FM, append("~: x\n"), "LB200", 28),
    C("complex-key", FM, append("? [a, b]\n: c\n"), "LB202", 28),
    C("mapping-for-text", FM, sub("title: The data is not there", "title: {a: b}"), "LB202", 2, "single value"),
    C("list-for-text", FM, sub("title: The data is not there", "title: [a, b]"), "LB202", 2),
    C("block-mapping-for-text", FM, sub("title: The data is not there", "title:\n  a: b"), "LB202", 3),
    C("text-for-list", FM, sub("phases: [data]", "phases: data"), "LB202", 4, "a list"),
    C("mapping-for-list", FM, sub("phases: [data]", "phases: {data: 1}"), "LB202", 4),
    C("item-scalar-then-field", FM, sub("  - id: article-one\n    note", "  - article-one\n    note"), "LB100", 27),
    C("list-item-not-mapping", FM, sub("sources:\n  - id: article-one\n", "sources:\n  - article-one\n  - id: article-one\n"), "LB202", 26),
    C("bad-enum", FM, sub("effort: M", "effort: XL"), "LB206", 23, "did you mean 'L'?"),
    C("bad-enum-did-you-mean", FM2, sub("relation: worsens", "relation: worsen"), "LB206", 34, "did you mean 'worsens'?"),
    C("raw-html", FM, sub("summary: The data", "summary: <script>alert(1)</script> The data"), "LB207", 5),
    C("too-long", FM, sub("title: The data is not there", "title: " + "x" * 20_001), "LB209", 2),
    C("bad-url", "sources.yml", sub("url: https://example.org/article", "url: javascript:alert(1)"), "LB209", 8),
    C("bad-date", "sources.yml", sub('date: "2019"', "date: spring 2019"), "LB209", 13),
    C("duplicate-list-item", FM, sub("phases: [data]", "phases: [data, data]"), "LB211", 4, "listed twice"),
    C("checklist-item-both", CL, sub("  - remediation: write-plan", "  - {question: plan-written, remediation: write-plan}"), "LB212", 9),
    C("checklist-item-neither", CL, sub("  - remediation: write-plan", "  - {}"), "LB212", 9),
    C("too-few-items", FM, sub("phases: [data]", "phases: []"), "LB210", 4),
    # ---- missing and empty fields
    C("missing-title", FM, sub("title: The data is not there\n", ""), "LB201", 1, "missing required field 'title'"),
    C("missing-nested", FM, sub("    owner: data-engineer\n    phase: data\n    level", "    phase: data\n    level"), "LB201", 11, "'owner'"),
    C("empty-title", FM, sub("title: The data is not there", "title:"), "LB201", 2, "'title' is empty"),
    C("null-title", FM, sub("title: The data is not there", "title: null"), "LB201", 2),
    C("tilde-title", FM, sub("title: The data is not there", "title: ~"), "LB201", 2),
    # ---- syntax errors
    C("unclosed-quote", FM, sub("title: The data", 'title: "The data'), "LB100", 2, "quoted scalar"),
    C("colon-in-value", FM, sub("title: The data is not there", "title: Ask: why?"), "LB100", 2, "quote the value"),
    C("unclosed-flow", FM, sub("phases: [data]", "phases: [data"), "LB100", 5, "starts on line 4"),
    C("null-document", FM, whole("null\n"), "LB107", 1),
    C("reserved-indicator", FM, sub("title: The", "title: @The"), "LB100", 2),
    C("bad-indentation", FM, sub("    ask: Has", "   ask: Has"), "LB100", 12),
    C("bad-escape", FM, sub("title: The data is not there", 'title: "\\ud800"'), "LB100", 2),
    C("alias-undefined", FM, sub("impact: The project stalls for months.", "impact: *nowhere"), "LB110", 8),
    # ---- file-level problems
    C("id-not-file-name", FM, sub("id: no-data\n", "id: no-info\n"), "LB208", 1, "rename the file"),
    C("checklist-id-not-file-name", CL, sub("id: kickoff", "id: kick-off"), "LB208", 1),
    C("roles-is-list", "roles.yml", whole("- id: x\n"), "LB108", 1),
    C("roles-is-directory", "roles.yml", whole(b""), "LB115", 1, "a folder, not a regular file", exit=2),
    C("roles-missing", "roles.yml", whole(b""), "LB116", None, "missing roles.yml", exit=2),
]
# fmt: on

# Cases whose target is not a plain file write: set up by name.
_SPECIAL_SETUP = {"roles-is-directory", "roles-missing"}


def _prepare(case: Case, folder: Path, tmp_path: Path) -> None:
    target = folder / case.file
    if case.id == "roles-is-directory":
        target.unlink()
        target.mkdir()
        return
    if case.id == "roles-missing":
        target.unlink()
        return
    raw = case.edit(target.read_bytes()).replace(TMP.encode(), str(tmp_path).encode())
    target.write_bytes(raw)


def _files(root: Path) -> set[Path]:
    return set(root.rglob("*"))


def test_corpus_is_large_and_ids_unique() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert {c.id for c in CASES} >= _SPECIAL_SETUP


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _prepare(case, minimal, tmp_path)
    before = _files(tmp_path)
    start = time.perf_counter()
    code = main(["check", str(minimal)])
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()

    assert code == case.exit, out + err
    assert "Traceback" not in out + err
    name = re.escape(Path(case.file).name)
    pattern = rf"{name}: {case.code} " if case.line is None else rf"{name}:{case.line}:\d+: {case.code} "
    assert re.search(pattern, out), f"expected {pattern!r} in:\n{out}"
    if case.says:
        assert case.says in out, out
    assert elapsed < 1.0, f"took {elapsed:.2f}s"
    # nothing ran, nothing was written
    assert _files(tmp_path) == before
    assert not (tmp_path / "pwned").exists()
    assert not (tmp_path / "p").exists()


def test_python_apply_tag_would_really_run_code(tmp_path: Path) -> None:
    """The corpus file is live ammunition: PyYAML's unsafe loader does run it (so the test above means something)."""
    import yaml

    raw = (HOSTILE / "python-apply.yml").read_text().replace(TMP, str(tmp_path))
    yaml.unsafe_load(raw)
    assert (tmp_path / "pwned").exists()


def test_alias_bomb_would_really_explode() -> None:
    """PyYAML's safe loader expands the bomb into 10**9 leaves; launchbook refuses at the first anchor."""
    import yaml

    data = yaml.safe_load(alias_bomb())
    assert len(data["a3"]) == 10 and len(data["a3"][0][0]) == 10  # shared, but 10**9 leaves when walked
    doc = loader.load_bytes(alias_bomb(), MANIFEST, "bomb.yml")
    assert doc.data is None
    assert [p.code for p in doc.problems][:1] == ["LB110"]


def test_problems_in_several_files_are_all_reported(
    minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fm = minimal / FM
    fm.write_text(fm.read_text().replace("title: The", "titel: The").replace("effort: M", "effort: XL"))
    cl = minimal / CL
    cl.write_text(cl.read_text().replace("group_by: failure-mode", "group_by: failure_mode"))
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"no-data\.yml:2:1: LB200 ", out)
    assert re.search(r"no-data\.yml:23:13: LB206 ", out)
    assert re.search(r"kickoff\.yml:6:11: LB206 ", out)
    # the run went on: a file that did not load still leaves the others checked
    assert "checked 6 files: 5 error(s)" in out


def test_problem_counts_are_capped_for_control_characters(
    minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fm = minimal / FM
    fm.write_bytes(fm.read_bytes().replace(b"title: The data", b"title: " + b"\x07" * 500))
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    assert out.count(" LB105 ") == 5


# ------------------------------------------------------------------ accepted inputs
# YAML 1.1 would change these; launchbook reads each plain scalar by its field's type.
TEXT_TRAPS = [
    ("no", "no"),
    ("on", "on"),
    ("y", "y"),
    ("Yes", "Yes"),
    ("OFF", "OFF"),
    ("true", "true"),
    ("42", "42"),
    ("0755", "0755"),
    ("1:30", "1:30"),
    ("4.2e1", "4.2e1"),
    (".inf", ".inf"),
    ("2024-01-01", "2024-01-01"),
    ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
]


@pytest.mark.parametrize(("written", "kept"), TEXT_TRAPS, ids=[w for w, _ in TEXT_TRAPS])
def test_plain_scalars_in_text_fields_stay_text(
    written: str, kept: str, minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fm = minimal / FM
    fm.write_text(
        fm.read_text()
        .replace("title: The data is not there", f"title: {written}")
        .replace("ask: Has the team seen a real sample?", f"ask: {written}")
    )
    doc = loader.load_document(fm, FAILURE_MODE)
    assert doc.problems == ()
    assert doc.data is not None
    assert doc.data["title"] == kept
    assert doc.data["questions"][0]["ask"] == kept
    assert type(doc.data["title"]) is str
    assert main(["check", str(minimal), "--strict"]) == 0, capsys.readouterr().out


@pytest.mark.parametrize(
    ("file", "old", "new", "key", "kept"),
    [
        ("sources.yml", 'date: "2022-04-19"', "date: 2022-04-19", ("sources", 0, "date"), "2022-04-19"),
        ("sources.yml", 'date: "2019"', "date: 2019", ("sources", 1, "date"), "2019"),
        ("sources.yml", 'value: "10%"', "value: 10%", ("statistics", 0, "value"), "10%"),
        ("launchbook.yml", 'version: "1.0.0"', "version: 1.10", ("version",), "1.10"),
        (
            "launchbook.yml",
            "name: Defined",
            "name: 2019-01-01 12:00:00",
            ("levels", 1, "name"),
            "2019-01-01 12:00:00",
        ),
    ],
)
def test_unquoted_dates_and_versions_stay_text(
    file: str, old: str, new: str, key: tuple[str | int, ...], kept: str, minimal: Path
) -> None:
    path = minimal / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    doc = loader.load_document(path, SOURCES if file == "sources.yml" else MANIFEST)
    assert doc.problems == ()
    value: Any = doc.data
    for k in key:
        value = value[k]
    assert value == kept
    assert type(value) is str
    assert main(["check", str(minimal), "--strict"]) == 0


def test_integer_field_reads_plain_integer(minimal: Path) -> None:
    doc = loader.load_document(minimal / FM, FAILURE_MODE)
    assert doc.data is not None
    assert doc.data["questions"][0]["level"] == 0
    assert type(doc.data["questions"][0]["level"]) is int


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda raw: b"\xef\xbb\xbf" + raw, id="bom-at-start"),
        pytest.param(lambda raw: raw.replace(b"\n", b"\r\n"), id="crlf-throughout"),
        pytest.param(lambda raw: b"---\n" + raw + b"...\n", id="document-markers"),
        pytest.param(
            lambda raw: raw.replace(b"title: The data is not there", b'title: "a\\tb"'), id="escaped-tab"
        ),
        pytest.param(lambda raw: b"# a comment\n" + raw + b"# trailing\n", id="comments"),
    ],
)
def test_harmless_variants_load_clean(
    edit: Callable[[bytes], bytes], minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fm = minimal / FM
    fm.write_bytes(edit(fm.read_bytes()))
    assert main(["check", str(minimal), "--strict"]) == 0, capsys.readouterr().out


def test_hostile_file_name_cannot_drive_the_terminal(
    minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fm = minimal / FM
    (fm.parent / "evil\x1b[2J\nname.yml").write_bytes(fm.read_bytes())
    assert main(["check", str(minimal)]) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err
    assert re.search(r"evil\\u001b\[2J\\u000aname\.yml:1:\d+: LB208 ", out), out
