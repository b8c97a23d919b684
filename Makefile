# Hoshin — set-up, run and test. `make run` and `make test` work from a clean clone.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PORT ?= 8000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
VENV_STAMP := $(VENV)/.hoshin-installed
VENDOR := hoshin/static/vendor
ASSETS_STAMP := $(VENDOR)/.installed
LINT_PATHS := $(wildcard hoshin tests bench scripts)
PYTEST_ARGS ?=

.PHONY: help venv lock assets chromium run lint format typecheck migrations-check test bench clean \
	lock-bench bench-load

help:
	@echo "make run [PORT=8000]   set up, migrate, load demo data, serve with gunicorn"
	@echo "make test              lint, typecheck, tests on SQLite then PostgreSQL"
	@echo "make venv | assets | chromium | lint | format | typecheck | migrations-check | lock | bench"

# --- Set-up -------------------------------------------------------------------
venv: $(VENV_STAMP)

$(VENV_STAMP): requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(UV) pip install --quiet -p $(BIN)/python -r requirements/dev.txt
	$(UV) pip install --quiet -p $(BIN)/python --no-deps -e .
	touch $@

# Re-pin every dependency (the output names no package index).
lock: $(UV)
	$(UV) pip compile pyproject.toml --extra dev -o requirements/dev.txt --no-header \
		--python-version 3.11 --quiet
	@! grep -Eq '^ *(--index-url|--extra-index-url|-i )' requirements/dev.txt

$(UV):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv

assets: $(ASSETS_STAMP)

# --ignore-scripts: none of these packages needs an install script (swagger-ui-dist's
# telemetry dependency only has one for analytics).
$(ASSETS_STAMP): package.json package-lock.json scripts/copy_assets.py
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	$(PYTHON) scripts/copy_assets.py
	touch $@

# Browser tests drive Debian's Chromium; never download a browser through Playwright.
chromium:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then \
		echo "Installing Debian's chromium"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
		sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
		|| { sudo -n apt-get update && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }; \
	else \
		echo "/usr/bin/chromium is missing and this user cannot install packages."; \
		echo "Ask an administrator to run: apt-get install -y chromium"; \
		exit 1; \
	fi

# --- Run ----------------------------------------------------------------------
# The task worker (mail, controlled copies) runs beside gunicorn; when gunicorn stops, or
# this shell is interrupted or terminated, both are stopped.
run: venv assets
	export HOSHIN_HTTPS=false; \
	$(BIN)/hoshin collectstatic --noinput --verbosity 0; \
	$(BIN)/hoshin migrate --noinput; \
	$(BIN)/hoshin demo; \
	worker=; web=; \
	stop() { kill $$web $$worker 2>/dev/null || true; wait; }; \
	trap stop EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(BIN)/hoshin db_worker --no-reload & worker=$$!; \
	echo "Hoshin on http://127.0.0.1:$(PORT)/ (task worker: process $$worker)"; \
	$(BIN)/gunicorn -c python:hoshin.gunicorn_conf hoshin.wsgi --bind 127.0.0.1:$(PORT) & web=$$!; \
	wait $$web

# --- Checks -------------------------------------------------------------------
# lint-imports: the import contracts in pyproject.toml (dependencies point down).
lint: venv
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

typecheck: venv
	HOSHIN_DATA_DIR="$$(mktemp -d)"; trap 'rm -rf "$$HOSHIN_DATA_DIR"' EXIT; \
	export HOSHIN_DATA_DIR; \
	$(BIN)/mypy

migrations-check: venv
	HOSHIN_DATA_DIR="$$(mktemp -d)"; trap 'rm -rf "$$HOSHIN_DATA_DIR"' EXIT; \
	export HOSHIN_DATA_DIR; \
	$(BIN)/hoshin makemigrations --check --dry-run

# Tests run twice: on SQLite (with coverage) and on a throwaway PostgreSQL cluster (browser
# tests skipped there). The cluster is stopped whatever happens; the target fails if
# either run failed. Extra pytest arguments: make test PYTEST_ARGS="-k trail -x".
test: venv assets chromium lint typecheck migrations-check
	@export HOSHIN_STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage; \
	export DJANGO_ALLOW_ASYNC_UNSAFE=true; \
	unset HOSHIN_DATABASE_URL; \
	export HOSHIN_DATA_DIR="$$(mktemp -d)"; \
	export HOSHIN_PG_STATE="$$HOSHIN_DATA_DIR/pg-cluster.env"; \
	cleanup() { scripts/pg-cluster.sh stop || true; rm -rf "$$HOSHIN_DATA_DIR"; }; \
	trap cleanup EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; \
	sqlite=0; postgres=0; \
	echo "=== pytest on SQLite ==="; \
	$(BIN)/pytest --cov=hoshin --cov-report=term-missing:skip-covered $(PYTEST_ARGS) || sqlite=$$?; \
	echo "=== pytest on PostgreSQL ==="; \
	if HOSHIN_DATABASE_URL="$$(scripts/pg-cluster.sh start)"; then \
		export HOSHIN_DATABASE_URL; \
		$(BIN)/pytest -m "not browser" $(PYTEST_ARGS) || postgres=$$?; \
	else \
		echo "could not start PostgreSQL"; postgres=1; \
	fi; \
	echo "=== pytest exit status: SQLite $$sqlite, PostgreSQL $$postgres ==="; \
	test "$$sqlite" -eq 0 && test "$$postgres" -eq 0

bench: venv
	$(BIN)/python bench/run.py

# The load test (bench/load.py, bench/README.md) drives the server with locust, pinned in
# requirements/bench.txt: kept out of dev.txt, so make test never installs it.
# make bench-load BENCH_LOAD_ARGS="--db postgres --count 100000"
BENCH_LOAD_ARGS ?= --db sqlite --count 10000
bench-load: venv
	$(UV) pip install --quiet -p $(BIN)/python -r requirements/bench.txt
	$(BIN)/python -m bench.load $(BENCH_LOAD_ARGS)

# Re-pin locust and its dependencies, constrained to dev.txt's versions of shared ones.
lock-bench: $(UV)
	$(UV) pip compile requirements/bench.in -c requirements/dev.txt -o requirements/bench.txt \
		--no-header --python-version 3.11 --quiet
	@! grep -Eq '^ *(--index-url|--extra-index-url|-i )' requirements/bench.txt

clean:
	rm -rf node_modules $(VENDOR) .coverage htmlcov test-results .mypy_cache .ruff_cache .pytest_cache \
		.import_linter_cache
