from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from core import triggers
        from search.triggers import SEARCH_TRIGGERS

        triggers.register(SEARCH_TRIGGERS)
