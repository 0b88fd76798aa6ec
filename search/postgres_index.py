"""PostgreSQL's search index: a ``search_vector`` tsvector column per kind, and its triggers.

The column is outside Django's models (Django never reads or writes it), computed by a
BEFORE trigger from the row, its tags and, for case studies, its partners' names; a
change to tags, partners or names "touches" the owning row so its vector is recomputed.
A GIN index over the published rows only makes @@ an index lookup.
"""

from collections.abc import Iterator

from django.db.backends.base.base import BaseDatabaseWrapper

from lessons.content_version import bump_statement
from search.index import (
    INDEXES,
    ORGANISATION_TABLE,
    PARTICIPATION_TABLE,
    SIGNOFF_TABLE,
    SearchIndex,
)
from search.sql import PUBLISHED, TAG_TABLE, body_sql, partners_sql, tags_sql

# Names earlier versions used, dropped so that no second copy of a trigger survives.
POSTGRES_LEGACY = [("lesson_search_touch", "lessons_taggedlesson")]
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


def touch(index: SearchIndex, ids: str) -> str:
    """Re-compute the vectors of the rows ``ids`` selects, by touching their title."""
    return f"UPDATE {index.table} SET {index.title} = {index.title} WHERE id {ids}"


def _trigger(name: str, table: str, when: str, function: str) -> Iterator[str]:
    yield f"DROP TRIGGER IF EXISTS {name} ON {table}"
    yield f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"


def _vector_sql(connection: BaseDatabaseWrapper, index: SearchIndex, row: str) -> str:
    """The weighted tsvector of content row ``row`` (``NEW`` in the trigger, or an alias)."""
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


def _index(connection: BaseDatabaseWrapper, index: SearchIndex) -> Iterator[str]:
    table, vector = index.table, f"{index.fts_table}_vector"
    weighted = _vector_sql(connection, index, "NEW")
    yield f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector"
    yield (
        f"CREATE OR REPLACE FUNCTION {vector}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.search_vector := {weighted}; RETURN NEW; END $$"
    )
    columns = [*index.text_columns, *(["hide_partner_names"] if index.partners else [])]
    yield from _trigger(vector, table, f"BEFORE INSERT OR UPDATE OF {', '.join(columns)}", vector)
    touch_by_tag = f"{index.fts_table}_touch_by_tag"
    yield _touch_function(touch_by_tag, touch(index, "= {row}.content_object_id"))
    yield from _trigger(touch_by_tag, index.tag_table, LINK_EVENTS, touch_by_tag)
    if index.partners:
        by_partner = f"{index.fts_table}_touch_by_partner"
        yield _touch_function(by_partner, touch(index, "= {row}.partnership_id"))
        yield from _trigger(by_partner, PARTICIPATION_TABLE, LINK_EVENTS, by_partner)
        # A partner asking for its name to be hidden (or shown again) changes the names.
        by_signoff = f"{index.fts_table}_touch_by_signoff"
        yield _touch_function(
            by_signoff,
            touch(
                index,
                f"IN (SELECT partnership_id FROM {PARTICIPATION_TABLE} "
                "WHERE id = {row}.participation_id)",
            ),
        )
        yield from _trigger(by_signoff, SIGNOFF_TABLE, LINK_EVENTS, by_signoff)
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
        yield touch(index, f"IN (SELECT id FROM {table} WHERE search_vector IS NULL)")
        # Searches cached while the index was incomplete must not outlive it (a vector alone
        # is not a change the content-version triggers see).
        yield bump_statement(connection)


def statements(connection: BaseDatabaseWrapper) -> Iterator[str]:
    for name, table in POSTGRES_LEGACY:
        yield f"DROP TRIGGER IF EXISTS {name} ON {table}"
        yield f"DROP FUNCTION IF EXISTS {name}()"
    for index in INDEXES.values():
        yield from _index(connection, index)
    # A renamed tag or organisation is found under its new name.
    by_tag_name = "; ".join(
        touch(
            index, f"IN (SELECT content_object_id FROM {index.tag_table} WHERE tag_id = {{row}}.id)"
        )
        for index in INDEXES.values()
    )
    yield _touch_function("search_touch_by_tag_name", by_tag_name)
    yield from _trigger(
        "search_touch_by_tag_name", TAG_TABLE, "AFTER UPDATE OF name", "search_touch_by_tag_name"
    )
    by_organisation = touch(
        INDEXES["partnership"],
        f"IN (SELECT partnership_id FROM {PARTICIPATION_TABLE} WHERE organisation_id = {{row}}.id)",
    )
    yield _touch_function("search_touch_by_organisation_name", by_organisation)
    yield from _trigger(
        "search_touch_by_organisation_name",
        ORGANISATION_TABLE,
        "AFTER UPDATE OF name",
        "search_touch_by_organisation_name",
    )


def _names(index: SearchIndex) -> list[str]:
    names = [f"{index.fts_table}_vector", f"{index.fts_table}_touch_by_tag"]
    partners = [f"{index.fts_table}_touch_by_partner", f"{index.fts_table}_touch_by_signoff"]
    return names + (partners if index.partners else [])


def names() -> list[str]:
    """Every trigger ``statements`` creates."""
    per_index = [name for index in INDEXES.values() for name in _names(index)]
    return [*per_index, "search_touch_by_tag_name", "search_touch_by_organisation_name"]


def rebuild(connection: BaseDatabaseWrapper) -> Iterator[str]:
    """Every row's vector computed again, written directly: while the triggers are
    suspended (core.triggers.suspended) touching a row would no longer recompute it."""
    for index in INDEXES.values():
        yield f"UPDATE {index.table} x SET search_vector = {_vector_sql(connection, index, 'x')}"
