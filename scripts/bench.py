"""Benchmark launchbook on synthetic playbook sets of 100, 1,000 and 10,000 failure modes.

    python scripts/bench.py                       # the full run (about 10 minutes on 2 cores)
    python scripts/bench.py --sizes 100,1000      # a quick run
    python scripts/bench.py --sizes 100 --no-write  # print only

Every figure is a whole process (start-up included), timed with ``time.perf_counter``
around the child and repeated; its peak memory is the child's own ``ru_maxrss`` (from
``os.wait4``). For each size N the same generated files (scripts/make_synthetic.py, fixed
seed) are used by:

- ``parse``: the floor, a separate Python process that ``yaml.load``\\ s every file with
  PyYAML's ``CSafeLoader`` (no checks at all);
- ``check``: ``launchbook check`` with an empty result cache (a first run);
- ``recheck``: ``launchbook check`` again with nothing changed (served by the cache);
- ``graph``: ``launchbook graph --format json > /dev/null``;
- ``plan``: ``launchbook plan``;
- ``build``: ``launchbook build`` (N = 100 and 1,000 only);
- ``checklist_pdf``: ``launchbook checklist NAME --format pdf -o x.pdf``.

Results go to benchmarks/results.json, and a table to README.md between the
``<!-- bench:start -->`` and ``<!-- bench:end -->`` markers (added under a "## Performance"
heading at the end when absent). Targets: check within 1.25x parse at 10,000 and under
1 GB; recheck under 1 s; check at 10,000 at most 12x check at 1,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.json"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SEED = 1

PARSE = """
import sys
from pathlib import Path
import yaml
root = Path(sys.argv[1])
files = [root / n for n in ("launchbook.yml", "roles.yml", "sources.yml")]
files += sorted((root / "failure-modes").glob("*.yml")) + sorted((root / "checklists").glob("*.yml"))
for path in files:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
print(len(files))
"""


def run_once(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        raise Failed(f"exit {proc.returncode}: {' '.join(cmd)}\n{err.decode(errors='replace')[-2000:]}")
    return wall, usage.ru_maxrss / 1024  # Linux: KiB


class Failed(Exception):
    """A benchmarked command exited with an error."""


def measure(
    name: str, cmd: list[str], env: dict[str, str], cwd: Path, runs: int, before: Any = None
) -> dict[str, Any]:
    walls, peaks = [], []
    for _ in range(runs):
        if before is not None:
            before()
        try:
            wall, peak = run_once(cmd, env, cwd)
        except Failed as exc:
            print(f"  {name:<14} FAILED: {exc}")
            return {"failed": str(exc)}
        walls.append(wall)
        peaks.append(peak)
    out = {
        "runs": [round(w, 3) for w in walls],
        "min_s": round(min(walls), 3),
        "median_s": round(statistics.median(walls), 3),
        "peak_mib": round(max(peaks), 1),
    }
    print(
        f"  {name:<14} min {out['min_s']:8.3f} s  median {out['median_s']:8.3f} s  peak {out['peak_mib']:7.1f} MiB"
    )
    return out


def bench_size(n: int, work: Path, repeat: int) -> dict[str, Any]:
    folder = work / f"playbooks-{n}"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_synthetic.py"),
            str(n),
            "-o",
            str(folder),
            "--seed",
            str(SEED),
        ],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    size = sum(p.stat().st_size for p in folder.rglob("*.yml"))
    files = len(list(folder.rglob("*.yml")))
    print(f"N={n}: {files} files, {size / 1e6:.1f} MB")
    cache = work / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    env.pop("LAUNCHBOOK_NO_CACHE", None)
    lb = [str(Path(sys.executable).parent / "launchbook")]  # the console script, as users run it
    runs = repeat if n < 10_000 else max(2, repeat - 2)

    def clear_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    out: dict[str, Any] = {"files": files, "bytes": size, "figures": {}}
    fig = out["figures"]
    # parse and check alternate run by run, so that both see the same machine state
    parse_cmd = [sys.executable, "-c", PARSE, str(folder)]
    check_cmd = [*lb, "check", str(folder)]
    pairs: dict[str, list[tuple[float, float]]] = {"parse": [], "check": []}
    for _ in range(runs):
        pairs["parse"].append(run_once(parse_cmd, env, work))
        clear_cache()
        pairs["check"].append(run_once(check_cmd, env, work))
    for name, values in pairs.items():
        walls = [w for w, _ in values]
        fig[name] = {
            "runs": [round(w, 3) for w in walls],
            "min_s": round(min(walls), 3),
            "median_s": round(statistics.median(walls), 3),
            "peak_mib": round(max(p for _, p in values), 1),
        }
        print(
            f"  {name:<14} min {fig[name]['min_s']:8.3f} s  median {fig[name]['median_s']:8.3f} s"
            f"  peak {fig[name]['peak_mib']:7.1f} MiB"
        )
    ratios = [c[0] / p[0] for p, c in zip(pairs["parse"], pairs["check"], strict=True)]
    out["check_vs_parse"] = {
        "median_of_paired_ratios": round(statistics.median(ratios), 3),
        "ratio_of_medians": round(fig["check"]["median_s"] / fig["parse"]["median_s"], 3),
        "ratio_of_mins": round(fig["check"]["min_s"] / fig["parse"]["min_s"], 3),
    }
    run_once(check_cmd, env, work)  # fill the cache
    fig["recheck"] = measure("recheck", check_cmd, env, work, max(runs, 3))
    fig["graph"] = measure(
        "graph", [*lb, "graph", str(folder), "--format", "json"], env, work, max(1, runs - 1)
    )
    fig["plan"] = measure("plan", [*lb, "plan", str(folder)], env, work, max(1, runs - 1))
    if n <= 1_000:
        site = work / f"site-{n}"
        fig["build"] = measure(
            "build",
            [*lb, "build", str(folder), "-o", str(site)],
            env,
            work,
            2 if n <= 100 else 1,
            before=lambda: shutil.rmtree(site, ignore_errors=True),
        )
    checklist = sorted((folder / "checklists").glob("*.yml"))[0].stem
    fig["checklist_pdf"] = measure(
        "checklist_pdf",
        [
            *lb,
            "checklist",
            checklist,
            "--playbooks",
            str(folder),
            "--format",
            "pdf",
            "-o",
            str(work / "x.pdf"),
        ],
        env,
        work,
        max(1, runs - 2),
    )
    return out


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def write_readme(results: dict[str, Any]) -> None:
    rows = [
        "| N failure modes | files | parse (floor) | check | check / parse | re-check (cached) | graph json | plan | build | checklist PDF | check peak memory |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in results["sizes"].items():
        f = r["figures"]

        def s(key: str, f: dict[str, Any] = f) -> str:
            if key not in f:
                return "–"
            return f"{f[key]['median_s']:.2f} s" if "median_s" in f[key] else "failed"

        rows.append(
            f"| {int(n):,} | {r['files']:,} | {s('parse')} | {s('check')} | "
            f"{r['check_vs_parse']['median_of_paired_ratios']:.2f}x | {s('recheck')} | {s('graph')} | {s('plan')} | "
            f"{s('build')} | {s('checklist_pdf')} | {f['check']['peak_mib']:.0f} MiB |"
        )
    m = results["machine"]
    summary = results.get("summary", {})
    lines = [
        START,
        f"Measured {results['date'][:10]} on {m['cpu_count']} cores ({m['platform']}), Python {results['versions']['python']}, "
        f"median of whole-process runs (`python scripts/bench.py`; figures in `benchmarks/results.json`).",
        "",
        *rows,
        "",
    ]
    if "linearity_10k_over_1k" in summary:
        lines.append(
            f"Check time grows linearly: 10,000 failure modes take {summary['linearity_10k_over_1k']:.1f}x "
            "what 1,000 take (target: at most 12x)."
        )
        lines.append("")
    lines.append(END)
    block = "\n".join(lines)
    text = README.read_text(encoding="utf-8")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n## Performance\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="100,1000,10000", help="comma-separated N (default 100,1000,10000)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (10,000: two fewer)")
    parser.add_argument("--work", help="folder for generated sets and sites (default: a temporary folder)")
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave results.json and README alone"
    )
    args = parser.parse_args(argv)
    sizes = [int(s.replace(",", "").replace("_", "")) for s in args.sizes.split(",") if s]
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="launchbook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    results: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.machine(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "versions": {
            "python": platform.python_version(),
            "launchbook": _version("launchbook"),
            "pyyaml": _version("PyYAML"),
            "libyaml": _libyaml(),
            "mkdocs": _version("mkdocs"),
            "networkx": _version("networkx"),
        },
        "method": "whole processes; wall time by time.perf_counter around each child, peak memory by the "
        "child's ru_maxrss (os.wait4); parse and check alternate run by run; check starts with an empty cache",
        "sizes": {},
    }
    try:
        for n in sizes:
            results["sizes"][str(n)] = bench_size(n, work, args.repeat)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    res = results["sizes"]
    summary: dict[str, Any] = {}
    if "1000" in res and "10000" in res:
        summary["linearity_10k_over_1k"] = round(
            res["10000"]["figures"]["check"]["median_s"] / res["1000"]["figures"]["check"]["median_s"], 2
        )
    if "10000" in res:
        big = res["10000"]
        summary["check_vs_parse_10k"] = big["check_vs_parse"]["median_of_paired_ratios"]
        summary["check_peak_mib_10k"] = big["figures"]["check"]["peak_mib"]
        summary["recheck_median_s_10k"] = big["figures"]["recheck"]["median_s"]
    results["summary"] = summary
    results["elapsed_s"] = round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1)
    print(json.dumps(summary, indent=2))
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        write_readme(results)
        print(f"wrote {RESULTS.relative_to(ROOT)} and the table in README.md")
    return 0


def _libyaml() -> bool:
    import yaml

    return bool(getattr(yaml, "__with_libyaml__", False))


if __name__ == "__main__":
    sys.exit(main())
