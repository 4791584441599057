"""The files ``launchbook init`` writes. ``@@NAME@@`` placeholders are filled by :mod:`.init`.

Placeholders are written through the target's escaping: ``@@ORG_YAML@@`` and ``@@TITLE_YAML@@``
are YAML scalars from the YAML serializer, ``@@ORG_MD@@`` and ``@@TITLE_MD@@`` literal Markdown
text; the raw ``@@ORG@@`` goes only into YAML comments (the name is one line of visible characters).

Every overlay example is commented out, so a new fork loads with an empty
overlay and checks clean; uncommenting an example gives a valid entry.
"""

from __future__ import annotations

FORK_YML = """\
# The fork of launchbook's playbooks for @@ORG@@.
# launchbook loads the upstream playbooks, then applies overlay/ on top, by id.
# Reference: the launchbook tutorial "Fork launchbook for your organization".
name: @@ORG_YAML@@
title: @@TITLE_YAML@@
# 'bundled': the playbooks shipped with the installed launchbook (upgrade with pip);
# or the path of a playbooks folder, relative to this file.
upstream: @@UPSTREAM_YAML@@
overlay: overlay
# The upstream version the overlay was last reviewed against. 'launchbook diff' compares
# upstream with the snapshot in .launchbook/base/<base>.json; 'launchbook diff --update-base'
# moves the base forward once the overlay is up to date.
base: "@@BASE@@"
"""

ROLES_YML = """\
# Roles: rename upstream roles to your organization's names, move ownership
# from one role to another, and add roles of your own.
#
# rename:                         # upstream role id -> what changes
#   @@ROLE@@:
#     name: Business owner
#     titles: [Head of Operations, Director of Sales]
#
# remap:                          # old role -> the role that takes over all it owned;
#   @@ROLE2@@: @@ROLE@@      # the old role disappears from the site
#
# add:
#   - id: acme-platform-team
#     name: Platform team
#     description: Runs the shared ML platform.
#     titles: [Platform engineer]
rename: {}
remap: {}
add: []
"""

SOURCES_YML = """\
# Sources and statistics your own failure modes cite (same fields as upstream sources.yml).
#
# sources:
#   - id: acme-postmortem-2024
#     kind: report
#     title: Churn model post-mortem
#     author: Acme data team
#     date: "2024-03"
sources: []
statistics: []
"""

EXTEND_YML = """\
# Add items to upstream checklists and failure modes.
#
# extend:
#   - checklist: @@CHECKLIST@@
#     after: @@CL_ITEM@@        # optional; default: at the end
#     items:
#       - remediation: @@REMEDIATION@@
#   - failure_mode: @@FM@@
#     questions:
#       - id: acme-security-review-booked
#         ask: Is the security review booked?
#         owner: @@ROLE@@
#         phase: @@PHASE@@
#         level: 1
extend: []
"""

EXCLUDE_YML = """\
# Drop upstream items that do not apply to your organization. A reason is required.
# Whatever still points at an excluded item (a 'requires', a checklist line, a
# 'related' entry) is dropped too, with a warning naming it (LB406).
#
# exclude:
#   - failure_mode: @@FM_LAST@@
#     reason: Not relevant to us.
#   - question: @@QUESTION_LAST@@
#     reason: Our release process already answers this.
#   # also: remediation, category, role, checklist
exclude: []
"""

OVERRIDES_YML = """\
# Change fields of upstream items by id; fields you do not set keep their upstream value.
# Any number of files in overrides/ (one per team, per topic...).
#
# overrides:
#   - failure_mode: @@FM@@
#     set:
#       tags: [acme-priority]
#   - remediation: @@REMEDIATION@@
#     set:
#       owner: @@ROLE@@
#       effort: L
#   - question: @@QUESTION@@
#     set:
#       ask: Has the steering committee seen the plan?
#   - checklist: @@CHECKLIST@@
#     set:
#       title: Acme kickoff
overrides: []
"""

FM_README = """\
# Your own failure modes

Put one file per failure mode here, `<id>.yml`, with the same fields as the
upstream files (`launchbook schema --kind failure-mode` prints the JSON Schema).
Prefix ids with a short name of your organization (`acme-...`, as in the examples
of `overlay.yml`) so they never clash with a future upstream id. Cite sources from upstream `sources.yml` or from
`overlay/sources.yml`.
"""

CL_README = """\
# Your own checklists

Put one file per checklist here, `<id>.yml`, with the same fields as the
upstream checklists. To add lines to an upstream checklist, use
`overlay/extend.yml` instead.
"""

