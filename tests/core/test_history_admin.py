"""The curators' history pages: who changed what, a diff between any two versions, revert
(confirmed, itself a new version, keeping moderation state and erased data), recovery of
deleted items, and nothing of it for anyone without the model's change permission."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from alliances.models import Participation, Partnership, Role
from core import history
from core.moderation import ModerationStatus
from core.services import contributor_erase
from lessons.models import Lesson
from tests.core.history_helpers import (
    CURATOR_PERMISSIONS,
    admin_url,
    edit_in_admin,
    staff_with,
    versions,
)
from tests.factories import make_lesson, make_organisation, make_partnership
from tests.helpers import run_admin_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, django_user_model):
    """A staff curator with the real permissions (not a superuser), signed in."""
    client.force_login(staff_with(django_user_model, "ana", *CURATOR_PERMISSIONS, first_name="Ana"))
    return client


@pytest.fixture
def lesson(trust):
    return make_lesson(
        title="Agree what words mean",
        themes=[trust],
        tags=["water"],
        context="The partners used the same words for different things.",
        contributor_name="Rosa Diaz",
        contributor_email="rosa@example.org",
    )


def test_the_history_lists_each_version_with_who_made_it(curator_client, lesson):
    with history.revision(by="manage.py load_report", comment="Loaded the 2012 report."):
        history.record([lesson])
    with history.revision(by_contributor=True):
        history.record([lesson])
    edit_in_admin(curator_client, lesson, title="Agree what the words mean")

    page = curator_client.get(admin_url(lesson, "history")).content.decode()

    assert "manage.py load_report" in page and "Loaded the 2012 report." in page
    assert "the contributor" in page
    assert "<td>Ana</td>" in page
    # The baseline (as it was before its history was kept) was not needed: it had versions.
    assert "before its history was kept" not in page
    assert len(versions(lesson)) == 3


def test_a_first_edit_keeps_the_state_before_it(curator_client, lesson):
    edit_in_admin(curator_client, lesson, title="Agree what the words mean")

    older, newer = versions(lesson)[::-1]
    assert older.field_dict["title"] == "Agree what words mean"
    assert newer.field_dict["title"] == "Agree what the words mean"
    assert newer.revision.user.username == "ana"


def test_the_diff_between_any_two_versions_names_fields_choices_and_tags(curator_client, lesson):
    edit_in_admin(curator_client, lesson, title="Agree on words")
    edit_in_admin(
        curator_client,
        lesson,
        experience="went_wrong",
        tags="water, trust",
        context="The partners used the same words for very different things.",
    )
    newest, _, oldest = versions(lesson)

    page = " ".join(
        curator_client.get(admin_url(lesson, "compare"), {"from": newest.pk, "to": oldest.pk})
        .content.decode()
        .split()
    )

    # Ordered oldest to newest whichever way they were chosen; labels, not column names.
    assert (
        '<th scope="row">Title</th> <td>Agree what words mean</td><td>Agree on words</td>' in page
    )
    assert (
        '<th scope="row">Worked or went wrong</th> <td>What worked</td><td>What went wrong</td>'
        in page
    )
    assert '<ins><span class="visually-hidden">added: </span>very </ins>' in page
    assert '<li><ins><span class="visually-hidden">added: </span>trust</ins></li>' in page
    assert "<li>water</li>" in page
    # What did not change is not listed.
    assert "Recommendation" not in page.split("history-diff")[1]


def test_comparing_needs_two_different_versions_of_this_item(curator_client, lesson, trust):
    edit_in_admin(curator_client, lesson, title="Agree on words")
    other = make_lesson(themes=[trust])
    edit_in_admin(curator_client, other, title="Another title")
    mine, foreign = versions(lesson)[0], versions(other)[0]

    same = curator_client.get(admin_url(lesson, "compare"), {"from": mine.pk, "to": mine.pk})
    wrong = curator_client.get(admin_url(lesson, "compare"), {"from": mine.pk, "to": foreign.pk})
    junk = curator_client.get(admin_url(lesson, "compare"), {"from": "x", "to": "9" * 30})

    assert same.status_code == 302
    assert wrong.status_code == 404
    assert junk.status_code == 404


def test_revert_asks_first_then_restores_the_content_as_a_new_version(
    curator_client, lesson, client
):
    edit_in_admin(curator_client, lesson, title="A worse title", tags="water, noise")
    first = versions(lesson)[-1]

    confirm = curator_client.get(admin_url(lesson, "revision", first.pk))
    assert confirm.status_code == 200
    assert "Yes, revert to this version" in confirm.content.decode()
    assert Lesson.objects.get(pk=lesson.pk).title == "A worse title"  # asking changed nothing

    done = curator_client.post(admin_url(lesson, "revision", first.pk))

    assert done.status_code == 302
    lesson.refresh_from_db()
    assert lesson.title == "Agree what words mean"
    assert sorted(lesson.tags.names()) == ["water"]
    newest = versions(lesson)[0]
    assert len(versions(lesson)) == 3
    assert newest.revision.comment.startswith("Reverted to the version of")
    assert newest.revision.user.username == "ana"
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "Agree what words mean" in page and "A worse title" not in page


def test_a_revert_keeps_the_moderation_state_the_helpful_count_and_erased_data(
    curator_client, lesson, django_user_model
):
    """Reverting a published lesson to the text it had while pending keeps it published;
    reverting a rejected one to its published text keeps it rejected; neither brings back
    the contributor's erased details nor turns back "this helped me"."""
    Lesson.objects.filter(pk=lesson.pk).update(moderation_status=ModerationStatus.PENDING)
    lesson.refresh_from_db()
    edit_in_admin(curator_client, lesson, title="Draft title")
    draft = versions(lesson)[0]
    edit_in_admin(curator_client, lesson, title="Final title", moderation_status="published")
    Lesson.objects.filter(pk=lesson.pk).update(helpful_count=7)
    contributor_erase(items=[lesson], by=django_user_model.objects.get(username="ana"))

    curator_client.post(admin_url(lesson, "revision", draft.pk))

    lesson.refresh_from_db()
    assert lesson.title == "Draft title"
    assert lesson.moderation_status == ModerationStatus.PUBLISHED
    assert lesson.helpful_count == 7
    assert (lesson.contributor_name, lesson.contributor_email) == ("", "")
    assert lesson.publish_anonymously

    Lesson.objects.filter(pk=lesson.pk).update(moderation_status=ModerationStatus.REJECTED)
    published_text = versions(lesson)[1]
    curator_client.post(admin_url(lesson, "revision", published_text.pk))
    lesson.refresh_from_db()
    assert lesson.moderation_status == ModerationStatus.REJECTED


