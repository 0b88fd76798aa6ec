"""generate_sample: realistic, repeatable sample data that --clear removes exactly."""

import statistics
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Q
from django.utils.text import slugify
from taggit.models import Tag

from alliances.models import (
    Organisation,
    Outcome,
    Participation,
    Partnership,
    Role,
    Sector,
    TaggedPartnership,
)
from core import triggers
from core.caching import content_version
from core.moderation import ModerationStatus
from lessons.models import Lesson, TaggedLesson, Theme
from tests.factories import make_lesson, make_organisation, make_partnership
from tests.helpers import found

pytestmark = pytest.mark.django_db

PARTNERSHIPS, LESSONS = 30, 120
# What sample submissions go through: "changes requested" needs a contributor to answer it.
ALL_STATUSES = {
    ModerationStatus.PENDING.value,
    ModerationStatus.PUBLISHED.value,
    ModerationStatus.REJECTED.value,
}


def generate(partnerships=PARTNERSHIPS, lessons=LESSONS, **options):
    """Run the command quietly; returns what it printed."""
    out = StringIO()
    call_command(
        "generate_sample", partnerships=partnerships, lessons=lessons, stdout=out, **options
    )
    return out.getvalue()


def snapshot():
    """Everything the tests compare between runs, in a stable order."""
    return (
        list(Organisation.objects.order_by("slug").values_list("slug", "name", "sector")),
        list(
            Partnership.objects.order_by("slug").values_list(
                "slug", "name", "moderation_status", "outcome", "story"
            )
        ),
        list(
            Lesson.objects.order_by("slug").values_list(
                "slug", "title", "moderation_status", "partnership__slug", "insight"
            )
        ),
        sorted(TaggedLesson.objects.values_list("content_object__slug", "tag__name")),
    )


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisation,
            Partnership,
            Participation,
            TaggedPartnership,
            Lesson,
            TaggedLesson,
            Lesson.themes.through,
            Theme,
        )
    }


def test_creates_exactly_the_requested_rows_all_marked_as_sample():
    output = generate()

    assert Partnership.objects.filter(is_sample=True).count() == PARTNERSHIPS
    assert Lesson.objects.filter(is_sample=True).count() == LESSONS
    assert not Partnership.objects.filter(is_sample=False).exists()
    assert not Organisation.objects.filter(is_sample=False).exists()
    for model in (Organisation, Partnership, Lesson):
        slugs = model.objects.filter(is_sample=True).values_list("slug", flat=True)
        assert all(slug.startswith("sample-") for slug in slugs)
    assert f"{PARTNERSHIPS} partnerships" in output
    assert f"{LESSONS} lessons" in output


def test_loads_the_report_first_when_there_are_no_themes():
    assert not Theme.objects.exists()

    generate()

    assert Theme.objects.count() == 8
    # The report's own lessons are real content, not sample.
    assert Lesson.objects.filter(is_sample=False).exists()


def test_both_kinds_are_mostly_published_with_some_pending_and_rejected():
    generate()

    for model in (Partnership, Lesson):
        rows = model.objects.filter(is_sample=True)
        statuses = Counter(rows.values_list("moderation_status", flat=True))
        assert set(statuses) == ALL_STATUSES
        assert statuses[ModerationStatus.PUBLISHED] >= 0.85 * rows.count()
        published = rows.filter(moderation_status=ModerationStatus.PUBLISHED)
        assert not published.filter(published_at__isnull=True).exists()
        assert not rows.exclude(moderation_status=ModerationStatus.PUBLISHED).filter(
            published_at__isnull=False
        )
        rejected = rows.filter(moderation_status=ModerationStatus.REJECTED)
        assert not rejected.filter(rejection_reason="").exists()


