# Two commands set everything up on a fresh machine with Python 3.11+:
#   make run    venv + install + instance/ (SQLite) + demo data once + serve on http://127.0.0.1:5000
#   make test   the same install, the Debian packages the tests need, then the suite on SQLite and PostgreSQL
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KEFU := $(VENV)/bin/kefu
PORT ?= 5000
CATALOGS := $(wildcard core/translations/*/LC_MESSAGES/messages.po plugins/*/translations/*/LC_MESSAGES/messages.po)

.PHONY: run test install translations extract-messages system-deps clean

$(VENV)/.installed: setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kefu needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

# Compiled catalogues are build output (git-ignored), made from the .po files.
translations: $(VENV)/.installed $(CATALOGS:.po=.mo)

%.mo: %.po
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

extract-messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o core/translations/messages.pot .
	$(VENV)/bin/pybabel update -i core/translations/messages.pot -d core/translations --no-fuzzy-matching --ignore-obsolete

system-deps:
	bash scripts/install-system-deps.sh

# The worker (SLA sweeps, notifications) runs beside the web server and stops with it.
run: install
	$(KEFU) init
	$(KEFU) demo
	$(KEFU) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; PORT=$(PORT) $(KEFU) run

test: install system-deps
	$(PY) -m pytest
	KEFU_TEST_DATABASE=postgresql $(PY) -m pytest -m "not browser"

clean:
	rm -rf $(VENV) *.egg-info
