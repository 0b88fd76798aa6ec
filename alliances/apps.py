from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = "Case studies"
