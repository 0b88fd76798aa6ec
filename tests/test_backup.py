"""Backup and restore by the README's own commands: what comes back is what was there.

A site is built the way a real one grows: the report, generated sample data, then
tests/backup/add_data.py (pending and rejected submissions with their submission-limit
records, tags shared by lessons and case studies, a case study hiding its partners'
names, a health check compared with another, curators with a group, permissions and
admin log entries, and rows deleted again so that ids have gaps). Each procedure of
the README's "Backup and restore" is taken from the README as written, run into a
fresh database, and tests/upgrade/snapshot.py reads both databases: every table row by
row, the triggers, id sequences, the API's counts, what each search lists in what
order, the private pages, and a live probe that edits with raw SQL and sees search follow.

On SQLite the databases are files of their own; with DATABASE_URL pointing at
PostgreSQL, scratch databases on that server (dropped afterwards), and there the JSON
dump also goes through SQLite and back. The SQLite online backups run in both suites,
against a database being written while they copy it.
"""

import gzip
import json
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.test_upgrade import (
    ENGINE,
    ROOT,
    broken_promises,
    compare,
    differences,
    environment,
    python,
    scratch_postgres_database,
    unavailable,
)

pytestmark = pytest.mark.slow

SCRIPTS = Path(__file__).resolve().parent / "backup"
SNAPSHOT = Path(__file__).resolve().parent / "upgrade" / "snapshot.py"
SAMPLE = ["--partnerships", "20", "--lessons", "150", "--seed", "11"]
# Django's bookkeeping the snapshot leaves out by default, read here: the dump carries the
# admin log, and migrate must recreate the content types and permissions it points to.
BOOKKEEPING = ["django_admin_log", "django_content_type", "auth_permission"]
# What the site shows, whatever its ids: compared where a procedure renumbers rows.
SHOWN = ["api", "search", "private pages", "pages", "never shown, but shown"]


# The README's commands ------------------------------------------------------------------


def documented_commands():
    """Every command in the README's "Backup and restore", as argument lists."""
    text = (ROOT / "README.md").read_text()
    start = text.index("\n## Backup and restore\n")
    section = text[start : text.index("\n## ", start + 1)]
    blocks = section.split("```sh\n")[1:]
    lines = "".join(block.split("```", 1)[0] for block in blocks).replace("\\\n", " ")
    return [shlex.split(line) for line in lines.splitlines() if line.strip()]


def documented(*start, containing=""):
    """The README's command that starts with these words (and holds ``containing``).

    ``.venv/bin/python`` is left off: this Python runs ``manage.py``.
    """
    for command in documented_commands():
        words = command[1:] if command[0] == ".venv/bin/python" else command
        if words[: len(start)] == list(start) and containing in " ".join(words):
            return words
    pytest.fail(
        f"The README's 'Backup and restore' gives no `{' '.join(start)}` command"
        + (f" with {containing!r}" if containing else "")
        + ".",
        pytrace=False,
    )


def filled_in(words, files, database_url=""):
    """The command with the README's file names put where ``files`` says, and the URL."""
    filled = []
    for word in words:
        for name, path in files.items():
            word = word.replace(name, str(path))
        filled.append(word.replace("$DATABASE_URL", database_url))
    return filled


def run(command, env=None):
    """Run a program (pg_dump, the sqlite3 shell) and fail with what it said."""
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode:
        pytest.fail(f"{shlex.join(command)} failed:\n{result.stderr[-3000:]}", pytrace=False)
    return result.stdout


# Databases ---------------------------------------------------------------------------------


@contextmanager
def fresh_database(tmp_path, name, engine=ENGINE):
    """The environment for a new, empty database of its own on ``engine``."""
    if engine == "sqlite":
        folder = tmp_path / name
        folder.mkdir()
        yield environment(tmp_path, {"DJANGO_SQLITE_PATH": str(folder / "db.sqlite3")})
    else:
        with scratch_postgres_database(f"backup_{name}") as url:
            yield environment(tmp_path, {"DATABASE_URL": url})


def manage(env, *words):
    return python(ROOT, env, "manage.py", *words)


def snapshot(env, added_path):
    return json.loads(python(ROOT, env, SNAPSHOT, added_path, *BOOKKEEPING))


