# The two commands: `make run` (demo on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# The portal's own address, printed in documents, e-mails and link sheets:
# follows HOST and PORT unless set (production sets it to the public https address).
SITE_URL ?= http://$(HOST):$(PORT)
# The suite runs on every core (pytest-xdist), each test file whole on one worker
# (files that use Redis each have a database of their own). PYTEST_ARGS="" runs it in one process.
PYTEST_ARGS ?= -n auto --dist loadfile

.PHONY: run test install install-test system-deps browser-deps messages lint format clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): install python3-venv (apt-get install python3-venv)."; exit 1; }
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	@echo "== Installing the Python packages into $(VENV) (the first time takes a minute or two) ..."
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	@echo "== Installing the Python packages and test tools into $(VENV) ..."
	$(PIP) install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# System packages a fresh Debian machine may lack (gettext, pango for
# WeasyPrint): installed when we are root, named otherwise.
system-deps:
	@sh scripts/system-deps.sh

# Chromium for the end-to-end tests (tests/e2e), driven by Playwright.
browser-deps:
	@sh scripts/browser-deps.sh

# axe-core for the browser tests' accessibility checks, from npm (package-lock.json).
.PHONY: axe-deps
axe-deps:
	@sh scripts/axe-deps.sh

messages: system-deps $(VENV)/.installed
	@echo "== Compiling the translations ..."
	$(PY) manage.py compilemessages --ignore=$(VENV) --verbosity=0

run: export SITE_URL := $(SITE_URL)
run: messages
	@echo "== Preparing the database (migrations) ..."
	$(PY) manage.py migrate --noinput --verbosity=0
	$(PY) manage.py setup_demo --address $(HOST):$(PORT)
	@# The task queue's worker (PDFs) runs beside runserver and stops with it.
	@echo "== Starting the portal on http://$(HOST):$(PORT)/ and the background worker (Ctrl-C stops both) ..."
	sh scripts/run-dev.sh $(PY) $(HOST):$(PORT)

test: install-test messages browser-deps axe-deps
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/ruff format --check --quiet .
	@# Models and migrations must agree (read from the code alone: no database needed).
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run --verbosity=0
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
