"""Public reads of case studies and organisations, each written once.

Pages, the API, feeds, exports and sitemaps all read through these and the querysets'
own methods (``Partnership.objects.published().newest_first().for_cards()``).
"""

from django.db.models import QuerySet

from alliances.models import Organisation, Participation, Partnership


def organisation_named_participations(organisation: Organisation) -> QuerySet[Participation]:
    """Its parts in published case studies that show their partners' names, by case study."""
    return (
        organisation.participations.named_in_published()
        .select_related("partnership")
        .order_by("partnership__name", "role")
    )


def partnership_lessons(partnership: Partnership) -> list:
    """Its published lessons, newest first, with what a lesson card shows.

    A case study has a handful of lessons: they are sorted here, so the database looks
    them up by case study rather than walking every published lesson by date. (Lessons
    are reached through the reverse relation: this app never imports the lessons app.)
    """
    lessons = (
        partnership.lessons.published()
        .order_by()
        .select_related("source")
        .prefetch_related("themes", "tags")
    )
    return sorted(lessons, key=lambda lesson: (lesson.published_at, lesson.pk), reverse=True)
