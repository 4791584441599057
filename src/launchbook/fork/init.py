"""``launchbook init DIR``: write a ready-to-use fork.

The fork checks clean and builds at once: ``fork.yml`` names the upstream
playbooks, ``overlay/`` holds commented examples that load as empty files, and
``.launchbook/base/<version>.json`` records upstream's fingerprints for
``launchbook diff``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .. import __version__
from ..checks import run_checks
from ..errors import UsageError
from ..fsutil import InUse, check_output_folder
from ..model import Playbook, load_playbook
from ..overlay import BUNDLED, FORK_FILE, is_fork
from ..serialize import hidden_characters, yaml_scalar
from . import templates as t
from .diff import dump_snapshot, fingerprints

_MD_PUNCT = re.compile(r"[\\`*_{}\[\]#|]")  # Python-Markdown's and CommonMark's backslash escapes


def _md_text(text: str) -> str:
    """``text`` as literal Markdown text: no link, image, HTML, emphasis or ``{ attribute list }``,
    and no list or heading when it starts a line."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_PUNCT.sub(lambda m: "\\" + m.group(), text)
    start = re.match(r"[-+=]|\d+[.)]", text)  # a list item or setext underline at a line start
    return text[: start.end() - 1] + "\\" + text[start.end() - 1 :] if start else text


def check_name(name: str, origin: str) -> str:
    """``name`` if it can be an organization's name: one line, no control, bidi or invisible
    characters (they would add keys to fork.yml or mkdocs.yml, or hide what the name says)."""
    if not name.strip():
        raise UsageError(f"{origin}: the organization's name is empty; give one with --name")
    bad = hidden_characters(name)
    if bad:
        raise UsageError(
            f"{origin}: the organization's name holds control or invisible characters ({', '.join(bad)}); "
            "give a one-line name of visible characters with --name (nothing was written)"
        )
    return name


def _upstream(upstream: str | None) -> tuple[str, Path]:
    """('bundled' or the path as given, resolved folder)."""
    if upstream is None or upstream == BUNDLED:
        from ..locate import bundled_playbooks

        return BUNDLED, bundled_playbooks()
    path = Path(upstream)
    if is_fork(path):
        raise UsageError(f"{upstream}: is itself a fork; point --upstream at a playbooks folder")
    if (path / "playbooks" / "launchbook.yml").is_file():
        path = path / "playbooks"
    if not (path / "launchbook.yml").is_file():
        raise UsageError(f"{upstream}: not a playbook folder (no launchbook.yml)")
    return str(path), path


def _load_upstream(path: Path, shown: str) -> Playbook:
    res = load_playbook(path)
    errors = [p for p in res.problems if p.level == "error"]
    if res.playbook is not None:
        errors += [p for p in run_checks(res.playbook) if p.level == "error"]
    if errors or res.playbook is None:
        raise UsageError(f"the upstream playbooks in {shown} have errors; run 'launchbook check {shown}'")
    return res.playbook


def _placeholders(pb: Playbook, org: str, title: str, upstream: str, rel_upstream: str) -> dict[str, str]:
    roles = [r.id for r in pb.roles] or ["product-owner"]
    fm = pb.failure_modes[0] if pb.failure_modes else None
    question = next(pb.questions(), None)
    others = [q for f in pb.failure_modes[1:-1] for q in f.questions]
    last_q = others[-1] if others else question
    remediation = next(pb.remediations(), None)
    checklist = pb.checklists[0] if pb.checklists else None
    cl_item = checklist.items[0].ref if checklist and checklist.items else "some-question"
    prefix = re.sub(r"[^a-z0-9]+", "-", org.lower()).strip("-") or "acme"
    return {
        "@@ORG_YAML@@": yaml_scalar(org),
        "@@TITLE_YAML@@": yaml_scalar(title),
        "@@UPSTREAM_YAML@@": BUNDLED if upstream == BUNDLED else yaml_scalar(rel_upstream),
        "@@UPSTREAM_DESC@@": (
            "the set bundled with the installed launchbook"
            if upstream == BUNDLED
            else f"the playbooks folder {_md_text(rel_upstream)}"
        ),
        "@@ORG_MD@@": _md_text(org),
        "@@TITLE_MD@@": _md_text(title),
        "@@ORG@@": org,
        "@@TITLE@@": title,
        "@@BASE@@": pb.manifest.version,
        "@@VERSION@@": __version__,
        "@@PREFIX@@": prefix,
        "@@ROLE@@": roles[0],
        "@@ROLE2@@": roles[1] if len(roles) > 1 else roles[0],
        "@@FM@@": fm.id if fm else "some-failure-mode",
        "@@PHASE@@": pb.manifest.phases[0].id,
        "@@QUESTION@@": question.id if question else "some-question",
        "@@FM_LAST@@": pb.failure_modes[-1].id if pb.failure_modes else "some-failure-mode",
        "@@QUESTION_LAST@@": last_q.id if last_q else "some-question",
        "@@REMEDIATION@@": remediation.id if remediation else "some-remediation",
        "@@CHECKLIST@@": checklist.id if checklist else "some-checklist",
        "@@CL_ITEM@@": cl_item,
    }


