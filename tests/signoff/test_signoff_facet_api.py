"""“Confirmed by all partners” as a facet of /partnerships/ and a filter of the API, and the
API's public sign-off summary: never a contact, a link or an unapproved comment."""

import pytest
from django.urls import reverse

from alliances.models import PartnerSignoff, SignoffAnswer
from core.moderation import ModerationStatus
from tests.factories import make_organisation, make_partnership
from tests.helpers import page_queries
from tests.signoff.helpers import with_contacts

pytestmark = pytest.mark.django_db

LIST = reverse("browse:partnership-list")


def case_study(name, answers, moderation=ModerationStatus.PUBLISHED):
    organisations = [make_organisation() for _ in range(max(len(answers), 2))]
    partnership = make_partnership(
        name=name, partners=[(org, "lead") for org in organisations], moderation=moderation
    )
    signoffs = with_contacts(partnership, *[f"{i}@{partnership.slug}.org" for i in answers])
    for signoff, answer in zip(signoffs, answers, strict=False):
        PartnerSignoff.objects.filter(pk=signoff.pk).update(
            answer=answer, comment="Private words." if answer == "disputed" else ""
        )
    return partnership


@pytest.fixture
def mixed():
    confirmed = [SignoffAnswer.CONFIRMED, SignoffAnswer.CONFIRMED_WITH_COMMENT]
    return {
        "all": case_study("Every Partner Agrees", confirmed),
        "some": case_study("One Partner Silent", [SignoffAnswer.CONFIRMED, ""]),
        "disputed": case_study("Partners Disagree", [SignoffAnswer.CONFIRMED, "disputed"]),
        "none": case_study("Nobody Asked", []),
        "pending": case_study("Pending Agreement", confirmed, ModerationStatus.PENDING),
    }


def names_in(html):
    return {
        name
        for name in [
            "Every Partner Agrees",
            "One Partner Silent",
            "Partners Disagree",
            "Nobody Asked",
            "Pending Agreement",
        ]
        if name in html
    }


def test_the_facet_counts_and_keeps_only_case_studies_every_partner_confirmed(client, mixed):
    html = client.get(LIST).content.decode()
    assert "Confirmed by all partners" in html
    assert 'id="f-confirmed-all"' in html
    assert names_in(html) == {
        "Every Partner Agrees",
        "One Partner Silent",
        "Partners Disagree",
        "Nobody Asked",
    }

    html = client.get(LIST, {"confirmed": "all"}).content.decode()

    assert names_in(html) == {"Every Partner Agrees"}


def test_the_api_filters_by_confirmed_all(client, mixed):
    data = client.get("/api/v1/partnerships", {"confirmed": "all"}).json()

    assert [item["name"] for item in data["results"]] == ["Every Partner Agrees"]
    assert client.get("/api/v1/partnerships", {"confirmed": "some"}).status_code == 422


def test_the_api_detail_carries_the_public_summary_only(client, mixed):
    response = client.get(f"/api/v1/partnerships/{mixed['disputed'].slug}")

    signoff = response.json()["signoff"]
    assert signoff["partners"] == 2 and signoff["confirmed"] == 1
    assert signoff["disputed"] is True and signoff["all_confirmed"] is False
    assert signoff["comments"] == []
    raw = response.content.decode()
    assert "Private words." not in raw and "@" not in raw and "token" not in raw
    PartnerSignoff.objects.filter(answer="disputed").update(comment_approved=True)
    signoff = client.get(f"/api/v1/partnerships/{mixed['disputed'].slug}").json()["signoff"]
    assert signoff["comments"] == [
        {
            "partner": signoff["comments"][0]["partner"],
            "answer": "Sees it differently",
            "comment": "Private words.",
        }
    ]


def test_the_filtered_list_costs_the_same_queries_at_two_sizes(client):
    counts = []
    for size in (2, 8):
        for number in range(size):
            case_study(f"Agreed {size} {number}", [SignoffAnswer.CONFIRMED] * 2)
        counts.append(page_queries(client, LIST, {"confirmed": "all"}))
        counts.append(page_queries(client, "/api/v1/partnerships", {"confirmed": "all"}))
    assert counts[0] == counts[2] and counts[1] == counts[3]
