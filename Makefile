# Quick start: `make run` (demo on the embedded SQLite database) and `make test` (everything, from scratch).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PORT ?= 8501
# Test processes for `make test` (pytest-xdist); TEST_WORKERS=0 runs the suite in this one process.
TEST_WORKERS ?= 2

.PHONY: run test lint format bench eval stress fuzz audit screenshots system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(RUN_STAMP)

system-deps:
	bash scripts/ensure-system-deps.sh

run: $(RUN_STAMP)
	$(BIN)/crisisdesk demo --port $(PORT)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(DEV_STAMP) system-deps lint
	$(BIN)/python -m pytest -q -rs -n $(TEST_WORKERS)

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(DEV_STAMP)
	$(BIN)/python -m bench

screenshots: $(DEV_STAMP) system-deps
	CRISISDESK_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/e2e

stress: $(DEV_STAMP) system-deps
	CRISISDESK_STRESS=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/bench/test_load.py
	CRISISDESK_KILLS=200 $(BIN)/python -m pytest -q -p no:cacheprovider -o timeout=1800 tests/sources/test_kill.py
	$(BIN)/python -m bench.load --db sqlite --sessions 20 --feeds 500 --seconds 300 --out .bench/load-sqlite.json
	$(BIN)/python -m bench.load --db postgresql --sessions 20 --feeds 500 --seconds 300 --out .bench/load-postgresql.json

fuzz: $(DEV_STAMP)
	mkdir -p .fuzz/ingest .fuzz/render
	$(BIN)/python -m tests.fuzz.fuzz_ingest -max_total_time=600 -max_len=20000 .fuzz/ingest tests/fixtures/feeds tests/corpus/hostile
	$(BIN)/python -m tests.fuzz.fuzz_render -max_total_time=300 .fuzz/render

# Needs PyPI's vulnerability data (pypi.org or osv.dev): not reachable from this workplace, so not in `make test`.
audit: $(DEV_STAMP)
	$(BIN)/python -m pip install --quiet pip-audit
	$(BIN)/pip-audit --skip-editable

eval: $(DEV_STAMP)
	$(BIN)/python -m bench.eval_checks
	$(BIN)/python -m bench.invariance

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .bench
