"""The test suite's own rules: test modules share code only through tests/support/ and fixtures,
the ``pdf`` marker is on every test that renders a PDF, and the golden-file fixture compares and
rewrites."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .support import ROOT
from .support.golden import UPDATE_ENV, check_golden

TESTS = ROOT / "tests"


def _imported_modules(path: Path) -> list[str]:
    """Every module ``path`` imports, relative imports spelt ``.name``, at any depth of the file."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.append(base)
            if node.module is None:  # from . import x
                found += [base + alias.name for alias in node.names]
    return found


def test_no_test_module_imports_another_test_module_or_conftest() -> None:
    modules = sorted(TESTS.glob("test_*.py")) + sorted((TESTS / "support").glob("*.py"))
    assert len(modules) > 20
    offending = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules
        for name in _imported_modules(path)
        if name.rsplit(".", 1)[-1].startswith(("test_", "conftest"))
    ]
    assert offending == [], "share code through tests/support/ or a fixture in tests/conftest.py"


def test_the_import_scan_sees_imports_inside_functions(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "from .support import ROOT\n\ndef f() -> None:\n    from .test_other import x\n    from . import conftest\n",
        encoding="utf-8",
    )
    assert _imported_modules(sample) == [".support", ".test_other", ".", ".conftest"]


# ---------------------------------------------------------------- the pdf marker is kept honest


def test_an_unmarked_test_cannot_import_weasyprint() -> None:
    with pytest.raises(pytest.fail.Exception, match=r"add @pytest\.mark\.pdf"):
        import weasyprint  # noqa: F401


def test_nor_can_a_process_it_starts() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import weasyprint"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0
    assert "add @pytest.mark.pdf" in proc.stderr


@pytest.mark.pdf
def test_a_pdf_test_can() -> None:
    import weasyprint

    assert callable(weasyprint.HTML)
    proc = subprocess.run(
        [sys.executable, "-c", "import weasyprint"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


# ---------------------------------------------------------------- golden files


def test_golden_compares_byte_for_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(UPDATE_ENV, raising=False)
    path = tmp_path / "out.txt"
    path.write_bytes(b"a\nb\n")
    check_golden(path, "a\nb\n")
    check_golden(path, b"a\nb\n")
    with pytest.raises(AssertionError, match="differs from the golden file"):
        check_golden(path, "a\r\nb\n")  # no newline translation hides a difference
    with pytest.raises(pytest.fail.Exception, match="missing golden file"):
        check_golden(tmp_path / "absent.txt", "x")


def test_golden_update_rewrites_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(UPDATE_ENV, "1")
    path = tmp_path / "new" / "out.md"
    check_golden(path, "é\n")
    assert path.read_bytes() == "é\n".encode()
    monkeypatch.delenv(UPDATE_ENV)
    check_golden(path, "é\n")
