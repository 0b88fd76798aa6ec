"""Only what a visitor can see moves the content version, whichever path writes it.

Each write goes through the path a visitor or curator takes (the submission forms, the
admin's bulk actions and change forms, "this helped me", manage commands); the link-row
cases also go straight through the ORM, so each trigger is seen on its own.
"""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from alliances.models import Organisation, Partnership, Role
from core.caching import content_version
from core.models import SubmissionRecord
from core.moderation import ModerationStatus
from lessons.models import Lesson
from tests.admin_forms import admin_form
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme
from tests.form_data import lesson_data, partnership_data
from tests.helpers import page_queries, run_admin_action

pytestmark = pytest.mark.django_db

PENDING, PUBLISHED, REJECTED = (
    ModerationStatus.PENDING.value,
    ModerationStatus.PUBLISHED.value,
    ModerationStatus.REJECTED.value,
)
# Every state but published: none is seen by a visitor, so none moves the version.
NOT_PUBLIC = [status.value for status in ModerationStatus if status != PUBLISHED]
KINDS = ["lesson", "case study"]


def make_item(kind, moderation):
    """A lesson on a theme with a tag, or a case study with two partners and a tag."""
    if kind == "lesson":
        return make_lesson(themes=[make_theme()], tags=["lesson-tag"], moderation=moderation)
    partners = [(make_organisation(), Role.LEAD), (make_organisation(), Role.FUNDER)]
    return make_partnership(partners=partners, tags=["case-tag"], moderation=moderation)


def admin_url(item, page="change"):
    opts = item._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=[item.pk])


