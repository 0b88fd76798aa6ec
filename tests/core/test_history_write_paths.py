"""Every way curated content is written records a version, in the same transaction as the
change: the admin's change forms (inlines travelling with their item), its bulk actions and
deletes, the visitors' forms, load_report; and what privacy removes leaves the history too
(erasing a contributor, purge_expired)."""

from datetime import timedelta

import pytest
import reversion
from django.core.management import call_command
from django.db import IntegrityError
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from alliances.models import Partnership, Role
from core import history
from lessons.models import Lesson, Quote, Source, Theme
from tests.admin_forms import admin_form
from tests.core.history_helpers import (
    CURATOR_PERMISSIONS,
    admin_url,
    edit_in_admin,
    staff_with,
    versions,
)
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme
from tests.form_data import lesson_data, partnership_data
from tests.helpers import run_admin_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(django_user_model):
    return staff_with(django_user_model, "ana", *CURATOR_PERMISSIONS, "change_organisation")


@pytest.fixture
def curator_client(client, ana):
    client.force_login(ana)
    return client


@pytest.fixture
def saves_outside_a_revision():
    """Every registered item saved while no revision was open: the safety net's proof that a
    path opened one (a model saved outside would have no version of that change)."""
    outside = []

    def watch(sender, instance, raw=False, **kwargs):
        if reversion.is_registered(sender) and not reversion.is_active():
            outside.append(f"{sender.__name__} {instance.pk}")

    post_save.connect(watch, weak=False, dispatch_uid="history-watch")
    yield outside
    post_save.disconnect(dispatch_uid="history-watch")


# The admin's change forms ----------------------------------------------------------------


def _source():
    return Source.objects.create(title="The 2012 report", slug="report-2012")


CHANGES = {
    "theme": (lambda: make_theme(title="Build Trust"), {"summary": "Say what you mean."}),
    "source": (_source, {"publisher": "The Partnering Initiative"}),
    "organisation": (lambda: make_organisation(name="Pump Makers"), {"country": "Kenya"}),
    "case study": (lambda: make_partnership(name="Water for Towns"), {"summary": "Pipes laid."}),
    "lesson": (
        lambda: make_lesson(title="Agree on words", themes=[make_theme()]),
        {"insight": "Write a glossary."},
    ),
}


@pytest.mark.parametrize("kind", CHANGES)
def test_an_admin_edit_records_a_version_by_the_curator(
    curator_client, ana, kind, saves_outside_a_revision
):
    make, changes = CHANGES[kind]
    item = make()
    saves_outside_a_revision.clear()

    edit_in_admin(curator_client, item, **changes)

    newest = versions(item)[0]
    field, value = next(iter(changes.items()))
    assert newest.field_dict[field] == value
    assert newest.revision.user == ana
    assert saves_outside_a_revision == []


def test_a_themes_quotes_travel_with_it(curator_client, trust):
    quote = Quote.objects.create(
        theme=trust, source=_source(), text="Trust is built slowly.", speaker="Ama", slug="ama"
    )

    edit_in_admin(curator_client, trust, **{"quotes-0-text": "Trust is built in drops."})

    newest = versions(trust)[0]
    quote_versions = newest.revision.version_set.filter(object_id=str(quote.pk)).exclude(
        pk=newest.pk
    )
    assert [each.field_dict["text"] for each in quote_versions] == ["Trust is built in drops."]


def test_a_case_studys_partners_travel_with_it(curator_client):
    ministry = make_organisation(name="Ministry of Water")
    case = make_partnership(name="Water for Towns", partners=[(ministry, Role.LEAD)])

    edit_in_admin(curator_client, case, **{"participations-0-role": Role.FUNDER})

    assert case.participations.get().role == Role.FUNDER
    revision = versions(case)[0].revision
    roles = [
        each.field_dict["role"]
        for each in revision.version_set.all()
        if each.content_type.model == "participation"
    ]
    assert roles == [Role.FUNDER]


