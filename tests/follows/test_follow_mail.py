"""Following by email end to end through a real SMTP server (aiosmtpd on 127.0.0.1): the
messages parsed with the ``email`` package, their links followed with the test client."""

import re
from datetime import UTC, timedelta
from email.utils import parseaddr, parsedate_to_datetime
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from core import mail
from follows.models import State, Subscriber, Subscription
from tests.factories import make_lesson, make_theme
from tests.follows.helpers import ask
from tests.mail_server import parts

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://[^\s\"<>]+")


def path_of(url):
    return urlsplit(url).path


def test_follow_confirm_digest_and_one_click_unsubscribe_through_smtp(smtp_inbox, settings):
    settings.SITE_URL = "http://testserver"
    theme = make_theme(title="Bâtir la confiance")
    client = Client()
    assert ask(client, "zoe@example.org", query=f"theme={theme.slug}").status_code == 302
    assert mail.drain().sent == 1
    [confirmation] = smtp_inbox.messages
    # Django folds an encoded subject before its first word; readers drop that space.
    assert (
        confirmation["Subject"].strip()
        == "Confirm: follow “Theme: Bâtir la confiance” on Uncommon Alliances"
    )
    assert parseaddr(confirmation["From"])[1] == "noreply@uncommon-alliances.invalid"
    assert confirmation["Message-ID"].strip().startswith("<")
    sent = parsedate_to_datetime(confirmation["Date"])
    sent = sent if sent.tzinfo else sent.replace(tzinfo=UTC)  # "-0000": UTC, zone unsaid
    assert abs(sent - timezone.now()) < timedelta(hours=1)
    text, html = parts(confirmation)
    confirm_url = next(url for url in LINK.findall(text) if "/follow/confirm/" in url)
    assert f'href="{confirm_url}"' in html
    # Following the link shows a button; pressing it confirms.
    assert "Confirm and follow" in client.get(path_of(confirm_url)).content.decode()
    assert Subscription.objects.get().state == State.PENDING
    assert "You are following" in client.post(path_of(confirm_url)).content.decode()

    make_lesson(title="Trust is built in small steps", themes=[theme])
    make_lesson(title="Say what you cannot do", themes=[theme])
    call_command("send_digests", "--frequency", "daily", stdout=StringIO())
    call_command("send_digests", "--frequency", "daily", stdout=StringIO())
    assert smtp_inbox.wait_for(2)
    assert len(smtp_inbox.messages) == 2
    digest = smtp_inbox.messages[1]
    assert digest["Subject"].strip() == "2 new lessons: Theme: Bâtir la confiance"
    text, html = parts(digest)
    assert text.index("Trust is built in small steps") < text.index("Say what you cannot do")
    lesson_url = next(url for url in LINK.findall(text) if "/lessons/" in url)
    assert client.get(path_of(lesson_url)).status_code == 200
    manage_url = next(url for url in LINK.findall(text) if "/follow/manage/" in url)
    assert "Theme: Bâtir la confiance" in client.get(path_of(manage_url)).content.decode()
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = digest["List-Unsubscribe"].strip().strip("<>")
    assert f'href="{unsubscribe_url}"' in html
    # What a mail client does for RFC 8058: a POST, no cookies, no CSRF token.
    one_click = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert not Subscriber.objects.exists()
