# handvast — `make run` to try it, `make test` to prove it.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
export FLASK_APP := wsgi:app

.PHONY: run test test-fast test-sqlite test-postgres install install-dev lock translations chromium postgres lint bench clean

# Installs come only from the hash-locked files in requirements/ (`make lock` refreshes them
# from pyproject.toml): every new machine gets the versions the suite last passed with.
LOCK_RUN := requirements/run.txt
LOCK_DEV := requirements/dev.txt
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	pyproject.toml requirements/build.in

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.run-installed: $(LOCK_RUN) | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK_RUN)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/pip check > /dev/null
	touch $@

$(VENV)/.dev-installed: $(LOCK_DEV) | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK_DEV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/pip check > /dev/null
	touch $@ $(VENV)/.run-installed

install: $(VENV)/.run-installed

install-dev: $(VENV)/.dev-installed

lock: install-dev
	$(UV_COMPILE) -o $(LOCK_RUN)
	$(UV_COMPILE) --extra dev -o $(LOCK_DEV)

# make's own flask commands are development starts (debug): without a configured SECRET_KEY
# they sign sessions with a random key made once in instance/secret_key. A production start
# (no debug) refuses to run without SECRET_KEY; see README.
run translations: export FLASK_DEBUG := 1

translations: install
	$(BIN)/flask i18n compile > /dev/null

# The server sends due web push reminders itself every 5 minutes (server/push/timer.py); with
# several processes, cron runs `flask push send-reminders` instead (see README).
run: translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask push keys > /dev/null
	HANDVAST_PUSH_TIMER_MINUTES=5 $(BIN)/flask run --host 127.0.0.1 --port $(PORT) --no-debugger

# The whole suite: the checks, then two lanes side by side (server tests on SQLite and then
# on PostgreSQL; the browser tests once, on PostgreSQL), the check that every test ran where it
# must, and the wall time of each part (.ci/lanes.py).
STARTED := $(shell date +%s)

test: install-dev translations chromium postgres
	$(BIN)/python .ci/lanes.py $(PG_TEST_URL) $(STARTED)

# The whole suite on one database, the browser tests included.
test-sqlite: install-dev translations
	@echo "== test suite on SQLite"
	$(BIN)/pytest -q -p no:cacheprovider -m "not postgres"

test-postgres: install-dev translations
	@echo "== test suite on PostgreSQL"
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q -p no:cacheprovider

# A quick round while developing: SQLite only, no browser, few Hypothesis examples.
test-fast: install-dev translations
	HYPOTHESIS_PROFILE=dev $(BIN)/pytest -q -p no:cacheprovider -m "not browser and not postgres"

# Browser tests drive Debian's Chromium (Playwright's own download does not work here); the
# catalog tests check every .po file with GNU gettext's msgfmt.
chromium:
	@{ test -x /usr/bin/chromium && command -v msgfmt > /dev/null; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core gettext > /dev/null; \
	  else echo "Install Debian's chromium and gettext packages (apt-get install chromium gettext) to run the tests."; exit 1; fi; }

# The PostgreSQL server of this machine; started when it is installed but not running.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  command -v pg_ctlcluster > /dev/null && pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	  sleep 2; pg_isready -h 127.0.0.1 -p 5432; }

lint: install-dev
	$(BIN)/ruff check .
	bash .ci/audit

bench: install-dev translations
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) instance .pytest_cache
	find translations -name '*.mo' -delete
