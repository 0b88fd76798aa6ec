"""`manage.py backup_sqlite PATH`: a checked copy of the SQLite database, or a clear refusal.

tests/test_backup.py takes it while another process writes; these cover what it promises
about the file it leaves behind.
"""

import io
import sqlite3

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from core.management.commands import backup_sqlite

ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
sqlite_only = pytest.mark.skipif(not ON_SQLITE, reason="copies a SQLite database")


@sqlite_only
def test_the_copy_holds_the_rows_and_the_search_index_in_one_file(
    transactional_db, tmp_path, water_for_towns
):
    out = io.StringIO()
    call_command("backup_sqlite", tmp_path / "backup.sqlite3", stdout=out)

    assert "integrity check ok" in out.getvalue()
    assert [path.name for path in tmp_path.iterdir()] == ["backup.sqlite3"]
    with sqlite3.connect(tmp_path / "backup.sqlite3") as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT name FROM alliances_partnership").fetchall() == [
            ("Water for Towns",)
        ]
        found = copy.execute(
            "SELECT rowid FROM partnership_search WHERE partnership_search MATCH 'water'"
        ).fetchall()
    assert found == [(water_for_towns.pk,)]


@sqlite_only
def test_an_existing_file_is_never_overwritten(db, tmp_path):
    earlier = tmp_path / "backup.sqlite3"
    earlier.write_bytes(b"last night's backup")

    with pytest.raises(CommandError, match="exists already: give a new name"):
        call_command("backup_sqlite", earlier)
    assert earlier.read_bytes() == b"last night's backup"


@sqlite_only
def test_a_missing_folder_is_named(db, tmp_path):
    with pytest.raises(CommandError, match=f"no folder {tmp_path / 'nowhere'}"):
        call_command("backup_sqlite", tmp_path / "nowhere" / "backup.sqlite3")


@sqlite_only
def test_a_copy_that_fails_its_check_is_never_given_the_name(db, tmp_path, monkeypatch):
    monkeypatch.setattr(backup_sqlite, "_problems", lambda copy: ["page 7: btree corrupt"])

    with pytest.raises(CommandError, match="failed its check: page 7: btree corrupt"):
        call_command("backup_sqlite", tmp_path / "backup.sqlite3")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(ON_SQLITE, reason="the refusal on PostgreSQL")
def test_on_postgresql_it_points_to_pg_dump(db, tmp_path):
    with pytest.raises(CommandError, match="not SQLite: back it up with pg_dump"):
        call_command("backup_sqlite", tmp_path / "backup.sqlite3")
    assert list(tmp_path.iterdir()) == []
