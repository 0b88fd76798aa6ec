"""Curators hear of a reader's note to review, as of any submission; a report without a note
(counted at once, nothing to read) sends nothing."""

import pytest
from django.urls import reverse

from core.models import OutgoingMail
from lessons.models import ApplicationReport
from tests.factories import make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def curators(settings, django_user_model):
    settings.CURATOR_EMAILS = ["desk@example.org"]
    settings.APPLIED_REPORTS_PER_HOUR = 10**6
    django_user_model.objects.create_user("mira", "mira@example.org", "x", is_staff=True)
    django_user_model.objects.create_user("gone", "gone@example.org", "x", is_active=False)


def report(client, lesson, note):
    data = {"outcome": "partly", "sector": "business", "region": "europe", "note": note}
    return client.post(reverse("lessons:lesson-applied", args=[lesson.slug]), data)


@pytest.mark.parametrize("note", ["It **partly** worked <b>here</b>.", "x" * 1000, "Ünïcode ✓"])
def test_a_note_to_review_is_emailed_to_the_curators(client, trust, note):
    lesson = make_lesson(title="Plan the exit early", themes=[trust])

    assert report(client, lesson, note).status_code == 302

    (queued,) = OutgoingMail.objects.all()
    pending = ApplicationReport.objects.get()
    assert sorted(queued.to) == ["desk@example.org", "mira@example.org"]
    assert queued.subject == "New report of applying a lesson to review: It partly helped: " + (
        "Plan the exit early"
    )
    assert f"/admin/lessons/applicationreport/{pending.pk}/change/" in queued.body_text
    # The note itself is not mailed: curators read it in the admin.
    assert note not in queued.body_text and "gone@" not in str(queued.to)


def test_a_report_without_a_note_sends_nothing(client, trust):
    lesson = make_lesson(title="Plan the exit early", themes=[trust])

    assert report(client, lesson, "").status_code == 302

    assert ApplicationReport.objects.get().is_published
    assert not OutgoingMail.objects.exists()
