"""What a database holds and what visitors see of it, read the same way by old and new code.

Run by tests/test_upgrade.py with the working directory set to the tree whose code reads
the database (the base commit's, then today's):

    python tests/upgrade/snapshot.py ADDED_JSON [TABLE ...]

ADDED_JSON is what tests/upgrade/add_old_data.py (or tests/backup/add_data.py) printed;
each TABLE named after it is read although it is Django's own bookkeeping (below). The
snapshot is printed as JSON.

Both versions of the code must be able to run it, so it never imports the project's
modules or reverses its URL names: it reads tables with raw SQL, and the site through
public addresses with django.test.Client. What it reads:

- every table: its columns, rows counted and hashed (whole rows, each column, each row
  by primary key, so a difference can be pinned down, and the rows without their key),
  the derived search columns and full-text index tables left out of the hashes; which
  tables are Django's automatic many-to-many tables;
- the triggers, and whether each table's id sequence is ahead of its ids;
- counts from the API (themes, tags, lessons and case studies under several filters);
- the links a search lists, in order, and its result count, for each search given;
- the private pages (health-check results, submission statuses) and a few public ones;
- a live probe, rolled back afterwards: edits made with raw SQL must reach the search index
  and the content version at once, through the triggers.
"""

import hashlib
import json
import math
import os
import re
import sys
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode

# Import the tree this runs in (the working directory), not this file's directory.
sys.path[0] = os.getcwd()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

# Django's own bookkeeping: ids and rows that may move without any content changing.
IGNORED_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "django_session",
    "django_admin_log",
}
# One row whose counter the triggers move on every write: only its row count is compared.
CONTENT_VERSION = "lessons_contentversion"
# Counts the triggers keep (lessons/public_counts.py), numbered as they are written: compared
# through the pages and the API that show them.
KEPT_COUNTS = {"core_publiccount", "core_countcontribution", "core_countmark"}
# PostgreSQL's tsvector columns: derived from the row by triggers, compared through searches.
DERIVED_COLUMNS = {"search_vector"}
# The tables SQLite's FTS5 keeps behind each full-text index (its "shadow" tables).
FTS_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
# Each full-text index and the rows it makes searchable. Only the published ones are
# compared: an index may hold the others too (before issue 10 it held every row).
SEARCH_INDEX_ROWS = {
    "lesson_search": "lessons_lesson",
    "partnership_search": "alliances_partnership",
}
# Derived from the same rows by the search index's triggers, beside the index (issue 10).
SEARCH_INDEX_EXTRAS = {"lesson_search_facts"}
SEARCH_PAGES_READ = 30
API_PAGES_READ = 20


def digest(value):
    return hashlib.sha256(value.encode()).hexdigest()


def plain(value):
    """A value as JSON can hold it, the same every time it is read."""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict | list | int | float | str | bool) or value is None:
        return value
    return str(value)


def as_text(values):
    return json.dumps([plain(value) for value in values], sort_keys=True, default=str)


def quote(name):
    return connection.ops.quote_name(name)


# Tables ------------------------------------------------------------------------------


def table_kinds(cursor):
    """{table: kind}: "table", "search index" (an FTS5 table) or "search index part"."""
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        rows = [(name, sql or "") for name, sql in cursor.fetchall()]
        rows = [(name, sql) for name, sql in rows if not name.startswith("sqlite_")]
        virtual = {name for name, sql in rows if sql.upper().startswith("CREATE VIRTUAL TABLE")}
        parts = {f"{name}{suffix}" for name in virtual for suffix in FTS_SHADOW_SUFFIXES}
        return {
            name: "search index"
            if name in virtual
            else "search index part"
            if name in parts or name in SEARCH_INDEX_EXTRAS
            else "table"
            for name, _ in rows
        }
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    return {name: "table" for (name,) in cursor.fetchall()}


def columns_and_key(cursor, table):
    """The table's column names, and the names of its primary key's columns."""
    if connection.vendor == "sqlite":
        cursor.execute(f"PRAGMA table_info({quote(table)})")
        rows = cursor.fetchall()
        key = [row[1] for row in sorted(rows, key=lambda row: row[5]) if row[5]]
        return [row[1] for row in rows], key
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s",
        [table],
    )
    columns = [name for (name,) in cursor.fetchall()]
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)",
        [quote(table)],
    )
    return columns, [name for (name,) in cursor.fetchall()]


