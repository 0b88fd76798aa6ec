"""A database made by the base commit's code upgrades to today's code with nothing lost.

The base commit is the last one before the code base was restructured (models moved
between apps keeping their tables, search triggers moved into an app of their own, URL
names renamed). Its tree is taken out of git and used, with this same Python, to build a
database the way a real site's grew: its migrations, the report, generated sample data,
then pending, rejected and tagged items, a case study hiding its partners' names and two
health checks (tests/upgrade/add_old_data.py). A snapshot is read with the old code, the
new code's migrations run on the same database, the snapshot is read again with the new
code (tests/upgrade/snapshot.py), and the two must agree: every table's rows, the
triggers, the API's counts, what each search lists in what order, the private pages, and
a live probe that edits through raw SQL and sees the search follow.

On SQLite it uses a file of its own; with DATABASE_URL pointing at PostgreSQL, a scratch
database on that server, dropped afterwards. CI runs the suite once on each.
"""

import io
import json
import os
import subprocess
import sys
import tarfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.slow

# The last commit of main before the restructuring: the layout databases are upgraded from.
BASE = "5b3d1c030beb7997e9b4996db44d2c47641d526a"
ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "upgrade"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ENGINE = "postgresql" if DATABASE_URL.startswith("postgres") else "sqlite"
SAMPLE = ["--partnerships", "40", "--lessons", "400", "--seed", "11"]
STEP_TIMEOUT = 300
SHOWN_PER_LIST = 8
# Triggers the restructuring renamed on purpose, "table: old name" -> "table: new name":
# search/triggers.py names every "touch" trigger <index>_touch_by_<what>.
RENAMED_TRIGGERS = {
    "lessons_taggedlesson: lesson_search_touch": "lessons_taggedlesson: lesson_search_touch_by_tag",
}
# On PostgreSQL the content version's one trigger per table became one per event, each
# asking whether the rows are public (lessons/content_version.py).
RENAMED_TRIGGERS |= {
    f"{table}: content_version_{table}": f"{table}: content_version_{table}_insert"
    for table in (
        "lessons_lesson",
        "lessons_lesson_themes",
        "lessons_taggedlesson",
        "lessons_theme",
        "alliances_partnership",
        "alliances_participation",
        "alliances_taggedpartnership",
        "alliances_organisation",
        "taggit_tag",
    )
}


def required():
    """CI must run this test: there a missing git or commit fails instead of skipping."""
    ci = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}
    return ci or os.environ.get("UA_REQUIRE_BROWSER") == "1"


def unavailable(message):
    if required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=False)


def extract_base(destination):
    """The base commit's tree, as `git archive BASE | tar -x` would write it."""
    try:
        found = git("rev-parse", "--verify", "--quiet", f"{BASE}^{{commit}}")
    except FileNotFoundError:
        unavailable("The upgrade test needs git, to take the base commit's tree out of history.")
    if found.returncode != 0:
        shallow = git("rev-parse", "--is-shallow-repository").stdout.decode().strip() == "true"
        said = found.stderr.decode().strip()
        unavailable(
            f"The upgrade test needs the base commit {BASE[:7]} in this checkout's git "
            f"history, and it is not there{' (this is a shallow clone)' if shallow else ''}"
            f"{f': {said}' if said else ''}. In a shallow clone, fetch the full history with "
            "`git fetch --unshallow` (or clone without --depth); run the test from a git clone."
        )
    archive = git("archive", "--format=tar", BASE)
    if archive.returncode != 0:
        pytest.fail(f"git archive {BASE[:7]} failed: {archive.stderr.decode()}", pytrace=False)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        # Only regular files and folders, inside the destination (Python 3.11.4 and later).
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(destination, **safe)


