"""The triggers that keep the counts lessons/public_counts.py declares, on both engines.

SQLite recomputes an owner the moment it is marked (a trigger on ``CountMark``: its
statements see the row just written). PostgreSQL needs no marks: a statement trigger reads
the statement's changed rows (its transition tables) once the statement is done, and
recomputes every owner they affect at once, set-based.

``rebuild`` recomputes everything from scratch; installing rebuilds too when the counts
were never built or some of these triggers were missing (a table SQLite rebuilt in a
migration loses its triggers until the end of that migrate), so no write goes uncounted.
"""

from collections.abc import Iterator

from django.db.backends.base.base import BaseDatabaseWrapper

from core.triggers import TriggerSet
from lessons import public_counts
from lessons.public_counts import BUILT, CONTRIBUTION, COUNT, MARK, OWNERS, WATCHED, watched

EVENTS = ("insert", "update", "delete")


def _changed(
    connection: BaseDatabaseWrapper, columns: tuple[str, ...], old: str = "old", new: str = "new"
) -> str:
    """SQL: some of the columns differ between the row before and after (NULLs compared)."""
    differ = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"{old}.{column} {differ} {new}.{column}" for column in columns)


def _marks(connection: BaseDatabaseWrapper, table: str, event: str) -> list[str]:
    """The statements that mark the owners a row change on ``table`` may affect."""
    columns_watched, marks = watched(connection)[table]
    rows = {"insert": ["new"], "delete": ["old"], "update": ["old", "new"]}[event]
    statements = []
    for row in rows:
        for kind, owners, columns in marks:
            query = f"SELECT '{kind}', owner FROM ({owners(row)}) AS marked"
            if event == "update" and columns is not None and columns != columns_watched:
                query += f" WHERE {_changed(connection, columns)}"
            statements.append(f"INSERT INTO {MARK} (kind, owner_id) {query}")
    return statements


def _trigger_name(table: str, event: str = "") -> str:
    return f"public_count_{table}" + (f"_{event}" if event else "")


# SQLite ------------------------------------------------------------------------------------


def _sqlite_recompute(connection: BaseDatabaseWrapper, kind: str) -> list[str]:
    owner = "kind = new.kind AND owner_id = new.owner_id"
    rows = public_counts.owners(connection)[kind](lambda column: f"{column} = new.owner_id")
    return [
        f"UPDATE {COUNT} SET total = total - 1 WHERE (scope, value) IN "
        f"(SELECT scope, value FROM {CONTRIBUTION} WHERE {owner})",
        f"DELETE FROM {CONTRIBUTION} WHERE {owner}",
        f"INSERT INTO {CONTRIBUTION} (kind, owner_id, scope, value) "
        f"SELECT new.kind, owner_id, scope, value FROM ({rows}) AS fresh",
        # "WHERE true" tells SQLite's parser the ON CONFLICT belongs to the INSERT.
        f"INSERT INTO {COUNT} (scope, value, total) SELECT scope, value, 1 FROM {CONTRIBUTION} "
        f"WHERE {owner} ON CONFLICT (scope, value) DO UPDATE SET total = total + 1",
        f"DELETE FROM {MARK} WHERE id = new.id",
    ]


def _sqlite(connection: BaseDatabaseWrapper) -> Iterator[str]:
    for kind in OWNERS:
        name = _trigger_name(MARK, kind)
        body = "; ".join(_sqlite_recompute(connection, kind))
        yield f"DROP TRIGGER IF EXISTS {name}"
        yield (
            f"CREATE TRIGGER {name} AFTER INSERT ON {MARK} WHEN new.kind = '{kind}' "
            f"BEGIN {body}; END"
        )
    for table, (columns, _) in watched(connection).items():
        for event in ("insert", "update", "delete"):
            name = _trigger_name(table, event)
            when = f" WHEN {_changed(connection, columns)}" if event == "update" else ""
            body = "; ".join(_marks(connection, table, event))
            yield f"DROP TRIGGER IF EXISTS {name}"
            yield (
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table}{when} BEGIN {body}; END"
            )


# PostgreSQL --------------------------------------------------------------------------------
# Transition tables: new_rows (inserts, updates) and old_rows (updates, deletes).


def _owners(connection: BaseDatabaseWrapper, table: str, event: str, kind: str) -> str | None:
    """A query of the owners of ``kind`` the statement's changed rows may affect."""
    columns_watched, marks = watched(connection)[table]
    queries = []
    for mark_kind, owners, columns in marks:
        if mark_kind != kind:
            continue
        if event == "update":
            changed = _changed(connection, columns or columns_watched, "o", "n")
            queries.append(
                "SELECT m.owner FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id "
                f"CROSS JOIN LATERAL ({owners('o')} UNION ALL {owners('n')}) AS m "
                f"WHERE {changed}"
            )
        else:
            rows = "new_rows" if event == "insert" else "old_rows"
            queries.append(
                f"SELECT m.owner FROM {rows} AS r CROSS JOIN LATERAL ({owners('r')}) AS m"
            )
    return " UNION ".join(queries) or None


