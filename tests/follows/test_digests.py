"""The digests: what is new on a followed list, exactly once, whatever happens to a run."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from core import mail
from core.models import OutgoingMail
from core.moderation import ModerationStatus
from follows import digests
from follows.digests import send_digests
from follows.models import Subscriber, Subscription
from lessons.models import Experience, Lesson
from lessons.services import tags_merge
from tests.factories import make_lesson, make_partnership, make_theme
from tests.follows.helpers import confirmed, mails_to

pytestmark = pytest.mark.django_db


def later(minutes=1):
    return timezone.now() + timedelta(minutes=minutes)


def lesson_titles(mail_row):
    return [line[2:] for line in mail_row.body_text.splitlines() if line.startswith("* ")]


@pytest.fixture
def theme():
    return make_theme(title="Work to Build Trust")


def test_a_digest_lists_what_was_published_on_the_theme_since_confirming(client, theme):
    make_lesson(title="Before confirming", themes=[theme])
    confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    other = make_theme()
    make_lesson(title="Shared early", themes=[theme], published_at=later(1))
    make_lesson(title="On another theme", themes=[other], published_at=later(1))
    make_lesson(title="Still pending", themes=[theme], moderation=ModerationStatus.PENDING)
    withdrawn = make_lesson(title="Withdrawn since", themes=[theme], published_at=later(1))
    Lesson.objects.filter(pk=withdrawn.pk).update(moderation_status=ModerationStatus.REJECTED)
    run = send_digests(frequency="daily", now=later(5))
    assert run.sent == 1
    [digest] = mails_to("ada@example.org")[1:]
    assert digest.kind == "follow_digest"
    assert lesson_titles(digest) == ["Shared early"]
    assert digest.subject == "1 new lesson: Theme: Work to Build Trust"
    assert "The insight of Shared early" in digest.body_text
    assert "/lessons/shared-early/" in digest.body_html
    assert digest.headers["List-Unsubscribe"].startswith("<http")


def test_running_again_sends_nothing_twice_and_then_only_what_is_newer(client, theme):
    confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    make_lesson(title="First", themes=[theme], published_at=later(1))
    assert send_digests(frequency="daily", now=later(2)).sent == 1
    assert send_digests(frequency="daily", now=later(3)).sent == 0
    make_lesson(title="Second", themes=[theme], published_at=later(4))
    assert send_digests(frequency="daily", now=later(5)).sent == 1
    titles = [lesson_titles(each) for each in mails_to("ada@example.org")[1:]]
    assert titles == [["First"], ["Second"]]


def test_nothing_is_sent_when_nothing_is_new(client, theme):
    confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    make_lesson(themes=[make_theme()], published_at=later(1))
    assert send_digests(frequency="daily", now=later(2)).sent == 0
    assert [mail.kind for mail in mails_to("ada@example.org")] == ["follow_confirm"]


def test_weekly_subscribers_wait_for_the_weekly_run(client, theme):
    confirmed("ada@example.org", query=f"theme={theme.slug}", frequency="weekly", client=client)
    make_lesson(title="New", themes=[theme], published_at=later(1))
    assert send_digests(frequency="daily", now=later(2)).sent == 0
    assert send_digests(frequency="weekly", now=later(3)).sent == 1


def test_a_run_killed_halfway_then_run_again_sends_every_item_exactly_once(
    client, theme, monkeypatch
):
    addresses = [f"reader{n}@example.org" for n in range(5)]
    for address in addresses:
        confirmed(address, query=f"theme={theme.slug}", client=client)
    make_lesson(title="Only one", themes=[theme], published_at=later(1))
    real_queue_all = mail.queue_all
    batches = []

    def crash_on_the_third_batch(mails):
        batches.append(len(mails))
        if len(batches) == 3:
            raise RuntimeError("killed")
        real_queue_all(mails)

    monkeypatch.setattr(mail, "queue_all", crash_on_the_third_batch)
    with pytest.raises(RuntimeError):
        send_digests(frequency="daily", now=later(2), batch=2)
    # Two batches of two were done; the fifth reader's batch was rolled back whole.
    assert OutgoingMail.objects.filter(kind="follow_digest").count() == 4
    monkeypatch.setattr(mail, "queue_all", real_queue_all)
    send_digests(frequency="daily", now=later(3), batch=2)
    send_digests(frequency="daily", now=later(4), batch=2)
    for address in addresses:
        assert [lesson_titles(each) for each in mails_to(address)[1:]] == [["Only one"]]


def test_a_followed_list_gets_exactly_what_the_list_shows(client, theme):
    query = f"theme={theme.slug}&experience=went_wrong"
    subscription = confirmed("ada@example.org", kind="lessons", query=query, client=client)
    assert subscription.query == f"experience=went_wrong&theme={theme.slug}"
    make_lesson(
        title="Went wrong here",
        themes=[theme],
        experience=Experience.WENT_WRONG,
        published_at=later(1),
    )
    make_lesson(
        title="Worked here", themes=[theme], experience=Experience.WORKED, published_at=later(1)
    )
    make_lesson(
        title="Went wrong elsewhere", experience=Experience.WENT_WRONG, published_at=later(1)
    )
    page = client.get(reverse("browse:lesson-list") + "?" + query)
    shown = [lesson.title for lesson in page.context["object_list"]]
    send_digests(frequency="daily", now=later(2))
    [digest] = mails_to("ada@example.org")[1:]
    assert lesson_titles(digest) == shown == ["Went wrong here"]


def test_a_tag_merged_into_another_keeps_being_followed(client, theme):
    water = Tag.objects.create(name="Water", slug="water")
    sanitation = Tag.objects.create(name="Sanitation", slug="sanitation")
    confirmed("ada@example.org", kind="tag", query="tag=water", client=client)
    curator = get_user_model().objects.create_user("curator", is_staff=True)
    tags_merge(keep=sanitation, merge=[water], by=curator, name="Water and sanitation")
    make_lesson(title="Pipes", tags=[sanitation], published_at=later(1))
    make_partnership(name="Wells for towns", tags=[sanitation], published_at=later(1))
    send_digests(frequency="daily", now=later(2))
    [digest] = mails_to("ada@example.org")[1:]
    assert lesson_titles(digest) == ["Pipes", "Wells for towns"]
    assert digest.subject == "2 new items: Tag: Water and sanitation"
    current = Tag.objects.get(pk=sanitation.pk).slug
    assert f"/tags/{current}/" in digest.body_text


def _digest_queries(client, count, theme):
    Subscriber.objects.all().delete()
    for number in range(count):
        confirmed(f"r{count}-{number}@example.org", query=f"theme={theme.slug}", client=client)
    other = make_theme()
    for number in range(count):
        confirmed(
            f"o{count}-{number}@example.org",
            kind="lessons",
            query=f"theme={other.slug}",
            client=client,
        )
    for _ in range(count):
        make_lesson(themes=[theme, other], published_at=later(1))
    with CaptureQueriesContext(connection) as queries:
        run = send_digests(frequency="daily", now=later(2))
    assert run.sent == 2 * count
    return len(queries)


def test_a_digest_run_costs_the_same_queries_for_more_subscribers_and_items(client):
    small = _digest_queries(client, 3, make_theme())
    large = _digest_queries(client, 30, make_theme())
    assert small == large


def test_a_subscriber_confirmed_during_a_run_waits_for_the_next(client, theme, monkeypatch):
    confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    make_lesson(title="New", themes=[theme], published_at=later(1))
    real_batch = digests._batch

    def confirm_someone_meanwhile(*args):
        Subscription.objects.update(sent_up_to=later(3))
        return real_batch(*args)

    monkeypatch.setattr(digests, "_batch", confirm_someone_meanwhile)
    assert send_digests(frequency="daily", now=later(2)).sent == 0
