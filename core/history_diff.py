"""A readable, field-by-field comparison of two versions of an item, for curators.

Fields are named by their labels, choices by their labels, related rows (themes, tags,
partners, quotes, a case study, a source) by their names, and long text compared word by word
with what was removed and added marked by ``<del>``/``<ins>`` and words a screen reader says
("removed:", "added:"), so the difference never rests on colour alone.

A comparison costs a fixed number of queries: the two revisions' related rows in one query,
then one per kind of named row.
"""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from reversion.models import Version
from reversion.revisions import _get_options

from core.history_restore import _follow_relations, followers_in, plain_many_to_many

# Bookkeeping no curator edits: every save moves updated_at, the rest never changes.
NOT_COMPARED = ("id", "updated_at", "created_at", "status_token", "is_sample")
EMPTY = "(empty)"
# Long text (a text field, or a line longer than this) is compared word by word.
SHORT_TEXT = 80
TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class Change:
    """One field that differs between the two versions."""

    label: str
    before: SafeString
    after: SafeString
    # For long text: the words, with removals and additions marked.
    words: SafeString | None = None


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The text as runs of ("equal" | "delete" | "insert", text): the equal and deleted runs
    spell ``old``, the equal and inserted runs spell ``new``."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            runs.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            runs.append(("insert", "".join(b[j1:j2])))
    return runs


def render_words(runs: list[tuple[str, str]]) -> SafeString:
    html = []
    for op, text in runs:
        if op == "equal":
            html.append(escape(text))
        elif op == "delete":
            html.append(
                format_html('<del><span class="visually-hidden">removed: </span>{}</del>', text)
            )
        else:
            html.append(
                format_html('<ins><span class="visually-hidden">added: </span>{}</ins>', text)
            )
    return mark_safe("".join(html))  # every piece escaped above


def _target(relation: Any) -> Any:
    """The model a field or relation points to (typed loosely: the stubs allow "self")."""
    return relation.related_model


