VENV ?= .venv
PY := $(VENV)/bin/python
# The tests run on one worker per core (pytest-xdist), each test file on one worker.
TEST_WORKERS ?= 2

.PHONY: install demo up test lint bench clean

# One command: create the virtualenv (if needed), install, and run the demo.
demo: install
	$(VENV)/bin/entraide demo

up: install
	$(VENV)/bin/entraide up

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,local]"
	touch $@

# Front-end packages (axe-core for the portal's accessibility checks) from the npm
# registry, exactly as package-lock.json pins them. Without npm this says so and goes
# on: the browser tests then skip with that reason (and fail in CI).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: front-end packages not installed (browser tests will skip)"; \
	fi

# The test command (what .ci/run calls).
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy shared services
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy shared services

bench: install
	for b in bench/bench_*.py; do $(PY) $$b --quick || exit 1; done

clean:
	rm -rf $(VENV) var node_modules