def table_snapshot(cursor, table):
    """Rows counted and hashed: all of them, each column, and each row by its key."""
    columns, key = columns_and_key(cursor, table)
    kept = sorted(name for name in columns if name not in DERIVED_COLUMNS)
    order = key or kept
    cursor.execute(
        f"SELECT {', '.join(quote(c) for c in kept)} FROM {quote(table)} "
        f"ORDER BY {', '.join(quote(c) for c in order)}"
    )
    rows = cursor.fetchall()
    positions = [kept.index(name) for name in key]
    unkeyed = [i for i, name in enumerate(kept) if name not in key]
    by_key = {}
    for row in rows:
        row_digest = digest(as_text(row))[:16]
        name = "/".join(str(plain(row[i])) for i in positions) if positions else row_digest
        while name in by_key:  # duplicate rows in a table without a key
            name += "+"
        by_key[name] = row_digest
    return {
        "count": len(rows),
        "columns": kept,
        "key": key,
        "hash": digest("\n".join(as_text(row) for row in rows)),
        "column_hashes": {
            name: digest(as_text([row[i] for row in rows])) for i, name in enumerate(kept)
        },
        "rows": by_key,
        # The rows as a set of values without their key: what a many-to-many table means.
        "rows_without_key": digest(
            "\n".join(sorted(as_text([row[i] for i in unkeyed]) for row in rows))
        ),
    }


def read_tables(also_read=()):
    ignored = IGNORED_TABLES - set(also_read)
    with connection.cursor() as cursor:
        kinds = table_kinds(cursor)
        tables, derived = {}, {}
        for table, kind in sorted(kinds.items()):
            if table in ignored:
                continue
            if kind == "search index":
                content = SEARCH_INDEX_ROWS[table]
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE rowid IN (SELECT id FROM "
                    f"{quote(content)} WHERE moderation_status = 'published')"
                )
                derived[table] = {"kind": kind, "count": cursor.fetchone()[0]}
            elif kind == "search index part":
                derived[table] = {"kind": kind}
            elif table in KEPT_COUNTS:
                derived[table] = {"kind": "kept counts"}
            elif table == CONTENT_VERSION:
                cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
                derived[table] = {"kind": "content version", "count": cursor.fetchone()[0]}
            else:
                tables[table] = table_snapshot(cursor, table)
    return {
        "tables": tables,
        "derived_tables": derived,
        "ignored_tables": sorted(ignored & set(kinds)),
        "automatic many-to-many tables": sorted(
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.auto_created
        ),
    }


def read_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT DISTINCT event_object_table, trigger_name FROM information_schema.triggers "
                "WHERE trigger_schema = current_schema()"
            )
        return sorted(f"{table}: {name}" for table, name in cursor.fetchall())


def sequences_behind(tables):
    """Tables whose next generated id would collide with an id already stored."""
    behind = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # AUTOINCREMENT tables only; the others take the highest id plus one anyway.
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
            sequences = {}
            if cursor.fetchone():
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
                sequences = {name: (seq, True) for name, seq in cursor.fetchall()}
        else:
            sequences = {}
            for table, snapshot in tables.items():
                if len(snapshot["key"]) != 1:
                    continue
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", [quote(table), snapshot["key"][0]]
                )
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                    sequences[table] = cursor.fetchone()
        for table, (last_value, is_called) in sorted(sequences.items()):
            snapshot = tables.get(table)
            if not snapshot or len(snapshot["key"]) != 1:
                continue
            column = quote(snapshot["key"][0])
            cursor.execute(f"SELECT MAX({column}) FROM {quote(table)}")
            highest = cursor.fetchone()[0]
            next_value = last_value + 1 if is_called else last_value
            if highest is not None and isinstance(highest, int) and next_value <= highest:
                behind.append(f"{table}: next id {next_value}, highest id {highest}")
    return behind


# The site -----------------------------------------------------------------------------


class SearchResults(HTMLParser):
    """The links of a search page's results, in order (the title of each result)."""

    def __init__(self, html):
        super().__init__()
        self.links, self._in_result, self._in_heading = [], False, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and "search-result" in (attrs.get("class") or "").split():
            self._in_result = True
        elif tag in {"h2", "h3"} and self._in_result:
            self._in_heading = True
        elif tag == "a" and self._in_heading:
            self.links.append(attrs.get("href"))

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_result = False
        elif tag in {"h2", "h3"}:
            self._in_heading = False


# The count sits in the live region, directly or (since issue 11) in the heading inside it.
RESULT_COUNT = re.compile(r'role="status"[^>]*>\s*(?:<h2[^>]*>\s*)?([\d,]+)\s+results?\b')


