"""Install the search index from its declaration (search/index.py), replacing the
triggers lessons 0004 created with the same ones built from it.

Idempotent, like the post_migrate check that runs after every migrate: existing
index rows are kept, missing ones filled in.
"""

from django.db import migrations


def install(apps, schema_editor):
    from core import triggers
    from search.triggers import SEARCH_TRIGGERS

    triggers.install(SEARCH_TRIGGERS, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("lessons", "0008_move_site_models_out"),
        ("alliances", "0005_move_submission_record_out"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
