"""Which writes move the content version: those that change what a visitor can see.

See core.models.ContentVersion. A visitor sees the *public rows*:

- published lessons and case studies, and the case study a published lesson comes from
  (its credit reads that one's partners' names, published or not: Lesson.credit);
- the theme links, tag links and partners of those, and the tags and organisations
  they name;
- every theme, quote and source (curated, so always public).

A write moves the version when a row it inserts, deletes or changes is public before or
after it. So publishing, withdrawing, deleting or editing published content moves it, and
so do its tags, themes and partners, a theme, and a tag or organisation that published
content shows. A pending submission (with the organisations and tags it creates), its
rejection, an edit or deletion of a pending or rejected item, submission limits and
health checks move nothing. Nor does "this helped me": an update of a lesson that
changes only ``helpful_count`` (no cached count depends on it).

SQLite has only row-level triggers: each asks, in its WHEN, whether the row is public.
PostgreSQL's are statement-level and read the statement's rows from transition tables:
one EXISTS and at most one change per statement, however many rows it writes. Installed
by core.triggers after every migrate, so a table rebuild can never leave them out.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from taggit.models import Tag

from alliances.models import (
    Organisation,
    Participation,
    Partnership,
    PartnerSignoff,
    TaggedPartnership,
)
from core.models import ContentVersion
from core.moderation import ModerationStatus
from core.triggers import TriggerSet
from lessons.models import ApplicationReport, Lesson, Quote, Source, TaggedLesson, Theme

EVENTS = ("insert", "update", "delete")
PUBLISHED = ModerationStatus.PUBLISHED.value


def _table(model: type[Model]) -> str:
    return model._meta.db_table


def _column(model: type[Model], field: str) -> str:
    return model._meta.get_field(field).column  # type: ignore[union-attr,return-value]


# When a row is public, as SQL about the row called `row` -----------------------------


def _published(row: str) -> str:
    return f"{row}.moderation_status = '{PUBLISHED}'"


def _published_lesson(lesson_id: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM {_table(Lesson)} l WHERE l.id = {lesson_id} AND {_published('l')})"
    )


def _public_partnership_row(row: str) -> str:
    """Published, or the case study a published lesson comes from."""
    from_lesson = _column(Lesson, "partnership")
    return (
        f"({_published(row)} OR EXISTS (SELECT 1 FROM {_table(Lesson)} l "
        f"WHERE l.{from_lesson} = {row}.id AND {_published('l')}))"
    )


def _public_partnership(partnership_id: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM {_table(Partnership)} p "
        f"WHERE p.id = {partnership_id} AND {_public_partnership_row('p')})"
    )


def _published_partnership(partnership_id: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM {_table(Partnership)} p "
        f"WHERE p.id = {partnership_id} AND {_published('p')})"
    )


def _partner_in_public_partnership(row: str) -> str:
    participation = _table(Participation)
    return (
        f"EXISTS (SELECT 1 FROM {participation} pa WHERE pa.organisation_id = {row}.id "
        f"AND {_public_partnership('pa.partnership_id')})"
    )


def _tag_on_published_content(row: str) -> str:
    return (
        f"(EXISTS (SELECT 1 FROM {_table(TaggedLesson)} tl WHERE tl.tag_id = {row}.id "
        f"AND {_published_lesson('tl.content_object_id')}) "
        f"OR EXISTS (SELECT 1 FROM {_table(TaggedPartnership)} tp WHERE tp.tag_id = {row}.id "
        f"AND {_published_partnership('tp.content_object_id')}))"
    )


def _every_row(row: str) -> str:
    return "TRUE"


@dataclass(frozen=True)
class Watched:
    """A table of public content: which of its rows are public, and which of its columns a
    visitor does not see change (``unseen``).

    An update moves the version only when it changes some other column of the model: the
    search triggers' own writes (PostgreSQL's ``search_vector``, not a model field) follow
    a write that moved it already, and a "this helped me" count moves nothing.
    """

    model: type[Model]
    public: Callable[[str], str] = _every_row
    unseen: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return _table(self.model)

    def seen_change(
        self, connection: BaseDatabaseWrapper, old: str, new: str, *, differ: str
    ) -> str:
        """SQL: some column other than the unseen ones changed between the two rows.

        Only columns the table has now: installed part-way through a first migrate, a
        trigger must not name a column a later migration adds (the next install will).
        """
        with connection.cursor() as cursor:
            description = connection.introspection.get_table_description(cursor, self.table)
        present = {column.name for column in description}
        columns = [
            field.column
            for field in self.model._meta.concrete_fields
            if field.name not in self.unseen and field.column in present
        ]
        return "(" + " OR ".join(f"{old}.{c} {differ} {new}.{c}" for c in columns) + ")"


def watched() -> list[Watched]:
    """Every table whose rows a visitor's pages, counts, facets or tags are built from."""
    lesson_themes = Lesson.themes.through

    def of_published_lesson(link: type[Model], field: str) -> Callable[[str], str]:
        return lambda row: _published_lesson(f"{row}.{_column(link, field)}")

    return [
        # A revision is made while the item is not public: nobody sees its date change.
        Watched(Lesson, _published, unseen=("helpful_count", "revised_at")),
        Watched(lesson_themes, of_published_lesson(lesson_themes, "lesson")),
        Watched(TaggedLesson, of_published_lesson(TaggedLesson, "content_object")),
        Watched(Partnership, _public_partnership_row, unseen=("revised_at",)),
        Watched(Participation, lambda row: _public_partnership(f"{row}.partnership_id")),
        Watched(TaggedPartnership, lambda row: _published_partnership(f"{row}.content_object_id")),
        # A partner's answer shows on its case study's page; its contact and link never do.
        Watched(
            PartnerSignoff,
            lambda row: _public_partnership(
                f"(SELECT pa.partnership_id FROM {_table(Participation)} pa "
                f"WHERE pa.id = {row}.participation_id)"
            ),
            unseen=("contact_email", "token", "sent_at", "expires_at"),
        ),
        Watched(Organisation, _partner_in_public_partnership),
        Watched(Tag, _tag_on_published_content),
        Watched(Theme),
        Watched(Quote),
        Watched(Source),
        # A published "I applied this lesson" report: its note on the lesson page (its counts
        # are the lesson's columns, watched above).
        Watched(ApplicationReport, _published, unseen=("revised_at",)),
    ]


