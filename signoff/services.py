"""Partner sign-off: each partner of a published case study asked, once, through a private
link, whether the account is fair; their answers, and curators' approval of comments.

Every write here runs in one transaction with what it depends on: the links are queued in
the publishing transaction (core.signals.published), so a rolled-back publication sends
nothing, and a partner's answer is taken with its hourly limit.
"""

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliances.models import Partnership, PartnerSignoff, SignoffAnswer
from core import mail
from core.models import LimitedWrite
from core.privacy import new_private_token
from core.ratelimit import rate_take


def signoff_link(signoff: PartnerSignoff) -> str:
    """The absolute address of this partner's private page."""
    return settings.SITE_URL + reverse("signoff:answer", args=[signoff.token])


def signoff_links_send(*, partnerships: Iterable[Partnership]) -> int:
    """Email each partner with a contact of these (published) case studies its private link,
    once: a link already sent is never sent again on a later publication. Returns how many
    were queued; call inside the publishing transaction."""
    now = timezone.now()
    expires = now + timedelta(days=settings.SIGNOFF_LINK_DAYS)
    waiting = list(
        PartnerSignoff.objects.filter(
            participation__partnership__in=[p.pk for p in partnerships],
            participation__partnership__moderation_status="published",
            sent_at__isnull=True,
        )
        .exclude(contact_email="")
        .select_related("participation__organisation", "participation__partnership")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    for signoff in waiting:
        signoff.token = new_private_token()
        signoff.sent_at, signoff.expires_at = now, expires
        signoff.save(update_fields=["token", "sent_at", "expires_at"])
        partnership = signoff.participation.partnership
        mail.queue(
            to=[signoff.contact_email],
            subject=f"Is this account of “{partnership}” fair? Your confirmation",
            template="signoff_request",
            context={
                "organisation": signoff.participation.organisation.name,
                "partnership": partnership.name,
                "public_link": settings.SITE_URL + partnership.get_absolute_url(),
                "signoff_link": signoff_link(signoff),
                "days": settings.SIGNOFF_LINK_DAYS,
                "expires_at": expires,
            },
        )
    return len(waiting)


def on_published(sender: Any, *, items: Sequence[Partnership], **kwargs: Any) -> None:
    """core.signals.published: case studies were published; ask their partners."""
    signoff_links_send(partnerships=items)


class SignoffClosed(Exception):
    """The link no longer works (expired, or its case study is no longer published)."""


def signoff_answer(
    *, token: str, answer: str, comment: str, hide_name: bool, address: str
) -> PartnerSignoff:
    """Record (or change) a partner's answer through its private link, within the address's
    hourly limit. A changed comment waits for a curator's approval again."""
    if answer not in SignoffAnswer.values or not answer:
        raise ValueError(f"Not an answer: {answer!r}")
    with transaction.atomic():
        rate_take(kind=LimitedWrite.SIGNOFF, address=address)
        signoff = PartnerSignoff.objects.by_token(token).select_for_update().first()
        if signoff is None:
            raise SignoffClosed
        comment = comment.strip() if answer != SignoffAnswer.CONFIRMED else ""
        if comment != signoff.comment:
            signoff.comment_approved = False
        signoff.answer, signoff.comment, signoff.hide_name = answer, comment, hide_name
        signoff.answered_at = timezone.now()
        signoff.full_clean()
        signoff.save()
    return signoff


def signoff_comments_approve(*, signoffs: Iterable[PartnerSignoff], by: Any) -> int:
    """Let visitors read these partners' comments; each approval in the admin log."""
    with transaction.atomic():
        approving = list(
            PartnerSignoff.objects.filter(pk__in=[s.pk for s in signoffs], comment_approved=False)
            .exclude(comment="")
            .select_for_update()
            .order_by("pk")
        )
        PartnerSignoff.objects.filter(pk__in=[s.pk for s in approving]).update(
            comment_approved=True
        )
        LogEntry.objects.log_actions(
            by.pk, approving, CHANGE, change_message="Approved the partner's comment for showing."
        )
    return len(approving)


def signoff_contacts_erase(*, partnerships: Iterable[Partnership]) -> int:
    """Erase the partner contacts a contributor gave with these case studies."""
    return (
        PartnerSignoff.objects.filter(participation__partnership__in=[p.pk for p in partnerships])
        .exclude(contact_email="")
        .update(contact_email="")
    )


def on_contributor_erased(sender: Any, *, items: Sequence[Partnership], **kwargs: Any) -> None:
    """core.signals.contributor_erased: what the contributor gave about partners goes too."""
    signoff_contacts_erase(partnerships=items)


def signoff_contacts_purge_expired() -> int:
    """Erase the contact of every partner whose link expired: it will not be used again."""
    return (
        PartnerSignoff.objects.filter(expires_at__lte=timezone.now())
        .exclude(contact_email="")
        .update(contact_email="")
    )
