"""Settings: safe defaults, strict production, and the SQLite file set up for concurrency."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

STRONG_KEY = "k" * 20 + "-a-long-random-production-secret-key-0123456789"


def run_django(env_overrides, code="import django; django.setup()", *args):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, *args] if args else [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_on_the_development_secret_key():
    result = run_django({"DJANGO_DEBUG": "0"})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_django({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "short"})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_checks():
    result = run_django(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": STRONG_KEY,
            "DJANGO_ALLOWED_HOSTS": "alliances.example.org",
        },
        None,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_are_debug_on_localhost():
    result = run_django(
        {},
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS[0], s.DATABASES['default']['ENGINE'])",
    )

    assert result.stdout.split() == ["True", "127.0.0.1", "django.db.backends.sqlite3"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="about the SQLite default")
@pytest.mark.django_db
def test_sqlite_runs_on_a_file_in_wal_mode_with_immediate_transactions():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA database_list")
        filename = cursor.fetchone()[2]

    assert journal_mode == "wal"
    assert filename.endswith(".sqlite3")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_collected_static_files_are_hashed_and_compressed(tmp_path):
    result = run_django(
        {"DJANGO_STATIC_ROOT": str(tmp_path)},
        None,
        "manage.py",
        "collectstatic",
        "--noinput",
    )

    assert result.returncode == 0, result.stderr
    css = {path.name for path in (tmp_path / "css").iterdir()}
    hashed = [name for name in css if name.startswith("site.") and name.endswith(".css")]
    assert "site.css" in css and len(hashed) == 2  # the original and its hashed copy
    assert any(name.endswith(".css.gz") for name in css)
    assert (tmp_path / "staticfiles.json").exists()
