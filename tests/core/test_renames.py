"""Links that never break: an old slug answers 301 to the current address, for every kind of
item and every family of address (page, feed, API detail), and never shows what is hidden."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from alliances.models import Organisation, Partnership
from core import history
from core.models import SlugRedirect
from core.moderation import ModerationStatus
from lessons.models import Lesson, Theme
from tests.admin_forms import admin_form
from tests.factories import make_lesson, make_partnership
from tests.helpers import rename

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(trust, water_for_towns):
    return make_lesson(title="Agree what words mean", themes=[trust], tags=["water"])


@pytest.fixture
def water():
    return Tag.objects.get(slug="water")


# Every address that holds a slug: (kind, URL name, how to get the item).
ADDRESSES = [
    ("lesson", "lessons:lesson-detail"),
    ("lesson", "api:lesson-detail"),
    ("partnership", "alliances:partnership-detail"),
    ("partnership", "api:partnership-detail"),
    ("organisation", "alliances:organisation-detail"),
    ("organisation", "api:organisation-detail"),
    ("tag", "pages:tag-detail"),
    ("tag", "pages:tag-feed"),
    ("tag", "api:tag-detail"),
    ("theme", "lessons:theme-detail"),
    ("theme", "pages:theme-feed"),
    ("theme", "api:theme-detail"),
]


@pytest.fixture
def items(lesson, water_for_towns, ministry, water, trust):
    return {
        "lesson": lesson,
        "partnership": water_for_towns,
        "organisation": ministry,
        "tag": water,
        "theme": trust,
    }


def url(url_name, slug):
    return reverse(url_name, kwargs={"slug": slug})


@pytest.mark.parametrize(("kind", "url_name"), ADDRESSES)
def test_an_old_slug_answers_a_permanent_redirect_to_the_current_address(
    client, items, kind, url_name
):
    item = items[kind]
    old = item.slug
    rename(item, f"{old}-renamed")

    response = client.get(url(url_name, old))

    assert response.status_code == 301
    assert response["Location"] == url(url_name, f"{old}-renamed")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(("kind", "url_name"), ADDRESSES)
def test_the_redirect_keeps_the_query_string(client, items, kind, url_name):
    item = items[kind]
    old = item.slug
    rename(item, "moved-on")

    response = client.get(f"{url(url_name, old)}?page=1&utm_source=news%20letter")

    assert response.status_code == 301
    assert response["Location"] == f"{url(url_name, 'moved-on')}?page=1&utm_source=news%20letter"


@pytest.mark.parametrize(("kind", "url_name"), ADDRESSES)
def test_a_slug_that_never_was_is_still_not_found(client, items, kind, url_name):
    rename(items[kind], "moved-on")
    assert client.get(url(url_name, "never-was")).status_code == 404


def test_a_chain_of_renames_leads_to_the_current_slug_in_one_step(client, lesson):
    slugs = [lesson.slug, "second", "third", "fourth"]
    for slug in slugs[1:]:
        rename(lesson, slug)

    for old in slugs[:-1]:
        response = client.get(url("lessons:lesson-detail", old))
        assert response.status_code == 301
        assert response["Location"] == url("lessons:lesson-detail", "fourth")
    page = client.get(url("lessons:lesson-detail", "fourth"))
    assert page.status_code == 200
    assert "Agree what words mean" in page.content.decode()


def test_renaming_back_gives_the_old_slug_back_to_its_item(client, lesson):
    first = lesson.slug
    rename(lesson, "second")
    rename(lesson, first)

    assert client.get(url("lessons:lesson-detail", first)).status_code == 200
    response = client.get(url("lessons:lesson-detail", "second"))
    assert response["Location"] == url("lessons:lesson-detail", first)


def test_an_old_slug_a_live_item_took_again_belongs_to_that_item(client, lesson, trust):
    old = lesson.slug
    rename(lesson, "renamed")
    newcomer = make_lesson(title="A newcomer", slug=old, themes=[trust])

    response = client.get(url("lessons:lesson-detail", old))

    assert response.status_code == 200
    heading = response.content.decode().split("<h1", 1)[1].split("</h1>", 1)[0]
    assert newcomer.title in heading
    assert "Agree what words mean" not in heading


def test_an_old_slug_taken_by_an_unpublished_item_is_not_found_nor_redirected(client, lesson):
    old = lesson.slug
    rename(lesson, "renamed")
    make_lesson(title="Waiting", slug=old, moderation=ModerationStatus.PENDING)

    assert client.get(url("lessons:lesson-detail", old)).status_code == 404


def test_an_old_slug_of_a_withdrawn_lesson_is_not_found(client, lesson):
    old = lesson.slug
    rename(lesson, "renamed")
    Lesson.objects.filter(pk=lesson.pk).reject("Withdrawn.")

    for url_name in ("lessons:lesson-detail", "api:lesson-detail"):
        response = client.get(url(url_name, old))
        assert response.status_code == 404
        assert "renamed" not in response.get("Location", "")
        assert b"renamed" not in response.content


def test_an_old_slug_of_a_pending_case_study_is_not_found(client, pending_pipeline):
    rename(pending_pipeline, "pipeline-renamed")

    for url_name in ("alliances:partnership-detail", "api:partnership-detail"):
        response = client.get(url(url_name, "pending-pipeline"))
        assert response.status_code == 404
        assert b"pipeline-renamed" not in response.content


def test_an_old_slug_of_an_organisation_named_in_no_published_case_study_is_not_found(
    client, wells
):
    make_partnership(name="Hidden", moderation=ModerationStatus.PENDING, partners=[(wells, "lead")])
    rename(wells, "wells-renamed")

    for url_name in ("alliances:organisation-detail", "api:organisation-detail"):
        assert client.get(url(url_name, "wells-trust")).status_code == 404


def test_an_old_slug_of_a_tag_on_nothing_published_is_not_found(client, pending_pipeline):
    secret = Tag.objects.get(slug="secret-tag")
    rename(secret, "secret-renamed")

    for url_name in ("pages:tag-detail", "pages:tag-feed", "api:tag-detail"):
        assert client.get(url(url_name, "secret-tag")).status_code == 404


def test_a_vote_sent_to_an_old_address_is_sent_again_to_the_new_one(client, lesson):
    old = lesson.slug
    rename(lesson, "renamed")

    response = client.post(url("lessons:lesson-helpful", old))

    assert response.status_code == 308
    assert response["Location"] == url("lessons:lesson-helpful", "renamed")
    lesson.refresh_from_db()
    assert lesson.helpful_count == 0  # counted where it is sent again, not here


def test_a_rename_in_the_admin_records_the_old_slug(curator_client, lesson, client):
    change = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    response = curator_client.post(change, admin_form(curator_client, change, slug="agreed-words"))
    assert response.status_code == 302

    assert SlugRedirect.objects.get(old_slug="agree-what-words-mean").object_id == lesson.pk
    client.logout()
    response = client.get(url("lessons:lesson-detail", "agree-what-words-mean"))
    assert response["Location"] == url("lessons:lesson-detail", "agreed-words")


def test_a_failed_rename_records_nothing(lesson, trust):
    other = make_lesson(title="Other", themes=[trust])
    lesson.slug = other.slug
    with pytest.raises(IntegrityError), transaction.atomic():
        lesson.save()

    assert not SlugRedirect.objects.exists()


def test_saving_without_changing_the_slug_records_nothing(lesson, water_for_towns, ministry):
    for item in (lesson, water_for_towns, ministry):
        item.save()
    lesson.title = "A new title"
    lesson.save(update_fields=["title"])

    assert not SlugRedirect.objects.exists()


def test_each_kind_keeps_its_own_old_slugs(lesson, water_for_towns):
    rename(lesson, "renamed")
    rename(water_for_towns, "agree-what-words-mean-2")

    kinds = {
        (row.content_type.model_class(), row.old_slug)
        for row in SlugRedirect.objects.select_related("content_type")
    }
    assert kinds == {(Lesson, "agree-what-words-mean"), (Partnership, "water-for-towns")}


def test_the_page_cache_never_stores_a_redirect(client, lesson):
    old = lesson.slug
    rename(lesson, "renamed")

    first = client.get(url("lessons:lesson-detail", old))
    second = client.get(url("lessons:lesson-detail", old))
    assert (first.status_code, second.status_code) == (301, 301)
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second

    page = client.get(url("lessons:lesson-detail", "renamed"))
    again = client.get(url("lessons:lesson-detail", "renamed"))
    assert (page["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    # A rename moved the content version: the old address no longer reaches a stored page.
    rename(lesson, "renamed-again")
    response = client.get(url("lessons:lesson-detail", "renamed"))
    assert response.status_code == 301
    assert response["Location"] == url("lessons:lesson-detail", "renamed-again")


@pytest.mark.parametrize(
    "slug", ["x" * 300, "🎉", "%F0%9F%8E%89", "a b", "..", "-", "tag%2Fslash", "ǅ", "‮rtl"]
)
def test_odd_slugs_are_not_found_never_a_server_error(client, items, slug):
    rename(items["tag"], "moved-on")
    for url_name in ("pages:tag-detail", "pages:tag-feed"):
        assert client.get(url(url_name, slug)).status_code == 404


def test_an_item_deleted_after_its_rename_leaves_its_old_slug_not_found(client, lesson):
    old = lesson.slug
    rename(lesson, "renamed")
    lesson.delete()

    assert client.get(url("lessons:lesson-detail", old)).status_code == 404
    assert client.get(url("lessons:lesson-detail", "renamed")).status_code == 404


def test_the_old_slug_row_names_the_kind_and_the_item(lesson):
    rename(lesson, "renamed")
    row = SlugRedirect.objects.get()
    assert row.content_type == ContentType.objects.get_for_model(Lesson)
    assert (row.old_slug, row.object_id) == ("agree-what-words-mean", lesson.pk)
    assert Organisation.objects.count() and Theme.objects.count()  # the fixtures stand


def test_reverting_to_a_version_with_an_earlier_slug_keeps_the_later_address(client, lesson):
    with history.revision(comment="Renamed."):
        rename(lesson, "renamed")
    with history.revision(comment="Renamed again."):
        rename(lesson, "renamed-again")
    first, *_ = Version.objects.get_for_object(lesson).order_by("pk")

    first.revision.revert()

    lesson.refresh_from_db()
    assert lesson.slug == "renamed"
    response = client.get(url("lessons:lesson-detail", "renamed-again"))
    assert (response.status_code, response["Location"]) == (301, "/lessons/renamed/")
    response = client.get(url("lessons:lesson-detail", "agree-what-words-mean"))
    assert (response.status_code, response["Location"]) == (301, "/lessons/renamed/")


def test_a_dump_loaded_into_an_empty_database_records_no_old_slug(lesson, tmp_path):
    dump = tmp_path / "lessons.json"
    call_command("dumpdata", "lessons.lesson", output=str(dump))
    Lesson.objects.all().delete()

    call_command("loaddata", str(dump), verbosity=0)

    assert Lesson.objects.filter(slug=lesson.slug).exists()
    assert not SlugRedirect.objects.exists()
