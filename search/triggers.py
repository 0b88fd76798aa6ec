"""The search index's tables, columns and triggers, for the engine in use.

SQLite: an FTS5 table per kind holding the published rows only (search/sqlite_index.py).
PostgreSQL: a tsvector column per kind, GIN-indexed over the published rows
(search/postgres_index.py). Both are built from the declarations of search/index.py,
through the SQL of search/sql.py, and kept current by triggers, so every write path
updates the index in the same transaction.

Every statement can run again: triggers are dropped and re-created, tables and indexes
created only if missing, and the index is (re)filled only where it does not hold one
row per published row (SQLite) or a row has no vector (PostgreSQL).
"""

from collections.abc import Iterator

from django.db.backends.base.base import BaseDatabaseWrapper

from core.triggers import TriggerSet
from lessons.content_version import bump_statement
from search import postgres_index, sqlite_index
from search.index import INDEXES, LESSON_THEMES_TABLE, ORGANISATION_TABLE, PARTICIPATION_TABLE
from search.sql import TAG_TABLE


def _statements(connection: BaseDatabaseWrapper) -> Iterator[str]:
    if connection.vendor == "sqlite":
        yield from sqlite_index.statements(connection)
    elif connection.vendor == "postgresql":
        yield from postgres_index.statements(connection)


def _drop(connection: BaseDatabaseWrapper) -> list[str]:
    """Every trigger removed; the index is left as it is (``_rebuild`` refills it)."""
    if connection.vendor == "sqlite":
        ddl = sqlite_index.ddl(connection)
    elif connection.vendor == "postgresql":
        ddl = postgres_index.statements(connection)
    else:
        return []
    return [statement for statement in ddl if statement.startswith("DROP TRIGGER")]


def _rebuild(connection: BaseDatabaseWrapper) -> Iterator[str]:
    """The index computed again from the rows, whatever it holds now."""
    if connection.vendor == "sqlite":
        for index in INDEXES.values():
            yield from sqlite_index.refill(connection, index)
    elif connection.vendor == "postgresql":
        yield from postgres_index.rebuild(connection)
    else:
        return
    # Search counts cached from the index before must not outlive it.
    yield bump_statement(connection)


def _names(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "sqlite":
        return sqlite_index.names()
    return postgres_index.names()


SEARCH_TRIGGERS = TriggerSet(
    name="search index",
    tables=lambda: [
        *(index.table for index in INDEXES.values()),
        *(index.tag_table for index in INDEXES.values()),
        PARTICIPATION_TABLE,
        ORGANISATION_TABLE,
        TAG_TABLE,
        LESSON_THEMES_TABLE,
    ],
    install=_statements,
    names=_names,
    drop=_drop,
    rebuild=_rebuild,
)
