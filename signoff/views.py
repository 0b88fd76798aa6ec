"""The partner's private sign-off page: the case study as published, and its own answer."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from alliances.models import PartnerSignoff
from core.privacy import private
from core.ratelimit import RateLimited, client_address, rate_limited_response
from signoff import services
from signoff.forms import SignoffForm

NOT_FOUND = (
    "This sign-off link is unknown or has expired, or its case study is no longer published."
)


def _signoff_or_404(token: str) -> PartnerSignoff:
    found = (
        PartnerSignoff.objects.by_token(token)
        .select_related("participation__organisation", "participation__partnership")
        .first()
        if len(token) <= 64
        else None
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def _page(request, signoff, form, *, status=200, saved=False):
    context = {
        "signoff": signoff,
        "partnership": signoff.participation.partnership,
        "organisation": signoff.participation.organisation,
        "participation": signoff.participation,
        "form": form,
        "saved": saved,
        "days": settings.SIGNOFF_LINK_DAYS,
    }
    return private(render(request, "signoff/signoff_answer.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request, token):
    """/signoff/<token>/: confirm, comment, dispute or ask to be hidden; again to change it."""
    try:
        signoff = _signoff_or_404(token)
    except Http404:
        return private(
            render(request, "signoff/signoff_unknown.html", {"message": NOT_FOUND}, status=404)
        )
    if request.method != "POST":
        initial = {
            "answer": signoff.answer or None,
            "comment": signoff.comment,
            "hide_name": signoff.hide_name,
        }
        return _page(request, signoff, SignoffForm(initial=initial), saved="saved" in request.GET)
    form = SignoffForm(request.POST)
    if not form.is_valid():
        return _page(request, signoff, form, status=400)
    try:
        services.signoff_answer(
            token=token,
            answer=form.cleaned_data["answer"],
            comment=form.cleaned_data["comment"],
            hide_name=form.cleaned_data["hide_name"],
            address=client_address(request),
        )
    except RateLimited as limited:
        return rate_limited_response(request, limited)
    except services.SignoffClosed:
        return private(
            render(request, "signoff/signoff_unknown.html", {"message": NOT_FOUND}, status=404)
        )
    return redirect(f"{request.path}?saved=1")
