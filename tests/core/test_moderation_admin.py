"""The moderated admin shared by lessons and case studies: bulk actions are recorded in the
admin log like single edits, and a contributor's personal data is erased everywhere at once."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.services import ERASED_MESSAGE
from lessons.models import Lesson
from tests.factories import make_lesson, make_partnership, make_theme
from tests.helpers import run_admin_action

pytestmark = pytest.mark.django_db

LESSONS = reverse("admin:lessons_lesson_changelist")
CASE_STUDIES = reverse("admin:alliances_partnership_changelist")


def make_lesson_to_moderate(**fields):
    return make_lesson(themes=[make_theme()], **fields)


KINDS = {
    "lessons": (LESSONS, make_lesson_to_moderate),
    "case studies": (CASE_STUDIES, make_partnership),
}


def log_of(items):
    """(user, object, action, message) of every admin log entry about these items."""
    entries = []
    for item in items:
        content_type = ContentType.objects.get_for_model(item)
        entries += [
            (entry.user_id, item.pk, entry.action_flag, entry.change_message)
            for entry in LogEntry.objects.filter(content_type=content_type, object_id=str(item.pk))
        ]
    return sorted(entries)


# Bulk actions in the admin log ----------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_bulk_publish_logs_each_item_it_changed_and_none_it_did_not(admin_client, admin_user, kind):
    url, make = KINDS[kind]
    pending = [make(moderation="pending") for _ in range(2)]
    rejected = make(moderation="rejected")
    already_published = make(moderation="published")

    response = run_admin_action(
        admin_client, url, "publish_selected", [*pending, rejected, already_published]
    )

    assert "3 items were published." in response.content.decode()
    changed = [*pending, rejected]
    assert log_of(changed) == sorted(
        (admin_user.pk, item.pk, CHANGE, "Published.") for item in changed
    )
    assert log_of([already_published]) == []
    assert LogEntry.objects.count() == 3


@pytest.mark.parametrize("kind", KINDS)
def test_bulk_reject_logs_the_reason_for_each_item_it_changed(admin_client, admin_user, kind):
    url, make = KINDS[kind]
    published, pending = make(moderation="published"), make(moderation="pending")
    already_rejected = make(moderation="rejected")

    run_admin_action(
        admin_client,
        url,
        "reject_selected",
        [published, pending, already_rejected],
        apply="1",
        reason="Not a lesson from a partnership",
    )

    assert log_of([published, pending]) == sorted(
        (admin_user.pk, item.pk, CHANGE, "Rejected: Not a lesson from a partnership")
        for item in (published, pending)
    )
    assert log_of([already_rejected]) == []


def test_asking_for_a_reason_logs_nothing_yet(admin_client):
    lesson = make_lesson_to_moderate(moderation="pending")

    run_admin_action(admin_client, LESSONS, "reject_selected", [lesson])

    assert LogEntry.objects.count() == 0


def test_a_bulk_publication_shows_in_the_items_history_like_an_edit(admin_client):
    lesson = make_lesson_to_moderate(moderation="pending")

    run_admin_action(admin_client, LESSONS, "publish_selected", [lesson])
    history = admin_client.get(reverse("admin:lessons_lesson_history", args=[lesson.pk]))

    assert history.status_code == 200
    assert "Published." in history.content.decode()
    assert "admin" in history.content.decode()


# Erasing a contributor's personal data ---------------------------------------------------

ADA = {
    "contributor_name": "Ada Example",
    "contributor_organisation": "Ministry of Examples",
    "contributor_sector": "government",
}


@pytest.fixture
def ada_and_others():
    """Ada sent in two lessons and a case study, her email spelt in three cases; Bob sent in
    a lesson; an emailless 'Ada Example' of the same ministry may or may not be her."""
    theme = make_theme()
    return {
        "lesson": make_lesson(
            title="Ada's first lesson", themes=[theme], contributor_email="Ada@Example.org", **ADA
        ),
        "pending lesson": make_lesson(
            title="Ada's pending lesson",
            themes=[theme],
            moderation="pending",
            contributor_email="ada@EXAMPLE.ORG",
            **ADA,
        ),
        "case study": make_partnership(
            name="Ada's case study", contributor_email="ADA@example.org", **ADA
        ),
        "bob": make_lesson(
            title="Bob's lesson",
            themes=[theme],
            contributor_name="Bob Other",
            contributor_email="bob@example.org",
        ),
        "no email": make_partnership(name="Unsigned case study", **ADA),
    }


def personal_data(item):
    item.refresh_from_db()
    return (
        item.contributor_name,
        item.contributor_organisation,
        item.contributor_sector,
        item.contributor_email,
        item.publish_anonymously,
    )


ERASED = ("", "", "", "", True)


@pytest.mark.parametrize("start_from", ["lesson", "case study"])
def test_erasing_lists_then_erases_everything_sent_in_with_that_email_in_any_case(
    admin_client, admin_user, ada_and_others, start_from
):
    items = ada_and_others
    selected = items[start_from]
    url = LESSONS if isinstance(selected, Lesson) else CASE_STUDIES
    hers = [items["lesson"], items["pending lesson"], items["case study"]]

    confirm = run_admin_action(admin_client, url, "erase_contributor", [selected])

    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Erase from 3 items" in page
    for item in hers:
        assert str(item).replace("'", "&#x27;") in page
    assert "Bob&#x27;s lesson" not in page
    assert "Unsigned case study" not in page
    assert all(personal_data(item) != ERASED for item in items.values())
    assert LogEntry.objects.count() == 0

    done = run_admin_action(admin_client, url, "erase_contributor", [selected], apply="1")

    assert "personal data was erased from 3 items." in done.content.decode()
    assert [personal_data(item) for item in hers] == [ERASED] * 3
    assert personal_data(items["bob"])[0] == "Bob Other"
    assert personal_data(items["no email"])[0] == "Ada Example"
    assert log_of(hers) == sorted((admin_user.pk, item.pk, CHANGE, ERASED_MESSAGE) for item in hers)
    assert LogEntry.objects.count() == 3
    # What she wrote stays, published without her name.
    lesson_page = admin_client.get(items["lesson"].get_absolute_url()).content.decode()
    assert "Ada&#x27;s first lesson" in lesson_page
    assert "Ada Example" not in lesson_page
    assert "Ministry of Examples" not in lesson_page


def test_erasing_again_finds_nothing_and_logs_nothing(admin_client, ada_and_others):
    lesson = ada_and_others["lesson"]
    run_admin_action(admin_client, LESSONS, "erase_contributor", [lesson], apply="1")

    again = run_admin_action(admin_client, LESSONS, "erase_contributor", [lesson], apply="1")

    assert "hold no contributor&#x27;s personal data" in again.content.decode()
    assert LogEntry.objects.count() == 3


def test_without_an_email_the_same_name_and_organisation_is_the_same_contributor(admin_client):
    named = {"contributor_name": "Zoë Ünal", "contributor_organisation": "Wells Trust"}
    selected = make_partnership(name="Selected", **named)
    same = make_lesson(
        title="Same person",
        themes=[make_theme()],
        contributor_name="ZOË  ünal",
        contributor_organisation="wells trust",
    )
    other_organisation = make_partnership(
        name="Other organisation", contributor_name="Zoë Ünal", contributor_organisation="Acme"
    )
    known_by_email = make_partnership(name="Known by email", contributor_email="z@x.org", **named)
    nobody = make_partnership(name="Nobody", contributor_organisation="Wells Trust")

    run_admin_action(admin_client, CASE_STUDIES, "erase_contributor", [selected], apply="1")

    assert personal_data(selected) == ERASED
    assert personal_data(same) == ERASED
    assert personal_data(other_organisation)[:2] == ("Zoë Ünal", "Acme")
    assert personal_data(known_by_email)[3] == "z@x.org"
    assert personal_data(nobody)[1] == "Wells Trust"


def test_an_item_naming_nobody_is_erased_alone(admin_client):
    selected = make_partnership(name="Selected", contributor_organisation="Wells Trust")
    same_organisation = make_partnership(name="Also", contributor_organisation="Wells Trust")

    run_admin_action(admin_client, CASE_STUDIES, "erase_contributor", [selected], apply="1")

    assert personal_data(selected) == ERASED
    assert personal_data(same_organisation)[1] == "Wells Trust"


def test_a_curator_who_may_not_change_case_studies_cannot_erase_them(
    client, django_user_model, ada_and_others
):
    curator = django_user_model.objects.create_user("lessons-only", password="pw-lessons-1")
    curator.is_staff = True
    curator.save()
    curator.user_permissions.set(
        Permission.objects.filter(codename__in=["view_lesson", "change_lesson"])
    )
    client.force_login(curator)

    response = run_admin_action(
        client, LESSONS, "erase_contributor", [ada_and_others["lesson"]], apply="1"
    )

    assert "Nothing was erased" in response.content.decode()
    assert "sent in partnerships, which you may not change" in response.content.decode()
    assert all(personal_data(item) != ERASED for item in ada_and_others.values())
    assert LogEntry.objects.count() == 0