def changelist(item):
    opts = item._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def admin_save(client, item, **changes):
    url = admin_url(item)
    response = client.post(url, admin_form(client, url, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


def assert_edited(item, edits):
    item.refresh_from_db()
    assert str(item).startswith("Edited")
    assert [tag.name for tag in item.tags.all()] == ["edited-tag"]
    if isinstance(item, Partnership):
        # One partner removed, one added.
        assert sorted(p.role for p in item.participations.all()) == [Role.ADVISER, Role.FUNDER]
    else:
        assert [theme.pk for theme in item.themes.all()] == edits["themes"]


def admin_delete(client, item):
    response = client.post(admin_url(item, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not type(item).objects.filter(pk=item.pk).exists()


def edits_of(item):
    """Changes to its own fields, its tags and its themes or partners, as the admin posts them."""
    other = make_organisation()
    if isinstance(item, Lesson):
        return {"title": "Edited title", "tags": "edited-tag", "themes": [make_theme().pk]}
    return {
        "name": "Edited name",
        "tags": "edited-tag",
        "participations-0-DELETE": "on",
        "participations-TOTAL_FORMS": "3",
        "participations-2-organisation": str(other.pk),
        "participations-2-role": Role.ADVISER,
        "participations-2-partnership": str(item.pk),
    }


# Nothing a visitor can see: the version stays ------------------------------------------


def test_a_pending_lesson_submission_with_new_tags_moves_nothing(client):
    theme = make_theme()
    version = content_version()

    response = client.post(
        reverse("submissions:lesson-submit"), lesson_data([theme], tags="brand-new, Trust")
    )

    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert lesson.moderation_status == PENDING
    assert sorted(tag.name for tag in lesson.tags.all()) == ["Trust", "brand-new"]
    assert list(lesson.themes.all()) == [theme]
    assert content_version() == version


def test_a_pending_case_study_with_new_organisations_and_tags_moves_nothing(client):
    version = content_version()

    response = client.post(reverse("submissions:partnership-submit"), partnership_data())

    assert response.status_code == 302
    assert Partnership.objects.get().moderation_status == PENDING
    assert Organisation.objects.count() == 2 and Tag.objects.count() == 2
    assert content_version() == version


def test_a_pending_case_study_naming_published_partners_and_tags_moves_nothing(
    client, water_for_towns
):
    version = content_version()

    response = client.post(
        reverse("submissions:partnership-submit"), partnership_data(tags="water")
    )

    assert response.status_code == 302
    pending = Partnership.objects.get(moderation_status=PENDING)
    # The same organisations and tag the published case study shows, now also on this one.
    assert {p.organisation for p in pending.participations.all()} == set(
        water_for_towns.organisations.all()
    )
    assert [tag.name for tag in pending.tags.all()] == ["water"]
    assert content_version() == version


def test_a_pending_submission_leaves_cached_counts_warm(client):
    theme = make_theme()
    make_lesson(themes=[theme], tags=["shown"])
    lessons = reverse("browse:lesson-list")
    page_queries(client, lessons)
    warm = page_queries(client, lessons)

    # Another visitor submits (the submitter's own session is never served cached pages).
    Client().post(reverse("submissions:lesson-submit"), lesson_data([theme], tags="secret"))

    assert page_queries(client, lessons) == warm
    page = client.get(lessons).content.decode()
    assert "shown" in page and "secret" not in page


@pytest.mark.parametrize("kind", KINDS)
def test_rejecting_a_pending_item_moves_nothing(curator_client, kind):
    item = make_item(kind, PENDING)
    version = content_version()

    run_admin_action(
        curator_client, changelist(item), "reject_selected", [item], apply="1", reason="Spam"
    )

    item.refresh_from_db()
    assert item.moderation_status == REJECTED
    assert content_version() == version


@pytest.mark.parametrize("moderation", NOT_PUBLIC)
@pytest.mark.parametrize("kind", KINDS)
def test_editing_an_unpublished_item_with_its_links_moves_nothing(curator_client, kind, moderation):
    item = make_item(kind, moderation)
    edits = edits_of(item)
    version = content_version()

    admin_save(curator_client, item, **edits)

    assert_edited(item, edits)
    assert content_version() == version


@pytest.mark.parametrize("moderation", NOT_PUBLIC)
@pytest.mark.parametrize("kind", KINDS)
def test_deleting_an_unpublished_item_moves_nothing(curator_client, kind, moderation):
    item = make_item(kind, moderation)
    version = content_version()

    admin_delete(curator_client, item)

    assert content_version() == version


@pytest.mark.parametrize("moderation", NOT_PUBLIC)
@pytest.mark.parametrize("kind", KINDS)
def test_erasing_an_unpublished_contributor_moves_nothing(curator_client, kind, moderation):
    item = make_item(kind, moderation)
    type(item).objects.filter(pk=item.pk).update(contributor_name="Ada", contributor_email="a@b.c")
    version = content_version()

    run_admin_action(curator_client, changelist(item), "erase_contributor", [item], apply="1")

    item.refresh_from_db()
    assert item.contributor_email == ""
    assert content_version() == version


def test_a_vote_moves_nothing_though_the_lesson_page_shows_the_count(trust):
    lesson = make_lesson(themes=[trust])
    version = content_version()

    Client().post(reverse("lessons:lesson-helpful", args=[lesson.slug]), REMOTE_ADDR="192.0.2.9")

    assert content_version() == version
    page = Client().get(lesson.get_absolute_url()).content.decode()
    assert "<strong>1</strong> practitioner found this helpful" in page


def test_health_checks_spam_and_purging_limits_move_nothing(client, trust):
    version = content_version()

    client.post(reverse("healthcheck:health-check"), {})
    client.post(reverse("submissions:lesson-submit"), lesson_data([trust], website="spam.example"))
    call_command("purge_expired", stdout=None)

    assert SubmissionRecord.objects.exists()
    assert not Lesson.objects.exists()
    assert content_version() == version


# What a visitor sees: the version moves -------------------------------------------------


@pytest.mark.parametrize("moderation", NOT_PUBLIC)
@pytest.mark.parametrize("kind", KINDS)
def test_publishing_in_bulk_moves_it(curator_client, kind, moderation):
    item = make_item(kind, moderation)
    version = content_version()

    run_admin_action(curator_client, changelist(item), "publish_selected", [item])

    item.refresh_from_db()
    assert item.moderation_status == PUBLISHED
    assert content_version() != version


@pytest.mark.parametrize("kind", KINDS)
def test_publishing_from_the_change_form_moves_it(curator_client, kind):
    item = make_item(kind, PENDING)
    version = content_version()

    admin_save(curator_client, item, moderation_status=PUBLISHED)

    assert content_version() != version


@pytest.mark.parametrize("kind", KINDS)
def test_editing_a_published_item_or_its_links_moves_it(curator_client, kind):
    item = make_item(kind, PUBLISHED)
    edits = edits_of(item)
    version = content_version()

    admin_save(curator_client, item, **edits)

    assert_edited(item, edits)
    assert content_version() != version


@pytest.mark.parametrize("kind", KINDS)
def test_withdrawing_in_bulk_or_from_the_change_form_moves_it(curator_client, kind):
    rejected, held_back = make_item(kind, PUBLISHED), make_item(kind, PUBLISHED)
    version = content_version()

    run_admin_action(
        curator_client, changelist(rejected), "reject_selected", [rejected], apply="1", reason="Old"
    )
    after_rejecting = content_version()
    admin_save(curator_client, held_back, moderation_status=PENDING)

    assert len({version, after_rejecting, content_version()}) == 3


@pytest.mark.parametrize("kind", KINDS)
def test_deleting_a_published_item_moves_it(curator_client, kind):
    item = make_item(kind, PUBLISHED)
    version = content_version()

    admin_delete(curator_client, item)

    assert content_version() != version


@pytest.mark.parametrize("kind", KINDS)
def test_erasing_a_published_contributor_moves_it(curator_client, kind):
    item = make_item(kind, PUBLISHED)
    type(item).objects.filter(pk=item.pk).update(contributor_name="Ada", contributor_email="a@b.c")
    version = content_version()

    run_admin_action(curator_client, changelist(item), "erase_contributor", [item], apply="1")

    assert content_version() != version
