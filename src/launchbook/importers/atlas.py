"""MITRE ATLAS data (YAML) -> launchbook playbook set.

Input: the ``data/`` folder of https://github.com/mitre-atlas/atlas-data
(``data.yaml`` including ``matrix.yaml``, which includes ``tactics.yaml``,
``techniques.yaml`` and ``mitigations.yaml``; case studies by glob), or the
repository holding it, or a compiled ``ATLAS.yaml``. The source files use the
``!include`` tag, YAML anchors on every object, and Jinja-style references to
anchors in text (``{{victim_research.id}}``, ``{{ create_internal_link(x) }}``).
The safe reader resolves ``!include`` inside SRC only; the references are
substituted from the anchors by a regular expression, never by a template
engine (a reference to an unknown anchor is left as written, with a warning).

Mapping: tactics -> categories (matrix order), the ML lifecycle stages named by
mitigations -> phases, each technique and sub-technique -> a failure mode
``aml-t0000-001`` (``maps_to: {atlas: [AML.T0000.001, <tactics>]}``) asking one
question (was exposure assessed?); each mitigation that lists the technique ->
a remediation ``aml-t0000-aml-m0000`` with ATLAS' "use" text and the
mitigation's description, in the mitigation's first lifecycle stage
(``maps_to`` keeps both ids). A technique ATLAS gives no mitigation gets one
remediation saying so (``aml-t0000-r1``). ATLAS names no owner:
``framework-owner`` owns everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from .common import (
    DEFAULT_EFFORT,
    DEFAULT_OWNER,
    Attribution,
    PlaybookSet,
    clean_md,
    kebab,
    numbered,
    one_line,
)
from .reader import Budget, ForeignDataError, read_yaml

FRAMEWORK = "atlas"
SITE = "https://atlas.mitre.org"
LIFECYCLE = (
    "Business and Data Understanding",
    "Data Preparation",
    "ML Model Engineering",
    "ML Model Evaluation",
    "Deployment",
    "Monitoring and Maintenance",
)
ATTRIBUTION = Attribution(
    source_id="mitre-atlas",
    framework=FRAMEWORK,
    title="MITRE ATLAS (Adversarial Threat Landscape for Artificial-Intelligence Systems)",
    author="The MITRE Corporation",
    publisher="MITRE",
    date="2025",
    url="https://atlas.mitre.org/",
    license="Apache-2.0 (Copyright 2021-2025 MITRE)",
    note=(
        "Imported with `launchbook import atlas` from the ATLAS data (mitre-atlas/atlas-data), "
        "Apache License 2.0, Copyright 2021-2025 MITRE. Techniques, sub-techniques and mitigations "
        "keep their ATLAS ids."
    ),
)
_REF = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_-]+)\s*\}\}")
_LINK = re.compile(r"\{\{\s*create_internal_link\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*\}\}")
_ANY = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_KIND_PATH = {
    "tactic": "tactics",
    "technique": "techniques",
    "mitigation": "mitigations",
    "case-study": "studies",
}


@dataclass(frozen=True)
class Technique:
    id: str
    name: str
    description: str
    tactics: tuple[str, ...]
    parent: str
    maturity: str


@dataclass(frozen=True)
class Mitigation:
    id: str
    name: str
    description: str
    uses: tuple[tuple[str, str], ...]  # (technique id, how it applies)
    lifecycle: tuple[str, ...]
    category: tuple[str, ...]


@dataclass
class Atlas:
    version: str
    tactics: list[tuple[str, str, str]]  # id, name, description
    techniques: list[Technique]
    mitigations: list[Mitigation]
    warnings: list[Problem] = field(default_factory=list)


def locate(src: Path) -> Path:
    if src.is_file():
        return src
    for cand in (
        src / "data.yaml",
        src / "data" / "data.yaml",
        src / "ATLAS.yaml",
        src / "dist" / "ATLAS.yaml",
    ):
        if cand.is_file():
            return cand
    raise ForeignDataError(str(src), 0, 0, "no ATLAS data here (expected data/data.yaml or ATLAS.yaml)")


def _anchor_values(node: yaml.Node) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(k.value): str(v.value)
        for k, v in node.value
        if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)
    }


class _Resolver:
    """Replaces ATLAS's ``{{name.field}}`` references and ``{{create_internal_link(name)}}`` links
    by what the anchors say, and collects the references it cannot resolve."""

    def __init__(self, anchors: dict[str, dict[str, str]]) -> None:
        self.anchors = anchors
        self.unknown: set[str] = set()

    def link(self, name: str) -> str:
        a = self.anchors.get(name)
        if not a or "id" not in a:
            self.unknown.add(name)
            return name
        kind = _KIND_PATH.get(a.get("object-type", ""), "techniques")
        return f"[{a.get('name', a['id'])}]({SITE}/{kind}/{a['id']})"

    def ref(self, m: re.Match[str]) -> str:
        a = self.anchors.get(m.group(1))
        if a is None or m.group(2) not in a:
            self.unknown.add(m.group(0))
            return m.group(0)
        return a[m.group(2)]

    def resolve(self, value: Any) -> Any:
        if isinstance(value, str):
            out = _LINK.sub(lambda m: self.link(m.group(1)), _REF.sub(self.ref, value))
            out = out.replace("](/", f"]({SITE}/")  # compiled ATLAS.yaml links site-relative
            for m in _ANY.finditer(out):
                self.unknown.add(m.group(0))
            return out
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        return value


def read(src: Path, budget: Budget) -> Atlas:
    path = locate(src)
    data = read_yaml(path, budget, includes=True, shared=True)
    shown = budget.display(path)
    if not isinstance(data, dict):
        raise ForeignDataError(shown, 0, 0, "expected a mapping with 'matrices'")
    resolver = _Resolver({name: _anchor_values(node) for name, node in budget.anchors.items()})
    objects, tactic_order = _matrix_objects(data)
    objects = resolver.resolve(objects)
    tactic_order = [str(resolver.resolve(t)) for t in tactic_order]
    warnings = [
        Problem("LB702", "warning", f"unresolved reference {u!r} left as written", shown)
        for u in sorted(resolver.unknown)
    ]
    tactics, techniques, mitigations = _read_objects(objects, shown)
    order = [t for t in tactic_order if t in tactics] + sorted(set(tactics) - set(tactic_order))
    return Atlas(
        str(data.get("version") or ""),
        [tactics[t] for t in order],
        sorted(techniques, key=lambda t: t.id),
        sorted(mitigations, key=lambda m: m.id),
        warnings,
    )


def _matrix_objects(data: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every object (with an ``object-type``) of every matrix, and the matrices' tactic order."""
    objects: list[dict[str, Any]] = []
    tactic_order: list[str] = []
    for matrix in data.get("matrices") or []:
        if not isinstance(matrix, dict):
            continue
        tactic_order += [
            str(t) if not isinstance(t, dict) else str(t.get("id")) for t in matrix.get("tactics") or []
        ]
        for key in ("data", "tactics", "techniques", "mitigations"):
            for item in matrix.get(key) or []:
                objects += [
                    obj
                    for obj in (item if isinstance(item, list) else [item])
                    if isinstance(obj, dict) and "object-type" in obj
                ]
    return objects, tactic_order


