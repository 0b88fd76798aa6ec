"""Partner sign-off end to end through a real SMTP server (aiosmtpd on 127.0.0.1): a
contributor shares a case study with two partner contacts, a curator with a curator's
permissions publishes it in the admin, each partner's email is parsed with the ``email``
package and its link followed; one confirms, one disputes, and the page says so."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from alliances.models import Partnership, PartnerSignoff
from core import mail
from tests.core.test_moderation_log import CURATOR_PERMISSIONS
from tests.form_data import partnership_data
from tests.helpers import run_admin_action
from tests.mail_server import parts
from tests.signoff.helpers import contact_data

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://[^\s\"<>]+")
DISPUTE = "We funded the pumps; the ministry only convened."


@pytest.fixture
def staff_client(django_user_model):
    user = django_user_model.objects.create_user("mira", "mira@example.org", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=[*CURATOR_PERMISSIONS, "view_partnersignoff", "change_partnersignoff"]
        )
    )
    client = Client()
    client.force_login(user)
    return client


def signoff_link(message):
    text, html = parts(message)
    [link] = [url for url in LINK.findall(text) if "/signoff/" in url]
    assert f'href="{link}"' in html
    return urlsplit(link).path


def test_two_partners_asked_one_confirms_one_disputes(smtp_inbox, settings, staff_client):
    settings.SITE_URL = "http://testserver"
    contributor = Client()
    data = partnership_data(**contact_data("ana@ministry.example", "bo@pumps.example"))
    assert contributor.post(reverse("submissions:partnership-submit"), data).status_code == 302
    partnership = Partnership.objects.get()
    mail.drain()  # the curators' "to review" email
    before = len(smtp_inbox.messages)

    changelist = reverse("admin:alliances_partnership_changelist")
    response = run_admin_action(staff_client, changelist, "publish_selected", [partnership])
    assert "published" in response.content.decode()
    mail.drain()
    assert smtp_inbox.wait_for(before + 3)  # the contributor's "published" and two partners
    asked = {str(m["To"]): m for m in smtp_inbox.messages if "/signoff/" in parts(m)[0]}
    assert sorted(asked) == ["ana@ministry.example", "bo@pumps.example"]
    for message in asked.values():
        assert "Water for Small Towns" in message["Subject"]
        assert "http://testserver/partnerships/water-for-small-towns/" in parts(message)[0]

    ana, bo = Client(), Client()
    ana_page = signoff_link(asked["ana@ministry.example"])
    bo_page = signoff_link(asked["bo@pumps.example"])
    assert ana_page != bo_page
    assert "Ministry of Water" in ana.get(ana_page).content.decode()
    assert ana.post(ana_page, {"answer": "confirmed"}).status_code == 302
    assert bo.post(bo_page, {"answer": "disputed", "comment": DISPUTE}).status_code == 302

    visitor = Client()
    html = visitor.get(partnership.get_absolute_url()).content.decode()
    assert "Confirmed by 1 of 2 partners: Ministry of Water." in html
    assert "a partner sees this account differently" in html
    assert DISPUTE not in html

    responses = reverse("admin:alliances_partnersignoff_changelist")
    dispute = PartnerSignoff.objects.get(answer="disputed")
    run_admin_action(staff_client, responses, "approve_comments", [dispute])
    html = visitor.get(partnership.get_absolute_url()).content.decode()
    assert DISPUTE in html
    assert "Pumps plc (sees it differently):" in html

    # Published again later: nobody is asked twice.
    count = len(smtp_inbox.messages)
    Partnership.objects.filter(pk=partnership.pk).update(moderation_status="pending")
    run_admin_action(staff_client, changelist, "publish_selected", [partnership])
    mail.drain()
    assert not any("/signoff/" in parts(m)[0] for m in smtp_inbox.messages[count:])
