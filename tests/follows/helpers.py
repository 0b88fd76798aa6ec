"""Following, confirming and reading the outbox, as the tests of follows/ do it."""

import re

from django.urls import reverse

from core.models import OutgoingMail
from follows.models import Subscription
from follows.services import follow_confirm

CONFIRM_LINK = re.compile(r"http://\S+/follow/confirm/([^/\s]+)/")


def ask(client, email, *, kind="theme", query, frequency="daily", **extra):
    return client.post(
        reverse("follows:follow"),
        {"email": email, "kind": kind, "query": query, "frequency": frequency},
        **extra,
    )


def mails_to(address):
    return [mail for mail in OutgoingMail.objects.order_by("pk") if address in mail.to]


def confirmed(email, *, kind="theme", query, frequency="daily", client):
    """A confirmed subscription, asked for and confirmed the way a visitor does."""
    ask(client, email, kind=kind, query=query, frequency=frequency)
    subscription = (
        Subscription.objects.filter(subscriber__email=email, kind=kind).order_by("-pk").first()
    )
    return follow_confirm(token=subscription.token)
