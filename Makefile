# Two commands do everything: `make run` (the whole job on the embedded DuckDB) and
# `make test` (the whole test suite). Both bootstrap the virtualenv from the lock file.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR := $(CURDIR)/profiles

.DEFAULT_GOAL := help
.PHONY: help setup run test lint dashboard

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP) ## create .venv with the pinned dependencies (idempotent)

run: setup ## generate sample data, load it, dbt build, check, print the KPIs (b2bkpi run)
	$(BIN)/b2bkpi run

lint: setup ## sqlfluff over the models
	$(BIN)/b2bkpi lint

test: setup ## the whole test suite: lint, then pytest (dbt build and oracle included)
	$(BIN)/b2bkpi lint
	$(BIN)/python -m pytest -n 2  # two workers (tests/python/conftest.py groups the tests)

dashboard: setup ## serve the KPI dashboard on http://localhost:8501 (data/warehouse.duckdb)
	$(BIN)/b2bkpi dashboard --database data/warehouse.duckdb
