"""The sitemap: every public page and when it last changed, published content only.

Sections are served through Django's sitemap index, so a section longer than 50,000
addresses (lessons, at 100,000) is split into pages the index lists.
"""

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.functional import cached_property

from alliances.models import Organisation, Participation, Partnership, TaggedPartnership
from core import caching
from core.moderation import ModerationStatus
from core.tags import tag_url
from lessons.models import Lesson, TaggedLesson, Theme
from lessons.selectors import tags_in_use


def latest_changes():
    """When published lessons and published case studies last changed, cached per version."""

    def compute():
        return {
            "lessons": Lesson.objects.published().aggregate(at=Max("updated_at"))["at"],
            "partnerships": Partnership.objects.published().aggregate(at=Max("updated_at"))["at"],
        }

    return caching.cached("sitemap-changes", "", compute, version=caching.content_version())


def latest_change():
    """When any published content last changed, or None while there is none."""
    return max((at for at in latest_changes().values() if at is not None), default=None)


class ListPageSitemap(Sitemap):
    """The home page, the lists and the pages built from them: they change whenever
    published content does."""

    def items(self):
        return [
            "pages:home",
            "lessons:theme-list",
            "browse:partnership-list",
            "browse:lesson-list",
            "pages:tag-list",
            "insights:insights",
            "healthcheck:health-check",
            "pages:privacy",
        ]

    # Pages whose text does not follow the content: they have no last change to report.
    not_built_from_content = {"pages:privacy"}

    def location(self, name):
        return reverse(name)

    @cached_property
    def latest(self):
        return latest_change()

    def lastmod(self, name):
        return None if name in self.not_built_from_content else self.latest

    def get_latest_lastmod(self):
        return self.latest


class ThemeSitemap(Sitemap):
    """The eight themes, each changed when its latest published lesson was."""

    def items(self):
        published = Q(lessons__moderation_status=ModerationStatus.PUBLISHED)

        def compute():
            return list(
                Theme.objects.annotate(
                    lastmod=Max("lessons__updated_at", filter=published)
                ).order_by("number")
            )

        return caching.cached("sitemap-themes", "", compute, version=caching.content_version())

    def lastmod(self, theme):
        return theme.lastmod

    def get_latest_lastmod(self):
        return latest_changes()["lessons"]


class ModeratedSitemap(Sitemap):
    """Published items of one model, each with its own last change, in a stable order."""

    model: Any = None

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class LessonSitemap(ModeratedSitemap):
    model = Lesson

    def get_latest_lastmod(self):
        return latest_changes()["lessons"]


class PartnershipSitemap(ModeratedSitemap):
    model = Partnership

    def get_latest_lastmod(self):
        return latest_changes()["partnerships"]


class OrganisationSitemap(Sitemap):
    """Organisations named in a published case study, changed when the latest one was."""

    def items(self):
        latest_named_partnership = (
            Participation.objects.named_in_published()
            .filter(organisation=OuterRef("pk"))
            .order_by("-partnership__updated_at")
            .values("partnership__updated_at")[:1]
        )
        return (
            Organisation.objects.with_published_partnerships()
            .only("slug")
            .annotate(lastmod=Subquery(latest_named_partnership))
            .order_by("pk")
        )

    def lastmod(self, organisation):
        return organisation.lastmod

    def get_latest_lastmod(self):
        return latest_changes()["partnerships"]


class TagSitemap(Sitemap):
    """Tags on published content, changed when the latest item carrying them was."""

    def items(self):
        def latest_tagged(through):
            return Subquery(
                through.objects.filter(
                    tag=OuterRef("pk"),
                    content_object__moderation_status=ModerationStatus.PUBLISHED,
                )
                .order_by("-content_object__updated_at")
                .values("content_object__updated_at")[:1]
            )

        def compute():
            lesson_change = latest_tagged(TaggedLesson)
            partnership_change = latest_tagged(TaggedPartnership)
            # GREATEST is NULL on SQLite when either side is, and skips NULLs on
            # PostgreSQL: coalesce each side with the other so both agree.
            tags = tags_in_use().annotate(
                lastmod=Greatest(
                    Coalesce(lesson_change, partnership_change),
                    Coalesce(partnership_change, lesson_change),
                )
            )
            # A tag whose slug can make no address (only a raw write stores one) is left out.
            return [tag for tag in tags if tag_url(tag.slug)]

        return caching.cached("sitemap-tags", "", compute, version=caching.content_version())

    def location(self, tag):
        return tag_url(tag.slug)

    def lastmod(self, tag):
        return tag.lastmod

    def get_latest_lastmod(self):
        return latest_change()


SITEMAPS = {
    "pages": ListPageSitemap,
    "themes": ThemeSitemap,
    "partnerships": PartnershipSitemap,
    "organisations": OrganisationSitemap,
    "lessons": LessonSitemap,
    "tags": TagSitemap,
}
