"""Benchmark: the site at scale (issue 11), against plain MkDocs building the same number of pages.

    .venv/bin/python scripts/bench_site.py [--runs 3] [--keep DIR] [-o benchmarks/site.json]

What it builds, each in its own process from an empty working folder:

- ``launchbook N``: ``launchbook build --config`` of N synthetic failure modes
  (``scripts/make_synthetic.py N --seed 7``) with the plugin's ``pdf: false``, so
  checklist PDFs (about 0.5 s each, twice per checklist) do not drown page rendering;
  the rest of the config is ``launchbook build``'s default (``site.config``). The time
  includes everything ``launchbook build`` does: load and check the playbooks,
  generate the pages, MkDocs + Material, the post-build link check and the swap.
- ``plain-generated N``: plain ``mkdocs build`` (no plugin) of ``launchbook generate``
  output for the same playbooks: the same pages, the same pruned nav (written with
  checklist PDFs left out, as in the build above).
- ``plain-lorem N``: plain ``mkdocs build`` of as many lorem-ipsum Markdown pages of
  the same mean Markdown size, with a nav of section pages only.

Builds that are compared run in the same rounds, interleaved (the order rotates per
round), because the machine may be busy: each is timed ``--runs`` times and the
minimum and median wall time and CPU time (user + sys of the child) are reported.
Sizes are the apparent bytes of every file in the built site. Targets:

1. launchbook 1000 at most 1.3x the time and 1.5x the size of plain-generated 1000;
2. mean failure-mode page (failure-modes/*/index.html) at 500 at most 1.3x the one at 50;
3. launchbook 1000 at most 12x the time of launchbook 100.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SEED = 7
TIMED = (100, 1000)  # launchbook builds timed --runs times
ONCE = (50, 500)  # launchbook builds run once, for page sizes
BASE_N = 1000  # the size the plain-MkDocs baselines are built at
TARGET_TIME = 1.3
TARGET_SIZE = 1.5
TARGET_PAGE = 1.3
TARGET_GROWTH = 12.0

LOREM = [
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
    "et",
    "dolore",
    "magna",
    "aliqua",
    "enim",
    "ad",
    "minim",
    "veniam",
    "quis",
    "nostrud",
    "exercitation",
    "ullamco",
    "laboris",
    "nisi",
    "aliquip",
    "ex",
    "ea",
    "commodo",
    "consequat",
    "duis",
    "aute",
    "irure",
    "in",
    "reprehenderit",
    "voluptate",
    "velit",
    "esse",
    "cillum",
    "fugiat",
    "nulla",
    "pariatur",
]


CHECK = (
    "import sys; from pathlib import Path\n"
    "from launchbook.site.linkcheck import check_site\n"
    "assert not check_site(Path(sys.argv[1]))\n"
)


def env(**extra: str) -> dict[str, str]:
    e = dict(os.environ)
    e["NO_MKDOCS_2_WARNING"] = "1"
    e["PATH"] = f"{BIN}{os.pathsep}{e.get('PATH', '')}"
    e.update(extra)
    return e


def run(cmd: list[str], cwd: Path, **extra: str) -> tuple[float, float]:
    """Run ``cmd`` (``extra``: further environment variables); return (wall seconds, child CPU
    seconds). Fails loudly on a non-zero exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env(**extra), capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def fm_page_bytes(site: Path) -> tuple[int, float]:
    sizes = [p.stat().st_size for p in (site / "failure-modes").glob("*/index.html")]
    return len(sizes), statistics.mean(sizes)


def make_playbooks(n: int, pb: Path, cwd: Path) -> None:
    """``n`` synthetic failure modes into ``pb`` (``scripts/make_synthetic.py``, seed :data:`SEED`)."""
    script = ROOT / "scripts" / "make_synthetic.py"
    run([sys.executable, str(script), str(n), "-o", str(pb), "--seed", str(SEED)], cwd)


def launchbook_config(pb: Path, docs: Path) -> str:
    """``launchbook build``'s default config with the plugin's ``pdf: false``."""
    from launchbook.site.config import config_text, site_config

    return config_text(site_config("launchbook", str(docs), plugin={"playbooks": str(pb), "pdf": False}))


