"""The search index's tables, columns and triggers, built from search/index.py.

SQLite: an FTS5 table per kind holding the published rows only, kept current by
triggers, so every write path (forms, the admin, bulk updates, fixtures) updates the
index in the same transaction: a row enters it when published and leaves it when
withdrawn or deleted. A query then needs no join to check what is public, and a count
is the match alone. Beside it, ``lesson_search_facts`` keeps each published lesson's
experience and theme ids, one narrow row, which the facets and filters read instead of
the lesson and its theme links.

PostgreSQL: a ``search_vector`` tsvector column per kind (outside Django's models:
Django never reads or writes it), computed by a BEFORE trigger from the row, its tags
and, for case studies, its partners' names; a change to tags, partners or names
"touches" the owning row so its vector is recomputed. A GIN index over the published
rows only makes @@ an index lookup.

Every statement can run again: triggers are dropped and re-created, tables and indexes
created only if missing, and the index is (re)filled only where it does not hold one
row per published row.
"""

from collections.abc import Iterator

from django.db.backends.base.base import BaseDatabaseWrapper
from taggit.models import Tag

from core.moderation import ModerationStatus
from core.triggers import TriggerSet
from lessons.content_version import bump_statement
from search.index import (
    INDEXES,
    LESSON_FACTS_TABLE,
    LESSON_THEMES_TABLE,
    LESSONS,
    ORGANISATION_TABLE,
    PARTICIPATION_TABLE,
    SearchIndex,
)

TAG_TABLE = Tag._meta.db_table
TOKENIZER = "porter unicode61 remove_diacritics 2"
PUBLISHED = ModerationStatus.PUBLISHED.value
# Names earlier versions used, dropped so that no second copy of a trigger survives.
POSTGRES_LEGACY = [("lesson_search_touch", "lessons_taggedlesson")]


def body_sql(index: SearchIndex, prefix: str = "") -> str:
    """The body columns joined into one text, each column's row prefixed (``new.``)."""
    return " || ' ' || ".join(f"coalesce({prefix}{column}, '')" for column in index.body)


