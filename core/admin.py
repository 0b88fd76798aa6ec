"""The old addresses renamed and merged items keep (core/renames.py), for curators to see.

Rows are written by the renames themselves, never by hand: a curator may read them and
delete one (its old address is then simply not found), not add or edit one.
"""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from core.models import SlugRedirect


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
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
