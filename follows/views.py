"""Follow by email: the request, the confirmation, one-click unsubscribe and the manage page.

Every page behind a private link is marked private (never cached, never indexed); the
address's state is never told to anyone but the holder of such a link.
"""

from django.conf import settings
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.privacy import private
from core.ratelimit import RateLimited, client_address, rate_limited_response
from follows import services, targets
from follows.forms import FollowForm, FrequencyForm
from follows.models import Frequency, State, Subscriber


def _follow_page(request, form, status=200):
    kind, query = form["kind"].value(), form["query"].value() or ""
    normalised = targets.normalise(kind, QueryDict(query)) if kind else None
    followed = targets.describe(kind, normalised) if normalised is not None else None
    return render(
        request, "follows/follow_form.html", {"form": form, "followed": followed}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def follow(request):
    """The form (also shown inline on each followable page) and what it posts to."""
    if request.method != "POST":
        form = FollowForm(
            initial={"kind": request.GET.get("kind"), "query": request.GET.get("query", "")}
        )
        return _follow_page(request, form)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return _follow_page(request, form, status=400)
    try:
        services.follow_request(
            email=form.cleaned_data["email"],
            kind=form.cleaned_data["kind"],
            query=form.cleaned_data["query"],
            frequency=form.cleaned_data["frequency"],
            client=client_address(request),
        )
    except RateLimited as limited:
        return rate_limited_response(request, limited)
    return redirect("follows:requested")


def requested(request):
    """The same answer whoever asked and whatever their address's state."""
    return render(
        request, "follows/follow_requested.html", {"hours": settings.FOLLOW_CONFIRM_HOURS}
    )


def _subscription_or_404(token):
    subscription = services.pending_or_confirmed(token)
    if subscription is None:
        raise Http404("This link is unknown or has expired.")
    return subscription


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """A GET only shows the button (mail scanners follow links); the POST confirms."""
    subscription = _subscription_or_404(token)
    if request.method == "POST":
        subscription = services.follow_confirm(token=token) or subscription
    context = {
        "subscription": subscription,
        "confirmed": subscription.state == State.CONFIRMED,
        "followed": targets.describe(subscription.kind, subscription.query),
        "followed_url": targets.page_url(subscription.kind, subscription.query),
    }
    return private(render(request, "follows/subscription_confirm.html", context))


@csrf_exempt  # RFC 8058: mail clients POST without cookies; the private token authenticates
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """One click from a mail client (a POST) ends the subscription; a GET asks first."""
    if request.method == "POST":
        ended = services.subscription_end(token=token)
        return private(render(request, "follows/unsubscribed.html", {"ended": ended}))
    subscription = _subscription_or_404(token)
    context = {
        "subscription": subscription,
        "followed": targets.describe(subscription.kind, subscription.query),
    }
    return private(render(request, "follows/subscription_unsubscribe.html", context))


def _subscriber_or_404(token):
    subscriber = Subscriber.objects.filter(token=token).first() if len(token) <= 64 else None
    if subscriber is None:
        raise Http404("This link is unknown, or every subscription it managed has ended.")
    return subscriber


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    """The address's subscriptions: change how often, end one, or delete everything."""
    subscriber = _subscriber_or_404(token)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "erase":
            services.subscriber_erase(subscriber=subscriber)
            return private(render(request, "follows/unsubscribed.html", {"erased": True}))
        form = FrequencyForm(request.POST)
        if action == "change" and form.is_valid():
            services.subscription_change(
                subscriber=subscriber,
                subscription_id=form.cleaned_data["subscription"],
                frequency=form.cleaned_data["frequency"],
            )
        elif action == "stop" and (pk := _int(request.POST.get("subscription"))):
            services.subscription_stop(subscriber=subscriber, subscription_id=pk)
            if not Subscriber.objects.filter(pk=subscriber.pk).exists():
                return private(render(request, "follows/unsubscribed.html", {"ended": True}))
        return redirect("follows:manage", token=token)
    subscriptions = list(subscriber.subscriptions.order_by("pk"))
    names = targets.Names(each.query for each in subscriptions)
    rows = [
        {
            "subscription": each,
            "followed": targets.describe(each.kind, each.query, names),
            "followed_url": targets.page_url(each.kind, each.query, names),
        }
        for each in subscriptions
    ]
    context = {"rows": rows, "frequencies": Frequency.choices, "confirmed": State.CONFIRMED}
    return private(render(request, "follows/subscriber_manage.html", context))


def _int(text):
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 18 else None
