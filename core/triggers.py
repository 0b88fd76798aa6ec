"""Database triggers, declared by the apps that need them and installed idempotently.

An app registers a ``TriggerSet`` in its ``AppConfig.ready()``; every set is installed
by a migration, again after every ``migrate`` (a ``post_migrate`` handler), and on
demand by ``manage.py ensure_triggers``. Installing drops and re-creates each trigger,
so it is safe to repeat, and a table that a migration rebuilt (SQLite rebuilds a table
to change a column, dropping its triggers) gets its triggers back at the end of the
same ``migrate``.

A bulk load can run with every set ``suspended()``: no trigger fires per row, and on the
way out each set recomputes what it maintains in a few set-wide statements.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

Statements = Callable[[BaseDatabaseWrapper], Iterable[str]]


@dataclass(frozen=True)
class TriggerSet:
    """A named group of triggers (and what they maintain) for each database engine.

    ``install`` yields the statements for a connection; each must be safe to run again
    (``DROP … IF EXISTS`` then ``CREATE``, ``CREATE OR REPLACE``, ``IF NOT EXISTS``).
    ``tables`` are the tables the triggers sit on: until all exist (part-way through the
    first migrate) the set is not installed. ``drop`` removes the set's triggers (``DROP
    … IF EXISTS``); ``rebuild`` recomputes from scratch everything they maintain (an index,
    counter rows, a version), without relying on the triggers: see ``suspended()``.
    """

    name: str
    tables: Callable[[], list[str]]
    install: Statements
    names: Callable[[BaseDatabaseWrapper], list[str]] = field(default=lambda connection: [])
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


def _execute(connection: BaseDatabaseWrapper, statements: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _settle_deferred_checks(connection: BaseDatabaseWrapper) -> None:
    """Run the foreign-key checks deferred so far, and defer the next ones again.

    PostgreSQL refuses to drop or create a table's triggers while that table has checks
    pending ("pending trigger events"), which a bulk load writing children before their
    parents always leaves. SQLite has no such rule (and checks at commit regardless).
    """
    if connection.vendor == "postgresql":
        _execute(connection, ["SET CONSTRAINTS ALL IMMEDIATE", "SET CONSTRAINTS ALL DEFERRED"])


@contextmanager
def suspended(using: str = "default") -> Iterator[None]:
    """Run the block with every registered set's triggers dropped, in one transaction.

    On the way out each set's ``rebuild`` recomputes what it maintains (while its triggers
    are still absent, so nothing fires per row), then every set is installed again. If
    the block raises, the transaction rolls back, the drops with it: DDL is transactional
    on both SQLite and PostgreSQL, so no other connection ever sees the triggers missing
    (on PostgreSQL the dropped triggers' tables stay locked until the commit; on SQLite
    the database's write lock is held throughout, as for any write).
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        existing = set(connection.introspection.table_names())
        sets = [ts for ts in registered() if set(ts.tables()) <= existing]
        _settle_deferred_checks(connection)
        for trigger_set in sets:
            _execute(connection, trigger_set.drop(connection))
        yield
        for trigger_set in sets:
            _execute(connection, trigger_set.rebuild(connection))
        # Rebuilding updates rows written in this transaction, which defers their checks anew.
        _settle_deferred_checks(connection)
        for trigger_set in sets:
            install(trigger_set, using=using)
