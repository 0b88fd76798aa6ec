"""The emails about moderation, queued in the outbox (core/mail.py) in the transaction of the
change: curators hear of each visitor's submission to review (`curators_notify`), and a
contributor of each decision about theirs. Only to a contributor who gave an address; a
decision they need not hear of (a curator's own item) sends nothing."""

from email.headerregistry import Address

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from core import mail
from core.models import ModerationAction
from core.moderation import Moderated


def curators_notify(*, item: Moderated, revised: bool = False) -> None:
    """Queue an email to curators about a submission to review, sent once it is committed."""
    staff_emails = (
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    recipients = sorted({*settings.CURATOR_EMAILS, *staff_emails})
    opts = item._meta
    admin_link = settings.SITE_URL + reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk]
    )
    kind = item.kind_for_visitors
    mail.queue(
        to=recipients,
        subject=f"{'Revised' if revised else 'New'} {kind} to review: {item}",
        template="submission_to_review",
        context={"item": item, "kind": kind, "admin_link": admin_link, "revised": revised},
    )


def contributor_address(item: Moderated) -> str:
    """The contributor's address with their name, as an email's To header takes it."""
    name = " ".join(item.contributor_name.split())
    try:
        return str(Address(display_name=name, addr_spec=item.contributor_email))
    except (ValueError, IndexError, TypeError):
        return item.contributor_email


def status_link(item: Moderated) -> str:
    """The absolute address of the contributor's private status page."""
    return settings.SITE_URL + reverse("submissions:status", args=[item.status_token])


def contributor_notify(
    *,
    item: Moderated,
    action: str,
    message: str = "",
    send_message: bool = True,
    withdrawn: bool = False,
) -> bool:
    """Queue the email that tells the contributor of this decision; True if one was queued.

    ``message`` (the requested changes, or the reason) is sent only if ``send_message``;
    ``withdrawn``: the decision took a published item off the site.
    """
    if not item.contributor_email or action not in SUBJECTS:
        return False
    context = {
        "item": item,
        "kind": item.kind_for_visitors,
        "contributor_name": " ".join(item.contributor_name.split()),
        "message": message if send_message else "",
        "withdrawn": withdrawn or action == ModerationAction.WITHDRAWN,
        "public_link": settings.SITE_URL + item.get_absolute_url()  # type: ignore[attr-defined]
        if action == ModerationAction.PUBLISHED
        else "",
        "status_link": status_link(item) if item.status_token else "",
    }
    subject = SUBJECTS[action].format(kind=item.kind_for_visitors, title=item)
    queued = mail.queue(
        to=[contributor_address(item)],
        subject=subject,
        template=TEMPLATES[action],
        context=context,
    )
    return queued is not None


SUBJECTS: dict[str, str] = {
    ModerationAction.PUBLISHED: "Your {kind} is published: {title}",
    ModerationAction.REJECTED: "Your {kind} was not published: {title}",
    ModerationAction.WITHDRAWN: "Your {kind} is no longer published: {title}",
    ModerationAction.CHANGES_REQUESTED: "Changes asked for your {kind}: {title}",
}
TEMPLATES: dict[str, str] = {
    ModerationAction.PUBLISHED: "moderation_published",
    ModerationAction.REJECTED: "moderation_not_published",
    ModerationAction.WITHDRAWN: "moderation_not_published",
    ModerationAction.CHANGES_REQUESTED: "moderation_changes_requested",
}
