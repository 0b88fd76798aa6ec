"""Asking to follow: one confirmation email and nothing else, the same answer whatever the
address's state, limits per client and per address, expiry."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingMail
from follows.digests import send_digests
from follows.models import State, Subscriber, Subscription
from tests.factories import make_lesson, make_theme
from tests.follows.helpers import CONFIRM_LINK, ask, mails_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme():
    return make_theme(title="Work to Build Trust")


def test_the_theme_page_offers_to_follow_it_by_email(client, theme):
    page = client.get(theme.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Follow by email" in html
    assert f'name="query" value="theme={theme.slug}"' in html
    assert 'name="kind" value="theme"' in html


def test_a_filtered_list_offers_to_follow_exactly_its_filters(client, theme):
    page = client.get(
        reverse("browse:lesson-list"),
        {"theme": theme.slug, "experience": "worked", "sort": "title", "page": "1"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert f'name="query" value="experience=worked&amp;theme={theme.slug}"' in html
    assert 'name="kind" value="lessons"' in html
    assert "new lessons matching these filters" in html


def test_a_request_queues_one_confirmation_and_stores_it_pending(client, theme):
    response = ask(client, "Ada@Example.ORG", query=f"theme={theme.slug}")
    assert response.status_code == 302
    assert response["Location"] == reverse("follows:requested")
    subscription = Subscription.objects.get()
    assert subscription.state == State.PENDING
    assert subscription.subscriber.email == "Ada@example.org"
    [mail] = mails_to("Ada@example.org")
    assert mail.kind == "follow_confirm"
    assert "Work to Build Trust" in mail.subject
    assert CONFIRM_LINK.search(mail.body_text).group(1) == subscription.token
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_asking_again_within_a_day_sends_nothing_and_answers_the_same(client, theme):
    query = f"theme={theme.slug}"
    first = client.get(ask(client, "ada@example.org", query=query)["Location"])
    again = client.get(ask(client, "ada@example.org", query=query)["Location"])
    Subscription.objects.update(state=State.CONFIRMED, confirmed_at=timezone.now())
    confirmed_again = client.get(ask(client, "ada@example.org", query=query)["Location"])
    stranger = client.get(ask(client, "new@example.org", query=query)["Location"])
    assert first.content == again.content == confirmed_again.content == stranger.content
    assert len(mails_to("ada@example.org")) == 1


def test_asking_again_after_a_day_sends_one_more_confirmation(client, theme):
    ask(client, "ada@example.org", query=f"theme={theme.slug}")
    Subscription.objects.update(confirmation_sent_at=timezone.now() - timedelta(hours=25))
    ask(client, "ada@example.org", query=f"theme={theme.slug}")
    mails = mails_to("ada@example.org")
    assert [mail.kind for mail in mails] == ["follow_confirm", "follow_confirm"]
    assert Subscription.objects.count() == 1


def test_a_bad_address_is_refused_with_the_text_kept_and_nothing_stored(client, theme):
    response = ask(client, "not an address", query=f"theme={theme.slug}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address" in html
    assert 'value="not an address"' in html
    assert not Subscriber.objects.exists() and not OutgoingMail.objects.exists()


def test_an_unknown_theme_cannot_be_followed(client, theme):
    response = ask(client, "ada@example.org", query="theme=no-such-theme")
    assert response.status_code == 400
    assert "no longer exists" in response.content.decode()
    assert not Subscriber.objects.exists() and not OutgoingMail.objects.exists()


def test_the_confirmation_link_shows_a_button_and_only_the_post_confirms(client, theme):
    ask(client, "ada@example.org", query=f"theme={theme.slug}")
    subscription = Subscription.objects.get()
    url = reverse("follows:confirm", args=[subscription.token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm and follow" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    subscription.refresh_from_db()
    assert subscription.state == State.PENDING
    done = client.post(url)
    assert "You are following" in done.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == State.CONFIRMED
    assert subscription.sent_up_to == subscription.confirmed_at


def test_an_expired_confirmation_link_confirms_nothing(client, theme):
    ask(client, "ada@example.org", query=f"theme={theme.slug}")
    subscription = Subscription.objects.get()
    Subscription.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(reverse("follows:confirm", args=[subscription.token]))
    assert response.status_code == 404
    subscription.refresh_from_db()
    assert subscription.state == State.PENDING


def test_nothing_but_the_confirmation_reaches_an_unconfirmed_address(client, theme):
    ask(client, "ada@example.org", query=f"theme={theme.slug}")
    make_lesson(themes=[theme], published_at=timezone.now() + timedelta(seconds=1))
    run = send_digests(frequency="daily", now=timezone.now() + timedelta(minutes=1))
    assert run.sent == 0
    assert [mail.kind for mail in mails_to("ada@example.org")] == ["follow_confirm"]


def test_one_client_is_limited_per_hour(client, theme, settings):
    settings.FOLLOWS_PER_HOUR = 2
    for number in range(2):
        assert ask(client, f"a{number}@example.org", query=f"theme={theme.slug}").status_code == 302
    limited = ask(client, "a9@example.org", query=f"theme={theme.slug}")
    assert limited.status_code == 429
    assert not Subscriber.objects.filter(email="a9@example.org").exists()


def test_one_address_is_limited_per_hour_without_saying_so(theme, settings):
    settings.FOLLOWS_PER_ADDRESS_PER_HOUR = 2
    themes = [make_theme() for _ in range(3)]
    answers = [
        ask(Client(REMOTE_ADDR=f"192.0.2.{n}"), "ada@example.org", query=f"theme={t.slug}")
        for n, t in enumerate(themes)
    ]
    assert [answer.status_code for answer in answers] == [302, 302, 302]
    assert len(mails_to("ada@example.org")) == 2
    assert Subscription.objects.count() == 2


def test_purge_expired_deletes_unconfirmed_requests_and_their_address(client, theme):
    ask(client, "ada@example.org", query=f"theme={theme.slug}")
    ask(client, "bea@example.org", query=f"theme={theme.slug}")
    Subscription.objects.filter(subscriber__email="bea@example.org").update(
        state=State.CONFIRMED, confirmed_at=timezone.now(), sent_up_to=timezone.now()
    )
    Subscription.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    call_command("purge_expired", stdout=StringIO())
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["bea@example.org"]
    assert Subscription.objects.get().state == State.CONFIRMED


def test_the_follow_page_names_what_is_followed(client, theme):
    page = client.get(reverse("follows:follow"), {"kind": "lessons", "query": "experience=worked"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Lessons learned (Worked or went wrong: What worked)" in html
    assert 'name="query" value="experience=worked"' in html
