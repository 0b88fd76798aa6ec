"""Partner sign-off: contacts kept with a submission, one link each after publication, the
private page that takes (and changes) an answer and reveals nothing else."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alliances.models import Partnership, PartnerSignoff, SignoffAnswer
from core.models import ContentVersion, OutgoingMail
from core.moderation import ModerationStatus
from core.services import (
    contributor_erase,
    moderation_publish,
    moderation_reject,
    moderation_request_changes,
)
from tests.admin_forms import admin_form
from tests.factories import make_organisation, make_partnership
from tests.form_data import partnership_data
from tests.helpers import page_queries
from tests.signoff.helpers import contact_data, with_contacts

pytestmark = pytest.mark.django_db

SUBMIT = reverse("submissions:partnership-submit")


def signoff_mails():
    return list(OutgoingMail.objects.filter(kind="signoff_request").order_by("pk"))


def publish(partnership, curator):
    moderation_publish(items=Partnership.objects.filter(pk=partnership.pk), by=curator)


@pytest.fixture
def pending_with_contacts(ministry, pumps):
    partnership = make_partnership(
        name="Shared Wells",
        moderation=ModerationStatus.PENDING,
        partners=[(ministry, "convener"), (pumps, "funder")],
    )
    with_contacts(partnership, "ana@ministry.example", "bo@pumps.example")
    return partnership


def test_the_form_keeps_a_contact_per_partner(client):
    data = partnership_data(**contact_data("ana@ministry.example", ""))

    assert client.post(SUBMIT, data).status_code == 302

    [signoff] = PartnerSignoff.objects.all()
    assert signoff.contact_email == "ana@ministry.example"
    assert signoff.participation.organisation.name == "Ministry of Water"
    assert signoff.token is None and signoff.sent_at is None


def test_a_bad_contact_is_named_and_nothing_is_stored(client):
    data = partnership_data(**contact_data("not an address"))

    response = client.post(SUBMIT, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Give a whole email address, such as name@example.org." in html
    assert 'value="not an address"' in html
    assert not Partnership.objects.exists() and not PartnerSignoff.objects.exists()


def test_a_contact_without_an_organisation_is_refused(client):
    data = partnership_data(**{"partners-2-contact_email": "who@example.org"})

    response = client.post(SUBMIT, data)

    assert "Give the organisation&#x27;s name for this contact." in response.content.decode()
    assert not Partnership.objects.exists()


def test_publishing_queues_one_link_per_contact_once(pending_with_contacts, curator):
    publish(pending_with_contacts, curator)

    mails = signoff_mails()
    assert sorted(m.to for m in mails) == [["ana@ministry.example"], ["bo@pumps.example"]]
    signoffs = PartnerSignoff.objects.order_by("pk")
    assert all(s.token and s.sent_at and s.expires_at for s in signoffs)
    assert signoffs[0].token != signoffs[1].token
    assert reverse("signoff:answer", args=[signoffs[0].token]) in mails[0].body_text
    # Withdrawn and published again: no partner is asked twice.
    moderation_reject(
        items=Partnership.objects.filter(pk=pending_with_contacts.pk), reason="", by=curator
    )
    publish(pending_with_contacts, curator)
    assert len(signoff_mails()) == 2


def test_publishing_in_the_change_form_sends_the_links(pending_with_contacts, curator_client):
    url = reverse("admin:alliances_partnership_change", args=[pending_with_contacts.pk])
    data = admin_form(curator_client, url, moderation_status=ModerationStatus.PUBLISHED)

    response = curator_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(signoff_mails()) == 2


def test_a_rejection_sends_no_link(pending_with_contacts, curator):
    moderation_reject(
        items=Partnership.objects.filter(pk=pending_with_contacts.pk), reason="", by=curator
    )
    assert signoff_mails() == []


@pytest.fixture
def asked(pending_with_contacts, curator):
    publish(pending_with_contacts, curator)
    return list(PartnerSignoff.objects.order_by("pk"))


def page(signoff):
    return reverse("signoff:answer", args=[signoff.token])


def test_the_page_shows_the_case_study_and_takes_an_answer(client, asked):
    ana, bo = asked
    response = client.get(page(ana))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Shared Wells" in html and "Ministry of Water" in html
    assert response["Cache-Control"] == "private, no-store"
    assert "You have not answered yet." in html

    response = client.post(page(ana), {"answer": "confirmed"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "your answer is saved" in html and "<strong>Confirmed</strong>" in html
    ana.refresh_from_db()
    assert ana.answer == SignoffAnswer.CONFIRMED and ana.answered_at
    bo.refresh_from_db()
    assert bo.answer == ""


def test_the_answer_can_be_changed_and_a_new_comment_waits_for_approval(client, asked):
    ana, _ = asked
    client.post(page(ana), {"answer": "commented", "comment": "Fair, but late."})
    PartnerSignoff.objects.filter(pk=ana.pk).update(comment_approved=True)

    client.post(page(ana), {"answer": "disputed", "comment": "We led it, not them."})

    ana.refresh_from_db()
    assert ana.answer == SignoffAnswer.DISPUTED
    assert ana.comment == "We led it, not them." and not ana.comment_approved


def test_a_dispute_needs_words_and_keeps_what_was_typed(client, asked):
    ana, _ = asked
    response = client.post(page(ana), {"answer": "disputed", "comment": "  ", "hide_name": "on"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Say what you see differently" in html
    ana.refresh_from_db()
    assert ana.answer == "" and not ana.hide_name


def test_the_page_reveals_nothing_of_other_partners(client, asked):
    ana, bo = asked
    client.post(page(bo), {"answer": "disputed", "comment": "Secret objection text."})

    html = client.get(page(ana)).content.decode()

    assert "bo@pumps.example" not in html and "ana@ministry.example" not in html
    assert "Secret objection text." not in html and bo.token not in html
    assert "You have not answered yet." in html


@pytest.mark.parametrize("token", ["unknown-token", "x" * 65, "%00", "a/b"])
def test_an_unknown_link_is_a_clear_404(client, token):
    response = client.get(f"/signoff/{token}/")

    assert response.status_code == 404
    if token == "unknown-token":
        assert "This sign-off link is unknown or has expired" in response.content.decode()


def test_an_expired_link_answers_nothing(client, asked):
    ana, _ = asked
    PartnerSignoff.objects.filter(pk=ana.pk).update(expires_at=timezone.now() - timedelta(1))

    assert client.get(page(ana)).status_code == 404
    assert client.post(page(ana), {"answer": "confirmed"}).status_code == 404
    ana.refresh_from_db()
    assert ana.answer == ""


def test_a_withdrawn_case_study_is_never_shown_through_the_link(client, asked, curator):
    ana, _ = asked
    moderation_reject(items=Partnership.objects.filter(name="Shared Wells"), reason="", by=curator)

    response = client.get(page(ana))

    assert response.status_code == 404
    assert "Shared Wells" not in response.content.decode()


def test_an_answer_moves_the_content_version(client, asked):
    ana, _ = asked
    before = ContentVersion.objects.get().number

    client.post(page(ana), {"answer": "confirmed"})

    assert ContentVersion.objects.get().number > before


def test_answers_are_rate_limited(client, asked, settings):
    settings.SIGNOFFS_PER_HOUR = 2
    ana, _ = asked
    for _ in range(2):
        assert client.post(page(ana), {"answer": "confirmed"}).status_code == 302

    assert client.post(page(ana), {"answer": "disputed", "comment": "x"}).status_code == 429
    ana.refresh_from_db()
    assert ana.answer == SignoffAnswer.CONFIRMED


def test_erasing_the_contributor_erases_partner_contacts(pending_with_contacts, curator):
    Partnership.objects.filter(pk=pending_with_contacts.pk).update(
        contributor_email="sam@example.org"
    )
    pending_with_contacts.refresh_from_db()
    other = make_partnership(partners=[(make_organisation(), "lead")])
    [kept] = with_contacts(other, "kept@example.org")

    contributor_erase(items=[pending_with_contacts], by=curator)

    assert set(PartnerSignoff.objects.values_list("contact_email", flat=True)) == {
        "",
        "kept@example.org",
    }
    assert PartnerSignoff.objects.get(pk=kept.pk).contact_email == "kept@example.org"


def test_purge_erases_the_contacts_of_expired_links(asked):
    ana, bo = asked
    PartnerSignoff.objects.filter(pk=ana.pk).update(expires_at=timezone.now() - timedelta(1))

    call_command("purge_expired", stdout=StringIO())

    ana.refresh_from_db()
    bo.refresh_from_db()
    assert ana.contact_email == "" and bo.contact_email == "bo@pumps.example"


def test_a_revision_keeps_the_contacts(client, ministry, curator):
    client.post(SUBMIT, partnership_data(**contact_data("ana@ministry.example")))
    partnership = Partnership.objects.get()
    moderation_request_changes(
        items=Partnership.objects.filter(pk=partnership.pk), message="Shorter.", by=curator
    )
    edit = reverse("submissions:revise", args=[partnership.status_token])
    assert 'value="ana@ministry.example"' in client.get(edit).content.decode()

    data = partnership_data(summary="Shorter.", **contact_data("ana@ministry.example", "b@x.org"))
    data["partners-INITIAL_FORMS"] = "2"  # as the page renders it: two partners prefilled
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()
    contacts = PartnerSignoff.objects.values_list("contact_email", flat=True)
    assert sorted(contacts) == ["ana@ministry.example", "b@x.org"]


def test_the_signoff_page_costs_the_same_queries_at_two_sizes(client):
    counts = []
    for size in (2, 9):
        organisations = [make_organisation() for _ in range(size)]
        partnership = make_partnership(partners=[(org, "lead") for org in organisations])
        signoffs = with_contacts(partnership, *[f"p{i}@x.org" for i in range(size)])
        PartnerSignoff.objects.filter(pk__in=[s.pk for s in signoffs]).update(
            token=None, sent_at=timezone.now(), expires_at=timezone.now() + timedelta(days=1)
        )
        for number, signoff in enumerate(signoffs):
            PartnerSignoff.objects.filter(pk=signoff.pk).update(token=f"t{size}-{number}" * 4)
        counts.append(page_queries(client, reverse("signoff:answer", args=[f"t{size}-0" * 4])))
    assert counts[0] == counts[1]


def test_a_partner_added_in_the_publishing_save_is_asked_once(
    pending_with_contacts, curator_client, ministry
):
    """The publication is announced after the inline partners are saved, in the same save."""
    added = make_organisation(name="River Trust")
    url = reverse("admin:alliances_partnership_change", args=[pending_with_contacts.pk])
    data = admin_form(curator_client, url, moderation_status=ModerationStatus.PUBLISHED)
    assert data["participations-0-contact_email"] == ["ana@ministry.example"]
    new = int(data["participations-INITIAL_FORMS"][0])
    data.update(
        {
            f"participations-{new}-organisation": [str(added.pk)],
            f"participations-{new}-role": ["implementer"],
            f"participations-{new}-contact_email": ["cy@river.example"],
        }
    )

    response = curator_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    mails = signoff_mails()
    assert sorted(m.to for m in mails) == [
        ["ana@ministry.example"],
        ["bo@pumps.example"],
        ["cy@river.example"],
    ]
    [river] = [m for m in mails if m.to == ["cy@river.example"]]
    assert "River Trust" in river.body_text and "Shared Wells" in river.subject
    # Saved again, published all along: nobody is asked twice.
    data = admin_form(curator_client, url)
    assert curator_client.post(url, data).status_code == 302
    assert len(signoff_mails()) == 3


def test_a_curator_can_change_or_clear_a_contact_not_yet_asked(
    pending_with_contacts, curator_client
):
    url = reverse("admin:alliances_partnership_change", args=[pending_with_contacts.pk])
    data = admin_form(
        curator_client,
        url,
        **{"participations-0-contact_email": "", "participations-1-contact_email": "x@y.org"},
    )

    assert curator_client.post(url, data).status_code == 302

    contacts = PartnerSignoff.objects.order_by("participation__organisation__name")
    assert [s.contact_email for s in contacts] == ["", "x@y.org"]
    assert signoff_mails() == []


def test_a_contact_added_to_a_published_case_study_is_asked_once(asked, curator_client):
    partnership = asked[0].participation.partnership
    url = reverse("admin:alliances_partnership_change", args=[partnership.pk])
    data = admin_form(curator_client, url)
    new = int(data["participations-INITIAL_FORMS"][0])
    data.update(
        {
            f"participations-{new}-organisation": [str(make_organisation(name="River Trust").pk)],
            f"participations-{new}-role": ["implementer"],
            f"participations-{new}-contact_email": ["cy@river.example"],
        }
    )

    assert curator_client.post(url, data).status_code == 302
    assert curator_client.post(url, admin_form(curator_client, url)).status_code == 302

    assert [m.to for m in signoff_mails()] == [
        ["ana@ministry.example"],
        ["bo@pumps.example"],
        ["cy@river.example"],
    ]
