"""Visitors' submissions: a lesson or a case study, stored whole and pending review.

Each is stored in one transaction (the item, its themes or partners, its tags, the
submission limit's record and the curators' email in the outbox, sent once it is committed).
A contributor's revision, asked for by a curator, is in revisions.py.
"""

from collections.abc import Sequence

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag

from alliances.models import Organisation, Participation, Partnership, PartnerSignoff
from core import history
from core.models import LimitedWrite, ModerationAction
from core.moderation import ModerationStatus
from core.moderation_mail import curators_notify
from core.privacy import new_private_token
from core.ratelimit import rate_take
from core.services import moderation_log
from core.slugs import unique_slug
from core.tags import tag_key, tag_slug
from lessons.models import Lesson, Theme


def tags_resolve(names: Sequence[str]) -> list[Tag | str]:
    """Each name as the existing tag it means, or as itself for taggit to create.

    A name means a tag when the two differ only in case, spaces, hyphens and
    underscores: "local context" finds the tag "local-context" instead of making
    another. Names that differ in anything else stay apart, even where their slugs
    would be alike ("c++" is not "c"; "🎉" is not "🎈").
    """
    keys = {tag_key(name) for name in names}
    # Alike names share a slug, or differ only in case: one query finds them all.
    alike = Q(slug__in={tag_slug(name) for name in names})
    for name in names:
        alike |= Q(name__iexact=name)
    by_key: dict[str, Tag] = {}
    for tag in Tag.objects.filter(alike).order_by("pk"):
        if tag_key(tag.name) in keys:
            by_key.setdefault(tag_key(tag.name), tag)
    resolved, seen = [], set()
    for name in names:
        key = tag_key(name)
        if key not in seen:
            seen.add(key)
            resolved.append(by_key.get(key, name))
    return resolved


def organisation_find_or_create(*, name: str, sector: str) -> Organisation:
    """The organisation of this name (in any case), or a new one in this sector."""
    name = " ".join(name.split())
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    return Organisation.objects.create(
        name=name, slug=unique_slug(Organisation, name), sector=sector
    )


# The comment of a submission's first version.
SENT_IN = "Sent in through the site's form."


def submission_store(model: type[models.Model], *, data: dict, title: str, address: str):
    """Take one of the address's hourly submissions, then store a visitor's item as pending
    with a status token.

    Call inside the transaction that stores the rest of the submission (so the limit is
    counted in it), then ``submission_finish`` once the rest is stored.
    """
    rate_take(kind=LimitedWrite.SUBMISSION, address=address)
    item = model(
        **data,
        slug=unique_slug(model, title),
        moderation_status=ModerationStatus.PENDING,
        status_token=new_private_token(),
    )
    item.full_clean()
    item.save()
    return item


def submission_finish(item, *, tags: Sequence[str]) -> None:
    """Tag a stored submission and tell curators once it is committed."""
    if tags:
        item.tags.add(*tags_resolve(tags))
    curators_notify(item=item)


def partners_store(partnership: Partnership, *, partners: Sequence[dict]) -> None:
    """Store a submitted case study's partners (name, sector, role), each pair once, with
    the contact to ask for their sign-off once it is published, where one is given."""
    seen = set()
    for partner in partners:
        organisation = organisation_find_or_create(name=partner["name"], sector=partner["sector"])
        if (organisation.pk, partner["role"]) in seen:
            continue
        seen.add((organisation.pk, partner["role"]))
        participation = Participation(
            partnership=partnership, organisation=organisation, role=partner["role"]
        )
        participation.full_clean()
        participation.save()
        if partner.get("contact_email"):
            signoff = PartnerSignoff(
                participation=participation, contact_email=partner["contact_email"]
            )
            signoff.full_clean()
            signoff.save()