def test_a_revert_that_cannot_complete_changes_nothing(curator_client, lesson, trust):
    edit_in_admin(curator_client, lesson, slug="new-words")
    first = versions(lesson)[-1]
    make_lesson(themes=[trust], slug="agree-what-words-mean")  # the old slug is taken
    before = len(versions(lesson))

    response = curator_client.post(admin_url(lesson, "revision", first.pk), follow=True)

    assert "Nothing was reverted" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.slug == "new-words"
    assert len(versions(lesson)) == before


def test_a_deleted_case_study_is_recovered_with_its_partners_and_tags(curator_client):
    ministry = make_organisation(name="Ministry of Water")
    pumps = make_organisation(name="Pump Makers")
    case = make_partnership(
        name="Water for Towns",
        partners=[(ministry, Role.LEAD), (pumps, Role.FUNDER)],
        tags=["water"],
    )
    pk = case.pk
    response = curator_client.post(admin_url(case, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Partnership.objects.filter(pk=pk).exists()

    listing = curator_client.get(reverse("admin:alliances_partnership_recoverlist"))
    deleted = Version.objects.get_deleted(Partnership).get()
    assert "Water for Towns" in listing.content.decode()
    confirm = curator_client.get(reverse("admin:alliances_partnership_recover", args=[deleted.pk]))
    assert "Ministry of Water" in confirm.content.decode()
    assert not Partnership.objects.filter(pk=pk).exists()

    done = curator_client.post(reverse("admin:alliances_partnership_recover", args=[deleted.pk]))

    assert done.status_code == 302
    recovered = Partnership.objects.get(pk=pk)
    assert recovered.name == "Water for Towns"
    assert recovered.moderation_status == ModerationStatus.PUBLISHED
    assert sorted(
        Participation.objects.filter(partnership=recovered).values_list(
            "organisation__name", "role"
        )
    ) == [("Ministry of Water", Role.LEAD), ("Pump Makers", Role.FUNDER)]
    assert list(recovered.tags.names()) == ["water"]
    assert versions(recovered)[0].revision.comment.startswith("Recovered")


def test_a_bulk_delete_is_recoverable_item_by_item(curator_client, trust):
    kept, gone = (
        make_lesson(themes=[trust], title="Kept"),
        make_lesson(themes=[trust], title="Gone"),
    )

    run_admin_action(
        curator_client,
        reverse("admin:lessons_lesson_changelist"),
        "delete_selected",
        [kept, gone],
        post="yes",
    )
    assert not Lesson.objects.exists()
    gone_version = Version.objects.get_deleted(Lesson).get(object_id=str(gone.pk))

    curator_client.post(reverse("admin:lessons_lesson_recover", args=[gone_version.pk]))

    assert list(Lesson.objects.values_list("title", flat=True)) == ["Gone"]
    assert list(Lesson.objects.get().themes.all()) == [trust]


def test_recovering_over_a_taken_address_is_refused_and_changes_nothing(curator_client, trust):
    gone = make_lesson(themes=[trust], title="Gone", slug="gone")
    curator_client.post(admin_url(gone, "delete"), {"post": "yes"})
    make_lesson(themes=[trust], title="Other", slug="gone")
    deleted = Version.objects.get_deleted(Lesson).get()

    response = curator_client.post(
        reverse("admin:lessons_lesson_recover", args=[deleted.pk]), follow=True
    )

    assert "Nothing was recovered" in response.content.decode()
    assert list(Lesson.objects.values_list("title", flat=True)) == ["Other"]


# Curators only --------------------------------------------------------------------------


def test_staff_without_the_change_permission_sees_no_history(client, django_user_model, lesson):
    client.force_login(staff_with(django_user_model, "viewer", "view_lesson"))
    with history.revision(comment="one"):
        history.record([lesson])
    version = versions(lesson)[0]

    pages = [
        client.get(admin_url(lesson, "history")),
        client.get(admin_url(lesson, "compare"), {"from": version.pk, "to": version.pk}),
        client.get(admin_url(lesson, "revision", version.pk)),
        client.post(admin_url(lesson, "revision", version.pk)),
        client.get(reverse("admin:lessons_lesson_recoverlist")),
        client.get(reverse("admin:lessons_lesson_recover", args=[version.pk])),
    ]

    assert [page.status_code for page in pages] == [403] * len(pages)
    assert len(versions(lesson)) == 1


def test_visitors_are_sent_to_the_login_page(client, lesson):
    with history.revision(comment="one"):
        history.record([lesson])
    version = versions(lesson)[0]

    for url in (admin_url(lesson, "history"), admin_url(lesson, "revision", version.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


# Query counts at two sizes ----------------------------------------------------------------


def _grow(lesson, count):
    for number in range(count):
        with history.revision(comment=f"edit {number}"):
            Lesson.objects.filter(pk=lesson.pk).update(title=f"Title {number}")
            lesson.tags.add(f"tag-{number}")
            history.record([lesson])


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_the_history_and_diff_cost_the_same_queries_at_3_and_30_versions(curator_client, trust):
    small, large = make_lesson(themes=[trust]), make_lesson(themes=[trust])
    _grow(small, 3)
    _grow(large, 30)

    def costs(item):
        newest, oldest = versions(item)[0], versions(item)[-1]
        return (
            _queries(curator_client, admin_url(item, "history")),
            _queries(
                curator_client, admin_url(item, "compare"), {"from": oldest.pk, "to": newest.pk}
            ),
            _queries(curator_client, admin_url(item, "revision", oldest.pk)),
        )

    assert costs(small) == costs(large)


def test_a_revert_leaves_out_what_was_deleted_since_and_says_so(curator_client, lesson, trust):
    edit_in_admin(curator_client, lesson, tags="water, budgets")
    with_budgets = versions(lesson)[0]
    edit_in_admin(curator_client, lesson, tags="water")
    Tag.objects.filter(name="budgets").delete()

    response = curator_client.post(admin_url(lesson, "revision", with_budgets.pk), follow=True)

    page = response.content.decode()
    assert "Left out, deleted since: a tagged lesson (its tag was deleted since)" in page
    lesson.refresh_from_db()
    assert sorted(lesson.tags.names()) == ["water"]
    assert list(lesson.themes.all()) == [trust]
