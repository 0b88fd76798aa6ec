"""Django's JSON dump formats, with times kept to the microsecond.

``dumpdata``'s JSON (and JSON Lines) encoder cuts every datetime to milliseconds, so a
dump loaded back changes ``created_at``, ``published_at`` and every other timestamp a
form or the admin wrote. ``SERIALIZATION_MODULES`` puts these formats in place of
Django's own under the same names: the output differs only in the digits kept, and
Django's own loader reads it (and any older dump) unchanged. See the README's "Backup
and restore".
"""

import datetime

from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, without cutting datetimes and times to milliseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)
