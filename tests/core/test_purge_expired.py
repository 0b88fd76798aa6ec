"""manage.py purge_expired: what is kept only for a while is deleted once its time is up,
and nothing younger; running it again removes nothing more."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from core.models import LimitedWrite, SubmissionRecord
from core.ratelimit import RateLimited, address_hash, rate_take

pytestmark = pytest.mark.django_db

AGES_IN_HOURS = [0, 0.5, 0.99, 2, 23.9, 24.1, 48, 24 * 30]


def purge(*args):
    output = StringIO()
    call_command("purge_expired", *args, stdout=output)
    return output.getvalue()


def record_aged(hours, address="198.51.100.7"):
    return SubmissionRecord.objects.create(
        address_hash=address_hash(address), created_at=timezone.now() - timedelta(hours=hours)
    )


def session_expiring_in(hours):
    session = SessionStore()
    session["submission_token"] = "abc"
    session.create()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(hours=hours)
    )
    return session.session_key


def test_purge_deletes_records_older_than_a_day_and_expired_sessions_only():
    records = {hours: record_aged(hours) for hours in AGES_IN_HOURS}
    live = [session_expiring_in(hours) for hours in (0.1, 24, 24 * 14)]
    expired = [session_expiring_in(hours) for hours in (-0.1, -24, -24 * 30)]

    output = purge()

    kept = set(SubmissionRecord.objects.values_list("pk", flat=True))
    assert kept == {records[hours].pk for hours in AGES_IN_HOURS if hours < 24}
    assert set(Session.objects.values_list("session_key", flat=True)) == set(live)
    assert not Session.objects.filter(session_key__in=expired).exists()
    assert "Removed 3 submission-limit records older than 24 hours." in output
    assert "Removed 3 expired sessions." in output


def test_purging_again_removes_nothing_more():
    for hours in AGES_IN_HOURS:
        record_aged(hours)
    session_expiring_in(-1)
    purge()
    left = SubmissionRecord.objects.count()

    output = purge()

    assert SubmissionRecord.objects.count() == left == 5
    assert "Removed 0 submission-limit records older than 24 hours." in output
    assert "Removed 0 expired sessions." in output


def test_the_hourly_limit_counts_the_same_after_a_purge(settings):
    settings.SUBMISSIONS_PER_HOUR = 5
    for hours in (0.1, 0.2, 0.3, 0.4, 0.95):
        record_aged(hours, address="203.0.113.9")
    for hours in (1.5, 30, 100):
        record_aged(hours, address="203.0.113.9")

    purge("--rate-records-hours", "1")

    with pytest.raises(RateLimited), transaction.atomic():
        rate_take(kind=LimitedWrite.SUBMISSION, address="203.0.113.9")
    assert SubmissionRecord.objects.count() == 5


def test_a_shorter_retention_deletes_sooner(settings):
    settings.RATE_RECORDS_KEPT_HOURS = 2
    for hours in AGES_IN_HOURS:
        record_aged(hours)

    output = purge()

    assert SubmissionRecord.objects.count() == 3
    assert "Removed 5 submission-limit records older than 2 hours." in output


@pytest.mark.parametrize("hours", ["0", "-5"])
def test_retention_shorter_than_the_limits_window_is_refused(hours):
    record = record_aged(0.5)

    with pytest.raises(CommandError, match="at least 1 hour"):
        purge("--rate-records-hours", hours)

    assert SubmissionRecord.objects.filter(pk=record.pk).exists()


def test_failed_logins_are_purged_once_their_lockout_is_over(settings):
    from axes.models import AccessAttempt

    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    for minutes in (5, 29, 31, 600):
        attempt = AccessAttempt.objects.create(
            username=f"guess-{minutes}",
            ip_address="203.0.113.9",
            user_agent="test",
            failures_since_start=3,
        )
        # attempt_time is set on creation; age it the way time would.
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=timezone.now() - timedelta(minutes=minutes)
        )

    output = purge()

    assert sorted(AccessAttempt.objects.values_list("username", flat=True)) == [
        "guess-29",
        "guess-5",
    ]
    assert "Removed 2 failed-login records past their lockout." in output
