"""Database triggers, declared by the apps that need them and installed idempotently.

An app registers a ``TriggerSet`` in its ``AppConfig.ready()``; every set is installed
by a migration, again after every ``migrate`` (a ``post_migrate`` handler), and on
demand by ``manage.py ensure_triggers``. Installing drops and re-creates each trigger,
so it is safe to repeat, and a table that a migration rebuilt (SQLite rebuilds a table
to change a column, dropping its triggers) gets its triggers back at the end of the
same ``migrate``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

Statements = Callable[[BaseDatabaseWrapper], Iterable[str]]


@dataclass(frozen=True)
class TriggerSet:
    """A named group of triggers (and what they maintain) for each database engine.

    ``install`` yields the statements for a connection; each must be safe to run again
    (``DROP … IF EXISTS`` then ``CREATE``, ``CREATE OR REPLACE``, ``IF NOT EXISTS``).
    ``tables`` are the tables the triggers sit on: until all exist (part-way through the
    first migrate) the set is not installed.
    """

    name: str
    tables: Callable[[], list[str]]
    install: Statements
    names: Callable[[BaseDatabaseWrapper], list[str]] = field(default=lambda connection: [])
    # Shared with the loadbench part of issue 10: what removes the set's triggers, and what
    # recomputes from scratch everything they maintain.
    drop: Statements = field(default=lambda connection: [])
    rebuild: Statements = field(default=lambda connection: [])


_registry: dict[str, TriggerSet] = {}


def register(trigger_set: TriggerSet) -> None:
    """Add a set to those installed after every migrate (registering twice replaces it)."""
    _registry[trigger_set.name] = trigger_set


def registered() -> list[TriggerSet]:
    return list(_registry.values())


def install(trigger_set: TriggerSet, *, using: str = "default") -> bool:
    """Install one set on one database; False when its tables do not exist yet."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if not set(trigger_set.tables()) <= existing:
        return False
    with connection.cursor() as cursor:
        for statement in trigger_set.install(connection):
            cursor.execute(statement)
    return True


def install_all(*, using: str = "default") -> list[str]:
    """Install every registered set; returns the names of those installed."""
    return [ts.name for ts in registered() if install(ts, using=using)]


def install_after_migrate(sender, using="default", **kwargs) -> None:
    install_all(using=using)


def missing(*, using: str = "default") -> list[str]:
    """Triggers a registered set declares that the database does not have."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        present = {row[0] for row in cursor.fetchall()}
    return [name for ts in registered() for name in ts.names(connection) if name not in present]
