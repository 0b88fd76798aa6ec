"""Two digest runs at once, on the real database (SQLite, and PostgreSQL with DATABASE_URL):
whichever takes a batch first sends it, the other finds its watermarks moved; every
subscriber gets every new item exactly once."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from core.models import OutgoingMail
from follows.digests import send_digests
from follows.models import State, Subscriber, Subscription
from tests.factories import make_lesson, make_theme

pytestmark = pytest.mark.django_db(transaction=True)

READERS = 40


def test_two_runs_at_once_send_each_digest_once():
    theme = make_theme()
    since = timezone.now() - timedelta(hours=1)
    for number in range(READERS):
        subscriber = Subscriber.objects.create(email=f"reader{number}@example.org")
        Subscription.objects.create(
            subscriber=subscriber,
            kind="theme",
            query=f"theme={theme.slug}",
            frequency="daily",
            state=State.CONFIRMED,
            requested_at=since,
            confirmation_sent_at=since,
            confirmed_at=since,
            sent_up_to=since,
        )
    make_lesson(themes=[theme], published_at=since + timedelta(minutes=1))
    start = threading.Barrier(2)
    sent = []

    def run():
        try:
            start.wait()
            sent.append(send_digests(frequency="daily", batch=7).sent)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == READERS
    recipients = [mail.to[0] for mail in OutgoingMail.objects.filter(kind="follow_digest")]
    assert sorted(recipients) == sorted(f"reader{n}@example.org" for n in range(READERS))
