"""Write the worked example's answers files (docs/examples/assessment/): deterministic, story-driven.

Two quarters of a fraud-detection team (level 0, then level 1 once every level-1 question is yes, with
one regression) and three teams side by side. Rerun after the questions change, then
scripts/assessment_example.py to refresh docs/tutorials/assessment.md:

    .venv/bin/python scripts/make_assessment_examples.py
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from launchbook.assess import write_answers
from launchbook.model import load_playbook

ROOT = Path(__file__).resolve().parents[1]
pb = load_playbook(ROOT / "playbooks").playbook
assert pb is not None
cat = {fm.id: fm.category for fm in pb.failure_modes}
qs = list(pb.questions())
LLM_FMS = {fm.id for fm in pb.failure_modes if fm.category == "generative-ai"} | {
    "agent-excessive-agency",
    "llm-prompt-injection",
    "llm-sensitive-data-leakage",
    "customer-data-sent-to-model-apis",
}


def team(
    seed: int,
    strength: dict[str, tuple[float, float, float]],
    weak: Any,
    llm: Any,
    fixed: Any = (),
    fixed_yes: Any = (),
) -> Any:
    """strength: {category: (p_yes at level 1, at level 2, at level 3+)}"""
    rnd = random.Random(seed)
    out = {}
    for q in qs:
        c = cat[q.failure_mode]
        if q.failure_mode in LLM_FMS and not llm:
            out[q.id] = ("n/a", "No generative AI or LLM in this project.")
            continue
        p = strength.get(c, (0.6, 0.3, 0.1))[min(q.level, 3) - 1 if q.level else 0]
        if c in weak:
            p *= 0.4
        r = rnd.random()
        a = "yes" if r < p else "partial" if r < p + (1 - p) / 2 else "no"
        if q.id in fixed_yes:
            a = "yes"
        out[q.id] = (a, "")
    return out


fraud_q1 = team(
    1,
    {"organization": (0.9, 0.5, 0.2), "engineering": (0.8, 0.4, 0.1), "operations": (0.6, 0.2, 0.0)},
    weak={"data"},
    llm=False,
)
# Q2: the data readiness work landed (owners, contracts, profiling), monitoring started
fix = {q.id for q in qs if cat[q.failure_mode] == "data" and q.level <= 2} | {
    "input-drift-alerting",
    "retraining-policy-written",
    "executive-sponsor-named",
    "sponsor-checkpoints-held",
    "success-threshold-agreed",
    "production-owner-accepted",
    "ml-raci-agreed",
    "run-cost-budgeted",
}
fraud_q2 = dict(fraud_q1)
rnd = random.Random(2)
for q in qs:
    if fraud_q2[q.id][0] == "n/a":
        continue
    if q.id in fix:
        fraud_q2[q.id] = ("yes", "")
    elif fraud_q2[q.id][0] == "no" and rnd.random() < 0.3:
        fraud_q2[q.id] = ("partial", "")
    elif fraud_q2[q.id][0] == "partial" and rnd.random() < 0.3:
        fraud_q2[q.id] = ("yes", "")
# by Q2 every level-1 question is yes: the team reaches level 1 overall
for q in qs:
    if q.level <= 1 and fraud_q2[q.id][0] != "n/a":
        fraud_q2[q.id] = ("yes", "")
# a regression: the person running the fairness checks left
fraud_q2["fairness-checks-gate-release"] = ("no", "")
search = team(
    3,
    {
        "organization": (0.7, 0.4, 0.2),
        "data": (0.9, 0.7, 0.4),
        "engineering": (0.95, 0.8, 0.5),
        "operations": (0.9, 0.7, 0.5),
    },
    weak=set(),
    llm=False,
)
# the mature team: every level-1 and level-2 question yes but three, a level-3 practice in places
for q in qs:
    if search[q.id][0] != "n/a" and (
        q.level <= 1
        or (
            q.level == 2
            and q.id
            not in {
                "ml-work-in-sprint-planning",
                "portfolio-checked-for-overlap",
                "decision-makers-shaped-scope",
            }
        )
    ):
        search[q.id] = ("yes", "")
assistant = team(
    4,
    {
        "organization": (0.6, 0.3, 0.1),
        "generative-ai": (0.7, 0.4, 0.1),
        "security": (0.5, 0.2, 0.0),
        "engineering": (0.6, 0.3, 0.1),
    },
    weak={"operations"},
    llm=True,
)

base = ROOT / "docs" / "examples" / "assessment"
files = {
    "quarters/fraud-detection-2025-q1.yml": (fraud_q1, "2025-03-31"),
    "quarters/fraud-detection-2025-q2.yml": (fraud_q2, "2025-06-30"),
    "teams/fraud-detection.yml": (fraud_q2, "2025-06-30"),
    "teams/search-ranking.yml": (search, "2025-06-27"),
    "teams/support-assistant.yml": (assistant, "2025-06-24"),
}
for name, (answers, date) in files.items():
    p = base / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(write_answers(pb, qs, answers, date=date), encoding="utf-8")
    print(p)
