"""The content version and the rows content shares: links, partners, organisations, tags,
themes. Each moves the version only while published content shows it."""

import pytest
from django.db import connection
from django.urls import reverse
from taggit.models import Tag

from alliances.models import Participation, Role
from core.caching import content_version
from core.models import ContentVersion
from core.moderation import ModerationStatus
from lessons.models import Lesson, Quote, Source
from tests.admin_forms import admin_form
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db

PENDING, PUBLISHED, REJECTED = (
    ModerationStatus.PENDING.value,
    ModerationStatus.PUBLISHED.value,
    ModerationStatus.REJECTED.value,
)


def admin_save(client, item, **changes):
    opts = item._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
    response = client.post(url, admin_form(client, url, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


def moves(write) -> bool:
    version = content_version()
    write()
    return content_version() != version


# Links of one item: moved exactly when the item is published --------------------------


def lesson_link_writes(lesson, theme, other_theme):
    return {
        "tag added": lambda: lesson.tags.add("added"),
        "tag removed": lambda: lesson.tags.remove("kept"),
        "theme added": lambda: lesson.themes.add(other_theme),
        "theme removed": lambda: lesson.themes.remove(theme),
    }


def partnership_link_writes(partnership, partner):
    return {
        "tag added": lambda: partnership.tags.add("added"),
        "tag removed": lambda: partnership.tags.remove("kept"),
        "partner added": lambda: Participation.objects.create(
            partnership=partnership, organisation=make_organisation(), role=Role.ADVISER
        ),
        "partner removed": lambda: Participation.objects.filter(organisation=partner).delete(),
        "partner's role changed": lambda: Participation.objects.filter(organisation=partner).update(
            role=Role.FUNDER
        ),
    }


WRITES = ["tag added", "tag removed", "theme added", "theme removed"]
PARTNER_WRITES = ["tag added", "tag removed", "partner added", "partner removed"]


@pytest.mark.parametrize("moderation", [PENDING, PUBLISHED, REJECTED])
@pytest.mark.parametrize("write", WRITES)
def test_a_lessons_links_move_it_only_while_it_is_published(moderation, write):
    theme, other_theme = make_theme(), make_theme()
    lesson = make_lesson(themes=[theme], tags=["kept"], moderation=moderation)

    moved = moves(lesson_link_writes(lesson, theme, other_theme)[write])

    assert moved == (moderation == PUBLISHED)


@pytest.mark.parametrize("moderation", [PENDING, PUBLISHED, REJECTED])
@pytest.mark.parametrize("write", [*PARTNER_WRITES, "partner's role changed"])
def test_a_case_studys_links_move_it_only_while_it_is_published(moderation, write):
    partner = make_organisation()
    partnership = make_partnership(
        partners=[(partner, Role.LEAD)], tags=["kept"], moderation=moderation
    )

    moved = moves(partnership_link_writes(partnership, partner)[write])

    assert moved == (moderation == PUBLISHED)


@pytest.mark.parametrize("write", PARTNER_WRITES)
def test_the_case_study_a_published_lesson_credits_moves_it_though_pending(write):
    """A published lesson's credit reads its case study's partners, published or not."""
    partner = make_organisation()
    partnership = make_partnership(
        partners=[(partner, Role.LEAD)], tags=["kept"], moderation=PENDING
    )
    make_lesson(partnership=partnership)

    moved = moves(partnership_link_writes(partnership, partner)[write])

    # Its tags are not read by the lesson; its partners are.
    assert moved == write.startswith("partner")
    assert moves(lambda: partnership.__class__.objects.filter(pk=partnership.pk).update(name="x"))


# Organisations, tags, themes: moved while published content shows them ------------------


def test_an_organisation_edit_moves_it_only_when_published_content_shows_it(
    curator_client, water_for_towns, pending_pipeline, ministry, pumps
):
    unseen = make_organisation(name="Only Pending")
    Participation.objects.create(partnership=pending_pipeline, organisation=unseen, role="funder")
    version = content_version()

    admin_save(curator_client, unseen, name="Still Only Pending", country="Chad")
    assert content_version() == version

    admin_save(curator_client, pumps, name="Pumps and Pipes plc")
    assert content_version() != version
    # A new organisation with no part in anything is seen by nobody.
    assert not moves(lambda: make_organisation(name="Brand New"))


def test_a_tag_rename_moves_it_only_when_published_content_carries_the_tag(
    curator_client, water_for_towns, pending_pipeline
):
    secret = Tag.objects.get(name="secret-tag")
    water = Tag.objects.get(name="water")
    version = content_version()

    admin_save(curator_client, secret, name="still-secret", slug="still-secret")
    assert content_version() == version

    admin_save(curator_client, water, name="Water", slug="water")
    assert content_version() != version


def test_a_tag_deleted_moves_it_only_when_published_content_carries_it(
    curator_client, water_for_towns, pending_pipeline
):
    secret = Tag.objects.get(name="secret-tag")
    delete = reverse("admin:taggit_tag_delete", args=[secret.pk])
    assert not moves(lambda: curator_client.post(delete, {"post": "yes"}))
    assert not Tag.objects.filter(name="secret-tag").exists()

    water = Tag.objects.get(name="water")
    delete = reverse("admin:taggit_tag_delete", args=[water.pk])
    assert moves(lambda: curator_client.post(delete, {"post": "yes"}))
    assert not Tag.objects.filter(name="water").exists()


def test_theme_quote_and_source_edits_always_move_it(curator_client, trust):
    source = Source.objects.create(title="The report", slug="the-report")
    quote = Quote.objects.create(slug="q", text="Trust takes time.", speaker="A", source=source)

    assert moves(lambda: admin_save(curator_client, trust, summary="Say what you know."))
    assert moves(lambda: Quote.objects.filter(pk=quote.pk).update(theme=trust))
    assert moves(lambda: Source.objects.filter(pk=source.pk).update(publisher="The Forum"))


# A lesson's own columns ------------------------------------------------------------------


def test_a_helpful_count_alone_moves_nothing_but_with_any_other_change_it_moves():
    lesson = make_lesson()
    rows = Lesson.objects.filter(pk=lesson.pk)

    assert not moves(lambda: rows.update(helpful_count=7))
    assert moves(lambda: rows.update(helpful_count=8, title="Retitled"))
    assert moves(lambda: rows.update(evidence="New evidence"))


def test_an_unchanged_save_of_a_published_lesson_still_moves_it():
    """Saving stamps updated_at, which the sitemap shows."""
    lesson = make_lesson()

    assert moves(lesson.save)


# One change per statement on PostgreSQL ----------------------------------------------------


def version_number():
    return ContentVersion.objects.get(pk=1).number


@pytest.mark.parametrize("moderation", [PENDING, PUBLISHED])
def test_a_statement_over_many_rows_moves_it_once_on_postgresql(moderation):
    theme = make_theme()
    lessons = [make_lesson(themes=[theme], tags=["t"], moderation=moderation) for _ in range(3)]
    ids = [lesson.pk for lesson in lessons]
    before = version_number()

    Lesson.objects.filter(pk__in=ids).update(evidence="Bulk")
    Lesson.tags.through.objects.filter(content_object__in=ids).delete()

    per_statement = 1 if connection.vendor == "postgresql" else len(ids)
    expected = 2 * per_statement if moderation == PUBLISHED else 0
    assert version_number() - before == expected
