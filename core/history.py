"""Every version of what curators curate: who changed it, when, and what it was.

Built on django-reversion. Each domain app registers its own models (``register``), saying
which related rows travel with an item (a case study's partners, a lesson's tag links), so a
version is the whole item and reverting it restores the whole item.

A version is recorded only inside a ``revision`` block, which is one transaction with the
change it records: a failed change leaves no version, and a version never lacks its change.
Every write path opens one: the admin (its change forms, deletes and bulk actions), the
services, the management commands. What privacy removes from an item leaves its versions too
(``scrub``, ``forget``). Reverting and recovering are in ``core/history_restore.py``, the
readable diff in ``core/history_diff.py``, the curators' pages in ``core/history_admin.py``.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import reversion
from django.core import serializers
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.encoding import force_str
from reversion.models import Revision, Version
from reversion.revisions import _follow_relations_recursive, _get_content_type, _get_options

from core.models import RevisionAuthor

# Who made a revision, when it was not a curator signed in to the admin.
CONTRIBUTOR = "the contributor"
# The comment of the version recorded just before an item is deleted.
DELETED = "Deleted."


def _label(by: Any, by_contributor: bool) -> str:
    if by_contributor:
        return CONTRIBUTOR
    return by if isinstance(by, str) else ""


@contextmanager
def revision(*, by: Any = None, by_contributor: bool = False, comment: str = "") -> Iterator[None]:
    """Record, in one transaction with the changes made inside the block, a version of
    every registered item saved (or explicitly ``record``-ed) in it.

    ``by`` is the curator (a user), or the name of the command making the change
    ("manage.py load_report"); ``by_contributor`` marks a change made by the contributor
    through their private link. Nested blocks join the outer one.
    """
    with reversion.create_revision(atomic=True):
        if by is not None and getattr(by, "is_authenticated", False):
            reversion.set_user(by)
        label = _label(by, by_contributor)
        if label:
            reversion.add_meta(RevisionAuthor, label=label)
        if comment:
            reversion.set_comment(comment)
        yield


def record(items: Iterable[models.Model]) -> None:
    """Add these items, as they are now in the database, to the open revision: for writes
    that save no model (a queryset's update, as bulk publishing does). Call after the write,
    inside ``revision``. The rows are read again, so instances loaded before an ``update()``
    record what the update wrote, not what they held."""
    by_model: dict[type[models.Model], list[Any]] = {}
    for item in items:
        if reversion.is_registered(type(item)):
            by_model.setdefault(type(item), []).append(item.pk)
    for model, pks in by_model.items():
        for fresh in model._default_manager.filter(pk__in=pks).order_by("pk"):
            reversion.add_to_revision(fresh)


def record_changed(items: Iterable[models.Model]) -> None:
    """``record`` only those of these items whose fields differ from their latest version
    (or that have none): for a bulk action, which may leave some selected rows as they were."""
    changed = []
    for item in items:
        if not reversion.is_registered(type(item)):
            continue
        latest = Version.objects.get_for_object(item).order_by("-pk").first()
        if latest is None or _stored_fields(latest) != _stored_fields(_version(item, "default")):
            changed.append(item)
    record(changed)


def _stored_fields(version: Version) -> dict[str, Any]:
    return json.loads(version.serialized_data)[0]["fields"]


def register(
    model: type[models.Model], *, follow: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
):
    """Keep the versions of this model, with the related rows named in ``follow``."""
    if not reversion.is_registered(model):
        reversion.register(model, follow=follow, exclude=exclude)
    return model


def _version(obj: models.Model, using: str) -> Version:
    options = _get_options(type(obj))
    return Version(
        content_type=_get_content_type(type(obj), using),
        object_id=force_str(getattr(obj, options.object_id_field)),
        db=using,
        format=options.format,
        serialized_data=serializers.serialize(
            options.format,
            (obj,),
            fields=options.fields,
            use_natural_foreign_keys=options.use_natural_foreign_keys,
        ),
        object_repr=force_str(obj),
    )


def record_deletion(items: Sequence[models.Model], *, by: Any = None, comment: str = DELETED):
    """Save, now, a revision of these items as they are just before being deleted, with the
    related rows that travel with them, so they can be recovered. Call it in the transaction
    that deletes them: reversion saves a revision block's versions only for rows that still
    exist when the block ends, so a deletion cannot wait for it."""
    registered = [item for item in items if reversion.is_registered(type(item))]
    if not registered:
        return
    with transaction.atomic():
        user = by if getattr(by, "is_authenticated", False) else None
        saved = Revision.objects.create(date_created=timezone.now(), user=user, comment=comment)
        label = _label(by, False)
        if label:
            RevisionAuthor.objects.create(revision=saved, label=label)
        seen: set[tuple[type, Any]] = set()
        versions = []
        for obj in _follow_relations_recursive_all(registered):
            if (type(obj), obj.pk) not in seen:
                seen.add((type(obj), obj.pk))
                version = _version(obj, "default")
                version.revision = saved
                versions.append(version)
        Version.objects.bulk_create(versions)


def _follow_relations_recursive_all(items: Iterable[models.Model]) -> Iterator[models.Model]:
    for item in items:
        yield from _follow_relations_recursive(item)


def author(revision_row: Revision) -> str:
    """Who made this revision, as curators read it: a curator's name, "the contributor", or
    the command's name. Expects ``select_related("user", "author")``."""
    if revision_row.user is not None:
        return revision_row.user.get_full_name() or revision_row.user.get_username()
    try:
        return revision_row.author.label
    except RevisionAuthor.DoesNotExist:
        return "unknown (recorded outside the site's tools)"


def versions_of(model: type[models.Model], pk: Any):
    """Every version of one item, newest first, with who made each."""
    return (
        Version.objects.get_for_object_reference(model, pk)
        .select_related("revision__user", "revision__author")
        .order_by("-revision__date_created", "-pk")
    )


def has_versions(item: models.Model) -> bool:
    return Version.objects.get_for_object(item).exists()


def scrub(items: Iterable[models.Model], values: dict[str, Any]) -> int:
    """Overwrite these fields in every stored version of these items (erased personal data
    must not live on in their history); returns how many versions were rewritten."""
    rewritten = []
    for item in items:
        for version in Version.objects.get_for_object(item).only("pk", "serialized_data"):
            data = json.loads(version.serialized_data)
            for row in data:
                row["fields"].update({k: v for k, v in values.items() if k in row["fields"]})
            scrubbed = json.dumps(data)
            if scrubbed != version.serialized_data:
                version.serialized_data = scrubbed
                rewritten.append(version)
    Version.objects.bulk_update(rewritten, ["serialized_data"])
    return len(rewritten)


def scrub_deleted(
    model: type[models.Model], sent_by_them: Callable[[dict[str, Any]], bool], values: dict
) -> int:
    """``scrub`` the versions of this model's deleted items whose last version
    ``sent_by_them`` (given its fields) says the same contributor sent in: an erasure
    reaches what is only kept to be recovered too. Returns how many versions were rewritten."""
    gone = [
        version.object_id
        for version in Version.objects.get_deleted(model)
        if sent_by_them(version.field_dict)
    ]
    placeholders = [model(pk=object_id) for object_id in gone]
    return scrub(placeholders, values)


def forget(versions) -> int:
    """Delete these versions, and the revisions they leave empty; returns how many versions."""
    revision_ids = set(versions.values_list("revision_id", flat=True))
    removed, _ = Version.objects.filter(pk__in=versions.values("pk")).delete()
    Revision.objects.filter(pk__in=revision_ids).annotate(left=Count("version")).filter(
        left=0
    ).delete()
    return removed


def forget_deleted(*, before) -> int:
    """Delete every version of the items deleted before this time (the recovery window is
    over, and their versions may hold a contributor's personal data); returns how many."""
    removed = 0
    for model in reversion.get_registered_models():
        gone = [
            version.object_id
            for version in Version.objects.get_deleted(model).select_related("revision")
            if version.revision.date_created < before
        ]
        if gone:
            removed += forget(Version.objects.get_for_model(model).filter(object_id__in=gone))
    return removed