def generate_plain(pb: Path, out: Path) -> None:
    """``launchbook generate`` without the checklist downloads (PDFs are off in the build too)."""
    code = (
        "import sys; from pathlib import Path\n"
        "import launchbook.site.generate as g\n"
        "from launchbook.site.content import load_checked\n"
        "g.write_checklists = lambda *_: 0\n"
        "g.generate(load_checked(Path(sys.argv[1])), Path(sys.argv[2]))\n"
    )
    run([sys.executable, "-c", code, str(pb), str(out)], cwd=out.parent)


def lorem_site(like: Path, out: Path, n_pages: int, sections: int = 8) -> float:
    """``n_pages`` lorem-ipsum pages, each about the mean size of ``like``'s failure-mode Markdown;
    the nav lists section pages only. Returns the mean page size in bytes."""
    import yaml

    sizes = [p.stat().st_size for p in (like / "docs" / "failure-modes").glob("*.md")]
    target = int(statistics.mean(sizes))
    rng = random.Random(SEED)
    docs = out / "docs"
    if out.exists():
        shutil.rmtree(out)
    docs.mkdir(parents=True)

    def words(k: int) -> str:
        return " ".join(rng.choice(LOREM) for _ in range(k))

    written = []
    nav: list[object] = [{"Home": "index.md"}]
    (docs / "index.md").write_text("# Home\n\n" + words(80) + "\n", encoding="utf-8")
    per = n_pages // sections
    for s in range(sections):
        sec = docs / f"section-{s}"
        sec.mkdir()
        links = []
        for i in range(per):
            parts = [f"# {words(5).capitalize()}\n", words(40) + ".\n"]
            heading = 0
            while sum(len(p) + 1 for p in parts) < target:
                heading += 1
                parts.append(f"## {words(3).capitalize()} {{ #h{heading} }}\n")
                parts.append(words(60) + ".\n")
                parts.append("\n".join(f"- {words(12)}" for _ in range(4)) + "\n")
            page = "\n".join(parts)
            (sec / f"page-{i}.md").write_text(page, encoding="utf-8")
            written.append(len(page.encode("utf-8")))
            links.append(f"- [{i}](page-{i}.md)")
        (sec / "index.md").write_text(f"# Section {s}\n\n" + "\n".join(links) + "\n", encoding="utf-8")
        nav.append({f"Section {s}": f"section-{s}/index.md"})
    config = yaml.safe_load((like / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("extra_css", "extra_javascript"):
        config.pop(key, None)
    config["site_name"] = "lorem"
    config["nav"] = nav
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return statistics.mean(written)


def summary(times: list[tuple[float, float]]) -> dict[str, object]:
    walls = [w for w, _ in times]
    cpus = [c for _, c in times]
    return {
        "wall_s": [round(w, 2) for w in walls],
        "cpu_s": [round(c, 2) for c in cpus],
        "wall_min_s": round(min(walls), 2),
        "wall_median_s": round(statistics.median(walls), 2),
        "cpu_min_s": round(min(cpus), 2),
        "cpu_median_s": round(statistics.median(cpus), 2),
    }


def versions() -> dict[str, str]:
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for dist in ("launchbook", "mkdocs", "mkdocs-material", "Markdown", "networkx", "Jinja2"):
        try:
            out[dist] = version(dist)
        except Exception:  # an absent package is reported, not fatal
            out[dist] = "?"
    return out


def machine() -> dict[str, object]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "src"], cwd=ROOT, capture_output=True, text=True)
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
        "git": commit.stdout.strip() + (" (src modified)" if dirty.stdout.strip() else ""),
    }


# ------------------------------------------------------------------ the bundled site with PDFs (issue 21)
TARGET_COLD = 2.5  # cold launchbook build (empty PDF cache) vs plain mkdocs build of generate's output
TARGET_REBUILD = 1.4  # rebuild with nothing changed vs the same


def rotated(names: list[str], r: int) -> list[str]:
    return names[r % len(names) :] + names[: r % len(names)]


