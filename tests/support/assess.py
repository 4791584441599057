"""Helpers of the assess tests (tests/test_assess.py, tests/test_assess_import.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from launchbook.model import Playbook, load_playbook, with_role_names

from . import PLAYBOOKS, ROOT

ASSESS_JS = ROOT / "src" / "launchbook" / "site" / "assets" / "assess.js"


@cache
def playbook(root: Path = PLAYBOOKS) -> Playbook:
    """The playbooks at ``root`` (the bundled ones by default), loaded once per test run."""
    pb = load_playbook(root).playbook
    assert pb is not None
    return with_role_names(pb)  # as the commands read it: role references shown as names


def node(script: str, payload: Any) -> Any:
    """Run ``script`` under node with assess.js's path as its argument and ``payload`` as JSON on
    stdin; return its stdout parsed as JSON. Skips the test where node is not installed."""
    if shutil.which("node") is None:  # pragma: no cover - node is part of the dev setup
        pytest.skip("node is not installed")
    proc = subprocess.run(
        ["node", "-e", script, str(ASSESS_JS)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
