VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install demo up test lint bench clean

# One command: create the virtualenv (if needed), install, and run the demo.
demo: install
	$(VENV)/bin/entraide demo

up: install
	$(VENV)/bin/entraide up

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,local]"
	touch $@

# The test command (what .ci/run calls).
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy shared services
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy shared services

bench: install
	for b in bench/bench_*.py; do $(PY) $$b --quick || exit 1; done

clean:
	rm -rf $(VENV) var
