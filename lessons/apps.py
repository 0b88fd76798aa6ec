from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Themes and lessons"

    def ready(self):
        from taggit.models import Tag

        from core import history, page_cache, renames, triggers
        from lessons import page_checks
        from lessons.applied_counts import APPLIED_COUNT_TRIGGERS
        from lessons.applied_counts import COUNTERS as APPLIED
        from lessons.content_version import CONTENT_VERSION_TRIGGERS
        from lessons.models import ApplicationReport, Lesson, Quote, Source, TaggedLesson, Theme
        from lessons.public_count_triggers import PUBLIC_COUNT_TRIGGERS
        from lessons.selectors import tags_in_use

        triggers.register(CONTENT_VERSION_TRIGGERS)
        triggers.register(PUBLIC_COUNT_TRIGGERS)
        triggers.register(APPLIED_COUNT_TRIGGERS)
        page_cache.register_check(page_checks.HELPFUL_COUNT, page_checks.helpful_count)

        # Every version of what curators curate (core/history.py): a theme with its quotes
        # (the guiding questions are its own field), a lesson with its tag links. A vote is
        # not an edit: reverting never turns back "this helped me".
        history.register(Source)
        history.register(Quote)
        history.register(Theme, follow=("quotes",))
        history.register(TaggedLesson)
        history.register(Lesson, follow=("taggedlesson_set",), exclude=("helpful_count", *APPLIED))
        # A reader's report of applying a lesson: its note is curated like any submission.
        history.register(ApplicationReport)

        # Renamed (or merged) items keep their old addresses (core/renames.py); a tag is
        # public while published content carries it, as its page is.
        renames.keep_old_slugs(Lesson, public=Lesson.objects.published)
        renames.keep_old_slugs(Theme, public=Theme.objects.all)
        renames.keep_old_slugs(Tag, public=tags_in_use)
