# pretix-innowerkstatt: everything runs through the project's own .venv.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
PRETIX := PRETIX_CONFIG_FILE=demo/pretix.cfg $(PY) -m pretix
STAMP := $(VENV)/.installed
DEMO_DATA := .demo-data
PYTEST_ARGS ?=
# The oldest pretix release we support: the floor of "pretix>=" in pyproject.toml's test extra.
PRETIX_OLDEST := $(shell sed -n 's/^ *"pretix>=\([0-9][0-9.]*\)".*/\1/p' pyproject.toml)
VENV_OLDEST := .venv-oldest
PY_OLDEST := $(VENV_OLDEST)/bin/python
STAMP_OLDEST := $(VENV_OLDEST)/.installed
OLDEST_PYTEST_ARGS ?=
WHEEL_CHECK_VENV := build/venv-wheel-oldest


.PHONY: help venv gettext demo demo-setup test test-postgres browser lint format localegen localecompile \
        check-translations bench bench-deps bench-load build check-dist clean venv-oldest test-oldest \
        test-pretix check-wheel-oldest migrations

help:
	@echo "make demo           run pretix with the plugin and demo data on http://127.0.0.1:8000"
	@echo "make test           run the test suite on SQLite"
	@echo "make test-postgres  run the test suite on PostgreSQL (127.0.0.1:5432, database test), real migrations"
	@echo "make test-oldest    run the test suite on SQLite against the oldest supported pretix (.venv-oldest)"
	@echo "make test-pretix    run a subset of pretix's own tests with the plugin enabled everywhere"
	@echo "make migrations     write the migration for changed models"
	@echo "make lint           style checks (ruff)"
	@echo "make bench          benchmarks: with and without the plugin, ratios"
	@echo "make bench-load     only the load benchmark of the join links (gunicorn, PostgreSQL, Redis, wrk)"
	@echo "make localegen      update the German catalogues;  make localecompile  compile them"

# --- environment -----------------------------------------------------------------------
$(STAMP): pyproject.toml setup.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -U pip wheel setuptools
	$(PIP) install -e '.[test,pretix-suite]'
	@touch $(STAMP)

# A second environment with the oldest supported pretix and the plugin (editable) for
# make test-oldest; make venv installs the newest release from PyPI.
$(STAMP_OLDEST): pyproject.toml setup.py
	@test -x $(PY_OLDEST) || $(PYTHON) -m venv $(VENV_OLDEST)
	$(PY_OLDEST) -m pip --disable-pip-version-check -q install -U pip wheel setuptools
	$(PY_OLDEST) -m pip --disable-pip-version-check -q install -e '.[test]' 'pretix==$(PRETIX_OLDEST)'
	@touch $(STAMP_OLDEST)

venv-oldest: $(STAMP_OLDEST)

venv: $(STAMP)

# System packages from Debian, installed only when missing: gettext compiles the
# translations, Chromium is the real browser of the browser tests (Playwright drives it and
# never downloads a browser of its own).
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq

gettext:
	@command -v msgfmt >/dev/null 2>&1 || { $(APT_INSTALL) gettext >/dev/null; }

browser:
	@command -v chromium >/dev/null 2>&1 || { $(APT_INSTALL) chromium >/dev/null; }

# --- demo -------------------------------------------------------------------------------
# Rebuilt when pretix or the plugin's static files change (the storage serves hashed names).
$(DEMO_DATA)/.static: $(STAMP) $(shell find pretix_innowerkstatt/static -type f)
	@mkdir -p $(DEMO_DATA)
	$(PRETIX) rebuild >/dev/null
	@touch $@

demo-setup: $(STAMP) localecompile $(DEMO_DATA)/.static
	$(PRETIX) migrate --no-input -v0
	$(PRETIX) innowerkstatt_demo --yes-i-am-a-demo

# Beside the web server: the mail sink (started first, so the mails the seed sends, e.g. the
# presenters' host links, land in .demo-data/mails/ too), and pretix's periodic tasks once a
# minute as the cron job of a production install would run them (reminder mails, expiring orders, …).
demo: $(STAMP) localecompile $(DEMO_DATA)/.static
	@mkdir -p $(DEMO_DATA)/mails && rm -f $(DEMO_DATA)/periodic.pid
	@$(PY) demo/mailsink.py --port 8025 --dir $(DEMO_DATA)/mails & echo $$! > $(DEMO_DATA)/mailsink.pid
	@trap 'kill $$(cat $(DEMO_DATA)/mailsink.pid $(DEMO_DATA)/periodic.pid 2>/dev/null) 2>/dev/null' EXIT; \
		$(MAKE) --no-print-directory demo-setup && \
		{ $(PRETIX) runperiodic >/dev/null 2>&1 || true; } && \
		{ while true; do $(PRETIX) runperiodic >/dev/null 2>&1; sleep 60; done & echo $$! > $(DEMO_DATA)/periodic.pid; } && \
		$(PRETIX) runserver --insecure 127.0.0.1:8000

