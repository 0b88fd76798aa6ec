"""Curators' queue of partners' answers: disputes and comments to approve, and the way on to
the case study to edit it or ask its contributor for changes."""

from django.contrib import admin, messages
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import ngettext

from alliances.models import Partnership, PartnerSignoff, SignoffAnswer
from signoff import services


class CommentApprovalFilter(admin.SimpleListFilter):
    title = "comment"
    parameter_name = "comment"

    def lookups(self, request, model_admin):
        return [("pending", "Waiting for approval"), ("approved", "Approved and shown")]

    def queryset(self, request, queryset):
        with_comment = queryset.exclude(comment="")
        if self.value() == "pending":
            return with_comment.filter(comment_approved=False)
        if self.value() == "approved":
            return with_comment.filter(comment_approved=True)
        return queryset


@admin.register(PartnerSignoff)
class PartnerSignoffAdmin(admin.ModelAdmin):
    """Partner responses: disputes first, then the newest answers."""

    list_display = (
        "organisation",
        "case_study",
        "answer_shown",
        "comment_excerpt",
        "comment_approved",
        "hide_name",
        "answered_at",
        "sent_at",
    )
    list_filter = ("answer", CommentApprovalFilter, "hide_name")
    search_fields = ("participation__organisation__name", "participation__partnership__name")
    list_select_related = ("participation__organisation", "participation__partnership")
    readonly_fields = (
        "organisation",
        "case_study",
        "answer",
        "comment",
        "sent_at",
        "answered_at",
        "expires_at",
    )
    fields = (
        "organisation",
        "case_study",
        "contact_email",
        "answer",
        "comment",
        "comment_approved",
        "hide_name",
        "sent_at",
        "answered_at",
        "expires_at",
    )
    actions = ["approve_comments", "request_changes"]

    def get_queryset(self, request):
        # Partners asked or answered (a contact not yet sent a link is no response), disputes
        # first: they are what a curator must look into.
        disputes_first = Case(
            When(answer=SignoffAnswer.DISPUTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (
            super()
            .get_queryset(request)
            .exclude(Q(answer="") & Q(sent_at__isnull=True))
            .order_by(disputes_first, F("answered_at").desc(nulls_last=True), "pk")
        )

    def has_add_permission(self, request):
        return False  # a sign-off starts from a contributor's form, never from here

    @admin.display(description="partner", ordering="participation__organisation__name")
    def organisation(self, obj):
        return obj.participation.organisation.name

    @admin.display(description="case study", ordering="participation__partnership__name")
    def case_study(self, obj):
        partnership = obj.participation.partnership
        change = reverse("admin:alliances_partnership_change", args=[partnership.pk])
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">public page</a>)',
            change,
            partnership.name,
            partnership.get_absolute_url(),
        )

    @admin.display(description="answer", ordering="answer")
    def answer_shown(self, obj):
        if obj.answer == SignoffAnswer.DISPUTED:
            return format_html("<strong>{}</strong>", obj.get_answer_display())
        return obj.get_answer_display()

    @admin.display(description="comment")
    def comment_excerpt(self, obj):
        return Truncator(obj.comment).chars(120)

    @admin.action(description="Approve the selected partners' comments for showing")
    def approve_comments(self, request, queryset):
        approved = services.signoff_comments_approve(signoffs=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "Approved %(count)d comment: it is shown on its case study's page.",
                "Approved %(count)d comments: they are shown on their case studies' pages.",
                approved,
            )
            % {"count": approved},
            messages.SUCCESS,
        )

    @admin.action(description="Ask the contributor for changes…", permissions=["change"])
    def request_changes(self, request, queryset):
        """The case studies' own "ask for changes" page (core/moderation_log_admin.py), for
        the case studies these partners answered about; it posts to the case-study list."""
        case_studies = self.admin_site.get_model_admin(Partnership)
        if not case_studies.has_change_permission(request):
            self.message_user(
                request,
                "Nothing was sent back: you may not change case studies. Ask a curator who may.",
                messages.ERROR,
            )
            return None
        partnerships = Partnership.objects.filter(
            pk__in=queryset.values("participation__partnership")
        ).order_by("name", "pk")
        return case_studies.request_changes(request, partnerships)
