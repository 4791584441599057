"""Text written into a structured format goes through that format's serializer or escaping
(issue 15, items 7 and 8): graph exports, the YAML that ``init`` and ``build`` write, CSV
formula cells, and the PDF's warning about characters its fonts cannot draw."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from launchbook.checklists import render, tailor
from launchbook.checklists.render import font_codepoints, missing_glyph_problems
from launchbook.cli import main
from launchbook.export import dot_string, export_graph, mermaid_label, visible_text
from launchbook.model import Playbook, load_playbook
from launchbook.serialize import yaml_scalar
from launchbook.site.build import default_config

from .support import MINIMAL

HOSTILE_TITLES = [
    'Title\nclick fm_no_data callback "x"',
    'Title\n  click fm_no_data href "javascript:alert(1)"',
    '%%{init: {"securityLevel": "loose", "theme": "dark"}}%% Title',
    "Title %% a comment\n%%{init: {}}%%",
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    'He said "hi" \\ back\\slash \\N \\G \\" end\\',
    "tab\there\x0bvt\x0cff\x1b[31mred\x7fdel\x85nel",
    "bidi \u202eevil\u202c \u2066iso\u2069 zero\u200bwidth",
    "line\u2028sep\u2029para\rcr\r\nlf",
    "#quot; #35; \ufb02\u00b0\u00b060\u00b6\u00df entity tricks",
    "`**md**` [x](javascript:alert(1)) { onclick=x }",
    "style:#fff; classDef x fill:#f00;",
    "end",
    "\u6f22\u5b57 \U0001f600 \u00e9t\u00e9",
    "\ufffe\uffff noncharacters \U000e0041 tag",
    'fm_no_data --> fm_no_plan\nfm_no_plan["injected"]',
]


@pytest.fixture(scope="module")
def pb() -> Playbook:
    res = load_playbook(MINIMAL)
    assert res.playbook is not None
    return res.playbook


def with_title(pb: Playbook, title: str) -> Playbook:
    fm = dataclasses.replace(pb.failure_modes[0], title=title)
    return dataclasses.replace(pb, failure_modes=(fm, *pb.failure_modes[1:]))


def test_visible_text_keeps_what_is_seen_on_one_line() -> None:
    assert visible_text("a\nb\tc\u202ed\x1b[0m  e ") == "a b c d [0m e"
    assert visible_text("\u6f22\u5b57 \U0001f600 caf\u00e9") == "\u6f22\u5b57 \U0001f600 caf\u00e9"


# ------------------------------------------------------------------ Mermaid
MERMAID_NODE = re.compile(r'  (fm_[A-Za-z0-9_]+)\["([A-Za-z0-9_ .,!?\'()/#;-]|[^\x00-\x7f])*"\]')
MERMAID_EDGE = re.compile(r"  fm_[A-Za-z0-9_]+ (-->|-\.->)\|[a-z#0-9;-]+\| fm_[A-Za-z0-9_]+")


def decode_mermaid(label: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label)


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_mermaid_labels_stay_one_quoted_line(pb: Playbook, title: str) -> None:
    out = export_graph(with_title(pb, title), "mermaid")
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    nodes = [ln for ln in lines[1:] if "[" in ln]
    assert len(nodes) == len(pb.failure_modes)  # one line per node: no line was added
    for ln in lines[1:]:  # every line is a node or an edge, nothing else (no click, no directive)
        assert MERMAID_NODE.fullmatch(ln) or MERMAID_EDGE.fullmatch(ln), ln
    assert "%%" not in out and "<" not in out and ">" not in out.replace("-->", "").replace("-.->", "")
    assert not any(ln.lstrip().startswith(("click", "%%", "style", "classDef")) for ln in lines)
    label = MERMAID_NODE.fullmatch(nodes[0])
    assert label is not None
    shown = decode_mermaid(nodes[0].split('["', 1)[1].removesuffix('"]'))
    assert shown == visible_text(title)  # the visible text survives, character for character


def test_mermaid_label_uses_entity_codes() -> None:
    assert mermaid_label('say "hi" <b> 100%') == "say #34;hi#34; #60;b#62; 100#37;"
    assert mermaid_label("\u6f22\u5b57 caf\u00e9") == "\u6f22\u5b57 caf\u00e9"


def test_mermaid_ids_stay_distinct_words(pb: Playbook) -> None:
    out = export_graph(pb, "mermaid")
    assert '  fm_no_data["' in out and '  fm_no_plan["' in out


# ------------------------------------------------------------------ dot
DOT_STR = r'"((?:[^"\\\n]|\\.)*)"'
DOT_NODE = re.compile(rf"  {DOT_STR} \[label={DOT_STR}\];")
DOT_EDGE = re.compile(rf"  {DOT_STR} -> {DOT_STR} \[label={DOT_STR}(, style=dashed)?\];")


def undot(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_dot_labels_are_quoted_strings(pb: Playbook, title: str) -> None:
    out = export_graph(with_title(pb, title), "dot")
    lines = out.splitlines()
    assert lines[:3] == ["digraph launchbook {", "  rankdir=LR;", "  node [shape=box, fontname=Helvetica];"]
    assert lines[-1] == "}"
    labels = []
    for ln in lines[3:-1]:
        node = DOT_NODE.fullmatch(ln)
        assert node or DOT_EDGE.fullmatch(ln), ln
        if node:
            labels.append(node.group(2))
    assert len(labels) == len(pb.failure_modes)
    assert undot(labels[0]) == visible_text(title)
    # every backslash in a label is an escape pair: no \N, \G or \l substitution, no open string
    assert re.fullmatch(r'(?:[^\\"]|\\\\|\\")*', labels[0])
    assert "<" not in out.split("[label=", 1)[1][:1]  # never an HTML-like label


def test_dot_string_escapes() -> None:
    assert dot_string('a "b" \\N\nc') == '"a \\"b\\" \\\\N c"'
    assert dot_string("end\\") == '"end\\\\"'


# ------------------------------------------------------------------ GraphML and JSON
@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_graphml_parses_and_round_trips_the_label(pb: Playbook, title: str) -> None:
    out = export_graph(with_title(pb, title), "graphml")
    root = ET.fromstring(out.encode("utf-8"))  # well-formed XML 1.0: no illegal character
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    key = next(k.get("id") for k in root.findall("g:key", ns) if k.get("attr.name") == "label")
    fm_id = pb.failure_modes[0].id
    node = next(
        n for n in root.iter("{http://graphml.graphdrawing.org/xmlns}node") if n.get("id") == f"fm:{fm_id}"
    )
    label = next(d.text for d in node.findall("g:data", ns) if d.get("key") == key)
    assert label == visible_text(title).replace("\ufffe", " ").replace("\uffff", " ")
    assert "<script>" not in out


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_json_keeps_the_exact_title(pb: Playbook, title: str) -> None:
    import json

    doc = json.loads(export_graph(with_title(pb, title), "json"))
    labels = {n["id"]: n["label"] for n in doc["nodes"]}
    assert labels[f"fm:{pb.failure_modes[0].id}"] == title


def test_graph_command_with_a_hostile_title_in_the_file(
    minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """End to end: a title the loader accepts (check refuses HTML and attribute lists in titles,
    LB220), with a comment marker, a click line, a comparison, quotes and a backslash."""
    fm = minimal / "failure-modes" / "no-data.yml"
    title = '%% click fm_no_data call alert() a < b >c "q" \\ \u202e'
    text = fm.read_text(encoding="utf-8")
    fm.write_text(
        re.sub(r"(?m)^title: .*$", lambda _: "title: " + yaml_scalar(title), text, count=1), encoding="utf-8"
    )
    assert main(["graph", str(minimal), "--format", "mermaid"]) == 0
    out = capsys.readouterr().out
    assert "%%" not in out and "<" not in out and "\u202e" not in out
    node = next(ln for ln in out.splitlines() if ln.startswith("  fm_no_data["))
    assert decode_mermaid(node.split('["', 1)[1].removesuffix('"]')) == visible_text(title)


# ------------------------------------------------------------------ YAML: the serializer
YAML_NAMES = [
    "Acme\nhooks: [x.py]",
    "Acme: Inc",
    "Acme # not a comment",
    "\"quoted\" and 'single'",
    "{{ config.site_name }} {% raw %}",
    "*alias",
    "&anchor Acme",
    "!!python/object:os.system",
    "!ENV HOME",
    "- a list?",
    "[a, b]",
    "{a: b}",
    "| literal",
    "> folded",
    "% directive",
    "@at `tick`",
    "null",
    "true",
    "1.0",
    "0x10",
    "~",
    "",
    " leading and trailing ",
    "back\\slash \\n \\u0041",
    "\u6f22\u5b57 \U0001f600 caf\u00e9",
    "bidi \u202e \u2066 \u200f",
    "nel\x85 ls\u2028 tab\t cr\r",
    "\ud800 lone surrogate",
    "...",
    "---",
    "x" * 300,
]


@pytest.mark.parametrize("text", YAML_NAMES)
def test_yaml_scalar_round_trips_on_one_line(text: str) -> None:
    out = yaml_scalar(text)
    assert "\n" not in out and out.startswith('"') and out.endswith('"')
    assert yaml.safe_load(out) == text
    assert yaml.safe_load(f"key: {out}\nother: 1\n") == {"key": text, "other": 1}
    assert not re.search(r"[\u202a-\u202e\u2066-\u2069\u200f]", out)  # bidi written as escapes


def test_yaml_scalar_matches_json_for_plain_ascii() -> None:
    import json

    for text in ("launchbook", "/tmp/some path/playbooks", 'My org\'s "site"'):
        assert yaml_scalar(text) == json.dumps(text)


def test_json_dumps_broke_astral_characters() -> None:
    """Why not json.dumps: its \\ud83d\\ude00 surrogate pair loads in YAML as two lone surrogates."""
    import json

    assert yaml.safe_load(json.dumps("\U0001f600")) != "\U0001f600"
    assert yaml.safe_load(yaml_scalar("\U0001f600")) == "\U0001f600"


DEFAULT_KEYS = set(yaml_load(default_config(Path("/p"), Path("/d"))))


@pytest.mark.parametrize("text", YAML_NAMES)
def test_default_mkdocs_config_takes_any_site_name_and_paths(text: str) -> None:
    cfg = yaml_load(default_config(Path("/pb") / text, Path("/docs") / text, site_name=text))
    assert set(cfg) == DEFAULT_KEYS  # no key added
    assert cfg["site_name"] == text
    assert cfg["docs_dir"] == str(Path("/docs") / text)
    plugin = next(p for p in cfg["plugins"] if isinstance(p, dict))
    assert plugin == {"launchbook": {"playbooks": str(Path("/pb") / text)}}


INIT_NAMES = [
    n
    for n in YAML_NAMES
    if n.strip() and not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u202e\u2066\u200f\ud800]", n)
]
INIT_NAMES += [
    "Acme @@ROLE@@ @@TITLE_YAML@@",
    "1. Acme",
    "# Acme",
    "Acme <script>alert(1)</script> {: onclick=x }",
]


@pytest.mark.parametrize("name", INIT_NAMES)
def test_init_name_round_trips_and_adds_no_key(tmp_path: Path, name: str) -> None:
    from launchbook.fork.init import init_fork

    init_fork(tmp_path / "fork", name=name)
    fork = yaml.safe_load((tmp_path / "fork" / "fork.yml").read_text(encoding="utf-8"))
    assert set(fork) == {"name", "title", "upstream", "overlay", "base"}
    assert fork["name"] == name
    assert fork["title"] == f"{name} ML launch playbooks"
    mk = yaml_load((tmp_path / "fork" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert set(mk) == DEFAULT_KEYS and "hooks" not in mk
    assert mk["site_name"] == f"{name} ML launch playbooks"
    readme = (tmp_path / "fork" / "README.md").read_text(encoding="utf-8")
    assert "<script" not in readme and "](" not in readme.split("\n", 3)[2]


def test_init_names_are_markdown_text_in_the_fork_pages(tmp_path: Path) -> None:
    from markdown import markdown

    from launchbook.fork.init import init_fork

    name = "1. Acme <b>bold</b> [x](javascript:alert(1)) {: onclick=x } *em* `c` #h |t|"
    init_fork(tmp_path / "fork", name=name)
    index = (tmp_path / "fork" / "docs" / "index.md").read_text(encoding="utf-8")
    html = markdown(index.split("<!--", 1)[0], extensions=["attr_list", "md_in_html", "tables"])
    assert "<b>" not in html and "<a" not in html and "<em>" not in html
    assert not re.search(r"<[^>]*onclick", html)  # the attribute list stays text
    assert "<code>" not in html and "<ol>" not in html
    import html as html_mod

    assert name in html_mod.unescape(re.sub(r"<[^>]+>", "", html))  # the same visible text


CONTROL_NAMES = [
    "Acme\nhooks: [x.py]",
    "Acme\r\nhooks: [x.py]",
    "Acme\thooks",
    "Acme\x1b[31m",
    "Acme\x00",
    "Acme\x85next",
    "Acme\u2028next",
    *[f"Acme {chr(c)} Inc" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)],
]


@pytest.mark.parametrize("name", CONTROL_NAMES)
def test_init_refuses_a_name_with_control_characters(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "fork"
    assert main(["init", str(target), "--name", name]) == 2
    err = capsys.readouterr().err
    assert "--name" in err and "U+" in err and "control or invisible characters" in err
    assert not target.exists()  # nothing was written
    assert "\x1b" not in err and "\u202e" not in err


def test_init_refuses_a_folder_name_with_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "acme\nhooks: [x.py]"
    assert main(["init", str(target)]) == 2
    assert "comes from the folder" in capsys.readouterr().err
    assert not target.exists()


# ------------------------------------------------------------------ CSV formula cells
FORMULAS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    ' =HYPERLINK("http://x")',
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_neutralises_formula_cells(pb: Playbook, formula: str) -> None:
    fm = pb.failure_modes[1]
    q = dataclasses.replace(fm.questions[0], ask=formula)
    fm2 = dataclasses.replace(fm, title=formula, questions=(q, *fm.questions[1:]))
    role = dataclasses.replace(pb.roles[1], name=formula)
    src = dataclasses.replace(pb.sources[0], title=formula)
    phases = tuple(dataclasses.replace(p, title=formula) for p in pb.manifest.phases)
    pb2 = dataclasses.replace(
        pb,
        failure_modes=(pb.failure_modes[0], fm2),
        roles=(pb.roles[0], role, *pb.roles[2:]),
        sources=(src, *pb.sources[1:]),
        manifest=dataclasses.replace(pb.manifest, phases=phases),
    )
    rows = list(csv.reader(io.StringIO(render(pb2, tailor(pb2, "kickoff"), "csv").decode())))
    cells = [c for row in rows[1:] for c in row]
    assert cells and not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    hostile = [c for c in cells if c.lstrip("'").strip() == formula.strip()]
    assert len(hostile) >= 3  # title, phase, owner at least: each kept, behind a quote
    assert all(c == "'" + formula.strip() for c in hostile)


# ------------------------------------------------------------------ PDF glyph warning
def test_no_glyph_warning_for_the_shipped_texts(pb: Playbook) -> None:
    assert missing_glyph_problems(pb, tailor(pb, "kickoff")) == []
    assert ord("\u00e9") in font_codepoints() and ord("\u6f22") not in font_codepoints()


@pytest.mark.pdf
def test_pdf_warns_about_characters_the_fonts_lack(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fm = minimal / "failure-modes" / "no-plan.yml"
    fm.write_text(
        fm.read_text(encoding="utf-8")
        .replace(
            "title: Nobody planned the path to production", "title: \u8ba1\u5212 Nobody planned \U0001f680"
        )
        .replace("ask: Is there a written path to production?", "ask: Is there a plan? \u2705"),
        encoding="utf-8",
    )
    res = load_playbook(minimal)
    assert res.playbook is not None
    t = tailor(res.playbook, "kickoff")
    problems = missing_glyph_problems(res.playbook, t)
    assert {p.code for p in problems} == {"LB801"} and {p.level for p in problems} == {"warning"}
    by_what = {p.message.split(" has ")[0]: p for p in problems}
    title = by_what["the failure mode 'no-plan' title"]
    assert title.path.endswith("no-plan.yml") and title.line == 2
    assert "'\u8ba1' (U+8BA1)" in title.message and "(U+1F680)" in title.message
    ask = by_what["the question 'plan-written' ask"]
    assert ask.line == 13 and "(U+2705)" in ask.message
    pdf = render(res.playbook, t, "pdf")
    assert pdf.startswith(b"%PDF")  # the PDF is still written
    err = capsys.readouterr().err
    assert err.count(": LB801 ") == len(problems) and "no-plan.yml:2:" in err and "[warning]" in err
    render(res.playbook, t, "pdf", "letter")  # the letter PDF prints the same texts: no repeat
    assert ": LB801 " not in capsys.readouterr().err


def test_lb801_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "LB801"]) == 0
    assert "pdf-missing-glyphs (warning)" in capsys.readouterr().out


@pytest.mark.parametrize("title", ["Acme\nhooks: [x.py]", "*a &b !ENV {{ x }} # c: d", "\U0001f600 \u202e"])
@pytest.mark.pdf
def test_generate_writes_mkdocs_yml_through_the_serializer(pb: Playbook, tmp_path: Path, title: str) -> None:
    from launchbook.site.generate import generate

    generate(pb, tmp_path / "out", site_name=title)
    cfg = yaml_load((tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert cfg["site_name"] == title and "hooks" not in cfg
