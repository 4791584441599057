# launchbook — the two commands a new user runs: `make site` and `make test`.
# Everything they need is installed from here; nothing by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
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

pytest: $(STAMP) sysdeps
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
