"""A consistent copy of the SQLite database, taken while the site keeps serving writes.

    python manage.py backup_sqlite backups/site-2025-06-01.sqlite3

SQLite's online backup copies every page from one read snapshot, so the copy is the
database as it stood at one moment, whatever is written meanwhile (WAL lets writers
carry on while it reads). A plain ``cp`` of a live database can miss writes still in
the ``-wal`` file or catch a page half-written. The copy is checked before it gets its
name, so a file under the name given is always a whole, sound backup.
"""

import os
import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

# How long to wait for a lock (as the site does) before giving up.
SECONDS_LOCKED = 20


def _problems(copy: sqlite3.Connection) -> list[str]:
    """What SQLite's integrity check, and each full-text index's own check, find wrong."""
    problems = [row[0] for row in copy.execute("PRAGMA integrity_check") if row[0] != "ok"]
    full_text = copy.execute(
        "SELECT name FROM sqlite_master "
        "WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
    ).fetchall()
    for (name,) in full_text:
        try:
            copy.execute(f'INSERT INTO "{name}" ("{name}") VALUES (\'integrity-check\')')
        except sqlite3.DatabaseError as error:
            problems.append(f"full-text index {name}: {error}")
    return problems


class Command(BaseCommand):
    help = (
        "Copy the SQLite database to a new file while the site runs: a consistent snapshot, "
        "checked (PRAGMA integrity_check) before it is given its name. Never overwrites a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file to write (must not exist).")
        parser.add_argument("--database", default="default", help="Which database.")

    def handle(self, *args, path: Path, database: str, **options):
        connection = connections[database]
        if connection.vendor != "sqlite":
            raise CommandError(
                f"The database is {connection.display_name}, not SQLite: back it up with "
                'pg_dump (the README\'s "Backup and restore" has the commands).'
            )
        if path.exists():
            raise CommandError(
                f"{path} exists already: give a new name (backups are never overwritten)."
            )
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {path.parent} to write {path.name} into.")
        # In the same folder, so that giving it its name is one atomic rename.
        partial = path.with_name(f".{path.name}.partial")
        partial.unlink(missing_ok=True)
        # A connection of its own: Django's may be inside a transaction, and SQLite
        # cannot back up from a connection in the middle of writing.
        source = sqlite3.connect(connection.settings_dict["NAME"], timeout=SECONDS_LOCKED)
        try:
            copy = sqlite3.connect(partial)
            try:
                # All pages in one step: one read snapshot, so one moment of the database.
                source.backup(copy)
                # One self-contained file (the site turns WAL back on when it opens it).
                copy.execute("PRAGMA journal_mode = DELETE")
                problems = _problems(copy)
            finally:
                copy.close()
                source.close()
            if problems:
                raise CommandError(f"The copy failed its check: {'; '.join(problems[:5])}")
            with open(partial, "rb+") as written:
                os.fsync(written.fileno())
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        size = path.stat().st_size / 1_000_000
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {connection.settings_dict['NAME']} to {path} "
                f"({size:.1f} MB, integrity check ok)."
            )
        )