def _aggregate(connection: BaseDatabaseWrapper, expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"string_agg({expression}, ' ')"
    return f"group_concat({expression}, ' ')"


def tags_sql(connection: BaseDatabaseWrapper, index: SearchIndex, row_id: str) -> str:
    """The names of the tags on row ``row_id``, space-separated."""
    return (
        f"coalesce((SELECT {_aggregate(connection, 'tag.name')} FROM {index.tag_table} item "
        f"JOIN {TAG_TABLE} tag ON tag.id = item.tag_id WHERE item.content_object_id = {row_id}), "
        "'')"
    )


def partners_sql(connection: BaseDatabaseWrapper, row_id: str, hidden: str | None = None) -> str:
    """The partners' names of case study ``row_id``, or nothing where it hides them.

    ``hidden`` is the SQL of its hide_partner_names flag, read from its row by default.
    """
    table = INDEXES["partnership"].table
    hidden = hidden or f"(SELECT hide_partner_names FROM {table} WHERE id = {row_id})"
    names = (
        f"coalesce((SELECT {_aggregate(connection, 'org.name')} FROM {PARTICIPATION_TABLE} "
        f"part JOIN {ORGANISATION_TABLE} org ON org.id = part.organisation_id "
        f"WHERE part.partnership_id = {row_id}), '')"
    )
    return f"CASE WHEN {hidden} THEN '' ELSE {names} END"


def _values(connection: BaseDatabaseWrapper, index: SearchIndex, row: str) -> list[str]:
    """The FTS5 row for content row ``row`` (``new``, or an alias), part by part."""
    values = [
        f"{row}.{index.title}",
        body_sql(index, f"{row}."),
        tags_sql(connection, index, f"{row}.id"),
    ]
    if index.partners:
        values.append(partners_sql(connection, f"{row}.id"))
    return values


# SQLite -----------------------------------------------------------------------------


def _is_published(row: str) -> str:
    return f"{row}.moderation_status = '{PUBLISHED}'"


def themes_sql(row_id: str) -> str:
    """The theme ids of lesson ``row_id`` as ``,3,5,`` (SQLite), so one theme is ``,3,``."""
    return (
        f"',' || coalesce((SELECT group_concat(lt.theme_id, ',') FROM {LESSON_THEMES_TABLE} lt "
        f"WHERE lt.lesson_id = {row_id}), '') || ','"
    )


def _index_rows(connection: BaseDatabaseWrapper, index: SearchIndex, row: str, source: str = ""):
    """Index content row ``row`` (``new``, or the alias ``source`` reads) if it is published."""
    fts, parts = index.fts_table, ", ".join(index.parts)
    values = ", ".join(_values(connection, index, row))
    yield (
        f"INSERT INTO {fts} (rowid, {parts}) SELECT {row}.id, {values}{source} "
        f"WHERE {_is_published(row)}"
    )
    if index is LESSONS:
        yield (
            f"INSERT INTO {LESSON_FACTS_TABLE} (id, experience, themes) SELECT {row}.id, "
            f"{row}.experience, {themes_sql(f'{row}.id')}{source} WHERE {_is_published(row)}"
        )


def _unindex_row(index: SearchIndex, row_id: str):
    yield f"DELETE FROM {index.fts_table} WHERE rowid = {row_id}"
    if index is LESSONS:
        yield f"DELETE FROM {LESSON_FACTS_TABLE} WHERE id = {row_id}"


def _sqlite_trigger(name: str, event: str, *body: str) -> Iterator[str]:
    yield f"DROP TRIGGER IF EXISTS {name}"
    yield f"CREATE TRIGGER {name} {event} BEGIN {'; '.join(body)}; END"


def _owners(event: str, column: str) -> str:
    """The owning rows a link row's INSERT, DELETE or UPDATE (both sides) changes."""
    return {"insert": f"new.{column}", "delete": f"old.{column}"}.get(
        event, f"old.{column}, new.{column}"
    )


def _sqlite_index(connection: BaseDatabaseWrapper, index: SearchIndex) -> Iterator[str]:
    """The tables and triggers of one index: published rows only, so a query needs no join."""
    fts, table, parts = index.fts_table, index.table, ", ".join(index.parts)
    yield f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({parts}, tokenize = '{TOKENIZER}')"
    yield from _sqlite_trigger(
        f"{fts}_insert",
        f"AFTER INSERT ON {table} WHEN {_is_published('new')}",
        *_index_rows(connection, index, "new"),
    )
    yield from _sqlite_trigger(
        f"{fts}_update",
        f"AFTER UPDATE OF {', '.join(index.text_columns)} ON {table}",
        f"UPDATE {fts} SET title = new.{index.title}, body = {body_sql(index, 'new.')} "
        "WHERE rowid = new.id",
    )
    # Published or not: a row enters or leaves the index, whatever wrote the status.
    yield from _sqlite_trigger(
        f"{fts}_publish",
        f"AFTER UPDATE OF moderation_status ON {table} "
        f"WHEN ({_is_published('old')}) <> ({_is_published('new')})",
        *_unindex_row(index, "old.id"),
        *_index_rows(connection, index, "new"),
    )
    yield from _sqlite_trigger(
        f"{fts}_delete", f"AFTER DELETE ON {table}", *_unindex_row(index, "old.id")
    )
    for event in ("insert", "delete", "update"):
        yield from _sqlite_trigger(
            f"{fts}_tag_{event}",
            f"AFTER {event.upper()} ON {index.tag_table}",
            f"UPDATE {fts} SET tags = {tags_sql(connection, index, f'{fts}.rowid')} "
            f"WHERE rowid IN ({_owners(event, 'content_object_id')})",
        )
    if index is LESSONS:
        yield (
            f"CREATE TABLE IF NOT EXISTS {LESSON_FACTS_TABLE} "
            "(id INTEGER PRIMARY KEY, experience TEXT NOT NULL, themes TEXT NOT NULL)"
        )
        yield from _sqlite_trigger(
            f"{fts}_experience",
            f"AFTER UPDATE OF experience ON {table}",
            f"UPDATE {LESSON_FACTS_TABLE} SET experience = new.experience WHERE id = new.id",
        )
        for event in ("insert", "delete", "update"):
            yield from _sqlite_trigger(
                f"{fts}_theme_{event}",
                f"AFTER {event.upper()} ON {LESSON_THEMES_TABLE}",
                f"UPDATE {LESSON_FACTS_TABLE} SET themes = "
                f"{themes_sql(f'{LESSON_FACTS_TABLE}.id')} "
                f"WHERE id IN ({_owners(event, 'lesson_id')})",
            )
    if index.partners:
        for event in ("insert", "delete", "update"):
            yield from _sqlite_trigger(
                f"{fts}_partner_{event}",
                f"AFTER {event.upper()} ON {PARTICIPATION_TABLE}",
                f"UPDATE {fts} SET partners = {partners_sql(connection, f'{fts}.rowid')} "
                f"WHERE rowid IN ({_owners(event, 'partnership_id')})",
            )
        yield from _sqlite_trigger(
            f"{fts}_hide_partners",
            f"AFTER UPDATE OF hide_partner_names ON {table}",
            f"UPDATE {fts} SET partners = {partners_sql(connection, 'new.id')} "
            "WHERE rowid = new.id",
        )


def _sqlite_refill(connection: BaseDatabaseWrapper, index: SearchIndex) -> Iterator[str]:
    """Everything in one index computed again from the published rows."""
    yield f"DELETE FROM {index.fts_table}"
    if index is LESSONS:
        yield f"DELETE FROM {LESSON_FACTS_TABLE}"
    yield from _index_rows(connection, index, "x", f" FROM {index.table} x")


def _sqlite_incomplete(connection: BaseDatabaseWrapper, index: SearchIndex) -> bool:
    """Whether the index does not hold one row per published row (a new table, an index
    that held every row, as before issue 10, or one a restore left empty)."""
    tables = [index.fts_table, *([LESSON_FACTS_TABLE] if index is LESSONS else [])]
    counts = ", ".join(f"(SELECT count(*) FROM {table})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {index.table} x WHERE {_is_published('x')}), {counts}"
        )
        published, *indexed = cursor.fetchone()
    return any(count != published for count in indexed)


def _sqlite_renames(connection: BaseDatabaseWrapper) -> Iterator[str]:
    """A renamed tag or organisation is found under its new name."""
    renames = []
    for index in INDEXES.values():
        owner = f"{index.fts_table}.rowid"
        renames.append(
            f"UPDATE {index.fts_table} SET tags = {tags_sql(connection, index, owner)} "
            f"WHERE rowid IN (SELECT content_object_id FROM {index.tag_table} "
            "WHERE tag_id = new.id)"
        )
    yield from _sqlite_trigger(
        "search_tag_rename", f"AFTER UPDATE OF name ON {TAG_TABLE}", *renames
    )
    partnerships = INDEXES["partnership"]
    owner = f"{partnerships.fts_table}.rowid"
    yield from _sqlite_trigger(
        "search_organisation_rename",
        f"AFTER UPDATE OF name ON {ORGANISATION_TABLE}",
        f"UPDATE {partnerships.fts_table} SET partners = {partners_sql(connection, owner)} "
        f"WHERE rowid IN (SELECT partnership_id FROM {PARTICIPATION_TABLE} "
        "WHERE organisation_id = new.id)",
    )


def _sqlite_ddl(connection: BaseDatabaseWrapper) -> Iterator[str]:
    for index in INDEXES.values():
        yield from _sqlite_index(connection, index)
    yield from _sqlite_renames(connection)


def _sqlite(connection: BaseDatabaseWrapper) -> Iterator[str]:
    # Checked as the statements run: each index's tables exist by the time it is counted.
    for index in INDEXES.values():
        yield from _sqlite_index(connection, index)
        if _sqlite_incomplete(connection, index):
            yield from _sqlite_refill(connection, index)
            # Search counts cached while the index was incomplete must not outlive it.
            yield bump_statement(connection)
    yield from _sqlite_renames(connection)


def _sqlite_names(index: SearchIndex) -> list[str]:
    names = ["insert", "update", "publish", "delete", "tag_insert", "tag_delete", "tag_update"]
    if index is LESSONS:
        names += ["experience", "theme_insert", "theme_delete", "theme_update"]
    if index.partners:
        names += ["partner_insert", "partner_delete", "partner_update", "hide_partners"]
    return [f"{index.fts_table}_{name}" for name in names]


# PostgreSQL -------------------------------------------------------------------------


# A link row's owner changes with an UPDATE too (a queryset.update() of the link table).
LINK_EVENTS = "AFTER INSERT OR UPDATE OR DELETE"


def _touch_function(name: str, statement: str) -> str:
    """A trigger function that re-computes owning rows' vectors: ``statement`` per row."""
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {statement.format(row='NEW')}; END IF; "
        f"IF TG_OP IN ('DELETE', 'UPDATE') THEN {statement.format(row='OLD')}; END IF; "
        "RETURN NULL; END $$"
    )


