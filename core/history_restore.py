"""Reverting an item to one of its versions, and recovering a deleted item: curators' writes
(``history_revert``, ``history_recover``), each one transaction that is itself a new version.

What a version brings back is the item's content and the related rows that travel with it (a
lesson's themes and tag links, a case study's partners, a theme's quotes). What it never
brings back, because the history is not the authority on it:

- the moderation state (status, publication date, rejection reason): a revert keeps the
  current one, so reverting a published item to the text of a pending draft publishes no
  draft, and a rejected item stays rejected;
- the contributor's personal data and their wish to stay anonymous: what was erased stays
  erased (core.services.contributor_erase scrubs it from the versions as well);
- counts kept outside the content ("this helped me"), the private status link's secret and
  when the item was first created.

Related rows pointing to something deleted since (a tag, an organisation, a theme) cannot come
back; they are left out and ``Restored.left_out`` says which, for the curator's message. A
revert that cannot complete (a slug taken meanwhile) raises ``RestoreError`` and changes
nothing.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from reversion.models import Version
from reversion.revisions import _get_options

from core import history
from core.moderation import CONTRIBUTOR_FIELDS

# Fields a version never brings back (see the module's docstring).
KEPT_AS_THEY_ARE = (
    "moderation_status",
    "published_at",
    "rejection_reason",
    "created_at",
    "status_token",
    "helpful_count",
    # A lesson's "I applied this lesson" counts (kept by lessons' triggers).
    "applied_count",
    "applied_helped_count",
    "applied_partly_count",
    "applied_not_helped_count",
    *CONTRIBUTOR_FIELDS,
    "publish_anonymously",
)


def _target(relation: Any) -> Any:
    """The model a field or relation points to (typed loosely: the stubs allow "self")."""
    return relation.related_model


def plain_many_to_many(relation: Any) -> bool:
    """A many-to-many field through Django's own table (themes), not a model of ours (tags,
    whose links travel with the item as rows)."""
    return relation.remote_field.through._meta.auto_created


class RestoreError(Exception):
    """The version cannot be restored; nothing was changed."""


@dataclass
class Restored:
    item: models.Model
    left_out: list[str] = field(default_factory=list)


def _follow_relations(model: type[models.Model]) -> list[Any]:
    """The reverse relations whose rows travel with an item (its registration's ``follow``)."""
    by_accessor = {
        rel.get_accessor_name(): rel
        for rel in model._meta.related_objects
        if isinstance(rel, models.ForeignObjectRel)
    }
    return [by_accessor[name] for name in _get_options(model).follow if name in by_accessor]


def followers_in(version: Version) -> dict[Any, list[Version]]:
    """The versions, in the same revision, of the rows that travel with this version's item."""
    model = version._model
    found: dict[Any, list[Version]] = {}
    relations = _follow_relations(model)
    if not relations:
        return found
    candidates = list(
        Version.objects.filter(
            revision_id=version.revision_id,
            content_type__model__in=[_target(rel)._meta.model_name for rel in relations],
        ).select_related("content_type")
    )
    for rel in relations:
        related = _target(rel)
        found[rel] = [
            candidate
            for candidate in candidates
            if candidate.content_type.model_class() is related
            and str(candidate.field_dict.get(rel.field.attname)) == str(version.object_id)
        ]
    return found


def _missing_target(obj: models.Model) -> str | None:
    """The first foreign key of ``obj`` that points to a row that no longer exists."""
    for model_field in obj._meta.concrete_fields:
        if isinstance(model_field, models.ForeignKey):
            target_id = getattr(obj, model_field.attname)
            if target_id is None:
                continue
            target = _target(model_field)
            if not target._default_manager.filter(pk=target_id).exists():
                return str(target._meta.verbose_name)
    return None


def _restore(version: Version, current: models.Model | None) -> Restored:
    old = version._object_version
    item = old.object
    result = Restored(item=item)
    kept_from = current
    for name in KEPT_AS_THEY_ARE:
        if kept_from is not None and hasattr(kept_from, name):
            setattr(item, name, getattr(kept_from, name))
    for model_field in item._meta.concrete_fields:
        target_id = getattr(item, model_field.attname)
        if not isinstance(model_field, models.ForeignKey) or target_id is None:
            continue
        if _target(model_field)._default_manager.filter(pk=target_id).exists():
            continue
        if not model_field.null:
            raise RestoreError(
                f"Its {model_field.verbose_name} has been deleted since this version."
            )
        setattr(item, model_field.attname, None)
        result.left_out.append(f"its {model_field.verbose_name} (deleted since)")
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        raise RestoreError(
            "Another item now uses the same address (slug) or number; change that one first."
        ) from error
    for name, pks in (old.m2m_data or {}).items():
        m2m: Any = item._meta.get_field(name)
        if not isinstance(m2m, models.ManyToManyField) or not plain_many_to_many(m2m):
            continue
        existing = list(_target(m2m)._default_manager.filter(pk__in=pks))
        if len(existing) < len(pks):
            result.left_out.append(
                f"{len(pks) - len(existing)} of its {m2m.verbose_name} (deleted since)"
            )
        getattr(item, name).set(existing)
    for rel, follower_versions in followers_in(version).items():
        kept_pks = {str(each.object_id) for each in follower_versions}
        for row in getattr(item, rel.get_accessor_name()).all():
            if str(row.pk) not in kept_pks:
                row.delete()
        for each in follower_versions:
            row = each._object_version.object
            missing = _missing_target(row)
            if missing:
                result.left_out.append(
                    f"a {_target(rel)._meta.verbose_name} (its {missing} was deleted since)"
                )
                continue
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError as error:
                raise RestoreError(
                    f"A {_target(rel)._meta.verbose_name} of this version clashes with "
                    "another row now; nothing was changed."
                ) from error
    return result


def _when(version: Version) -> str:
    return formats.date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")


def history_revert(*, version: Version, by: Any) -> Restored:
    """Bring an item's content back to this version, as a new version; the moderation state,
    the contributor's details and the counts stay as they are now."""
    model = version._model
    with history.revision(by=by, comment=f"Reverted to the version of {_when(version)}."):
        current = model._default_manager.select_for_update().filter(pk=version.object_id).first()
        if current is None:
            raise RestoreError("This item has been deleted; recover it from the deleted items.")
        return _restore(version, current)


def history_recover(*, version: Version, by: Any) -> Restored:
    """Bring a deleted item back as it was in this version (its last, recorded as it was
    deleted), with its related rows, as a new version."""
    model = version._model
    with history.revision(by=by, comment=f"Recovered the version of {_when(version)}."):
        if model._default_manager.filter(pk=version.object_id).exists():
            raise RestoreError("This item exists; open its history to revert it instead.")
        return _restore(version, None)
