from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = "Case studies"

    def ready(self):
        from alliances.models import Organisation, Participation, Partnership, TaggedPartnership
        from core import history, renames

        # A case study's versions carry its partners and tag links (core/history.py).
        history.register(Organisation)
        history.register(Participation)
        history.register(TaggedPartnership)
        history.register(Partnership, follow=("participations", "taggedpartnership_set"))

        # Renamed case studies and organisations keep their old addresses (core/renames.py).
        renames.keep_old_slugs(Partnership, public=Partnership.objects.published)
        renames.keep_old_slugs(
            Organisation, public=Organisation.objects.with_published_partnerships
        )
