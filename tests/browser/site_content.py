"""What the browser and markup tests browse: the 2012 report plus six case studies.

The report (8 themes, 17 lessons) is the site's real content; it has no case studies,
so six are built here across sectors and outcomes, and one report lesson is filed
under a case study so every page type has something on it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from typing import NamedTuple

from django.core.management import call_command
from django.urls import reverse

from alliances.models import Organisation, Outcome, Partnership, Region, Role, Sector
from core.moderation import ModerationStatus
from lessons.models import ApplicationReport, Lesson, Theme
from tests.factories import make_lesson, make_organisation, make_partnership

# A report lesson on theme 3, "Work to Build Trust", told as part of a case study.
LINKED_LESSON = "share-information-partners-can-rely-on"
# The secret in the pending lesson's private status link, as a contributor would hold it.
PENDING_STATUS_TOKEN = "pending-lesson-status-token-0123456789"


@dataclass(frozen=True)
class SiteContent:
    theme: Theme
    lesson: Lesson
    partnership: Partnership
    organisation: Organisation
    partnerships: dict
    pending_lesson: Lesson


def build_site_content():
    """Load the report and add six published case studies and a pending lesson."""
    call_command("load_report", verbosity=0, stdout=StringIO())
    government = make_organisation(name="Northfield Council", sector=Sector.GOVERNMENT)
    business = make_organisation(name="Acme Water Ltd", sector=Sector.BUSINESS)
    charity = make_organisation(name="Riverside Trust", sector=Sector.CIVIL_SOCIETY)
    foundation = make_organisation(name="Hale Foundation", sector=Sector.PHILANTHROPY)
    university = make_organisation(name="Eastgate University", sector=Sector.ACADEMIA)

    specs = [
        # name, partners, outcome, tags
        (
            "Clean Water Compact",
            [(business, Role.LEAD), (government, Role.FUNDER), (charity, Role.LOCAL_PARTNER)],
            Outcome.ON_TRACK,
            ["trust", "water"],
        ),
        ("Market Access Pilot", [(business, Role.LEAD)], Outcome.NOT_AS_PLANNED, ["trust"]),
        ("City Schools Alliance", [(government, Role.LEAD)], Outcome.ON_TRACK, ["education"]),
        ("Youth Skills Network", [(charity, Role.LEAD)], Outcome.MIXED, ["skills"]),
        (
            "Health Data Commons",
            [(university, Role.LEAD), (business, Role.TECHNICAL_PARTNER)],
            Outcome.ON_TRACK,
            ["hard-data"],
        ),
        (
            "Community Grants Circle",
            [(foundation, Role.FUNDER), (charity, Role.IMPLEMENTER)],
            Outcome.MIXED,
            ["trust"],
        ),
    ]
    partnerships = {
        name: make_partnership(
            name=name,
            partners=partners,
            outcome=outcome,
            tags=tags,
            region=Region.AFRICA,
            countries="Kenya, Uganda",
            start_year=2014,
            story=f"How {name} came about.\n\nWhat it changed.",
            partnership_success="The partners met every quarter.",
            intervention_impact="More households reached.",
        )
        for name, partners, outcome, tags in specs
    }
    compact = partnerships["Clean Water Compact"]
    compact.featured = True
    compact.save()

    lesson = Lesson.objects.get(slug=LINKED_LESSON)
    lesson.partnership = compact
    lesson.save()
    # Readers who applied it: one published note (its page shows counts and notes).
    ApplicationReport.objects.create(
        lesson=lesson,
        outcome="helped",
        sector=Sector.ACADEMIA,
        region=Region.AFRICA,
        note="We shared one *data sheet* with all four partners; disputes fell away.",
        moderation_status=ModerationStatus.PUBLISHED,
    )

    theme = Theme.objects.get(number=3)
    pending = make_lesson(
        title="Suspicion fades once the donors step back",
        insight="Suspicion of motives eased when the funders left the room.",
        themes=[theme],
        moderation=ModerationStatus.PENDING,
        status_token=PENDING_STATUS_TOKEN,
    )
    return SiteContent(
        theme=theme,
        lesson=lesson,
        partnership=compact,
        organisation=business,
        partnerships=partnerships,
        pending_lesson=pending,
    )


class PageType(NamedTuple):
    path: Callable[[SiteContent], str]
    heading: str  # how the page's one h1 starts


# Every page type a visitor can reach, with its address in the content above.
PAGE_TYPES = {
    "home": PageType(lambda site: reverse("pages:home"), "Learn from partnerships"),
    "theme-list": PageType(lambda site: reverse("lessons:theme-list"), "The eight key themes"),
    "theme-detail": PageType(lambda site: site.theme.get_absolute_url(), "Work to Build Trust"),
    "partnership-list-filtered": PageType(
        lambda site: reverse("browse:partnership-list") + "?sector=business", "Case studies"
    ),
    "partnership-detail": PageType(
        lambda site: site.partnership.get_absolute_url(), "Clean Water Compact"
    ),
    "organisation-detail": PageType(
        lambda site: site.organisation.get_absolute_url(), "Acme Water Ltd"
    ),
    "lesson-list": PageType(lambda site: reverse("browse:lesson-list"), "Lessons learned"),
    "lesson-detail": PageType(
        lambda site: site.lesson.get_absolute_url(), "Share information partners can rely on"
    ),
    "tag-list": PageType(lambda site: reverse("pages:tag-list"), "Tags"),
    "tag-detail": PageType(lambda site: reverse("pages:tag-detail", args=["trust"]), "trust"),
    "search-results": PageType(
        lambda site: reverse("search:search") + "?q=trust", "Search results for “trust”"
    ),
    "search-no-results": PageType(
        lambda site: reverse("search:search") + "?q=zebracorn", "Search results for “zebracorn”"
    ),
    "insights": PageType(lambda site: reverse("insights:insights"), "Insights"),
    "health-check": PageType(
        lambda site: reverse("healthcheck:health-check"), "Partnership health check"
    ),
    "lesson-submit": PageType(lambda site: reverse("submissions:lesson-submit"), "Share a lesson"),
    "partnership-submit": PageType(
        lambda site: reverse("submissions:partnership-submit"), "Share a case study"
    ),
    "submission-status": PageType(
        lambda site: reverse("submissions:status", args=[PENDING_STATUS_TOKEN]),
        "Status of your submission",
    ),
    "privacy": PageType(lambda site: reverse("pages:privacy"), "Privacy"),
    "archive": PageType(lambda site: reverse("archive:archive"), "Open archive"),
    "not-found": PageType(lambda site: "/no-such-page/", "We could not find that page"),
}
