"""export_archive and import_archive in one database: the public mirror, merge and refusals.

The round trips between separate sites (other processes, SQLite files, PostgreSQL, 10,000
lessons, the full archive table by table) are in test_round_trip.py.
"""

import json
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from taggit.models import Tag

from alliances.models import Organisation, Participation, Partnership, Role
from archive import mirror
from core.moderation import ModerationStatus
from core.sectors import Sector
from lessons.models import Lesson, Quote, Source, Theme
from tests.factories import make_lesson, make_organisation, make_partnership

pytestmark = pytest.mark.django_db(transaction=True)

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def scene(trust, skills, case_studies):
    report = Source.objects.create(slug="report", title="The 2012 report", publisher="Forum")
    Quote.objects.create(
        slug="q", text="Trust, then verify.", speaker="K", source=report, theme=trust
    )
    quiet_partner = make_organisation(name="Hidden Harbour Trust", sector=Sector.PHILANTHROPY)
    quiet = make_partnership(
        name="Quiet Compact",
        hide_partner_names=True,
        # Listed by name: the second added comes first, in the mirror too.
        partners=[
            (quiet_partner, Role.FUNDER),
            (make_organisation(name="Aardvark Aid", sector=Sector.PHILANTHROPY), Role.LEAD),
        ],
        contributor_name="Amina",
        contributor_organisation="Hidden Harbour Trust",
        tags=["water"],
    )
    shared = make_lesson(
        title="Share the numbers",
        themes=[trust, skills],
        tags=["water", "Trust"],
        partnership=case_studies["water"],
        source=report,
        contributor_name="Bo",
        contributor_organisation="Wells",
        helpful_count=4,
    )
    make_lesson(title="From the quiet compact", themes=[trust], partnership=quiet, tags=["quiet"])
    make_lesson(title="Waiting", moderation=ModerationStatus.PENDING, tags=["secret-tag"])
    return {"lesson": shared, "quiet": quiet, "water": case_studies["water"]}


def public_paths(scene) -> list[str]:
    return [
        "/",
        "/themes/",
        "/themes/work-to-build-trust/",
        "/lessons/",
        "/lessons/?theme=work-to-build-trust",
        scene["lesson"].get_absolute_url(),
        "/partnerships/",
        scene["water"].get_absolute_url(),
        scene["quiet"].get_absolute_url(),
        "/organisations/pumps-plc/",
        "/tags/",
        "/tags/water/",
        "/search/?q=water",
        "/insights/",
        "/feeds/lessons/",
        "/sitemap-lessons.xml",
        "/lessons/export.json",
        "/api/v1/lessons",
        "/api/v1/partnerships",
        "/api/v1/tags",
        "/api/v1/themes",
        f"/api/v1/lessons/{scene['lesson'].slug}",
        "/api/v1/organisations/pumps-plc",
    ]


def shown(client, paths) -> dict[str, tuple[int, bytes]]:
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    pages = {}
    for path in paths:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[path] = (response.status_code, CSRF.sub(b"", body))
    return pages


def wipe_content():
    """The site emptied of content, as a freshly migrated one is."""
    with transaction.atomic():
        Lesson.objects.all().delete()
        Participation.objects.all().delete()
        Partnership.objects.all().delete()
        Organisation.objects.all().delete()
        Quote.objects.all().delete()
        Source.objects.all().delete()
        Theme.objects.all().delete()
        Tag.objects.all().delete()


def export(tmp_path, name="public.zip", *flags):
    path = tmp_path / name
    call_command("export_archive", str(path), *flags, verbosity=0)
    return path


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Theme, Source, Quote, Organisation, Partnership, Participation, Lesson, Tag)
    }


def test_a_public_archive_makes_a_mirror_showing_the_same_pages(scene, client, tmp_path):
    paths = public_paths(scene)
    before = shown(client, paths)
    archive = export(tmp_path)

    wipe_content()
    call_command("import_archive", str(archive), verbosity=0)

    after = shown(client, paths)
    for path in paths:
        assert after[path][0] == before[path][0] == 200, path
        assert after[path][1] == before[path][1], path
    assert not Lesson.objects.filter(title="Waiting").exists()
    assert not Tag.objects.filter(name="secret-tag").exists()
    assert "Hidden Harbour Trust" not in Organisation.objects.values_list("name", flat=True)