def test_every_partnership_has_two_to_six_partners_from_two_sectors_and_one_lead():
    generate()

    partnerships = Partnership.objects.annotate(
        partners=Count("participations"),
        organisations_count=Count("participations__organisation", distinct=True),
        sectors=Count("participations__organisation__sector", distinct=True),
        leads=Count("participations", filter=Q(participations__role=Role.LEAD)),
    )
    for partnership in partnerships:
        assert 2 <= partnership.partners <= 6, partnership
        assert partnership.organisations_count == partnership.partners, partnership
        assert partnership.sectors >= 2, partnership
        assert partnership.leads == 1, partnership


def test_partnerships_read_like_partnership_drafts():
    generate()

    partnerships = Partnership.objects.filter(is_sample=True)
    for partnership in partnerships.prefetch_related("participations__organisation"):
        assert 1995 <= partnership.start_year <= 2025
        if partnership.end_year is not None:
            assert partnership.end_year >= partnership.start_year
        assert partnership.story.count("\n\n") >= 3
        assert len(partnership.summary) <= 600
        has_government = any(
            p.organisation.sector == Sector.GOVERNMENT for p in partnership.participations.all()
        )
        assert bool(partnership.government_role) == has_government
    outcomes = Counter(partnerships.values_list("outcome", flat=True))
    assert outcomes[Outcome.NOT_AS_PLANNED] >= 0.15 * PARTNERSHIPS


def test_organisations_are_shared_between_partnerships():
    generate()

    assert Organisation.objects.count() < Participation.objects.count()
    busiest = Organisation.objects.annotate(n=Count("partnerships")).order_by("-n").first()
    assert busiest.n >= 2


def test_lessons_have_themes_tags_and_mostly_a_published_partnership_draft():
    generate()

    lessons = Lesson.objects.filter(is_sample=True).annotate(
        theme_count=Count("themes", distinct=True), tag_count=Count("tags", distinct=True)
    )
    assert all(1 <= lesson.theme_count <= 3 for lesson in lessons)
    assert all(1 <= lesson.tag_count <= 5 for lesson in lessons)
    linked = lessons.filter(partnership__isnull=False)
    assert 0.5 * LESSONS <= linked.count() <= 0.9 * LESSONS
    assert not linked.exclude(partnership__moderation_status=ModerationStatus.PUBLISHED).exists()


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    generate(seed=7)
    first = snapshot()

    generate(seed=7, clear=True)
    again = snapshot()
    generate(seed=8, clear=True)
    other = snapshot()

    assert again == first
    assert other != first
    assert other[1] != first[1] and other[2] != first[2]


def test_tag_use_has_a_long_tail():
    generate()

    uses = Counter(TaggedLesson.objects.values_list("tag__name", flat=True))
    uses.update(TaggedPartnership.objects.values_list("tag__name", flat=True))
    counts = sorted(uses.values(), reverse=True)
    assert counts[0] >= 10 * statistics.median(counts)
    assert len(counts) >= 60  # most of the vocabulary is rare, but it is there
    assert all(name == name.lower() for name in uses)
    assert all(tag.slug == slugify(tag.name) for tag in Tag.objects.filter(name__in=uses))


def test_existing_tags_are_reused_whatever_their_case_or_spelling():
    call_command("load_report", stdout=StringIO())
    # Topic tags: every case study carries its topic's.
    water = Tag.objects.create(name="Water", slug="water")
    digital = Tag.objects.create(name="Digital inclusion", slug="digital-inclusion")

    generate()

    assert Tag.objects.filter(name__iexact="water").count() == 1
    assert not Tag.objects.filter(name="digital-inclusion").exists()
    for tag in (water, digital):
        assert Partnership.objects.filter(tags=tag).exists() or Lesson.objects.filter(tags=tag)


def test_clear_removes_exactly_the_sample_rows():
    call_command("load_report", stdout=StringIO())
    organisation = make_organisation(name="Real Water Trust")
    partnership = make_partnership(
        name="A real case study",
        partners=[(organisation, Role.LEAD)],
        tags=["trust", "water"],
    )
    make_lesson(
        title="A real lesson",
        themes=[Theme.objects.get(number=3)],
        partnership=partnership,
        tags=["trust"],
    )
    before = row_counts()

    generate()
    assert row_counts() != before
    output = generate(partnerships=0, lessons=0, clear=True)

    assert row_counts() == before
    assert f"Removed {LESSONS} lessons, {PARTNERSHIPS} partnerships" in output
    assert Lesson.objects.get(title="A real lesson").partnership == partnership
    assert not Partnership.objects.filter(is_sample=True).exists()
    assert not Organisation.objects.filter(is_sample=True).exists()


