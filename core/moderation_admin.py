"""The admin shared by everything visitors can submit: the queue, publish, reject."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Case, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.utils.translation import ngettext
from taggit.managers import TaggableManager

from core.moderation import ModerationStatus
from core.tag_forms import TagNamesField

# Pending first: the moderation queue is the top of every moderated list.
MODERATION_QUEUE_ORDER = Case(
    When(moderation_status=ModerationStatus.PENDING, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
).asc()


CONTRIBUTOR_FIELDSET: Any = (
    "Contributor",
    {
        "fields": (
            "contributor_name",
            "contributor_organisation",
            "contributor_sector",
            "contributor_email",
            "publish_anonymously",
        ),
        "description": "Who sent it in. The email is for follow-up only and never published.",
    },
)

MODERATION_FIELDSET: Any = (
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
)


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Why is it not being published?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Kept for curators. Write to the contributor separately if they left an email.",
    )


class ModeratedAdmin(admin.ModelAdmin):
    """Admin behaviour shared by everything visitors can submit."""

    actions = ["publish_selected", "reject_selected"]
    # Django orders by expressions too; its type stubs only admit field names.
    ordering = (MODERATION_QUEUE_ORDER, "-created_at")  # type: ignore[assignment]
    readonly_fields = ["created_at", "updated_at", "published_at"]
    list_per_page = 50
    # Tag names cleaned and checked for length like a visitor's, before taggit stores them.
    formfield_overrides = {TaggableManager: {"form_class": TagNamesField}}

    @admin.action(description="Publish the selected items", permissions=["change"])
    def publish_selected(self, request, queryset):
        changed = queryset.publish()
        self.message_user(
            request,
            ngettext("%d item was published.", "%d items were published.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.action(description="Reject the selected items…", permissions=["change"])
    def reject_selected(self, request, queryset):
        """Ask for a reason first, then reject (and withdraw) exactly the selected rows."""
        form = RejectionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            changed = queryset.reject(form.cleaned_data["reason"])
            self.message_user(
                request,
                ngettext("%d item was rejected.", "%d items were rejected.", changed) % changed,
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/moderation/reject_selected.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reject and give a reason",
                "opts": self.model._meta,
                "queryset": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.display(description="tags")
    def tag_list(self, obj):
        return ", ".join(tag.name for tag in obj.tags.all())
