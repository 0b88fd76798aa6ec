"""A number too large for its column matches nothing, wherever a visitor's number lands.

Multiple-choice form fields look their values up with ``pk__in``; the numbers a visitor
may send have no limit, the columns do (SQLite's driver raised OverflowError).
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessons.models import Lesson, Theme
from tests.admin_forms import admin_form
from tests.factories import make_lesson
from tests.form_data import lesson_data

pytestmark = pytest.mark.django_db

BIGINT = 2**63
TOO_LARGE = st.one_of(
    st.integers(min_value=BIGINT, max_value=10**40),
    st.integers(min_value=-(10**40), max_value=-BIGINT - 1),
)


@settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # read only
)
@given(numbers=st.lists(TOO_LARGE, min_size=1, max_size=3))
def test_numbers_no_column_can_hold_match_nothing_beside_those_that_match(trust, numbers):
    assert list(Theme.objects.filter(pk__in=numbers)) == []
    assert list(Theme.objects.filter(pk__in=[*numbers, trust.pk])) == [trust]
    assert list(Theme.objects.filter(number__in=[*numbers, trust.number])) == [trust]
    assert Theme.objects.exclude(pk__in=numbers).count() == 1


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("themes", ["99999999999999999999"], "is not one of the available choices"),
        ("themes", ["-99999999999999999999", "1"], "is not one of the available choices"),
        ("partnership", "99999999999999999999", "That choice is not one of the available"),
        ("partnership", "-99999999999999999999", "That choice is not one of the available"),
    ],
)
def test_an_out_of_range_choice_is_a_form_error_that_keeps_what_was_typed(
    client, settings, trust, field, value, message
):
    settings.SUBMISSIONS_PER_HOUR = 100
    data = lesson_data([trust], title="Kept title", **{field: value})

    response = client.post(reverse("submissions:lesson-submit"), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and "error-summary" in html
    assert 'value="Kept title"' in html
    assert not Lesson.objects.exists()


def test_an_out_of_range_choice_in_the_admin_is_a_form_error(curator_client, trust):
    lesson = make_lesson(themes=[trust])
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])

    response = curator_client.post(
        url, admin_form(curator_client, url, themes=["99999999999999999999"])
    )

    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert list(Lesson.objects.get().themes.all()) == [trust]
