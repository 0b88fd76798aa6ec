"""/health-check/: the themes' guiding questions answered, then a private, scored result."""

from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.breadcrumbs import breadcrumbs
from core.privacy import private
from core.ratelimit import RateLimited, client_address, rate_limited_response
from healthcheck import scoring
from healthcheck.forms import HealthCheckForm
from healthcheck.models import HealthCheck
from lessons.models import Theme

HEALTH_CHECK = ("Health check", "healthcheck:health-check")


def health_check(request):
    """The questions, each answered green, amber or red; a valid answer goes to its result."""
    themes = list(Theme.objects.all())
    initial = {"compare": request.GET.get("compare", "")[:300]}
    form = HealthCheckForm(request.POST or None, themes=themes, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        try:
            check = scoring.health_check_create(
                answers=answers,
                scores=scoring.theme_scores(form.question_keys, answers),
                address=client_address(request),
                compared_with=form.cleaned_data["compare"],
            )
        except RateLimited as limited:
            return rate_limited_response(request, limited)
        return redirect(check)
    context = {"form": form, "answers": scoring.Answer, **breadcrumbs("Health check")}
    return render(
        request,
        "healthcheck/healthcheck_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def health_check_result(request, token):
    """The private result of one check: scores, weakest themes, what to read, what changed."""
    check = get_object_or_404(HealthCheck.objects.select_related("compared_with"), token=token)
    themes = list(Theme.objects.all())
    scores = check.scores
    earlier = check.compared_with
    context = {
        "check": check,
        "chart": scoring.score_chart(scores, themes),
        "overall": scoring.overall_score(scores),
        "weakest": [
            scoring.recommendations(theme, scores[theme.slug])
            for theme in scoring.weakest_themes(scores, themes)
        ],
        "earlier": earlier,
        "changes": scoring.changes(earlier.scores, scores, themes) if earlier else [],
        "result_url": request.build_absolute_uri(check.get_absolute_url()),
        "compare_url": f"{reverse('healthcheck:health-check')}?"
        f"{urlencode({'compare': check.token})}",
        **breadcrumbs(HEALTH_CHECK, "Your result"),
    }
    return private(render(request, "healthcheck/healthcheck_result.html", context))