def _read_objects(
    objects: list[dict[str, Any]], shown: str
) -> tuple[dict[str, tuple[str, str, str]], list[Technique], list[Mitigation]]:
    """Tactics (id, name, description) by id, techniques and mitigations; an id defined twice is
    an error, an object without an id is skipped."""
    seen: set[str] = set()
    tactics: dict[str, tuple[str, str, str]] = {}
    techniques: list[Technique] = []
    mitigations: list[Mitigation] = []
    for obj in objects:
        oid, kind = str(obj.get("id", "")), obj.get("object-type")
        if oid in seen:
            raise ForeignDataError(shown, 0, 0, f"ATLAS id '{oid}' defined twice")
        if not oid:
            continue
        seen.add(oid)
        if kind == "tactic":
            tactics[oid] = (oid, one_line(obj.get("name")), clean_md(obj.get("description")))
        elif kind == "technique":
            techniques.append(_technique(oid, obj))
        elif kind == "mitigation":
            mitigations.append(_mitigation(oid, obj))
    return tactics, techniques, mitigations


def _technique(oid: str, obj: dict[str, Any]) -> Technique:
    return Technique(
        oid,
        one_line(obj.get("name")),
        clean_md(obj.get("description")),
        tuple(str(t) for t in obj.get("tactics") or []),
        str(obj.get("subtechnique-of") or ""),
        one_line(obj.get("maturity")),
    )


def _mitigation(oid: str, obj: dict[str, Any]) -> Mitigation:
    return Mitigation(
        oid,
        one_line(obj.get("name")),
        clean_md(obj.get("description")),
        tuple(
            (str(u.get("id")), clean_md(u.get("use")))
            for u in obj.get("techniques") or []
            if isinstance(u, dict) and u.get("id")
        ),
        tuple(one_line(x) for x in obj.get("ml-lifecycle") or [] if isinstance(x, str)),
        tuple(one_line(x) for x in obj.get("category") or []),
    )


def catalog(a: Atlas) -> list[dict[str, str]]:
    out = [{"id": t[0], "name": t[1], "kind": "tactic", "group": "tactics"} for t in a.tactics]
    out += [{"id": t.id, "name": t.name, "kind": "technique", "group": "techniques"} for t in a.techniques]
    out += [{"id": m.id, "name": m.name, "kind": "mitigation", "group": "mitigations"} for m in a.mitigations]
    return out