def test_a_failed_change_leaves_no_version(trust):
    lesson = make_lesson(themes=[trust], slug="taken")
    other = make_lesson(themes=[trust], slug="other")
    before = Version.objects.count()

    with pytest.raises(IntegrityError), history.revision(comment="doomed"):
        Lesson.objects.filter(pk=lesson.pk).update(title="Changed")
        history.record([lesson])
        other.slug = "taken"
        other.save()

    assert Version.objects.count() == before
    assert not Revision.objects.filter(comment="doomed").exists()
    assert Lesson.objects.get(pk=lesson.pk).title != "Changed"


def test_an_admin_form_refused_records_nothing(curator_client, trust):
    lesson = make_lesson(themes=[trust], title="Agree on words")
    url = admin_url(lesson, "change")
    response = curator_client.post(url, admin_form(curator_client, url, title=""))

    assert response.status_code == 200  # the form, with its error
    # Only the baseline (the item as it was) was kept; no version of a change that failed.
    assert [each.field_dict["title"] for each in versions(lesson)] == ["Agree on words"]


# Bulk actions and deletes ----------------------------------------------------------------


def test_erasing_a_contributor_records_a_version_and_scrubs_every_earlier_one(
    curator_client, ana, trust, saves_outside_a_revision
):
    lesson = make_lesson(
        themes=[trust], contributor_name="Rosa Diaz", contributor_email="rosa@example.org"
    )
    case = make_partnership(contributor_name="Rosa Diaz", contributor_email="ROSA@example.org")
    edit_in_admin(curator_client, lesson, title="Edited once")
    edit_in_admin(curator_client, case, summary="Edited once")
    assert Version.objects.filter(serialized_data__contains="rosa@example.org").exists()
    saves_outside_a_revision.clear()

    run_admin_action(
        curator_client,
        reverse("admin:lessons_lesson_changelist"),
        "erase_contributor",
        [lesson],
        apply="yes",
    )

    for stored in Version.objects.all():
        assert "rosa@" not in stored.serialized_data.lower()
        assert "Rosa Diaz" not in stored.serialized_data
    for item in (lesson, case):
        newest = versions(item)[0]
        assert newest.revision.user == ana
        assert newest.revision.comment == "Erased the contributor's personal data."
        assert newest.field_dict["publish_anonymously"] is True
    # The titles and text kept their history.
    assert [each.field_dict["title"] for each in versions(lesson)][-1] != "Edited once"
    assert saves_outside_a_revision == []


def test_purge_expired_forgets_items_deleted_before_the_window_only(curator_client, trust):
    old = make_lesson(themes=[trust], title="Deleted long ago", contributor_name="Rosa")
    recent = make_lesson(themes=[trust], title="Deleted yesterday")
    kept = make_lesson(themes=[trust], title="Still here")
    edit_in_admin(curator_client, kept, title="Still here, edited")
    curator_client.post(admin_url(old, "delete"), {"post": "yes"})
    Revision.objects.filter(version__object_id=str(old.pk), comment=history.DELETED).update(
        date_created=timezone.now() - timedelta(days=31)
    )
    curator_client.post(admin_url(recent, "delete"), {"post": "yes"})

    call_command("purge_expired", verbosity=0)

    assert not Version.objects.get_for_object_reference(Lesson, old.pk).exists()
    assert not Version.objects.filter(serialized_data__contains="Rosa").exists()
    assert [v.object_repr for v in Version.objects.get_deleted(Lesson)] == ["Deleted yesterday"]
    assert len(versions(kept)) == 2


def test_purge_expired_with_a_shorter_window(curator_client, trust):
    gone = make_lesson(themes=[trust], title="Gone")
    curator_client.post(admin_url(gone, "delete"), {"post": "yes"})

    call_command("purge_expired", "--deleted-kept-days", "0", verbosity=0)

    assert not Version.objects.exists()
    assert not Revision.objects.exists()


# Visitors' forms and commands ------------------------------------------------------------


def test_a_submitted_lesson_has_a_first_version_by_the_contributor(
    client, trust, saves_outside_a_revision
):
    client.post(reverse("submissions:lesson-submit"), lesson_data([trust]))

    lesson = Lesson.objects.get()
    (first,) = versions(lesson)
    assert history.author(first.revision) == "the contributor"
    assert first.revision.user is None
    assert saves_outside_a_revision == []


