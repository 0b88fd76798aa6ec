"""The read-only API: themes, lessons, case studies, organisations and tags.

Every read starts from ``published()``, lists filter through the same facets as the
HTML list pages (so a query string gives the same items in both), and each list costs
a fixed number of queries whatever the data size.
"""

from typing import Literal

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Path, Query, Schema
from taggit.models import Tag

from alliances.models import Organisation, Outcome, Partnership, Region, Status
from alliances.selectors import organisation_named_participations, partnership_lessons
from api.schemas import (
    ErrorOut,
    LessonOut,
    OrganisationOut,
    Page,
    PageParams,
    PartnershipDetailOut,
    PartnershipOut,
    TagDetailOut,
    TagOut,
    ThemeOut,
    ValidationErrorOut,
)
from browse import facets
from core import renames
from core.sectors import Sector
from lessons.models import Experience, Lesson, Theme
from lessons.selectors import tagged_lessons, tags_in_use

DETAIL_ITEMS_SHOWN = 20
SLUG = Path(pattern=r"^[-\w]+$")
LessonSort = Literal["newest", "helpful", "applied", "helped", "title"]
PartnershipSort = Literal["newest", "name", "lessons"]


class PublicAPI(NinjaAPI):
    """Published content, the same for every visitor: shared caches may keep it a minute."""

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if response.status_code == 200:
            response["Cache-Control"] = "public, max-age=60"
        return response


api = PublicAPI(
    title="Uncommon Alliances API",
    version="1",
    description=(
        "Read-only access to the published case studies, lessons learned, themes, "
        "organisations and tags of Uncommon Alliances. Long texts are Markdown; each item "
        "links to its page on the site."
        # The open archive (archive/): everything public in one download.
        " The whole public knowledge base is also one download, an open data package: "
        "[the open archive](/archive/)."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)

# The detail endpoints whose slug follows renames (core/renames.py), by URL name.
FOLLOWS_RENAMES = {
    "theme-detail": Theme,
    "lesson-detail": Lesson,
    "partnership-detail": Partnership,
    "organisation-detail": Organisation,
    "tag-detail": Tag,
}


@api.exception_handler(Http404)
def not_found(request, exc):
    """404, unless a detail endpoint was asked for an old slug of a public item: then a
    permanent redirect to the same endpoint with its current slug."""
    match = request.resolver_match
    model = FOLLOWS_RENAMES.get(match.url_name) if match else None
    if model is not None and "slug" in match.kwargs:
        moved = renames.redirect_to_current(request, model, match.kwargs["slug"])
        if moved is not None:
            return moved
    # What django-ninja's own handler answers.
    detail = f"Not Found: {exc}" if settings.DEBUG else "Not Found"
    return api.create_response(request, {"detail": detail}, status=404)


LIST_ERRORS = {422: ValidationErrorOut, 404: ErrorOut}
DETAIL_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def paginate(request, queryset, paging):
    """One page of a queryset, with the links to its neighbours: two queries plus prefetches."""
    paginator = Paginator(queryset, paging.page_size)
    try:
        page = paginator.page(paging.page)
    except EmptyPage:
        raise Http404("There is no such page.") from None

    def link(number):
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": page.object_list,
    }


def as_query_dict(filters):
    """Validated filters as the query string the list pages' facets read."""
    params = QueryDict(mutable=True)
    for name, value in filters.dict().items():
        values = value if isinstance(value, list) else [value]
        params.setlist(name, [str(item) for item in values if item is not None])
    return params


# Themes ---------------------------------------------------------------------------


@api.get(
    "/themes", response={200: Page[ThemeOut], **LIST_ERRORS}, url_name="theme-list", tags=["themes"]
)
def theme_list(request, paging: Query[PageParams]):
    """The report's eight themes, in its order, with their published lessons counted."""
    return paginate(request, Theme.objects.with_lesson_counts(), paging)


@api.get(
    "/themes/{slug}",
    response={200: ThemeOut, **DETAIL_ERRORS},
    url_name="theme-detail",
    tags=["themes"],
)
def theme_detail(request, slug: str = SLUG):
    """One theme, with the report's text and its guiding questions."""
    return get_object_or_404(Theme.objects.with_lesson_counts(), slug=slug)


# Lessons --------------------------------------------------------------------------


class LessonFilters(Schema):
    theme: list[str] = Field([], description="Theme slugs; any of them matches.")
    experience: list[Experience] = Field([], description="Worked, or went wrong.")
    sector: list[Sector] = Field([], description="Sectors of the case study's partners.")
    tag: list[str] = Field([], description="Tag slugs; any of them matches.")
    applied: list[Literal["yes"]] = Field(
        [], description='"yes": only lessons applied at least once (published reports).'
    )


