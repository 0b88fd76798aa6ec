"""A case study's page and a partner organisation's page."""

from django.db.models import Exists, OuterRef
from django.views.generic import DetailView

from alliances.models import Organisation, Partnership, TaggedPartnership
from alliances.selectors import (
    organisation_named_participations,
    partnership_lessons,
    partnership_signoff_summary,
)
from core.breadcrumbs import breadcrumbs
from core.moderation import ModerationStatus
from core.related import related_items

RELATED_SHOWN = 4
CASE_STUDIES = ("Case studies", "browse:partnership-list")


def related_partnerships(partnership, limit=RELATED_SHOWN):
    """Other published case studies sharing the most tags, then lessons' themes, with this one."""
    # Lessons are reached through the reverse relation: alliances never imports lessons.
    lessons = partnership.lessons
    theme_ids = lessons.published().values("themes")
    on_shared_theme = lessons.model.objects.filter(
        partnership=OuterRef("pk"),
        moderation_status=ModerationStatus.PUBLISHED,
        themes__in=theme_ids,
    )
    return related_items(
        partnership,
        through=TaggedPartnership,
        published=Partnership.objects.published().for_cards(),
        fallback=Partnership.objects.published().filter(Exists(on_shared_theme)).newest_first(),
        limit=limit,
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
        context["lessons"] = partnership_lessons(partnership)
        context["signoff"] = partnership_signoff_summary(partnership)
        context["related_partnerships"] = related_partnerships(partnership)
        context.update(breadcrumbs(CASE_STUDIES, partnership.name))
        return context


class OrganisationDetailView(DetailView):
    """A partner organisation and its published case studies.

    An organisation only known from pending or rejected submissions has no page.
    """

    def get_queryset(self):
        return Organisation.objects.with_published_partnerships()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["participations"] = organisation_named_participations(self.object)
        context.update(breadcrumbs(CASE_STUDIES, self.object.name))
        return context
