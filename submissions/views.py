"""/submit/…: a visitor shares a lesson or a case study; then thanks and a private status link."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from taggit.utils import edit_string_for_tags

from alliances.models import Partnership
from core.breadcrumbs import breadcrumbs
from core.privacy import private
from core.ratelimit import RateLimited, client_address, rate_limited_response
from core.selectors import changes_asked
from lessons.models import Lesson
from lessons.selectors import most_used_tags
from submissions import services
from submissions.forms import LessonSubmissionForm, PartnerFormSet, PartnershipSubmissionForm

POPULAR_TAGS_SHOWN = 12
TOKEN_SESSION_KEY = "submission_token"


def remember_submission(request, item):
    """Hand the thank-you page the private status link of what was just stored."""
    request.session[TOKEN_SESSION_KEY] = item.status_token if item else ""
    return redirect("submissions:thanks")


def spam_thank(request):
    """Thank a sender the honeypot caught as if their submission were stored."""
    try:
        services.spam_discard(address=client_address(request))
    except RateLimited as limited:
        return rate_limited_response(request, limited)
    return remember_submission(request, None)


def lesson_submit(request):
    """/submit/lesson/: a visitor shares a lesson, no account needed."""
    form = LessonSubmissionForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam:
            return spam_thank(request)
        if form.is_valid():
            try:
                lesson = services.lesson_submit(
                    data=form.model_data(),
                    themes=form.cleaned_data["themes"],
                    tags=form.cleaned_data["tags"],
                    address=client_address(request),
                )
            except RateLimited as limited:
                return rate_limited_response(request, limited)
            return remember_submission(request, lesson)
    context = {
        "form": form,
        "popular_tags": most_used_tags(POPULAR_TAGS_SHOWN),
        **breadcrumbs(("Lessons", "browse:lesson-list"), "Share a lesson"),
    }
    return render(
        request,
        "submissions/lesson_submit.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def partner_error_links(partners):
    """(anchor, message) for each problem with the partners, for the error summary."""
    links = [("partners", error) for error in partners.non_form_errors()]
    for number, partner in enumerate(partners.forms, start=1):
        for field in partner:
            links += [
                (field.auto_id, f"Partner {number}, {field.label}: {e}") for e in field.errors
            ]
    return links


def partnership_submit(request):
    """/submit/partnership/: a visitor shares a case study, with its partners."""
    form = PartnershipSubmissionForm(request.POST or None)
    partners = PartnerFormSet(request.POST or None, prefix="partners")
    if request.method == "POST":
        if form.is_spam:
            return spam_thank(request)
        if form.is_valid() and partners.is_valid():
            try:
                partnership = services.partnership_submit(
                    data=form.model_data(),
                    partners=partners.partners,
                    tags=form.cleaned_data["tags"],
                    address=client_address(request),
                )
            except RateLimited as limited:
                return rate_limited_response(request, limited)
            return remember_submission(request, partnership)
    partner_errors = partner_error_links(partners) if request.method == "POST" else []
    context = {
        "form": form,
        "partners": partners,
        "partner_errors": partner_errors,
        "error_count": len(form.errors) + len(partner_errors),
        **breadcrumbs(("Case studies", "browse:partnership-list"), "Share a case study"),
    }
    return render(
        request,
        "submissions/partnership_submit.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def thanks(request):
    """After a submission: what happens next, and the private status link."""
    token = request.session.get(TOKEN_SESSION_KEY)
    if token is None:
        return redirect("pages:home")
    status_url = reverse("submissions:status", args=[token]) if token else ""
    return render(request, "submissions/thanks.html", {"status_url": status_url})


def submission_by_token(token):
    """The submission this private link is for, or 404."""
    item = (
        Lesson.objects.filter(status_token=token).first()
        or Partnership.objects.filter(status_token=token).first()
    )
    if item is None:
        raise Http404("No submission has this link.")
    return item


def status(request, token):
    """The contributor's private page: the status of their submission, and nothing else
    (the changes a curator asked for, while it awaits them)."""
    item = submission_by_token(token)
    context = {"item": item, "kind": item.kind_for_visitors, "changes": changes_asked(item)}
    return private(render(request, "submissions/status.html", context))


def tags_as_typed(tags) -> str:
    """Tags as a person would type them into the form: "local context, Trust"."""
    tags = sorted(tags, key=lambda tag: tag.name.casefold())
    names = [tag.name for tag in tags]
    plain = len(names) > 1 or not any(" " in name for name in names)
    if plain and not any("," in name or '"' in name for name in names):
        return ", ".join(names)
    return edit_string_for_tags(tags)  # quoted where a name needs it


def revision_forms(item, data):
    """The submission's own form (and a case study's partners), prefilled from the item."""
    tags = tags_as_typed(item.tags.all())
    if isinstance(item, Lesson):
        return LessonSubmissionForm(data, instance=item, initial={"tags": tags}), None
    partners = [
        {
            "name": p.organisation.name,
            "sector": p.organisation.sector,
            "role": p.role,
            "contact_email": getattr(getattr(p, "signoff", None), "contact_email", ""),
        }
        for p in item.participations.select_related("organisation", "signoff").order_by("pk")
    ]
    return (
        PartnershipSubmissionForm(data, instance=item, initial={"tags": tags}),
        PartnerFormSet(data, prefix="partners", initial=partners),
    )


def submission_revise(request, token):
    """/submissions/<token>/edit/: the contributor changes their submission as a curator
    asked, with the form they sent it in with, and sends it back to the queue."""
    item = submission_by_token(token)
    if changes_asked(item) is None:
        context = {"item": item, "kind": item.kind_for_visitors}
        return private(
            render(request, "submissions/submission_not_editable.html", context, status=404)
        )
    form, partners = revision_forms(item, request.POST or None)
    if request.method == "POST":
        if form.is_spam:
            try:
                services.spam_discard(address=client_address(request))
            except RateLimited as limited:
                return private(rate_limited_response(request, limited))
            return redirect("submissions:status", token=token)
        if form.is_valid() and (partners is None or partners.is_valid()):
            try:
                services.submission_revise(
                    item=item,
                    data=form.model_data(),
                    tags=form.cleaned_data["tags"],
                    themes=form.cleaned_data.get("themes"),
                    partners=partners.partners if partners is not None else None,
                    address=client_address(request),
                )
            except RateLimited as limited:
                return private(rate_limited_response(request, limited))
            except services.NotAwaitingChanges:
                pass  # a curator acted meanwhile: the status page says what it is now
            return redirect("submissions:status", token=token)
    partner_errors = partner_error_links(partners) if partners and request.method == "POST" else []
    context = {
        "form": form,
        "partners": partners,
        "partner_errors": partner_errors,
        "error_count": len(form.errors) + len(partner_errors),
        "item": item,
        "kind": item.kind_for_visitors,
        "changes": changes_asked(item),
        "form_action": reverse("submissions:revise", args=[token]),
        "status_url": reverse("submissions:status", args=[token]),
    }
    status_code = 400 if request.method == "POST" else 200
    return private(
        render(request, "submissions/submission_revise.html", context, status=status_code)
    )
