"""The lesson admin: curators' bulk moderation, the queue order, themes, and who may enter."""

import pytest
from django.urls import reverse

from core.moderation import ModerationStatus
from lessons.models import Lesson
from tests.factories import make_lesson, make_partnership, make_theme
from tests.helpers import admin_answers_to_visitor_and_member, run_admin_action

pytestmark = pytest.mark.django_db


def test_publish_action_publishes_exactly_the_selected_lessons(curator_client):
    theme = make_theme()
    chosen = [make_lesson(themes=[theme], moderation="pending") for _ in range(2)]
    left_alone = make_lesson(themes=[theme], moderation="pending")
    rejected = make_lesson(themes=[theme], moderation="rejected")

    response = run_admin_action(
        curator_client, reverse("admin:lessons_lesson_changelist"), "publish_selected", chosen
    )

    assert response.status_code == 200
    assert "2 items were published." in response.content.decode()
    statuses = dict(Lesson.objects.values_list("pk", "moderation_status"))
    assert [statuses[lesson.pk] for lesson in chosen] == ["published", "published"]
    assert statuses[left_alone.pk] == "pending"
    assert statuses[rejected.pk] == "rejected"
    assert all(Lesson.objects.get(pk=lesson.pk).published_at for lesson in chosen)
    assert Lesson.objects.get(pk=left_alone.pk).published_at is None


def test_reject_action_rejects_exactly_the_selected_lessons(curator_client):
    theme = make_theme()
    chosen = make_lesson(themes=[theme], moderation="published")
    left_alone = make_lesson(themes=[theme], moderation="pending")

    url = reverse("admin:lessons_lesson_changelist")
    confirm = run_admin_action(curator_client, url, "reject_selected", [chosen])
    assert "Why is it not being published?" in confirm.content.decode()
    assert Lesson.objects.get(pk=chosen.pk).moderation_status == "published"

    response = run_admin_action(
        curator_client, url, "reject_selected", [chosen], apply="1", reason="Not a lesson"
    )

    assert "1 item was rejected." in response.content.decode()
    assert Lesson.objects.get(pk=chosen.pk).rejection_reason == "Not a lesson"
    assert Lesson.objects.get(pk=chosen.pk).moderation_status == "rejected"
    assert Lesson.objects.get(pk=left_alone.pk).moderation_status == "pending"
    # Withdrawn from the public site at once.
    assert curator_client.get(chosen.get_absolute_url()).status_code == 404


def test_moderation_queue_lists_pending_items_first(curator_client):
    theme = make_theme()
    make_lesson(title="Old published", themes=[theme])
    make_lesson(title="Waiting for review", themes=[theme], moderation="pending")
    make_lesson(title="Newest published", themes=[theme])

    response = curator_client.get(reverse("admin:lessons_lesson_changelist"))

    titles = [lesson.title for lesson in response.context["cl"].result_list]
    assert titles[0] == "Waiting for review"
    assert set(titles[1:]) == {"Old published", "Newest published"}


def test_curator_can_filter_and_search_lessons(curator_client):
    theme = make_theme(title="Be Transparent", number=6)
    make_lesson(title="Measure on two levels", themes=[theme], tags=["measurement"])
    make_lesson(title="Something else", themes=[make_theme()])

    url = reverse("admin:lessons_lesson_changelist")
    by_theme = curator_client.get(url, {"themes__id__exact": theme.pk})
    by_search = curator_client.get(url, {"q": "measurement"})
    by_status = curator_client.get(url, {"moderation_status__exact": ModerationStatus.PENDING})

    assert [o.title for o in by_theme.context["cl"].result_list] == ["Measure on two levels"]
    assert [o.title for o in by_search.context["cl"].result_list] == ["Measure on two levels"]
    assert list(by_status.context["cl"].result_list) == []


@pytest.mark.parametrize(
    "url_name",
    ["admin:index", "admin:lessons_lesson_changelist", "admin:lessons_theme_changelist"],
)
def test_visitors_and_non_staff_users_cannot_reach_the_admin(client, django_user_model, url_name):
    answers = admin_answers_to_visitor_and_member(client, django_user_model, reverse(url_name))

    for response in answers:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_non_staff_user_cannot_run_a_bulk_action(client, django_user_model):
    lesson = make_lesson(themes=[make_theme()], moderation="pending")
    member = django_user_model.objects.create_user("visitor", "v@example.org", "pw-visitor-1")
    client.force_login(member)

    run_admin_action(
        client, reverse("admin:lessons_lesson_changelist"), "publish_selected", [lesson]
    )

    assert Lesson.objects.get(pk=lesson.pk).moderation_status == "pending"


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:lessons_theme_changelist",
        "admin:lessons_lesson_changelist",
        "admin:lessons_lesson_add",
        "admin:taggit_tag_changelist",
        "admin:lessons_quote_changelist",
        "admin:lessons_source_changelist",
    ],
)
def test_every_curation_page_opens_for_a_curator(curator_client, url_name):
    make_lesson(themes=[make_theme()], tags=["trust"])
    make_partnership(tags=["water"])

    response = curator_client.get(reverse(url_name))

    assert response.status_code == 200


def test_themes_are_listed_in_report_order_and_editable(curator_client):
    from lessons.models import Theme

    second = make_theme(title="Identify Internal Champions", number=2)
    first = make_theme(title="Understand Partnership Motivations", number=1)

    listing = curator_client.get(reverse("admin:lessons_theme_changelist"))
    assert list(listing.context["cl"].result_list) == [first, second]

    response = curator_client.post(
        reverse("admin:lessons_theme_change", args=[first.pk]),
        {
            "number": 1,
            "title": first.title,
            "slug": first.slug,
            "summary": "A new one-line summary",
            "text": first.text,
            "guiding_questions": "Why are we here?\nWhat does each partner want?",
            "quotes-TOTAL_FORMS": 0,
            "quotes-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    first = Theme.objects.get(pk=first.pk)
    assert first.summary == "A new one-line summary"
    assert first.question_list == ["Why are we here?", "What does each partner want?"]
