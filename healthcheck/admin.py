"""Health checks in the admin: read-only, and never the whole private token."""

from django.contrib import admin

from healthcheck.models import HealthCheck


@admin.register(HealthCheck)
class HealthCheckAdmin(admin.ModelAdmin):
    """Checks are read-only here: when, and the start of the token, nothing more."""

    list_display = ("created_at", "token_prefix", "compared")
    list_select_related = ("compared_with",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = ("created_at", "token_prefix", "scores")
    readonly_fields = fields

    @admin.display(description="token")
    def token_prefix(self, obj):
        # Only the start: the whole token would open the private result.
        return f"{obj.token[:6]}…"

    @admin.display(description="compared with an earlier check", boolean=True)
    def compared(self, obj):
        return obj.compared_with_id is not None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
