"""One-click unsubscribe (RFC 8058) and the private page where an address manages what it
follows, changes how often, ends one, or deletes everything."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from follows.models import Frequency, Subscriber, Subscription
from tests.factories import make_theme
from tests.follows.helpers import confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme():
    return make_theme(title="Work to Build Trust")


def test_a_one_click_post_without_cookies_or_csrf_token_unsubscribes(client, theme):
    subscription = confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        reverse("follows:unsubscribe", args=[subscription.token]),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert not Subscription.objects.exists()
    assert not Subscriber.objects.exists()  # its last one: the address is gone too


def test_unsubscribing_one_keeps_the_others_and_the_address(client, theme):
    first = confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    other = make_theme()
    confirmed("ada@example.org", query=f"theme={other.slug}", client=client)
    Client(enforce_csrf_checks=True).post(reverse("follows:unsubscribe", args=[first.token]))
    assert list(Subscription.objects.values_list("query", flat=True)) == [f"theme={other.slug}"]
    assert Subscriber.objects.filter(email="ada@example.org").exists()


def test_a_get_only_asks_before_unsubscribing(client, theme):
    subscription = confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    page = client.get(reverse("follows:unsubscribe", args=[subscription.token]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Unsubscribe from “Theme: Work to Build Trust”?" in html
    assert "csrfmiddlewaretoken" not in html
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_an_unknown_unsubscribe_link_ends_nothing_and_says_so(client, theme):
    confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    response = Client(enforce_csrf_checks=True).post(
        reverse("follows:unsubscribe", args=["not-a-token"])
    )
    assert response.status_code == 200
    assert "already ended" in response.content.decode()
    assert client.get(reverse("follows:unsubscribe", args=["not-a-token"])).status_code == 404
    assert Subscription.objects.count() == 1


def test_only_the_unsubscribe_view_skips_the_csrf_check(client, theme):
    subscription = confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    strict = Client(enforce_csrf_checks=True)
    manage = reverse("follows:manage", args=[subscription.subscriber.token])
    assert strict.post(manage, {"action": "erase"}).status_code == 403
    assert strict.post(reverse("follows:confirm", args=[subscription.token])).status_code == 403
    assert Subscriber.objects.exists()


def _manage(client, subscriber):
    return client.get(reverse("follows:manage", args=[subscriber.token]))


def test_the_manage_page_lists_this_address_only_and_is_private(client, theme):
    mine = confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    other_theme = make_theme(title="Be Transparent")
    confirmed("bea@example.org", query=f"theme={other_theme.slug}", client=client)
    page = _manage(client, mine.subscriber)
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert "Theme: Work to Build Trust" in html
    assert "Be Transparent" not in html
    assert "ada@example.org" not in html  # the address is never shown


def test_the_manage_page_changes_how_often_and_ends_one(client, theme):
    mine = confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    second = confirmed("ada@example.org", query=f"theme={make_theme().slug}", client=client)
    url = reverse("follows:manage", args=[mine.subscriber.token])
    changed = client.post(url, {"action": "change", "subscription": mine.pk, "frequency": "weekly"})
    assert changed.status_code == 302
    mine.refresh_from_db()
    assert mine.frequency == Frequency.WEEKLY
    client.post(url, {"action": "stop", "subscription": second.pk})
    assert list(Subscription.objects.values_list("pk", flat=True)) == [mine.pk]


def test_one_address_cannot_change_anothers_subscription(client, theme):
    mine = confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    theirs = confirmed("bea@example.org", query=f"theme={theme.slug}", client=client)
    url = reverse("follows:manage", args=[mine.subscriber.token])
    client.post(url, {"action": "change", "subscription": theirs.pk, "frequency": "weekly"})
    client.post(url, {"action": "stop", "subscription": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.frequency == Frequency.DAILY


def test_deleting_everything_removes_the_address_and_every_subscription(client, theme):
    mine = confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    confirmed("ada@example.org", kind="lessons", query="experience=worked", client=client)
    confirmed("bea@example.org", query=f"theme={theme.slug}", client=client)
    response = client.post(
        reverse("follows:manage", args=[mine.subscriber.token]), {"action": "erase"}
    )
    assert "Everything is deleted" in response.content.decode()
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["bea@example.org"]
    assert Subscription.objects.count() == 1
    assert _manage(client, mine.subscriber).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"action": "change", "subscription": "x", "frequency": "weekly"},
        {"action": "change", "subscription": "99999999999999999999999", "frequency": "hourly"},
        {"action": "stop", "subscription": "-1"},
        {"action": "nonsense"},
        {},
    ],
)
def test_bad_manage_posts_change_nothing(client, theme, data):
    mine = confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    response = client.post(reverse("follows:manage", args=[mine.subscriber.token]), data)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.frequency == Frequency.DAILY


def _manage_queries(client, count):
    Subscriber.objects.all().delete()
    for _ in range(count):
        theme = make_theme()
        last = confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
        confirmed("ada@example.org", kind="tag", query="tag=water", client=client)
    with CaptureQueriesContext(connection) as queries:
        page = _manage(client, last.subscriber)
    assert page.content.decode().count('value="stop"') == count + 1
    return len(queries)


def test_the_manage_page_costs_the_same_queries_for_more_subscriptions(client):
    from taggit.models import Tag

    Tag.objects.create(name="Water", slug="water")
    assert _manage_queries(client, 2) == _manage_queries(client, 12)