def test_clear_with_counts_replaces_the_sample():
    generate()

    generate(partnerships=10, lessons=40, clear=True)

    assert Partnership.objects.filter(is_sample=True).count() == 10
    assert Lesson.objects.filter(is_sample=True).count() == 40


def test_refuses_to_add_to_existing_sample_data_without_clear():
    generate()

    with pytest.raises(CommandError, match="--clear"):
        generate()

    assert Lesson.objects.filter(is_sample=True).count() == LESSONS


@pytest.mark.parametrize(
    ("partnerships", "lessons", "message"),
    [(0, 0, "Nothing to do"), (-1, 10, "negative")],
)
def test_rejects_meaningless_counts(partnerships, lessons, message):
    with pytest.raises(CommandError, match=message):
        generate(partnerships=partnerships, lessons=lessons)


def test_theme_page_shows_published_sample_lessons_and_not_pending_ones(client):
    generate()
    theme = Theme.objects.annotate(n=Count("lessons")).order_by("-n").first()
    lessons = Lesson.objects.filter(is_sample=True, themes=theme)
    published = lessons.filter(moderation_status=ModerationStatus.PUBLISHED).first()
    hidden = Lesson.objects.filter(is_sample=True).exclude(
        moderation_status=ModerationStatus.PUBLISHED
    )
    for lesson in hidden:
        lesson.themes.add(theme)  # make sure a hidden lesson is filed under this theme

    response = client.get(theme.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert published.get_absolute_url() in html
    for lesson in hidden:
        assert lesson.get_absolute_url() not in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="about SQLite's search triggers")
def test_search_index_holds_the_tags_and_partners_written_before_their_rows():
    """The command writes tags and partners before their lesson or case study: still indexed."""
    generate()
    # The index holds published rows only.
    lesson = Lesson.objects.published().filter(is_sample=True).prefetch_related("tags").first()
    partnership = Partnership.objects.published().filter(is_sample=True).first()

    with connection.cursor() as cursor:
        cursor.execute("SELECT tags FROM lesson_search WHERE rowid = %s", [lesson.pk])
        indexed_tags = cursor.fetchone()[0]
        cursor.execute("SELECT partners FROM partnership_search WHERE rowid = %s", [partnership.pk])
        indexed_partners = cursor.fetchone()[0]

    assert sorted(indexed_tags.split()) == sorted(tag.name for tag in lesson.tags.all())
    for organisation in partnership.organisations.all():
        assert organisation.name in indexed_partners


def test_new_rows_after_a_run_get_fresh_ids():
    """Keys assigned by the command leave the database's own sequences ahead of them."""
    generate()
    highest = Lesson.objects.order_by("-pk").first().pk

    lesson = make_lesson(title="Written afterwards", themes=[Theme.objects.first()])

    assert lesson.pk > highest


def test_a_run_leaves_every_trigger_in_place_the_sample_indexed_and_the_version_moved():
    """The command suspends the triggers while it writes; afterwards all is as if they had fired."""
    call_command("load_report", stdout=StringIO())
    version = content_version()

    generate()

    assert triggers.missing() == []
    assert content_version() != version
    lesson = Lesson.objects.published().filter(is_sample=True).prefetch_related("tags").first()
    partnership = Partnership.objects.published().filter(is_sample=True).first()
    assert lesson.title in found(f'"{lesson.title}"', kind="lesson")
    tag = lesson.tags.all()[0].name
    assert lesson.title in found(f'"{lesson.title}" "{tag}"', kind="lesson")
    partner = partnership.organisations.all()[0].name
    assert partnership.name in found(f'"{partner}"', kind="partnership")
