"""The facets and sorts of the case-study and lesson lists (pages, exports and the API).

Case studies are browsed by theme through their lessons and lessons by the sectors of
their case study's partners, so the lists span both kinds and live in this app.
"""

from django.db.models import CharField, Count, Exists, F, Max, Min, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from alliances.models import (
    Outcome,
    Participation,
    Region,
    Status,
    TaggedPartnership,
)
from core.facets import Facet, FacetSet, YearRangeFacet
from core.moderation import NEWEST_FIRST, ModerationStatus
from core.sectors import Sector
from lessons import public_counts as scopes
from lessons.models import (
    HELPED_MOST_OFTEN,
    MOST_APPLIED,
    MOST_HELPFUL,
    Experience,
    Lesson,
    TaggedLesson,
    Theme,
)
from lessons.selectors import public_counts, top_tags

TAG_OPTIONS_SHOWN = 15


def count_by(field):
    """{value: rows} for one column of a queryset, in one GROUP BY query."""

    def counts(queryset):
        rows = queryset.order_by().values(field).annotate(total=Count("pk", distinct=True))
        return {str(row[field]): row["total"] for row in rows}

    return counts


def filter_in(field):
    def apply(queryset, values):
        return queryset.filter(**{f"{field}__in": values})

    return apply


def tag_options(through):
    """The most used tags among the rows left, the chosen ones first."""

    def options(queryset, selected):
        rows = (
            through.objects.filter(content_object__in=queryset.order_by().values("pk"))
            .values("tag__slug", "tag__name")
            .annotate(
                total=Count("content_object", distinct=True),
                chosen=Count("pk", filter=Q(tag__slug__in=selected)),
            )
            .order_by("-chosen", "-total", "tag__name")[: TAG_OPTIONS_SHOWN + len(selected)]
        )
        return [(row["tag__slug"], row["tag__name"], row["total"]) for row in rows]

    return options


def tag_filter(through):
    def apply(queryset, values):
        return queryset.filter(
            pk__in=through.objects.filter(tag__slug__in=values).values("content_object")
        )

    return apply


# Case studies ---------------------------------------------------------------------


def _partnership_sector_counts(queryset):
    rows = (
        Participation.objects.filter(partnership__in=queryset.order_by().values("pk"))
        .values("organisation__sector")
        .annotate(total=Count("partnership", distinct=True))
    )
    return {row["organisation__sector"]: row["total"] for row in rows}


def _partnership_theme_options(queryset, selected):
    themes = Theme.objects.annotate(
        total=Count(
            "lessons__partnership",
            filter=Q(
                lessons__moderation_status=ModerationStatus.PUBLISHED,
                lessons__partnership__in=queryset.order_by().values("pk"),
            ),
            distinct=True,
        )
    ).order_by("number")  # Meta.ordering is not applied to aggregating queries
    return [(theme.slug, theme.title, theme.total) for theme in themes]


def _partnership_year_bounds(queryset):
    bounds = queryset.order_by().aggregate(
        lowest=Min("start_year"), highest=Max(Coalesce("end_year", F("start_year")))
    )
    return bounds["lowest"], bounds["highest"]


def _confirmed_counts(queryset):
    """{"all": case studies every partner confirmed}, as one grouped row like the others."""
    rows = (
        queryset.confirmed_by_all()
        .order_by()
        .annotate(choice=Value("all", output_field=CharField()))
        .values("choice")
        .annotate(total=Count("pk"))
    )
    return {row["choice"]: row["total"] for row in rows}


def _partnership_sector_filter(queryset, values):
    # EXISTS per case study through its own parts: cheaper than collecting the IN list of
    # every case study with such a partner, for the sorted page and for counting alike.
    with_sector = Participation.objects.filter(
        partnership=OuterRef("pk"), organisation__sector__in=values
    )
    return queryset.filter(Exists(with_sector))


# Before anything is chosen, every option's count is read from the counters the database
# keeps (lessons/public_counts.py) instead of counted: the same numbers, at any data size.

