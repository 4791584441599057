"""The rebuild loop of ``launchbook serve``, callable without a server (for tests and benchmarks)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig


def preview_builder(config_file: Path, site_dir: Path) -> tuple[Callable[[], None], Callable[[], None]]:
    """(rebuild, close) behaving as ``mkdocs serve`` with dirty builds: the first call builds
    everything, later calls re-render only what changed."""

    def get_config() -> MkDocsConfig:
        return load_config(config_file=str(config_file), site_dir=str(site_dir))

    first = get_config()
    first.plugins.on_startup(command="serve", dirty=True)
    state = {"config": first}

    def rebuild() -> None:
        config = state.pop("config", None) or get_config()
        build(config, dirty=True)

    def close() -> None:
        first.plugins.on_shutdown()

    return rebuild, close