@api.get(
    "/lessons",
    response={200: Page[LessonOut], **LIST_ERRORS},
    url_name="lesson-list",
    tags=["lessons"],
)
def lesson_list(
    request, filters: Query[LessonFilters], paging: Query[PageParams], sort: LessonSort = "newest"
):
    """Published lessons, filtered like the lessons page with the same query string."""
    lessons = facets.lesson_facets(as_query_dict(filters)).filter(Lesson.objects.published())
    ordered = lessons.for_cards().for_credit().order_by(*facets.LESSON_SORTS[sort][1])
    return paginate(request, ordered, paging)


@api.get(
    "/lessons/{slug}",
    response={200: LessonOut, **DETAIL_ERRORS},
    url_name="lesson-detail",
    tags=["lessons"],
)
def lesson_detail(request, slug: str = SLUG):
    """One published lesson in its four parts."""
    return get_object_or_404(Lesson.objects.published().for_cards().for_credit(), slug=slug)


# Case studies ---------------------------------------------------------------------


class PartnershipFilters(Schema):
    sector: list[Sector] = Field([], description="Sectors of its partners; any matches.")
    region: list[Region] = Field([], description="Regions; any matches.")
    status: list[Status] = Field([], description="Statuses; any matches.")
    outcome: list[Outcome] = Field([], description="How it turned out; any matches.")
    theme: list[str] = Field([], description="Theme slugs, through its published lessons.")
    tag: list[str] = Field([], description="Tag slugs; any of them matches.")
    years_from: int | None = Field(
        None, ge=1800, le=2200, description="Active in or after this year."
    )
    years_to: int | None = Field(
        None, ge=1800, le=2200, description="Active in or before this year."
    )
    confirmed: Literal["all"] | None = Field(
        None, description="“all”: only case studies every partner has confirmed as fair."
    )


@api.get(
    "/partnerships",
    response={200: Page[PartnershipOut], **LIST_ERRORS},
    url_name="partnership-list",
    tags=["partnerships"],
)
def partnership_list(
    request,
    filters: Query[PartnershipFilters],
    paging: Query[PageParams],
    sort: PartnershipSort = "newest",
):
    """Published case studies, filtered like the case studies page with the same query string."""
    partnerships = facets.partnership_facets(as_query_dict(filters)).filter(
        Partnership.objects.published()
    )
    # Counting lessons means grouping every matching case study: only for that sort.
    if sort == "lessons":
        partnerships = facets.with_lesson_totals(partnerships)
    ordered = partnerships.for_cards().order_by(*facets.PARTNERSHIP_SORTS[sort][1])
    return paginate(request, ordered, paging)


@api.get(
    "/partnerships/{slug}",
    response={200: PartnershipDetailOut, **DETAIL_ERRORS},
    url_name="partnership-detail",
    tags=["partnerships"],
)
def partnership_detail(request, slug: str = SLUG):
    """One published case study, its partners (names hidden where it asks) and its lessons."""
    partnership = get_object_or_404(Partnership.objects.published().for_cards(), slug=slug)
    partnership.published_lessons = partnership_lessons(partnership)
    return partnership


# Organisations --------------------------------------------------------------------


@api.get(
    "/organisations/{slug}",
    response={200: OrganisationOut, **DETAIL_ERRORS},
    url_name="organisation-detail",
    tags=["organisations"],
)
def organisation_detail(request, slug: str = SLUG):
    """A partner named in at least one published case study, and those case studies."""
    organisation = get_object_or_404(Organisation.objects.with_published_partnerships(), slug=slug)
    organisation.named_in = organisation_named_participations(organisation)
    return organisation


# Tags -----------------------------------------------------------------------------


@api.get("/tags", response={200: Page[TagOut], **LIST_ERRORS}, url_name="tag-list", tags=["tags"])
def tag_list(request, paging: Query[PageParams]):
    """Tags on published content, by name, with how many lessons and case studies carry each."""
    return paginate(request, tags_in_use(), paging)


@api.get(
    "/tags/{slug}",
    response={200: TagDetailOut, **DETAIL_ERRORS},
    url_name="tag-detail",
    tags=["tags"],
)
def tag_detail(request, slug: str = SLUG):
    """A tag and what carries it; the full lists are the filtered list endpoints."""
    tag = get_object_or_404(tags_in_use(), slug=slug)
    tag.newest_lessons = tagged_lessons(tag, total=tag.lesson_total).newest_first()[
        :DETAIL_ITEMS_SHOWN
    ]
    tag.partnerships_by_name = (
        Partnership.objects.published().filter(tags=tag).order_by("name")[:DETAIL_ITEMS_SHOWN]
    )
    return tag
