"""A case study's own status (forming, active, concluded, dissolved), apart from moderation."""

import pytest
from django.urls import reverse

from alliances.models import Status
from core.moderation import ModerationStatus
from tests.factories import make_partnership

pytestmark = pytest.mark.django_db

PARTNERSHIPS = reverse("browse:partnership-list")


def status_options(response):
    """The Status facet's options: {value: (count, checked)}."""
    facet = next(f for f in response.context["facets"] if f.name == "status")
    return {option.value: (option.count, option.selected) for option in facet.options}


def names(response):
    return sorted(partnership.name for partnership in response.context["object_list"])


@pytest.fixture
def ended():
    """One active, one concluded and one dissolved case study, and a pending concluded one."""
    make_partnership(name="Still Running", status=Status.ACTIVE)
    make_partnership(name="Job Done", status=Status.CONCLUDED)
    make_partnership(name="Fell Apart", status=Status.DISSOLVED)
    make_partnership(
        name="Pending Ending", status=Status.CONCLUDED, moderation=ModerationStatus.PENDING
    )


def test_the_factory_sets_the_status_field_apart_from_the_moderation_status():
    concluded = make_partnership(status=Status.CONCLUDED)
    dissolved = make_partnership(status=Status.DISSOLVED, moderation=ModerationStatus.PENDING)

    concluded.refresh_from_db()
    dissolved.refresh_from_db()
    assert (concluded.status, concluded.moderation_status) == ("concluded", "published")
    assert concluded.published_at is not None
    assert (dissolved.status, dissolved.moderation_status) == ("dissolved", "pending")
    assert dissolved.published_at is None


def test_status_facet_counts_each_status_among_published_case_studies(client, ended):
    response = client.get(PARTNERSHIPS)

    assert response.status_code == 200
    assert status_options(response) == {
        "active": (1, False),
        "concluded": (1, False),  # the pending concluded one is not counted
        "dissolved": (1, False),
    }
    assert "forming" not in status_options(response)
    assert "Pending Ending" not in response.content.decode()


def test_filtering_by_concluded_lists_exactly_the_concluded_case_study(client, ended):
    response = client.get(PARTNERSHIPS, {"status": "concluded"})

    assert response.status_code == 200
    assert names(response) == ["Job Done"]
    html = response.content.decode()
    assert "1 case study matches your filters" in html
    for absent in ("Still Running", "Fell Apart", "Pending Ending"):
        assert absent not in html
    # The facet's own options are counted without its own filter, the chosen one checked.
    assert status_options(response) == {
        "active": (1, False),
        "concluded": (1, True),
        "dissolved": (1, False),
    }
    labels = [item["label"] for item in response.context["active_filters"]]
    assert labels == ["Concluded"]


def test_concluded_and_dissolved_together_leave_out_the_active_one(client, ended):
    response = client.get(PARTNERSHIPS, [("status", "concluded"), ("status", "dissolved")])

    assert response.status_code == 200
    assert names(response) == ["Fell Apart", "Job Done"]
    html = response.content.decode()
    assert "2 case studies match your filters" in html
    assert "Still Running" not in html and "Pending Ending" not in html
    assert status_options(response) == {
        "active": (1, False),
        "concluded": (1, True),
        "dissolved": (1, True),
    }
