# launchbook — the two commands a new user runs: `make site` and `make test`.
# Everything they need is installed from here; nothing by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Zensical, Material's successor, in a venv of its own (its pins differ from MkDocs'): the smoke test
# of `launchbook generate` output runs with it. Best effort: where it cannot install, that test skips.
ZENSICAL_VENV := .venv-zensical
ZENSICAL := $(ZENSICAL_VENV)/bin/zensical
ZENSICAL_VERSION := 0.0.73
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test test-fast check lint typecheck pytest sysdeps clean bench lock

# requirements.lock records every package, with its exact version, that make site, make test and CI
# install: what is tested is exactly what is recorded. pyproject.toml holds only ranges (for users
# who install launchbook into their own docs environment); `make lock` re-resolves the lock from them.
LOCK := requirements.lock
# pytest -m expression `make test` runs (empty: every test in tests/), e.g. PYTEST_MARKERS='not slow'.
# The markers (pyproject.toml, tests/conftest.py): slow (wheel installs, big builds), browser
# (Playwright + chromium), pdf (WeasyPrint: every site build, generate, PDF checklists; poppler).
PYTEST_MARKERS ?=
# What `make test-fast` leaves out: the tests a contributor runs while working, in under a minute.
FAST_MARKERS := not slow and not browser and not pdf
EVERY_TEST := every test in tests/, slow, browser and pdf included (PYTEST_MARKERS='...' selects; make test-fast runs -m '$(FAST_MARKERS)')

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

## Re-resolve requirements.lock from pyproject.toml's ranges (keeps locked versions that still fit;
## `make lock LOCK_ARGS=--upgrade` moves everything to the newest allowed). Review the diff, then make test.
lock: $(STAMP)
	$(BIN)/pip-compile -q --extra dev --strip-extras --allow-unsafe --no-emit-find-links --no-emit-index-url \
	  $(LOCK_ARGS) --output-file $(LOCK) pyproject.toml

## System packages the PDFs and browser tests need (Debian/Ubuntu; see README for other systems).
## Says what it installs and why before apt-get runs; installs nothing when all are there.
## LAUNCHBOOK_CHROMIUM=/path/to/chromium (or Chrome) uses that browser instead of Debian's chromium.
sysdeps:
	@missing=""; why=""; \
	if [ -z "$$LAUNCHBOOK_CHROMIUM" ] && ! command -v chromium >/dev/null 2>&1; then \
	  missing="$$missing chromium"; why="$$why\n  chromium           the browser tests (tests/test_browser.py) drive it with Playwright"; fi; \
	if ! command -v pdftoppm >/dev/null 2>&1; then \
	  missing="$$missing poppler-utils"; why="$$why\n  poppler-utils      pdftotext, pdfinfo, pdffonts: the tests read the checklist PDFs back"; fi; \
	if ! fc-list 2>/dev/null | grep -qi dejavu; then \
	  missing="$$missing fonts-dejavu-core"; why="$$why\n  fonts-dejavu-core  a system font for Chromium in the browser tests and WeasyPrint's fallback"; fi; \
	if ! { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libpangoft2-1.0'; then \
	  missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; why="$$why\n  libpango*          WeasyPrint lays out the checklist PDFs with Pango"; fi; \
	if [ -n "$$missing" ]; then \
	  printf 'make sysdeps: installing system packages with apt-get:%s%b\n' "$$missing" "$$why"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; echo "  (with sudo: you may be asked for your password)"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	else echo "make sysdeps: system packages present (chromium, poppler-utils, fonts-dejavu-core, Pango)"; fi

check: $(STAMP)
	$(BIN)/launchbook check playbooks --strict

site: $(STAMP) sysdeps check
	$(BIN)/launchbook build -o site

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard src tests scripts)
	$(BIN)/ruff format --check $(wildcard src tests scripts)

# src, tests and scripts: the files listed under [tool.mypy] in pyproject.toml.
typecheck: $(STAMP)
	$(BIN)/mypy --strict

$(ZENSICAL):
	-$(PYTHON) -m venv $(ZENSICAL_VENV) && $(ZENSICAL_VENV)/bin/python -m pip install -q zensical==$(ZENSICAL_VERSION)

pytest: $(STAMP) sysdeps $(ZENSICAL)
	@echo "make test: pytest runs $(if $(PYTEST_MARKERS),the tests of tests/ selected by -m '$(PYTEST_MARKERS)',$(EVERY_TEST))"
	LAUNCHBOOK_ZENSICAL="$$([ -x $(ZENSICAL) ] && echo $(abspath $(ZENSICAL)))" $(BIN)/pytest $(if $(PYTEST_MARKERS),-m "$(PYTEST_MARKERS)")

test: lint typecheck pytest

## The quick loop while working: pytest without the slow, browser and pdf tests (under a minute on
## two cores; no chromium, poppler or Pango needed). `make test` runs everything before a push.
test-fast: $(STAMP)
	@echo "make test-fast: pytest runs the tests of tests/ selected by -m '$(FAST_MARKERS)' (make test runs them all)"
	$(BIN)/pytest -m "$(FAST_MARKERS)"

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) $(ZENSICAL_VENV) site .pytest_cache .mypy_cache .ruff_cache
