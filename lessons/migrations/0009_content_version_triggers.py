"""Install the content version's triggers from their declaration
(lessons/content_version.py), replacing those lessons 0005 created with the same ones.

Idempotent, like the post_migrate check that runs after every migrate.
"""

from django.db import migrations


def install(apps, schema_editor):
    from core import triggers
    from lessons.content_version import CONTENT_VERSION_TRIGGERS

    triggers.install(CONTENT_VERSION_TRIGGERS, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0008_move_site_models_out"),
        ("alliances", "0005_move_submission_record_out"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
