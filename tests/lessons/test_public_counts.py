"""The counters the database keeps (lessons/public_counts.py) stay exactly what the GROUP BY
queries count, whatever sequence of writes reaches them and by whichever path: the
visitors' forms' services, curators' services, the admin's change forms, bulk actions
and delete pages, queryset updates, deletes, tag renames.

Run on SQLite, and on PostgreSQL with DATABASE_URL set (as the whole suite is).
"""

import io

import pytest
from django.core import management
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from taggit.models import Tag

from alliances.models import (
    Organisation,
    Participation,
    Partnership,
    PartnerSignoff,
    Region,
    Role,
    Status,
)
from core import services
from core.models import CountContribution, PublicCount
from core.moderation import ModerationStatus
from core.sectors import Sector
from core.triggers import install, missing
from lessons import public_count_triggers, public_counts
from lessons.models import Experience, Lesson
from submissions.services import lesson_submit, partnership_submit
from tests.admin_forms import admin_form
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme
from tests.helpers import run_admin_action
from tests.lessons.recount import assert_counts_exact, recount, stored

pytestmark = pytest.mark.django_db

TAG_NAMES = ["water", "trust", "data", "schools", "health"]
pick = st.integers(min_value=0, max_value=10**6)
statuses = st.sampled_from(list(ModerationStatus.values))


def nth(queryset, index):
    """One row of the queryset (by id), or None when it is empty."""
    rows = list(queryset.order_by("pk").values_list("pk", flat=True))
    return queryset.model._default_manager.get(pk=rows[index % len(rows)]) if rows else None


