"""Round trips between separate sites, each its own database and processes, at scale.

A site of 10,000 generated lessons (with tests/backup/add_data.py's pending and rejected
submissions, a case study hiding its partners, curators and their log) is exported; the
public archive is imported into a freshly migrated site, which must then show the same
HTML on every page type and give the same API answers; the full archive is imported into
another, which must hold every table exactly as the first (tests/upgrade/snapshot.py).
On SQLite the sites are files; with DATABASE_URL pointing at PostgreSQL, scratch
databases there.
"""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.test_backup import (
    BOOKKEEPING,
    SNAPSHOT,
    fresh_database,
    manage,
    renumbered_pairs_kept,
)
from tests.test_upgrade import ROOT, broken_promises, compare, python

pytestmark = pytest.mark.slow

READ_PUBLIC = Path(__file__).resolve().parent / "read_public.py"
ADD_DATA = ROOT / "tests" / "backup" / "add_data.py"
SAMPLE = ["--partnerships", "1000", "--lessons", "10000", "--seed", "15"]


def public_pages(env):
    return json.loads(python(ROOT, env, READ_PUBLIC))


def snapshot(env, added_path):
    return json.loads(python(ROOT, env, SNAPSHOT, added_path, *BOOKKEEPING))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("archive-site")
    with fresh_database(tmp_path, "archive_source") as env:
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_report")
        manage(env, "generate_sample", *SAMPLE)
        added_path = tmp_path / "added.json"
        added_path.write_text(python(ROOT, env, ADD_DATA))
        public = tmp_path / "public.zip"
        full = tmp_path / "full.zip"
        manage(env, "export_archive", public)
        manage(env, "export_archive", "--full", full)
        yield {
            "env": env,
            "added_path": added_path,
            "added": json.loads(added_path.read_text()),
            "public": public,
            "full": full,
            "pages": public_pages(env),
            "snapshot": snapshot(env, added_path),
        }


def test_a_public_archive_of_10000_lessons_mirrors_every_page_and_the_api(site, tmp_path):
    with zipfile.ZipFile(site["public"]) as opened:
        assert "private/everything.json" not in opened.namelist()
        package = json.loads(opened.read("datapackage.json"))
    lessons = next(item for item in package["resources"] if item["name"] == "lessons")
    assert lessons["rows"] >= 9000
    with fresh_database(tmp_path, "archive_mirror") as env:
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        said = manage(env, "import_archive", site["public"])
        mirrored = public_pages(env)

    assert "Imported the public archive" in said
    before = site["pages"]
    assert sorted(mirrored) == sorted(before)
    different = [path for path in before if mirrored[path]["sha256"] != before[path]["sha256"]]
    assert all(page["status"] == 200 for page in before.values()), [
        path for path, page in before.items() if page["status"] != 200
    ]
    assert not different, f"{len(different)} pages differ, first {different[0]}:\n" + (
        first_line_apart(before[different[0]]["text"], mirrored[different[0]]["text"])
    )


def first_line_apart(before, after):
    """Where two pages part: the text around the first character that differs."""
    at = next(
        (n for n, (old, new) in enumerate(zip(before, after, strict=False)) if old != new),
        min(len(before), len(after)),
    )
    start = max(at - 200, 0)
    return f"was: …{before[start : at + 200]}…\nnow: …{after[start : at + 200]}…"


def test_a_full_archive_restores_every_table_exactly(site, tmp_path):
    with fresh_database(tmp_path, "archive_full") as env:
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        said = manage(env, "import_archive", site["full"])
        after = snapshot(env, site["added_path"])
        pages = public_pages(env)

    assert "Restored the full archive" in said
    renumbered_pairs_kept(site["snapshot"], after)
    problems, _ = compare(site["snapshot"], after)
    # What the snapshot cannot check at this size (it reads a search's first pages only) it
    # reports of the source site too: only a promise broken by the restore counts.
    known = set(broken_promises(site["snapshot"], site["added"]))
    problems += [line for line in broken_promises(after, site["added"]) if line not in known]
    assert not problems, "The restored site is not the exported one:\n" + "\n".join(problems)
    assert {path: page["sha256"] for path, page in pages.items()} == {
        path: page["sha256"] for path, page in site["pages"].items()
    }


def test_an_import_into_a_site_with_content_is_refused_and_changes_nothing(site, tmp_path):
    with fresh_database(tmp_path, "archive_refused") as env:
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_report")
        before = snapshot(env, site["added_path"])
        result = subprocess.run(
            [sys.executable, "manage.py", "import_archive", str(site["public"])],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        after = snapshot(env, site["added_path"])

    assert result.returncode == 1
    assert "This site is not empty" in result.stderr and "--merge" in result.stderr
    assert before["tables"] == after["tables"]
