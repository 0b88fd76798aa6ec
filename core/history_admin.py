"""The curators' history pages for every curated model: the list of versions, a diff between
any two, revert (a confirmation page, then a new version) and recovery of deleted items.

``HistoryAdmin`` is django-reversion's ``VersionAdmin`` (a change form, an add form and every
changelist action run in a revision attributed to the curator) with reversion's own revert and
recovery forms replaced by ``core.history_restore``'s, which restore one item with what travels
with it, never a whole bulk revision, and keep the moderation state and the contributor's
details. Every page here needs the model's change permission; nothing here has a public URL.
"""

import reversion
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from core import history
from core.history_diff import compare
from core.history_restore import RestoreError, history_recover, history_revert

BASELINE = "As it was before its history was kept."


class HistoryAdmin(VersionAdmin):
    """An admin whose items keep every version, with the pages to read and restore them."""

    object_history_template = "admin/history/object_history.html"
    recover_list_template = "admin/history/recover_list.html"

    def _reversion_autoregister(self, model, follow):
        """Registration is each app's declaration (its ``ready()``), never the admin's guess."""

    # Writes --------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            self._keep_baseline(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def _keep_baseline(self, request, object_id):
        """An item from before history was kept gets its current state recorded first, so its
        first change can be compared and reverted."""
        item = self.model._default_manager.filter(pk=unquote(object_id)).first()
        if item is None or not self.has_change_permission(request, item):
            return
        if not history.has_versions(item):
            with history.revision(comment=BASELINE, by="the site, before its history was kept"):
                history.record([item])

    def response_action(self, request, queryset):
        """Run a bulk action (inside the changelist's revision, reversion's), then record
        the selected items as they are now, so an action that writes with ``update()`` is
        versioned too; items it left as they were add no version."""
        # Which rows, read before the action: it may take them out of a filtered list.
        if request.POST.get("select_across") == "1":
            pks = list(queryset.values_list("pk", flat=True))
        else:
            pks = [pk for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME) if pk.isdigit()]
        response = super().response_action(request, queryset)
        selected = self.model._default_manager.filter(pk__in=pks)
        if reversion.is_active():
            history.record_changed(selected)
            if not reversion.get_comment():
                action = request.POST.get("action", "")
                choices = {name: str(text) for name, text in self.get_action_choices(request)}
                described = choices.get(action, action).rstrip("…")
                reversion.set_comment(f"Bulk action: {described}.")
        return response

    def delete_model(self, request, obj):
        with transaction.atomic():
            history.record_deletion([obj], by=request.user)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            history.record_deletion(list(queryset), by=request.user)
            super().delete_queryset(request, queryset)

    # Pages ---------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{info[0]}_{info[1]}_compare",
            ),
            *super().get_urls(),
        ]

    def _item(self, request, object_id):
        item = self.get_object(request, unquote(object_id))
        if item is None:
            raise Http404("No such item; a deleted one can be recovered from the deleted items.")
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        return item

    def _context(self, request, item, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": item,
            "title": title,
            "subtitle": str(item),
            "history_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
                args=[quote(item.pk)],
            ),
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        item = self._item(request, object_id)
        versions = list(history.versions_of(self.model, item.pk))
        rows = [
            {
                "version": version,
                "who": history.author(version.revision),
                "revert_url": reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_revision",
                    args=[quote(item.pk), version.pk],
                ),
            }
            for version in versions
        ]
        context = self._context(
            request,
            item,
            f"History of {item}",
            rows=rows,
            compare_url=reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_compare",
                args=[quote(item.pk)],
            ),
            recover_url=reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_recoverlist"),
            # Django's own record of what was done in the admin, bulk actions included.
            admin_log=LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=str(item.pk),
            )
            .select_related("user")
            .order_by("-action_time"),
        )
        return TemplateResponse(request, self.object_history_template, context)

    def _version(self, item, version_id) -> Version:
        try:
            return history.versions_of(self.model, item.pk).get(pk=int(version_id))
        except (TypeError, ValueError, Version.DoesNotExist) as error:
            raise Http404("No such version of this item.") from error

    def compare_view(self, request, object_id):
        item = self._item(request, object_id)
        chosen = [request.GET.get("from"), request.GET.get("to")]
        if not all(chosen) or chosen[0] == chosen[1]:
            messages.error(request, "Choose two different versions to compare.")
            return HttpResponseRedirect(self._context(request, item, "")["history_url"])
        older, newer = sorted(
            (self._version(item, each) for each in chosen),
            key=lambda version: (version.revision.date_created, version.pk),
        )
        context = self._context(
            request,
            item,
            f"Compare two versions of {item}",
            older=older,
            newer=newer,
            older_who=history.author(older.revision),
            newer_who=history.author(newer.revision),
            changes=compare(older, newer),
        )
        return TemplateResponse(request, "admin/history/version_compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Revert to one version: what would change, then a button that does it."""
        item = self._item(request, object_id)
        version = self._version(item, version_id)
        if request.method == "POST":
            try:
                restored = history_revert(version=version, by=request.user)
            except RestoreError as error:
                messages.error(request, f"Nothing was reverted: {error}")
                return HttpResponseRedirect(request.path)
            self._report(request, "Reverted", restored)
            self.log_change(request, restored.item, "Reverted to an earlier version.")
            return HttpResponseRedirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[quote(item.pk)],
                )
            )
        latest = history.versions_of(self.model, item.pk).first()
        context = self._context(
            request,
            item,
            f"Revert {item}",
            version=version,
            who=history.author(version.revision),
            changes=compare(latest, version) if latest and latest.pk != version.pk else [],
        )
        return TemplateResponse(request, "admin/history/revert_confirm.html", context)

    def recover_view(self, request, version_id, extra_context=None):
        """Bring back a deleted item: what it was, then a button that does it."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_deleted(self.model).select_related(
                "revision__user", "revision__author"
            ),
            pk=version_id,
        )
        if request.method == "POST":
            try:
                restored = history_recover(version=version, by=request.user)
            except RestoreError as error:
                messages.error(request, f"Nothing was recovered: {error}")
                return HttpResponseRedirect(request.path)
            self._report(request, "Recovered", restored)
            self.log_addition(request, restored.item, "Recovered from its deleted version.")
            return HttpResponseRedirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[quote(restored.item.pk)],
                )
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Recover {version.object_repr}",
            "version": version,
            "who": history.author(version.revision),
            "changes": compare(None, version),
            "recover_list_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_recoverlist"
            ),
        }
        return TemplateResponse(request, "admin/history/recover_confirm.html", context)

    def _report(self, request, done, restored):
        message = f"{done} “{restored.item}”. It is a new version in its history."
        if restored.left_out:
            message += " Left out, deleted since: " + "; ".join(restored.left_out) + "."
        messages.success(request, message)