class Writes(RuleBasedStateMachine):
    """Random writes by every path; after each, every counter equals a fresh recount."""

    client = None  # a curator's logged-in test client, set by the test
    curator = None

    def __init__(self):
        super().__init__()
        # Each run starts from the same database: its writes are rolled back at the end.
        self.run = transaction.atomic()
        self.run.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self.run.__exit__(None, None, None)

    @initialize()
    def some_content(self):
        self.themes = [make_theme() for _ in range(3)]
        sectors = list(Sector.values)
        self.organisations = [make_organisation(sector=sectors[i % len(sectors)]) for i in range(4)]
        for index in range(2):
            partners = [
                (self.organisations[index], Role.LEAD),
                (self.organisations[2], Role.FUNDER),
            ]
            partnership = make_partnership(partners=partners, tags=TAG_NAMES[index : index + 2])
            make_lesson(themes=self.themes[index:], tags=TAG_NAMES[1:3], partnership=partnership)

    # Visitors submit; curators publish, reject, withdraw ---------------------------------

    @rule(seed=pick, experience=st.sampled_from(list(Experience.values)))
    def submit_lesson(self, seed, experience):
        lesson = lesson_submit(
            data={
                "title": f"Submitted {seed}",
                "context": "c",
                "insight": "i",
                "recommendation": "r",
                "experience": experience,
                "partnership": nth(Partnership.objects.all(), seed),
            },
            themes=self.themes[seed % 3 :],
            tags=TAG_NAMES[seed % 5 : seed % 5 + 2],
            address="192.0.2.1",
        )
        assert lesson.moderation_status == ModerationStatus.PENDING

    @rule(seed=pick, hidden=st.booleans())
    def submit_partnership(self, seed, hidden):
        partnership_submit(
            data={
                "name": f"Submitted case {seed}",
                "summary": "s",
                "status": Status.ACTIVE,
                "outcome": "mixed",
                "region": Region.EUROPE,
                "start_year": 2000 + seed % 20,
                "hide_partner_names": hidden,
            },
            partners=[{"name": f"Partner {seed}", "sector": Sector.BUSINESS, "role": Role.LEAD}],
            tags=TAG_NAMES[seed % 5 :],
            address="192.0.2.1",
        )

    @rule(seed=pick, lesson=st.booleans())
    def publish_with_the_service(self, seed, lesson):
        model = Lesson if lesson else Partnership
        item = nth(model.objects.exclude(moderation_status=ModerationStatus.PUBLISHED), seed)
        if item:
            services.moderation_publish(items=model.objects.filter(pk=item.pk), by=self.curator)

    @rule(seed=pick, lesson=st.booleans())
    def publish_with_the_admin_bulk_action(self, seed, lesson):
        model = Lesson if lesson else Partnership
        items = list(model.objects.order_by("pk"))[seed % 3 :: 2]
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = run_admin_action(self.client, url, "publish_selected", items)
        assert response.status_code == 200

    @rule(seed=pick, lesson=st.booleans())
    def reject_or_withdraw(self, seed, lesson):
        model = Lesson if lesson else Partnership
        item = nth(model.objects.all(), seed)
        if item:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            run_admin_action(self.client, url, "reject_selected", [item], apply="1", reason="No")

    # Curators edit -----------------------------------------------------------------------

    @rule(seed=pick, experience=st.sampled_from(list(Experience.values)), detach=st.booleans())
    def edit_a_lesson_in_the_admin(self, seed, experience, detach):
        lesson = nth(Lesson.objects.all(), seed)
        if lesson is None:
            return
        partnership = None if detach else nth(Partnership.objects.all(), seed // 7)
        url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
        data = admin_form(
            self.client,
            url,
            experience=experience,
            themes=[str(theme.pk) for theme in self.themes[seed % 3 :: 2]],
            tags=", ".join(TAG_NAMES[seed % 4 : seed % 4 + 2]),
            partnership=str(partnership.pk) if partnership else "",
        )
        response = self.client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]

    @rule(seed=pick, region=st.sampled_from(list(Region.values)), hidden=st.booleans())
    def edit_a_case_study_in_the_admin(self, seed, region, hidden):
        partnership = nth(Partnership.objects.all(), seed)
        if partnership is None:
            return
        url = reverse("admin:alliances_partnership_change", args=[partnership.pk])
        changes = {"region": region, "status": list(Status.values)[seed % 4], "tags": "water"}
        if hidden:
            changes["hide_partner_names"] = "on"
        data = admin_form(self.client, url, **changes)
        if not hidden:
            data.pop("hide_partner_names", None)
        response = self.client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]

    @rule(seed=pick, add=st.booleans())
    def change_partners(self, seed, add):
        partnership = nth(Partnership.objects.all(), seed)
        if partnership is None:
            return
        if add:
            organisation = nth(Organisation.objects.all(), seed // 3)
            Participation.objects.create(
                partnership=partnership, organisation=organisation, role=Role.ADVISER
            )
        elif participation := nth(partnership.participations.all(), seed):
            participation.delete()

    @rule(seed=pick, sector=st.sampled_from(list(Sector.values)), bulk=st.booleans())
    def change_a_sector(self, seed, sector, bulk):
        organisation = nth(Organisation.objects.all(), seed)
        if bulk:
            Organisation.objects.filter(pk=organisation.pk).update(sector=sector)
        else:
            organisation.sector = sector
            organisation.save()

    @rule(seed=pick, status=statuses)
    def update_querysets(self, seed, status):
        Lesson.objects.filter(pk__gt=seed % 5).update(
            moderation_status=status, partnership=nth(Partnership.objects.all(), seed)
        )
        Partnership.objects.filter(pk__lt=seed % 7).update(
            region=Region.AFRICA, end_year=2030, start_year=2001
        )
        Lesson.objects.filter(pk__lt=seed % 3).update(helpful_count=seed % 9)

    @rule(seed=pick, tags=st.lists(st.sampled_from(TAG_NAMES), max_size=3))
    def retag_and_refile(self, seed, tags):
        lesson = nth(Lesson.objects.all(), seed)
        if lesson:
            lesson.tags.set(tags)
            lesson.themes.remove(self.themes[seed % 3])
        if partnership := nth(Partnership.objects.all(), seed // 5):
            partnership.tags.set(tags[:1])

    # Deletes -----------------------------------------------------------------------------

    @rule(seed=pick, lesson=st.booleans(), bulk=st.booleans())
    def delete_in_the_admin(self, seed, lesson, bulk):
        model = Lesson if lesson else Partnership
        item = nth(model.objects.all(), seed)
        if item is None:
            return
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if bulk:
            url = reverse(f"{prefix}_changelist")
            run_admin_action(self.client, url, "delete_selected", [item], post="yes")
        else:
            self.client.post(reverse(f"{prefix}_delete", args=[item.pk]), {"post": "yes"})
        assert not model.objects.filter(pk=item.pk).exists()

    @rule(seed=pick)
    def delete_rows(self, seed):
        organisation = nth(Organisation.objects.all(), seed)
        if organisation and seed % 2:  # its parts first: they protect it
            Participation.objects.filter(organisation=organisation).delete()
            organisation.delete()
        if lesson := nth(Lesson.objects.all(), seed):
            Lesson.objects.filter(pk=lesson.pk).delete()

    @rule(
        seed=pick,
        answer=st.sampled_from(["", "confirmed", "commented", "disputed"]),
        hide=st.booleans(),
        bulk=st.booleans(),
    )
    def a_partner_answers(self, seed, answer, hide, bulk):
        """A partner confirms, disputes or asks to be hidden (its sign-off; signoff/)."""
        participation = nth(Participation.objects.all(), seed)
        if participation is None:
            return
        signoff, _ = PartnerSignoff.objects.get_or_create(participation=participation)
        if bulk:
            PartnerSignoff.objects.filter(pk=signoff.pk).update(answer=answer, hide_name=hide)
        else:
            signoff.answer, signoff.hide_name = answer, hide
            signoff.save()

    @rule(seed=pick, delete=st.booleans())
    def rename_or_delete_a_tag(self, seed, delete):
        tag = nth(Tag.objects.all(), seed)
        if tag is None:
            return
        if delete:
            tag.delete()
        else:
            tag.name = f"{tag.name}-{seed}"[:90]
            tag.save()

    @invariant()
    def counts_are_exact(self):
        assert_counts_exact()


@pytest.fixture
def writes(curator, curator_client, settings):
    settings.SUBMISSIONS_PER_HOUR = 10**6
    Writes.client, Writes.curator = curator_client, curator
    yield Writes
    Writes.client = Writes.curator = None


def test_counters_equal_a_recount_after_any_sequence_of_writes(writes):
    machine = writes.TestCase
    machine.settings = settings(
        max_examples=12,
        stateful_step_count=12,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.reuse, Phase.generate],  # bounded: no shrinking
    )
    machine().runTest()


# Rebuilding and installing ----------------------------------------------------------------


def _content():
    theme = make_theme()
    organisation = make_organisation(sector=Sector.GOVERNMENT)
    partnership = make_partnership(partners=[(organisation, Role.LEAD)], tags=["water"])
    make_lesson(themes=[theme], tags=["water", "trust"], partnership=partnership)
    make_lesson(themes=[theme], moderation=ModerationStatus.PENDING, tags=["pending-only"])


def test_rebuild_computes_every_count_from_the_rows():
    _content()
    kept = stored()
    PublicCount.objects.all().delete()
    CountContribution.objects.all().delete()

    with connection.cursor() as cursor:
        for statement in public_count_triggers.rebuild(connection):
            cursor.execute(statement)

    assert stored() == kept == recount()
    assert kept[(public_counts.LESSONS, "")] == 1
    assert (public_counts.LESSON_TAG, str(Tag.objects.get(name="pending-only").pk)) not in kept


def test_installing_after_triggers_went_missing_recounts_what_they_missed():
    _content()
    with connection.cursor() as cursor:
        for statement in public_count_triggers.PUBLIC_COUNT_TRIGGERS.drop(connection):
            cursor.execute(statement)
    Lesson.objects.update(moderation_status=ModerationStatus.PUBLISHED)  # not counted
    assert stored() != recount()

    install(public_count_triggers.PUBLIC_COUNT_TRIGGERS)

    assert_counts_exact()
    assert stored()[(public_counts.LESSONS, "")] == 2


def test_installing_again_keeps_the_counts_and_recounts_nothing():
    _content()
    before = list(PublicCount.objects.order_by("pk").values_list("pk", "scope", "value", "total"))

    install(public_count_triggers.PUBLIC_COUNT_TRIGGERS)

    after = list(PublicCount.objects.order_by("pk").values_list("pk", "scope", "value", "total"))
    assert after == before  # same rows, same ids: not rebuilt


def test_the_rebuild_command_restores_counts_a_raw_write_broke():
    _content()
    PublicCount.objects.filter(scope=public_counts.LESSONS).update(total=99)

    management.call_command("rebuild_counts", stdout=io.StringIO())

    assert_counts_exact()


def test_every_count_trigger_survives_the_migrations():
    # A migration that rebuilds a table on SQLite silently drops the triggers on it.
    declared = public_count_triggers.PUBLIC_COUNT_TRIGGERS.names(connection)

    # Three events on each of eight watched tables (the eighth: partners' sign-offs).
    assert len(declared) == 3 * 8 + (3 if connection.vendor == "sqlite" else 0)
    assert not set(declared) & set(missing())
