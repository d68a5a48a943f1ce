# Awda: `make run` sets up and starts Awda with demo data; `make test` sets up and runs the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
AWDA   := $(BIN)/awda
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test install translations lint check-python clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Awda needs Python 3.11 or newer (found " + sys.version.split()[0] + ").")'

$(STAMP): pyproject.toml | check-python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(AWDA) compiletranslations

run: translations
	$(AWDA) migrate --no-input
	$(AWDA) demo
	@echo "Starting Awda and its background worker at http://127.0.0.1:8000/ (Ctrl+C stops both)."
	@$(AWDA) worker --no-startup-delay & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(AWDA) runserver --noreload 127.0.0.1:8000

test: translations
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy awda config
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) var build *.egg-info