def test_a_submitted_case_study_has_its_partners_in_its_first_version(client):
    client.post(reverse("submissions:partnership-submit"), partnership_data())

    case = Partnership.objects.get()
    (first,) = versions(case)
    kinds = sorted(each.content_type.model for each in first.revision.version_set.all())
    assert "participation" in kinds and "organisation" in kinds
    assert history.author(first.revision) == "the contributor"


def test_load_report_records_a_version_of_everything_it_writes(saves_outside_a_revision):
    call_command("load_report", verbosity=0)

    revision = Revision.objects.get()
    assert history.author(revision) == "manage.py load_report"
    for model in (Theme, Quote, Lesson):
        assert Version.objects.get_for_model(model).count() == model.objects.count() > 0
    assert saves_outside_a_revision == []


@pytest.mark.parametrize("action", ["publish_selected", "reject_selected"])
def test_a_bulk_action_versions_the_items_it_changed_and_no_other(
    curator_client, ana, trust, action
):
    pending = [make_lesson(themes=[trust], moderation="pending") for _ in range(2)]
    settled = make_lesson(
        themes=[trust], moderation="published" if "publish" in action else "rejected"
    )
    untouched = make_lesson(themes=[trust], moderation="pending")
    for item in (*pending, settled, untouched):
        with history.revision(comment="before"):
            history.record([item])

    # From a list filtered the way a curator works the queue: the action takes the rows out.
    run_admin_action(
        curator_client,
        reverse("admin:lessons_lesson_changelist") + "?moderation_status__exact=pending",
        action,
        [*pending, settled],
        apply="yes",
        reason="Out of scope.",
    )

    state = "published" if "publish" in action else "rejected"
    for item in pending:
        newest = versions(item)[0]
        assert newest.field_dict["moderation_status"] == state
        assert newest.revision.user == ana
        assert len(versions(item)) == 2
    assert len(versions(settled)) == 1
    assert len(versions(untouched)) == 1


def test_erasing_a_contributor_reaches_their_deleted_items_versions(curator_client, trust):
    kept = make_lesson(themes=[trust], contributor_name="Rosa Diaz", contributor_email="rosa@x.org")
    deleted = make_lesson(
        themes=[trust], title="Deleted one", contributor_name="Rosa", contributor_email="ROSA@x.org"
    )
    someone_else = make_lesson(
        themes=[trust], title="Not hers", contributor_name="Bo", contributor_email="bo@x.org"
    )
    for item in (deleted, someone_else):
        curator_client.post(admin_url(item, "delete"), {"post": "yes"})

    run_admin_action(
        curator_client,
        reverse("admin:lessons_lesson_changelist"),
        "erase_contributor",
        [kept],
        apply="yes",
    )

    assert not Version.objects.filter(serialized_data__icontains="rosa").exists()
    assert Version.objects.filter(serialized_data__contains="bo@x.org").exists()
    # Still recoverable, without her details.
    recoverable = Version.objects.get_deleted(Lesson).get(object_id=str(deleted.pk))
    assert recoverable.field_dict["title"] == "Deleted one"
    assert recoverable.field_dict["contributor_email"] == ""


@pytest.mark.parametrize("kind", CHANGES)
def test_every_curated_models_history_and_diff_read_well(curator_client, kind):
    make, changes = CHANGES[kind]
    item = make()
    edit_in_admin(curator_client, item, **changes)
    newest, oldest = versions(item)[0], versions(item)[-1]

    listing = curator_client.get(admin_url(item, "history"))
    diff = curator_client.get(admin_url(item, "compare"), {"from": oldest.pk, "to": newest.pk})

    assert listing.status_code == diff.status_code == 200
    field, value = next(iter(changes.items()))
    label = type(item)._meta.get_field(field).verbose_name
    text = " ".join(diff.content.decode().split())
    assert f'<th scope="row">{label[0].upper()}{label[1:]}</th>' in text
    assert value.split()[-1].rstrip(".") in text
