"""The hourly limits on anonymous writes: counted in the database, per visitor address, one
limit per kind of write."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.models import LimitedWrite, SubmissionRecord
from core.ratelimit import (
    HOURLY_LIMIT_SETTINGS,
    RateLimited,
    address_hash,
    client_address,
    rate_take,
)
from lessons.models import Lesson
from submissions import services
from tests.form_data import partnership_data

pytestmark = pytest.mark.django_db

SUBMIT = reverse("submissions:partnership-submit")


def test_the_limit_is_counted_in_the_database_not_in_memory(trust, settings):
    settings.SUBMISSIONS_PER_HOUR = 1
    SubmissionRecord.objects.create(address_hash=address_hash("192.0.2.5"))

    with pytest.raises(RateLimited):
        services.lesson_submit(
            data={"title": "T", "context": "c", "insight": "i", "recommendation": "r"},
            themes=[trust],
            tags=[],
            address="192.0.2.5",
        )
    assert not Lesson.objects.exists()


def test_behind_trusted_proxies_the_limit_counts_visitors_not_the_proxy(client, settings):
    settings.SUBMISSIONS_PER_HOUR = 1
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    first = client.post(SUBMIT, partnership_data(), HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    other = client.post(
        SUBMIT, partnership_data(name="Second"), HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy
    )
    # A forged left-hand entry does not help the first visitor round the limit.
    again = client.post(
        SUBMIT,
        partnership_data(name="Third"),
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
        **proxy,
    )

    assert (first.status_code, other.status_code, again.status_code) == (302, 302, 429)


def take(kind, address="192.0.2.5"):
    """One write's worth of the limit, in a transaction of its own: True if it was allowed."""
    try:
        with transaction.atomic():
            rate_take(kind=kind, address=address)
    except RateLimited:
        return False
    return True


@hypothesis_settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    kind=st.sampled_from(LimitedWrite),
    limit=st.integers(min_value=0, max_value=4),
    attempts=st.integers(min_value=0, max_value=7),
)
def test_each_kind_allows_exactly_its_own_limit(settings, kind, limit, attempts):
    SubmissionRecord.objects.all().delete()
    for other in LimitedWrite:
        setattr(settings, HOURLY_LIMIT_SETTINGS[other], 100)
    setattr(settings, HOURLY_LIMIT_SETTINGS[kind], limit)

    allowed = [take(kind) for _ in range(attempts)]

    assert allowed == [True] * min(limit, attempts) + [False] * max(0, attempts - limit)
    assert SubmissionRecord.objects.filter(kind=kind).count() == min(limit, attempts)
    # The other kinds are untouched: each has its own hour.
    assert all(take(other) for other in LimitedWrite if other != kind)


def test_every_kind_has_a_limit_in_settings(settings):
    assert set(HOURLY_LIMIT_SETTINGS) == set(LimitedWrite)
    assert all(getattr(settings, name) > 0 for name in HOURLY_LIMIT_SETTINGS.values())


def test_writes_older_than_an_hour_no_longer_count_and_retry_after_says_when(settings):
    settings.VOTES_PER_HOUR = 2
    hashed = address_hash("192.0.2.5")
    now = timezone.now()
    for minutes in (70, 50, 20):
        SubmissionRecord.objects.create(
            address_hash=hashed, kind=LimitedWrite.VOTE, created_at=now - timedelta(minutes=minutes)
        )

    with pytest.raises(RateLimited) as refused, transaction.atomic():
        rate_take(kind=LimitedWrite.VOTE, address="192.0.2.5")

    # The record from 50 minutes ago is the first to leave the hour: in about 10 minutes.
    assert 595 <= refused.value.retry_after <= 600
    assert (refused.value.kind, refused.value.limit) == (LimitedWrite.VOTE, 2)
    assert take(LimitedWrite.VOTE, "192.0.2.6")


@pytest.mark.django_db(transaction=True)
def test_the_limit_is_taken_only_inside_the_writes_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        rate_take(kind=LimitedWrite.SUBMISSION, address="192.0.2.5")
    assert not SubmissionRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_earlier_record_as_a_submission():
    before, after = [("core", "0001_initial")], [("core", "0002_limited_write_kinds")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_record = executor.loader.project_state(before).apps.get_model("core", "SubmissionRecord")
    stamps = [timezone.now() - timedelta(minutes=minutes) for minutes in (5, 30, 90)]
    for number, stamp in enumerate(stamps):
        old_record.objects.create(address_hash=f"{number:064x}", created_at=stamp)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    rows = list(
        SubmissionRecord.objects.order_by("created_at").values_list(
            "address_hash", "created_at", "kind"
        )
    )
    # Forward to the latest again: the tests after this one need every table (the kept
    # counts' tables, core 0004, went back with core's later migrations).
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert rows == [
        (f"{number:064x}", stamp, LimitedWrite.SUBMISSION)
        for number, stamp in sorted(enumerate(stamps), key=lambda pair: pair[1])
    ]


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("192.0.2.7:51234", "192.0.2.7"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:DB8::1", "2001:db8::1"),
        ("not-an-address", "10.0.0.2"),
        ("999.1.1.1", "10.0.0.2"),
        ("<b>", "10.0.0.2"),
        ("", "10.0.0.2"),
    ],
)
def test_the_client_address_is_always_a_plain_ip_address(rf, settings, forwarded, expected):
    settings.TRUSTED_PROXY_HOPS = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")

    assert client_address(request) == expected
