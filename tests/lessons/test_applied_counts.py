"""A lesson's "I applied this lesson" counts (lessons/applied_counts.py) are kept by the
database: every write path moves them exactly, and they always equal a recount of the
lesson's published reports, whatever sequence of writes reaches them.

Run on SQLite, and on PostgreSQL with DATABASE_URL set (as the whole suite is).
"""

import io

import pytest
from django.core import management
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from alliances.models import Region
from core import history, services
from core.moderation import ModerationStatus
from core.sectors import Sector
from core.triggers import missing
from lessons.models import ApplicationReport, Lesson, Outcome
from lessons.services import lesson_report_applied
from tests.factories import make_lesson
from tests.helpers import run_admin_action
from tests.lessons.recount import assert_counts_exact

pytestmark = pytest.mark.django_db

COUNTS = (
    "applied_count",
    "applied_helped_count",
    "applied_partly_count",
    "applied_not_helped_count",
)
pick = st.integers(min_value=0, max_value=10**6)
outcomes = st.sampled_from(list(Outcome.values))


def stored(lesson):
    return Lesson.objects.values_list(*COUNTS).get(pk=lesson.pk)


def recount():
    """{lesson id: counts} straight from the published reports."""
    published = Q(application_reports__moderation_status=ModerationStatus.PUBLISHED)

    def of(outcome=None):
        condition = published
        if outcome:
            condition &= Q(application_reports__outcome=outcome)
        return Count("application_reports", filter=condition)

    rows = Lesson.objects.annotate(
        a=of(), h=of(Outcome.HELPED), p=of(Outcome.PARTLY), n=of(Outcome.NOT_HELPED)
    ).values_list("pk", "a", "h", "p", "n")
    return {pk: counts for pk, *counts in rows for counts in [tuple(counts)]}


def kept():
    return {pk: tuple(counts) for pk, *counts in Lesson.objects.values_list("pk", *COUNTS)}


def report(lesson, outcome=Outcome.HELPED, note="", address="192.0.2.1"):
    return lesson_report_applied(
        lesson=lesson,
        outcome=outcome,
        sector=Sector.BUSINESS,
        region=Region.EUROPE,
        note=note,
        address=address,
    )


@pytest.fixture(autouse=True)
def no_limit(settings):
    settings.APPLIED_REPORTS_PER_HOUR = 10**6


def test_a_report_without_a_note_counts_at_once_by_outcome(trust):
    lesson = make_lesson(themes=[trust])

    first = report(lesson, Outcome.HELPED)
    report(lesson, Outcome.PARTLY)
    report(lesson, Outcome.NOT_HELPED)
    report(lesson, Outcome.HELPED)

    assert first.moderation_status == ModerationStatus.PUBLISHED
    assert first.published_at is not None
    assert stored(lesson) == (4, 2, 1, 1)


def test_a_noted_report_counts_only_once_published_and_leaves_when_rejected(trust, curator):
    lesson = make_lesson(themes=[trust])
    noted = report(lesson, Outcome.PARTLY, note="We tried it with *two* ministries.")

    assert noted.moderation_status == ModerationStatus.PENDING
    assert stored(lesson) == (0, 0, 0, 0)

    services.moderation_publish(items=ApplicationReport.objects.filter(pk=noted.pk), by=curator)
    assert stored(lesson) == (1, 0, 1, 0)

    services.moderation_reject(
        items=ApplicationReport.objects.filter(pk=noted.pk), reason="", by=curator
    )
    assert stored(lesson) == (0, 0, 0, 0)


def test_a_rejected_note_is_never_counted_and_a_deleted_report_leaves_the_counts(trust, curator):
    lesson = make_lesson(themes=[trust])
    plain = report(lesson, Outcome.HELPED)
    noted = report(lesson, Outcome.HELPED, note="It did not travel well.")
    services.moderation_reject(
        items=ApplicationReport.objects.filter(pk=noted.pk), reason="", by=curator
    )
    assert stored(lesson) == (1, 1, 0, 0)

    with history.revision(by=curator):
        plain.delete()

    assert stored(lesson) == (0, 0, 0, 0)


def test_a_curator_changing_a_published_reports_outcome_or_lesson_moves_both(trust, curator):
    first, second = make_lesson(themes=[trust]), make_lesson(themes=[trust])
    moved = report(first, Outcome.HELPED)

    with history.revision(by=curator):
        moved.outcome = Outcome.NOT_HELPED
        moved.save()
    assert stored(first) == (1, 0, 0, 1)

    with history.revision(by=curator):
        moved.lesson = second
        moved.save()
    assert stored(first) == (0, 0, 0, 0)
    assert stored(second) == (1, 0, 0, 1)


