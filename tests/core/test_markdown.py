"""Visitors write Markdown: once published it is rendered, and any HTML in it stays text."""

import pytest
from django.urls import reverse

from alliances.models import Partnership
from lessons.models import Lesson
from tests.form_data import lesson_data, partnership_data

pytestmark = pytest.mark.django_db

LESSON_SUBMIT = reverse("submissions:lesson-submit")
PARTNERSHIP_SUBMIT = reverse("submissions:partnership-submit")


def test_markup_and_script_are_shown_as_text_once_published(client, trust):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(
        LESSON_SUBMIT,
        lesson_data([trust], title=f"Title {payload}", insight=f"**Bold** {payload}"),
    )
    Lesson.objects.publish()
    lesson = Lesson.objects.get()

    html = client.get(lesson.get_absolute_url()).content.decode()

    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>Bold</strong>" in html


def test_a_published_case_study_renders_markdown_safely(client):
    client.post(
        PARTNERSHIP_SUBMIT,
        partnership_data(
            story="**Strong** <script>alert(1)</script> [link](javascript:alert(1))",
        ),
    )
    Partnership.objects.publish()

    html = client.get(Partnership.objects.get().get_absolute_url()).content.decode()

    assert "<strong>Strong</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert 'href="javascript:' not in html