def _postgresql_recompute(connection: BaseDatabaseWrapper, kind: str, affected: str) -> str:
    """Every owner of one kind the query names at once; only counters that move are written."""
    marked = "SELECT owner FROM marked"
    rows = public_counts.owners(connection)[kind](lambda column: f"{column} IN ({marked})")
    return (
        f"WITH marked AS MATERIALIZED ({affected}), "
        f"old AS (DELETE FROM {CONTRIBUTION} WHERE kind = '{kind}' "
        f"AND owner_id IN ({marked}) RETURNING scope, value), "
        f"fresh AS (INSERT INTO {CONTRIBUTION} (kind, owner_id, scope, value) "
        f"SELECT '{kind}', owner_id, scope, value FROM ({rows}) AS rows RETURNING scope, value) "
        f"INSERT INTO {COUNT} (scope, value, total) "
        "SELECT scope, value, SUM(change) FROM (SELECT scope, value, -1 AS change FROM old "
        "UNION ALL SELECT scope, value, 1 FROM fresh) AS changes GROUP BY scope, value "
        # In one order, so that two transactions never wait for each other's counters.
        "HAVING SUM(change) <> 0 ORDER BY scope, value "
        f"ON CONFLICT (scope, value) DO UPDATE SET total = {COUNT}.total + excluded.total"
    )


def _postgresql(connection: BaseDatabaseWrapper) -> Iterator[str]:
    referencing = {
        "insert": "NEW TABLE AS new_rows",
        "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "OLD TABLE AS old_rows",
    }
    for table in WATCHED:
        for event in EVENTS:
            affected = {kind: _owners(connection, table, event, kind) for kind in OWNERS}
            named = {kind: query for kind, query in affected.items() if query}
            anything = " UNION ".join(named.values())
            recompute = "; ".join(_postgresql_recompute(connection, k, q) for k, q in named.items())
            name = _trigger_name(table, event)
            yield (
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                # Most statements (a "this helped me" count, a search touch) affect no owner.
                f"BEGIN PERFORM 1 FROM ({anything}) AS affected LIMIT 1; "
                f"IF FOUND THEN {recompute}; END IF; RETURN NULL; END $$"
            )
            yield f"DROP TRIGGER IF EXISTS {name} ON {table}"
            yield (
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} "
                f"REFERENCING {referencing[event]} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )


# The set --------------------------------------------------------------------------------


def _names(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "sqlite":
        return [_trigger_name(MARK, kind) for kind in OWNERS] + [
            _trigger_name(table, event) for table in WATCHED for event in EVENTS
        ]
    if connection.vendor == "postgresql":
        return [_trigger_name(table, event) for table in WATCHED for event in EVENTS]
    return []


def _drop(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in _names(connection)]
    return [
        f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)} ON {table}"
        for table in WATCHED
        for event in EVENTS
    ]


def rebuild(connection: BaseDatabaseWrapper) -> list[str]:
    """Every counter and contribution recomputed from the tables, from scratch."""
    everything = [f"DELETE FROM {table}" for table in (MARK, CONTRIBUTION, COUNT)]
    for kind, rows in public_counts.owners(connection).items():
        everything.append(
            f"INSERT INTO {CONTRIBUTION} (kind, owner_id, scope, value) "
            f"SELECT '{kind}', owner_id, scope, value FROM ({rows(lambda column: 'TRUE')}) AS r"
        )
    everything.append(
        f"INSERT INTO {COUNT} (scope, value, total) SELECT scope, value, COUNT(*) "
        f"FROM {CONTRIBUTION} GROUP BY scope, value"
    )
    everything.append(f"INSERT INTO {COUNT} (scope, value, total) VALUES ('{BUILT}', '', 1)")
    return everything


def _needs_rebuild(connection: BaseDatabaseWrapper) -> bool:
    """Never built, or some trigger missing: writes may have gone uncounted."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {COUNT} WHERE scope = %s", [BUILT])
        if cursor.fetchone() is None:
            return True
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        present = {row[0] for row in cursor.fetchall()}
    return not set(_names(connection)) <= present


def _install(connection: BaseDatabaseWrapper) -> Iterator[str]:
    stale = _needs_rebuild(connection)
    builders = {"sqlite": _sqlite, "postgresql": _postgresql}
    if connection.vendor in builders:
        yield from builders[connection.vendor](connection)
    if stale:
        yield from rebuild(connection)


PUBLIC_COUNT_TRIGGERS = TriggerSet(
    name="public counts",
    tables=lambda: [*WATCHED, COUNT, CONTRIBUTION, MARK],
    install=_install,
    names=_names,
    drop=_drop,
    rebuild=rebuild,
)
