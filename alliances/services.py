"""Writes that touch several models: a case-study submission, and rules all submissions share."""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from alliances.models import Organisation, Participation, Partnership, SubmissionRecord
from alliances.moderation import ModerationStatus, new_status_token


class SubmissionRateLimited(Exception):
    """This address has sent the most submissions allowed in an hour."""


def address_hash(address):
    """A keyed hash of a visitor's address: enough to count, not to identify."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def submission_check_rate(*, address):
    """Raise SubmissionRateLimited when this address has used up its hourly submissions.

    Counted in the database, so the limit holds across server processes and machines.
    """
    since = timezone.now() - timedelta(hours=1)
    sent = SubmissionRecord.objects.filter(
        address_hash=address_hash(address), created_at__gte=since
    ).count()
    if sent >= settings.SUBMISSIONS_PER_HOUR:
        raise SubmissionRateLimited


def submission_record(*, address):
    SubmissionRecord.objects.create(address_hash=address_hash(address))


def unique_slug(model, text, *, max_length=180):
    """A slug for `text` not yet used by `model`, numbered when it needs to be."""
    base = slugify(text)[:max_length].strip("-") or "untitled"
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def curators_notify(*, item, kind):
    """Email curators about a new submission once it is safely stored."""
    staff_emails = (
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    recipients = sorted({*settings.CURATOR_EMAILS, *staff_emails})
    if not recipients:
        return
    opts = item._meta
    admin_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
    send_mail(
        subject=f"New {kind} to review: {item}",
        message=(
            f"A visitor has submitted a {kind}, waiting for review:\n\n{item}\n\n"
            f"Review it in the admin: {admin_url}\n"
        ),
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,
    )


def tags_resolve(names):
    """Each name as the existing tag it means, matched by name in any case or by slug.

    "local context" finds the tag "local-context" instead of making "local-context_1".
    Names with no such tag are returned as they are, for taggit to create.
    """
    slugs = {slugify(name): name for name in names}
    existing = Tag.objects.filter(slug__in=slugs)
    by_slug = {tag.slug: tag for tag in existing}
    resolved, seen = [], set()
    for name in names:
        tag = by_slug.get(slugify(name)) or name
        key = tag.pk if not isinstance(tag, str) else name.casefold()
        if key not in seen:
            seen.add(key)
            resolved.append(tag)
    return resolved


def organisation_find_or_create(*, name, sector):
    """The organisation of this name (in any case), or a new one in this sector."""
    name = " ".join(name.split())
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    return Organisation.objects.create(
        name=name, slug=unique_slug(Organisation, name), sector=sector
    )


def submission_store(model, *, data, title, address):
    """Check the hourly limit, then store a visitor's item as pending with a status token.

    Call inside the transaction that stores the rest of the submission, then
    ``submission_finish`` once the rest is stored.
    """
    submission_check_rate(address=address)
    item = model(
        **data,
        slug=unique_slug(model, title),
        moderation_status=ModerationStatus.PENDING,
        status_token=new_status_token(),
    )
    item.full_clean()
    item.save()
    return item


def submission_finish(item, *, tags, kind, address):
    """Tag a stored submission, count it against the limit, and tell curators after commit."""
    if tags:
        item.tags.add(*tags_resolve(tags))
    submission_record(address=address)
    transaction.on_commit(lambda: curators_notify(item=item, kind=kind))


def partnership_submit(*, data, partners, tags, address):
    """Store a visitor's case study, pending review, with its partners and tags.

    Stored whole or not at all. `data` holds the Partnership's own fields; `partners`
    is a list of dicts with name, sector and role.
    """
    with transaction.atomic():
        partnership = submission_store(Partnership, data=data, title=data["name"], address=address)
        seen = set()
        for partner in partners:
            organisation = organisation_find_or_create(
                name=partner["name"], sector=partner["sector"]
            )
            if (organisation.pk, partner["role"]) in seen:
                continue
            seen.add((organisation.pk, partner["role"]))
            participation = Participation(
                partnership=partnership, organisation=organisation, role=partner["role"]
            )
            participation.full_clean()
            participation.save()
        submission_finish(partnership, tags=tags, kind="case study", address=address)
    return partnership