class Site:
    def __init__(self, never_shown):
        # A page that fails is recorded as its status and error, so the rest is still read.
        self.client = Client(raise_request_exception=False)
        self.never_shown = never_shown
        self.leaks = []

    def get(self, url):
        response = self.client.get(url)
        body = response.content.decode()
        if response.exc_info:
            error = response.exc_info[1]
            response.status_code = f"{response.status_code} ({type(error).__name__}: {error})"
        for text in self.never_shown:
            if text in body or text in unescape(body):
                self.leaks.append(f"{url} shows {text!r}")
        return response, body

    def json(self, url):
        response, body = self.get(url)
        if response.status_code != 200:
            return {"status": response.status_code}
        return json.loads(body)

    def api_all(self, path):
        """Every item of a paginated API list."""
        items = []
        for page in range(1, API_PAGES_READ + 1):
            data = self.json(f"{path}?{urlencode({'page_size': 100, 'page': page})}")
            if "results" not in data:
                return data
            items += data["results"]
            if not data.get("next"):
                break
        return items

    def api_count(self, path, query):
        data = self.json(f"{path}?{urlencode({**query, 'page_size': 1})}")
        return data.get("count", data)

    def search(self, params):
        """{count, links}: the result count shown, and every result's link, in order."""
        response, body = self.get(f"/search/?{urlencode(params)}")
        if response.status_code != 200:
            return {"status": response.status_code}
        shown = RESULT_COUNT.search(body)
        count = int(shown.group(1).replace(",", "")) if shown else 0
        links = SearchResults(body).links
        per_page = len(links)
        if per_page and count > per_page:
            for page in range(2, min(math.ceil(count / per_page), SEARCH_PAGES_READ) + 1):
                _, body = self.get(f"/search/?{urlencode({**params, 'page': page})}")
                links += SearchResults(body).links
        return {"count": count, "links": links}


def read_api(site, tag_slugs):
    themes = site.api_all("/api/v1/themes")
    tags = site.api_all("/api/v1/tags")
    theme_slugs = [theme["slug"] for theme in themes] if isinstance(themes, list) else []
    filters = {
        "lessons": [
            {},
            *({"theme": slug} for slug in theme_slugs),
            {"sector": "business"},
            {"experience": "went_wrong"},
            *({"tag": slug} for slug in tag_slugs),
        ],
        "partnerships": [
            {},
            *({"theme": slug} for slug in theme_slugs),
            {"sector": "business"},
            {"region": "africa"},
            {"outcome": "mixed"},
            *({"tag": slug} for slug in tag_slugs),
        ],
    }
    return {
        "themes": {t["slug"]: t["lesson_count"] for t in themes}
        if isinstance(themes, list)
        else themes,
        "tags": {t["slug"]: [t["name"], t["lesson_count"], t["partnership_count"]] for t in tags}
        if isinstance(tags, list)
        else tags,
        "counts": {
            f"/api/v1/{path}?{urlencode(query)}": site.api_count(f"/api/v1/{path}", query)
            for path, queries in filters.items()
            for query in queries
        },
    }


HEALTH_OVERALL = re.compile(r"Overall score:\s*<strong>([^<]*)</strong>")
HEALTH_SCORE_ROW = re.compile(
    r'<tr><th scope="row"><a href="[^"]*">([^<]*)</a></th><td class="number">([^<]*)</td></tr>'
)
SUBMISSION_STATUS = re.compile(r'id="submission-status"[^>]*>(.*?)</', re.DOTALL)


def read_private_pages(site, added):
    checks = {}
    for name, token in added["health_checks"].items():
        response, body = site.get(f"/health-check/{token}/")
        overall = HEALTH_OVERALL.search(body)
        checks[f"health check ({name})"] = {
            "status": response.status_code,
            "overall": overall.group(1).strip() if overall else None,
            "scores": [[unescape(label), value] for label, value in HEALTH_SCORE_ROW.findall(body)],
            "changes shown": body.count('class="change change--'),
        }
    for name, token in added["status_tokens"].items():
        response, body = site.get(f"/submissions/{token}/")
        shown = SUBMISSION_STATUS.search(body)
        checks[f"status page ({name})"] = {
            "status": response.status_code,
            "shows": " ".join(shown.group(1).split()) if shown else None,
        }
    return checks


def read_pages(site, added):
    return {url: site.get(url)[0].status_code for url in added["pages"]}


# The live probe --------------------------------------------------------------------------


class RolledBack(Exception):
    pass


def one(cursor, sql, params=()):
    cursor.execute(sql, list(params))
    return cursor.fetchone()


