"""The curators' workplace for case studies and organisations."""

from django.contrib import admin
from django.db.models import Count

from alliances.models import Organisation, Participation, Partnership
from core.history_admin import HistoryAdmin
from core.moderation_admin import CONTRIBUTOR_FIELDSET, MODERATION_FIELDSET, ModeratedAdmin


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(Partnership)
class PartnershipAdmin(ModeratedAdmin):
    list_display = (
        "name",
        "moderation_status",
        "contributor_name",
        "status",
        "outcome",
        "region",
        "featured",
        "tag_list",
        "created_at",
    )
    list_filter = (
        "moderation_status",
        "status",
        "outcome",
        "region",
        "government_role",
        "featured",
        ("participations__organisation__sector", admin.ChoicesFieldListFilter),
        "tags",
    )
    search_fields = (
        "name",
        "summary",
        "story",
        "organisations__name",
        "tags__name",
        "contributor_name",
        "contributor_email",
    )
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ParticipationInline]
    list_select_related = True
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary", "story", "tags", "featured")}),
        (
            "Where and when",
            {"fields": ("region", "countries", "start_year", "end_year", "status", "outcome")},
        ),
        ("Partners and government", {"fields": ("hide_partner_names", "government_role")}),
        (
            "Results on two levels",
            {
                "fields": (
                    "partnership_success_rating",
                    "partnership_success",
                    "intervention_impact_rating",
                    "intervention_impact",
                )
            },
        ),
        CONTRIBUTOR_FIELDSET,
        MODERATION_FIELDSET,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ("name", "sector", "country", "partnership_count")
    list_filter = ("sector",)
    search_fields = ("name", "country")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(partnership_total=Count("partnerships", distinct=True))
        )

    @admin.display(description="partnerships", ordering="partnership_total")
    def partnership_count(self, obj):
        return obj.partnership_total
