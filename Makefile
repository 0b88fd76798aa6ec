# The documented commands. Each one creates the virtual environment first, so a
# fresh clone needs nothing but Python 3.11+, make and git.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

WORKERS ?= $(or $(WEB_CONCURRENCY),3)

.PHONY: run serve test lint format bench migrate seed install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $(STAMP)

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

test: $(STAMP)
	$(BIN)/python -m pytest

# Times every page type at 1,000 and 100,000 lessons, search against a scan, load through
# gunicorn and concurrent submissions; prints a table and writes docs/benchmarks.md.
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
	rm -rf $(VENV) staticfiles .pytest_cache
