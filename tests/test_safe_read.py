"""Only regular files are read, inside their root, never past a limit; numbers, JSON depth, ids
and dates are bounded or full-matched before use (issue 15, items 3, 5, 6 and 10).

Each reproduction from the issue is here: a FIFO named roles.yml (run in a subprocess with a
timeout: the old code hung), sources.yml linked to /dev/zero, a 400 MB sparse file (bytes read
are counted), a link out of the tree, a 5,000-digit level, deeply nested JSON as ``--since`` and
as the recorded base, an id ``"x\\n"`` that ``assess --template`` duplicated, and impossible dates.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from launchbook.cli import main
from launchbook.importers.reader import Budget, ForeignDataError, read_yaml
from launchbook.loader import load_bytes, load_document
from launchbook.saferead import JsonLimitError, ReadRefused, TooLarge, loads_json, read_regular
from launchbook.schema import ANSWERS, FAILURE_MODE, ID_RE, SOURCES, compile_full, is_real_date, json_schema

from .support import MINIMAL

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
FM = "failure-modes/no-data.yml"
_RUN = "import sys; from launchbook.cli import main; sys.exit(main(sys.argv[1:]))"
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _check_in_subprocess(folder: Path, *extra: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``launchbook check`` in a child process: a hang fails the test instead of hanging it."""
    env = {**os.environ, "PYTHONPATH": SRC, "XDG_CACHE_HOME": str(folder.parent / ".cache")}
    return subprocess.run(
        [sys.executable, "-c", _RUN, "check", str(folder), *extra],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


# ------------------------------------------------------------------ special files
@posix_only
def test_fifo_named_roles_yml_is_refused_without_hanging(minimal: Path) -> None:
    roles = minimal / "roles.yml"
    roles.unlink()
    os.mkfifo(roles)
    res = _check_in_subprocess(minimal)  # the old code blocked forever in open()
    assert res.returncode == 2, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    assert re.search(r"roles\.yml:1:1: LB115 cannot read file: a named pipe \(FIFO\)", res.stdout), res.stdout
    assert "hint: replace it with an ordinary file" in res.stdout


@posix_only
def test_fifo_among_failure_modes_is_reported_not_skipped(minimal: Path) -> None:
    os.mkfifo(minimal / "failure-modes" / "pipe.yml")
    res = _check_in_subprocess(minimal)
    assert res.returncode == 1, res.stdout + res.stderr
    assert re.search(r"pipe\.yml:1:1: LB115 .*named pipe", res.stdout), res.stdout


@posix_only
def test_sources_linked_to_dev_zero_is_refused(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = minimal / "sources.yml"
    sources.unlink()
    sources.symlink_to("/dev/zero")
    assert main(["check", str(minimal)]) == 2
    out = capsys.readouterr().out
    assert re.search(
        r"sources\.yml:1:1: LB115 cannot read file: a link that leads out of the playbook folder", out
    )
    # and without a root (an answers file), a device is refused for what it is
    with pytest.raises(ReadRefused, match="character device"):
        read_regular(Path("/dev/zero"), 100)


def test_link_out_of_the_tree_is_refused_and_a_link_inside_is_followed(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_bytes((minimal / FM).read_bytes())
    (minimal / FM).unlink()
    (minimal / FM).symlink_to(outside)
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"no-data\.yml:1:1: LB115 cannot read file: a link that leads out", out), out
    assert "copy the file into the folder" in out
    # a link that stays inside the playbook folder is fine
    inside = minimal / "stash"
    inside.mkdir()
    outside.rename(inside / "no-data.yml")
    (minimal / FM).unlink()
    (minimal / FM).symlink_to(Path("..") / "stash" / "no-data.yml")
    assert main(["check", str(minimal)]) == 0, capsys.readouterr().out


def test_a_folder_in_place_of_a_file_is_named(minimal: Path) -> None:
    (minimal / FM).unlink()
    (minimal / FM).mkdir()
    doc = load_document(minimal / FM, FAILURE_MODE, "fm.yml", minimal)
    assert [(p.code, p.line, p.column) for p in doc.problems] == [("LB115", 1, 1)]
    assert "a folder, not a regular file" in doc.problems[0].message


# ------------------------------------------------------------------ size limits
def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    sizes: list[int] = []
    real_read = os.read

    def counting(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        sizes.append(len(data))
        return data

    monkeypatch.setattr("launchbook.saferead.os.read", counting)
    return sizes


def test_sparse_400_mb_file_is_refused_before_reading(
    minimal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    big = minimal / "failure-modes" / "big.yml"
    with big.open("wb") as fh:
        fh.truncate(400 << 20)  # sparse: no disk used
    sizes = _count_reads(monkeypatch)
    with pytest.raises(TooLarge) as info:
        read_regular(big, 1 << 20)
    assert info.value.size == 400 << 20
    assert sizes == []  # refused from fstat, nothing read
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"big\.yml:1:1: LB102 file is 419,430,400 bytes, over the 1,048,576-byte limit", out), (
        out
    )
    assert sum(sizes) < 2 << 20  # the other files only: the big one was never read


def test_size_limit_is_enforced_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that reports a small size but is large (it grew, or /proc lies) is read only to limit + 1."""
    big = tmp_path / "grows.yml"
    with big.open("wb") as fh:
        fh.truncate(50 << 20)
    real_stat, real_fstat = os.stat, os.fstat

    def small(st: os.stat_result) -> os.stat_result:
        fields = list(st)
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr("launchbook.saferead.os.stat", lambda p: small(real_stat(p)))
    monkeypatch.setattr("launchbook.saferead.os.fstat", lambda fd: small(real_fstat(fd)))
    sizes = _count_reads(monkeypatch)
    with pytest.raises(TooLarge, match="over the 1,000-byte limit"):
        read_regular(big, 1000)
    assert sum(sizes) == 1001


# A program's own peak memory in KB: VmHWM belongs to its memory map, which exec makes new.
# ru_maxrss is kept across exec on Linux, so a child of pytest reports pytest's size too.
PEAK_KB = """\
def peak_kb():
    try:
        with open("/proc/self/status") as f:
            return int(next(line for line in f if line.startswith("VmHWM:")).split()[1])
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""


def test_peak_memory_stays_small_on_a_400_mb_file(minimal: Path) -> None:
    with (minimal / "sources.yml").open("r+b") as fh:
        fh.truncate(400 << 20)
    # Peak memory from /proc/self/status (VmHWM, kB): getrusage's ru_maxrss survives execve, so a
    # child started by a big pytest process would report the parent's size, not its own.
    code = (
        "import sys\n"
        "from launchbook.cli import main\n"
        f"rc = main(['check', {str(minimal)!r}])\n"
        f"{PEAK_KB}print('rss', peak_kb())\n"
        "sys.exit(rc)\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC, "XDG_CACHE_HOME": str(minimal.parent / ".cache")}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert "LB102" in res.stdout, res.stdout + res.stderr
    rss_kb = int(res.stdout.rsplit("rss ", 1)[1].split()[0])
    assert rss_kb < 200_000, f"peak {rss_kb} KB: the file was read"


def test_the_peak_measured_is_the_childs_own() -> None:
    """The reproduction: with pytest at 700 MB (after the browser tests), ru_maxrss made the test
    above fail though the check read nothing."""
    if not Path("/proc/self/status").is_file():  # pragma: no cover - Linux measures this
        pytest.skip("no /proc/self/status: the peak is ru_maxrss, which counts the parent's")
    ballast = bytearray(300 << 20)
    ballast[:: 1 << 12] = b"\x01" * len(range(0, len(ballast), 1 << 12))  # touch every page
    code = f"{PEAK_KB}print(peak_kb())\n"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    del ballast
    assert int(res.stdout) < 100_000


# ------------------------------------------------------------------ numbers and JSON
def test_5000_digit_level_is_a_located_error(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fm = minimal / FM
    fm.write_text(fm.read_text().replace("    level: 0", "    level: " + "9" * 5000))
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"no-data\.yml:15:12: LB204 a number with 5,000 digits is out of range for 'level'", out)
    assert "use a number from 0 to 9" in out


def test_json_limits_are_located() -> None:
    with pytest.raises(JsonLimitError, match="nesting deeper than 16 levels") as deep:
        loads_json("\n  " + "[" * 100_000 + "]" * 100_000, 16)
    assert (deep.value.lineno, deep.value.colno) == (2, 19)
    with pytest.raises(JsonLimitError, match="a number with 5,000 digits") as long:
        loads_json('{"a": "' + "1" * 5000 + '", "level": ' + "7" * 5000 + "}", 16)
    assert long.value.colno == 7 + 5000 + 12 + 1  # the digits inside the string were skipped
    with pytest.raises(JsonLimitError):
        loads_json('{"a": NaN}', 16)
    assert loads_json('{"a": [[["\\"[[[["]], 12345, 1.5]}', 4) == {"a": [[['"[[[[']], 12345, 1.5]}


def test_nist_import_deep_json_and_long_number_are_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "playbook.json"
    for content, expected in (
        ("[" * 100_000 + "]" * 100_000, r"playbook\.json:1:65: JSON error: nesting deeper than 64 levels"),
        ('[{"level": ' + "1" * 5000 + "}]", r"playbook\.json:1:12: JSON error: a number with 5,000 digits"),
    ):
        src.write_text(content, encoding="utf-8")
        assert main(["import", "nist-ai-rmf", str(src), "-o", str(tmp_path / "out")]) == 2
        err = capsys.readouterr().err
        assert re.search(expected, err), err
        assert "Traceback" not in err


def test_deon_import_long_number_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "deon"
    src.mkdir()
    (src / "checklist.yml").write_text(
        "title: T\nsections:\n  - title: S\n    section_id: A\n    level: " + "5" * 5000 + "\n",
        encoding="utf-8",
    )
    assert main(["import", "deon", str(src), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert re.search(r"checklist\.yml:5:12: a number with 5,000 digits", err), err


@posix_only
def test_import_refuses_a_fifo_and_a_link_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "deon"
    src.mkdir()
    fifo = src / "checklist.yml"
    os.mkfifo(fifo)
    with pytest.raises(ForeignDataError, match=r"named pipe \(FIFO\), not a regular file"):
        read_yaml(fifo, Budget(src.resolve()))
    assert main(["import", "deon", str(src), "-o", str(tmp_path / "out")]) == 2  # no hang
    capsys.readouterr()
    fifo.unlink()
    fifo.symlink_to("/etc/hostname")
    assert main(["import", "deon", str(src), "-o", str(tmp_path / "out")]) == 2
    assert "leads out of the playbook folder" in capsys.readouterr().err


def _fork(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "acme"), "--upstream", str(MINIMAL)]) == 0
    return tmp_path / "acme"


def test_diff_since_deep_json_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _fork(tmp_path)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    capsys.readouterr()
    assert main(["diff", str(root), "--since", str(deep)]) == 2
    err = capsys.readouterr().err
    assert "LB409" in err and "nesting deeper than 16 levels" in err, err
    assert "RecursionError" not in err and "Traceback" not in err
    # the same as the recorded base
    (base,) = (root / ".launchbook" / "base").glob("*.json")
    base.write_text('{"launchbook_snapshot": 1, "items": ' + "{" * 100_000 + "}" * 100_000 + "}")
    assert main(["diff", str(root)]) == 2
    err = capsys.readouterr().err
    assert "LB409" in err and "nesting deeper" in err, err


# ------------------------------------------------------------------ full match
@pytest.mark.parametrize("value", ["x\n", "x\n\n", "\nx", "x-", "X"])
def test_ids_are_full_matched(value: str) -> None:
    assert ID_RE.match(value) is None
    assert ID_RE.fullmatch(value) is None


def test_published_patterns_stay_ecma_and_python_matches_whole_text() -> None:
    schema = json.dumps(json_schema("failure-mode"))
    assert "\\\\Z" not in schema  # no Python-only anchor in the JSON Schema
    assert '"pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"' in schema
    url = compile_full(r"^https?://[^\s]+$")
    assert url.match("https://example.org") and not url.match("https://example.org\n")


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("id: data-sample-seen", 'id: "data-sample-seen\\n"', "LB203"),
        ("id: no-data", 'id: "no-data\\n"', "LB203"),
        ("phases: [data]", 'phases: ["data\\n"]', "LB203"),
    ],
)
def test_ids_and_tags_with_a_trailing_newline_are_refused(
    old: str, new: str, code: str, minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fm = minimal / FM
    text = fm.read_text()
    assert old in text
    fm.write_text(text.replace(old, new, 1))
    assert main(["check", str(minimal)]) == 1
    assert f" {code} " in capsys.readouterr().out


def test_assess_template_never_writes_a_duplicate_id(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reproduction: question ids "x\\n" and "x" (in two files) were both accepted, and the
    template wrote 'x' twice, then refused its own file. Now check refuses "x\\n" first."""
    fm = minimal / FM
    other = minimal / "failure-modes" / "no-plan.yml"
    fm.write_text(fm.read_text().replace("id: data-sample-seen", 'id: "x\\n"'))
    other.write_text(other.read_text().replace("id: plan-written", "id: x"))
    out = tmp_path / "answers.yml"
    assert main(["assess", "--template", str(minimal), "-o", str(out)]) in (1, 2)
    text = capsys.readouterr()
    assert "LB203" in text.out + text.err
    assert not out.exists()


@pytest.mark.parametrize(
    ("date", "ok"),
    [
        ("2024-13-45", False),
        ("2024-02-30", False),
        ("2023-02-29", False),
        ("2024-00", False),
        ("2024-1", False),
        ("2024-02-29", True),
        ("2024-12", True),
        ("2024", True),
        ("n.d.", True),
    ],
)
def test_dates_are_real_dates(date: str, ok: bool, minimal: Path) -> None:
    path = minimal / "sources.yml"
    text = path.read_text()
    assert 'date: "2022-04-19"' in text
    doc = load_bytes(text.replace('date: "2022-04-19"', f'date: "{date}"').encode(), SOURCES, "s.yml")
    assert doc.ok is ok, doc.problems
    if not ok:
        assert [p.code for p in doc.problems] == ["LB209"]
        assert "real date" in doc.problems[0].hint
    assert is_real_date(date) is ok or not re.fullmatch(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?", date)


# ------------------------------------------------------------------ smaller items
def test_merge_key_in_a_list_item_is_named(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fm = minimal / FM
    fm.write_text(fm.read_text().replace("signs:\n  - Nobody", "signs:\n  - <<: {a: b}\n  - Nobody"))
    assert main(["check", str(minimal)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"no-data\.yml:7:5: LB111 merge key '<<' is not allowed", out), out
    assert "must be a single value" not in out


def test_blank_answer_is_unanswered_not_an_error(tmp_path: Path) -> None:
    """A blank ``answer:`` counts as unanswered (issue 17), so the old hint "give answer a answer"
    is not printed at all; a required field left empty elsewhere reads as English."""
    raw = b"checklist: kickoff\nanswers:\n  - id: data-sample-seen\n    answer:\n"
    assert [p for p in load_bytes(raw, ANSWERS, "a.yml").problems if p.level == "error"] == []
    raw = b"answers:\n  - id:\n    answer: yes\n"
    hints = [p.hint for p in load_bytes(raw, ANSWERS, "a.yml").problems if p.code == "LB201"]
    assert hints == ["write a value after 'id:'"]


@posix_only
def test_answers_file_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.yml"
    os.mkfifo(fifo)
    doc = load_document(fifo, ANSWERS)  # would block in open() before
    assert [p.code for p in doc.problems] == ["LB115"]


def test_every_problem_in_this_module_is_documented() -> None:
    from launchbook.cli import main as _main

    assert _main(["explain", "LB115"]) == 0
    assert _main(["explain", "LB111"]) == 0
