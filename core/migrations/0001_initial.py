"""Adopt two existing tables: the content version (made by lessons 0005) and the
submission limit's records (made by alliances 0003).

State only: the tables keep their names and every row; nothing in the database moves
except the content types, relabelled so that permissions granted on them still apply.
"""

import django.utils.timezone
from django.db import migrations, models

MOVED = [("lessons", "contentversion"), ("alliances", "submissionrecord")]


def relabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        if not ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label=old_app, model=model).update(app_label="core")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        ContentType.objects.filter(app_label="core", model=model).update(app_label=old_app)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("lessons", "0007_health_check"),
        ("alliances", "0004_published_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("number", models.BigIntegerField(default=0)),
                        ("changed_at", models.CharField(default="", max_length=40)),
                    ],
                    options={
                        "verbose_name": "content version",
                        "db_table": "lessons_contentversion",
                    },
                ),
                migrations.CreateModel(
                    name="SubmissionRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("address_hash", models.CharField(db_index=True, max_length=64)),
                        (
                            "created_at",
                            models.DateTimeField(
                                db_index=True, default=django.utils.timezone.now
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at"],
                        "db_table": "alliances_submissionrecord",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]
