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

# The core's catalogue covers core/ and themes/; each plugin under plugins/ has its own (plugins/<name>/translations).
BABEL_EXTRACT = $(VENV)/bin/pybabel extract -k _l -k lazy_gettext --no-location --sort-output --no-wrap
BABEL_UPDATE = $(VENV)/bin/pybabel update --no-fuzzy-matching --ignore-obsolete --no-wrap
extract-messages: $(VENV)/.installed
	$(BABEL_EXTRACT) -F babel.cfg -o core/translations/messages.pot .
	$(BABEL_UPDATE) -i core/translations/messages.pot -d core/translations
	@for dir in $(dir $(wildcard plugins/*/__init__.py)); do \
		mkdir -p $${dir}translations && $(BABEL_EXTRACT) -F plugins/babel.cfg -o $${dir}translations/messages.pot $$dir || exit 1; \
		if [ -f $${dir}translations/zh/LC_MESSAGES/messages.po ]; then \
			$(BABEL_UPDATE) -i $${dir}translations/messages.pot -d $${dir}translations || exit 1; \
		else \
			$(VENV)/bin/pybabel init -l zh -i $${dir}translations/messages.pot -d $${dir}translations || exit 1; \
		fi; \
	done
	@# A creation date in every catalogue would make each branch's catalogue conflict with every other's.
	@sed -i '/^"POT-Creation-Date: /d' $(wildcard core/translations/messages.pot plugins/*/translations/messages.pot) $(CATALOGS)

system-deps:
	bash scripts/install-system-deps.sh

# The worker (SLA sweeps, notifications) runs beside the web server and stops with it.
run: install
	$(KEFU) init
	$(KEFU) demo
	$(KEFU) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; PORT=$(PORT) $(KEFU) run

test: install system-deps
	$(PY) -m pytest -n 2
	KEFU_TEST_DATABASE=postgresql $(PY) -m pytest -n 2 -m "not browser"

clean:
	rm -rf $(VENV) *.egg-info
