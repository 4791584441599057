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

.PHONY: site test check lint typecheck pytest sysdeps clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

## System packages the PDFs and browser tests need (Debian/Ubuntu; see README for other systems).
sysdeps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

check: $(STAMP)
	$(BIN)/launchbook check playbooks --strict

site: $(STAMP) sysdeps check
	$(BIN)/launchbook build -o site

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard src tests scripts)
	$(BIN)/ruff format --check $(wildcard src tests scripts)

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

$(ZENSICAL):
	-$(PYTHON) -m venv $(ZENSICAL_VENV) && $(ZENSICAL_VENV)/bin/python -m pip install -q zensical==$(ZENSICAL_VERSION)

pytest: $(STAMP) sysdeps $(ZENSICAL)
	LAUNCHBOOK_ZENSICAL="$$([ -x $(ZENSICAL) ] && echo $(abspath $(ZENSICAL)))" $(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) $(ZENSICAL_VENV) site .pytest_cache .mypy_cache .ruff_cache
