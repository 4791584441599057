"""Regenerate src/launchbook/frameworks/*.json: the id lists of the frameworks `maps_to` may name.

Usage: .venv/bin/python scripts/make_framework_ids.py [ANCHORS_DATA]
(default: ../shared/anchors-data next to the repository). Reads each framework's
real data with the same readers as `launchbook import`, so the ids checked by
LB318 are exactly the ids an import keeps. Output is deterministic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from launchbook.importers import IMPORTERS
from launchbook.importers.reader import Budget

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "launchbook" / "frameworks"
SOURCES = {
    "atlas": "mitre-atlas/data",
    "deon": "deon/deon/assets",
    "nist-ai-rmf": "nist-ai-rmf-playbook",
    "samm": "owasp-samm/model",
}


def main(argv: list[str]) -> int:
    data = Path(argv[0]) if argv else REPO.parent / "shared" / "anchors-data"
    for name, rel in sorted(SOURCES.items()):
        imp = IMPORTERS[name]
        src = data / rel
        parsed = imp.read(src, Budget(src.resolve()))
        a = imp.attribution
        doc = {
            "framework": name,
            "title": a.title,
            "url": a.url,
            "license": a.license,
            "version": str(getattr(parsed, "version", "") or ""),
            "id_scheme": imp.id_scheme,
            "items": imp.catalog(parsed),
        }
        path = OUT / f"{name}.json"
        path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{path.relative_to(REPO)}: {len(doc['items'])} ids")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
