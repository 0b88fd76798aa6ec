"""SQLite's search index: FTS5 tables of the published rows, and the triggers that keep them.

Every write path (forms, the admin, bulk updates, fixtures) updates the index in the same
transaction: a row enters it when published and leaves it when withdrawn or deleted, so
a query needs no join to check what is public and a count is the match alone. Beside
it, ``lesson_search_facts`` keeps each published lesson's facets (search/sql.py), one
narrow row the filters and facet counts read instead of the lesson and its theme links.
"""

from collections.abc import Iterator

from django.db.backends.base.base import BaseDatabaseWrapper

from lessons.content_version import bump_statement
from search.index import (
    INDEXES,
    LESSON_FACTS_TABLE,
    LESSON_THEMES_TABLE,
    LESSONS,
    ORGANISATION_TABLE,
    PARTICIPATION_TABLE,
    SIGNOFF_TABLE,
    SearchIndex,
)
from search.sql import (
    TAG_TABLE,
    body_sql,
    index_values,
    is_published,
    lesson_facets_sql,
    partners_sql,
    tags_sql,
)

TOKENIZER = "porter unicode61 remove_diacritics 2"


def _index_rows(connection: BaseDatabaseWrapper, index: SearchIndex, row: str, source: str = ""):
    """Index content row ``row`` (``new``, or the alias ``source`` reads) if it is published."""
    fts, parts = index.fts_table, ", ".join(index.parts)
    values = ", ".join(index_values(connection, index, row))
    yield (
        f"INSERT INTO {fts} (rowid, {parts}) SELECT {row}.id, {values}{source} "
        f"WHERE {is_published(row)}"
    )
    if index is LESSONS:
        yield (
            f"INSERT INTO {LESSON_FACTS_TABLE} (id, facets) SELECT {row}.id, "
            f"{lesson_facets_sql(connection, f'{row}.id')}{source} WHERE {is_published(row)}"
        )


def _unindex_row(index: SearchIndex, row_id: str):
    yield f"DELETE FROM {index.fts_table} WHERE rowid = {row_id}"
    if index is LESSONS:
        yield f"DELETE FROM {LESSON_FACTS_TABLE} WHERE id = {row_id}"


def _trigger(name: str, event: str, *body: str) -> Iterator[str]:
    yield f"DROP TRIGGER IF EXISTS {name}"
    yield f"CREATE TRIGGER {name} {event} BEGIN {'; '.join(body)}; END"


def _owners(event: str, column: str) -> str:
    """The owning rows a link row's INSERT, DELETE or UPDATE (both sides) changes."""
    return {"insert": f"new.{column}", "delete": f"old.{column}"}.get(
        event, f"old.{column}, new.{column}"
    )


def _index(connection: BaseDatabaseWrapper, index: SearchIndex) -> Iterator[str]:
    """The tables and triggers of one index: published rows only, so a query needs no join."""
    fts, table, parts = index.fts_table, index.table, ", ".join(index.parts)
    yield f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({parts}, tokenize = '{TOKENIZER}')"
    yield from _trigger(
        f"{fts}_insert",
        f"AFTER INSERT ON {table} WHEN {is_published('new')}",
        *_index_rows(connection, index, "new"),
    )
    yield from _trigger(
        f"{fts}_update",
        f"AFTER UPDATE OF {', '.join(index.text_columns)} ON {table}",
        f"UPDATE {fts} SET title = new.{index.title}, body = {body_sql(index, 'new.')} "
        "WHERE rowid = new.id",
    )
    # Published or not: a row enters or leaves the index, whatever wrote the status.
    yield from _trigger(
        f"{fts}_publish",
        f"AFTER UPDATE OF moderation_status ON {table} "
        f"WHEN ({is_published('old')}) <> ({is_published('new')})",
        *_unindex_row(index, "old.id"),
        *_index_rows(connection, index, "new"),
    )
    yield from _trigger(f"{fts}_delete", f"AFTER DELETE ON {table}", *_unindex_row(index, "old.id"))
    for event in ("insert", "delete", "update"):
        yield from _trigger(
            f"{fts}_tag_{event}",
            f"AFTER {event.upper()} ON {index.tag_table}",
            f"UPDATE {fts} SET tags = {tags_sql(connection, index, f'{fts}.rowid')} "
            f"WHERE rowid IN ({_owners(event, 'content_object_id')})",
        )
    if index is LESSONS:
        yield (
            f"CREATE TABLE IF NOT EXISTS {LESSON_FACTS_TABLE} "
            "(id INTEGER PRIMARY KEY, facets TEXT NOT NULL)"
        )
        yield from _trigger(
            f"{fts}_experience",
            f"AFTER UPDATE OF experience ON {table}",
            f"UPDATE {LESSON_FACTS_TABLE} SET facets = {lesson_facets_sql(connection, 'new.id')} "
            "WHERE id = new.id",
        )
        for event in ("insert", "delete", "update"):
            yield from _trigger(
                f"{fts}_theme_{event}",
                f"AFTER {event.upper()} ON {LESSON_THEMES_TABLE}",
                f"UPDATE {LESSON_FACTS_TABLE} SET facets = "
                f"{lesson_facets_sql(connection, f'{LESSON_FACTS_TABLE}.id')} "
                f"WHERE id IN ({_owners(event, 'lesson_id')})",
            )
    if index.partners:
        for event in ("insert", "delete", "update"):
            yield from _trigger(
                f"{fts}_partner_{event}",
                f"AFTER {event.upper()} ON {PARTICIPATION_TABLE}",
                f"UPDATE {fts} SET partners = {partners_sql(connection, f'{fts}.rowid')} "
                f"WHERE rowid IN ({_owners(event, 'partnership_id')})",
            )
        yield from _trigger(
            f"{fts}_hide_partners",
            f"AFTER UPDATE OF hide_partner_names ON {table}",
            f"UPDATE {fts} SET partners = {partners_sql(connection, 'new.id')} "
            "WHERE rowid = new.id",
        )
        for event in ("insert", "delete", "update"):
            yield from _trigger(
                f"{fts}_hide_partner_{event}",
                f"AFTER {event.upper()} ON {SIGNOFF_TABLE}",
                f"UPDATE {fts} SET partners = {partners_sql(connection, f'{fts}.rowid')} "
                f"WHERE rowid IN (SELECT partnership_id FROM {PARTICIPATION_TABLE} "
                f"WHERE id IN ({_owners(event, 'participation_id')}))",
            )