# --- tests ------------------------------------------------------------------------------
test: $(STAMP) browser localecompile
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

test-postgres: $(STAMP) browser localecompile
	DJANGO_SETTINGS_MODULE=tests.settings_postgres $(PY) -m pytest -n 2 $(PYTEST_ARGS)

# The same suite against the oldest supported pretix (differences live in pretix_innowerkstatt/compat.py).
test-oldest: $(STAMP_OLDEST) browser localecompile
	$(PY_OLDEST) -m pytest -n 2 $(OLDEST_PYTEST_ARGS) $(PYTEST_ARGS)

# pretix's own tests (from its source distribution, cached in .cache/) with the plugin enabled
# on every organiser and event; tests/pretix_suite/allowlist.txt lists the expected failures.
test-pretix: $(STAMP)
	$(PY) tests/pretix_suite/run.py -n 2 $(PYTEST_ARGS)

# The plugin's background work on pretix's production engine (tests/scaleout): two gunicorn
# workers, a Celery worker, Redis, PostgreSQL and an SMTP server; servers stopped on timeout too.
.PHONY: test-scaleout
test-scaleout: $(STAMP) localecompile
	timeout 600 $(PY) -m pytest -p no:xdist -m scaleout tests/scaleout -v $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check pretix_innowerkstatt tests bench demo
	$(PY) -m ruff format --check pretix_innowerkstatt tests bench demo

format: $(STAMP)
	$(PY) -m ruff check --fix pretix_innowerkstatt tests bench demo
	$(PY) -m ruff format pretix_innowerkstatt tests bench demo

# wrk (Debian) drives the load benchmark of the join links against gunicorn (bench/load/).
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { $(APT_INSTALL) wrk >/dev/null; }

bench: $(STAMP) localecompile bench-deps
	$(PY) bench/run.py

bench-load: $(STAMP) localecompile bench-deps
	$(PY) bench/run.py videolinks_load

# --- translations -----------------------------------------------------------------------
# Extracts the strings, then fills the German texts kept per capability in translations/*.json.
localegen: $(STAMP)
	cd pretix_innowerkstatt && ../$(PY) -m django makemessages --keep-pot --no-obsolete \
		-l de -l de_Informal -i build -i dist -i "*egg*" --add-location file
	$(PY) tests/tools/po_fill.py translations/*.json

localecompile: $(STAMP) gettext
	cd pretix_innowerkstatt && ../$(PY) -m django compilemessages -v0

check-translations: $(STAMP)
	$(PY) tests/tools/check_translations.py pretix_innowerkstatt/locale

# --- packaging --------------------------------------------------------------------------
build: $(STAMP)
	rm -rf dist build
	$(PY) -m build --outdir dist . >/dev/null

check-dist: build
	$(PY) tests/tools/check_dist.py dist

# The built wheel installs into a fresh environment with the oldest supported pretix, pretix
# loads it and its migrations fit pretix's (CHECK_INSTALL_ARGS=--migrate also applies them).
check-wheel-oldest: build
	rm -rf $(WHEEL_CHECK_VENV)
	$(PYTHON) -m venv $(WHEEL_CHECK_VENV)
	$(WHEEL_CHECK_VENV)/bin/python -m pip --disable-pip-version-check -q install 'pretix==$(PRETIX_OLDEST)' dist/*.whl
	cd $(WHEEL_CHECK_VENV) && bin/python $(CURDIR)/tests/pretix_suite/check_install.py $(PRETIX_OLDEST) $(CHECK_INSTALL_ARGS)

# A migration per model change, generated by pretix's makemigrations (which ignores attributes
# that do not change the database) with the demo configuration.
migrations: $(STAMP)
	@mkdir -p $(DEMO_DATA)
	$(PRETIX) makemigrations pretix_innowerkstatt

clean:
	rm -rf build dist *.egg-info $(DEMO_DATA) $(VENV_OLDEST) .cache
