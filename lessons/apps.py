from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Themes and lessons"

    def ready(self):
        from core import page_cache, triggers
        from lessons import page_checks
        from lessons.content_version import CONTENT_VERSION_TRIGGERS
        from lessons.public_count_triggers import PUBLIC_COUNT_TRIGGERS

        triggers.register(CONTENT_VERSION_TRIGGERS)
        triggers.register(PUBLIC_COUNT_TRIGGERS)
        page_cache.register_check(page_checks.HELPFUL_COUNT, page_checks.helpful_count)
