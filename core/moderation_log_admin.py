"""The moderated admin's side of the moderation log and of "ask for changes": the bulk action
that sends submissions back to their contributors, the log written when a curator changes
an item's moderation state in its form, the log shown on the item, and the "revised" marker
in the list. Mixed into ModeratedAdmin (core/moderation_admin.py)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import ngettext

from core import services, signals
from core.moderation import ModerationStatus
from core.selectors import moderation_decisions


class RequestChangesForm(forms.Form):
    message = forms.CharField(
        label="What should the contributor change?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 70}),
        help_text="The contributor reads these words on their private status page, as written.",
        error_messages={"required": "Write what should change: the contributor reads it."},
    )
    notify = forms.BooleanField(
        label="Email it to the contributor too (when they gave an address)",
        required=False,
        initial=True,
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError("Write what should change: the contributor reads it.")
        return message


class RevisedFilter(admin.SimpleListFilter):
    title = "revised by the contributor"
    parameter_name = "revised"

    def lookups(self, request, model_admin):
        return [("yes", "Revised"), ("no", "Not revised")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(revised_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(revised_at__isnull=True)
        return queryset


CHANGES_IN_FORM = (
    "Use the list's action “Ask the contributor for changes…”: it asks for the words the "
    "contributor reads."
)


class ModerationLogAdminMixin:
    """What ModeratedAdmin adds for the moderation log and for asking for changes."""

    admin_site: Any
    model: Any
    message_user: Any

    @admin.action(description="Ask the contributor for changes…", permissions=["change"])
    def request_changes(self, request, queryset):
        """Ask for the curator's words, then send the selected submissions back; a
        published one is taken off the site until it is published again."""
        form = RequestChangesForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            changed = services.moderation_request_changes(
                items=queryset,
                message=form.cleaned_data["message"],
                notify=form.cleaned_data["notify"],
                by=request.user,
            )
            self.message_user(
                request,
                ngettext(
                    "%d item was sent back to its contributor.",
                    "%d items were sent back to their contributors.",
                    changed,
                )
                % changed,
                messages.SUCCESS,
            )
            if skipped := len(queryset) - changed:
                self.message_user(
                    request,
                    ngettext(
                        "%d item was left as it was: only a pending or published item a "
                        "visitor sent in can be sent back.",
                        "%d items were left as they were: only a pending or published item a "
                        "visitor sent in can be sent back.",
                        skipped,
                    )
                    % skipped,
                    messages.WARNING,
                )
            return None
        return TemplateResponse(
            request,
            "admin/moderation/request_changes.html",
            {
                **self.admin_site.each_context(request),
                "title": "Ask the contributor for changes",
                "opts": self.model._meta,
                "queryset": queryset,
                "published": [item for item in queryset if item.is_published],
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The change form, refusing "changes requested" as a state chosen in it."""
        form = super().get_form(request, obj, change, **kwargs)
        if "moderation_status" not in form.base_fields:
            return form

        class ModerationStateForm(form):
            def clean_moderation_status(self):
                status = self.cleaned_data["moderation_status"]
                was = self.instance.moderation_status if self.instance.pk else None
                if status == ModerationStatus.CHANGES_REQUESTED and was != status:
                    raise ValidationError(CHANGES_IN_FORM)
                return status

        return ModerationStateForm

    def save_model(self, request, obj, form, change):
        """Save, remembering the moderation state it had for save_related."""
        was = ModerationStatus.PENDING
        if change:
            was = (
                type(obj)
                ._default_manager.filter(pk=obj.pk)
                .values_list("moderation_status", flat=True)
                .get()
            )
        super().save_model(request, obj, form, change)
        form.moderation_status_was = was

    def save_related(self, request, form, formsets, change):
        """Once its inlines are saved too, in the same transaction, log a moderation state
        the curator changed in the form: a publication announced then reaches the partners
        added in the same save."""
        super().save_related(request, form, formsets, change)
        was = getattr(form, "moderation_status_was", form.instance.moderation_status)
        services.moderation_state_changed(item=form.instance, was=was, by=request.user)
        if was == form.instance.moderation_status == ModerationStatus.PUBLISHED:
            # Still published: what the inlines added (a partner's contact) is announced too.
            signals.published.send(sender=type(form.instance), items=[form.instance])

    @admin.display(description="moderation log")
    def moderation_log(self, obj):
        """Every decision about this item, newest first."""
        if obj is None or obj.pk is None:
            return "—"
        return render_to_string(
            "admin/moderation/decision_list.html", {"decisions": moderation_decisions(obj)}
        )

    @admin.display(description="revised", boolean=True, ordering="revised_at")
    def revised(self, obj):
        """Whether the contributor has sent it back changed, as a curator asked."""
        return obj.revised_at is not None

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if "moderation_status" in shown and "revised" not in shown:
            shown.insert(shown.index("moderation_status") + 1, "revised")
        return shown

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), RevisedFilter]
