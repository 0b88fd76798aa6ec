"""The search index's tables, columns and triggers, built from search/index.py.

SQLite: an FTS5 table per kind, kept current by triggers, so every write path (forms,
the admin, bulk updates, fixtures) updates the index in the same transaction. Published
or not is read from the content table at query time, so publishing or withdrawing needs
no index change at all.

PostgreSQL: a ``search_vector`` tsvector column per kind (outside Django's models:
Django never reads or writes it), computed by a BEFORE trigger from the row, its tags
and, for case studies, its partners' names; a change to tags, partners or names
"touches" the owning row so its vector is recomputed. A GIN index makes @@ an index
lookup.

Every statement can run again: triggers are dropped and re-created, tables and indexes
created only if missing, and the index is (re)filled only where it is missing rows.
For a bulk load (core.triggers.suspended) the triggers are dropped and the whole index
rebuilt afterwards in one statement per kind.
"""

from collections.abc import Iterator

from django.db.backends.base.base import BaseDatabaseWrapper
from taggit.models import Tag

from core.triggers import TriggerSet
from lessons.content_version import bump_statement
from search.index import INDEXES, ORGANISATION_TABLE, PARTICIPATION_TABLE, SearchIndex

TAG_TABLE = Tag._meta.db_table
TOKENIZER = "porter unicode61 remove_diacritics 2"
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


def _sqlite_trigger(name: str, event: str, body: str) -> Iterator[str]:
    yield f"DROP TRIGGER IF EXISTS {name}"
    yield f"CREATE TRIGGER {name} {event} BEGIN {body}; END"


def _sqlite_index(connection: BaseDatabaseWrapper, index: SearchIndex) -> Iterator[str]:
    fts, table, parts = index.fts_table, index.table, ", ".join(index.parts)
    yield f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({parts}, tokenize = '{TOKENIZER}')"
    yield from _sqlite_trigger(
        f"{fts}_insert",
        f"AFTER INSERT ON {table}",
        f"INSERT INTO {fts} (rowid, {parts}) "
        f"VALUES (new.id, {', '.join(_values(connection, index, 'new'))})",
    )
    yield from _sqlite_trigger(
        f"{fts}_update",
        f"AFTER UPDATE OF {', '.join(index.text_columns)} ON {table}",
        f"UPDATE {fts} SET title = new.{index.title}, body = {body_sql(index, 'new.')} "
        "WHERE rowid = new.id",
    )
    yield from _sqlite_trigger(
        f"{fts}_delete", f"AFTER DELETE ON {table}", f"DELETE FROM {fts} WHERE rowid = old.id"
    )
    for event, row in (("insert", "new"), ("delete", "old")):
        owner = f"{row}.content_object_id"
        yield from _sqlite_trigger(
            f"{fts}_tag_{event}",
            f"AFTER {event.upper()} ON {index.tag_table}",
            f"UPDATE {fts} SET tags = {tags_sql(connection, index, owner)} WHERE rowid = {owner}",
        )
    if index.partners:
        for event, row in (("insert", "new"), ("delete", "old")):
            owner = f"{row}.partnership_id"
            yield from _sqlite_trigger(
                f"{fts}_partner_{event}",
                f"AFTER {event.upper()} ON {PARTICIPATION_TABLE}",
                f"UPDATE {fts} SET partners = {partners_sql(connection, owner)} "
                f"WHERE rowid = {owner}",
            )
        yield from _sqlite_trigger(
            f"{fts}_hide_partners",
            f"AFTER UPDATE OF hide_partner_names ON {table}",
            f"UPDATE {fts} SET partners = {partners_sql(connection, 'new.id')} "
            "WHERE rowid = new.id",
        )
    # Fill the index where it is missing rows: a new table, or one a restore left empty.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT count(*) FROM {fts}), (SELECT count(*) FROM {table})")
        indexed, rows = cursor.fetchone()
    if indexed != rows:
        yield from _sqlite_refill(connection, index)


def _sqlite_refill(connection: BaseDatabaseWrapper, index: SearchIndex) -> Iterator[str]:
    """Empty one kind's FTS5 table and index every row again, in one statement."""
    parts = ", ".join(index.parts)
    yield f"DELETE FROM {index.fts_table}"
    yield (
        f"INSERT INTO {index.fts_table} (rowid, {parts}) SELECT x.id, "
        f"{', '.join(_values(connection, index, 'x'))} FROM {index.table} x"
    )
    # Search counts cached while the index was incomplete must not outlive it.
    yield bump_statement(connection)


