"""The id lists of the frameworks a playbook's ``maps_to`` may name, shipped as data.

One JSON file per framework, generated from the frameworks' real data by
``scripts/make_framework_ids.py`` (with the importers' readers, so the ids are
those ``launchbook import`` keeps). ``maps_to`` keys are these names:

* ``nist-ai-rmf`` — the Playbook's subcategory ids as written: ``GOVERN 1.2``, ``MEASURE 2.11``;
* ``samm`` — OWASP SAMM v2 practices ``G-SM``, streams ``G-SM-A``, activities ``G-SM-1-A``
  (function initial, practice short name, maturity level, stream letter: the model's file names);
* ``atlas`` — MITRE ATLAS tactics ``AML.TA0002``, techniques ``AML.T0000`` / ``AML.T0000.001``,
  mitigations ``AML.M0000``;
* ``deon`` — deon's sections ``A`` and checklist items ``A.1``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

FRAMEWORKS = ("atlas", "deon", "nist-ai-rmf", "samm")


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    kind: str
    group: str


@dataclass(frozen=True)
class Framework:
    name: str
    title: str
    url: str
    license: str
    version: str
    id_scheme: str
    items: tuple[Item, ...]

    @property
    def ids(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}


@cache
def framework(name: str) -> Framework:
    """The shipped id list of ``name`` (one of :data:`FRAMEWORKS`)."""
    if name not in FRAMEWORKS:
        raise KeyError(name)
    raw = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    d = json.loads(raw)
    return Framework(
        name=d["framework"],
        title=d["title"],
        url=d["url"],
        license=d["license"],
        version=d.get("version", ""),
        id_scheme=d["id_scheme"],
        items=tuple(Item(i["id"], i["name"], i["kind"], i.get("group", "")) for i in d["items"]),
    )