def _touch(index: SearchIndex, ids: str) -> str:
    """Re-compute the vectors of the rows ``ids`` selects, by touching their title."""
    return f"UPDATE {index.table} SET {index.title} = {index.title} WHERE id {ids}"


def _pg_trigger(name: str, table: str, when: str, function: str) -> Iterator[str]:
    yield f"DROP TRIGGER IF EXISTS {name} ON {table}"
    yield f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"


def _postgresql_index(connection: BaseDatabaseWrapper, index: SearchIndex) -> Iterator[str]:
    table, vector = index.table, f"{index.fts_table}_vector"
    texts = [
        f"coalesce(NEW.{index.title}, '')",
        body_sql(index, "NEW."),
        tags_sql(connection, index, "NEW.id"),
    ]
    if index.partners:
        texts.append(partners_sql(connection, "NEW.id", hidden="NEW.hide_partner_names"))
    weighted = " || ".join(
        f"setweight(to_tsvector('english'::regconfig, {text}), '{weight}')"
        for text, weight in zip(texts, index.pg_weights, strict=True)
    )
    yield f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector"
    yield (
        f"CREATE OR REPLACE FUNCTION {vector}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.search_vector := {weighted}; RETURN NEW; END $$"
    )
    columns = [*index.text_columns, *(["hide_partner_names"] if index.partners else [])]
    yield from _pg_trigger(
        vector, table, f"BEFORE INSERT OR UPDATE OF {', '.join(columns)}", vector
    )
    touch_by_tag = f"{index.fts_table}_touch_by_tag"
    yield _touch_function(touch_by_tag, _touch(index, "= {row}.content_object_id"))
    yield from _pg_trigger(touch_by_tag, index.tag_table, LINK_EVENTS, touch_by_tag)
    if index.partners:
        by_partner = f"{index.fts_table}_touch_by_partner"
        yield _touch_function(by_partner, _touch(index, "= {row}.partnership_id"))
        yield from _pg_trigger(by_partner, PARTICIPATION_TABLE, LINK_EVENTS, by_partner)
    # Only published rows are ever searched: the index holds nothing else.
    yield f"DROP INDEX IF EXISTS {index.fts_table}_gin"
    yield (
        f"CREATE INDEX IF NOT EXISTS {index.fts_table}_published_gin ON {table} "
        f"USING gin (search_vector) WHERE moderation_status = '{PUBLISHED}'"
    )
    # Fill the vectors that are missing: a new column, or rows written without the trigger.
    # (Checked first: even an UPDATE of no rows fires statement-level triggers.)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE search_vector IS NULL)")
        (unindexed,) = cursor.fetchone()
    if unindexed:
        yield _touch(index, f"IN (SELECT id FROM {table} WHERE search_vector IS NULL)")