def refill(connection: BaseDatabaseWrapper, index: SearchIndex) -> Iterator[str]:
    """Everything in one index computed again from the published rows."""
    yield f"DELETE FROM {index.fts_table}"
    if index is LESSONS:
        yield f"DELETE FROM {LESSON_FACTS_TABLE}"
    yield from _index_rows(connection, index, "x", f" FROM {index.table} x")


def _incomplete(connection: BaseDatabaseWrapper, index: SearchIndex) -> bool:
    """Whether the index does not hold one row per published row (a new table, an index
    that held every row, as before issue 10, or one a restore left empty)."""
    tables = [index.fts_table, *([LESSON_FACTS_TABLE] if index is LESSONS else [])]
    counts = ", ".join(f"(SELECT count(*) FROM {table})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {index.table} x WHERE {is_published('x')}), {counts}"
        )
        published, *indexed = cursor.fetchone()
    return any(count != published for count in indexed)


def _renames(connection: BaseDatabaseWrapper) -> Iterator[str]:
    """A renamed tag or organisation is found under its new name."""
    renames = []
    for index in INDEXES.values():
        owner = f"{index.fts_table}.rowid"
        renames.append(
            f"UPDATE {index.fts_table} SET tags = {tags_sql(connection, index, owner)} "
            f"WHERE rowid IN (SELECT content_object_id FROM {index.tag_table} "
            "WHERE tag_id = new.id)"
        )
    yield from _trigger("search_tag_rename", f"AFTER UPDATE OF name ON {TAG_TABLE}", *renames)
    partnerships = INDEXES["partnership"]
    owner = f"{partnerships.fts_table}.rowid"
    yield from _trigger(
        "search_organisation_rename",
        f"AFTER UPDATE OF name ON {ORGANISATION_TABLE}",
        f"UPDATE {partnerships.fts_table} SET partners = {partners_sql(connection, owner)} "
        f"WHERE rowid IN (SELECT partnership_id FROM {PARTICIPATION_TABLE} "
        "WHERE organisation_id = new.id)",
    )


def ddl(connection: BaseDatabaseWrapper) -> Iterator[str]:
    for index in INDEXES.values():
        yield from _index(connection, index)
    yield from _renames(connection)


def statements(connection: BaseDatabaseWrapper) -> Iterator[str]:
    # Checked as the statements run: each index's tables exist by the time it is counted.
    for index in INDEXES.values():
        yield from _index(connection, index)
        if _incomplete(connection, index):
            yield from refill(connection, index)
            # Search counts cached while the index was incomplete must not outlive it.
            yield bump_statement(connection)
    yield from _renames(connection)


def _names(index: SearchIndex) -> list[str]:
    names = ["insert", "update", "publish", "delete", "tag_insert", "tag_delete", "tag_update"]
    if index is LESSONS:
        names += ["experience", "theme_insert", "theme_delete", "theme_update"]
    if index.partners:
        names += ["partner_insert", "partner_delete", "partner_update", "hide_partners"]
        names += ["hide_partner_insert", "hide_partner_delete", "hide_partner_update"]
    return [f"{index.fts_table}_{name}" for name in names]


def names() -> list[str]:
    """Every trigger ``statements`` creates."""
    per_index = [name for index in INDEXES.values() for name in _names(index)]
    return [*per_index, "search_tag_rename", "search_organisation_rename"]
