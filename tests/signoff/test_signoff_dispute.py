"""A partner disputes a published case study; a curator, from the Partner responses list, asks
its contributor for changes through the real admin with a curator's permissions. The case
study leaves the site, the contributor's email (through a real SMTP server) carries the
curator's words and the edit link, they revise it through that link, it returns to the queue
marked revised, and once published again the partners' answers and links are as they were,
with no second email to them."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from alliances.models import Partnership, PartnerSignoff, SignoffAnswer
from core import history, mail
from core.moderation import ModerationStatus
from tests.admin_forms import admin_form
from tests.core.test_moderation_log import CURATOR_PERMISSIONS
from tests.factories import make_organisation, make_partnership
from tests.form_data import partnership_data
from tests.helpers import run_admin_action
from tests.mail_server import parts
from tests.signoff.helpers import contact_data

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://[^\s\"<>]+")
DISPUTE = "We funded the pumps; the ministry only convened."
WORDS = "Pumps plc says it funded the pumps: please check each partner's role."
RESPONSES = reverse("admin:alliances_partnersignoff_changelist")
CASE_STUDIES = reverse("admin:alliances_partnership_changelist")


def staff(django_user_model, username, codenames):
    user = django_user_model.objects.create_user(username, f"{username}@example.org")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(django_user_model):
    return staff(
        django_user_model,
        "mira",
        [*CURATOR_PERMISSIONS, "view_partnersignoff", "change_partnersignoff"],
    )


def links(message, part):
    return [urlsplit(url).path for url in LINK.findall(parts(message)[0]) if part in url]


def public_answers(partnership, slug):
    """What visitors get for the case study: its page, the list, search, API, feed, sitemap."""
    visitor = Client()
    pages = {
        partnership.get_absolute_url(): 404,
        reverse("browse:partnership-list"): 200,
        reverse("search:search") + "?q=Small+Towns": 200,
        "/api/v1/partnerships": 200,
        f"/api/v1/partnerships/{slug}": 404,
        reverse("pages:partnership-feed"): 200,
        reverse("pages:sitemap-section", args=["partnerships"]): 200,
    }
    found = {}
    for address in pages:
        response = visitor.get(address)
        assert response.status_code in (200, 404), address
        body = b"".join(response) if response.streaming else response.content
        text = body.decode()
        # A "not found" page may echo the address asked for, never the case study.
        echoed = response.status_code == 200 and slug in text
        found[address] = (response.status_code, echoed or "Water for Small Towns" in text)
    return pages, found


def test_a_disputed_case_study_goes_back_to_its_contributor_and_returns(
    smtp_inbox, settings, staff_client
):
    settings.SITE_URL = "http://testserver"
    contributor = Client()
    data = partnership_data(**contact_data("ana@ministry.example", "bo@pumps.example"))
    assert contributor.post(reverse("submissions:partnership-submit"), data).status_code == 302
    partnership = Partnership.objects.get()
    run_admin_action(staff_client, CASE_STUDIES, "publish_selected", [partnership])
    mail.drain()
    asked = {
        str(m["To"]): links(m, "/signoff/")[0] for m in smtp_inbox.messages if links(m, "/signoff/")
    }
    assert sorted(asked) == ["ana@ministry.example", "bo@pumps.example"]
    ana, bo = Client(), Client()
    assert ana.post(asked["ana@ministry.example"], {"answer": "confirmed"}).status_code == 302
    answer = {"answer": "disputed", "comment": DISPUTE}
    assert bo.post(asked["bo@pumps.example"], answer).status_code == 302
    pages, found = public_answers(partnership, partnership.slug)
    assert all(shown for _, shown in found.values()), list(found.items())  # all public now

    # The responses list: the dispute first, linked to its case study's change page.
    change = reverse("admin:alliances_partnership_change", args=[partnership.pk])
    listing = staff_client.get(RESPONSES).content.decode()
    assert f'<a href="{change}">Water for Small Towns</a>' in listing
    assert "Ask the contributor for changes…" in listing
    dispute = PartnerSignoff.objects.get(answer=SignoffAnswer.DISPUTED)

    confirm = run_admin_action(staff_client, RESPONSES, "request_changes", [dispute])
    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert "What should the contributor change?" in page
    assert f'action="{CASE_STUDIES}"' in page  # applied by the case studies' own action
    assert f'name="_selected_action" value="{partnership.pk}"' in page
    assert (
        "This item is published now and will be taken off the site until a curator "
        "publishes it again:</strong> “Water for Small Towns”" in page
    )
    partnership.refresh_from_db()
    assert partnership.moderation_status == ModerationStatus.PUBLISHED  # nothing yet
    before = len(smtp_inbox.messages)

    done = run_admin_action(
        staff_client,
        CASE_STUDIES,
        "request_changes",
        [partnership],
        apply="1",
        message=WORDS,
        notify="on",
    )
    assert "1 item was sent back to its contributor." in done.content.decode()
    partnership.refresh_from_db()
    assert partnership.moderation_status == ModerationStatus.CHANGES_REQUESTED
    pages, found = public_answers(partnership, partnership.slug)
    for address, status in pages.items():
        assert found[address] == (status, False), address
    assert ana.get(asked["ana@ministry.example"]).status_code == 404  # nothing through links

    mail.drain()
    assert smtp_inbox.wait_for(before + 1)
    [told] = smtp_inbox.messages[before:]
    assert str(told["To"]) == "Sam Example <sam@example.org>"
    text = parts(told)[0]
    assert WORDS in text
    assert "it is not shown on the site" in text
    [status_page] = links(told, "/submissions/")

    # The contributor edits it through the emailed link.
    assert "please check each partner&#x27;s role." in contributor.get(status_page).content.decode()
    edit = reverse("submissions:revise", args=[partnership.status_token])
    revised = admin_form(Client(), edit, summary="The ministry convened; Pumps plc funded.")
    assert Client().post(edit, revised).status_code == 302
    partnership.refresh_from_db()
    assert partnership.moderation_status == ModerationStatus.PENDING
    assert partnership.revised_at is not None
    assert partnership.summary == "The ministry convened; Pumps plc funded."
    queue = staff_client.get(CASE_STUDIES, {"revised": "yes"}).content.decode()
    assert "Water for Small Towns" in queue
    assert public_answers(partnership, partnership.slug)[1][partnership.get_absolute_url()] == (
        404,
        False,
    )

    # Published again: the answers stand, the links work, nobody is asked twice.
    count = len(smtp_inbox.messages)
    run_admin_action(staff_client, CASE_STUDIES, "publish_selected", [partnership])
    mail.drain()
    assert smtp_inbox.wait_for(count + 1)  # the contributor's "published"
    assert not any(links(m, "/signoff/") for m in smtp_inbox.messages[count:])
    answers = dict(
        PartnerSignoff.objects.values_list("contact_email", "answer").order_by("contact_email")
    )
    assert answers == {"ana@ministry.example": "confirmed", "bo@pumps.example": "disputed"}
    assert DISPUTE in bo.get(asked["bo@pumps.example"]).content.decode()
    assert ana.get(asked["ana@ministry.example"]).status_code == 200
    html = Client().get(partnership.get_absolute_url()).content.decode()
    assert "Confirmed by 1 of 2 partners: Ministry of Water." in html


def test_without_permission_to_change_case_studies_nothing_is_sent_back(django_user_model):
    partnership = make_partnership(partners=[(make_organisation(), "lead")], status_token="t" * 40)
    with history.revision(by_contributor=True, comment="Test answer."):
        signoff = PartnerSignoff.objects.create(
            participation=partnership.participations.get(), answer=SignoffAnswer.DISPUTED
        )
    responses_only = staff(
        django_user_model, "rae", ["view_partnersignoff", "change_partnersignoff"]
    )

    response = run_admin_action(responses_only, RESPONSES, "request_changes", [signoff])

    page = response.content.decode()
    assert "Nothing was sent back: you may not change case studies." in page
    assert "What should the contributor change?" not in page
    partnership.refresh_from_db()
    assert partnership.moderation_status == ModerationStatus.PUBLISHED
