"""scripts/make_synthetic.py, the synthetic playbook generator, loaded as a module (scripts/ is not
a package): ``GEN.write_set(n, folder, seed)``."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from . import ROOT


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_synthetic", ROOT / "scripts" / "make_synthetic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


GEN = _generator()