class Names:
    """Names of rows that versions point to, fetched once per kind."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.found: dict[type[models.Model], dict[Any, models.Model]] = {}

    def want(self, model: type[models.Model], pks) -> None:
        self.wanted[model].update(pk for pk in pks if pk is not None)

    def fetch(self) -> None:
        for model, pks in self.wanted.items():
            self.found[model] = model._default_manager.in_bulk(pks)

    def get(self, model: type[models.Model], pk: Any) -> models.Model | None:
        return self.found.get(model, {}).get(pk)

    def name(self, model: type[models.Model], pk: Any) -> str:
        row = self.get(model, pk)
        return str(row) if row is not None else f"(a deleted {model._meta.verbose_name}, #{pk})"


def _compared_fields(model: type[models.Model]) -> list[Any]:
    options = _get_options(model)
    fields: list[Any] = []
    for name in options.fields:
        model_field: Any = model._meta.get_field(name)
        if name in NOT_COMPARED or isinstance(model_field, models.ForeignObjectRel):
            continue
        if isinstance(model_field, models.ManyToManyField):
            # Tags (a custom through model): compared as the rows that travel with the item.
            if plain_many_to_many(model_field):
                fields.append(model_field)
        elif model_field.concrete:
            fields.append(model_field)
    return fields


def _is_text(model_field: models.Field) -> bool:
    return isinstance(model_field, models.TextField) or (
        isinstance(model_field, models.CharField) and not model_field.choices
    )


def _shown(model_field: models.Field, value: Any, names: Names) -> str:
    if isinstance(model_field, models.ManyToManyField):
        shown = sorted(names.name(_target(model_field), pk) for pk in value or ())
        return ", ".join(shown) or EMPTY
    if value is None or value == "":
        return EMPTY
    if isinstance(model_field, models.ForeignKey):
        return names.name(_target(model_field), value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _follower_label(row: models.Model, back: Any, item: models.Model, names: Names) -> str:
    """A related row as a curator knows it: a tag link by its tag, others as they print,
    with what they point to read from ``names`` (and the item itself, the same on both
    sides, so renaming the item does not make every row look changed)."""
    setattr(row, back.name, item)
    for model_field in row._meta.concrete_fields:
        target_id = getattr(row, model_field.attname)
        if (
            not isinstance(model_field, models.ForeignKey)
            or model_field is back
            or target_id is None
        ):
            continue
        target = names.get(_target(model_field), target_id)
        if target is None:
            return names.name(_target(model_field), target_id)
        setattr(row, model_field.name, target)
        if model_field.name == "tag":
            return str(target)
    try:
        return str(row)
    except ObjectDoesNotExist:
        return f"(a {row._meta.verbose_name} whose parts were deleted)"


def compare(older: Version | None, newer: Version) -> list[Change]:
    """What differs from ``older`` to ``newer`` (two versions of one item), field by field,
    then the related rows that travel with it. Without ``older``: everything ``newer`` holds
    (what recovering a deleted item brings back)."""
    model = newer._model
    fields = _compared_fields(model)
    names = Names()
    versions = [version for version in (older, newer) if version is not None]
    older_fields = older.field_dict if older is not None else {}
    for model_field in fields:
        if isinstance(model_field, models.ForeignKey | models.ManyToManyField):
            for version in versions:
                value = version.field_dict.get(model_field.attname)
                many = isinstance(model_field, models.ManyToManyField)
                names.want(_target(model_field), value if many else [value])
    follower_rows = {}
    for version in versions:
        for rel, versions in followers_in(version).items():
            rows = [each._object_version.object for each in versions]
            follower_rows[(version.pk, rel)] = rows
            for row in rows:
                for model_field in row._meta.concrete_fields:
                    if isinstance(model_field, models.ForeignKey) and model_field is not rel.field:
                        names.want(_target(model_field), [getattr(row, model_field.attname)])
    names.fetch()

    changes = []
    for model_field in fields:
        before_value = older_fields.get(model_field.attname)
        after_value = newer.field_dict.get(model_field.attname)
        if isinstance(model_field, models.ManyToManyField):
            if sorted(before_value or ()) == sorted(after_value or ()):
                continue
        elif before_value == after_value:
            continue
        before, after = (
            _shown(model_field, before_value, names),
            _shown(model_field, after_value, names),
        )
        words = None
        if isinstance(model_field, models.TextField) or (
            _is_text(model_field) and max(len(before), len(after)) > SHORT_TEXT
        ):
            words = render_words(word_diff(before_value or "", after_value or ""))
        changes.append(
            Change(
                label=capfirst(str(model_field.verbose_name)),
                before=escape(before),
                after=escape(after),
                words=words,
            )
        )
    for rel in _follow_relations(model):
        before_rows = follower_rows.get((older.pk if older else None, rel), [])
        after_rows = follower_rows.get((newer.pk, rel), [])
        item = newer._object_version.object
        before_set = sorted({_follower_label(row, rel.field, item, names) for row in before_rows})
        after_set = sorted({_follower_label(row, rel.field, item, names) for row in after_rows})
        if before_set == after_set:
            continue
        changes.append(
            Change(
                label=_follow_label(rel),
                before=_listing(before_set, set(after_set), "removed", "del"),
                after=_listing(after_set, set(before_set), "added", "ins"),
            )
        )
    return changes


def _follow_label(rel: Any) -> str:
    related = _target(rel)
    if any(f.name == "tag" for f in related._meta.concrete_fields):
        return "Tags"
    return capfirst(str(related._meta.verbose_name_plural))


def _listing(labels: list[str], other: set[str], word: str, tag: str) -> SafeString:
    """The rows of one side, those missing from the other side marked."""
    if not labels:
        return escape(EMPTY)
    items = []
    for label in labels:
        if label in other:
            items.append(format_html("<li>{}</li>", label))
        else:
            items.append(
                format_html(
                    '<li><{}><span class="visually-hidden">{}: </span>{}</{}></li>',
                    mark_safe(tag),
                    word,
                    label,
                    mark_safe(tag),
                )
            )
    return format_html('<ul class="history-rows">{}</ul>', mark_safe("".join(items)))
