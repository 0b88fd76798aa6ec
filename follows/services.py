"""Following by email: asking, confirming, changing and ending, each in one transaction."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import mail
from core.models import LimitedWrite
from core.ratelimit import RateLimited, rate_take
from follows import targets
from follows.models import Frequency, State, Subscriber, Subscription

# Asking again within this time sends nothing new, whatever the state of the subscription.
ASK_AGAIN_AFTER = timedelta(hours=24)


def confirm_within() -> timedelta:
    """How long a confirmation link works; an unconfirmed request is then deleted."""
    return timedelta(hours=settings.FOLLOW_CONFIRM_HOURS)


def normalised_email(email: str) -> str:
    """The address as kept: the domain lower-cased (the part before @ is the mailbox's)."""
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_headers(subscription: Subscription) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: a POST to this address ends the subscription."""
    link = absolute(reverse("follows:unsubscribe", args=[subscription.token]))
    return {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def mail_links(subscription: Subscription) -> dict[str, str]:
    return {
        "unsubscribe_url": absolute(reverse("follows:unsubscribe", args=[subscription.token])),
        "manage_url": absolute(reverse("follows:manage", args=[subscription.subscriber.token])),
        "followed": targets.describe(subscription.kind, subscription.query),
        "followed_url": absolute(targets.page_url(subscription.kind, subscription.query)),
        "frequency": subscription.get_frequency_display().lower(),
    }


def _send_confirmation(subscription: Subscription) -> None:
    links = mail_links(subscription)
    mail.queue(
        to=[subscription.subscriber.email],
        subject=f"Confirm: follow “{links['followed']}” on {settings.SITE_NAME}",
        template="follow_confirm",
        context={
            **links,
            "confirm_url": absolute(reverse("follows:confirm", args=[subscription.token])),
            "hours": settings.FOLLOW_CONFIRM_HOURS,
        },
        headers=unsubscribe_headers(subscription),
    )


def _send_reminder(subscription: Subscription) -> None:
    """To an address that already confirmed: where its subscriptions are managed."""
    links = mail_links(subscription)
    mail.queue(
        to=[subscription.subscriber.email],
        subject=f"You already follow “{links['followed']}” on {settings.SITE_NAME}",
        template="follow_already",
        context=links,
        headers=unsubscribe_headers(subscription),
    )


def follow_request(*, email: str, kind: str, query: str, frequency: str, client: str) -> None:
    """Ask to follow a list: the address gets one email asking to confirm (or, if it already
    follows it, where to manage that), at most once per ASK_AGAIN_AFTER. Answers the same
    whatever the address's state, so the caller can never tell it.

    Raises RateLimited when this client has made too many requests this hour. Too many for
    one address are dropped silently: saying so would tell who asked.
    """
    email = normalised_email(email)
    now = timezone.now()
    with transaction.atomic():
        rate_take(kind=LimitedWrite.FOLLOW, address=client)
        try:
            rate_take(kind=LimitedWrite.FOLLOW_ADDRESS, address=email.lower())
        except RateLimited:
            return
        subscriber = Subscriber.objects.filter(email__iexact=email).first()
        if subscriber is None:
            subscriber = Subscriber.objects.create(email=email)
        subscription = (
            Subscription.objects.select_for_update()
            .filter(subscriber=subscriber, kind=kind, query=query)
            .select_related("subscriber")
            .first()
        )
        if subscription is None:
            subscription = Subscription.objects.create(
                subscriber=subscriber,
                kind=kind,
                query=query,
                frequency=frequency,
                requested_at=now,
                confirmation_sent_at=now,
                expires_at=now + confirm_within(),
            )
            _send_confirmation(subscription)
            return
        if subscription.confirmation_sent_at > now - ASK_AGAIN_AFTER:
            return
        subscription.confirmation_sent_at = now
        if subscription.state == State.CONFIRMED:
            subscription.save(update_fields=["confirmation_sent_at"])
            _send_reminder(subscription)
            return
        subscription.frequency = frequency
        subscription.requested_at = now
        subscription.expires_at = now + confirm_within()
        subscription.save()
        _send_confirmation(subscription)


def pending_or_confirmed(token: str) -> Subscription | None:
    """The subscription a private link names, if it is confirmed or still confirmable."""
    subscription = (
        Subscription.objects.select_related("subscriber").filter(token=token).first()
        if token and len(token) <= 64
        else None
    )
    if subscription is None:
        return None
    if subscription.state == State.PENDING and subscription.expires_at <= timezone.now():
        return None
    return subscription


def follow_confirm(*, token: str) -> Subscription | None:
    """Confirm a request through its private link; digests start from now. None when the
    link is unknown or has expired."""
    with transaction.atomic():
        subscription = pending_or_confirmed(token)
        if subscription is None or subscription.state == State.CONFIRMED:
            return subscription
        now = timezone.now()
        Subscription.objects.filter(pk=subscription.pk, state=State.PENDING).update(
            state=State.CONFIRMED, confirmed_at=now, sent_up_to=now, expires_at=None
        )
        subscription.refresh_from_db()
        return subscription


def _forget_if_alone(subscriber_id: int) -> None:
    """An address is kept only while it has a subscription."""
    Subscriber.objects.filter(pk=subscriber_id, subscriptions__isnull=True).delete()


def subscription_end(*, token: str) -> bool:
    """End the subscription a private link names (and forget the address if it was its
    last); False when there is none."""
    with transaction.atomic():
        subscription = Subscription.objects.filter(token=token).first() if token else None
        if subscription is None:
            return False
        subscription.delete()
        _forget_if_alone(subscription.subscriber_id)
        return True


def subscription_change(*, subscriber: Subscriber, subscription_id: int, frequency: str) -> bool:
    """Set how often one of this address's subscriptions is sent; False if it is not one."""
    if frequency not in Frequency.values:
        return False
    return bool(
        Subscription.objects.filter(
            subscriber=subscriber, pk=subscription_id, state=State.CONFIRMED
        ).update(frequency=frequency)
    )


def subscription_stop(*, subscriber: Subscriber, subscription_id: int) -> bool:
    """End one of this address's subscriptions from its manage page."""
    with transaction.atomic():
        deleted, _ = Subscription.objects.filter(subscriber=subscriber, pk=subscription_id).delete()
        _forget_if_alone(subscriber.pk)
        return bool(deleted)


def subscriber_erase(*, subscriber: Subscriber) -> None:
    """Delete the address and every subscription it has, at once."""
    Subscriber.objects.filter(pk=subscriber.pk).delete()


def follows_purge_expired() -> int:
    """Delete unconfirmed requests past their link's expiry, and addresses left with nothing;
    returns how many requests were deleted."""
    with transaction.atomic():
        deleted, _ = Subscription.objects.filter(
            state=State.PENDING, expires_at__lte=timezone.now()
        ).delete()
        Subscriber.objects.filter(subscriptions__isnull=True).delete()
        return deleted
