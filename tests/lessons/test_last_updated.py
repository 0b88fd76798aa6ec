"""Public lesson and case-study pages say when their content last changed, as text and as a
machine-readable <time>: a curator's edit moves it, a "this helped me" vote does not."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliances.models import Partnership
from lessons.models import Lesson
from tests.core.history_helpers import edit_in_admin
from tests.factories import make_lesson, make_partnership

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now().replace(year=2024, month=3, day=5, hour=12)


def _last_updated(item):
    """What an anonymous visitor reads (through the page cache)."""
    page = Client().get(item.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    start = text.index("<dt>Last updated</dt>")
    return text[start : start + 200]


@pytest.mark.parametrize("make", [make_lesson, make_partnership], ids=["lesson", "case study"])
def test_the_page_shows_when_it_was_last_updated(make):
    item = make()
    type(item).objects.filter(pk=item.pk).update(updated_at=LONG_AGO)

    shown = _last_updated(item)

    assert '<time datetime="2024-03-05">' in shown
    assert "5 March 2024</time>" in shown


def test_a_vote_does_not_move_it_but_an_edit_does(curator_client, trust):
    lesson = make_lesson(themes=[trust])
    Lesson.objects.filter(pk=lesson.pk).update(updated_at=LONG_AGO)

    vote = Client().post(reverse("lessons:lesson-helpful", args=[lesson.slug]))
    assert vote.status_code in (200, 302, 303)
    assert Lesson.objects.get(pk=lesson.pk).helpful_count == 1
    assert "5 March 2024" in _last_updated(lesson)

    edit_in_admin(curator_client, lesson, insight="A sharper insight.")

    today = timezone.localdate()
    shown = _last_updated(lesson)
    assert "5 March 2024" not in shown
    assert f'<time datetime="{today:%Y-%m-%d}' in shown
    assert Lesson.objects.get(pk=lesson.pk).updated_at > timezone.now() - timedelta(minutes=5)


def test_a_case_study_edit_moves_it(curator_client):
    case = make_partnership()
    Partnership.objects.filter(pk=case.pk).update(updated_at=LONG_AGO)
    assert "5 March 2024" in _last_updated(case)

    edit_in_admin(curator_client, case, summary="A new summary.")

    assert "5 March 2024" not in _last_updated(case)
