"""Install the triggers that keep the counts of published content (lessons/public_counts.py)
and compute every count from the rows already there, so an upgraded site shows exactly
what it showed before.

Idempotent, like the post_migrate check that runs after every migrate.
"""

from django.db import migrations


def install(apps, schema_editor):
    from core import triggers
    from lessons.public_count_triggers import PUBLIC_COUNT_TRIGGERS

    triggers.install(PUBLIC_COUNT_TRIGGERS, using=schema_editor.connection.alias)


def drop(apps, schema_editor):
    # Going back removes the counters' tables (core 0004): no trigger may write to them.
    from lessons.public_count_triggers import PUBLIC_COUNT_TRIGGERS

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for statement in PUBLIC_COUNT_TRIGGERS.drop(connection):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0010_helpful_votes"),
        ("core", "0004_public_counts"),
        ("alliances", "0005_move_submission_record_out"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(install, drop)]
