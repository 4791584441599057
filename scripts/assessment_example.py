"""Refresh the outputs shown in docs/tutorials/assessment.md (the worked example of `launchbook assess`).

Every block of that page between ``<!-- example: ARGS -->`` and ``<!-- /example -->`` is replaced by
the output of ``launchbook ARGS`` run from the repository root, in a fenced ``text`` block (or as is,
for ``--format md``, its headings two levels down). To show another command, add an empty marker pair and run:

    .venv/bin/python scripts/assessment_example.py          # rewrite the page
    .venv/bin/python scripts/assessment_example.py --check  # exit 1 when the page is out of date
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "tutorials" / "assessment.md"
BLOCK = re.compile(r"(<!-- example: (?P<args>[^\n]*?) -->\n)(?P<body>.*?)(<!-- /example -->)", re.S)


def run(args: list[str]) -> str:
    """``launchbook args`` in this process, from the repository root: its standard output."""
    from launchbook.cli import main

    out = io.StringIO()
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main(args)
    finally:
        os.chdir(cwd)
    if code not in (0, 1):
        raise SystemExit(f"launchbook {shlex.join(args)} exited {code}")
    return out.getvalue()


def scroller(label: str, body: str, markdown: bool = False) -> str:
    """``body`` in a region that scrolls sideways on a phone, reachable by keyboard (axe:
    scrollable-region-focusable); ``markdown`` when the body is Markdown (md_in_html)."""
    attr = ' markdown="1"' if markdown else ""
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    inner = f"\n{body}\n" if markdown else body
    return f'<div class="lb-scroll" tabindex="0" role="region" aria-label="{label}"{attr}>\n{inner}\n</div>'


def for_the_page(md: str) -> str:
    """A ``--format md`` report as part of this page: its headings go under the page's own (# -> ###),
    its charts and tables scroll sideways in focusable regions instead of widening the page."""
    md = re.sub(r"^(#{1,4}) ", r"##\1 ", md, flags=re.M)
    out: list[str] = []
    heading = "Table"
    lines = md.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.startswith("<svg"):
            j = next(k for k in range(i, len(lines)) if lines[k].startswith("</svg>"))
            block = "\n".join(lines[i : j + 1])
            title = re.search(r"<title[^>]*>(.*?)</title>", block)
            out.append(scroller(title.group(1) if title else heading, block))
            i = j + 1
            continue
        if line.startswith("|"):
            j = i
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            out.append(scroller(heading, "\n".join(lines[i:j]), markdown=True))
            i = j
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def refresh(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        args = shlex.split(m.group("args"))
        output = run(args).rstrip("\n")
        fmt = args[args.index("--format") + 1] if "--format" in args else "text"
        if fmt == "md":
            output = for_the_page(output)
        body = f"{output}\n" if fmt == "md" else f"```text\n{output}\n```\n"
        return m.group(1) + body + m.group(4)

    return BLOCK.sub(one, text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only say whether the page is up to date")
    opts = ap.parse_args(argv)
    old = PAGE.read_text(encoding="utf-8")
    new = refresh(old)
    if opts.check:
        if new != old:
            print(
                f"{PAGE.relative_to(ROOT)} is out of date: run scripts/assessment_example.py", file=sys.stderr
            )
            return 1
        return 0
    PAGE.write_text(new, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
