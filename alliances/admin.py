"""The curators' workplace for case studies and organisations."""

from django.contrib import admin, messages
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils.translation import ngettext

from alliances.models import Organisation, Participation, Partnership
from alliances.moderation import ModerationStatus

# Pending first: the moderation queue is the top of every moderated list.
MODERATION_QUEUE_ORDER = Case(
    When(moderation_status=ModerationStatus.PENDING, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
).asc()


class ModeratedAdmin(admin.ModelAdmin):
    """Admin behaviour shared by everything visitors can submit."""

    actions = ["publish_selected", "reject_selected"]
    ordering = (MODERATION_QUEUE_ORDER, "-created_at")
    readonly_fields = ("created_at", "updated_at", "published_at")
    list_per_page = 50

    @admin.action(description="Publish the selected items", permissions=["change"])
    def publish_selected(self, request, queryset):
        changed = queryset.publish()
        self.message_user(
            request,
            ngettext("%d item was published.", "%d items were published.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.action(description="Reject the selected items", permissions=["change"])
    def reject_selected(self, request, queryset):
        changed = queryset.reject()
        self.message_user(
            request,
            ngettext("%d item was rejected.", "%d items were rejected.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.display(description="tags")
    def tag_list(self, obj):
        return ", ".join(tag.name for tag in obj.tags.all())


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(Partnership)
class PartnershipAdmin(ModeratedAdmin):
    list_display = (
        "name",
        "moderation_status",
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
    search_fields = ("name", "summary", "story", "organisations__name", "tags__name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ParticipationInline]
    list_select_related = True
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary", "story", "tags", "featured")}),
        (
            "Where and when",
            {"fields": ("region", "countries", "start_year", "end_year", "status", "outcome")},
        ),
        ("Government", {"fields": ("government_role",)}),
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
        (
            "Moderation",
            {
                "fields": (
                    "moderation_status",
                    "rejection_reason",
                    "published_at",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
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
