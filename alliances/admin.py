"""The curators' workplace for case studies and organisations."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from alliances.models import Organisation, Participation, Partnership, PartnerSignoff
from core.history_admin import HistoryAdmin
from core.moderation_admin import CONTRIBUTOR_FIELDSET, MODERATION_FIELDSET, ModeratedAdmin


class ParticipationForm(forms.ModelForm):
    """A partner, with the contact asked for its sign-off once the case study is published."""

    contact_email = forms.EmailField(
        label="contact for sign-off",
        required=False,
        help_text="Asked once, by email, whether the account is fair, when the case study is "
        "published. Never shown.",
    )

    class Meta:
        model = Participation
        fields = ["organisation", "role", "contribution"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        signoff = getattr(self.instance, "signoff", None) if self.instance.pk else None
        if signoff is not None:
            self.fields["contact_email"].initial = signoff.contact_email

    def save(self, commit=True):
        participation = super().save(commit=commit)
        if commit:
            contact = self.cleaned_data.get("contact_email", "")
            signoff = PartnerSignoff.objects.filter(participation=participation).first()
            if signoff is not None and signoff.contact_email != contact:
                signoff.contact_email = contact
                signoff.save(update_fields=["contact_email"])
            elif signoff is None and contact:
                PartnerSignoff.objects.create(participation=participation, contact_email=contact)
        return participation


class ParticipationInline(admin.TabularInline):
    model = Participation
    form = ParticipationForm
    extra = 1
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("signoff")


@admin.register(Partnership)
class PartnershipAdmin(ModeratedAdmin):
    list_display = (
        "name",
        "moderation_status",
        "contributor_name",
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
    search_fields = (
        "name",
        "summary",
        "story",
        "organisations__name",
        "tags__name",
        "contributor_name",
        "contributor_email",
    )
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ParticipationInline]
    list_select_related = True
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary", "story", "tags", "featured")}),
        (
            "Where and when",
            {"fields": ("region", "countries", "start_year", "end_year", "status", "outcome")},
        ),
        (
            "Partners and government",
            {"fields": ("hide_partner_names", "government_role", "partner_signoff")},
        ),
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
        CONTRIBUTOR_FIELDSET,
        MODERATION_FIELDSET,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "partner_signoff")

    @admin.display(description="partners' sign-off")
    def partner_signoff(self, obj):
        """Each partner's answer to its sign-off link, as curators (not visitors) see it."""
        if obj is None or obj.pk is None:
            return "—"
        parts = obj.participations.select_related("organisation", "signoff").order_by("pk")
        rows = []
        for part in parts:
            signoff = getattr(part, "signoff", None)
            if signoff is None:
                state = "no contact given"
            elif not signoff.answer:
                state = "link sent, no answer yet" if signoff.sent_at else "not asked yet"
            else:
                state = signoff.get_answer_display()
                if signoff.comment:
                    shown = "shown" if signoff.comment_approved else "waiting for approval"
                    state += f" — comment {shown}: “{signoff.comment}”"
                if signoff.hide_name:
                    state += " — asked for its name to be hidden"
            rows.append((part.organisation.name, state))
        if not rows:
            return "No partners."
        items = format_html_join("", "<li><strong>{}</strong>: {}</li>", rows)
        responses = reverse("admin:alliances_partnersignoff_changelist")
        return format_html(
            '<ul>{}</ul><p><a href="{}?q={}">Partner responses</a></p>',
            items,
            responses,
            obj.name,
        )


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
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