def test_a_mirror_keeps_ids_and_hands_out_new_ones_after_them(scene, client, tmp_path):
    archive = export(tmp_path)
    ids = sorted(Lesson.objects.published().values_list("pk", flat=True))
    wipe_content()
    call_command("import_archive", str(archive), verbosity=0)

    assert sorted(Lesson.objects.values_list("pk", flat=True)) == ids
    newer = make_lesson(title="Written on the mirror")
    assert newer.pk > max(ids)


def test_an_import_into_a_site_with_content_is_refused(scene, tmp_path):
    archive = export(tmp_path)
    before = counts()

    with pytest.raises(CommandError, match="not empty .* pass --merge"):
        call_command("import_archive", str(archive), verbosity=0)

    assert counts() == before


def test_merging_the_same_archive_again_adds_nothing(scene, tmp_path):
    archive = export(tmp_path)
    before = counts()
    links = (Lesson.themes.through.objects.count(), Lesson.tags.through.objects.count())

    call_command("import_archive", str(archive), "--merge", verbosity=0)
    call_command("import_archive", str(archive), "--merge", verbosity=0)

    assert counts() == before
    assert (Lesson.themes.through.objects.count(), Lesson.tags.through.objects.count()) == links


def test_merging_adds_only_what_is_missing_matching_tags_by_name(scene, tmp_path):
    archive = export(tmp_path)
    wipe_content()
    make_lesson(title="Local only", tags=["WATER"])

    call_command("import_archive", str(archive), "--merge", verbosity=0)

    assert Tag.objects.filter(name__iexact="water").count() == 1
    assert Lesson.objects.filter(title="Local only").exists()
    imported = Lesson.objects.get(slug=scene["lesson"].slug)
    assert sorted(imported.tags.names()) == ["Trust", "WATER"]
    assert imported.themes.count() == 2
    assert imported.credit == "Bo, Wells"


def test_a_failed_import_leaves_the_database_as_it_was(scene, tmp_path, monkeypatch):
    archive = export(tmp_path)
    wipe_content()
    before = counts()

    def broken(self, row):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(mirror.Mirror, "tagging", broken)
    with pytest.raises(RuntimeError):
        call_command("import_archive", str(archive), verbosity=0)

    assert counts() == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a zip", "is not an archive zip"),
        (None, "holds no Uncommon Alliances data package"),
    ],
)
def test_a_file_that_is_not_an_archive_is_refused_clearly(db, tmp_path, content, message):
    path = tmp_path / "other.zip"
    if content is None:
        with zipfile.ZipFile(path, "w") as other:
            other.writestr("hello.txt", "hi")
    else:
        path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        call_command("import_archive", str(path), verbosity=0)
    with pytest.raises(CommandError, match="is not an archive zip"):
        call_command("import_archive", str(tmp_path / "missing.zip"), verbosity=0)


def test_an_export_never_overwrites_a_file(db, tmp_path):
    path = tmp_path / "taken.zip"
    path.write_bytes(b"precious")

    with pytest.raises(CommandError, match="never overwrites"):
        call_command("export_archive", str(path), verbosity=0)

    assert path.read_bytes() == b"precious"


def test_a_full_archive_is_marked_private_and_holds_everything(scene, curator, tmp_path):
    archive = export(tmp_path, "full.zip", "--full")

    with zipfile.ZipFile(archive) as opened:
        package = json.loads(opened.read("datapackage.json"))
        everything = json.loads(opened.read("private/everything.json"))
        readme = opened.read("README.md").decode()
    models = {row["model"] for row in everything}
    assert package["private"] is True
    assert "licenses" not in package
    assert "PRIVATE" in readme
    assert {"lessons.lesson", "alliances.partnership", "taggit.tag", "auth.user"} <= models
    assert not models & {"contenttypes.contenttype", "core.publiccount", "sessions.session"}
    titles = {row["fields"].get("title") for row in everything if row["model"] == "lessons.lesson"}
    assert "Waiting" in titles


def test_a_full_archive_restores_pending_items_too(scene, client, tmp_path):
    paths = public_paths(scene)
    before = shown(client, paths)
    archive = export(tmp_path, "full.zip", "--full")
    rows = counts()
    wipe_content()

    call_command("import_archive", str(archive), verbosity=0)

    assert counts() == rows
    assert Lesson.objects.filter(title="Waiting", moderation_status="pending").exists()
    after = shown(client, paths)
    assert after == before