def dump(env, folder):
    """Dump with the README's command into ``folder``; the rows it holds."""
    folder.mkdir(exist_ok=True)
    backup = folder / "backup.json.gz"
    python(ROOT, env, *filled_in(documented("manage.py", "dumpdata"), {"backup.json.gz": backup}))
    return json.loads(gzip.decompress(backup.read_bytes()))


def restore(env, folder):
    """Migrate a fresh database and load the dump in ``folder``, as the README says."""
    backup = folder / "backup.json.gz"
    python(ROOT, env, *documented("manage.py", "migrate"))
    python(ROOT, env, *filled_in(documented("manage.py", "loaddata"), {"backup.json.gz": backup}))


def renumbered_pairs_kept(before, after):
    """Django dumps a row of an automatic many-to-many table as its pair, without its id:
    where the pairs are the same, the ids are not compared."""
    for table in before["automatic many-to-many tables"]:
        old, new = before["tables"].get(table), after["tables"].get(table)
        if old and new and old["rows_without_key"] == new["rows_without_key"]:
            after["tables"][table] = old


def assert_same(before, after, added, what):
    renumbered_pairs_kept(before, after)
    problems, _ = compare(before, after)
    problems += broken_promises(after, added)
    assert not problems, f"{what} is not the site backed up:\n" + "\n".join(
        f"- {line}" for line in problems
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site to back up: its environment, what add_data.py added, and its snapshot."""
    tmp_path = tmp_path_factory.mktemp("site")
    with fresh_database(tmp_path, "source") as env:
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_report")
        manage(env, "generate_sample", *SAMPLE)
        added_path = tmp_path / "added.json"
        added_path.write_text(python(ROOT, env, SCRIPTS / "add_data.py"))
        added = json.loads(added_path.read_text())
        before = snapshot(env, added_path)
        unsound = broken_promises(before, added)
        assert not unsound, "The site built to back up is not what this test expects:\n" + (
            "\n".join(unsound)
        )
        yield {"env": env, "added": added, "added_path": added_path, "snapshot": before}


def first_difference(before, after):
    """Where two dumps part, readably: counts, or the first object that differs."""
    if len(before) != len(after):
        return f"{len(before)} objects before, {len(after)} after"
    for old, new in zip(before, after, strict=True):
        if old != new:
            return f"first difference: {json.dumps(old)[:600]}\nnow: {json.dumps(new)[:600]}"
    return ""


# The JSON dump -------------------------------------------------------------------------------


def test_the_json_dump_loads_into_a_fresh_database_exactly(site, tmp_path):
    rows = dump(site["env"], tmp_path / "dump")
    with fresh_database(tmp_path, "json") as env:
        restore(env, tmp_path / "dump")
        after = snapshot(env, site["added_path"])
        again = dump(env, tmp_path / "again")

    models = {row["model"] for row in rows}
    left_out = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
    assert not models & (left_out | {"core.contentversion"})
    assert {
        "admin.logentry",
        "auth.user",
        "auth.group",
        "core.submissionrecord",
        "healthcheck.healthcheck",
        "alliances.taggedpartnership",
        "lessons.taggedlesson",
        "taggit.tag",
    } <= models
    assert_same(site["snapshot"], after, site["added"], "The database loaded from the JSON dump")
    assert again == rows, "Dumped again, the restored database differs: " + first_difference(
        rows, again
    )


def test_a_dump_with_natural_primary_keys_loads_into_a_fresh_database(site, tmp_path):
    """The command that failed (TaggedPartnership had no natural key): everything, with
    natural keys for primary keys too. Rows after a gap are numbered afresh, so what the
    site shows is compared, and how many rows each table holds."""
    backup = tmp_path / "natural.json"
    manage(site["env"], "dumpdata", "--natural-foreign", "--natural-primary", "--output", backup)
    with fresh_database(tmp_path, "natural") as env:
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "loaddata", backup)
        after = snapshot(env, site["added_path"])

    before = site["snapshot"]
    problems = broken_promises(after, site["added"])
    for section in SHOWN:
        problems += differences(before[section], after[section], section)
    problems += [
        f"table {name}: {table['count']} rows before, {after['tables'][name]['count']} after"
        for name, table in before["tables"].items()
        if table["count"] != after["tables"][name]["count"]
    ]
    assert not problems, "Loaded with natural primary keys, the site differs:\n" + "\n".join(
        f"- {line}" for line in problems
    )


@pytest.mark.skipif(ENGINE != "postgresql", reason="crossing engines needs PostgreSQL too")
def test_the_json_dump_goes_through_sqlite_and_back_exactly(site, tmp_path):
    rows = dump(site["env"], tmp_path / "from-postgresql")
    with fresh_database(tmp_path, "sqlite", engine="sqlite") as env:
        restore(env, tmp_path / "from-postgresql")
        on_sqlite = snapshot(env, site["added_path"])
        through_sqlite = dump(env, tmp_path / "from-sqlite")
    problems = broken_promises(on_sqlite, site["added"])
    assert not problems, "Loaded into SQLite, the site is broken:\n" + "\n".join(problems)
    assert through_sqlite == rows, "Through SQLite, the dump changed: " + first_difference(
        rows, through_sqlite
    )

    with fresh_database(tmp_path, "back") as env:
        restore(env, tmp_path / "from-sqlite")
        after = snapshot(env, site["added_path"])
    assert_same(site["snapshot"], after, site["added"], "Back from SQLite, the database")


# pg_dump and pg_restore ------------------------------------------------------------------------


@pytest.mark.skipif(ENGINE != "postgresql", reason="pg_dump is for PostgreSQL")
def test_pg_restore_replaces_a_database_with_the_pg_dump_exactly(site, tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        unavailable("Backing up PostgreSQL needs pg_dump and pg_restore (postgresql-client).")
    files = {"site.dump": tmp_path / "site.dump"}
    run(filled_in(documented("pg_dump"), files, site["env"]["DATABASE_URL"]))
    with fresh_database(tmp_path, "replaced") as env:
        # A database in use, to be replaced: migrated, with the report in it.
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_report")
        run(filled_in(documented("pg_restore"), files, env["DATABASE_URL"]))
        after = snapshot(env, site["added_path"])
    assert_same(site["snapshot"], after, site["added"], "The database pg_restore replaced")


# SQLite's online backup --------------------------------------------------------------------------

# How each online backup the README gives is recognised there.
ONLINE_BACKUPS = {
    "make backup": ("make", "backup"),
    "backup_sqlite": ("manage.py", "backup_sqlite"),
    "sqlite3 .backup": ("sqlite3", ".backup"),
    "sqlite3 VACUUM INTO": ("sqlite3", "VACUUM INTO"),
}
WRITER_SECONDS = 120
SHOW_COUNTS = """
import json
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()  # so that a response carries its template context
client = Client()
counts = {}
for query in ["kestrelwrite", "kestreltag", "water"]:
    response = client.get("/search/", {"q": query})
    counts[query] = [response.status_code, response.context["page_obj"].paginator.count]
counts["api lessons"] = client.get("/api/v1/lessons", {"page_size": 1}).json()["count"]
print(json.dumps(counts))
"""


def written_lessons(path):
    with sqlite3.connect(path, timeout=20) as database:
        query = "SELECT COUNT(*) FROM lessons_lesson WHERE slug LIKE 'kestrelwrite-%'"
        return database.execute(query).fetchone()[0]


def submitted_lessons(path):
    """Visitors' submissions the writer posted to the lesson form: pending, each with its
    submission-limit record."""
    with sqlite3.connect(path, timeout=20) as database:
        return database.execute(
            "SELECT COUNT(*), (SELECT COUNT(*) FROM alliances_submissionrecord) "
            "FROM lessons_lesson WHERE title LIKE 'Kestrelsubmit %' "
            "AND moderation_status = 'pending'"
        ).fetchone()


def wait_for(condition, what, seconds=60):
    stop_at = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > stop_at:
            pytest.fail(f"Gave up waiting {seconds}s for {what}.", pytrace=False)
        time.sleep(0.1)


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    """A SQLite site to back up while it writes, whatever engine the suite runs on."""
    tmp_path = tmp_path_factory.mktemp("sqlite-site")
    with fresh_database(tmp_path, "live", engine="sqlite") as env:
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_report")
        manage(env, "generate_sample", *SAMPLE)
        yield env


@pytest.mark.parametrize("method", ONLINE_BACKUPS)
def test_an_online_sqlite_backup_is_one_whole_moment_while_the_site_writes(
    sqlite_site, tmp_path, method
):
    program, keyword = ONLINE_BACKUPS[method]
    if program == "sqlite3" and not shutil.which("sqlite3"):
        unavailable(
            "The README's sqlite3 commands need the sqlite3 shell (apt-get install sqlite3)."
        )
    live = Path(sqlite_site["DJANGO_SQLITE_PATH"])
    backup = tmp_path / "backup.sqlite3"
    command = filled_in(
        documented(program, containing=keyword), {"backup.sqlite3": backup, "db.sqlite3": live}
    )
    if program == "make":
        # This Python's virtualenv, not one make would build; the dated file in a folder here.
        command += ["-C", str(ROOT), "-o", ".venv/.installed", f"BIN={Path(sys.executable).parent}"]
        command += [f"BACKUP_DIR={tmp_path / 'backups'}"]
    writer = subprocess.Popen(
        [sys.executable, SCRIPTS / "write_lessons.py", str(WRITER_SECONDS)],
        cwd=ROOT,
        env=sqlite_site,
        stderr=subprocess.PIPE,
    )
    with ExitStack() as cleanup:
        cleanup.callback(writer.wait)
        cleanup.callback(writer.terminate)
        start = written_lessons(live)
        wait_for(lambda: written_lessons(live) >= start + 10, "the writer to write")
        before, submitted_before = written_lessons(live), submitted_lessons(live)
        if program in ("sqlite3", "make"):
            run(command, env=sqlite_site if program == "make" else None)
        else:
            python(ROOT, sqlite_site, *command)
        after, submitted_after = written_lessons(live), submitted_lessons(live)
        # The site went on writing: the backup neither stopped it nor waited for it.
        wait_for(lambda: written_lessons(live) >= after + 10, "the writer to go on writing")
        assert writer.poll() is None, writer.stderr.read().decode()[-2000:]

    if program == "make":
        made = list((tmp_path / "backups").iterdir())
        assert len(made) == 1 and made[0].name.startswith("uncommon-alliances-"), made
        backup = made[0]
    copied_submissions = submitted_lessons(backup)
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        for index in ("lesson_search", "partnership_search"):
            copy.execute(f"INSERT INTO {index} ({index}) VALUES ('integrity-check')")
        copied = written_lessons(backup)
        # The index holds the published lessons, each once (issue 10: only those).
        indexed, rows, tagged = copy.execute(
            "SELECT (SELECT COUNT(*) FROM lesson_search), (SELECT COUNT(*) FROM lessons_lesson "
            "WHERE moderation_status = 'published'), "
            "(SELECT COUNT(*) FROM lessons_taggedlesson item JOIN taggit_tag tag "
            "ON tag.id = item.tag_id WHERE tag.name = 'kestreltag')"
        ).fetchone()
        published = copy.execute(
            "SELECT COUNT(*) FROM lessons_lesson WHERE moderation_status = 'published'"
        ).fetchone()[0]
    # One moment: taken between the counts read before and after, every lesson whole
    # (indexed, tagged), none half-written.
    assert before <= copied <= after
    # Submissions through the site's form went on during the copy; the copy holds those of
    # one moment, each whole (its submission-limit record with it).
    assert submitted_before[0] <= copied_submissions[0] <= submitted_after[0]
    assert submitted_before[0] > 0
    records_beside = submitted_before[1] - submitted_before[0]
    assert copied_submissions[1] - copied_submissions[0] == records_beside
    assert indexed == rows
    assert tagged == copied

    # Restored as the README says: the backup becomes the database file, with no journal.
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copyfile(backup, restored / "db.sqlite3")
    env = {**sqlite_site, "DJANGO_SQLITE_PATH": str(restored / "db.sqlite3")}
    shown = manage(env, "shell", "--no-imports", "--command", SHOW_COUNTS)
    counts = json.loads(shown.splitlines()[-1])
    assert counts["kestrelwrite"] == [200, copied]
    assert counts["kestreltag"] == [200, copied]
    assert counts["water"][0] == 200 and counts["water"][1] > 0
    assert counts["api lessons"] == published
