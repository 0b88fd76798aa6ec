"""Concurrent submissions to gunicorn's worker processes on the default SQLite database."""

import sqlite3

import pytest

from bench.servers import gunicorn, prepare_site, production_env
from bench.submit_load import post_lessons

pytestmark = pytest.mark.slow


def test_concurrent_submissions_are_all_stored_without_locking_errors(tmp_path):
    env = production_env(tmp_path, DJANGO_SUBMISSIONS_PER_HOUR="100000")
    env.pop("DATABASE_URL", None)
    prepare_site(env)

    with gunicorn(env, workers=2, log_path=tmp_path / "gunicorn.log") as base_url:
        result = post_lessons(base_url, clients=4, total=40)

    log = (tmp_path / "gunicorn.log").read_text()
    assert result.errors == []
    assert result.stored == 40
    assert "database is locked" not in log
    assert "Traceback" not in log
    with sqlite3.connect(tmp_path / "site.sqlite3") as db:
        stored = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT title) FROM lessons_lesson "
            "WHERE title LIKE 'Concurrent lesson %' AND moderation_status = 'pending'"
        ).fetchone()
        records = db.execute("SELECT COUNT(*) FROM alliances_submissionrecord").fetchone()
    assert stored == (40, 40)
    assert records == (40,)
