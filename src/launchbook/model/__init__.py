"""The model of a playbook set: frozen dataclasses, built from loaded files.

Past this package nothing touches dicts from YAML: every other module reads these types
(:mod:`.types`), built by :mod:`.build` from the loader's documents, a folder at a time by
:func:`load_playbook` (:mod:`.load`).
"""

from __future__ import annotations

from .build import (
    Builder,
    LazyLocs,
    build_checklist,
    build_citations,
    build_failure_mode,
    build_items,
    build_manifest,
    build_maps_to,
    build_question,
    build_related,
    build_remediation,
    build_role,
    build_roles,
    build_sources,
)
from .load import CORE_FILES, LoadResult, display_path, load_playbook, playbook_files, yaml_files
from .types import (
    ById,
    Category,
    Checklist,
    ChecklistItem,
    Citation,
    FailureMode,
    Indexes,
    Level,
    Locs,
    Manifest,
    MapsTo,
    Phase,
    Playbook,
    Question,
    Related,
    Remediation,
    Role,
    Source,
    Statistic,
)

__all__ = [
    "CORE_FILES",
    "Builder",
    "ById",
    "Category",
    "Checklist",
    "ChecklistItem",
    "Citation",
    "FailureMode",
    "Indexes",
    "LazyLocs",
    "Level",
    "LoadResult",
    "Locs",
    "Manifest",
    "MapsTo",
    "Phase",
    "Playbook",
    "Question",
    "Related",
    "Remediation",
    "Role",
    "Source",
    "Statistic",
    "build_checklist",
    "build_citations",
    "build_failure_mode",
    "build_items",
    "build_manifest",
    "build_maps_to",
    "build_question",
    "build_related",
    "build_remediation",
    "build_role",
    "build_roles",
    "build_sources",
    "display_path",
    "load_playbook",
    "playbook_files",
    "yaml_files",
]
