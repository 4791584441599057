"""Benchmark: warm PDF render time per bundled checklist (goal: under 1 s each).

Each checklist is rendered once to warm up (fonts, templates, imports), then timed over
RUNS renders; the minimum and median are written to benchmarks/checklists.json.

    .venv/bin/python scripts/bench_checklists.py [--playbooks DIR] [--paper a4|letter] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

from launchbook import __version__
from launchbook.checklists import render, tailor
from launchbook.model import load_playbook

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 1.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--playbooks", default=str(ROOT / "playbooks"))
    ap.add_argument("--paper", default="a4", choices=["a4", "letter"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("-o", "--output", default=str(ROOT / "benchmarks" / "checklists.json"))
    args = ap.parse_args(argv)

    res = load_playbook(Path(args.playbooks))
    if res.playbook is None:
        print("the playbooks do not load; run 'launchbook check' first", file=sys.stderr)
        return 2
    pb = res.playbook
    results = []
    for cl in sorted(pb.checklists, key=lambda c: c.id):
        t = tailor(pb, cl.id)
        render(pb, t, "pdf", args.paper)  # warm-up
        times = []
        size = 0
        for _ in range(args.runs):
            start = time.perf_counter()
            size = len(render(pb, t, "pdf", args.paper))
            times.append(time.perf_counter() - start)
        row = {
            "checklist": cl.id,
            "items": len(t.items),
            "bytes": size,
            "min_s": round(min(times), 4),
            "median_s": round(statistics.median(times), 4),
            "under_goal": statistics.median(times) < GOAL_SECONDS,
        }
        results.append(row)
        print(
            f"{cl.id:<28} {row['items']:>3} items  min {row['min_s']:.3f} s  median {row['median_s']:.3f} s"
        )

    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "benchmark": "checklist PDF render, warm (after one render)",
        "goal_seconds": GOAL_SECONDS,
        "runs": args.runs,
        "paper": args.paper,
        "launchbook": __version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "results": results,
    }
    out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0 if all(r["under_goal"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