@contextmanager
def scratch_postgres_database(suffix="upgrade"):
    """A database of its own on the configured PostgreSQL server, dropped afterwards."""
    import psycopg

    url = urlsplit(DATABASE_URL)
    name = f"{url.path.lstrip('/')}_{suffix}"
    # The server's maintenance database, with the same credentials; the configured
    # database itself where that one may not be reached.
    admin_urls = [urlunsplit(url._replace(path="/postgres")), DATABASE_URL]

    def admin_execute(statement):
        for admin_url in admin_urls:
            try:
                connection = psycopg.connect(admin_url, autocommit=True)
            except psycopg.OperationalError:
                if admin_url == admin_urls[-1]:
                    raise
                continue
            with connection:
                connection.execute(statement)
            return

    admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(url._replace(path=f"/{name}"))
    finally:
        admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database(tmp_path):
    """The settings that point both trees' code at the database being upgraded."""
    if ENGINE == "sqlite":
        yield {"DJANGO_SQLITE_PATH": str(tmp_path / "upgrade.sqlite3")}
    else:
        with scratch_postgres_database() as url:
            yield {"DATABASE_URL": url}


def environment(tmp_path, database_settings):
    # Nothing from the caller's own site settings: a DJANGO_DEBUG=0 or a shared cache
    # would change what the pages show.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="1",
        DJANGO_ALLOWED_HOSTS="testserver,localhost",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_LOG_LEVEL="ERROR",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(database_settings)
    return env


def python(tree, env, *args):
    """Run this Python in a tree (its code is what runs); returns what it printed."""
    result = subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
    )
    if result.returncode:
        which = "base commit's" if tree != ROOT else "current"
        pytest.fail(
            f"{' '.join(map(str, args))} failed with the {which} code "
            f"(exit {result.returncode}):\n{result.stderr[-4000:]}",
            pytrace=False,
        )
    return result.stdout


# Comparing snapshots ---------------------------------------------------------------------


def short(value, limit=160):
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else f"{text[:limit]}…"


def listed(items):
    items = list(items)
    shown = ", ".join(str(item) for item in items[:SHOWN_PER_LIST])
    return shown + (
        f" and {len(items) - SHOWN_PER_LIST} more" if len(items) > SHOWN_PER_LIST else ""
    )


