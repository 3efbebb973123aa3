# The two commands: `make run` (prepare and serve) and `make test`.
# Everything else is a step of these, or a check that CI runs.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
# uv installs from uv.lock into $(VENV); it never downloads a Python of its own.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext
BROWSER_PACKAGES := chromium
export XDG_RUNTIME_DIR ?= $(CURDIR)/var/run

.PHONY: run setup bytecode test test-embedded lint format check lock pre-commit messages makemessages i18n-check system-deps browser-deps bench clean backup restore

PORT ?= 8000

run: setup
	@echo "Serving http://127.0.0.1:$(PORT) (Ctrl-C stops the server and the embedded database)"
	@# Links in e-mails and on certificates point at this server unless SITE_URL says otherwise.
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(PY) manage.py runserver 127.0.0.1:$(PORT)

setup: $(VENV)/.installed node_modules/.installed system-deps messages
	$(PY) manage.py setup_instance --demo

# Locally the test database is reused between runs (pyproject's --reuse-db); CI builds it afresh.
ifeq ($(CI),true)
PYTEST_ARGS ?= --create-db
endif

# The tests run on every core (pytest-xdist; whole files to a worker, so a module's fixture is
# built once): `make test TEST_WORKERS=0` runs them in this one process.
TEST_WORKERS ?= auto
test: $(VENV)/.installed node_modules/.installed messages bytecode
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The zero-install path (no DATABASE_URL: the embedded PostgreSQL 18 of the wheel, its pg_dump,
# a Celery worker and a browser on its Unix socket), checked by the tests that touch what differs
# from a PostgreSQL server: settings, setup, backup and restore, the worker, a browser journey,
# and a year of the association through every app's services. CI runs it after `make test`.
EMBEDDED_TESTS := tests/test_settings.py tests/test_setup_instance.py tests/test_backup.py \
	tests/test_health.py tests/integration tests/e2e/test_login.py tests/test_year.py \
	tests/members/test_standing_sql.py
test-embedded: $(VENV)/.installed node_modules/.installed messages bytecode
	env -u DATABASE_URL $(VENV)/bin/pytest -p no:xdist $(PYTEST_ARGS) $(EMBEDDED_TESTS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# Chinese text uses full-width ，；：（）！？ (GB/T 15834); `--fix` rewrites the findings.
	$(PY) tools/check_typography.py

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(VENV)/.installed node_modules/.installed
	$(UV) lock --check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	@# The deploy check with production-like settings: throwaway keys made for this run only.
	@# The database is not connected to: the URL only has to name a PostgreSQL.
	DEBUG=0 ALLOWED_HOSTS=portal.example.org.cn REDIS_URL=redis://redis.invalid:6379/0 \
	DATABASE_URL=postgresql://portal@db.invalid:5432/portal \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	FIELD_ENCRYPTION_KEY=$$($(PY) -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())') \
	$(PY) manage.py check --deploy --fail-level WARNING

# After changing a dependency in pyproject.toml: re-resolve and commit uv.lock.
# `make lock UV_LOCK_ARGS=--upgrade` moves every transitive pin to its newest allowed version,
# `UV_LOCK_ARGS="--upgrade-package NAME"` one package.
lock: $(UV)
	$(UV) lock $(UV_LOCK_ARGS)

# Installs the git hook: ruff, ruff-format and makemigrations --check
# before each commit, all with this virtualenv's tools (.pre-commit-config.yaml).
pre-commit: $(VENV)/.installed
	$(VENV)/bin/pre-commit install

messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	else echo "gettext is missing: English pages stay Chinese. Install it: apt-get install -y gettext"; fi

# Each app keeps its own English catalogue in <app>/locale; the project's (templates/ and the
# association package's own modules) is in locale/. After adding or changing strings, run
# `make makemessages` and translate the new entries; `make i18n-check` is what CI runs.
APP_DIRS := $(sort $(patsubst %/apps.py,%,$(filter-out association/apps.py,$(wildcard */apps.py association/*/apps.py))))
MAKEMESSAGES := makemessages -l en --no-location --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench

makemessages: $(VENV)/.installed
	$(PY) manage.py $(MAKEMESSAGES) $(foreach app,$(APP_DIRS),--ignore=$(app))
	@for app in $(APP_DIRS); do mkdir -p $$app/locale && \
		(cd $$app && $(CURDIR)/$(PY) $(CURDIR)/manage.py $(MAKEMESSAGES) -v 0) || exit 1; done

i18n-check: makemessages
	@git diff --exit-code -I '^"POT-Creation-Date' -- '*.po' || \
		{ echo "The catalogues above are out of date: run make makemessages and commit them."; exit 1; }
	@for po in $$(git ls-files '*.po'); do \
		out=$$(msgattrib --only-fuzzy $$po; msgattrib --untranslated $$po); \
		if [ -n "$$out" ]; then echo "$$po has untranslated or fuzzy entries:"; echo "$$out" | head -30; exit 1; fi; done
	@echo "English catalogues complete."

# Figures, never pass/fail (bench/README.md): `make bench` at city scale (minutes), `make bench
# SCALE=province` (the dataset takes ~15 min the first time). Writes docs/performance.md.
SCALE ?= city
bench: $(VENV)/.installed bytecode
	$(PY) bench/run.py --scale $(SCALE) $(BENCH_ARGS)

# The dependencies come from uv.lock (every transitive version, with its hashes): the same
# versions on every machine, in CI and in the image. `--locked` refuses a lock that does not
# match pyproject.toml (run `make lock`). uv itself is bootstrapped with pip, hash-checked
# against the lock; on a fresh clone only python3 (with venv and pip) is needed.
#
# The packages are compiled to bytecode as they are installed, and the portal's own code before
# the tests and the benchmarks (`bytecode`): a Python that may not write its .pyc files
# (PYTHONDONTWRITEBYTECODE, as on this machine and in the image) otherwise compiles 1,300
# modules from source in every process it starts, 2.2 of its 4.7 s of start-up here.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --group dev --compile-bytecode
	touch $@

CODE_DIRS := manage.py association members stations projects content bench
bytecode: $(VENV)/.installed
	$(PY) -m compileall -q -j 0 $(CODE_DIRS)

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) tools/bootstrap_uv.py

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The Debian packages for PDF rendering and Chinese fonts: installed when running as root on
# Debian/Ubuntu, otherwise the one line that installs them is printed.
system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "For PDF reports and Chinese fonts, run: sudo apt-get install -y $$missing"; \
	fi

browser-deps:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES); }

# Backups that restore (docs/operations.md): the database and the private files, with checksums.
# `make backup` writes var/backups/backup-<time>/; `make restore BACKUP=<folder> DB=<new name>`
# restores it into a new database and var/restored-<name>/, and checks every table's row count.
backup: $(VENV)/.installed
	$(PY) manage.py backup --output var/backups

restore: $(VENV)/.installed
	@test -n "$(BACKUP)" -a -n "$(DB)" || { echo "usage: make restore BACKUP=var/backups/backup-… DB=new_database_name"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)" --database "$(DB)" --media-root "var/restored-$(DB)"

clean:
	rm -rf $(VENV) node_modules var/static
