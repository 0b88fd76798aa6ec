# The documented commands. Each one creates the virtual environment first, so a
# fresh clone needs nothing but Python 3.11+, make and git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

WORKERS ?= $(or $(WEB_CONCURRENCY),3)

.PHONY: run serve test lint format bench migrate seed install clean lock upgrade backup

# --- Dependencies: installs come from the hash-locked requirements files, never from the ranges
# in pyproject.toml. requirements.txt locks production, requirements-dev.txt the tests and lint
# on top of it (constrained by it, so both agree). A changed lock rebuilds the virtualenv from
# scratch, so it holds exactly what the lock says.
LOCKS := requirements.txt requirements-dev.txt
# pip-compile itself runs from its own virtualenv, installed from requirements-tools.txt.
LOCK_VENV := $(VENV)/lock-tools
LOCK_STAMP := $(LOCK_VENV)/.installed
# Locks resolve against the public index only, whatever pip configuration this machine has, and
# record no index or machine paths; each pin lists the hashes of all its published files.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" PIP_CONFIG_FILE=/dev/null \
	env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT \
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

# The dev lock holds every pin of the production one; the copy in the virtualenv says what is
# installed, so a lock that was only touched (a checkout, a `make lock` that changed nothing)
# installs nothing.
$(STAMP): $(LOCKS)
	cmp -s requirements-dev.txt $(VENV)/requirements-dev.txt || { \
		rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) && \
		$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt && \
		cp requirements-dev.txt $(VENV)/requirements-dev.txt; }
	touch $(STAMP)

$(LOCK_STAMP): requirements-tools.txt
	cmp -s requirements-tools.txt $(LOCK_VENV)/requirements-tools.txt || { \
		rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements-tools.txt && \
		cp requirements-tools.txt $(LOCK_VENV)/requirements-tools.txt; }
	touch $(LOCK_STAMP)

# After editing pyproject.toml's dependencies: re-resolve the locks, keeping every existing pin
# that still fits and adding what is new. Commit pyproject.toml and the locks together.
lock: $(LOCK_STAMP)
	$(PIP_COMPILE) --output-file requirements-tools.txt requirements-tools.in
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.txt \
		--output-file requirements-dev.txt pyproject.toml

# Every lock to the newest versions pyproject.toml allows, then the suite on them.
# The HTML checker is pinned in tests/test_markup.py; this says whether a newer one is out.
upgrade:
	$(MAKE) lock LOCK_ARGS=--upgrade
	@echo "vnu-jar (tests/test_markup.py): pinned $$(sed -n 's/^VNU_VERSION = "\(.*\)"/\1/p' \
		tests/test_markup.py), newest $$(npm view vnu-jar version 2>/dev/null || echo unknown)"
	$(MAKE) test
# --- end of dependencies

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_report

run: seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Uncommon Alliances is at http://127.0.0.1:$(PORT)/"
	@echo "Create a curator account for /admin/ with: $(BIN)/python manage.py createsuperuser"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production server: gunicorn with production settings. Needs DJANGO_SECRET_KEY and
# DJANGO_ALLOWED_HOSTS (and DJANGO_SECURE_SSL_REDIRECT=0 when nothing terminates TLS in front).
serve: seed
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=0 $(BIN)/gunicorn -c config/gunicorn.conf.py config.wsgi:application \
		--bind 127.0.0.1:$(PORT) --workers $(WORKERS)

# An online, checked copy of the SQLite database (DJANGO_SQLITE_PATH) while the site runs, to a
# file named for the moment in BACKUP_DIR; never overwrites one (README "Backup and restore").
BACKUP_DIR ?= backups
backup: $(STAMP)
	mkdir -p $(BACKUP_DIR)
	$(BIN)/python manage.py backup_sqlite \
		$(BACKUP_DIR)/uncommon-alliances-$$(date -u +%Y-%m-%dT%H%M%SZ).sqlite3

test: $(STAMP)
	$(BIN)/python -m pytest

# Times every page type at 1,000 and 100,000 lessons (rendered and served from the page cache),
# lists after a publication, search against a scan, load through gunicorn, concurrent
# submissions and building the open archive; on PostgreSQL too with BENCH_POSTGRES or DATABASE_URL. Writes docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python -m bench.run

# ruff (style), import-linter (imports run down the layers of docs/architecture.md),
# mypy with django-stubs (types).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .cache
