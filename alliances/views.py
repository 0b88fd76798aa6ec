from django.db.models import Count, Q
from django.urls import reverse
from django.views.generic import DetailView

from alliances.models import Organisation, Partnership
from alliances.moderation import ModerationStatus

RELATED_SHOWN = 4


def related_partnerships(partnership, limit=RELATED_SHOWN):
    """Other published case studies sharing the most tags, then themes, with this one."""
    tags = partnership.tags.all()
    # Themes are reached through the lessons' reverse relation: alliances never imports lessons.
    theme_ids = partnership.lessons.published().values("themes")
    on_shared_theme = Q(
        lessons__themes__in=theme_ids, lessons__moderation_status=ModerationStatus.PUBLISHED
    )
    return (
        Partnership.objects.published()
        .exclude(pk=partnership.pk)
        .filter(Q(tags__in=tags) | on_shared_theme)
        .annotate(
            shared_tags=Count("tags", filter=Q(tags__in=tags), distinct=True),
            shared_themes=Count("lessons__themes", filter=on_shared_theme, distinct=True),
        )
        .order_by("-shared_tags", "-shared_themes", "name")
        .for_cards()[:limit]
    )


class PartnershipDetailView(DetailView):
    """One published case study: partners by sector, results on two levels, its lessons."""

    def get_queryset(self):
        return Partnership.objects.published().for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.object
        by_sector = {}
        for participation in partnership.participations.all():
            sector = participation.organisation.get_sector_display()
            by_sector.setdefault(sector, []).append(participation)
        context["partners_by_sector"] = sorted(by_sector.items())
        context["lessons"] = (
            partnership.lessons.published()
            .select_related("source")
            .prefetch_related("themes", "tags")
            .order_by("-published_at", "-pk")
        )
        context["related_partnerships"] = related_partnerships(partnership)
        context["breadcrumb_trail"] = [
            ("Case studies", reverse("lessons:partnership-list")),
            (partnership.name, None),
        ]
        return context


class OrganisationDetailView(DetailView):
    """A partner organisation and its published case studies.

    An organisation only known from pending or rejected submissions has no page.
    """

    def get_queryset(self):
        return Organisation.objects.with_published_partnerships()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["participations"] = (
            self.object.participations.filter(partnership__in=Partnership.objects.published())
            .select_related("partnership")
            .order_by("partnership__name", "role")
        )
        context["breadcrumb_trail"] = [
            ("Case studies", reverse("lessons:partnership-list")),
            (self.object.name, None),
        ]
        return context
