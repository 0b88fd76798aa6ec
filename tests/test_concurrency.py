"""Concurrent submissions to gunicorn's worker processes, on SQLite and (when configured) on
PostgreSQL."""

import os
import sqlite3
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

from bench.servers import gunicorn, prepare_site, production_env
from bench.submit_load import post_lessons

pytestmark = pytest.mark.slow

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ENGINES = ["sqlite"] + (["postgresql"] if DATABASE_URL.startswith("postgres") else [])
COUNT_SQL = (
    "SELECT COUNT(*), COUNT(DISTINCT title) FROM lessons_lesson "
    "WHERE title LIKE 'Concurrent lesson %' AND moderation_status = 'pending'"
)


@contextmanager
def scratch_postgres_database(suffix="concurrency"):
    """A database of its own on the configured PostgreSQL server, dropped afterwards."""
    import psycopg

    url = urlsplit(DATABASE_URL)
    name = f"{url.path.lstrip('/')}_{suffix}"
    with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(url._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database(engine, tmp_path, suffix="concurrency"):
    """(settings for the site's environment, a function that connects to its database)."""
    if engine == "sqlite":
        path = tmp_path / "site.sqlite3"
        yield {}, lambda: sqlite3.connect(path)
    else:
        import psycopg

        with scratch_postgres_database(suffix) as url:
            yield {"DATABASE_URL": url}, lambda: psycopg.connect(url)


@pytest.mark.parametrize("engine", ENGINES)
def test_concurrent_submissions_are_all_stored_without_errors(tmp_path, engine):
    with database(engine, tmp_path) as (settings, connect):
        env = production_env(tmp_path, DJANGO_SUBMISSIONS_PER_HOUR="100000")
        env.pop("DATABASE_URL", None)
        env.update(settings)
        prepare_site(env)

        with gunicorn(env, workers=2, log_path=tmp_path / "gunicorn.log") as base_url:
            result = post_lessons(base_url, clients=4, total=40)

        with connect() as db:
            stored = tuple(db.execute(COUNT_SQL).fetchone())
            records = db.execute("SELECT COUNT(*) FROM alliances_submissionrecord").fetchone()[0]

    log = (tmp_path / "gunicorn.log").read_text()
    assert result.errors == []
    assert result.stored == 40
    assert "database is locked" not in log
    assert "Traceback" not in log
    assert stored == (40, 40)
    assert records == 40
