"""The published JSON Schema is valid, accepts the fixture, and refuses what `check` refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from launchbook.cli import main
from launchbook.commands.schema import schema_kinds
from launchbook.schema import KINDS, Obj, json_schema

from .support import MINIMAL

KIND_FILES = {
    "manifest": ["launchbook.yml"],
    "roles": ["roles.yml"],
    "sources": ["sources.yml"],
    "failure-mode": ["failure-modes/no-data.yml", "failure-modes/no-plan.yml"],
    "checklist": ["checklists/kickoff.yml"],
}
FILE_KIND = {f: k for k, files in KIND_FILES.items() for f in files}


def cli_schema(kind: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["schema", "--kind", kind]) == 0
    out = capsys.readouterr().out
    doc: dict[str, Any] = json.loads(out)
    return doc


def validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema(kind))


def test_every_playbook_kind_has_fixture_files() -> None:
    assert set(KIND_FILES) == {"manifest", "roles", "sources", "failure-mode", "checklist"}
    assert set(KIND_FILES) <= set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_is_valid_json_schema(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    schema = cli_schema(kind, capsys)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert schema == json_schema(kind)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_fields_match_the_spec(kind: str) -> None:
    spec: Obj = KINDS[kind]
    schema = json_schema(kind)
    assert list(schema["properties"]) == [f.name for f in spec.fields]
    assert schema.get("required", []) == [f.name for f in spec.fields if f.required]


@pytest.mark.parametrize("file", sorted(FILE_KIND))
def test_fixture_files_validate(file: str) -> None:
    data = yaml.safe_load((MINIMAL / file).read_text())
    errors = list(validator(FILE_KIND[file]).iter_errors(data))
    assert errors == [], [e.message for e in errors]


def test_default_kind_is_failure_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema("failure-mode")


def test_schema_out_writes_every_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--out", str(tmp_path / "schemas")]) == 0
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    kinds = schema_kinds()
    assert set(KINDS) < set(kinds) and {"fork", "overlay-exclude", "answers"} <= set(kinds)
    assert written == sorted([".launchbook-output", *(f"{k}.json" for k in kinds)])  # + the output marker
    for kind in KINDS:
        assert json.loads((tmp_path / "schemas" / f"{kind}.json").read_text()) == json_schema(kind)
    for kind, spec in kinds.items():
        doc = json.loads((tmp_path / "schemas" / f"{kind}.json").read_text())
        jsonschema.Draft202012Validator.check_schema(doc)
        assert doc == json_schema(kind, spec)


def test_unknown_kind_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--kind", "failure_mode"]) == 2
    assert "invalid choice" in capsys.readouterr().err


# ------------------------------------------------------------------ one definition: both refuse the same
# (file, old, new, check code): each edit must fail JSON Schema validation and `launchbook check`.
REFUSALS = [
    ("failure-modes/no-data.yml", "title: The data", "titel: The data", "LB200"),
    ("failure-modes/no-data.yml", "    ask: Has", "    asks: Has", "LB200"),
    ("failure-modes/no-data.yml", "effort: M", "effort: XL", "LB206"),
    ("failure-modes/no-data.yml", "id: data-sample-seen", "id: Data_Sample", "LB203"),
    ("failure-modes/no-data.yml", "level: 0", "level: 12", "LB204"),
    ("failure-modes/no-data.yml", "phases: [data]", "phases: []", "LB210"),
    ("failure-modes/no-data.yml", "title: The data is not there\n", "", "LB201"),
    ("failure-modes/no-data.yml", "title: The data is not there", "title: [a, b]", "LB202"),
    ("checklists/kickoff.yml", "  - remediation: write-plan", "  - {question: x, remediation: y}", "LB212"),
    ("checklists/kickoff.yml", "group_by: failure-mode", "group_by: role", "LB206"),
    ("roles.yml", "    name: Data engineer\n", "    name: Data engineer\n    team: Platform\n", "LB200"),
    ("sources.yml", "url: https://example.org/article", "url: ftp://example.org", "LB209"),
    ("sources.yml", "unit: percent", "unit: percentage", "LB206"),
    ("launchbook.yml", "title: Minimal playbooks", "title: Minimal playbooks\nauthor: me", "LB200"),
    # plain text is never markup: an editor refuses it as check does
    ("roles.yml", "name: Data engineer", "name: Data engineer { onfocus=alert(1) }", "LB220"),
    ("failure-modes/no-data.yml", "title: The data", "title: The [data](javascript:x)", "LB220"),
    ("checklists/kickoff.yml", "meeting: First meeting", "meeting: First <b>meeting</b>", "LB220"),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "code"),
    REFUSALS,
    ids=[f"{f.split('/')[-1]}-{c}-{i}" for i, (f, _, _, c) in enumerate(REFUSALS)],
)
def test_schema_and_check_refuse_the_same(
    file: str, old: str, new: str, code: str, minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = minimal / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))

    data = yaml.safe_load(path.read_text())
    errors = list(validator(FILE_KIND[file]).iter_errors(data))
    assert errors, "the JSON Schema accepted what check refuses"

    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    assert f"{Path(file).name}:" in out and f" {code} " in out, out


def test_unknown_field_refused_by_both_with_its_name(
    minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = minimal / "failure-modes" / "no-plan.yml"
    path.write_text(path.read_text() + "owner: product-owner\n")
    data = yaml.safe_load(path.read_text())
    errors = list(validator("failure-mode").iter_errors(data))
    assert len(errors) == 1
    assert errors[0].validator == "additionalProperties"
    assert "'owner'" in errors[0].message
    assert main(["check", str(minimal)]) == 1
    assert "no-plan.yml:40:1: LB200 unknown field 'owner' in failure mode" in capsys.readouterr().out