def live_probe(site):
    """Edit published rows with raw SQL, see the search and content version follow, undo it all.

    Searches read what the triggers wrote, so this fails when a trigger is missing even
    though the searches of the rows already indexed still find what they found before.
    """
    found = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            version = one(cursor, f"SELECT number FROM {CONTENT_VERSION} WHERE id = 1")
            lesson_id, lesson_slug = one(
                cursor,
                "SELECT id, slug FROM lessons_lesson WHERE moderation_status = 'published' "
                "ORDER BY id LIMIT 1",
            )
            partnership_id, partnership_slug = one(
                cursor,
                "SELECT id, slug FROM alliances_partnership WHERE moderation_status = 'published' "
                "AND NOT hide_partner_names AND EXISTS (SELECT 1 FROM alliances_participation "
                "pa WHERE pa.partnership_id = alliances_partnership.id) ORDER BY id LIMIT 1",
            )
            found["rows probed"] = [lesson_slug, partnership_slug]

            cursor.execute(
                "UPDATE lessons_lesson SET title = title || ' Qzxtitleprobe' WHERE id = %s",
                [lesson_id],
            )
            cursor.execute(
                "UPDATE alliances_partnership SET story = story || ' Qzxstoryprobe' WHERE id = %s",
                [partnership_id],
            )
            found["edited title"] = site.search({"q": "qzxtitleprobe"})
            found["edited story"] = site.search({"q": "qzxstoryprobe"})

            cursor.execute(
                "INSERT INTO taggit_tag (name, slug) VALUES ('qzxtagprobe', 'qzxtagprobe')"
            )
            (tag_id,) = one(cursor, "SELECT id FROM taggit_tag WHERE slug = 'qzxtagprobe'")
            cursor.execute(
                "INSERT INTO lessons_taggedlesson (tag_id, content_object_id) VALUES (%s, %s)",
                [tag_id, lesson_id],
            )
            cursor.execute(
                "INSERT INTO alliances_taggedpartnership (tag_id, content_object_id) "
                "VALUES (%s, %s)",
                [tag_id, partnership_id],
            )
            found["new tag"] = site.search({"q": "qzxtagprobe"})
            found["new tag in the API"] = site.json("/api/v1/tags/qzxtagprobe")
            cursor.execute("UPDATE taggit_tag SET name = 'qzxrenamedprobe' WHERE id = %s", [tag_id])
            found["renamed tag"] = site.search({"q": "qzxrenamedprobe"})
            cursor.execute(
                "DELETE FROM lessons_taggedlesson WHERE tag_id = %s AND content_object_id = %s",
                [tag_id, lesson_id],
            )
            found["tag taken off a lesson"] = site.search({"q": "qzxrenamedprobe"})

            cursor.execute(
                "UPDATE alliances_organisation SET name = name || ' Qzxorgprobe' WHERE id = "
                "(SELECT MIN(organisation_id) FROM alliances_participation "
                "WHERE partnership_id = %s)",
                [partnership_id],
            )
            found["renamed partner"] = site.search({"q": "qzxorgprobe"})
            cursor.execute(
                "UPDATE lessons_lesson SET moderation_status = 'rejected' WHERE id = %s",
                [lesson_id],
            )
            found["withdrawn lesson"] = site.search({"q": "qzxtitleprobe"})
            after = one(cursor, f"SELECT number FROM {CONTENT_VERSION} WHERE id = 1")
            found["content version moved"] = bool(version and after and after[0] > version[0])
            raise RolledBack
    except RolledBack:
        pass
    return found


def read(compute, *args):
    """What compute() returns or, when it fails, the error: the rest is still read."""
    try:
        return compute(*args)
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}"}


def main(added_path, also_read=()):
    with open(added_path) as file:
        added = json.load(file)
    site = Site(added["never_shown"])
    searches = added["searches"] + added["searches finding nothing"]
    snapshot = {"engine": connection.vendor, **read_tables(also_read)}
    snapshot["triggers"] = read(read_triggers)
    snapshot["sequences behind"] = read(sequences_behind, snapshot["tables"])
    snapshot["api"] = read(read_api, site, added["tags"])
    snapshot["search"] = {urlencode(params): read(site.search, params) for params in searches}
    snapshot["private pages"] = read(read_private_pages, site, added)
    snapshot["pages"] = read(read_pages, site, added)
    snapshot["live probe"] = read(live_probe, site)
    snapshot["never shown, but shown"] = list(site.leaks)
    return snapshot


if __name__ == "__main__":
    json.dump(main(sys.argv[1], sys.argv[2:]), sys.stdout, indent=1, sort_keys=True)
