"""The one definition of every playbook file's shape.

The loader validates YAML nodes against these specs (resolving each plain
scalar by its field's type, never by YAML 1.1's implicit resolvers), and
:func:`json_schema` turns the very same specs into the JSON Schema that
``launchbook schema`` publishes for editors, so the two cannot drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from ..markup import PLAIN_TEXT_MARKUP

# Patterns are published in the JSON Schema as written here (ECMA regexes, where '$' is the
# end of the text). In Python, '$' also matches before a final newline, so "x\n" would pass:
# Python code matches them only through :func:`compile_full` (whole text, ``\Z``).
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def compile_full(pattern: str) -> re.Pattern[str]:
    r"""``pattern`` (a published ``^...$`` pattern) compiled to match the whole text only: its
    ``$`` anchor becomes ``\Z``, so ``.match`` and ``.fullmatch`` both refuse ``"x\n"``."""
    body = pattern.removeprefix("^").removesuffix("$")
    return re.compile(rf"(?:{body})\Z")


ID_RE = compile_full(ID_PATTERN)

TextKind = Literal["text", "markdown", "id", "url", "date", "version"]

_URL_PATTERN = r"^https?://[^\s]+$"
_DATE_PATTERN = r"^(n\.d\.|[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?)$"
_VERSION_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z.+-]*$"
PATTERNS: dict[str, str] = {
    "id": ID_PATTERN,
    "url": _URL_PATTERN,
    "date": _DATE_PATTERN,
    "version": _VERSION_PATTERN,
}


def is_real_date(value: str) -> bool:
    """Whether a text matching the date pattern names a real month or day ("2024-13-45" and
    "2024-02-30" do not; "n.d.", "YYYY" and "YYYY-MM" with a month 01-12 do)."""
    import datetime

    parts = value.split("-")
    if value == "n.d." or len(parts) == 1:
        return True
    try:
        datetime.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Text:
    """A string. ``kind`` adds a pattern (id, url, date, version) or allows Markdown.

    A ``text`` is plain text: shown as written, so ``check`` refuses Markdown link, image, HTML
    and attribute-list syntax in it (:mod:`launchbook.markup`), unless ``published`` is false (a
    text no page, checklist or export shows, such as an answer's note)."""

    kind: TextKind = "text"
    min_length: int = 1
    max_length: int = 20_000
    published: bool = True


@dataclass(frozen=True)
class Int:
    """A plain decimal integer within bounds."""

    minimum: int = 0
    maximum: int = 1_000_000_000


@dataclass(frozen=True)
class Num:
    """A plain decimal number (integer or with a fractional part)."""

    minimum: float = 0.0
    maximum: float = 1e12


@dataclass(frozen=True)
class Bool:
    """``true`` or ``false``, nothing else (YAML 1.1's yes/no/on/off are refused)."""


@dataclass(frozen=True)
class Enum:
    """One of a fixed set of strings."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class Seq:
    """A list of items of one spec."""

    item: Spec
    min_items: int = 0
    unique: bool = False


@dataclass(frozen=True)
class Dict:
    """A mapping from free keys (matching ``key_pattern``) to values of one spec."""

    value: Spec
    key_pattern: str = ID_PATTERN


@dataclass(frozen=True)
class Field:
    name: str
    spec: Spec
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class Obj:
    """A mapping with a fixed set of fields; unknown fields are refused."""

    title: str
    fields: tuple[Field, ...]
    description: str = ""
    by_name: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update({f.name: f for f in self.fields})


@dataclass(frozen=True)
class OneOf:
    """An object that must have exactly one of ``keys`` (checklist items)."""

    title: str
    keys: tuple[str, ...]
    obj: Obj


Spec = Text | Int | Num | Bool | Enum | Seq | Dict | Obj | OneOf

ID = Text("id")
IDS = Seq(ID, unique=True)
MD = Text("markdown")

# ---------------------------------------------------------------- manifest
CATEGORY = Obj(
    "category",
    (
        Field("id", ID, True, "Category id, referenced by failure modes."),
        Field("title", Text(), True),
        Field("description", MD, True),
    ),
)
PHASE = Obj(
    "phase",
    (
        Field("id", ID, True, "Phase id; phases are listed in the order a project goes through them."),
        Field("title", Text(), True),
        Field("description", MD, True),
    ),
)
LEVEL = Obj(
    "maturity level",
    (
        Field("level", Int(0, 9), True, "The level number, 0 for the least mature."),
        Field("name", Text(), True),
        Field("description", MD, True),
        Field(
            "references",
            Dict(Text()),
            False,
            "What the level corresponds to in the field's references"
            " (google-mlops, microsoft-mlops, ml-test-score).",
        ),
    ),
)
MANIFEST = Obj(
    "manifest",
    (
        Field("title", Text(), True, "Title of the playbook set, shown on the site."),
        Field("version", Text("version"), True, 'Version of the playbooks, quoted ("1.2.0").'),
        Field("description", MD, False),
        Field("categories", Seq(CATEGORY, 1), True, "Categories of failure modes."),
        Field("phases", Seq(PHASE, 1), True, "Project phases, in order."),
        Field("levels", Seq(LEVEL, 1), True, "Maturity levels, lowest first."),
    ),
    "launchbook.yml: the manifest of a playbook set.",
)

# ---------------------------------------------------------------- roles
ROLE = Obj(
    "role",
    (
        Field("id", ID, True),
        Field("name", Text(), True, "Display name."),
        Field("description", MD, True),
        Field("titles", Seq(Text()), False, "Job titles that typically hold this role."),
    ),
)
ROLES = Obj("roles file", (Field("roles", Seq(ROLE, 1), True),), "roles.yml: who owns and who is involved.")

# ---------------------------------------------------------------- sources
SOURCE = Obj(
    "source",
    (
        Field("id", ID, True),
        Field("kind", Enum(("article", "survey", "report", "paper", "web", "book")), True),
        Field("title", Text(), True),
        Field("author", Text(), True),
        Field("publisher", Text(), False),
        Field("date", Text("date"), True, 'Publication date as "YYYY", "YYYY-MM" or "YYYY-MM-DD", or "n.d."'),
        Field("url", Text("url"), False),
        Field("license", Text(), False),
        Field("reported_in", IDS, False, "Sources (articles) that quote this survey or report."),
        Field("note", MD, False),
    ),
)
STATISTIC = Obj(
    "statistic",
    (
        Field("id", ID, True),
        Field("value", Text(), True, 'The figure as written in texts, e.g. "85%".'),
        Field("number", Num(0, 1e12), True, "The figure as a number, for charts."),
        Field("unit", Enum(("percent", "count", "ratio", "multiple")), True),
        Field("measures", Text(), True, "What the figure measures."),
        Field(
            "year",
            Int(1900, 2100),
            False,
            "Year the figure was measured or published, only where the source's date or a citing article"
            " states it; leave it out when no one states it (shown as 'year not stated').",
        ),
        Field(
            "year_note",
            Text(max_length=500),
            False,
            "Where the year is stated when the source's date does not show it (for example the citing"
            " article's words), or why no year is given.",
        ),
        Field("source", ID, True, "The study that produced the figure."),
        Field("reported_in", IDS, False, "The articles that quote it."),
        Field("chart", Bool(), False, "Show it in the home page chart."),
    ),
)
SOURCES = Obj(
    "sources file",
    (Field("sources", Seq(SOURCE, 1), True), Field("statistics", Seq(STATISTIC), False)),
    "sources.yml: the bibliography and the statistics quoted, with their provenance.",
)

# ---------------------------------------------------------------- failure modes
MAPS_TO = Dict(Seq(Text(), unique=True))
QUESTION = Obj(
    "question",
    (
        Field("id", ID, True, "Globally unique question id."),
        Field(
            "aliases", IDS, False, "Former ids of this question, kept so forks that name them still apply."
        ),
        Field("ask", Text(), True, "The question, answerable with yes or no."),
        Field("owner", ID, True, "Role that answers for it."),
        Field("phase", ID, True),
        Field("level", Int(0, 9), True, "Maturity level a yes evidences."),
        Field("maps_to", MAPS_TO, False, "Crosswalk to other frameworks' items."),
    ),
)
REMEDIATION = Obj(
    "remediation",
    (
        Field("id", ID, True, "Globally unique remediation id."),
        Field(
            "aliases", IDS, False, "Former ids of this remediation, kept so forks that name them still apply."
        ),
        Field("title", Text(), True),
        Field("do", MD, True, "What to do, concretely."),
        Field("owner", ID, True, "The one accountable role."),
        Field("involves", IDS, False, "Other roles involved."),
        Field("phase", ID, True),
        Field("effort", Enum(("S", "M", "L")), True),
        Field("requires", IDS, False, "Remediations (of any failure mode) to do first."),
        Field(
            "answers", IDS, description="Questions (of any failure mode) this remediation gets answered yes."
        ),
        Field("maps_to", MAPS_TO, False),
    ),
)
RELATED = Obj(
    "related failure mode",
    (
        Field("id", ID, True),
        Field("relation", Enum(("causes", "worsens", "see-also")), True),
    ),
)
CITATION = Obj(
    "citation",
    (
        Field("id", ID, True, "A source id from sources.yml."),
        Field("note", MD, True, "What this source says about the failure mode (inline Markdown)."),
        Field("statistics", IDS, False, "Statistics quoted from it."),
    ),
)
FAILURE_MODE = Obj(
    "failure mode",
    (
        Field("id", ID, True, "Kebab-case id, equal to the file name."),
        Field("aliases", IDS, False, "Former ids, kept so references to them still work."),
        Field("title", Text(), True),
        Field("category", ID, True),
        Field("phases", Seq(ID, 1, unique=True), True),
        Field("summary", MD, True),
        Field("signs", Seq(MD, 1), True, "Symptoms you can observe in a real project (inline Markdown)."),
        Field("impact", MD, True),
        Field("key_question", Text(min_length=0), True, "The one question to ask."),
        Field("questions", Seq(QUESTION), True),
        Field("remediations", Seq(REMEDIATION), True),
        Field("related", Seq(RELATED), False),
        Field("sources", Seq(CITATION), True),
        Field("tags", IDS, False),
        Field("beyond_articles", Bool(), False, "True when not drawn from the original five articles."),
        Field("maps_to", MAPS_TO, False),
    ),
    "failure-modes/<id>.yml: one way ML projects stall, what to ask and what to do.",
)

# ---------------------------------------------------------------- checklists
CHECKLIST_ITEM = OneOf(
    "checklist item",
    ("question", "remediation"),
    Obj(
        "checklist item",
        (
            Field("question", ID, False, "A question id."),
            Field("remediation", ID, False, "A remediation id."),
            Field(
                "blocking",
                Bool(),
                False,
                "True when a 'no' on this item stops the meeting's decision (printed with the word"
                " Blocking and Yes / No / N/A boxes).",
            ),
        ),
    ),
)
CHECKLIST = Obj(
    "checklist",
    (
        Field("id", ID, True, "Kebab-case id, equal to the file name."),
        Field("title", Text(), True),
        Field("meeting", Text(), True, "The meeting it is for."),
        Field("description", MD, True),
        Field("attendees", IDS, False, "Roles expected in the room."),
        Field(
            "deciders",
            IDS,
            False,
            "Roles who take the decision: the outcome block ends with a sign-off line (name, role,"
            " signature, date) for each.",
        ),
        Field("phase", ID, False),
        Field("group_by", Enum(("failure-mode", "phase")), False),
        Field("items", Seq(CHECKLIST_ITEM, 1), True),
        Field(
            "decision",
            Seq(Text(max_length=60), 2, True),
            False,
            "The outcomes the meeting decides between, printed as boxes to tick at the end of the"
            " sheet (for example Go, Go with conditions, No-go).",
        ),
    ),
    "checklists/<id>.yml: a printable checklist for one meeting.",
)

# ---------------------------------------------------------------- answers (launchbook assess)
ANSWER_VALUES = ("yes", "partial", "no", "n/a")
ANSWER = Obj(
    "answer",
    (
        Field("id", ID, True, "A question id from the playbooks."),
        Field(
            "answer",
            Enum(ANSWER_VALUES),
            False,
            "yes, partial, no, or n/a (n/a needs a note); left blank, the question counts as unanswered (no).",
        ),
        Field(
            "note",
            Text(max_length=2_000, published=False),
            False,
            "Evidence, or why the question does not apply.",
        ),
    ),
)
ANSWERS = Obj(
    "answers file",
    (
        Field(
            "playbook",
            Text(max_length=200, published=False),
            False,
            "Title and version of the playbooks answered.",
        ),
        Field("checklist", ID, False, "Only the questions of this checklist are in scope."),
        Field("role", ID, False, "Only the questions this role owns are in scope."),
        Field("date", Text("date"), False, 'When the answers were given, "YYYY-MM-DD".'),
        Field("answers", Seq(ANSWER), True, "One entry per question in scope."),
    ),
    "answers.yml: an organization's answers for 'launchbook assess'.",
)

KINDS: dict[str, Obj] = {
    "manifest": MANIFEST,
    "roles": ROLES,
    "sources": SOURCES,
    "failure-mode": FAILURE_MODE,
    "checklist": CHECKLIST,
}


# ---------------------------------------------------------------- JSON Schema
@cache
def markdown_fields() -> str:
    """The fields where Markdown is allowed, for messages (from the schema, so it cannot drift)."""
    names: set[str] = set()

    def walk(spec: Spec, name: str) -> None:
        if isinstance(spec, Text):
            if spec.kind == "markdown":
                names.add(name)
        elif isinstance(spec, (Seq, Dict)):
            walk(spec.item if isinstance(spec, Seq) else spec.value, name)
        elif isinstance(spec, (Obj, OneOf)):
            for f in (spec.obj if isinstance(spec, OneOf) else spec).fields:
                walk(f.spec, f.name)

    for obj in KINDS.values():
        walk(obj, "")
    ordered = sorted(names)
    return ", ".join(f"'{n}'" for n in ordered[:-1]) + f" and '{ordered[-1]}'"


def _to_json(spec: Spec) -> dict[str, Any]:
    if isinstance(spec, Text):
        return _text_json(spec)
    if isinstance(spec, Int):
        return {"type": "integer", "minimum": spec.minimum, "maximum": spec.maximum}
    if isinstance(spec, Num):
        return {"type": "number", "minimum": spec.minimum, "maximum": spec.maximum}
    if isinstance(spec, Bool):
        return {"type": "boolean"}
    if isinstance(spec, Enum):
        return {"type": "string", "enum": list(spec.values)}
    if isinstance(spec, Seq):
        return _seq_json(spec)
    if isinstance(spec, Dict):
        return {
            "type": "object",
            "propertyNames": {"pattern": spec.key_pattern},
            "additionalProperties": _to_json(spec.value),
        }
    if isinstance(spec, OneOf):
        base = _to_json(spec.obj)
        base["oneOf"] = [{"required": [k]} for k in spec.keys]
        return base
    return _obj_json(spec)


def _text_json(spec: Text) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string"}
    if spec.min_length:
        out["minLength"] = spec.min_length
    out["maxLength"] = spec.max_length
    if spec.kind in PATTERNS:
        out["pattern"] = PATTERNS[spec.kind]
    if spec.kind == "markdown":
        out["description"] = "Markdown, without raw HTML."
    elif spec.kind == "text" and spec.published:
        out["description"] = "Plain text, shown as written: no Markdown link or image, HTML or '{...}'."
        out["not"] = {"pattern": PLAIN_TEXT_MARKUP}
    return out


def _seq_json(spec: Seq) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "array", "items": _to_json(spec.item)}
    if spec.min_items:
        out["minItems"] = spec.min_items
    if spec.unique:
        out["uniqueItems"] = True
    return out


def _obj_json(spec: Obj) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for f in spec.fields:
        props[f.name] = _to_json(f.spec)
        if f.description:
            props[f.name]["description"] = f.description
    out = {
        "type": "object",
        "title": spec.title,
        "properties": props,
        "additionalProperties": False,
    }
    required = [f.name for f in spec.fields if f.required]
    if required:
        out["required"] = required
    if spec.description:
        out["description"] = spec.description
    return out


def json_schema(kind: str, spec: Obj | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of file (``spec`` for kinds outside :data:`KINDS`)."""
    spec = spec or KINDS[kind]
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://launchbook.dev/schema/{kind}.json",
    }
    out.update(_to_json(spec))
    return out
