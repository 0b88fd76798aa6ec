"""Sharing a case study: partners in a formset, organisations matched by name, nothing lost."""

import pytest
from django.urls import reverse

from alliances.models import Organisation, Participation, Partnership
from core.models import SubmissionRecord
from core.moderation import ModerationStatus
from tests.form_data import partnership_data

pytestmark = pytest.mark.django_db

SUBMIT = reverse("submissions:partnership-submit")


def test_the_form_opens_with_rows_for_partners(client):
    response = client.get(SUBMIT)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="partners-0-name"' in html and 'name="partners-3-role"' in html
    assert "Did not work out as planned" in html


def test_a_valid_case_study_is_stored_whole_and_pending(client, ministry):
    response = client.post(SUBMIT, partnership_data())

    assert response.status_code == 302
    partnership = Partnership.objects.get()
    assert partnership.moderation_status == ModerationStatus.PENDING
    assert partnership.slug == "water-for-small-towns"
    partners = {(p.organisation.name, p.role) for p in partnership.participations.all()}
    assert partners == {("Ministry of Water", "convener"), ("Pumps plc", "funder")}
    # An existing organisation is matched by name, not duplicated.
    assert Organisation.objects.filter(name__iexact="ministry of water").get() == ministry
    assert sorted(tag.name for tag in partnership.tags.all()) == ["Trust", "water"]
    assert client.get(partnership.get_absolute_url()).status_code == 404
    assert client.get(ministry.get_absolute_url()).status_code == 404


def test_organisations_are_matched_whatever_the_case_and_spacing(client, pumps):
    client.post(
        SUBMIT,
        partnership_data(
            [("  pumps   PLC ", "business", "funder"), ("Wells Trust", "civil_society", "lead")]
        ),
    )

    assert Organisation.objects.count() == 2
    assert Participation.objects.get(role="funder").organisation == pumps


@pytest.mark.parametrize(
    "partners, message",
    [
        ([("Only One", "business", "lead")], "at least two partners"),
        (
            [("Pumps plc", "business", "lead"), ("Taps plc", "business", "funder")],
            "at least two sectors",
        ),
    ],
)
def test_partner_rules_are_explained(client, partners, message):
    response = client.post(SUBMIT, partnership_data(partners))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'href="#partners"' in html
    assert "Water for Small Towns" in html  # nothing typed is lost
    assert not Partnership.objects.exists() and not Organisation.objects.exists()


def test_an_incomplete_partner_row_is_pointed_out(client):
    data = partnership_data(
        [("Pumps plc", "business", "lead"), ("Ministry", "", "convener"), ("", "", "")]
    )

    response = client.post(SUBMIT, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose the organisation&#x27;s sector." in html
    assert 'href="#id_partners-1-sector"' in html
    assert 'value="Ministry"' in html


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name": ""}, "name", "This field is required"),
        ({"summary": "s" * 601}, "summary", "at most 600 characters"),
        ({"start_year": "2015", "end_year": "2010"}, "end_year", "can't be before the start"),
        ({"start_year": "1492"}, "start_year", "from 1900 on"),
        ({"start_year": "twenty"}, "start_year", "Enter a whole number"),
        ({"outcome": ""}, "outcome", "This field is required"),
        ({"status": "imaginary"}, "status", "Select a valid choice"),
    ],
)
def test_invalid_case_studies_come_back_with_messages(client, overrides, field, message):
    response = client.post(SUBMIT, partnership_data(**overrides))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'href="#id_{field}"' in response.content.decode()
    assert "Sam Example" in response.content.decode()
    assert not Partnership.objects.exists()
    assert not Organisation.objects.exists()
    assert not SubmissionRecord.objects.exists()


def test_honeypot_and_rate_limit_apply_to_case_studies(client, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    # Caught spam is thanked like a stored submission, so it counts like one.
    assert client.post(SUBMIT, partnership_data(website="http://spam.example")).status_code == 302
    assert not Partnership.objects.exists()

    assert client.post(SUBMIT, partnership_data()).status_code == 302
    limited = client.post(SUBMIT, partnership_data(name="Second case"))
    spam = client.post(SUBMIT, partnership_data(name="Spam", website="http://spam.example"))

    assert (limited.status_code, spam.status_code) == (429, 429)
    assert Partnership.objects.count() == 1


def test_a_slug_taken_by_another_case_study_gets_a_number(client):
    client.post(SUBMIT, partnership_data())
    client.post(SUBMIT, partnership_data())

    assert sorted(Partnership.objects.values_list("slug", flat=True)) == [
        "water-for-small-towns",
        "water-for-small-towns-2",
    ]


def test_hidden_partner_names_stay_hidden_when_published(client):
    client.post(SUBMIT, partnership_data(hide_partner_names="on"))
    Partnership.objects.publish()
    partnership = Partnership.objects.get()
    ministry = Organisation.objects.get(name="Ministry of Water")

    page = client.get(partnership.get_absolute_url()).content.decode()
    listing = client.get(reverse("browse:partnership-list")).content.decode()

    assert "Ministry of Water" not in page and "Pumps plc" not in page
    assert "A partner from government" in page and "Convener" in page
    assert "Ministry of Water" not in listing
    assert client.get(ministry.get_absolute_url()).status_code == 404
