from django.conf import settings
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import DetailView

from alliances import services
from alliances.forms import PartnerFormSet, PartnershipSubmissionForm
from alliances.models import Organisation, Partnership, TaggedPartnership
from alliances.moderation import ModerationStatus
from alliances.related import related_items

RELATED_SHOWN = 4


def related_partnerships(partnership, limit=RELATED_SHOWN):
    """Other published case studies sharing the most tags, then lessons' themes, with this one."""
    # Lessons are reached through the reverse relation: alliances never imports lessons.
    lessons = partnership.lessons
    theme_ids = lessons.published().values("themes")
    on_shared_theme = lessons.model.objects.filter(
        partnership=OuterRef("pk"),
        moderation_status=ModerationStatus.PUBLISHED,
        themes__in=theme_ids,
    )
    return related_items(
        partnership,
        through=TaggedPartnership,
        published=Partnership.objects.published().for_cards(),
        fallback=Partnership.objects.published()
        .filter(Exists(on_shared_theme))
        .order_by("-published_at", "-pk"),
        limit=limit,
    )


class PartnershipDetailView(DetailView):
    """One published case study: partners by sector, results on two levels, its lessons."""

    def get_queryset(self):
        return Partnership.objects.published().for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.object
        by_sector = {}
        for participation in partnership.participations.all():
            sector = participation.organisation.get_sector_display()
            by_sector.setdefault(sector, []).append(participation)
        context["partners_by_sector"] = sorted(by_sector.items())
        # A case study has a handful of lessons: sorted here, so the database looks
        # them up by case study rather than walking every published lesson by date.
        context["lessons"] = sorted(
            partnership.lessons.published()
            .order_by()
            .select_related("source")
            .prefetch_related("themes", "tags"),
            key=lambda lesson: (lesson.published_at, lesson.pk),
            reverse=True,
        )
        context["related_partnerships"] = related_partnerships(partnership)
        context["breadcrumb_trail"] = [
            ("Case studies", reverse("lessons:partnership-list")),
            (partnership.name, None),
        ]
        return context


class OrganisationDetailView(DetailView):
    """A partner organisation and its published case studies.

    An organisation only known from pending or rejected submissions has no page.
    """

    def get_queryset(self):
        return Organisation.objects.with_published_partnerships()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["participations"] = (
            self.object.participations.filter(
                partnership__in=Partnership.objects.published().filter(hide_partner_names=False)
            )
            .select_related("partnership")
            .order_by("partnership__name", "role")
        )
        context["breadcrumb_trail"] = [
            ("Case studies", reverse("lessons:partnership-list")),
            (self.object.name, None),
        ]
        return context


def client_address(request):
    """The visitor's address: the connection's, or, behind trusted proxies, the address the
    outermost of them saw (X-Forwarded-For is read from the right, never trusted further)."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(request):
    """The answer to an address that has sent too many submissions this hour."""
    response = render(
        request,
        "alliances/submission_rate_limited.html",
        {"limit": settings.SUBMISSIONS_PER_HOUR},
        status=429,
    )
    response["Retry-After"] = "3600"
    return response


def remember_submission(request, item):
    """Hand the thank-you page the private status link of what was just stored."""
    request.session["submission_token"] = item.status_token if item else ""
    return redirect("lessons:submission-thanks")


def partner_error_links(partners):
    """(anchor, message) for each problem with the partners, for the error summary."""
    links = [("partners", error) for error in partners.non_form_errors()]
    for number, partner in enumerate(partners.forms, start=1):
        for field in partner:
            links += [
                (field.auto_id, f"Partner {number}, {field.label}: {e}") for e in field.errors
            ]
    return links


def partnership_submit_view(request):
    """/submit/partnership/: a visitor shares a case study, with its partners."""
    form = PartnershipSubmissionForm(request.POST or None)
    partners = PartnerFormSet(request.POST or None, prefix="partners")
    if request.method == "POST":
        if form.is_spam:
            return remember_submission(request, None)
        if form.is_valid() and partners.is_valid():
            try:
                partnership = services.partnership_submit(
                    data=form.model_data(),
                    partners=partners.partners,
                    tags=form.cleaned_data["tags"],
                    address=client_address(request),
                )
            except services.SubmissionRateLimited:
                return rate_limited(request)
            return remember_submission(request, partnership)
    partner_errors = partner_error_links(partners) if request.method == "POST" else []
    return render(
        request,
        "alliances/partnership_submit.html",
        {
            "form": form,
            "partners": partners,
            "partner_errors": partner_errors,
            "error_count": len(form.errors) + len(partner_errors),
            "breadcrumb_trail": [
                ("Case studies", reverse("lessons:partnership-list")),
                ("Share a case study", None),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )
