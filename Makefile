# Two commands for a newcomer:  make site   and   make test
# Everything is installed into .venv from exact pins (pyproject.toml + requirements.lock),
# and the chart library into node_modules/ from package-lock.json (served from the site, never a CDN).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: site publish serve test test-fast check validate clean lock

$(STAMP): pyproject.toml requirements.lock package.json package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(STAMP)

## Validate the data packages and build the site into site/ for local preview (addresses point to this machine)
site: $(STAMP)
	$(PY) -m builder build

## Build the site for publishing: refuses without the public address, e.g. SITE_URL=https://example.org/ make publish
publish: $(STAMP)
	BUILD_FOR_PUBLISHING=1 $(PY) -m builder build
	$(PY) -m builder validate --publishing

## Build and preview at http://127.0.0.1:8000; rebuilds and reloads the page when datapackages/, docs/ or templates/ change
serve: $(STAMP)
	$(PY) -m builder serve

## Install what the tests need (Debian chromium + chromium-driver), run the checks, then every test
test: check
	./.ci/install-test-tools
	$(PY) -m pytest

## The edit-test loop: no browser, no full build (about 3 minutes on 2 cores)
test-fast: $(STAMP)
	$(PY) -m pytest -m "not build and not browser"

## Format, lint, types and the site's JavaScript (make test runs this first)
check: $(STAMP)
	$(PY) -m ruff format --check builder tests benchmarks
	$(PY) -m ruff check builder tests benchmarks
	$(PY) -m mypy
	./.ci/check-js

validate: $(STAMP)
	$(PY) -m builder validate

clean: $(STAMP)
	$(PY) -m builder clean

## Refresh requirements.lock after changing a pin in pyproject.toml
lock: $(STAMP)
	$(PY) -m pip freeze --exclude-editable --exclude pip > requirements.lock
