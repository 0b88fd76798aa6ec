"""What the open archive holds, declared once: each resource, the public rows it reads and
the columns it writes, with their Table Schema types.

Every resource reads through the public selectors (``published()``, the kept counts'
``tags_in_use``, ``with_published_partnerships``: rows.py), so the archive holds exactly what a
visitor can see: no contributor's email or organisation unless the page credits it, no
token, no address, nothing pending, rejected or sent back, and no partner a case study
keeps unnamed (its part is listed by sector only, with no organisation). Adding a
resource is one more ``Resource(...)`` in ``RESOURCES``; ``package.py`` writes the CSV,
the JSON and the schema from it, and ``mirror.py`` reads it back.
"""

from django.conf import settings

from alliances.models import (
    GovernmentRole,
    Outcome,
    Region,
    ResultRating,
    Role,
    SignoffAnswer,
    Status,
)
from archive import rows
from archive.schema import Column, ForeignKey, Resource
from core.sectors import Sector
from core.tags import tag_url
from lessons.models import (
    Experience,
)
from lessons.models import Outcome as ApplicationOutcome


def choices(kind) -> tuple:
    return tuple(kind.values)


ID = Column("id", "integer", "The row's id, stable across builds.", required=True, unique=True)
SLUG = Column("slug", "string", "Its address on the site.", required=True, unique=True)
URL = Column("url", "string", "Its page on the site.", read=rows.page_url, format="uri")
PUBLISHED_AT = Column(
    "published_at",
    "datetime",
    "When a curator published it (UTC).",
    read=lambda item: rows.utc(item.published_at),
)
UPDATED_AT = Column(
    "updated_at",
    "datetime",
    "When it was last changed (UTC), as its feed entry says.",
    read=lambda item: rows.utc(item.updated_at),
)
SAMPLE = Column(
    "is_sample",
    "boolean",
    "Generated sample data, not real content (its page says so).",
    required=True,
)
CREDIT = Column("credit", "string", "The contributor as the page credits them, if at all.")


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "themes",
        "Themes",
        "The eight key themes of the 2012 Uncommon Alliances report, in its order.",
        rows.themes,
        (
            ID,
            Column("number", "integer", "Its place in the report (1 to 8).", required=True),
            SLUG,
            Column("title", "string", "The theme.", required=True),
            Column("summary", "string", "One line about it."),
            Column("text", "string", "The report's text for it (Markdown)."),
            Column("guiding_questions", "string", "Questions to ask, one per line."),
            URL,
        ),
    ),
    Resource(
        "sources",
        "Sources",
        "Publications lessons and quotes come from, such as the 2012 report.",
        rows.sources,
        (
            ID,
            SLUG,
            Column("title", "string", "Its title.", required=True),
            Column("publisher", "string", "Who published it."),
            Column(
                "published_on",
                "date",
                "When it was published.",
                read=lambda source: source.published_on and source.published_on.isoformat(),
            ),
            Column("url", "string", "Where it can be read."),
            Column("description", "string", "What it is."),
        ),
    ),
    Resource(
        "quotes",
        "Quotes",
        "Attributed quotes from the sources, shown on their themes' pages.",
        rows.quotes,
        (
            ID,
            SLUG,
            Column("text", "string", "The quote.", required=True),
            Column("speaker", "string", "Who said it.", required=True),
            Column("speaker_title", "string", "The speaker's position, as the source gives it."),
            Column("source_id", "integer", "The source it comes from.", required=True),
            Column("theme_id", "integer", "The theme whose page shows it."),
        ),
        foreign_keys=(ForeignKey(("source_id",), "sources"), ForeignKey(("theme_id",), "themes")),
    ),
    Resource(
        "organisations",
        "Organisations",
        "Partner organisations named in published case studies.",
        rows.organisations,
        (
            ID,
            SLUG,
            Column("name", "string", "Its name.", required=True, unique=True),
            Column("sector", "string", "Its sector.", required=True, enum=choices(Sector)),
            Column("country", "string", "Its country."),
            Column("website", "string", "Its website."),
            Column("description", "string", "What it does."),
            SAMPLE,
            URL,
        ),
    ),
    Resource(
        "case-studies",
        "Case studies",
        "Published case studies: multi-sector partnerships and how they turned out.",
        rows.case_studies,
        (
            ID,
            SLUG,
            Column("name", "string", "The partnership's name.", required=True),
            Column("summary", "string", "Two or three sentences about it.", required=True),
            Column("story", "string", "Its story (Markdown)."),
            Column("region", "string", "Where it works.", enum=("", *choices(Region))),
            Column("countries", "string", "The countries it works in."),
            Column("start_year", "integer", "When it started."),
            Column("end_year", "integer", "When it ended."),
            Column("status", "string", "Where it stands.", required=True, enum=choices(Status)),
            Column("outcome", "string", "How it turned out.", enum=("", *choices(Outcome))),
            Column(
                "government_role",
                "string",
                "The government's part in it (theme 7).",
                enum=("", *choices(GovernmentRole)),
            ),
            Column(
                "partnership_success_rating",
                "integer",
                "The success of the partnership itself (1 to 5).",
                enum=choices(ResultRating),
            ),
            Column("partnership_success", "string", "About the partnership's success."),
            Column(
                "intervention_impact_rating",
                "integer",
                "The impact of what it did (1 to 5).",
                enum=choices(ResultRating),
            ),
            Column("intervention_impact", "string", "About its impact."),
            Column("featured", "boolean", "Shown on the home page.", required=True),
            Column(
                "hide_partner_names",
                "boolean",
                "Its partners asked not to be named: they are listed by sector only.",
                required=True,
            ),
            PUBLISHED_AT,
            UPDATED_AT,
            CREDIT,
            SAMPLE,
            URL,
        ),
    ),
    Resource(
        "partners",
        "Partners",
        "Each organisation's part in a published case study. Where the case study keeps its "
        "partners' names hidden, the part has no organisation and names only the sector.",
        rows.partners,
        (
            ID,
            Column(
                "case_study_id", "integer", "The case study.", read="partnership_id", required=True
            ),
            Column(
                "organisation_id",
                "integer",
                "The organisation, unless the case study hides its partners' names.",
                read=lambda part: None if part.name_hidden else part.organisation_id,
            ),
            Column("name", "string", "The partner as the case study names it.", read="public_name"),
            Column(
                "sector",
                "string",
                "The partner's sector.",
                read=lambda part: part.organisation.sector,
                required=True,
                enum=choices(Sector),
            ),
            Column("role", "string", "Its role.", required=True, enum=choices(Role)),
            Column("contribution", "string", "What it brought, in a line."),
            Column(
                "signoff",
                "string",
                "The partner's answer when asked whether the account is fair: confirmed, "
                "confirmed with a comment, or disputed; empty if it has not answered.",
                read=rows.signoff_answer,
                enum=tuple(answer for answer in choices(SignoffAnswer) if answer),
            ),
            Column(
                "signoff_comment",
                "string",
                "The partner's comment, once a curator approved it for showing.",
                read=rows.signoff_comment,
            ),
        ),
        foreign_keys=(
            ForeignKey(("case_study_id",), "case-studies"),
            ForeignKey(("organisation_id",), "organisations"),
        ),
    ),
    Resource(
        "lessons",
        "Lessons",
        "Published lessons learned: what happened, the lesson, the recommendation, the evidence.",
        rows.lessons,
        (
            ID,
            SLUG,
            Column("title", "string", "The lesson in a line.", required=True),
            Column("what_happened", "string", "The situation it comes from.", read="context"),
            Column("lesson", "string", "What was learned.", read="insight"),
            Column("recommendation", "string", "What others should do because of it."),
            Column("evidence", "string", "What supports it."),
            Column(
                "experience",
                "string",
                "Whether it is about what worked or what went wrong.",
                required=True,
                enum=choices(Experience),
            ),
            Column(
                "case_study_id",
                "integer",
                "The published case study it comes from.",
                read=lambda lesson: rows.published_or_none(
                    lesson.partnership_id, lesson.partnership
                ),
            ),
            Column("source_id", "integer", "The source it comes from."),
            Column(
                "helpful_count",
                "integer",
                "How many visitors said it helped them, when the archive was built.",
                required=True,
            ),
            Column("applied_count", "integer", "Published reports of applying it.", required=True),
            Column(
                "applied_helped_count",
                "integer",
                "Of those, how many say it helped.",
                required=True,
            ),
            Column(
                "applied_partly_count", "integer", "How many say it partly helped.", required=True
            ),
            Column(
                "applied_not_helped_count",
                "integer",
                "How many say it did not help.",
                required=True,
            ),
            PUBLISHED_AT,
            UPDATED_AT,
            CREDIT,
            SAMPLE,
            URL,
        ),
        foreign_keys=(
            ForeignKey(("case_study_id",), "case-studies"),
            ForeignKey(("source_id",), "sources"),
        ),
    ),
    Resource(
        "lesson-themes",
        "Lessons' themes",
        "Which themes each lesson is filed under.",
        rows.lesson_themes,
        (
            Column("lesson_id", "integer", "The lesson.", required=True),
            Column("theme_id", "integer", "One of its themes.", required=True),
        ),
        primary_key=("lesson_id", "theme_id"),
        foreign_keys=(ForeignKey(("lesson_id",), "lessons"), ForeignKey(("theme_id",), "themes")),
    ),
    Resource(
        "tags",
        "Tags",
        "Tags on published lessons and case studies, with how many of each carry them.",
        rows.tags,
        (
            ID,
            Column("name", "string", "The tag.", required=True, unique=True),
            SLUG,
            Column("lesson_count", "integer", "Published lessons.", read="lesson_total"),
            Column(
                "case_study_count", "integer", "Published case studies.", read="partnership_total"
            ),
            Column(
                "url",
                "string",
                "Its page on the site.",
                read=lambda tag: f"{settings.SITE_URL}{tag_url(tag.slug)}",
                format="uri",
            ),
        ),
    ),
    Resource(
        "taggings",
        "Taggings",
        "Which tags each lesson and case study carries: one of lesson_id and case_study_id is set.",
        rows.TaggingRows,  # type: ignore[arg-type]
        (
            Column("tag_id", "integer", "The tag.", required=True),
            Column("lesson_id", "integer", "The lesson carrying it."),
            Column("case_study_id", "integer", "The case study carrying it."),
        ),
        primary_key=(),
        foreign_keys=(
            ForeignKey(("tag_id",), "tags"),
            ForeignKey(("lesson_id",), "lessons"),
            ForeignKey(("case_study_id",), "case-studies"),
        ),
    ),
    Resource(
        "applications",
        "Applications",
        "Published reports of readers who applied a lesson: how it went, in which sector and "
        "where, and what happened if they said (notes are read by a curator first).",
        rows.applications,
        (
            ID,
            Column("lesson_id", "integer", "The lesson applied.", required=True),
            Column(
                "outcome",
                "string",
                "How it went.",
                required=True,
                enum=choices(ApplicationOutcome),
            ),
            Column(
                "sector",
                "string",
                "The sector of the organisation that applied it.",
                required=True,
                enum=choices(Sector),
            ),
            Column(
                "region", "string", "Where it was applied.", required=True, enum=choices(Region)
            ),
            Column("note", "string", "What happened (Markdown), if the reader said."),
            PUBLISHED_AT,
        ),
        foreign_keys=(ForeignKey(("lesson_id",), "lessons"),),
    ),
)
