"""Benchmark: `launchbook serve` rebuild time after saving one playbook, at N failure modes.

Emulates serve's loop (dirty builds with the plugin kept across rebuilds) without a
server: build once, then repeatedly edit one failure mode's summary and time the
rebuild until the edited page holds the new text. Writes benchmarks/serve.json.

    .venv/bin/python scripts/bench_serve.py --sizes 1000 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench(n: int, runs: int) -> dict[str, object]:
    from launchbook.site.build import default_config
    from launchbook.site.preview import preview_builder

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pbs = work / "playbooks"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "make_synthetic.py"),
                str(n),
                "-o",
                str(pbs),
                "--seed",
                "1",
            ],
            check=True,
            capture_output=True,
        )
        docs = work / "docs"
        docs.mkdir()
        config = work / "mkdocs.yml"
        config.write_text(default_config(pbs, docs), encoding="utf-8")
        site = work / "site"
        os.chdir(work)
        rebuild, close = preview_builder(config, site)
        try:
            t0 = time.perf_counter()
            rebuild()
            first = time.perf_counter() - t0
            files = sorted((pbs / "failure-modes").glob("*.yml"))
            times = []
            for i in range(runs):
                target = files[(i * 7919) % len(files)]
                text = target.read_text(encoding="utf-8")
                marker = f"Edited in benchmark run {i}."
                lines = text.splitlines(keepends=True)
                at = next(j for j, line in enumerate(lines) if line.startswith("summary:"))
                lines.insert(at + 1, f"  {marker}\n")
                target.write_text("".join(lines), encoding="utf-8")
                t0 = time.perf_counter()
                rebuild()
                times.append(time.perf_counter() - t0)
                page = site / "failure-modes" / target.stem / "index.html"
                assert marker in page.read_text(encoding="utf-8"), "the edit was not rendered"
        finally:
            close()
            os.chdir(ROOT)
    return {
        "failure_modes": n,
        "first_build_s": round(first, 3),
        "rebuild_after_edit_s": {"min": round(min(times), 3), "median": round(statistics.median(times), 3)},
        "runs": runs,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("-o", "--output", default=str(ROOT / "benchmarks" / "serve.json"))
    args = ap.parse_args()
    results = [bench(int(n), args.runs) for n in args.sizes.split(",")]
    import launchbook

    doc = {
        "benchmark": "serve: save one failure mode -> page re-rendered (dirty rebuild, plugin cache)",
        "target": "under 2 s at 1,000 failure modes",
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "launchbook": launchbook.__version__,
        "results": results,
    }
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