PARTNERSHIP_SCOPES = (
    scopes.PARTNERSHIPS,
    scopes.PARTNERSHIP_SECTOR,
    scopes.PARTNERSHIP_REGION,
    scopes.PARTNERSHIP_STATUS,
    scopes.PARTNERSHIP_OUTCOME,
    scopes.PARTNERSHIP_THEME,
    scopes.PARTNERSHIP_START,
    scopes.PARTNERSHIP_END,
    scopes.PARTNERSHIP_CONFIRMED,
)
LESSON_SCOPES = (
    scopes.LESSONS,
    scopes.LESSON_THEME,
    scopes.LESSON_EXPERIENCE,
    scopes.LESSON_SECTOR,
    scopes.LESSON_APPLIED,
)


def stored(scope):
    return lambda counts: counts[scope]


def stored_theme_options(scope):
    def options(counts):
        themes = Theme.objects.order_by("number").values_list("pk", "slug", "title")
        return [(slug, title, counts[scope].get(str(pk), 0)) for pk, slug, title in themes]

    return options


def stored_tag_options(scope):
    return lambda counts: top_tags(scope, TAG_OPTIONS_SHOWN)


def _stored_year_bounds(counts):
    starts = [int(year) for year in counts[scopes.PARTNERSHIP_START]]
    ends = [int(year) for year in counts[scopes.PARTNERSHIP_END]]
    return min(starts, default=None), max(ends, default=None)


def partnership_facets(params):
    return FacetSet(
        [
            Facet(
                "sector",
                "Partner sector",
                choices=Sector.choices,
                filter=_partnership_sector_filter,
                counts=_partnership_sector_counts,
                stored=stored(scopes.PARTNERSHIP_SECTOR),
            ),
            Facet(
                "region",
                "Region",
                choices=Region.choices,
                filter=filter_in("region"),
                counts=count_by("region"),
                one_per_row=True,
                stored=stored(scopes.PARTNERSHIP_REGION),
            ),
            Facet(
                "status",
                "Status",
                choices=Status.choices,
                filter=filter_in("status"),
                counts=count_by("status"),
                one_per_row=True,
                stored=stored(scopes.PARTNERSHIP_STATUS),
            ),
            Facet(
                "outcome",
                "How it turned out",
                choices=Outcome.choices,
                filter=filter_in("outcome"),
                counts=count_by("outcome"),
                one_per_row=True,
                stored=stored(scopes.PARTNERSHIP_OUTCOME),
            ),
            Facet(
                "theme",
                "Theme (through its lessons)",
                choices=_partnership_theme_options,
                filter=lambda qs, values: qs.filter(
                    pk__in=Lesson.objects.published()
                    .filter(themes__slug__in=values)
                    .values("partnership")
                ),
                page_filter=lambda qs, values: qs.filter(
                    Exists(
                        Lesson.objects.published().filter(
                            partnership=OuterRef("pk"), themes__slug__in=values
                        )
                    )
                ),
                stored=stored_theme_options(scopes.PARTNERSHIP_THEME),
            ),
            Facet(
                "tag",
                "Tag",
                choices=tag_options(TaggedPartnership),
                filter=tag_filter(TaggedPartnership),
                stored=stored_tag_options(scopes.PARTNERSHIP_TAG),
            ),
            # Partner sign-off (signoff/).
            Facet(
                "confirmed",
                "Partners' sign-off",
                choices=[("all", "Confirmed by all partners")],
                filter=lambda qs, values: qs.confirmed_by_all(),
                counts=_confirmed_counts,
                stored=stored(scopes.PARTNERSHIP_CONFIRMED),
            ),
            YearRangeFacet(
                "years",
                "Years active",
                start_field="start_year",
                end_field="end_year",
                bounds=_partnership_year_bounds,
                stored_bounds=_stored_year_bounds,
            ),
        ],
        params,
        stored=lambda: public_counts(*PARTNERSHIP_SCOPES),
    )


PARTNERSHIP_SORTS = {
    "newest": ("Newest first", NEWEST_FIRST),
    "name": ("Name, A to Z", ("name", "pk")),
    "lessons": ("Most lessons", ("-lesson_total", "name", "pk")),
}


