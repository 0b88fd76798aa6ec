"""Django's JSON dump formats, with times kept to the microsecond.

``dumpdata``'s JSON (and JSON Lines) encoder cuts every datetime to milliseconds, so a
dump loaded back changes ``created_at``, ``published_at`` and every other timestamp a
form or the admin wrote. ``SERIALIZATION_MODULES`` puts these formats in place of
Django's own under the same names: the output differs only in the digits kept, and
Django's own loader reads it (and any older dump) unchanged. See the README's "Backup
and restore".

Rows the database derives from the others (the counters its triggers keep,
lessons/public_counts.py) are neither written nor read: loading the content recounts them.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.core.serializers.base import DeserializedObject
from django.core.serializers.json import DjangoJSONEncoder

DERIVED_MODELS = {"core.publiccount", "core.countcontribution", "core.countmark"}


def without_derived(objects: Iterable) -> Iterator:
    """The model instances to dump, less the derived ones."""
    return (obj for obj in objects if obj._meta.label_lower not in DERIVED_MODELS)


def loaded_without_derived(objects: Iterable[DeserializedObject]) -> Iterator[DeserializedObject]:
    """The rows to load, less the derived ones (a dump made without leaving them out)."""
    return (obj for obj in objects if obj.object._meta.label_lower not in DERIVED_MODELS)


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, without cutting datetimes and times to milliseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)