def watched_tables() -> list[str]:
    return [table.table for table in watched()]


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


# SQLite: row-level, the row's publicity in WHEN ---------------------------------------


def _sqlite_when(connection: BaseDatabaseWrapper, table: Watched, event: str) -> str:
    if event == "insert":
        return f" WHEN {table.public('new')}"
    if event == "delete":
        return f" WHEN {table.public('old')}"
    seen = table.seen_change(connection, "old", "new", differ="IS NOT")
    return f" WHEN {seen} AND ({table.public('old')} OR {table.public('new')})"


def _sqlite_names(table: Watched) -> list[str]:
    return [f"content_version_{table.table}_{event}" for event in EVENTS]


def _sqlite(connection: BaseDatabaseWrapper) -> Iterator[str]:
    bump = bump_statement(connection)
    yield from _sqlite_drop(connection)
    for table in watched():
        for event, name in zip(EVENTS, _sqlite_names(table), strict=True):
            yield (
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table.table}"
                f"{_sqlite_when(connection, table, event)} BEGIN {bump}; END"
            )


def _sqlite_drop(connection: BaseDatabaseWrapper) -> Iterator[str]:
    for table in watched():
        for name in _sqlite_names(table):
            yield f"DROP TRIGGER IF EXISTS {name}"


# PostgreSQL: statement-level, the statement's rows in transition tables ---------------


def _postgresql_condition(connection: BaseDatabaseWrapper, table: Watched, event: str) -> str:
    if event == "insert":
        return f"EXISTS (SELECT 1 FROM new_rows r WHERE {table.public('r')})"
    if event == "delete":
        return f"EXISTS (SELECT 1 FROM old_rows r WHERE {table.public('r')})"
    seen = table.seen_change(connection, "o", "n", differ="IS DISTINCT FROM")
    return (
        "EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id "
        f"WHERE {seen} AND ({table.public('o')} OR {table.public('n')}))"
    )


TRANSITION_TABLES = {
    "insert": "NEW TABLE AS new_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
}


def _postgresql_names(table: Watched) -> list[str]:
    return [f"content_version_{table.table}_{event}" for event in (*EVENTS, "truncate")]


def _postgresql(connection: BaseDatabaseWrapper) -> Iterator[str]:
    bump = bump_statement(connection)
    yield (
        "CREATE OR REPLACE FUNCTION content_version_bump() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN {bump}; RETURN NULL; END $$"
    )
    yield from _postgresql_drop(connection)
    for table in watched():
        name = f"content_version_{table.table}"
        for event in EVENTS:
            # Transition tables allow one event per trigger, and none on TRUNCATE.
            condition = _postgresql_condition(connection, table, event)
            yield (
                f"CREATE OR REPLACE FUNCTION {name}_{event}() RETURNS trigger LANGUAGE plpgsql "
                f"AS $$ BEGIN IF {condition} THEN {bump}; END IF; RETURN NULL; END $$"
            )
            yield (
                f"CREATE TRIGGER {name}_{event} AFTER {event.upper()} ON {table.table} "
                f"REFERENCING {TRANSITION_TABLES[event]} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {name}_{event}()"
            )
        yield (
            f"CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {table.table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump()"
        )


def _postgresql_drop(connection: BaseDatabaseWrapper) -> Iterator[str]:
    # Also the single trigger per table that came before these, so an upgrade leaves none.
    for table in watched():
        base = f"content_version_{table.table}"
        for name in (base, *(f"{base}_{event}" for event in (*EVENTS, "truncate"))):
            yield f"DROP TRIGGER IF EXISTS {name} ON {table.table}"


# The set ----------------------------------------------------------------------------


def _statements(connection: BaseDatabaseWrapper) -> Iterator[str]:
    # The one row the triggers update.
    yield (
        f"INSERT INTO {_version_table()} (id, number, changed_at) "
        f"SELECT 1, 0, '' WHERE NOT EXISTS (SELECT 1 FROM {_version_table()} WHERE id = 1)"
    )
    builders = {"sqlite": _sqlite, "postgresql": _postgresql}
    if connection.vendor in builders:
        yield from builders[connection.vendor](connection)


def _drop(connection: BaseDatabaseWrapper) -> Iterator[str]:
    droppers = {"sqlite": _sqlite_drop, "postgresql": _postgresql_drop}
    if connection.vendor in droppers:
        yield from droppers[connection.vendor](connection)


def _rebuild(connection: BaseDatabaseWrapper) -> Iterator[str]:
    # Whatever was written while the triggers were away, counts cached before it are stale.
    yield bump_statement(connection)


def _names(connection: BaseDatabaseWrapper) -> list[str]:
    per_table = _sqlite_names if connection.vendor == "sqlite" else _postgresql_names
    return [name for table in watched() for name in per_table(table)]


CONTENT_VERSION_TRIGGERS = TriggerSet(
    name="content version",
    tables=lambda: [*watched_tables(), _version_table()],
    install=_statements,
    names=_names,
    drop=_drop,
    rebuild=_rebuild,
)
