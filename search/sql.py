"""The SQL both engines compute a row's place in the index from, built from search/index.py.

A row's title, its body (the ``body`` columns joined), its tags' names, a case study's
partners' names unless it hides them, and a lesson's facets (its experience and theme
ids). The SQLite triggers (search/sqlite_index.py), the PostgreSQL ones
(search/postgres_index.py) and the queries (search/engines.py) all read them from here.
"""

from django.db.backends.base.base import BaseDatabaseWrapper
from taggit.models import Tag

from core.moderation import ModerationStatus
from search.index import (
    INDEXES,
    LESSON_THEMES_TABLE,
    LESSONS,
    ORGANISATION_TABLE,
    PARTICIPATION_TABLE,
    SIGNOFF_TABLE,
    SearchIndex,
)

TAG_TABLE = Tag._meta.db_table
PUBLISHED = ModerationStatus.PUBLISHED.value


def body_sql(index: SearchIndex, prefix: str = "") -> str:
    """The body columns joined into one text, each column's row prefixed (``new.``)."""
    return " || ' ' || ".join(f"coalesce({prefix}{column}, '')" for column in index.body)


def aggregate(connection: BaseDatabaseWrapper, expression: str, separator: str = "' '") -> str:
    """SQL: the values of ``expression`` joined into one text, in either engine's words."""
    if connection.vendor == "postgresql":
        return f"string_agg({expression}, {separator})"
    return f"group_concat({expression}, {separator})"


def tags_sql(connection: BaseDatabaseWrapper, index: SearchIndex, row_id: str) -> str:
    """The names of the tags on row ``row_id``, space-separated."""
    return (
        f"coalesce((SELECT {aggregate(connection, 'tag.name')} FROM {index.tag_table} item "
        f"JOIN {TAG_TABLE} tag ON tag.id = item.tag_id WHERE item.content_object_id = {row_id}), "
        "'')"
    )


def partners_sql(connection: BaseDatabaseWrapper, row_id: str, hidden: str | None = None) -> str:
    """The partners' names of case study ``row_id``, or nothing where it hides them; never
    the name of a partner that asked for its own to be hidden.

    ``hidden`` is the SQL of its hide_partner_names flag, read from its row by default.
    """
    table = INDEXES["partnership"].table
    hidden = hidden or f"(SELECT hide_partner_names FROM {table} WHERE id = {row_id})"
    names = (
        f"coalesce((SELECT {aggregate(connection, 'org.name')} FROM {PARTICIPATION_TABLE} "
        f"part JOIN {ORGANISATION_TABLE} org ON org.id = part.organisation_id "
        f"WHERE part.partnership_id = {row_id} AND NOT EXISTS (SELECT 1 FROM {SIGNOFF_TABLE} "
        "signoff WHERE signoff.participation_id = part.id AND signoff.hide_name)), '')"
    )
    return f"CASE WHEN {hidden} THEN '' ELSE {names} END"


def index_values(connection: BaseDatabaseWrapper, index: SearchIndex, row: str) -> list[str]:
    """The FTS5 row for content row ``row`` (``new``, or an alias), part by part."""
    values = [
        f"{row}.{index.title}",
        body_sql(index, f"{row}."),
        tags_sql(connection, index, f"{row}.id"),
    ]
    if index.partners:
        values.append(partners_sql(connection, f"{row}.id"))
    return values


def is_published(row: str) -> str:
    """SQL: whether content row ``row`` (``new``, ``old`` or an alias) is published."""
    return f"{row}.moderation_status = '{PUBLISHED}'"


def lesson_facets_sql(
    connection: BaseDatabaseWrapper, row_id: str, experience: str | None = None
) -> str:
    """What lesson ``row_id`` is filtered and counted by, as one text: its experience,
    then its theme ids, each between commas (``,worked,3,5,``). One text, not two
    columns, because grouping the matches by one column is what keeps counting them fast.
    """
    theme_id = "lt.theme_id" if connection.vendor == "sqlite" else "lt.theme_id::text"
    separator = "','"
    themes = (
        f"coalesce((SELECT {aggregate(connection, theme_id, separator)} "
        f"FROM {LESSON_THEMES_TABLE} lt WHERE lt.lesson_id = {row_id}), '')"
    )
    # The lesson's own column where the row is at hand (``l.experience``), else read by id.
    experience = (
        experience or f"(SELECT fl.experience FROM {LESSONS.table} fl WHERE fl.id = {row_id})"
    )
    return f"',' || {experience} || ',' || {themes} || ','"
