"""Curators' writes to submissions of every kind, each recorded in the admin log as an edit
in the admin is: publishing, rejecting, and erasing a contributor's personal data."""

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any, cast

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core import history
from core.moderation import (
    CONTRIBUTOR_FIELDS,
    Moderated,
    ModeratedQuerySet,
    ModerationStatus,
    moderated_models,
)
from core.selectors import contributor_matcher, contributor_submissions

ERASED_MESSAGE = "Erased the contributor's personal data."
# What erasing writes over a contributor's details, in the item and in all its versions.
ERASED_VALUES = {**dict.fromkeys(CONTRIBUTOR_FIELDS, ""), "publish_anonymously": True}


def _admin_log(*, items: Sequence[Moderated], by: Any, message: str) -> None:
    """One change entry per item, attributed to the curator."""
    LogEntry.objects.log_actions(by.pk, items, CHANGE, change_message=message)


def _lock_unless(items: QuerySet, status: str) -> list[Moderated]:
    """These items that are not already in `status`, locked until the transaction ends.

    The status is checked again once each row is locked, so of two curators acting on the
    same rows at once, only the first records a change.
    """
    pks = list(items.values_list("pk", flat=True))
    return list(
        items.model._default_manager.filter(pk__in=pks)
        .exclude(moderation_status=status)
        .select_for_update()
        .order_by("pk")
    )


def moderation_publish(*, items: QuerySet, by: Any) -> int:
    """Publish these items; returns how many changed, each recorded in the admin log."""
    with transaction.atomic():
        changing = _lock_unless(items, ModerationStatus.PUBLISHED)
        items.model._default_manager.filter(pk__in=[item.pk for item in changing]).publish()
        _admin_log(items=changing, by=by, message="Published.")
    return len(changing)


def moderation_reject(*, items: QuerySet, reason: str, by: Any) -> int:
    """Reject these items, withdrawing any that were published; returns how many changed,
    each recorded in the admin log with the reason."""
    with transaction.atomic():
        changing = _lock_unless(items, ModerationStatus.REJECTED)
        items.model._default_manager.filter(pk__in=[item.pk for item in changing]).reject(reason)
        message = f"Rejected: {reason}" if reason else "Rejected."
        _admin_log(items=changing, by=by, message=message)
    return len(changing)


def contributor_erase(*, items: Iterable[Moderated], by: Any) -> int:
    """Erase the personal data of these items' contributors from everything they sent in, of
    every kind (contributor_submissions says which); returns how many items changed, each
    recorded in the admin log. What they wrote stays, published without their name."""
    erased = 0
    with history.revision(by=by, comment=ERASED_MESSAGE):
        found = contributor_submissions(items=items)
        sent_by_them, _ = contributor_matcher(found)
        for model in moderated_models():
            queryset = cast(ModeratedQuerySet, model._default_manager.all())
            # Locked, then checked again: what another curator erased meanwhile is not logged.
            erasing = list(
                queryset.filter(pk__in=[item.pk for item in found if type(item) is model])
                .with_contributor_data()
                .select_for_update()
                .order_by("pk")
            )
            queryset.filter(pk__in=[item.pk for item in erasing]).update(
                **ERASED_VALUES, updated_at=timezone.now()
            )
            _admin_log(items=erasing, by=by, message=ERASED_MESSAGE)
            # Their history forgets it too: every stored version is scrubbed, and the new
            # version records the erased item.
            history.scrub(erasing, ERASED_VALUES)
            history.record(erasing)
            erased += len(erasing)
            # What they sent in and a curator deleted is kept only to be recovered; it
            # forgets them too.
            history.scrub_deleted(model, partial(sent_by_them, kind=model), ERASED_VALUES)
    return erased
