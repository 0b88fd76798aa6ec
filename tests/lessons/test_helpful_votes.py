""" "This helped me": one vote per visitor (address) per lesson, limited per hour, no session.

Votes are sent as a script would, without cookies: a fresh client for every post.
"""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.caching import content_version
from core.models import LimitedWrite, SubmissionRecord
from core.ratelimit import address_hash
from lessons.models import HelpfulVote, Lesson
from tests.factories import make_lesson

pytestmark = pytest.mark.django_db

ADDRESSES = ["192.0.2.1", "192.0.2.2", "198.51.100.7", "2001:db8::1", "2001:db8::2"]


def vote(lesson, address="192.0.2.1", **kwargs):
    """A "this helped me" from a client with no cookies at all."""
    url = reverse("lessons:lesson-helpful", args=[lesson.slug])
    return Client().post(url, REMOTE_ADDR=address, **kwargs)


def helpful_count(lesson):
    return Lesson.objects.values_list("helpful_count", flat=True).get(pk=lesson.pk)


def test_cookieless_votes_from_one_address_count_once_and_make_no_session(trust):
    lesson = make_lesson(themes=[trust])

    answers = [vote(lesson) for _ in range(20)]

    assert [answer.status_code for answer in answers] == [302] * 20
    assert {answer["Location"] for answer in answers} == {f"{lesson.get_absolute_url()}#helpful"}
    assert helpful_count(lesson) == 1
    assert HelpfulVote.objects.filter(lesson=lesson).count() == 1
    assert not Session.objects.exists()


def test_a_second_vote_from_the_same_address_is_not_counted_and_says_so(trust):
    lesson = make_lesson(themes=[trust])
    visitor = Client(REMOTE_ADDR="192.0.2.1")
    url = reverse("lessons:lesson-helpful", args=[lesson.slug])

    first = visitor.post(url, follow=True).content.decode()
    second = visitor.post(url, follow=True).content.decode()

    assert "we counted that this lesson helped you" in first
    assert "You have already said" not in first
    assert "You have already said this lesson helped you." in second
    assert "we counted that" not in second
    assert "<strong>1</strong> practitioner found this helpful" in second
    assert helpful_count(lesson) == 1
    # The thank-you travelled in the messages cookie, not in a session.
    assert not Session.objects.exists()


def test_a_vote_from_another_address_counts(trust):
    lesson = make_lesson(themes=[trust])

    vote(lesson, "192.0.2.1")
    vote(lesson, "192.0.2.2")
    vote(lesson, "192.0.2.1")

    assert helpful_count(lesson) == 2
    assert HelpfulVote.objects.filter(lesson=lesson).count() == 2


@hypothesis_settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    votes=st.lists(
        st.tuples(st.sampled_from(ADDRESSES), st.integers(min_value=0, max_value=2)),
        max_size=15,
    )
)
def test_each_lesson_counts_each_address_once_whatever_the_order(trust, settings, votes):
    settings.VOTES_PER_HOUR = 1000
    HelpfulVote.objects.all().delete()
    SubmissionRecord.objects.all().delete()
    lessons = list(Lesson.objects.order_by("pk")) or [
        make_lesson(themes=[trust], title=f"Lesson {n}") for n in range(3)
    ]
    Lesson.objects.update(helpful_count=0)

    for address, number in votes:
        assert vote(lessons[number], address).status_code == 302

    for number, lesson in enumerate(lessons):
        voters = {address for address, voted in votes if voted == number}
        assert helpful_count(lesson) == len(voters)
        assert set(lesson.helpful_votes.values_list("voter", flat=True)) == {
            address_hash(address) for address in voters
        }
    assert not Session.objects.exists()
    # Only keyed hashes are kept, never an address.
    stored = " ".join(HelpfulVote.objects.values_list("voter", flat=True))
    assert not any(address in stored for address in ADDRESSES)


def test_votes_per_address_per_hour_are_limited(trust, settings):
    settings.VOTES_PER_HOUR = 3
    lessons = [make_lesson(themes=[trust], title=f"Lesson {n}") for n in range(5)]

    answers = [vote(lesson) for lesson in lessons]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 429, 429]
    refused = answers[3]
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    text = refused.content.decode()
    assert "We count up to 3 “this helped me” an hour from one place" in text
    assert "This one has not been counted." in text
    assert "submissions" not in text
    assert [helpful_count(lesson) for lesson in lessons] == [1, 1, 1, 0, 0]
    assert not HelpfulVote.objects.filter(lesson__in=lessons[3:]).exists()
    assert SubmissionRecord.objects.filter(kind=LimitedWrite.VOTE).count() == 3
    # Another address has its own hour; a repeat over the limit is still only a repeat.
    assert vote(lessons[4], "192.0.2.9").status_code == 302
    repeat = vote(lessons[0], follow=True)
    assert repeat.status_code == 200
    assert "You have already said this lesson helped you." in repeat.content.decode()
    assert SubmissionRecord.objects.filter(kind=LimitedWrite.VOTE).count() == 4


def test_a_vote_does_not_move_the_content_version(trust):
    lesson = make_lesson(themes=[trust])
    version = content_version()

    vote(lesson, "192.0.2.1")
    vote(lesson, "192.0.2.2")
    vote(lesson, "192.0.2.2")

    assert helpful_count(lesson) == 2
    assert content_version() == version
