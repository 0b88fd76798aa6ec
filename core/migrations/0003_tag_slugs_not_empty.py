"""Give every tag stored with an empty slug the slug the site makes today.

Before core/tags.py, a tag named without letters or digits ("🎉", "!!!") was stored
with the slug "", which no address can carry. Only those rows change; every other
tag keeps its slug, so no address that works today moves.
"""

from django.db import migrations


def fill_empty_slugs(apps, schema_editor):
    from core.tags import tag_slug_free

    Tag = apps.get_model("taggit", "Tag")
    taken = set(Tag.objects.exclude(slug="").values_list("slug", flat=True))
    for tag in Tag.objects.filter(slug="").order_by("pk"):
        slug = tag_slug_free(tag.name, taken)
        taken.add(slug)
        Tag.objects.filter(pk=tag.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_limited_write_kinds"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    # Going back leaves the new slugs in place: they are valid under the old code too.
    operations = [migrations.RunPython(fill_empty_slugs, migrations.RunPython.noop)]
