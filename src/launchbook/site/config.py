"""The one MkDocs configuration of a launchbook site, as data, written by the YAML serializer.

``launchbook build`` and ``serve`` (no ``mkdocs.yml``), ``launchbook init`` (a fork's
``mkdocs.yml``) and ``launchbook generate`` (plain MkDocs, no plugin) all write
:func:`site_config`; they differ only in the plugin entry or, for ``generate``, the assets and
nav the plugin would add. Every value goes through :func:`launchbook.serialize.yaml_document`,
so a site name or path holding YAML syntax or hidden characters loads back as exactly itself.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from ..serialize import yaml_document

ASSETS = ("launchbook.css", "launchbook-graph.js")  # loaded by every page
PAGE_ASSETS = ("assess.js", "meeting.js")  # copied, but loaded only by the pages that need them
ASSET_DIR = "assets/launchbook"
# The pages' anchors ({ #id }) and HTML blocks need these; the plugin adds any a fork's config lacks.
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables", "toc")
COPYRIGHT = (
    "Based on the launchbook playbooks © launchbook contributors, licensed under "
    '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>'
)
THEME: dict[str, Any] = {
    "name": "material",
    "font": False,  # no request to Google Fonts
    "features": ["navigation.sections", "navigation.top", "search.highlight", "content.code.copy"],
    "palette": [
        {
            "media": "(prefers-color-scheme: light)",
            "scheme": "default",
            "primary": "indigo",
            "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"},
        },
        {
            "media": "(prefers-color-scheme: dark)",
            "scheme": "slate",
            "primary": "indigo",
            "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"},
        },
    ],
}
MARKDOWN_EXTENSIONS: list[Any] = [
    "attr_list",
    "md_in_html",
    "admonition",
    "tables",
    {"toc": {"permalink": True}},
]


def site_config(
    site_name: str,
    docs_dir: str,
    *,
    plugin: dict[str, Any] | None = None,
    nav: list[Any] | None = None,
) -> dict[str, Any]:
    """The MkDocs configuration as data. With ``plugin`` (the launchbook plugin's settings) the
    plugin adds pages, assets and nav at build time; without, the assets are listed here and
    ``nav`` is the site's (plain MkDocs of ``generate``'s output)."""
    cfg: dict[str, Any] = {
        "site_name": site_name,
        "docs_dir": docs_dir,
        "use_directory_urls": True,
        "copyright": COPYRIGHT,
        "theme": copy.deepcopy(THEME),
    }
    if plugin is not None:
        cfg["plugins"] = ["search", {"launchbook": dict(plugin)}]
    else:
        cfg["plugins"] = ["search"]
        cfg["extra_css"] = [f"{ASSET_DIR}/{a}" for a in ASSETS if a.endswith(".css")]
        cfg["extra_javascript"] = [f"{ASSET_DIR}/{a}" for a in ASSETS if a.endswith(".js")]
    cfg["markdown_extensions"] = copy.deepcopy(MARKDOWN_EXTENSIONS)
    if nav is not None:
        cfg["nav"] = nav
    return cfg


def config_text(cfg: dict[str, Any], header: str = "") -> str:
    """``cfg`` as a mkdocs.yml, after ``header`` (comment lines)."""
    return header + yaml_document(cfg)


def default_config(playbooks: Path, docs_dir: Path, site_name: str = "launchbook") -> str:
    """The mkdocs.yml of a site built with the launchbook plugin reading ``playbooks``."""
    return config_text(site_config(site_name, str(docs_dir), plugin={"playbooks": str(playbooks)}))