def _fill(text: str, values: dict[str, str]) -> str:
    """Each ``@@KEY@@`` of ``text`` replaced by its value, in one pass: a value is never read again
    (a name holding ``@@ROLE@@`` stays as it is)."""
    return re.sub(r"@@[A-Z0-9_]+@@", lambda m: values.get(m.group(), m.group()), text)


def init_fork(target: Path, name: str | None = None, upstream: str | None = None) -> list[Path]:
    """Write a new fork into ``target`` (which must be empty or absent); returns the files written."""
    # refused: inside .git, under a file, a name the system refuses (InUse(): a fork may go anywhere else)
    check_output_folder(target, "init", InUse(), what="fork folder")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target}: exists and is not empty; choose a new folder (nothing was written)")
    kind, up_path = _upstream(upstream)
    pb = _load_upstream(up_path, str(upstream or up_path))
    if name is not None:
        org = check_name(name, "--name")
    else:
        folder = target.resolve().name.replace("-", " ").replace("_", " ").title() or "Our organization"
        org = check_name(folder, f"{target} (the name comes from the folder)")
    title = f"{org} ML launch playbooks"
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"{target}: cannot be created ({exc.strerror or exc}); choose another folder"
        ) from None
    rel = kind
    if kind != BUNDLED:  # relative when close by (e.g. a submodule), so the fork can move; else absolute
        rel = os.path.relpath(up_path.resolve(), target.resolve())
        if rel.startswith(os.pardir + os.sep + os.pardir + os.sep):
            rel = str(up_path.resolve())
    values = _placeholders(pb, org, title, kind, rel)

    from ..site.config import default_config

    mkdocs = (
        f"# The site of {org}'s playbooks: 'launchbook build' writes it to site/, 'launchbook serve'"
        ' previews it.\n# The launchbook plugin reads fork.yml (playbooks: ".") and adds a page per'
        " failure mode, role, checklist.\n# Checklist PDFs print on A4 and on Letter (papers: [a4-letter]);"
        " for files of one exact size add\n# papers: [letter] (or [a4], or [a4, letter]) under"
        " playbooks below.\n" + default_config(Path("."), Path("docs"), site_name=title)
    )
    files: dict[str, str] = {
        FORK_FILE: t.FORK_YML,
        "overlay/roles.yml": t.ROLES_YML,
        "overlay/sources.yml": t.SOURCES_YML,
        "overlay/extend.yml": t.EXTEND_YML,
        "overlay/exclude.yml": t.EXCLUDE_YML,
        "overlay/overrides/example.yml": t.OVERRIDES_YML,
        "overlay/failure-modes/README.md": t.FM_README,
        "overlay/checklists/README.md": t.CL_README,
        "docs/index.md": t.INDEX_MD,
        "mkdocs.yml": mkdocs,
        "README.md": t.README_MD,
        ".gitignore": t.GITIGNORE,
        ".pre-commit-config.yaml": t.PRE_COMMIT,
        ".github/workflows/launchbook.yml": t.WORKFLOW,
    }
    written = []
    for rel_path, text in files.items():
        path = target / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        # mkdocs.yml is final text already (its values come from the YAML serializer), so it is not filled
        path.write_text(text if rel_path == "mkdocs.yml" else _fill(text, values), encoding="utf-8")
        written.append(path)
    snap = target / ".launchbook" / "base" / f"{pb.manifest.version}.json"
    snap.parent.mkdir(parents=True, exist_ok=True)
    snap.write_text(dump_snapshot(fingerprints(pb)), encoding="utf-8")
    written.append(snap)
    return written
