# Two entry points a fresh machine needs: `make demo` (the main job on embedded defaults)
# and `make test` (lint, format check, strict type check, tests). Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/chainbreaker chem tour

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/chem_identify.py
	$(BIN)/python benchmarks/chem_scan.py
	$(BIN)/python benchmarks/parties_names.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info

docs: $(STAMP)
	$(BIN)/python -m typer chainbreaker.cli.app utils docs --name chainbreaker --output docs/cli.md
