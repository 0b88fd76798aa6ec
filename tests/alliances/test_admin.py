"""The case-study admin: curators' bulk moderation and partners edited inline."""

import pytest
from django.urls import reverse

from alliances.models import Organisation, Partnership
from tests.factories import make_lesson, make_partnership, make_theme
from tests.helpers import admin_answers_to_visitor_and_member, run_admin_action

pytestmark = pytest.mark.django_db


def test_bulk_actions_on_partnerships_change_exactly_the_selected_rows(curator_client):
    url = reverse("admin:alliances_partnership_changelist")
    first, second, third = (make_partnership(moderation="pending") for _ in range(3))

    run_admin_action(curator_client, url, "publish_selected", [first, third])
    run_admin_action(curator_client, url, "reject_selected", [second], apply="1")

    statuses = dict(Partnership.objects.values_list("pk", "moderation_status"))
    assert statuses == {first.pk: "published", second.pk: "rejected", third.pk: "published"}


def test_partners_are_edited_inline_on_a_partnership(curator_client):
    organisation = Organisation.objects.create(name="Org", slug="org", sector="business")
    response = curator_client.post(
        reverse("admin:alliances_partnership_add"),
        {
            "name": "Water for All",
            "slug": "water-for-all",
            "summary": "A water partnership.",
            "status": "active",
            "outcome": "mixed",
            "moderation_status": "published",
            "tags": "Water, Trust",
            "participations-TOTAL_FORMS": 1,
            "participations-INITIAL_FORMS": 0,
            "participations-0-organisation": organisation.pk,
            "participations-0-role": "funder",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    partnership = Partnership.objects.get(slug="water-for-all")
    assert [(p.organisation, p.role) for p in partnership.participations.all()] == [
        (organisation, "funder")
    ]
    assert sorted(tag.name for tag in partnership.tags.all()) == ["Trust", "Water"]
    assert partnership.published_at is not None


def test_visitors_and_non_staff_users_cannot_reach_the_case_study_admin(client, django_user_model):
    url = reverse("admin:alliances_partnership_changelist")
    answers = admin_answers_to_visitor_and_member(client, django_user_model, url)

    for response in answers:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:alliances_partnership_changelist",
        "admin:alliances_partnership_add",
        "admin:alliances_organisation_changelist",
    ],
)
def test_every_case_study_curation_page_opens_for_a_curator(curator_client, url_name):
    make_lesson(themes=[make_theme()], tags=["trust"])
    make_partnership(tags=["water"])

    response = curator_client.get(reverse(url_name))

    assert response.status_code == 200
