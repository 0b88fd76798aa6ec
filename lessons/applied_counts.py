"""The lesson's "I applied this lesson" counts, kept by the database: exact under any write.

A lesson's ``applied_count`` and its ``applied_*_count`` per outcome count its *published*
application reports. Row triggers on the reports' table add a published row's 1 to its
lesson's counters and take a formerly published row's 1 away, so every write path (the
form, a curator publishing, rejecting or deleting a noted report in the admin or in bulk,
a lesson's deletion cascading, fixtures) moves them exactly, in the write's transaction.
Concurrent reports on one lesson never lose a count: each is one ``UPDATE … SET n = n + 1``
(PostgreSQL locks the lesson's row until the writer commits; SQLite's writers take turns).

The counters are columns of the lesson, so an update of a published lesson moves the
content version (lessons/content_version.py): every cached page and list showing or sorted
by them is rendered again. ``rebuild`` recounts everything (``manage.py rebuild_counts``,
and after a bulk load with the triggers suspended).
"""

from collections.abc import Iterator

from django.db.backends.base.base import BaseDatabaseWrapper

from core.moderation import ModerationStatus
from core.triggers import TriggerSet
from lessons.models import ApplicationReport, Lesson, Outcome

REPORT = ApplicationReport._meta.db_table
LESSON = Lesson._meta.db_table
PUBLISHED = ModerationStatus.PUBLISHED.value

# Each counter and which reports it counts (SQL about a report row called ``r``).
COUNTERS = {
    "applied_count": lambda r: "1",
    "applied_helped_count": lambda r: (
        f"CASE WHEN {r}.outcome = '{Outcome.HELPED}' THEN 1 ELSE 0 END"
    ),
    "applied_partly_count": lambda r: (
        f"CASE WHEN {r}.outcome = '{Outcome.PARTLY}' THEN 1 ELSE 0 END"
    ),
    "applied_not_helped_count": lambda r: (
        f"CASE WHEN {r}.outcome = '{Outcome.NOT_HELPED}' THEN 1 ELSE 0 END"
    ),
}
EVENTS = ("insert", "update", "delete")


def _published(row: str) -> str:
    return f"{row}.moderation_status = '{PUBLISHED}'"


def _move(row: str, sign: str) -> str:
    """Add (``+``) or take away (``-``) this report's 1 on its lesson's counters."""
    sets = ", ".join(
        f"{column} = {column} {sign} {value(row)}" for column, value in COUNTERS.items()
    )
    return f"UPDATE {LESSON} SET {sets} WHERE id = {row}.lesson_id"


def _trigger_name(event: str) -> str:
    return f"applied_counts_{event}"


def _sqlite(connection: BaseDatabaseWrapper) -> Iterator[str]:
    add, take = _move("new", "+"), _move("old", "-")
    changed = " OR ".join(
        f"old.{column} IS NOT new.{column}"
        for column in ("moderation_status", "outcome", "lesson_id")
    )
    triggers = {
        "insert": (f"WHEN {_published('new')}", [add]),
        "delete": (f"WHEN {_published('old')}", [take]),
        # Taken from the old lesson and outcome, given to the new: the row's own WHERE says
        # which of the two apply.
        "update": (
            f"WHEN {changed}",
            [f"{take} AND {_published('old')}", f"{add} AND {_published('new')}"],
        ),
    }
    for event, (when, body) in triggers.items():
        name = _trigger_name(event)
        yield f"DROP TRIGGER IF EXISTS {name}"
        yield (
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON {REPORT} {when} "
            f"BEGIN {'; '.join(body)}; END"
        )


def _postgresql(connection: BaseDatabaseWrapper) -> Iterator[str]:
    function = "applied_counts_row"
    yield (
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') AND {_published('OLD')} THEN {_move('OLD', '-')}; "
        "END IF; "
        f"IF TG_OP IN ('INSERT', 'UPDATE') AND {_published('NEW')} THEN {_move('NEW', '+')}; "
        "END IF; RETURN NULL; END $$"
    )
    name = _trigger_name("row")
    yield f"DROP TRIGGER IF EXISTS {name} ON {REPORT}"
    yield (
        f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF moderation_status, outcome, "
        f"lesson_id ON {REPORT} FOR EACH ROW EXECUTE FUNCTION {function}()"
    )


def _names(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "sqlite":
        return [_trigger_name(event) for event in EVENTS]
    if connection.vendor == "postgresql":
        return [_trigger_name("row")]
    return []


def _drop(connection: BaseDatabaseWrapper) -> Iterator[str]:
    on = f" ON {REPORT}" if connection.vendor == "postgresql" else ""
    for name in _names(connection):
        yield f"DROP TRIGGER IF EXISTS {name}{on}"


def rebuild(connection: BaseDatabaseWrapper) -> list[str]:
    """Every lesson's counters recounted from its published reports."""
    sets = ", ".join(
        f"{column} = (SELECT COALESCE(SUM({value('r')}), 0) FROM {REPORT} r "
        f"WHERE r.lesson_id = {LESSON}.id AND {_published('r')})"
        for column, value in COUNTERS.items()
    )
    return [f"UPDATE {LESSON} SET {sets}"]


def _install(connection: BaseDatabaseWrapper) -> Iterator[str]:
    builders = {"sqlite": _sqlite, "postgresql": _postgresql}
    if connection.vendor in builders:
        yield from builders[connection.vendor](connection)


APPLIED_COUNT_TRIGGERS = TriggerSet(
    name="applied counts",
    tables=lambda: [REPORT, LESSON],
    install=_install,
    names=_names,
    drop=_drop,
    rebuild=rebuild,
)
