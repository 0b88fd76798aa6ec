"""The admin shared by everything visitors can submit: the queue, publish, reject, ask for
changes, and erasing a contributor's personal data. Each bulk action is recorded in the admin
log (and the moderation decisions in the moderation log: core/moderation_log_admin.py)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Case, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext
from taggit.managers import TaggableManager

from core import services
from core.history_admin import HistoryAdmin
from core.moderation import ModerationStatus
from core.moderation_log_admin import ModerationLogAdminMixin
from core.selectors import contributor_submissions
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
            "revised_at",
            "moderation_log",
        )
    },
)


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Why is it not being published?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Kept for curators, and sent to the contributor only if you tick below.",
    )
    notify = forms.BooleanField(
        label="Tell the contributor by email (when they gave an address)",
        required=False,
        initial=True,
    )
    send_reason = forms.BooleanField(label="Send the reason with it", required=False, initial=False)


# History (core/history_admin.py): every change form, delete and bulk action here records a
# version attributed to the curator, with the history, diff, revert and recovery pages; the
# moderation log (core/moderation_log_admin.py) shows every decision on the item.
class ModeratedAdmin(ModerationLogAdminMixin, HistoryAdmin):
    """Admin behaviour shared by everything visitors can submit."""

    actions = ["publish_selected", "reject_selected", "request_changes", "erase_contributor"]
    # Django orders by expressions too (its type stubs admit only field names, but the base
    # class, reversion's, is untyped).
    ordering = (MODERATION_QUEUE_ORDER, "-created_at")
    readonly_fields = ["created_at", "updated_at", "published_at", "revised_at", "moderation_log"]
    list_per_page = 50
    # Tag names cleaned and checked for length like a visitor's, before taggit stores them.
    formfield_overrides = {TaggableManager: {"form_class": TagNamesField}}

    @admin.action(description="Publish the selected items", permissions=["change"])
    def publish_selected(self, request, queryset):
        changed = services.moderation_publish(items=queryset, by=request.user)
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
            changed = services.moderation_reject(
                items=queryset,
                reason=form.cleaned_data["reason"],
                notify=form.cleaned_data["notify"],
                send_reason=form.cleaned_data["send_reason"],
                by=request.user,
            )
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

    @admin.action(description="Erase the contributor's personal data…", permissions=["change"])
    def erase_contributor(self, request, queryset):
        """Show every lesson and case study the same contributors sent in, then erase their
        name, organisation, sector and email from all of them."""
        found = contributor_submissions(items=queryset)
        if not found:
            self.message_user(
                request, "The selected items hold no contributor's personal data.", messages.INFO
            )
            return None
        forbidden = sorted(
            {
                str(item._meta.verbose_name_plural)
                for item in found
                if not self.admin_site.is_registered(type(item))
                or not self.admin_site.get_model_admin(type(item)).has_change_permission(request)
            }
        )
        if forbidden:
            self.message_user(
                request,
                f"Nothing was erased: the same contributor sent in {' and '.join(forbidden)}, "
                "which you may not change. Ask a curator who may.",
                messages.ERROR,
            )
            return None
        if "apply" in request.POST:
            erased = services.contributor_erase(items=queryset, by=request.user)
            self.message_user(
                request,
                ngettext(
                    "The contributor's personal data was erased from %d item.",
                    "The contributor's personal data was erased from %d items.",
                    erased,
                )
                % erased,
                messages.SUCCESS,
            )
            return None
        rows = [
            (
                item._meta.verbose_name,
                item,
                reverse(
                    f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk]
                ),
            )
            for item in found
        ]
        return TemplateResponse(
            request,
            "admin/moderation/erase_contributor.html",
            {
                **self.admin_site.each_context(request),
                "title": "Erase the contributor's personal data",
                "opts": self.model._meta,
                "queryset": queryset,
                "rows": rows,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.display(description="tags")
    def tag_list(self, obj):
        return ", ".join(tag.name for tag in obj.tags.all())
