"""The contributor's emails, end to end through a real SMTP server: a curator asks for changes in
the admin, the email's private link opens the edit page, the contributor sends it back, the
curator publishes, and the email's public link opens the published lesson."""

from email.utils import parseaddr

import pytest
from django.urls import reverse

from core import mail
from lessons.models import Lesson
from tests.factories import make_theme
from tests.form_data import lesson_data
from tests.helpers import run_admin_action
from tests.mail_server import parts

pytestmark = pytest.mark.django_db

LESSONS = reverse("admin:lessons_lesson_changelist")


def local(link, settings):
    """The path of one of the site's absolute links, for the test client."""
    assert link.startswith(settings.SITE_URL + "/")
    return link.removeprefix(settings.SITE_URL)


def only_link(text, settings):
    [link] = [word for word in text.split() if word.startswith(settings.SITE_URL + "/")][:1]
    return local(link.rstrip("."), settings)


def test_changes_then_publication_reach_the_contributor_with_working_links(
    client, curator, smtp_inbox, settings
):
    theme = make_theme(number=3)
    data = lesson_data(
        [theme], contributor_name="Zoë Ångström", contributor_email="zoe@example.org"
    )
    client.post(reverse("submissions:lesson-submit"), data)
    lesson = Lesson.objects.get()
    mail.drain()
    smtp_inbox.envelopes.clear()  # the curators' "new lesson" message

    client.force_login(curator)
    run_admin_action(
        client,
        LESSONS,
        "request_changes",
        [lesson],
        apply="1",
        message="Say which partner used which meaning.",
        notify="on",
    )
    client.logout()
    mail.drain()

    [asked] = smtp_inbox.messages
    assert parseaddr(str(asked["To"])) == ("Zoë Ångström", "zoe@example.org")
    assert asked["Subject"] == "Changes asked for your lesson: Agree what words mean early"
    text, html = parts(asked)
    assert "Say which partner used which meaning." in text
    assert "Say which partner used which meaning." in html
    status_page = client.get(only_link(text.split("private link")[1], settings))
    assert status_page.status_code == 200
    assert "Changes requested" in status_page.content.decode()
    edit = reverse("submissions:revise", args=[lesson.status_token])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {**data, "insight": "The ministry meant X."}).status_code == 302
    mail.drain()
    smtp_inbox.envelopes.clear()  # the curators' "revised lesson" message

    client.force_login(curator)
    run_admin_action(client, LESSONS, "publish_selected", [lesson])
    client.logout()
    mail.drain()

    [published] = smtp_inbox.messages
    assert published["Subject"] == "Your lesson is published: Agree what words mean early"
    text, html = parts(published)
    public = only_link(text, settings)
    assert f'href="{settings.SITE_URL}{public}"' in html
    page = client.get(public)
    assert page.status_code == 200
    assert "The ministry meant X." in page.content.decode()


def test_a_rejection_reaches_the_contributor_with_the_reason_only_when_sent(
    client, curator, smtp_inbox
):
    theme = make_theme(number=3)
    client.post(reverse("submissions:lesson-submit"), lesson_data([theme]))
    client.post(reverse("submissions:lesson-submit"), lesson_data([theme], title="A second lesson"))
    first, second = Lesson.objects.order_by("pk")
    mail.drain()
    smtp_inbox.envelopes.clear()

    client.force_login(curator)
    run_admin_action(
        client, LESSONS, "reject_selected", [first], apply="1", reason="Kept back.", notify="on"
    )
    run_admin_action(
        client,
        LESSONS,
        "reject_selected",
        [second],
        apply="1",
        reason="Shared reason.",
        notify="on",
        send_reason="on",
    )
    mail.drain()

    kept, shared = smtp_inbox.messages
    assert "Kept back." not in "".join(parts(kept))
    assert all("Shared reason." in part for part in parts(shared))
    assert kept["Subject"] == "Your lesson was not published: Agree what words mean early"
