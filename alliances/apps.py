from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = "Case studies"

    def ready(self):
        from alliances.models import Organisation, Participation, Partnership, TaggedPartnership
        from core import history

        # A case study's versions carry its partners and tag links (core/history.py).
        history.register(Organisation)
        history.register(Participation)
        history.register(TaggedPartnership)
        history.register(Partnership, follow=("participations", "taggedpartnership_set"))
