# Two commands: `make run` (the hub on the embedded default with the demo network) and
# `make test` (every test). Both install what they need into .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# The web's NL Design System CSS (and axe-core for the browser tests), from package-lock.json.
NPM_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)

.PHONY: install run test lint bench clean chromium

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 needed")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-* && touch $(NPM_STAMP)

# The browser tests drive Debian's Chromium; installed from Debian when absent (never a
# browser download by Playwright). pdftoppm (poppler-utils) renders the inzage PDF in its test.
chromium:
	@test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	@test -x /usr/bin/pdftoppm || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils)

install: $(STAMP) $(NPM_STAMP)

# The demo's partners run on this machine: their endpoints may be loopback addresses.
run: install
	$(BIN)/ketenhub demo load --if-empty
	KETENHUB_ALLOW_LOOPBACK_ENDPOINTS=true $(BIN)/ketenhub serve

test: install chromium
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The benchmarks of BENCHMARKS.md, one after another (about 20 minutes; PostgreSQL and RabbitMQ
# on 127.0.0.1).
bench: install
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_pipeline.py --consumer amqp --extra-rates 50
	$(BIN)/python bench/bench_consent.py --markdown
	$(BIN)/python bench/bench_privacy.py --repeats 7
	$(BIN)/python bench/bench_termijnen.py
	$(BIN)/python bench/bench_regiecheck.py

clean:
	rm -rf $(VENV) var .pytest_cache node_modules
