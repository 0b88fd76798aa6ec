"""Forms on cached pages: a fresh CSRF token per visitor, "this helped me" counted, and its
thank-you shown fresh and never stored."""

import pytest
from django.test import Client
from django.urls import reverse

from core.page_cache import STATUS_HEADER, csrf_placeholder
from lessons.models import Lesson
from tests.core.page_cache_helpers import stored_pages, token_of

pytestmark = pytest.mark.django_db


def test_each_visitor_of_a_cached_lesson_gets_a_token_of_their_own_and_its_cookie(words_lesson):
    url = words_lesson.get_absolute_url()
    visitors = [Client(), Client(), Client()]

    answers = [visitor.get(url) for visitor in visitors]

    assert [answer[STATUS_HEADER] for answer in answers] == ["miss", "hit", "hit"]
    tokens = [token_of(answer) for answer in answers]
    assert len(set(tokens)) == 3
    assert all(len(token) == 64 for token in tokens)
    assert all(csrf_placeholder() not in answer.content.decode() for answer in answers)
    cookies = [answer.cookies["csrftoken"].value for answer in answers]
    assert len(set(cookies)) == 3
    assert all("Cookie" in answer["Vary"] for answer in answers)
    (page,) = stored_pages()
    assert page.has_csrf_token
    assert csrf_placeholder().encode() in page.content
    assert not any(token.encode() in page.content for token in tokens)
    assert not any(name.lower() == "set-cookie" for name, _ in page.headers)


def test_a_returning_visitor_keeps_their_csrf_cookie(words_lesson):
    url = words_lesson.get_absolute_url()
    Client().get(url)
    visitor = Client()
    first = visitor.get(url)
    second = visitor.get(url)

    assert second[STATUS_HEADER] == "hit"
    assert visitor.cookies["csrftoken"].value == first.cookies["csrftoken"].value
    assert token_of(first) != token_of(second)  # masked afresh, same secret


def test_a_visitor_served_from_the_cache_can_say_this_helped_me(words_lesson):
    url = words_lesson.get_absolute_url()
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.50")

    page = visitor.get(url)
    voted = visitor.post(
        reverse("lessons:lesson-helpful", args=[words_lesson.slug]),
        {"csrfmiddlewaretoken": token_of(page)},
    )
    thanked = visitor.get(url)

    assert page[STATUS_HEADER] == "hit"
    assert voted.status_code == 302
    assert Lesson.objects.get(pk=words_lesson.pk).helpful_count == 1
    # The thank-you rides in the messages cookie: rendered fresh, never stored.
    assert STATUS_HEADER not in thanked
    assert b"we counted that this lesson helped you" in thanked.content
    assert b"<strong>1</strong> practitioner found this helpful" in thanked.content
    assert all(b"we counted that" not in page.content for page in stored_pages())
    # Every other visitor sees the new count too, though votes leave the version alone.
    other = Client().get(url)
    assert b"<strong>1</strong> practitioner found this helpful" in other.content
    assert other[STATUS_HEADER] == "miss"
    assert Client().get(url)[STATUS_HEADER] == "hit"


def test_a_post_without_the_token_is_still_refused(words_lesson):
    Client().get(words_lesson.get_absolute_url())
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(words_lesson.get_absolute_url())

    refused = visitor.post(reverse("lessons:lesson-helpful", args=[words_lesson.slug]))

    assert refused.status_code == 403
    assert Lesson.objects.get(pk=words_lesson.pk).helpful_count == 0


def test_a_pending_message_is_shown_fresh_whatever_the_cache_holds(words_lesson):
    url = reverse("browse:lesson-list")
    Client().get(url)
    visitor = Client(REMOTE_ADDR="192.0.2.51")
    visitor.post(reverse("lessons:lesson-helpful", args=[words_lesson.slug]))

    with_message = visitor.get(url)
    after = visitor.get(url)

    assert STATUS_HEADER not in with_message
    assert b"we counted that this lesson helped you" in with_message.content
    assert after[STATUS_HEADER] == "hit"
    assert b"we counted that" not in after.content
    assert all(b"we counted that" not in page.content for page in stored_pages())