def bench_bundled(work: Path, runs: int, src: str | None, base_src: str | None = None) -> dict[str, object]:
    """``launchbook build`` of the bundled playbooks with PDFs on (the default config), cold (an
    empty PDF cache, no previous site) and rebuilt with nothing changed (the cache and the site of
    the previous build), against plain ``mkdocs build`` of ``launchbook generate``'s output.
    Whole-process wall times, the three interleaved per round, the order rotated. ``base_src``:
    two more builds in the same rounds with that source folder, its rebuild ("rebuild-base") and
    its cold build ("cold-base"), so a change is measured against the tree before it."""
    extra = {"PYTHONPATH": src} if src else {}
    cwd = work / "cwd-bundled"  # empty: the bundled playbooks, the default config
    cwd.mkdir(parents=True, exist_ok=True)
    gen = work / "generated-bundled"
    run([str(BIN / "launchbook"), "generate", "-o", str(gen)], cwd, **extra)
    lb = str(BIN / "launchbook")
    warm, cold = work / "cache-warm", work / "cache-cold"
    site, cold_site, plain_site = work / "site-rebuilt", work / "site-cold", work / "site-plain"
    run([lb, "build", "-o", str(site)], cwd, XDG_CACHE_HOME=str(warm), **extra)  # fills the cache
    times: dict[str, list[tuple[float, float]]] = {"cold": [], "rebuild": [], "plain": []}
    base_env = {"XDG_CACHE_HOME": str(work / "cache-base"), "PYTHONPATH": base_src or ""}
    if base_src:
        run([lb, "build", "-o", str(work / "site-base")], cwd, **base_env)  # fills its cache
        times["rebuild-base"] = []
        times["cold-base"] = []
    for r in range(runs):
        for kind in rotated(list(times), r):
            if kind.endswith("-base"):
                out = work / ("site-base" if kind == "rebuild-base" else "site-cold-base")
                env_base = dict(base_env)
                if kind == "cold-base":
                    shutil.rmtree(work / "cache-cold-base", ignore_errors=True)
                    shutil.rmtree(out, ignore_errors=True)
                    env_base["XDG_CACHE_HOME"] = str(work / "cache-cold-base")
                times[kind].append(run([lb, "build", "-o", str(out)], cwd, **env_base))
                print(f"round {r + 1}: bundled {kind:<8} {times[kind][-1][0]:6.2f} s", file=sys.stderr)
                continue
            if kind == "cold":
                shutil.rmtree(cold, ignore_errors=True)
                shutil.rmtree(cold_site, ignore_errors=True)
                cmd, env_extra = [lb, "build", "-o", str(cold_site)], {"XDG_CACHE_HOME": str(cold)}
            elif kind == "rebuild":
                cmd, env_extra = [lb, "build", "-o", str(site)], {"XDG_CACHE_HOME": str(warm)}
            else:
                shutil.rmtree(plain_site, ignore_errors=True)
                cmd = [
                    str(BIN / "mkdocs"),
                    "build",
                    "-q",
                    "-f",
                    str(gen / "mkdocs.yml"),
                    "-d",
                    str(plain_site),
                ]
                env_extra = {}
            times[kind].append(run(cmd, cwd, **extra, **env_extra))
            print(f"round {r + 1}: bundled {kind:<8} {times[kind][-1][0]:6.2f} s", file=sys.stderr)
    rows = {k: summary(v) for k, v in times.items()}
    plain = statistics.median(w for w, _ in times["plain"])
    pdfs = sorted(p.name for p in (cold_site / "checklists").glob("*.pdf"))
    same = all(
        (site / "checklists" / n).read_bytes() == (cold_site / "checklists" / n).read_bytes() for n in pdfs
    )
    return {
        "builds": rows,
        "pdfs": len(pdfs),
        "rebuilt_pdfs_equal_cold_pdfs": same,
        "per_round_ratio": {
            k: [round(w / p, 3) for (w, _), (p, _) in zip(times[k], times["plain"], strict=True)]
            for k in times
            if k != "plain"
        },
        "targets": {
            "cold_vs_plain": {
                "target": TARGET_COLD,
                "ratio_median_wall": round(statistics.median(w for w, _ in times["cold"]) / plain, 3),
            },
            "rebuild_vs_plain": {
                "target": TARGET_REBUILD,
                "ratio_median_wall": round(statistics.median(w for w, _ in times["rebuild"]) / plain, 3),
            },
        },
    }


