# Two entry points a fresh machine needs: `make demo` (the main job on embedded defaults)
# and `make test` (lint, format check, strict type check, tests). Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo tour test lint typecheck pytest bench docs clean chromium native

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The hot modules of party screening compiled with mypyc (about a minute; a no-op when up to
# date; the sources run when the build fails, is missing or is older than them: see
# chainbreaker.native).
native: $(STAMP)
	@$(BIN)/chainbreaker native build || echo "(no compiled modules: the sources run, slower)"

# The main job on embedded defaults: make a day's sample of manifests (with planted cases and a
# watch list), screen it, write the decisions and the report. Lists fetched with
# `chainbreaker lists fetch` are screened too.
DEMO := out/demo
demo: native
	$(BIN)/chainbreaker synth manifests --rows 20000 --seed 7 --output $(DEMO)
	$(BIN)/chainbreaker screen $(DEMO)/postal.csv $(DEMO)/express.csv $(DEMO)/de_minimis.csv \
		$(DEMO)/order.csv --list $(DEMO)/watchlist.csv:ofac-csv --with-fetched \
		--indicators $(DEMO)/indicators.csv --output $(DEMO)/decisions.jsonl \
		--report $(DEMO)/report.html
	@echo "report: $(DEMO)/report.html   decisions: $(DEMO)/decisions.jsonl"

tour: $(STAMP)
	$(BIN)/chainbreaker chem tour

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

# Debian's chromium and chromedriver for the exchange page tests (headless), installed when absent.
chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		apt-get update && apt-get install -y chromium chromium-driver; fi

pytest: native chromium
	$(BIN)/pytest

test: lint typecheck pytest

bench: native
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/chem_identify.py
	$(BIN)/python benchmarks/chem_scan.py
	$(BIN)/python benchmarks/parties_names.py
	$(BIN)/python benchmarks/screen_cpu.py
	$(BIN)/python benchmarks/screen_throughput.py --rows 100000
	$(BIN)/python benchmarks/network_interdiction.py
	$(BIN)/python benchmarks/exchange_load.py --seconds 5

clean:
	rm -rf $(VENV) build dist src/*.egg-info src/build src/*__mypyc*.so src/chainbreaker/_native.json
	find src -name '*.so' -delete

docs: $(STAMP)
	$(BIN)/python -m typer chainbreaker.cli.app utils docs --name chainbreaker --output docs/cli.md