def _postgresql(connection: BaseDatabaseWrapper) -> Iterator[str]:
    for name, table in POSTGRES_LEGACY:
        yield f"DROP TRIGGER IF EXISTS {name} ON {table}"
        yield f"DROP FUNCTION IF EXISTS {name}()"
    for index in INDEXES.values():
        yield from _postgresql_index(connection, index)
    # A renamed tag or organisation is found under its new name.
    by_tag_name = "; ".join(
        _touch(
            index, f"IN (SELECT content_object_id FROM {index.tag_table} WHERE tag_id = {{row}}.id)"
        )
        for index in INDEXES.values()
    )
    yield _touch_function("search_touch_by_tag_name", by_tag_name)
    yield from _pg_trigger(
        "search_touch_by_tag_name", TAG_TABLE, "AFTER UPDATE OF name", "search_touch_by_tag_name"
    )
    by_organisation = _touch(
        INDEXES["partnership"],
        f"IN (SELECT partnership_id FROM {PARTICIPATION_TABLE} WHERE organisation_id = {{row}}.id)",
    )
    yield _touch_function("search_touch_by_organisation_name", by_organisation)
    yield from _pg_trigger(
        "search_touch_by_organisation_name",
        ORGANISATION_TABLE,
        "AFTER UPDATE OF name",
        "search_touch_by_organisation_name",
    )


def _postgresql_names(index: SearchIndex) -> list[str]:
    names = [f"{index.fts_table}_vector", f"{index.fts_table}_touch_by_tag"]
    return names + ([f"{index.fts_table}_touch_by_partner"] if index.partners else [])


def _statements(connection: BaseDatabaseWrapper) -> Iterator[str]:
    if connection.vendor == "sqlite":
        yield from _sqlite(connection)
    elif connection.vendor == "postgresql":
        yield from _postgresql(connection)


def _drop(connection: BaseDatabaseWrapper) -> list[str]:
    """Every trigger removed; the index is left as it is (``_rebuild`` refills it)."""
    if connection.vendor == "sqlite":
        ddl = _sqlite_ddl(connection)
    elif connection.vendor == "postgresql":
        ddl = _postgresql(connection)
    else:
        return []
    return [statement for statement in ddl if statement.startswith("DROP TRIGGER")]


def _rebuild(connection: BaseDatabaseWrapper) -> Iterator[str]:
    """The index computed again from the rows, whatever it holds now."""
    if connection.vendor == "sqlite":
        for index in INDEXES.values():
            yield from _sqlite_refill(connection, index)
    elif connection.vendor == "postgresql":
        for index in INDEXES.values():
            yield _touch(index, f"IN (SELECT id FROM {index.table})")
    else:
        return
    yield bump_statement(connection)


def _names(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "sqlite":
        per_index = [name for index in INDEXES.values() for name in _sqlite_names(index)]
        return [*per_index, "search_tag_rename", "search_organisation_rename"]
    per_index = [name for index in INDEXES.values() for name in _postgresql_names(index)]
    return [*per_index, "search_touch_by_tag_name", "search_touch_by_organisation_name"]


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
