"""The curators' workplace for themes, lessons, sources and quotes."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from taggit.models import Tag

from core.history_admin import HistoryAdmin
from core.moderation_admin import CONTRIBUTOR_FIELDSET, MODERATION_FIELDSET, ModeratedAdmin
from core.tag_forms import TagAdminForm, TagMergeForm
from lessons import services
from lessons.models import ApplicationReport, Lesson, Quote, Source, Theme


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = ("text", "speaker", "speaker_title", "source", "slug")


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin):
    list_display = ("number", "title", "summary")
    list_display_links = ("title",)
    ordering = ("number",)
    search_fields = ("title", "summary", "text")
    prepopulated_fields = {"slug": ("title",)}
    fields = ("number", "title", "slug", "summary", "text", "guiding_questions")
    inlines = [QuoteInline]


@admin.register(Lesson)
class LessonAdmin(ModeratedAdmin):
    list_display = (
        "title",
        "moderation_status",
        "contributor_name",
        "experience",
        "theme_list",
        "partnership",
        "tag_list",
        "created_at",
    )
    list_filter = (
        "moderation_status",
        "experience",
        "themes",
        ("partnership__participations__organisation__sector", admin.ChoicesFieldListFilter),
        "source",
        "tags",
    )
    search_fields = (
        "title",
        "context",
        "insight",
        "recommendation",
        "evidence",
        "tags__name",
        "contributor_name",
        "contributor_email",
    )
    readonly_fields = [*ModeratedAdmin.readonly_fields, "helpful_count"]
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["partnership"]
    filter_horizontal = ("themes",)
    list_select_related = ("partnership",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "experience", "themes", "tags")}),
        ("The lesson", {"fields": ("context", "insight", "recommendation", "evidence")}),
        ("Where it comes from", {"fields": ("partnership", "source", "helpful_count")}),
        CONTRIBUTOR_FIELDSET,
        MODERATION_FIELDSET,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes", "tags")

    @admin.display(description="themes")
    def theme_list(self, obj):
        return ", ".join(str(theme.number) for theme in obj.themes.all())


@admin.register(ApplicationReport)
class ApplicationReportAdmin(ModeratedAdmin):
    """Readers' "I applied this lesson" reports: those with a note wait here for review (and
    count once published); rejecting one, or deleting it, takes it out of the counts."""

    # No contributor is known: nothing to send back for changes, no personal data to erase.
    actions = ["publish_selected", "reject_selected"]
    list_display = ("__str__", "moderation_status", "outcome", "sector", "region", "note_start")
    list_filter = ("moderation_status", "outcome", "sector", "region")
    search_fields = ("note", "lesson__title")
    list_select_related = ("lesson",)
    autocomplete_fields = ["lesson"]
    fieldsets = (
        (None, {"fields": ("lesson", "outcome", "sector", "region", "note")}),
        MODERATION_FIELDSET,
    )

    @admin.display(description="note")
    def note_start(self, obj):
        return obj.note[:80] + ("…" if len(obj.note) > 80 else "") if obj.note else "—"


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ("title", "publisher", "published_on")
    search_fields = ("title", "publisher")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Quote)
class QuoteAdmin(HistoryAdmin):
    list_display = ("speaker", "text", "theme", "source")
    list_filter = ("theme", "source")
    search_fields = ("speaker", "text")
    list_select_related = ("theme", "source")


# taggit's own TagAdmin shows and merges only its generic TaggedItem rows, which this
# site does not use (tags go through TaggedLesson and TaggedPartnership).
admin.site.unregister(Tag)


@admin.register(Tag)
class CuratedTagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = ("name", "slug", "lesson_count", "partnership_count")
    search_fields = ("name", "slug")
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    actions = ["merge_tags"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                lesson_total=Count("lessons_taggedlesson_items", distinct=True),
                partnership_total=Count("alliances_taggedpartnership_items", distinct=True),
            )
        )

    @admin.display(description="lessons", ordering="lesson_total")
    def lesson_count(self, obj):
        return obj.lesson_total

    @admin.display(description="case studies", ordering="partnership_total")
    def partnership_count(self, obj):
        return obj.partnership_total

    @admin.action(description="Merge the selected tags…", permissions=["change", "delete"])
    def merge_tags(self, request, queryset):
        """Ask which tag to keep (and whether to rename it), then merge the others into it."""
        tags = queryset.order_by("name")
        if len(tags) < 2:
            self.message_user(
                request,
                "Select at least two tags to merge: the one to keep and those to merge into it.",
                messages.ERROR,
            )
            return None
        form = TagMergeForm(request.POST if "apply" in request.POST else None, tags=tags)
        if form.is_valid():
            try:
                merge = services.tags_merge(
                    keep=form.cleaned_data["keep"],
                    merge=tags,
                    by=request.user,
                    name=form.cleaned_data["name"],
                )
            except ValueError as refused:
                form.add_error(None, str(refused))
            else:
                self.message_user(request, merge_message(merge), messages.SUCCESS)
                return None
        return TemplateResponse(
            request,
            "admin/taggit/tag/merge_tags.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge tags",
                "opts": self.model._meta,
                "tags": tags,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


def merge_message(merge: services.TagMerge) -> str:
    """What the curator reads once tags are merged."""
    merged = ", ".join(f"“{name}”" for name in merge.merged)
    lessons = f"{merge.lessons} lesson{'' if merge.lessons == 1 else 's'}"
    studies = f"{merge.partnerships} case stud{'y' if merge.partnerships == 1 else 'ies'}"
    return (
        f"Merged {merged} into “{merge.keep.name}”: {lessons} and {studies} moved to it. "
        f"The old tag addresses redirect to /tags/{merge.keep.slug}/."
    )
