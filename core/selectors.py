"""Reads across every kind of submission, for curators."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from core.models import ModerationAction, ModerationDecision
from core.moderation import Moderated, ModeratedQuerySet, ModerationStatus, moderated_models


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def _name_key(item: Moderated) -> tuple[str, str]:
    return _same_text(item.contributor_name), _same_text(item.contributor_organisation)


def contributor_matcher(items: Iterable[Moderated]) -> tuple[Callable[..., bool], Any]:
    """Whether a submission's fields (a mapping: an item's, or a stored version's) were sent
    in by the contributors of these items, by the rule ``contributor_submissions`` states;
    with the emails, names and lone items it matches, for narrowing a query."""
    emails: set[str] = set()
    names: set[tuple[str, str]] = set()
    alone: set[tuple[type, object]] = set()
    for item in items:
        if item.contributor_email:
            emails.add(item.contributor_email.lower())
        elif _same_text(item.contributor_name):
            names.add(_name_key(item))
        else:
            alone.add((type(item), item.pk))

    def sent_by_them(fields: Mapping, kind: type | None = None) -> bool:
        email = fields.get("contributor_email") or ""
        name = fields.get("contributor_name") or ""
        if email:
            return email.lower() in emails
        if _same_text(name):
            return (
                _same_text(name),
                _same_text(fields.get("contributor_organisation") or ""),
            ) in names
        return (kind, fields.get("id")) in alone

    return sent_by_them, (emails, names, alone)


def contributor_submissions(*, items: Iterable[Moderated]) -> list[Moderated]:
    """Every item, of every kind, sent in by the contributors of these items and still holding
    their personal data, kind by kind, oldest first.

    A contributor is known by their email, in any case; one who left no email, by their name
    and organisation together (in any case and spacing), among items with no email either.
    An item with neither an email nor a name names nobody, so it stands for itself alone.
    """
    matches, (emails, names, alone) = contributor_matcher(items)

    def sent_by_them(item: Moderated) -> bool:
        return matches(vars(item), type(item))

    found: list[Moderated] = []
    for model in moderated_models():
        # The database narrows the candidates by what both engines compare alike (ASCII
        # case); the exact match, lower-casing any letter, is sent_by_them.
        candidates = Q(pk__in=[pk for kind, pk in alone if kind is model])
        for local_part in {email.rsplit("@", 1)[0] for email in emails}:
            candidates |= Q(contributor_email__istartswith=f"{local_part}@")
        if names:
            candidates |= Q(contributor_email="") & ~Q(contributor_name="")
        queryset = cast(ModeratedQuerySet, model._default_manager.all())
        found += [
            item
            for item in queryset.with_contributor_data().filter(candidates).order_by("pk")
            if sent_by_them(item)
        ]
    return found


def moderation_decisions(item: Moderated) -> QuerySet[ModerationDecision]:
    """Every moderation decision about this item, newest first, with its curator."""
    return ModerationDecision.objects.filter(
        content_type=ContentType.objects.get_for_model(type(item)), object_id=item.pk
    ).select_related("curator")


def changes_asked(item: Moderated) -> ModerationDecision | None:
    """The curator's latest request for changes to this item, while it awaits them."""
    if item.moderation_status != ModerationStatus.CHANGES_REQUESTED:
        return None
    return moderation_decisions(item).filter(action=ModerationAction.CHANGES_REQUESTED).first()
