"""Curators' writes to submissions of every kind, each recorded in the admin log as an edit
in the admin is: publishing, rejecting, asking for changes, and erasing a contributor's
personal data. Each moderation decision is also written to the moderation log
(``ModerationDecision``) and the history, and emails the contributor, in its transaction."""

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any, cast

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from core import history, signals
from core.models import ModerationAction, ModerationDecision
from core.moderation import (
    CONTRIBUTOR_FIELDS,
    Moderated,
    ModeratedQuerySet,
    ModerationStatus,
    moderated_models,
)
from core.moderation_mail import contributor_notify
from core.selectors import contributor_matcher, contributor_submissions

# What a curator may send back to its contributor: a pending item, or a published one.
SENT_BACK_FROM = (ModerationStatus.PENDING, ModerationStatus.PUBLISHED)
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


def _fresh(model, changing: Sequence[Moderated]) -> list[Moderated]:
    """These rows as they are now, after a queryset update wrote them."""
    return list(model._default_manager.filter(pk__in=[item.pk for item in changing]).order_by("pk"))


def moderation_log(
    *,
    items: Iterable[Moderated],
    action: str,
    by: Any,
    message: str = "",
    emailed: Iterable[int] = (),
) -> None:
    """One moderation decision per item; ``by`` is the curator, or None for the contributor.
    ``emailed`` holds the pks of the items whose contributor was told by email."""
    told = set(emailed)
    curator = by if getattr(by, "is_authenticated", False) else None
    ModerationDecision.objects.bulk_create(
        ModerationDecision(
            content_type=ContentType.objects.get_for_model(type(item)),
            object_id=item.pk,
            action=action,
            curator=curator,
            message=message,
            contributor_emailed=item.pk in told,
        )
        for item in items
    )


def moderation_publish(*, items: QuerySet, by: Any, notify: bool = True) -> int:
    """Publish these items; returns how many changed, each recorded in the admin log, the
    moderation log and the history; their contributors are emailed the public link."""
    with history.revision(by=by, comment="Published."):
        changing = _lock_unless(items, ModerationStatus.PUBLISHED)
        items.model._default_manager.filter(pk__in=[item.pk for item in changing]).publish()
        _admin_log(items=changing, by=by, message="Published.")
        published = _fresh(items.model, changing)
        history.record(published)
        emailed = [
            item.pk
            for item in published
            if notify and contributor_notify(item=item, action=ModerationAction.PUBLISHED)
        ]
        moderation_log(items=published, action=ModerationAction.PUBLISHED, by=by, emailed=emailed)
        signals.published.send(sender=items.model, items=published)
    return len(changing)


def moderation_reject(
    *, items: QuerySet, reason: str, by: Any, notify: bool = True, send_reason: bool = False
) -> int:
    """Reject these items, withdrawing any that were published; returns how many changed,
    each recorded in the admin log with the reason, the moderation log and the history.

    Their contributors are told by email if ``notify``, with the reason only if
    ``send_reason``."""
    message = f"Rejected: {reason}" if reason else "Rejected."
    with history.revision(by=by, comment=message):
        changing = _lock_unless(items, ModerationStatus.REJECTED)
        was_published = {item.pk for item in changing if item.is_published}
        items.model._default_manager.filter(pk__in=[item.pk for item in changing]).reject(reason)
        _admin_log(items=changing, by=by, message=message)
        rejected = _fresh(items.model, changing)
        history.record(rejected)
        for action, group in (
            (ModerationAction.WITHDRAWN, [i for i in rejected if i.pk in was_published]),
            (ModerationAction.REJECTED, [i for i in rejected if i.pk not in was_published]),
        ):
            emailed = [
                item.pk
                for item in group
                if notify
                and contributor_notify(
                    item=item, action=action, message=reason, send_message=send_reason
                )
            ]
            moderation_log(items=group, action=action, by=by, message=reason, emailed=emailed)
    return len(changing)


def moderation_request_changes(
    *, items: QuerySet, message: str, by: Any, notify: bool = True
) -> int:
    """Send these pending or published submissions back to their contributors with the
    changes asked for; returns how many changed. Only an item a visitor sent in (one with a
    private link to edit it through) can be sent back. A published one leaves every public
    surface until a curator publishes it again (say, a case study a partner disputes). Its
    contributor is emailed the words and the link if ``notify``; the status page shows them
    either way."""
    if not message.strip():
        raise ValueError("Say what should change: the contributor reads it.")
    with history.revision(by=by, comment=f"Changes requested: {message}"):
        pks = list(items.values_list("pk", flat=True))
        changing = list(
            items.model._default_manager.filter(
                pk__in=pks,
                moderation_status__in=SENT_BACK_FROM,
                status_token__isnull=False,
            )
            .select_for_update()
            .order_by("pk")
        )
        was_published = {item.pk for item in changing if item.is_published}
        items.model._default_manager.filter(pk__in=[item.pk for item in changing]).update(
            moderation_status=ModerationStatus.CHANGES_REQUESTED, updated_at=timezone.now()
        )
        _admin_log(items=changing, by=by, message=f"Changes requested: {message}")
        sent_back = _fresh(items.model, changing)
        history.record(sent_back)
        emailed = [
            item.pk
            for item in sent_back
            if notify
            and contributor_notify(
                item=item,
                action=ModerationAction.CHANGES_REQUESTED,
                message=message,
                withdrawn=item.pk in was_published,
            )
        ]
        moderation_log(
            items=sent_back,
            action=ModerationAction.CHANGES_REQUESTED,
            by=by,
            message=message,
            emailed=emailed,
        )
    return len(changing)


def moderation_state_changed(*, item: Moderated, was: str, by: Any) -> None:
    """Log (and tell the contributor of) a moderation state a curator changed in an item's
    admin form. Call in the form's transaction, after the item is saved."""
    now = item.moderation_status
    if now == was:
        return
    if now == ModerationStatus.PUBLISHED:
        action = ModerationAction.PUBLISHED
    elif was == ModerationStatus.PUBLISHED:
        action = ModerationAction.WITHDRAWN
    elif now == ModerationStatus.REJECTED:
        action = ModerationAction.REJECTED
    elif now == ModerationStatus.CHANGES_REQUESTED:
        action = ModerationAction.CHANGES_REQUESTED
    else:
        action = ModerationAction.RETURNED
    message = item.rejection_reason if now == ModerationStatus.REJECTED else ""
    # From the form, a reason stays with curators: only the bulk action offers to send it.
    emailed = contributor_notify(item=item, action=action, message=message, send_message=False)
    moderation_log(
        items=[item], action=action, by=by, message=message, emailed=[item.pk] if emailed else []
    )
    if action == ModerationAction.PUBLISHED:
        signals.published.send(sender=type(item), items=[item])


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
            signals.contributor_erased.send(sender=model, items=erasing)
            erased += len(erasing)
            # What they sent in and a curator deleted is kept only to be recovered; it
            # forgets them too.
            history.scrub_deleted(model, partial(sent_by_them, kind=model), ERASED_VALUES)
    return erased
