"""``--format jsonl``, exact to the microsecond (see core.serializers)."""

from django.core.serializers import jsonl

from core.serializers import ExactJSONEncoder, loaded_without_derived, without_derived


def Deserializer(stream_or_string, **options):  # noqa: N802  # Django's name
    return loaded_without_derived(jsonl.Deserializer(stream_or_string, **options))


class Serializer(jsonl.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()

    def serialize(self, queryset, **options):
        return super().serialize(without_derived(queryset), **options)