INDEX_MD = """\
# @@TITLE_MD@@

@@ORG_MD@@'s playbooks for getting machine-learning projects into production, based on
launchbook @@BASE@@ and tailored to how we work.

<!-- launchbook:stats-chart -->

## Failure modes by category

<!-- launchbook:categories -->
"""

GITIGNORE = """\
site/
.cache/
__pycache__/
"""

PRE_COMMIT = """\
# pre-commit install   # then every commit runs 'launchbook check'
repos:
  - repo: local
    hooks:
      - id: launchbook-check
        name: launchbook check
        entry: launchbook check
        language: system
        pass_filenames: false
        files: ^(fork\\.yml|overlay/|docs/|mkdocs\\.yml)
"""

WORKFLOW = """\
# Check the playbooks on every push and pull request; publish the site to GitHub Pages
# from the main branch (Settings -> Pages -> Source: GitHub Actions).
name: launchbook

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: pages-${{ github.ref }}
  cancel-in-progress: true

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install launchbook
        run: |
          sudo apt-get update && sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0
          python -m pip install "launchbook==@@VERSION@@"
      - name: Check
        run: launchbook check --format github
      - name: Build the site
        run: launchbook build
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

  deploy:
    if: github.event_name == 'push' && github.ref == 'refs/heads/main'
    needs: check
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

README_MD = """\
# @@TITLE_MD@@

@@ORG_MD@@'s fork of the launchbook playbooks:
why machine-learning projects stall before production, the questions that reveal it,
and who owns each fix, tailored to @@ORG_MD@@.

Nothing upstream is copied here. `fork.yml` names the upstream playbooks
(@@UPSTREAM_DESC@@) and `overlay/` holds our changes, by id:

| file | what it does |
|---|---|
| `overlay/roles.yml` | rename roles (`rename:`), move ownership (`remap:`), add roles (`add:`) |
| `overlay/overrides/*.yml` | change fields of upstream failure modes, questions, remediations, checklists |
| `overlay/exclude.yml` | drop what does not apply to us, each with a `reason:` |
| `overlay/extend.yml` | add lines to upstream checklists, questions and remediations to failure modes |
| `overlay/failure-modes/<id>.yml` | failure modes of our own |
| `overlay/checklists/<id>.yml` | checklists of our own |
| `overlay/sources.yml` | sources our own items cite |
| `docs/` | hand-written pages of the site (`docs/index.md` is the home page) |
| `.launchbook/base/` | fingerprints of upstream at our base version, for `launchbook diff` (commit them) |

Every file in `overlay/` starts with commented examples that use real ids.

## Set up

```sh
python -m pip install "launchbook==@@VERSION@@"
pre-commit install        # optional: check before every commit
```

## Edit and check

Edit a file in `overlay/`, then:

```sh
launchbook check                 # every problem with file:line and how to fix it
launchbook explain LB401         # what a code means
launchbook plan                  # the remediations in do-first order, with owners
```

Errors exit non-zero; warnings (such as LB406, a reference dropped because of an
exclusion) do not, unless you pass `--strict`.

## Preview

```sh
launchbook serve                 # http://127.0.0.1:8000, reloads on edits
```

## Print

```sh
launchbook checklist --list
launchbook checklist @@CHECKLIST@@ -o @@CHECKLIST@@.pdf           # A4
launchbook checklist @@CHECKLIST@@ --paper letter -o @@CHECKLIST@@-letter.pdf
launchbook checklist @@CHECKLIST@@ --role @@ROLE@@ --format md
```

The built site also links every checklist as PDF, printable HTML, Markdown and CSV.

## Publish

```sh
launchbook build                 # writes site/ (atomically: a failed build keeps the old one)
```

`.github/workflows/launchbook.yml` checks every push and pull request (problems show
as annotations) and publishes `site/` to GitHub Pages from `main`. Enable it once under
Settings -> Pages -> Source: GitHub Actions. Any static host works: upload `site/`.

## Pull upstream updates

```sh
python -m pip install --upgrade launchbook    # or update the upstream folder
launchbook diff                  # what upstream added, changed, renamed, removed since our base,
                                 # and which of our overrides and exclusions touch it
launchbook check
launchbook diff --update-base    # record the new upstream version as our base
```

Upstream never reuses an id: a renamed failure mode keeps its old id as an alias, so
our entries keep working (with an LB402 note to update them).
"""
