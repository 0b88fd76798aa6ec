"""The hourly limit on anonymous submissions: counted in the database, per visitor address."""

import pytest
from django.urls import reverse

from core.models import SubmissionRecord
from core.ratelimit import RateLimited, address_hash
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