def partners_replace(partnership: Partnership, *, partners: Sequence[dict]) -> None:
    """Make a revised case study's partners exactly these. A partner kept (same organisation
    and role) keeps its sign-off: its link, once sent, and its answer; a contact not yet
    asked may change. Partners left out go, with their sign-offs."""
    kept: dict[tuple[int, str], Participation] = {}
    for participation in partnership.participations.select_related("signoff"):
        kept[(participation.organisation_id, participation.role)] = participation
    staying, new = set(), []
    for partner in partners:
        organisation = organisation_find_or_create(name=partner["name"], sector=partner["sector"])
        participation = kept.get((organisation.pk, partner["role"]))
        if participation is None:
            new.append(partner)
            continue
        staying.add(participation.pk)
        contact = partner.get("contact_email", "")
        signoff = getattr(participation, "signoff", None)
        if signoff is None and contact:
            PartnerSignoff.objects.create(participation=participation, contact_email=contact)
        elif signoff is not None and signoff.sent_at is None and signoff.contact_email != contact:
            signoff.contact_email = contact
            signoff.full_clean()
            signoff.save(update_fields=["contact_email"])
    partnership.participations.exclude(pk__in=staying).delete()
    partners_store(partnership, partners=new)


def partnership_submit(
    *, data: dict, partners: Sequence[dict], tags: Sequence[str], address: str
) -> Partnership:
    """Store a visitor's case study, pending review, with its partners and tags.

    Stored whole or not at all. `data` holds the Partnership's own fields; `partners`
    is a list of dicts with name, sector and role.
    """
    # Its first version, by the contributor (core/history.py), stored with it.
    with history.revision(by_contributor=True, comment=SENT_IN):
        partnership = submission_store(Partnership, data=data, title=data["name"], address=address)
        partners_store(partnership, partners=partners)
        submission_finish(partnership, tags=tags)
    return partnership


def lesson_submit(
    *, data: dict, themes: Sequence[Theme], tags: Sequence[str], address: str
) -> Lesson:
    """Store a visitor's lesson, pending review, with its themes and tags.

    Stored whole or not at all; curators are emailed once it is stored.
    """
    with history.revision(by_contributor=True, comment=SENT_IN):
        lesson = submission_store(Lesson, data=data, title=data["title"], address=address)
        lesson.themes.set(themes)
        submission_finish(lesson, tags=tags)
    return lesson


def spam_discard(*, address: str) -> None:
    """Count a submission the honeypot caught against the limit, and store nothing of it.

    The sender is thanked as if it were stored (a session holds the thank-you), so it is
    limited like a stored one: a bot cannot write sessions without end either.
    """
    with transaction.atomic():
        rate_take(kind=LimitedWrite.SUBMISSION, address=address)


class NotAwaitingChanges(Exception):
    """The submission is not (or no longer) waiting for its contributor's changes."""


def submission_revise(
    *,
    item: Lesson | Partnership,
    data: dict,
    tags: Sequence[str],
    address: str,
    themes: Sequence[Theme] | None = None,
    partners: Sequence[dict] | None = None,
) -> Lesson | Partnership:
    """Store the contributor's changes to a submission a curator sent back, and return it to
    the queue marked revised; raises NotAwaitingChanges unless it awaits their changes.

    In one transaction: the item's fields, its themes or partners and its tags replaced
    exactly, the submission limit's record, the moderation log's "resubmitted", a version
    in the history (by the contributor) and the curators' email.
    """
    model = type(item)
    with history.revision(by_contributor=True, comment="Sent back with the changes asked for."):
        rate_take(kind=LimitedWrite.SUBMISSION, address=address)
        revised = (
            model._default_manager.awaiting_changes().select_for_update().filter(pk=item.pk).first()
        )
        if revised is None:
            raise NotAwaitingChanges
        for name, value in data.items():
            setattr(revised, name, value)
        revised.moderation_status = ModerationStatus.PENDING
        revised.revised_at = timezone.now()
        revised.full_clean()
        revised.save()
        if themes is not None:
            revised.themes.set(themes)
        if partners is not None:
            partners_replace(revised, partners=partners)
        revised.tags.set(tags_resolve(tags))
        moderation_log(items=[revised], action=ModerationAction.RESUBMITTED, by=None)
        curators_notify(item=revised, revised=True)
    return revised