def with_lesson_totals(queryset):
    return queryset.annotate(
        lesson_total=Count(
            "lessons", filter=Q(lessons__moderation_status=ModerationStatus.PUBLISHED)
        )
    )


# Lessons --------------------------------------------------------------------------


def _lesson_theme_options(queryset, selected):
    themes = Theme.objects.annotate(
        total=Count("lessons", filter=Q(lessons__in=queryset.order_by().values("pk")))
    ).order_by("number")
    return [(theme.slug, theme.title, theme.total) for theme in themes]


def _lesson_sector_counts(queryset):
    # Only a published case study's partners give a lesson a sector: a pending one's
    # partners must not show, even as a count.
    field = "partnership__participations__organisation__sector"
    rows = (
        queryset.order_by()
        .filter(
            **{f"{field}__isnull": False},
            partnership__moderation_status=ModerationStatus.PUBLISHED,
        )
        .values(field)
        .annotate(total=Count("pk", distinct=True))
    )
    return {row[field]: row["total"] for row in rows}


def _published_partnerships_with_sector(values):
    """Parts held by a partner from one of these sectors in a published case study."""
    return Participation.objects.filter(
        organisation__sector__in=values,
        partnership__moderation_status=ModerationStatus.PUBLISHED,
    )


def _applied_counts(queryset):
    """{"yes": lessons applied at least once}, counted with the other facets' GROUP BY."""
    rows = queryset.order_by().filter(applied_count__gt=0).values("experience")
    return {"yes": sum(row["total"] for row in rows.annotate(total=Count("pk")))}


def lesson_facets(params):
    return FacetSet(
        [
            Facet(
                "theme",
                "Theme",
                choices=_lesson_theme_options,
                filter=lambda qs, values: qs.filter(
                    pk__in=Lesson.themes.through.objects.filter(theme__slug__in=values).values(
                        "lesson"
                    )
                ),
                page_filter=lambda qs, values: qs.filter(
                    Exists(
                        Lesson.themes.through.objects.filter(
                            lesson=OuterRef("pk"), theme__slug__in=values
                        )
                    )
                ),
                stored=stored_theme_options(scopes.LESSON_THEME),
            ),
            Facet(
                "experience",
                "Worked or went wrong",
                choices=Experience.choices,
                filter=filter_in("experience"),
                counts=count_by("experience"),
                one_per_row=True,
                stored=stored(scopes.LESSON_EXPERIENCE),
            ),
            Facet(
                "sector",
                "Sector of the case study's partners",
                choices=Sector.choices,
                filter=lambda qs, values: qs.filter(
                    partnership__in=_published_partnerships_with_sector(values).values(
                        "partnership"
                    )
                ),
                page_filter=lambda qs, values: qs.filter(
                    Exists(
                        _published_partnerships_with_sector(values).filter(
                            partnership=OuterRef("partnership")
                        )
                    )
                ),
                counts=_lesson_sector_counts,
                stored=stored(scopes.LESSON_SECTOR),
            ),
            # "I applied this lesson": published reports only (the lesson's kept counts).
            Facet(
                "applied",
                "Applied by readers",
                choices=[("yes", "Applied at least once")],
                filter=lambda qs, values: qs.filter(applied_count__gt=0),
                counts=_applied_counts,
                stored=stored(scopes.LESSON_APPLIED),
            ),
            Facet(
                "tag",
                "Tag",
                choices=tag_options(TaggedLesson),
                filter=tag_filter(TaggedLesson),
                stored=stored_tag_options(scopes.LESSON_TAG),
            ),
        ],
        params,
        stored=lambda: public_counts(*LESSON_SCOPES),
    )


LESSON_SORTS = {
    "newest": ("Newest first", NEWEST_FIRST),
    "helpful": ("Most helpful", MOST_HELPFUL),
    "applied": ("Most applied", MOST_APPLIED),
    "helped": ("Helped most often", HELPED_MOST_OFTEN),
    "title": ("Title, A to Z", ("title", "pk")),
}