def bench_sources(work: Path, runs: int, sources: dict[str, str], n: int = BASE_N) -> dict[str, object]:
    """``launchbook build`` (``pdf: false``) of ``n`` synthetic failure modes with each launchbook
    source tree of ``sources`` (name -> src folder, put first on PYTHONPATH), interleaved per round,
    with plain ``mkdocs build`` of the same pages alongside: how a change of implementation (the link
    check's page reader) moves whole-build time."""
    cwd = work / "cwd"
    cwd.mkdir(parents=True, exist_ok=True)
    empty_docs = work / "empty-docs"
    empty_docs.mkdir(exist_ok=True)
    pb = work / f"pb{n}"
    if not pb.is_dir():
        make_playbooks(n, pb, cwd)
    cfg = work / f"launchbook-{n}.yml"
    cfg.write_text(launchbook_config(pb, empty_docs), encoding="utf-8")
    gen = work / f"generated-{n}"
    if not gen.is_dir():
        generate_plain(pb, gen)
    cmds: dict[str, tuple[list[str], dict[str, str]]] = {
        name: (
            [str(BIN / "launchbook"), "build", "-o", str(work / f"site-{name}"), "--config", str(cfg)],
            {"PYTHONPATH": src},
        )
        for name, src in sources.items()
    }
    cmds["plain"] = (
        [str(BIN / "mkdocs"), "build", "-q", "-f", str(gen / "mkdocs.yml"), "-d", str(work / "site-plain")],
        {},
    )
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
    for r in range(runs):
        for name in rotated(list(cmds), r):
            cmd, extra = cmds[name]
            shutil.rmtree(cmd[-1] if name == "plain" else cmd[3], ignore_errors=True)  # the output folder
            times[name].append(run(cmd, cwd, **extra))
            print(
                f"round {r + 1}: {name:<10} {times[name][-1][0]:6.1f} s wall {times[name][-1][1]:6.1f} s cpu",
                file=sys.stderr,
            )
    return {"failure_modes": n, "sources": sources, "builds": {k: summary(v) for k, v in times.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", help="work folder to keep (default: a temporary folder, removed)")
    ap.add_argument("-o", "--output", default=str(ROOT / "benchmarks" / "site.json"))
    ap.add_argument(
        "--bundled", action="store_true", help="only the bundled site with PDFs, cold and rebuilt"
    )
    ap.add_argument("--label", default="after", help="--bundled: the name the figures are kept under")
    ap.add_argument("--src", help="--bundled: a launchbook source folder to put first on PYTHONPATH")
    ap.add_argument(
        "--base-src", help="--bundled: also time the rebuild with this source folder, interleaved"
    )
    ap.add_argument(
        "--compare-src",
        action="append",
        default=[],
        metavar="NAME=SRC",
        help="only launchbook build of 1,000 failure modes with each source folder, interleaved",
    )
    args = ap.parse_args(argv)
    if args.bundled or args.compare_src:
        return main_variants(args)

    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="bench-site-"))
    work.mkdir(parents=True, exist_ok=True)
    cwd = work / "cwd"  # an empty working folder for every build
    cwd.mkdir(exist_ok=True)
    empty_docs = work / "empty-docs"
    empty_docs.mkdir(exist_ok=True)
    info = {"machine": machine(), "versions": versions()}
    started = time.perf_counter()
    try:
        builds: dict[str, tuple[list[str], Path]] = {}
        for n in sorted({*TIMED, *ONCE, BASE_N}):
            pb = work / f"pb{n}"
            make_playbooks(n, pb, cwd)
            cfg = work / f"launchbook-{n}.yml"
            cfg.write_text(launchbook_config(pb, empty_docs), encoding="utf-8")
            out = work / f"site-launchbook-{n}"
            builds[f"launchbook {n}"] = (
                [str(BIN / "launchbook"), "build", "-o", str(out), "--config", str(cfg)],
                out,
            )
        gen = work / f"generated-{BASE_N}"
        generate_plain(work / f"pb{BASE_N}", gen)
        out = work / f"site-plain-generated-{BASE_N}"
        builds[f"plain-generated {BASE_N}"] = (
            [str(BIN / "mkdocs"), "build", "-q", "-f", str(gen / "mkdocs.yml"), "-d", str(out)],
            out,
        )
        n_pages = sum(1 for _ in (gen / "docs").rglob("*.md"))
        lorem = work / f"lorem-{BASE_N}"
        lorem_mean = lorem_site(gen, lorem, n_pages)
        out = work / f"site-plain-lorem-{BASE_N}"
        builds[f"plain-lorem {BASE_N}"] = (
            [str(BIN / "mkdocs"), "build", "-q", "-f", str(lorem / "mkdocs.yml"), "-d", str(out)],
            out,
        )

        timed = [f"launchbook {BASE_N}", f"plain-generated {BASE_N}", f"plain-lorem {BASE_N}"]
        timed += [f"launchbook {n}" for n in TIMED if n != BASE_N]
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in builds}
        check: list[tuple[float, float]] = []
        for n in ONCE:  # sizes only (and one time each, for the record)
            name = f"launchbook {n}"
            cmd, out = builds[name]
            shutil.rmtree(out, ignore_errors=True)
            times[name].append(run(cmd, cwd))
            print(f"{name:<24} {times[name][-1][0]:7.1f} s", file=sys.stderr)
        for r in range(args.runs):
            order = timed[r % len(timed) :] + timed[: r % len(timed)]
            for name in order:
                cmd, out = builds[name]
                shutil.rmtree(out, ignore_errors=True)  # no build pays for removing the last one
                times[name].append(run(cmd, cwd))
                wall, cpu = times[name][-1]
                print(f"round {r + 1}: {name:<24} {wall:7.1f} s wall {cpu:7.1f} s cpu", file=sys.stderr)
            # the post-build link check alone, on the site just built: its share of the build above
            check.append(run([sys.executable, "-c", CHECK, str(builds[f"launchbook {BASE_N}"][1])], cwd))
            print(f"round {r + 1}: {'link check only':<24} {check[-1][0]:7.1f} s wall", file=sys.stderr)

        results: dict[str, dict[str, object]] = {}
        for name, (_, out) in builds.items():
            row: dict[str, object] = summary(times[name])
            row["runs"] = len(times[name])
            row["html_pages"] = sum(1 for _ in out.rglob("*.html"))
            row["site_bytes"] = tree_bytes(out)
            if name.startswith("launchbook"):
                count, mean = fm_page_bytes(out)
                row["failure_mode_pages"] = count
                row["failure_mode_page_mean_bytes"] = round(mean)
            results[name] = row
        results[f"plain-lorem {BASE_N}"]["markdown_page_mean_bytes"] = round(lorem_mean)
        link_check = {**summary(check), "runs": len(check), "note": "check_site() alone, in its own process"}

        lb, plain = results[f"launchbook {BASE_N}"], results[f"plain-generated {BASE_N}"]
        lorem_row = results[f"plain-lorem {BASE_N}"]
        small = results[f"launchbook {TIMED[0]}"]

        def ratio(a: dict[str, object], b: dict[str, object], key: str) -> float:
            return round(float(a[key]) / float(b[key]), 3)  # type: ignore[arg-type]

        targets = {
            "1_time_vs_plain_mkdocs": {
                "target": TARGET_TIME,
                "ratio_median_wall": ratio(lb, plain, "wall_median_s"),
                "ratio_min_wall": ratio(lb, plain, "wall_min_s"),
                "ratio_median_cpu": ratio(lb, plain, "cpu_median_s"),
                "vs_lorem_ratio_median_wall": ratio(lb, lorem_row, "wall_median_s"),
            },
            "1_size_vs_plain_mkdocs": {
                "target": TARGET_SIZE,
                "ratio": ratio(lb, plain, "site_bytes"),
                "vs_lorem_ratio": ratio(lb, lorem_row, "site_bytes"),
            },
            "2_fm_page_500_vs_50": {
                "target": TARGET_PAGE,
                "ratio": ratio(
                    results[f"launchbook {ONCE[1]}"],
                    results[f"launchbook {ONCE[0]}"],
                    "failure_mode_page_mean_bytes",
                ),
            },
            "3_time_1000_vs_100": {
                "target": TARGET_GROWTH,
                "ratio_median_wall": ratio(lb, small, "wall_median_s"),
                "ratio_min_wall": ratio(lb, small, "wall_min_s"),
                "ratio_median_cpu": ratio(lb, small, "cpu_median_s"),
            },
        }
        for t in targets.values():
            key = "ratio_median_wall" if "ratio_median_wall" in t else "ratio"
            t["met"] = t[key] <= t["target"]
        info["machine"]["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]  # type: ignore[index]
        doc = {
            "benchmark": "site build at scale (issue 11): launchbook build (pdf: false) vs plain mkdocs build",
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            **info,
            "seed": SEED,
            "runs": args.runs,
            "total_seconds": round(time.perf_counter() - started, 1),
            "targets": targets,
            "builds": results,
            f"link_check_only_launchbook_{BASE_N}": link_check,
        }
        out_file = Path(args.output)
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        print(table(doc))
        print(f"wrote {out_file}", file=sys.stderr)
        return 0 if all(t["met"] for t in targets.values()) else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def main_variants(args: argparse.Namespace) -> int:
    """``--bundled`` and ``--compare-src``: figures merged into their own JSON files under the label."""
    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="bench-site-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    info = {"machine": machine(), "versions": versions()}
    try:
        if args.bundled:
            name, figures = "site-bundled.json", bench_bundled(work, args.runs, args.src, args.base_src)
        else:
            sources = dict(item.split("=", 1) for item in args.compare_src)
            name, figures = "linkcheck-reader.json", bench_sources(work, args.runs, sources)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    info["machine"]["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]  # type: ignore[index]
    out_file = ROOT / "benchmarks" / name
    doc = json.loads(out_file.read_text(encoding="utf-8")) if out_file.is_file() else {}
    doc[args.label] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **info,
        "runs": args.runs,
        "total_seconds": round(time.perf_counter() - started, 1),
        **figures,
    }
    out_file.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    print(f"wrote {out_file}", file=sys.stderr)
    return 0


def table(doc: dict[str, object]) -> str:
    """The README table (Markdown)."""
    b: dict[str, dict[str, object]] = doc["builds"]  # type: ignore[assignment]
    t: dict[str, dict[str, object]] = doc["targets"]  # type: ignore[assignment]
    lines = [
        "| Build | Pages | Wall min / median (s) | Site size (MB) | Failure-mode page (KB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in b.items():
        page = row.get("failure_mode_page_mean_bytes")
        lines.append(
            f"| {name} | {row['html_pages']} | {row['wall_min_s']} / {row['wall_median_s']} "
            f"| {int(row['site_bytes']) / 1e6:.1f} | {int(page) / 1e3:.1f} |"  # type: ignore[call-overload]
            if page
            else f"| {name} | {row['html_pages']} | {row['wall_min_s']} / {row['wall_median_s']} "
            f"| {int(row['site_bytes']) / 1e6:.1f} | |"  # type: ignore[call-overload]
        )
    chk = doc.get(f"link_check_only_launchbook_{BASE_N}")
    if isinstance(chk, dict):
        lines.append(
            f"| link check alone, on launchbook {BASE_N}'s site | | {chk['wall_min_s']} / {chk['wall_median_s']} | | |"
        )
    lines += ["", "| Target | Goal | Measured | Met |", "|---|---:|---:|:---:|"]
    labels = {
        "1_time_vs_plain_mkdocs": "1,000 FMs: build time vs plain `mkdocs build` of the same pages",
        "1_size_vs_plain_mkdocs": "1,000 FMs: site size vs plain `mkdocs build`",
        "2_fm_page_500_vs_50": "Mean failure-mode page, 500 vs 50 FMs",
        "3_time_1000_vs_100": "Build time, 1,000 vs 100 FMs",
    }
    for key, row in t.items():
        measured = row.get("ratio_median_wall", row.get("ratio"))
        lines.append(
            f"| {labels[key]} | ≤ {row['target']}x | {measured}x | {'yes' if row['met'] else 'no'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