def _sqlite(connection: BaseDatabaseWrapper) -> Iterator[str]:
    for index in INDEXES.values():
        yield from _sqlite_index(connection, index)
    # A renamed tag or organisation is found under its new name.
    renames = []
    for index in INDEXES.values():
        owner = f"{index.fts_table}.rowid"
        renames.append(
            f"UPDATE {index.fts_table} SET tags = {tags_sql(connection, index, owner)} "
            f"WHERE rowid IN (SELECT content_object_id FROM {index.tag_table} "
            "WHERE tag_id = new.id)"
        )
    yield from _sqlite_trigger(
        "search_tag_rename", f"AFTER UPDATE OF name ON {TAG_TABLE}", "; ".join(renames)
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


def _sqlite_names(index: SearchIndex) -> list[str]:
    names = ["insert", "update", "delete", "tag_insert", "tag_delete"]
    if index.partners:
        names += ["partner_insert", "partner_delete", "hide_partners"]
    return [f"{index.fts_table}_{name}" for name in names]


# PostgreSQL -------------------------------------------------------------------------


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


def _vector_sql(connection: BaseDatabaseWrapper, index: SearchIndex, row: str) -> str:
    """The weighted tsvector of content row ``row`` (``NEW``, or an alias)."""
    texts = [
        f"coalesce({row}.{index.title}, '')",
        body_sql(index, f"{row}."),
        tags_sql(connection, index, f"{row}.id"),
    ]
    if index.partners:
        texts.append(partners_sql(connection, f"{row}.id", hidden=f"{row}.hide_partner_names"))
    return " || ".join(
        f"setweight(to_tsvector('english'::regconfig, {text}), '{weight}')"
        for text, weight in zip(texts, index.pg_weights, strict=True)
    )


def _postgresql_index(connection: BaseDatabaseWrapper, index: SearchIndex) -> Iterator[str]:
    table, vector = index.table, f"{index.fts_table}_vector"
    yield f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector"
    yield (
        f"CREATE OR REPLACE FUNCTION {vector}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.search_vector := {_vector_sql(connection, index, 'NEW')}; RETURN NEW; END $$"
    )
    columns = [*index.text_columns, *(["hide_partner_names"] if index.partners else [])]
    yield from _pg_trigger(
        vector, table, f"BEFORE INSERT OR UPDATE OF {', '.join(columns)}", vector
    )
    touch_by_tag = f"{index.fts_table}_touch_by_tag"
    yield _touch_function(touch_by_tag, _touch(index, "= {row}.content_object_id"))
    yield from _pg_trigger(touch_by_tag, index.tag_table, "AFTER INSERT OR DELETE", touch_by_tag)
    if index.partners:
        by_partner = f"{index.fts_table}_touch_by_partner"
        yield _touch_function(by_partner, _touch(index, "= {row}.partnership_id"))
        yield from _pg_trigger(
            by_partner, PARTICIPATION_TABLE, "AFTER INSERT OR DELETE", by_partner
        )
    yield f"CREATE INDEX IF NOT EXISTS {index.fts_table}_gin ON {table} USING gin (search_vector)"
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


def _postgresql_triggers() -> list[tuple[str, str]]:
    """Each trigger's name and the table it sits on."""
    on = [(f"{index.fts_table}_vector", index.table) for index in INDEXES.values()]
    on += [(f"{index.fts_table}_touch_by_tag", index.tag_table) for index in INDEXES.values()]
    on += [
        (f"{index.fts_table}_touch_by_partner", PARTICIPATION_TABLE)
        for index in INDEXES.values()
        if index.partners
    ]
    return [
        *on,
        ("search_touch_by_tag_name", TAG_TABLE),
        ("search_touch_by_organisation_name", ORGANISATION_TABLE),
    ]


def _statements(connection: BaseDatabaseWrapper) -> Iterator[str]:
    if connection.vendor == "sqlite":
        yield from _sqlite(connection)
    elif connection.vendor == "postgresql":
        yield from _postgresql(connection)


def _names(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "sqlite":
        per_index = [name for index in INDEXES.values() for name in _sqlite_names(index)]
        return [*per_index, "search_tag_rename", "search_organisation_rename"]
    return [name for name, _table in _postgresql_triggers()]


def _drop(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in _names(connection)]
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in _postgresql_triggers()]


def _rebuild(connection: BaseDatabaseWrapper) -> Iterator[str]:
    """Index every row again, set-wide: the FTS5 tables refilled, or every vector recomputed."""
    for index in INDEXES.values():
        if connection.vendor == "sqlite":
            yield from _sqlite_refill(connection, index)
        elif connection.vendor == "postgresql":
            vector = _vector_sql(connection, index, "x")
            yield f"UPDATE {index.table} AS x SET search_vector = {vector}"


SEARCH_TRIGGERS = TriggerSet(
    name="search index",
    tables=lambda: [
        *(index.table for index in INDEXES.values()),
        *(index.tag_table for index in INDEXES.values()),
        PARTICIPATION_TABLE,
        ORGANISATION_TABLE,
        TAG_TABLE,
    ],
    install=_statements,
    names=_names,
    drop=_drop,
    rebuild=_rebuild,
)
