from django.db.models import Prefetch
from django.views.generic import DetailView

from alliances.models import Organisation, Participation, Partnership


class PartnershipDetailView(DetailView):
    """One published case study with its partners."""

    def get_queryset(self):
        return Partnership.objects.published().prefetch_related(
            "tags",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organisation").order_by(
                    "organisation__sector", "organisation__name"
                ),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumb_trail"] = [(self.object.name, None)]
        return context


class OrganisationDetailView(DetailView):
    """A partner organisation and its published case studies.

    An organisation only known from pending or rejected submissions has no page.
    """

    def get_queryset(self):
        return Organisation.objects.filter(
            partnerships__in=Partnership.objects.published()
        ).distinct()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["participations"] = (
            self.object.participations.filter(partnership__in=Partnership.objects.published())
            .select_related("partnership")
            .order_by("partnership__name")
        )
        context["breadcrumb_trail"] = [(self.object.name, None)]
        return context
