"""What the API returns: published content, public fields only.

Contributor emails, moderation fields and the names of partners in case studies that
hide them never appear: every field below is listed on purpose.
"""

from datetime import datetime
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.urls import reverse
from ninja import Field, Schema

from alliances.models import GovernmentRole, Outcome, Region, ResultRating, Role, Status
from alliances.selectors import partnership_signoff_summary
from core.sectors import Sector
from core.tags import tag_url, tags_by_name
from lessons.models import Experience

Item = TypeVar("Item")

CREDIT_DESCRIPTION = (
    "The contributor as credited; empty when anonymous. Where the case study hides its "
    "partners' names, only the contributor's name, and nothing that names a partner."
)


def absolute_url(context, obj):
    """The absolute address of an object's HTML page."""
    return context["request"].build_absolute_uri(obj.get_absolute_url())


def api_url(context, name, **query):
    """The absolute address of another API endpoint, with a query string."""
    return context["request"].build_absolute_uri(f"{reverse(f'api:{name}')}?{urlencode(query)}")


class Linked(Schema):
    """Something with a page of its own on the site: its absolute address."""

    url: str

    @staticmethod
    def resolve_url(obj, context):
        return absolute_url(context, obj)


# Errors ---------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


# Pagination -----------------------------------------------------------------------


class PageParams(Schema):
    page: int = Field(1, ge=1, description="The page number, from 1.")
    page_size: int = Field(20, ge=1, le=100, description="Items per page, at most 100.")


class Page(Schema, Generic[Item]):
    count: int = Field(description="How many items match, on all pages.")
    next: str | None = Field(description="The next page, if any.")
    previous: str | None = Field(description="The previous page, if any.")
    results: list[Item]


# References: the few fields that name and link an object from inside another ------


class TagRef(Schema):
    name: str
    slug: str


class ThemeRef(Linked):
    number: int
    slug: str
    title: str


class PartnershipRef(Linked):
    slug: str
    name: str


class LessonRef(Linked):
    slug: str
    title: str


class SourceOut(Schema):
    title: str
    publisher: str
    web_address: str = Field(alias="url")


# Themes ---------------------------------------------------------------------------


class ThemeOut(Linked):
    number: int
    slug: str
    title: str
    summary: str
    text: str = Field(description="The report's text for this theme.")
    guiding_questions: list[str] = Field(alias="question_list")
    lesson_count: int = Field(
        alias="lesson_total", description="Published lessons filed under this theme."
    )
    lessons: str = Field(description="Its published lessons, through the lessons endpoint.")

    @staticmethod
    def resolve_lessons(obj, context):
        return api_url(context, "lesson-list", theme=obj.slug)


# Lessons --------------------------------------------------------------------------


class LessonOut(Linked):
    slug: str
    title: str
    experience: Experience
    context: str = Field(description="What happened (Markdown).")
    insight: str = Field(description="The lesson (Markdown).")
    recommendation: str = Field(description="What others should do because of it (Markdown).")
    evidence: str = Field(description="What supports the lesson (Markdown).")
    themes: list[ThemeRef]
    tags: list[TagRef]
    partnership: PartnershipRef | None = Field(description="The published case study, if any.")
    source: SourceOut | None
    helpful_count: int
    # "I applied this lesson": published reports only.
    applied_count: int = Field(description="How many published reports say it was applied.")
    applied_helped_count: int = Field(description="Of them, how many say it helped.")
    applied_partly_count: int = Field(description="Of them, how many say it partly helped.")
    applied_not_helped_count: int = Field(description="Of them, how many say it did not help.")
    published_at: datetime | None
    credit: str = Field(description=CREDIT_DESCRIPTION)

    @staticmethod
    def resolve_themes(obj):
        return obj.themes.all()

    @staticmethod
    def resolve_tags(obj):
        return tags_by_name(obj.tags.all())

    @staticmethod
    def resolve_partnership(obj):
        # A lesson may point to a case study that is still pending: it is not shown.
        if obj.partnership is not None and obj.partnership.is_published:
            return obj.partnership
        return None


# Case studies and organisations -----------------------------------------------------


class OrganisationRef(Linked):
    slug: str