def test_the_admin_publishes_a_noted_report_and_it_counts(trust, curator_client):
    lesson = make_lesson(themes=[trust])
    noted = report(lesson, Outcome.HELPED, note="It worked in our district.")
    url = reverse("admin:lessons_applicationreport_changelist")

    queue = curator_client.get(url + "?moderation_status__exact=pending").content.decode()
    index = curator_client.get(reverse("admin:index")).content.decode()
    published = run_admin_action(curator_client, url, "publish_selected", [noted])

    assert "It worked in our district." in queue
    assert "<strong>1</strong> note from readers who applied a lesson" in index
    assert "1 item was published." in published.content.decode()
    assert stored(lesson) == (1, 1, 0, 0)


def test_the_rebuild_command_restores_counts_a_raw_write_broke(trust):
    lesson = make_lesson(themes=[trust])
    report(lesson, Outcome.HELPED)
    report(lesson, Outcome.PARTLY)
    Lesson.objects.filter(pk=lesson.pk).update(applied_count=99, applied_helped_count=0)

    management.call_command("rebuild_counts", stdout=io.StringIO())

    assert stored(lesson) == (2, 1, 1, 0)


def test_every_applied_count_trigger_is_installed():
    assert [name for name in missing() if name.startswith("applied_counts")] == []


class Reports(RuleBasedStateMachine):
    """Reports with and without notes, published, rejected, deleted, moved; lessons
    withdrawn and deleted: after each, the kept counts equal a recount."""

    curator = None

    def __init__(self):
        super().__init__()
        self.run = transaction.atomic()
        self.run.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self.run.__exit__(None, None, None)

    @initialize()
    def lessons(self):
        self.lessons = [make_lesson() for _ in range(3)]

    def _lesson(self, seed):
        rows = list(Lesson.objects.order_by("pk"))
        return rows[seed % len(rows)] if rows else None

    def _report(self, seed):
        rows = list(ApplicationReport.objects.order_by("pk"))
        return rows[seed % len(rows)] if rows else None

    @rule(seed=pick, outcome=outcomes, noted=st.booleans())
    def a_reader_reports(self, seed, outcome, noted):
        lesson = self._lesson(seed)
        if lesson is not None:
            report(lesson, outcome, note=f"Note {seed}" if noted else "")

    @rule(seed=pick, status=st.sampled_from(list(ModerationStatus.values)))
    def a_curator_decides(self, seed, status):
        chosen = self._report(seed)
        if chosen is None:
            return
        items = ApplicationReport.objects.filter(pk=chosen.pk)
        if status == ModerationStatus.PUBLISHED:
            services.moderation_publish(items=items, by=self.curator)
        elif status == ModerationStatus.REJECTED:
            services.moderation_reject(items=items, reason="", by=self.curator)
        else:
            items.update(moderation_status=status)

    @rule(seed=pick, outcome=outcomes, move=st.booleans())
    def a_curator_edits(self, seed, outcome, move):
        chosen, lesson = self._report(seed), self._lesson(seed // 7)
        if chosen is None or lesson is None:
            return
        with history.revision(by=self.curator):
            chosen.outcome = outcome
            if move:
                chosen.lesson = lesson
            chosen.save()

    @rule(seed=pick, bulk=st.booleans())
    def a_report_is_deleted(self, seed, bulk):
        chosen = self._report(seed)
        if chosen is None:
            return
        with history.revision(by=self.curator):
            if bulk:
                ApplicationReport.objects.filter(lesson_id=chosen.lesson_id).delete()
            else:
                chosen.delete()

    @rule(seed=pick, delete=st.booleans())
    def a_lesson_is_withdrawn_or_deleted(self, seed, delete):
        lesson = self._lesson(seed)
        if lesson is None:
            return
        if delete:
            with history.revision(by=self.curator):
                lesson.delete()
        else:
            services.moderation_reject(
                items=Lesson.objects.filter(pk=lesson.pk), reason="", by=self.curator
            )

    @rule()
    def a_new_lesson(self):
        make_lesson()

    @invariant()
    def counts_are_exact(self):
        assert kept() == recount()
        # And the list's "applied at least once" count among the kept public counts.
        assert_counts_exact()


def test_counts_equal_a_recount_after_any_sequence_of_writes(curator):
    Reports.curator = curator
    machine = Reports.TestCase
    machine.settings = settings(
        max_examples=15,
        stateful_step_count=15,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    try:
        machine().runTest()
    finally:
        Reports.curator = None
