"""build_archive, /archive/ and the versioned download."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

from archive import builds
from core.models import ContentVersion
from core.moderation import ModerationStatus
from tests.factories import make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def archive_dir(settings, tmp_path):
    settings.ARCHIVE_DIR = tmp_path / "archive"
    return settings.ARCHIVE_DIR


def version() -> int:
    return ContentVersion.objects.get(pk=1).number


def build() -> str:
    out = io.StringIO()
    call_command("build_archive", stdout=out)
    return out.getvalue()


def names_in(path) -> list[str]:
    return sorted(path.iterdir()) and sorted(p.name for p in path.iterdir())


def test_build_archive_writes_the_current_version_once(trust, archive_dir):
    make_lesson(title="Published one", themes=[trust])

    first = build()
    again = build()

    name = f"uncommon-alliances-{version()}.zip"
    assert "Built" in first and name in first and "1 lessons" in first
    assert "already built" in again
    assert names_in(archive_dir) == [name]
    with zipfile.ZipFile(archive_dir / name) as opened:
        package = json.loads(opened.read("datapackage.json"))
    assert package["version"] == str(version())


def test_a_publication_moves_the_build_to_a_new_file(trust, archive_dir):
    make_lesson(title="First", themes=[trust])
    build()
    before = version()

    make_lesson(title="Second", themes=[trust])
    build()

    assert version() != before
    assert names_in(archive_dir) == sorted(
        [f"uncommon-alliances-{before}.zip", f"uncommon-alliances-{version()}.zip"]
    )


def test_a_pending_submission_builds_nothing_new(trust, archive_dir):
    make_lesson(title="First", themes=[trust])
    build()

    make_lesson(title="Waiting", themes=[trust], moderation=ModerationStatus.PENDING)

    assert "already built" in build()
    assert len(names_in(archive_dir)) == 1


def test_only_the_newest_builds_are_kept(trust, archive_dir, settings):
    settings.ARCHIVE_KEEP = 2
    kept = []
    for number in range(4):
        make_lesson(title=f"Lesson {number}", themes=[trust])
        build()
        kept.append(f"uncommon-alliances-{version()}.zip")

    assert names_in(archive_dir) == sorted(kept[-2:])


def test_a_publication_during_the_build_builds_the_new_version(trust, archive_dir, monkeypatch):
    """The file's name never lies: content that moved mid-build is built again."""
    make_lesson(title="First", themes=[trust])
    start = version()
    real_write = builds.write_archive_file
    calls = []

    def write_then_publish(path, **kwargs):
        built = real_write(path, **kwargs)
        if not calls:
            make_lesson(title="Published mid-build", themes=[trust])
        calls.append(kwargs["version"])
        return built

    monkeypatch.setattr(builds, "write_archive_file", write_then_publish)
    build()

    assert calls == [str(start), str(version())]
    assert names_in(archive_dir) == [f"uncommon-alliances-{version()}.zip"]
    with zipfile.ZipFile(archive_dir / f"uncommon-alliances-{version()}.zip") as opened:
        assert b"Published mid-build" in opened.read("data/lessons.csv")


def test_a_failed_build_leaves_no_file(trust, archive_dir, monkeypatch):
    make_lesson(title="First", themes=[trust])

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("archive.builds.write_package", broken)
    with pytest.raises(OSError):
        build()

    assert list(archive_dir.iterdir()) == []


# The page ---------------------------------------------------------------------------


def test_the_page_says_plainly_when_nothing_is_built(client):
    response = client.get(reverse("archive:archive"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "No archive has been built yet" in html
    assert "manage.py build_archive" in html
    assert "/archive/uncommon-alliances-" not in html
    assert "Creative Commons Attribution 4.0 International" in html


def test_the_page_offers_the_newest_build(client, trust):
    make_lesson(title="First", themes=[trust])
    build()
    latest = builds.latest_archive()
    assert latest is not None

    html = client.get(reverse("archive:archive")).content.decode()

    assert f'href="/archive/uncommon-alliances-{latest.version}.zip"' in html
    assert f"{latest.size:,} bytes" in html
    assert f"<dd>{latest.version}</dd>" in html
    assert latest.modified.strftime("%Y") in html
    assert "No archive has been built yet" not in html
    assert "data/lessons.csv" in html and "data/taggings.csv" in html


def test_the_page_costs_the_same_queries_at_two_sizes(client, trust):
    make_lesson(title="First", themes=[trust])
    build()
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("archive:archive")).status_code == 200
    for number in range(10):
        make_lesson(title=f"More {number}", themes=[trust])
    build()
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("archive:archive")).status_code == 200

    assert len(small) == len(large)


def test_the_footer_and_the_api_docs_link_the_archive(client):
    home = client.get("/").content.decode()
    schema = client.get("/api/v1/openapi.json").json()

    assert f'href="{reverse("archive:archive")}"' in home
    assert "(/archive/)" in schema["info"]["description"]


# The download -----------------------------------------------------------------------


def test_a_build_downloads_as_a_file_cached_for_good(client, trust, archive_dir):
    make_lesson(title="First", themes=[trust])
    build()
    latest = builds.latest_archive()
    assert latest is not None
    url = reverse("archive:archive-download", kwargs={"version": latest.version})

    response = client.get(url)

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{latest.name}"'
    assert int(response["Content-Length"]) == latest.size == len(body)
    assert response["Last-Modified"] == http_date(latest.modified.timestamp())
    assert "immutable" in response["Cache-Control"]
    assert response["ETag"]
    assert zipfile.ZipFile(io.BytesIO(body)).read("data/lessons.csv").startswith(b"id,slug,")

    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    later = http_date((latest.modified + timedelta(minutes=1)).timestamp())
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=later).status_code == 304
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/archive/uncommon-alliances-99999.zip",
        "/archive/uncommon-alliances-99999999999999999999999999.zip",
        "/archive/uncommon-alliances-0.zip",
        "/archive/uncommon-alliances-.zip",
        "/archive/uncommon-alliances-1.zip.tmp",
        "/archive/..%2F..%2Fdb.sqlite3",
    ],
)
def test_a_version_not_built_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_a_half_written_build_is_never_offered(client, archive_dir, trust):
    make_lesson(title="First", themes=[trust])
    archive_dir.mkdir(parents=True)
    (archive_dir / ".uncommon-alliances-5.zip.abc.tmp").write_bytes(b"PK half")
    (archive_dir / ".build-xyz.zip").write_bytes(b"PK half")

    assert builds.latest_archive() is None
    assert client.get("/archive/uncommon-alliances-5.zip").status_code == 404
    assert "No archive has been built yet" in client.get("/archive/").content.decode()


def test_an_erased_contributor_is_in_no_build_made_after(trust, archive_dir, curator):
    from core.services import contributor_erase

    lesson = make_lesson(title="Credited", themes=[trust], contributor_name="Zed Namedperson")
    build()
    contributor_erase(items=[lesson], by=curator)
    build()

    newest = builds.latest_archive()
    assert newest is not None
    with zipfile.ZipFile(newest.path) as opened:
        lessons = opened.read("data/lessons.csv").decode()
    assert "Credited" in lessons
    assert "Zed Namedperson" not in lessons
    assert len(builds.built_archives()) == 2


def test_an_archive_directory_that_is_a_file_is_nothing_built(client, archive_dir):
    archive_dir.parent.mkdir(parents=True, exist_ok=True)
    archive_dir.write_text("not a directory")

    assert client.get("/archive/").status_code == 200
    assert client.get("/archive/uncommon-alliances-1.zip").status_code == 404