class PartnerOut(Schema):
    name: str = Field(description="The partner's name, or only its sector where names are hidden.")
    sector: Sector
    role: Role
    contribution: str
    organisation: OrganisationRef | None = Field(
        description="The organisation's page; absent where its name is hidden."
    )

    @staticmethod
    def resolve_name(obj):
        return obj.public_name

    @staticmethod
    def resolve_sector(obj):
        return obj.organisation.sector

    @staticmethod
    def resolve_organisation(obj):
        return None if obj.name_hidden else obj.organisation


class PartnershipOut(Linked):
    slug: str
    name: str
    summary: str
    story: str = Field(description="The case study in full (Markdown).")
    region: Region | None
    countries: str
    start_year: int | None
    end_year: int | None
    status: Status
    outcome: Outcome
    government_role: GovernmentRole | None
    partnership_success_rating: ResultRating | None
    partnership_success: str
    intervention_impact_rating: ResultRating | None
    intervention_impact: str
    partners: list[PartnerOut]
    tags: list[TagRef]
    published_at: datetime | None
    credit: str = Field(description=CREDIT_DESCRIPTION)

    @staticmethod
    def resolve_region(obj):
        return obj.region or None

    @staticmethod
    def resolve_government_role(obj):
        return obj.government_role or None

    @staticmethod
    def resolve_partners(obj):
        return obj.participations.all()

    @staticmethod
    def resolve_tags(obj):
        return tags_by_name(obj.tags.all())


class SignoffCommentOut(Schema):
    partner: str = Field(description="The partner's public name (its sector where hidden).")
    answer: str
    comment: str = Field(description="Shown once a curator approved it.")


class SignoffOut(Schema):
    """The partners' sign-off as the case-study page states it: never a contact or link."""

    partners: int = Field(description="All its partners: the denominator.")
    confirmed: int
    confirmed_by: list[str] = Field(description="Public names of the partners that confirmed.")
    all_confirmed: bool
    disputed: bool = Field(description="Whether a partner sees the account differently.")
    comments: list[SignoffCommentOut]

    @staticmethod
    def resolve_partners(obj):
        return obj.total

    @staticmethod
    def resolve_confirmed(obj):
        return len(obj.confirmed)

    @staticmethod
    def resolve_confirmed_by(obj):
        return obj.confirmed

    @staticmethod
    def resolve_comments(obj):
        return [
            {"partner": name, "answer": answer, "comment": comment}
            for name, answer, comment in obj.comments
        ]


class PartnershipDetailOut(PartnershipOut):
    lessons: list[LessonRef] = Field(
        alias="published_lessons", description="Its published lessons, newest first."
    )
    signoff: SignoffOut = Field(description="Its partners' sign-off.")

    @staticmethod
    def resolve_signoff(obj):
        return partnership_signoff_summary(obj)


class OrganisationPartnershipOut(Schema):
    slug: str = Field(alias="partnership.slug")
    name: str = Field(alias="partnership.name")
    url: str
    role: Role

    @staticmethod
    def resolve_url(obj, context):
        return absolute_url(context, obj.partnership)


class OrganisationOut(Linked):
    slug: str
    name: str
    sector: Sector
    country: str
    website: str
    description: str
    partnerships: list[OrganisationPartnershipOut] = Field(
        alias="named_in",
        description="The published case studies that name it, with its role in each.",
    )


# Tags -----------------------------------------------------------------------------


class TagOut(Schema):
    name: str
    slug: str
    url: str
    lesson_count: int = Field(alias="lesson_total")
    partnership_count: int = Field(alias="partnership_total")

    @staticmethod
    def resolve_url(obj, context):
        # The tag index stands in for a page a raw-written slug cannot address.
        url = tag_url(obj.slug) or reverse("pages:tag-list")
        return context["request"].build_absolute_uri(url)


class TagDetailOut(TagOut):
    lessons: list[LessonRef] = Field(
        alias="newest_lessons", description="Its newest published lessons (at most 20)."
    )
    partnerships: list[PartnershipRef] = Field(
        alias="partnerships_by_name",
        description="Published case studies carrying it, by name (at most 20).",
    )
    all_lessons: str = Field(description="All its lessons, through the lessons endpoint.")
    all_partnerships: str = Field(
        description="All its case studies, through the partnerships endpoint."
    )

    @staticmethod
    def resolve_all_lessons(obj, context):
        return api_url(context, "lesson-list", tag=obj.slug)

    @staticmethod
    def resolve_all_partnerships(obj, context):
        return api_url(context, "partnership-list", tag=obj.slug)