def differences(before, after, path):
    """What differs between two JSON values, one readable line per difference."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(before.keys() | after.keys()):
            where = f"{path} > {key}"
            if key not in after:
                yield f"{where}: gone (was {short(before[key])})"
            elif key not in before:
                yield f"{where}: new ({short(after[key])})"
            else:
                yield from differences(before[key], after[key], where)
    elif isinstance(before, list) and isinstance(after, list):
        if before == after:
            return
        if max(len(before), len(after)) <= 4:
            yield f"{path}: {short(before)} before, {short(after)} after"
            return
        old = Counter(json.dumps(item, sort_keys=True) for item in before)
        new = Counter(json.dumps(item, sort_keys=True) for item in after)
        gone, added = list((old - new).elements()), list((new - old).elements())
        if not gone and not added:
            position = next(i for i, (b, a) in enumerate(zip(before, after, strict=True)) if b != a)
            yield (
                f"{path}: the same {len(before)} items in another order, first at position "
                f"{position + 1}: {short(before[position])} before, {short(after[position])} after"
            )
        else:
            yield (
                f"{path}: {len(before)} items before, {len(after)} after"
                + (f"; gone: {listed(gone)}" if gone else "")
                + (f"; new: {listed(added)}" if added else "")
            )
    elif before != after:
        yield f"{path}: {short(before)} before, {short(after)} after"


def table_differences(name, before, after, problems, notes):
    if before["columns"] == after["columns"] and before["hash"] == after["hash"]:
        return
    gone_columns = [c for c in before["columns"] if c not in after["columns"]]
    new_columns = [c for c in after["columns"] if c not in before["columns"]]
    common = [c for c in before["columns"] if c in after["columns"]]
    changed_columns = [c for c in common if before["column_hashes"][c] != after["column_hashes"][c]]
    gone_rows = [key for key in before["rows"] if key not in after["rows"]]
    new_rows = [key for key in after["rows"] if key not in before["rows"]]
    changed_rows = []
    if not gone_columns and not new_columns:
        changed_rows = [
            key
            for key, digest in before["rows"].items()
            if key in after["rows"] and after["rows"][key] != digest
        ]
    details = []
    if before["count"] != after["count"]:
        details.append(f"{before['count']} rows before, {after['count']} after")
    key = "/".join(before["key"]) or "row hash"
    if gone_rows:
        details.append(f"rows gone ({key}): {listed(gone_rows)}")
    if new_rows:
        details.append(f"rows new ({key}): {listed(new_rows)}")
    if changed_rows:
        details.append(f"rows changed ({key}): {listed(changed_rows)}")
    if changed_columns:
        details.append(f"columns whose values differ: {listed(changed_columns)}")
    if gone_columns:
        details.append(f"columns gone: {listed(gone_columns)}")
    if details:
        problems.append(f"table {name}: " + "; ".join(details))
    elif new_columns:
        notes.append(f"table {name}: new columns {listed(new_columns)}, every old value kept")


def compare(before, after):
    """(problems, notes): what the upgrade lost or changed, and what it only added."""
    problems, notes = [], []

    for name, table in before["tables"].items():
        if name in after["tables"]:
            table_differences(name, table, after["tables"][name], problems, notes)
        else:
            problems.append(f"table {name} ({table['count']} rows) is gone after the upgrade")
    for name, table in after["tables"].items():
        if name in before["tables"]:
            continue
        if table["count"] == 0:
            notes.append(f"new empty table {name}")
        else:
            problems.append(f"new table {name} already holds {table['count']} rows")

    for name, table in before["derived_tables"].items():
        if name not in after["derived_tables"]:
            problems.append(f"{table['kind']} table {name} is gone after the upgrade")
        elif table.get("count") != after["derived_tables"][name].get("count"):
            problems.append(
                f"{table['kind']} table {name}: {table.get('count')} rows before, "
                f"{after['derived_tables'][name].get('count')} after"
            )
    notes += [
        f"new {table['kind']} table {name}"
        for name, table in after["derived_tables"].items()
        if name not in before["derived_tables"]
    ]
    content_version = after["derived_tables"].get("lessons_contentversion", {}).get("count")
    if content_version != 1:
        problems.append(
            f"lessons_contentversion must hold exactly one row; it holds {content_version}"
        )

    gone_triggers = [
        t for t in before["triggers"] if RENAMED_TRIGGERS.get(t, t) not in after["triggers"]
    ]
    if gone_triggers:
        problems.append(f"triggers gone after the upgrade: {', '.join(gone_triggers)}")
    notes += [f"new trigger {t}" for t in after["triggers"] if t not in before["triggers"]]
    problems += [f"id sequence behind its ids: {line}" for line in after["sequences behind"]]

    compared = ["api", "private pages", "pages", "never shown, but shown", "live probe"]
    for section in compared:
        problems += differences(before[section], after[section], section)
    search_differences(before["search"], after["search"], problems, notes)
    return problems, notes


def search_differences(before, after, problems, notes):
    """Each search must find the same items, and count them the same.

    Their order may differ: since issue 10 the index holds published rows only, so the
    ranking's statistics (how rare a word is, how long an item is on average) are those
    of what visitors can see, no longer swayed by pending or rejected submissions.
    """
    for query in sorted(before.keys() | after.keys()):
        old, new = before.get(query, {}), after.get(query, {})
        as_sets = [
            {**result, "links": sorted(result["links"])} if "links" in result else result
            for result in (old, new)
        ]
        found = list(differences(*as_sets, f"search > {query}"))
        problems += found
        if not found and old != new:
            notes.append(f"search > {query}: the same results, ranked among published rows only")


def broken_promises(snapshot, added):
    """What must hold in any snapshot, before the upgrade as after it."""
    problems = [f"shown to visitors: {leak}" for leak in snapshot["never shown, but shown"]]
    for section in ("triggers", "sequences behind", "api", "private pages", "pages", "live probe"):
        if isinstance(snapshot[section], dict) and "error" in snapshot[section]:
            problems.append(f"{section} could not be read: {snapshot[section]['error']}")
    private = snapshot["private pages"]
    for name, page in private.items():
        if isinstance(page, dict) and page.get("status") != 200:
            problems.append(f"{name} answers {page.get('status')}, not 200")
    for name in added["status_tokens"]:
        shows = private.get(f"status page ({name})", {}).get("shows")
        expected = "Not published" if name.startswith("rejected") else "Pending review"
        if shows != expected:
            problems.append(f"status page ({name}) shows {shows!r}, not {expected!r}")
    for name, overall in added["health_check_overall"].items():
        page = private.get(f"health check ({name})", {})
        expected, scores = f"{overall:g}", len(page.get("scores", []))
        if page.get("overall") != expected or scores != 8:
            problems.append(
                f"health check ({name}) shows overall {page.get('overall')!r} and "
                f"{scores} theme scores, not {expected!r} and 8"
            )
    for url, status in added["pages"].items():
        if snapshot["pages"].get(url) != status:
            problems.append(f"{url} answers {snapshot['pages'].get(url)}, not {status}")
    nothing = {urlencode(params) for params in added["searches finding nothing"]}
    for query, result in snapshot["search"].items():
        count, links = result.get("count"), result.get("links", [])
        if "error" in result or "status" in result:
            problems.append(f"search {query} fails: {short(result)}")
        elif query in nothing and count != 0:
            problems.append(f"search {query} must find nothing; it finds {short(result)}")
        elif query not in nothing and not count:
            problems.append(f"search {query} finds nothing, so it proves nothing")
        elif count != len(links):
            problems.append(f"search {query} shows {count} results but lists {len(links)} links")
    probe = snapshot["live probe"]
    expected_counts = {
        "edited title": 1,
        "edited story": 1,
        "new tag": 2,
        "renamed tag": 2,
        "tag taken off a lesson": 1,
        "withdrawn lesson": 0,
    }
    if "error" not in probe:
        for step, count in expected_counts.items():
            if probe[step].get("count") != count:
                found = short(probe[step])
                problems.append(f"live probe, {step}: search finds {found}, not {count}")
        if not probe["renamed partner"].get("count"):
            problems.append("live probe, renamed partner: search does not find the new name")
        if not probe["content version moved"]:
            problems.append("live probe: writes no longer move the content version")
    return problems


def test_a_database_made_by_the_base_commit_upgrades_with_nothing_lost(tmp_path):
    old_tree = tmp_path / "base"
    extract_base(old_tree)
    added_path, before_path, after_path = (
        tmp_path / "added.json",
        tmp_path / "before.json",
        tmp_path / "after.json",
    )

    with database(tmp_path) as database_settings:
        env = environment(tmp_path, database_settings)
        python(old_tree, env, "manage.py", "migrate", "--noinput", "--verbosity", "0")
        python(old_tree, env, "manage.py", "load_report")
        python(old_tree, env, "manage.py", "generate_sample", *SAMPLE)
        added_path.write_text(python(old_tree, env, SCRIPTS / "add_old_data.py"))
        before_path.write_text(python(old_tree, env, SCRIPTS / "snapshot.py", added_path))

        python(ROOT, env, "manage.py", "migrate", "--noinput", "--verbosity", "0")
        after_path.write_text(python(ROOT, env, SCRIPTS / "snapshot.py", added_path))

    added = json.loads(added_path.read_text())
    before, after = json.loads(before_path.read_text()), json.loads(after_path.read_text())
    assert before["engine"] == after["engine"] == ENGINE

    unsound = broken_promises(before, added)
    assert not unsound, (
        "The database built with the base commit is not what this test expects:\n"
        + ("\n".join(f"- {line}" for line in unsound))
    )
    problems, notes = compare(before, after)
    problems += [f"after the upgrade, {line}" for line in broken_promises(after, added)]
    for note in notes:
        print(f"upgrade ({ENGINE}): {note}")
    if problems:
        pytest.fail(
            f"Upgrading a database made by {BASE[:7]} on {ENGINE} lost or changed something "
            f"(snapshots: {before_path} and {after_path}):\n"
            + "\n".join(f"- {line}" for line in problems),
            pytrace=False,
        )
