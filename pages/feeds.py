"""Atom feeds of newly published lessons (all, per theme, per tag) and case studies."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from alliances.models import Partnership
from core import caching
from core.tags import tags_by_name
from lessons.models import Lesson, Theme
from lessons.selectors import tagged_lessons

FEED_SIZE = 50


class PublishedFeed(Feed):
    """What every feed here shares: Atom, plain-text titles, dates and a credit if one is due."""

    feed_type = Atom1Feed
    # Atom needs an author for the feed when an entry has none (an anonymous contribution).
    author_name = settings.SITE_NAME

    def item_title(self, item):
        # An Atom title is text: Django's default escapes it, which would show "&amp;".
        return str(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        # The credit is empty when the contributor asked to stay anonymous, and never
        # names a partner the case study hides; the email address is never part of it.
        return item.credit or None

    def item_categories(self, item):
        return [tag.name for tag in tags_by_name(item.tags.all())]


class LessonFeed(PublishedFeed):
    """The newest published lessons."""

    description_template = "pages/feeds/lesson_description.html"
    title = f"{settings.SITE_NAME}: latest lessons learned"
    subtitle = "Lessons learned from multi-sector partnerships, newest first."

    def link(self):
        return reverse("browse:lesson-list")

    def lessons(self, obj):
        return Lesson.objects.published()

    def items(self, obj):
        return self.lessons(obj).prefetch_related("tags").for_credit().newest_first()[:FEED_SIZE]


class ThemeLessonFeed(LessonFeed):
    """The newest published lessons on one theme."""

    def get_object(self, request, slug):
        return get_object_or_404(Theme, slug=slug)

    def title(self, theme):
        return f"{settings.SITE_NAME}: lessons on {theme.title}"

    def subtitle(self, theme):
        return theme.summary

    def link(self, theme):
        return theme.get_absolute_url()

    def lessons(self, theme):
        return Lesson.objects.published().for_theme(theme)


class TagLessonFeed(LessonFeed):
    """The newest published lessons carrying one tag."""

    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        tag.lesson_total = caching.cached(
            "tag-feed-lessons",
            tag.pk,
            Lesson.objects.published().filter(tags=tag).count,
            version=caching.content_version(),
        )
        # A tag only pending or rejected lessons carry must not show that it exists.
        if not tag.lesson_total:
            raise Http404("No published lesson carries this tag.")
        return tag

    def title(self, tag):
        return f"{settings.SITE_NAME}: lessons tagged “{tag.name}”"

    def subtitle(self, tag):
        return f"Lessons learned tagged “{tag.name}”, newest first."

    def link(self, tag):
        return reverse("pages:tag-detail", kwargs={"slug": tag.slug})

    def lessons(self, tag):
        return tagged_lessons(tag, total=tag.lesson_total)


class PartnershipFeed(PublishedFeed):
    """The newest published case studies."""

    description_template = "pages/feeds/partnership_description.html"
    title = f"{settings.SITE_NAME}: latest case studies"
    subtitle = "Case studies of multi-sector partnerships, newest first."

    def link(self):
        return reverse("browse:partnership-list")

    def items(self):
        # for_cards: the tags, and the partners whose hidden names the credit keeps back.
        return Partnership.objects.published().for_cards().newest_first()[:FEED_SIZE]
