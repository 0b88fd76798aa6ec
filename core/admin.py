"""The curators' read-only lists of the site's own records: the moderation log, the mail
outbox, and the old addresses renamed and merged items keep (core/renames.py). Each is written
only by what makes the changes it records."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from core.models import ModerationDecision, OutgoingMail, SlugRedirect
from core.moderation import moderated_models


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record nobody edits by hand: viewed and filtered only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(model._meta.model_name, model._meta.verbose_name) for model in moderated_models()]

    def queryset(self, request, queryset):
        for model in moderated_models():
            if self.value() == model._meta.model_name:
                return queryset.filter(content_type=ContentType.objects.get_for_model(model))
        return queryset


class CuratorFilter(admin.SimpleListFilter):
    """The curators who have decided something, and "the contributor" for resubmissions."""

    title = "curator"
    parameter_name = "by"

    def lookups(self, request, model_admin):
        curators = (
            ModerationDecision.objects.filter(curator__isnull=False)
            .values_list("curator_id", "curator__username")
            .distinct()
            .order_by("curator__username")
        )
        return [(str(pk), name) for pk, name in curators] + [("none", "the contributor")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(curator__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(curator_id=int(self.value()))
        return queryset


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(ReadOnlyAdmin):
    """The moderation log: every publish, rejection, withdrawal, request for changes and
    resubmission, filterable by what, who, kind and when."""

    list_display = ("created_at", "action", "item_link", "kind", "by", "contributor_emailed")
    list_filter = ("action", CuratorFilter, KindFilter, "created_at")
    date_hierarchy = "created_at"
    search_fields = ("message",)
    list_select_related = ("curator", "content_type")
    list_per_page = 100
    fields = ("created_at", "action", "item_link", "by", "message", "contributor_emailed")
    readonly_fields = fields

    def get_queryset(self, request):
        # The items named in a page of the log: one query per kind, whatever the page holds.
        return super().get_queryset(request).prefetch_related("item")

    @admin.display(description="kind", ordering="content_type__model")
    def kind(self, decision):
        return decision.content_type.name

    @admin.display(description="item")
    def item_link(self, decision):
        if decision.item is None:
            return f"(deleted {decision.content_type.name} {decision.object_id})"
        opts = decision.content_type
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model}_change", args=[decision.object_id])
        except NoReverseMatch:
            return str(decision.item)
        return format_html('<a href="{}">{}</a>', url, decision.item)

    @admin.display(description="by", ordering="curator__username")
    def by(self, decision):
        return decision.by


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    """The outbox, for operators: what waits, what failed and why. Once sent, a message keeps
    no recipient and no body."""

    list_display = ("created_at", "kind", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "kind")
    fields = (
        "kind",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "message_id",
        "created_at",
    )
    readonly_fields = fields


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    """Never added or edited by hand: a curator may read a row, and delete one (its old
    address is then simply not found)."""

    list_display = ("old_slug", "kind", "leads_to", "created_at")
    list_filter = ("content_type",)
    search_fields = ("old_slug",)
    list_select_related = ("content_type",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="kind", ordering="content_type__model")
    def kind(self, obj):
        return obj.content_type.name

    @admin.display(description="leads to")
    def leads_to(self, obj):
        """The item, in the admin (read per row, it would cost a query each: its id is enough)."""
        kind = obj.content_type
        try:
            url = reverse(f"admin:{kind.app_label}_{kind.model}_change", args=[obj.object_id])
        except NoReverseMatch:
            return f"{kind.name} #{obj.object_id}"
        return format_html('<a href="{}">{} #{}</a>', url, kind.name, obj.object_id)
