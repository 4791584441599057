"""Generate a valid synthetic playbook set of N failure modes, for benchmarks and tests.

    python scripts/make_synthetic.py 1000 -o /tmp/pb1000 [--seed 7]

The output is shaped like the real playbooks in ``playbooks/``: the same fields,
similar text sizes (failure-mode files of about 4-6 KB), roles, sources with
statistics, checklists, ``requires`` chains and ``related`` links at about the
real density. It is built to check clean with ``launchbook check --strict``:

- every ``requires`` points at a remediation generated earlier (so there is no
  cycle) in the same or an earlier phase;
- every role owns at least one question or remediation, every source and every
  statistic is cited, every question is asked in one of its failure mode's phases;
- a percentage appears in a text only when the failure mode cites the statistic
  whose value it is.

The same N and seed always give byte-identical files.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

PHASES = [
    (
        "frame",
        "Frame",
        "Decide the business problem, the success metric, the sponsor and the path to production.",
    ),
    ("data", "Data readiness", "Find, access, label and assess the data the project needs."),
    ("build", "Build and validate", "Develop, test and validate the model and the pipeline around it."),
    ("deploy", "Deploy", "Integrate, release and hand over the model to the people who run it."),
    ("operate", "Operate", "Monitor, maintain, retrain and measure value after launch."),
]
REAL_ROLES = [
    "executive-sponsor",
    "product-owner",
    "data-scientist",
    "ml-engineer",
    "data-engineer",
    "it-operations",
    "software-engineer",
    "legal-privacy",
    "domain-expert",
    "data-steward",
]
BASE_CATEGORIES = ["organization", "data", "engineering", "operations", "generative-ai"]

NOUNS = [
    "model",
    "pipeline",
    "feature",
    "dataset",
    "label",
    "sponsor",
    "owner",
    "budget",
    "metric",
    "threshold",
    "release",
    "rollback",
    "monitor",
    "alert",
    "drift",
    "schema",
    "contract",
    "feed",
    "warehouse",
    "dashboard",
    "report",
    "review",
    "audit",
    "backlog",
    "roadmap",
    "prototype",
    "notebook",
    "service",
    "endpoint",
    "latency",
    "throughput",
    "cost",
    "vendor",
    "prompt",
    "evaluation",
    "benchmark",
    "baseline",
    "experiment",
    "hypothesis",
    "stakeholder",
    "customer",
    "process",
    "decision",
    "workflow",
    "handover",
    "runbook",
    "incident",
    "outage",
    "retraining",
    "registry",
    "artifact",
    "version",
    "lineage",
    "catalog",
    "steward",
    "consent",
    "policy",
    "regulation",
    "privacy",
    "bias",
    "fairness",
    "explanation",
    "forecast",
    "score",
    "segment",
    "cohort",
    "sample",
    "annotation",
    "ground-truth",
    "feedback",
    "adoption",
    "training",
    "inference",
    "batch",
    "stream",
    "queue",
    "cluster",
    "container",
    "deployment",
    "integration",
    "interface",
    "test",
]
ADJECTIVES = [
    "stale",
    "missing",
    "unclear",
    "late",
    "manual",
    "silent",
    "fragile",
    "shared",
    "hidden",
    "costly",
    "slow",
    "noisy",
    "biased",
    "untested",
    "unowned",
    "undocumented",
    "inconsistent",
    "duplicated",
    "partial",
    "outdated",
    "brittle",
    "opaque",
    "uneven",
    "unplanned",
    "unmonitored",
    "informal",
    "ad-hoc",
    "isolated",
    "delayed",
    "overloaded",
    "unversioned",
    "unreviewed",
]
VERBS = [
    "agree",
    "write",
    "define",
    "review",
    "measure",
    "monitor",
    "version",
    "document",
    "automate",
    "test",
    "validate",
    "publish",
    "estimate",
    "budget",
    "schedule",
    "assign",
    "train",
    "retrain",
    "label",
    "sample",
    "compare",
    "track",
    "escalate",
    "approve",
    "simplify",
    "replace",
    "consolidate",
    "map",
    "sketch",
    "prioritize",
    "negotiate",
    "audit",
]
FILLER = [
    "the",
    "a",
    "its",
    "their",
    "every",
    "each",
    "this",
    "that",
    "our",
    "which",
    "when",
    "before",
    "after",
    "because",
    "while",
    "so",
    "and",
    "or",
    "but",
    "with",
    "without",
    "for",
    "from",
    "into",
    "across",
    "between",
    "within",
    "under",
    "over",
    "about",
]
ORGS = ["Acme Research", "Northwind Analytics", "Globex Labs", "Initech Institute", "Umbrella Data", "Hooli"]
KINDS = ["article", "survey", "report", "paper", "web", "book"]


def _words(rng: random.Random, n: int) -> list[str]:
    out = []
    for i in range(n):
        pool = (NOUNS, NOUNS, ADJECTIVES, VERBS, FILLER, FILLER)[i % 6]
        out.append(rng.choice(pool).replace("-", " "))
    return out


def sentence(rng: random.Random, n_words: int, end: str = ".") -> str:
    words = _words(rng, n_words)
    text = " ".join(words)
    # a comma now and then, never ': ' or ' #' (plain YAML scalars stay plain)
    if n_words > 8:
        cut = rng.randrange(4, n_words - 3)
        words[cut] += ","
        text = " ".join(words)
    return text[0].upper() + text[1:] + end


def paragraph(rng: random.Random, chars: int, end: str = ".") -> str:
    parts: list[str] = []
    total = 0
    while total < chars:
        s = sentence(rng, rng.randrange(9, 18), end)
        parts.append(s)
        total += len(s) + 1
    return " ".join(parts)


def block(text: str, indent: int, width: int = 76) -> str:
    pad = " " * indent
    return "\n".join(pad + line for line in textwrap.wrap(text, width - indent))


def flow(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


@dataclass
class Rem:
    id: str
    phase: int
    owner: str
    involves: list[str]
    requires: list[str]


@dataclass
class Fm:
    id: str
    category: str
    phases: list[int]
    questions: list[tuple[str, str, int, int]] = field(default_factory=list)  # id, owner, phase, level
    rems: list[Rem] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)
    cites: dict[int, list[int]] = field(default_factory=dict)  # source index -> statistic indexes


def plan(n: int, rng: random.Random) -> tuple[list[Fm], list[str], int, int, list[str]]:
    """Decide every id and reference first; texts are written afterwards."""
    n_roles = 10 + n // 250
    # a bibliography grows slower than the failure modes citing it, and sources.yml must
    # stay under the loader's 1 MiB file limit
    n_sources = min(max(8, n + n // 10), 1800)
    n_stats = min(max(4, n // 2), 900)
    # the real set's roles first (what forks rename), then more for big sets
    roles = REAL_ROLES[:n_roles] + [
        f"{rng.choice(NOUNS)}-{rng.choice(['owner', 'lead', 'engineer', 'steward', 'analyst'])}-{i}"
        for i in range(len(REAL_ROLES), n_roles)
    ]
    categories = BASE_CATEGORIES + [f"category-{i}" for i in range(n // 1000)]
    fms: list[Fm] = []
    for i in range(n):
        fid = f"{rng.choice(ADJECTIVES)}-{rng.choice(NOUNS)}-{i}".replace(" ", "-")
        first = rng.randrange(0, 4)
        last = min(4, first + rng.randrange(1, 4))
        phases = sorted({first, last, *rng.sample(range(first, last + 1), k=min(2, last - first + 1))})
        fms.append(Fm(fid, categories[i % len(categories)], phases))
    all_rems: list[Rem] = []
    owner_turn = 0

    def next_owner() -> str:
        nonlocal owner_turn
        owner_turn += 1
        # the first len(roles) owners cover every role; then at random, skewed like real teams
        return (
            roles[owner_turn - 1]
            if owner_turn <= len(roles)
            else rng.choice(roles[: max(3, len(roles) // 2)] + roles)
        )

    for i, fm in enumerate(fms):
        for j in range(rng.choice((3, 3, 3, 4))):
            ph = rng.choice(fm.phases)
            fm.questions.append(
                (
                    f"{rng.choice(NOUNS)}-{rng.choice(ADJECTIVES)}-{i}-q{j}",
                    next_owner(),
                    ph,
                    rng.randrange(0, 5),
                )
            )
        for j in range(rng.choice((3, 3, 4, 4))):
            ph = fm.phases[min(j, len(fm.phases) - 1)]
            owner = next_owner()
            involves = rng.sample([r for r in roles if r != owner], k=rng.randrange(1, 4))
            requires: list[str] = []
            if rng.random() < 0.57:  # about the real share of remediations with a requires list
                pool = [r for r in fm.rems if r.phase <= ph]
                if all_rems and rng.random() < 0.5:
                    # another failure mode's remediation, generated earlier (no cycle possible)
                    for _ in range(4):
                        cand = all_rems[rng.randrange(max(0, len(all_rems) - 400), len(all_rems))]
                        if cand.phase <= ph:
                            pool.append(cand)
                            break
                k = min(len(pool), rng.choice((1, 1, 2)))
                requires = sorted({r.id for r in rng.sample(pool, k=k)})
            rem = Rem(
                f"{rng.choice(VERBS)}-{rng.choice(NOUNS)}-{i}-r{j}".replace(" ", "-"),
                ph,
                owner,
                involves,
                requires,
            )
            fm.rems.append(rem)
        all_rems.extend(fm.rems)
        if n > 1:
            others = rng.sample(range(n - 1), k=min(n - 1, rng.randrange(3, 6)))
            for o in others:
                o = o if o < i else o + 1  # never itself
                fm.related.append((fms[o].id, rng.choice(("causes", "worsens", "see-also", "see-also"))))
        # sources: fm i covers source i (and source n + i when there are more sources than fms)
        cites = {i % n_sources}
        if n + i < n_sources:
            cites.add(n + i)
        while len(cites) < rng.choice((2, 3, 4)):
            cites.add(rng.randrange(n_sources))
        fm.cites = {s: [] for s in sorted(cites)}
    # statistic k is produced by source 2k; the failure mode that covers that source cites it
    stat_source = [(2 * k) % n_sources for k in range(n_stats)]
    for k, s in enumerate(stat_source):
        fms[s % n].cites.setdefault(s, []).append(k)
    return fms, roles, n_sources, n_stats, categories


def stat_value(k: int) -> int:
    return 5 + (k * 37) % 90


def write_set(n: int, out: Path, seed: int) -> None:
    rng = random.Random(seed)
    fms, roles, n_sources, n_stats, categories = plan(n, rng)
    source_ids = [
        f"{rng.choice(ORGS).split()[0].lower()}-{rng.choice(NOUNS)}-{2000 + i % 25}-{i}"
        for i in range(n_sources)
    ]
    stat_ids = [f"{rng.choice(NOUNS)}-share-{k}-{stat_value(k)}" for k in range(n_stats)]
    if out.exists():
        shutil.rmtree(out)
    (out / "failure-modes").mkdir(parents=True)
    (out / "checklists").mkdir()
    write_manifest(out, n, categories, rng)
    write_roles(out, roles, rng)
    write_sources(out, source_ids, stat_ids, rng)
    for fm in fms:
        text = failure_mode_text(fm, source_ids, stat_ids, rng)
        (out / "failure-modes" / f"{fm.id}.yml").write_text(text, encoding="utf-8")
    write_checklists(out, n, fms, roles, rng)


def write_manifest(out: Path, n: int, categories: list[str], rng: random.Random) -> None:
    """launchbook.yml: categories, the phases and five maturity levels."""
    lines = [
        "# yaml-language-server: $schema=../schemas/manifest.json",
        f"title: Synthetic playbooks ({n} failure modes)",
        'version: "0.1.0"',
        "description: >-",
        block(paragraph(rng, 220), 2),
        "categories:",
    ]
    for c in categories:
        lines += [
            f"  - id: {c}",
            f"    title: {sentence(rng, 4, '')}",
            f"    description: {sentence(rng, 12)}",
        ]
    lines.append("phases:")
    for pid, title, desc in PHASES:
        lines += [f"  - id: {pid}", f"    title: {title}", f"    description: {desc}"]
    lines.append("levels:")
    for lv in range(5):
        lines += [
            f"  - level: {lv}",
            f"    name: {sentence(rng, 3, '')}",
            "    description: >-",
            block(paragraph(rng, 400), 6),
            "    references:",
            f'      google-mlops: "Level {min(lv, 2)}"',
            f'      microsoft-mlops: "Level {lv}"',
            f'      ml-test-score: "score {lv}"',
        ]
    (out / "launchbook.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_roles(out: Path, roles: list[str], rng: random.Random) -> None:
    """roles.yml."""
    lines = ["# yaml-language-server: $schema=../schemas/roles.json", "roles:"]
    for r in roles:
        lines += [
            f"  - id: {r}",
            f"    name: {sentence(rng, 2, '')}",
            "    description: >-",
            block(paragraph(rng, 280), 6),
            f"    titles: {flow([sentence(rng, 2, '') for _ in range(rng.randrange(3, 6))])}",
        ]
    (out / "roles.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_sources(out: Path, source_ids: list[str], stat_ids: list[str], rng: random.Random) -> None:
    """sources.yml: the sources, then statistics each measured by one and reported in the next."""
    n_sources = len(source_ids)
    lines = ["# yaml-language-server: $schema=../schemas/sources.json", "sources:"]
    for i, sid in enumerate(source_ids):
        lines += [
            f"  - id: {sid}",
            f"    kind: {KINDS[i % len(KINDS)]}",
            f'    title: "{sentence(rng, rng.randrange(5, 11), "")}"',
            f"    author: {rng.choice(ORGS)}",
            f"    publisher: {rng.choice(ORGS)} blog",
            f'    date: "{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}"',
            f"    url: https://example.org/{sid}",
        ]
        if i % 7 == 3:
            lines.append(f"    reported_in: [{source_ids[(i + 1) % n_sources]}]")
    lines.append("")
    lines.append("statistics:")
    for k, st in enumerate(stat_ids):
        src = (2 * k) % n_sources
        lines += [
            f"  - id: {st}",
            f'    value: "{stat_value(k)}%"',
        ]
        if k % 9 == 0:
            lines.append("    chart: true")
        lines += [
            f"    number: {stat_value(k)}",
            "    unit: percent",
            f"    measures: {sentence(rng, rng.randrange(8, 14), '')}",
            f"    year: {2000 + src % 25}",  # the year of its source's date (LB319)
            f"    source: {source_ids[src]}",
            f"    reported_in: [{source_ids[(src + 1) % n_sources]}]",
        ]
    (out / "sources.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def failure_mode_text(fm: Fm, source_ids: list[str], stat_ids: list[str], rng: random.Random) -> str:
    """One failure-mode file."""
    cited_values = [f"{stat_value(k)}%" for ks in fm.cites.values() for k in ks]
    summary = paragraph(rng, rng.randrange(300, 560))
    if cited_values:
        summary += f" Studies put the share near {cited_values[0]}."
    lines = [
        "# yaml-language-server: $schema=../../schemas/failure-mode.json",
        f"id: {fm.id}",
        f"title: {sentence(rng, rng.randrange(6, 11), '')}",
        f"category: {fm.category}",
        f"phases: {flow([PHASES[p][0] for p in fm.phases])}",
    ]
    if fm.category == "generative-ai":
        lines.append("beyond_articles: true")
    lines += ["summary: |", block(summary, 2), "signs:"]
    lines += [f"  - {sentence(rng, rng.randrange(10, 18))}" for _ in range(rng.randrange(3, 6))]
    lines += ["impact: >-", block(paragraph(rng, rng.randrange(150, 260)), 2)]
    lines.append(f"key_question: {sentence(rng, rng.randrange(14, 22), '?')}")
    lines.append("questions:")
    for qid, owner, ph, level in fm.questions:
        lines += [
            f"  - id: {qid}",
            f"    ask: {sentence(rng, rng.randrange(14, 22), '?')}",
            f"    owner: {owner}",
            f"    phase: {PHASES[ph][0]}",
            f"    level: {level}",
        ]
    lines.append("remediations:")
    for rem in fm.rems:
        lines += [
            f"  - id: {rem.id}",
            f"    title: {sentence(rng, rng.randrange(5, 10), '')}",
            "    do: |",
            block(paragraph(rng, rng.randrange(170, 330)), 6),
            f"    owner: {rem.owner}",
            f"    involves: {flow(rem.involves)}",
            f"    phase: {PHASES[rem.phase][0]}",
            f"    effort: {rng.choice('SML')}",
            f"    requires: {flow(rem.requires)}",
        ]
    lines.append("related:")
    for rid, relation in fm.related:
        lines += [f"  - id: {rid}", f"    relation: {relation}"]
    lines.append("sources:")
    for s, ks in fm.cites.items():
        lines += [
            f"  - id: {source_ids[s]}",
            "    note: >-",
            block(paragraph(rng, rng.randrange(120, 260)), 6),
            f"    statistics: {flow([stat_ids[k] for k in ks])}",
        ]
    lines.append(f"tags: {flow(sorted({rng.choice(NOUNS) for _ in range(4)}))}")
    return "\n".join(lines) + "\n"


def write_checklists(out: Path, n: int, fms: list[Fm], roles: list[str], rng: random.Random) -> None:
    """5 + n/200 checklists of about 8 failure modes' questions and some of their remediations."""
    n_checklists = 5 + n // 200
    for n_cl in range(n_checklists):
        cid = f"{rng.choice(VERBS)}-{rng.choice(NOUNS)}-review-{n_cl}".replace(" ", "-")
        chosen = rng.sample(fms, k=min(len(fms), 8))
        items: list[str] = []
        for fm in chosen:
            q = rng.choice(fm.questions)
            items.append(f"  - question: {q[0]}")
            if rng.random() < 0.5:
                items.append(f"  - remediation: {rng.choice(fm.rems).id}")
        lines = [
            "# yaml-language-server: $schema=../../schemas/checklist.json",
            f"id: {cid}",
            f"title: {sentence(rng, 3, '')}",
            f"meeting: {sentence(rng, 7, '')}",
            "description: |",
            block(paragraph(rng, 350), 2),
            f"attendees: {flow(rng.sample(roles, k=min(len(roles), 5)))}",
            f"phase: {PHASES[n_cl % len(PHASES)][0]}",
            f"group_by: {'failure-mode' if n_cl % 2 == 0 else 'phase'}",
            "items:",
            *items,
        ]
        (out / "checklists" / f"{cid}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", type=int, help="number of failure modes")
    parser.add_argument("-o", "--output", required=True, help="output folder (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.n < 2:
        parser.error("N must be at least 2")
    write_set(args.n, Path(args.output), args.seed)
    print(f"wrote {args.n} failure modes to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
