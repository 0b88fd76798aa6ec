""" "Did you apply this lesson?" on the lesson page: the form, its limits, and what the page
shows — the counts of published reports in words, and published notes only."""

import pytest
from django.test import Client
from django.urls import reverse

from core import services
from core.caching import content_version
from core.models import LimitedWrite, SubmissionRecord
from core.moderation import ModerationStatus
from lessons.models import ApplicationReport, Lesson, Outcome
from tests.factories import make_lesson
from tests.sizes import detail_queries_at_two_sizes

pytestmark = pytest.mark.django_db

GOOD = {"outcome": "helped", "sector": "business", "region": "europe", "note": ""}


def send(lesson, data=None, address="192.0.2.1", **kwargs):
    url = reverse("lessons:lesson-applied", args=[lesson.slug])
    return Client(REMOTE_ADDR=address).post(url, {**GOOD, **(data or {})}, **kwargs)


def page(client, lesson):
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_lesson_page_invites_readers_who_applied_it(client, trust):
    lesson = make_lesson(themes=[trust])

    html = page(client, lesson)

    assert "Did you apply this lesson?" in html
    assert "No one has reported applying this lesson yet." in html
    assert f'action="{reverse("lessons:lesson-applied", args=[lesson.slug])}"' in html
    assert 'name="outcome" value="partly"' in html
    assert 'name="website"' in html  # the honeypot


def test_a_report_without_a_note_counts_at_once_and_the_page_says_so(client, trust):
    lesson = make_lesson(themes=[trust])
    page(client, lesson)  # cached before the report

    answer = send(lesson, follow=True)
    send(lesson, {"outcome": "partly"}, address="192.0.2.2")
    send(lesson, {"outcome": "not_helped"}, address="192.0.2.3")

    assert answer.redirect_chain == [(f"{lesson.get_absolute_url()}#applied", 302)]
    assert "your report is counted: it shows in this lesson" in answer.content.decode()
    html = page(client, lesson)
    assert (
        "Applied <strong>3</strong> times — it helped 1, partly helped 1, did not help 1." in html
    )


def test_a_noted_report_waits_for_a_curator_and_nothing_of_it_shows_until_then(
    client, trust, curator
):
    lesson = make_lesson(themes=[trust])
    answer = send(lesson, {"note": "We used it with **three** councils."}, follow=True)

    assert "a curator will read your note" in answer.content.decode()
    html = page(client, lesson)
    assert "three" not in html
    assert "No one has reported applying this lesson yet." in html

    services.moderation_publish(items=ApplicationReport.objects.all(), by=curator)

    html = page(client, lesson)
    assert "Applied <strong>1</strong> time — it helped 1" in html
    assert "We used it with <strong>three</strong> councils." in html


def test_notes_are_sanitised_newest_first_and_bounded(client, trust, curator, settings):
    settings.APPLIED_REPORTS_PER_HOUR = 100
    lesson = make_lesson(themes=[trust])
    for number in range(12):
        send(lesson, {"note": f"Note number {number:02d} <script>alert(1)</script>"})
    services.moderation_publish(items=ApplicationReport.objects.order_by("pk"), by=curator)

    html = page(client, lesson)

    assert "<script>alert" not in html
    assert html.count('class="applied__note"') == 10
    assert "Applied <strong>12</strong> times" in html
    # Published together: newest first by id; the two oldest are not shown.
    shown = sorted(range(12), key=lambda n: html.find(f"Note number {n:02d}"))
    assert [n for n in shown if f"Note number {n:02d}" in html] == list(range(11, 1, -1))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": ""}, "Say how it went: it helped, partly, or it did not help."),
        ({"sector": ""}, "Choose the sector of the organisation that applied it."),
        ({"region": "atlantis"}, "Select a valid choice."),
        ({"note": "x" * 1001}, "Keep the note to 1000 characters (it has 1001)."),
    ],
)
def test_bad_input_shows_the_page_again_with_the_message_and_the_text_kept(trust, data, message):
    lesson = make_lesson(themes=[trust])
    typed = {"note": "Our own words about it"} if "note" not in data else {}

    answer = send(lesson, {**data, **typed})

    html = answer.content.decode()
    assert answer.status_code == 400
    assert "There is a problem with what you sent" in html
    assert message in html
    if typed:
        assert "Our own words about it" in html
    assert not ApplicationReport.objects.exists()
    assert Lesson.objects.get(pk=lesson.pk).applied_count == 0


def test_the_honeypot_thanks_a_robot_and_stores_nothing(trust):
    lesson = make_lesson(themes=[trust])

    answer = send(lesson, {"website": "http://spam.example"})

    assert answer.status_code == 302
    assert not ApplicationReport.objects.exists()
    assert SubmissionRecord.objects.filter(kind=LimitedWrite.APPLIED).count() == 1


def test_reports_are_limited_per_address_per_hour(trust, settings):
    settings.APPLIED_REPORTS_PER_HOUR = 2
    lesson = make_lesson(themes=[trust])

    answers = [send(lesson).status_code for _ in range(3)]
    other = send(lesson, address="192.0.2.99").status_code

    assert answers == [302, 302, 429]
    assert other == 302
    assert Lesson.objects.get(pk=lesson.pk).applied_count == 3


def test_a_report_needs_csrf_and_a_published_lesson(trust):
    lesson = make_lesson(themes=[trust])
    pending = make_lesson(themes=[trust], moderation=ModerationStatus.PENDING)
    strict = Client(enforce_csrf_checks=True)

    assert (
        strict.post(reverse("lessons:lesson-applied", args=[lesson.slug]), GOOD).status_code == 403
    )
    assert send(pending).status_code == 404
    assert Client().get(reverse("lessons:lesson-applied", args=[lesson.slug])).status_code == 405
    assert not ApplicationReport.objects.exists()


def test_a_rejected_noted_report_never_shows_or_counts(client, trust, curator):
    lesson = make_lesson(themes=[trust])
    send(lesson, {"note": "Spammy words", "outcome": Outcome.HELPED})
    services.moderation_reject(items=ApplicationReport.objects.all(), reason="", by=curator)

    html = page(client, lesson)

    assert "Spammy words" not in html
    assert "No one has reported applying this lesson yet." in html


def test_the_lesson_page_with_notes_costs_the_same_queries_at_two_sizes(client, curator):
    def pages(partnership, organisation, lesson):
        for number in range(3):
            send(lesson, {"note": f"A note {number}"}, address=f"192.0.2.{number + 1}")
        services.moderation_publish(items=ApplicationReport.objects.all(), by=curator)
        return [lesson.get_absolute_url()]

    small, large = detail_queries_at_two_sizes(client, pages)

    assert small == large
    assert max(large) <= 13


def test_only_a_counted_report_moves_the_content_version(trust):
    lesson = make_lesson(themes=[trust])
    before = content_version()

    send(lesson, {"note": "Pending words"})
    after_pending = content_version()
    send(lesson, address="192.0.2.50")

    assert after_pending == before  # nothing public changed: every cached page stays warm
    assert content_version() != before


def test_curators_see_a_report_its_history_and_the_queue(curator_client, trust):
    lesson = make_lesson(themes=[trust])
    send(lesson, {"note": "A note for the queue"})
    report = ApplicationReport.objects.get()

    change = curator_client.get(reverse("admin:lessons_applicationreport_change", args=[report.pk]))
    history = curator_client.get(
        reverse("admin:lessons_applicationreport_history", args=[report.pk])
    )

    assert change.status_code == 200
    assert "A note for the queue" in change.content.decode()
    assert history.status_code == 200
    assert "the contributor" in history.content.decode()