def build(a: Atlas) -> PlaybookSet:
    ps = PlaybookSet(
        attribution=ATTRIBUTION,
        title="MITRE ATLAS (imported)",
        version=a.version or "1.0.0",
        description=(
            "MITRE ATLAS as a launchbook playbook set: tactics as categories, each technique as a "
            "failure mode, the mitigations ATLAS lists for it as remediations."
        ),
    )
    tactic_names = {t[0]: t[1] for t in a.tactics}
    for tid, name, desc in a.tactics:
        ps.categories.append({"id": kebab(name), "title": f"{name} ({tid})", "description": desc or name})
    stages = list(LIFECYCLE) + sorted({s for m in a.mitigations for s in m.lifecycle} - set(LIFECYCLE))
    for st in stages:
        ps.phases.append(
            {"id": kebab(st), "title": st, "description": f"ML lifecycle stage named by ATLAS: {st}."}
        )
    ps.levels = [
        {"level": 0, "name": "Not assessed", "description": "Exposure to the technique was not assessed."},
        {"level": 1, "name": "Assessed", "description": "Exposure was assessed and mitigations decided."},
    ]
    by_id = {t.id: t for t in a.techniques}
    mit_for: dict[str, list[tuple[Mitigation, str]]] = {}
    for m in a.mitigations:
        for tid, use in m.uses:
            if tid not in by_id:
                ps.warnings.append(
                    Problem("LB702", "warning", f"mitigation {m.id} lists unknown technique {tid}", "ATLAS")
                )
                continue
            uses = mit_for.setdefault(tid, [])
            if uses and uses[-1][0] is m:  # listed twice for one technique: keep both texts
                uses[-1] = (m, "\n\n".join(x for x in (uses[-1][1], use) if x))
            else:
                uses.append((m, use))
    first_stage = kebab(stages[0])
    for t in a.techniques:
        parent = by_id.get(t.parent)
        tactics = [x for x in (t.tactics or (parent.tactics if parent else ())) if x in tactic_names]
        if not tactics:
            ps.warnings.append(
                Problem("LB702", "warning", f"technique {t.id} has no known tactic; skipped", "ATLAS")
            )
            continue
        fid = kebab(t.id)
        name = f"{parent.name}: {t.name}" if parent else t.name
        maturity = t.maturity or (parent.maturity if parent else "")  # as compiled ATLAS.yaml does
        remediations: list[dict[str, Any]] = []
        for m, use in mit_for.get(t.id, []):
            phase = kebab(m.lifecycle[0]) if m.lifecycle else first_stage
            do = [use] if use else []
            do.append(f"**{m.name} ({m.id})**: {m.description}")
            if m.category:
                do.append("ATLAS mitigation category: " + "; ".join(m.category) + ".")
            remediations.append(
                {
                    "id": f"{fid}-{kebab(m.id)}",
                    "title": f"{m.name} ({m.id})",
                    "do": "\n\n".join(do),
                    "owner": DEFAULT_OWNER,
                    "phase": phase,
                    "effort": DEFAULT_EFFORT,
                    "maps_to": {FRAMEWORK: [m.id, t.id]},
                }
            )
        if not remediations:
            remediations.append(
                {
                    "id": numbered(fid, 1, "r"),
                    "title": f"Decide how to counter {name}",
                    "do": (
                        f"ATLAS lists no mitigation for {t.id}. Assess whether the technique applies to "
                        f"the system, decide how to prevent or detect it, and check ATLAS for new "
                        f"mitigations when it is updated."
                    ),
                    "owner": DEFAULT_OWNER,
                    "phase": first_stage,
                    "effort": DEFAULT_EFFORT,
                    "maps_to": {FRAMEWORK: [t.id]},
                }
            )
        phase_ids = [kebab(s) for s in stages]
        phases = sorted({first_stage} | {r["phase"] for r in remediations}, key=lambda p: phase_ids.index(p))
        fm: dict[str, Any] = {
            "id": fid,
            "title": f"{name} ({t.id})",
            "category": kebab(tactic_names[tactics[0]]),
            "phases": phases,
            "summary": t.description or name,
            "signs": [
                f"Nobody has assessed whether an adversary could use {name} ({t.id}) against the system."
            ],
            "impact": (
                "An adversary can use it for: "
                + "; ".join(f"{tactic_names[x]} ({x})" for x in tactics)
                + (f". ATLAS maturity: {maturity}." if maturity else ".")
            ),
            "key_question": f"Could an adversary use {name} against our AI system, and would we notice?",
            "questions": [
                {
                    "id": numbered(fid, 1, "q"),
                    "ask": f"Have we assessed our exposure to {name} ({t.id}) and decided how to counter it?",
                    "owner": DEFAULT_OWNER,
                    "phase": first_stage,
                    "level": 1,
                    "maps_to": {FRAMEWORK: [t.id]},
                }
            ],
            "remediations": remediations,
        }
        if parent:
            fm["related"] = [{"id": kebab(parent.id), "relation": "see-also"}]
        fm["sources"] = [ps.citation(f"MITRE ATLAS technique {t.id}.")]
        fm["tags"] = ["atlas"] + ([kebab(maturity)] if maturity else [])
        fm["maps_to"] = {FRAMEWORK: [t.id, *tactics]}
        ps.add_failure_mode(fm)
    ps.checklists.append(
        {
            "id": "atlas-threat-review",
            "title": "ATLAS threat review",
            "meeting": "AI threat modeling session",
            "description": "One question per ATLAS technique: was exposure assessed and a counter decided?",
            "group_by": "failure-mode",
            "items": [{"question": q["id"]} for fm in ps.failure_modes for q in fm["questions"]],
        }
    )
    return ps
