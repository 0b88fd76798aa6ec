"""Which writes move the content version: the triggers on every table of public content.

See core.models.ContentVersion. Row-level triggers on SQLite (its only kind),
statement-level on PostgreSQL (one change per statement, however many rows), except for
updates of lessons, which are row-level there too: a "this helped me" count changes no
count or facet, so it leaves the version alone. Installed by core.triggers after every
migrate, so a table rebuild can never leave them out.
"""

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from taggit.models import Tag

from alliances.models import Organisation, Participation, Partnership, TaggedPartnership
from core.models import ContentVersion
from core.triggers import TriggerSet
from lessons.models import Lesson, TaggedLesson, Theme

EVENTS = ("insert", "update", "delete")


def watched_tables() -> list[str]:
    """Every table whose rows change what a visitor's counts, facets or tags show."""
    models: list[type[Model]] = [Lesson, Lesson.themes.through, TaggedLesson, Theme]
    models += [Partnership, Participation, TaggedPartnership, Organisation, Tag]
    return [model._meta.db_table for model in models]


def _version_table() -> str:
    return ContentVersion._meta.db_table


def bump_statement(connection: BaseDatabaseWrapper) -> str:
    """The SQL that moves the content version, as the triggers run it.

    Also for a write the triggers cannot see, such as refilling the search index.
    """
    if connection.vendor == "postgresql":
        changed = "clock_timestamp()::text"
    else:
        changed = "strftime('%Y-%m-%dT%H:%M:%f', 'now') || '-' || abs(random() % 1000000)"
    return f"UPDATE {_version_table()} SET number = number + 1, changed_at = {changed} WHERE id = 1"


def _sqlite(connection: BaseDatabaseWrapper):
    bump = bump_statement(connection)
    lessons = Lesson._meta.db_table
    for table in watched_tables():
        for event in EVENTS:
            name = f"content_version_{table}_{event}"
            when = ""
            if table == lessons and event == "update":
                when = " WHEN old.helpful_count IS new.helpful_count"
            yield f"DROP TRIGGER IF EXISTS {name}"
            yield f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table}{when} BEGIN {bump}; END"


def _postgresql(connection: BaseDatabaseWrapper):
    bump = bump_statement(connection)
    yield (
        "CREATE OR REPLACE FUNCTION content_version_bump() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN {bump}; RETURN NULL; END $$"
    )
    lessons = Lesson._meta.db_table
    for table in watched_tables():
        yield f"DROP TRIGGER IF EXISTS content_version_{table} ON {table}"
        if table == lessons:
            # Row-level for updates, so a "this helped me" count can be told apart.
            yield (
                f"CREATE TRIGGER content_version_{table} AFTER INSERT OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump()"
            )
            yield f"DROP TRIGGER IF EXISTS content_version_{table}_update ON {table}"
            yield (
                f"CREATE TRIGGER content_version_{table}_update AFTER UPDATE ON {table} "
                "FOR EACH ROW WHEN (OLD.helpful_count IS NOT DISTINCT FROM NEW.helpful_count) "
                "EXECUTE FUNCTION content_version_bump()"
            )
            continue
        yield (
            f"CREATE TRIGGER content_version_{table} AFTER INSERT OR UPDATE OR DELETE "
            f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump()"
        )


def _version_row() -> str:
    """The one row the triggers update, created if missing."""
    return (
        f"INSERT INTO {_version_table()} (id, number, changed_at) "
        f"SELECT 1, 0, '' WHERE NOT EXISTS (SELECT 1 FROM {_version_table()} WHERE id = 1)"
    )


def _statements(connection: BaseDatabaseWrapper):
    yield _version_row()
    builders = {"sqlite": _sqlite, "postgresql": _postgresql}
    if connection.vendor in builders:
        yield from builders[connection.vendor](connection)


def _names(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "sqlite":
        return [
            f"content_version_{table}_{event}" for table in watched_tables() for event in EVENTS
        ]
    lessons = Lesson._meta.db_table
    return [f"content_version_{table}" for table in watched_tables()] + [
        f"content_version_{lessons}_update"
    ]


def _drop(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in _names(connection)]
    lessons = Lesson._meta.db_table
    drops = [f"DROP TRIGGER IF EXISTS content_version_{t} ON {t}" for t in watched_tables()]
    return [*drops, f"DROP TRIGGER IF EXISTS content_version_{lessons}_update ON {lessons}"]


def _rebuild(connection: BaseDatabaseWrapper) -> list[str]:
    # Whatever the suspended triggers would have bumped, one bump covers it.
    return [_version_row(), bump_statement(connection)]


CONTENT_VERSION_TRIGGERS = TriggerSet(
    name="content version",
    tables=lambda: [*watched_tables(), _version_table()],
    install=_statements,
    names=_names,
    drop=_drop,
    rebuild=_rebuild,
)
