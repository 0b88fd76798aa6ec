"""Adopt the health checks' table (made by lessons 0007) into this app.

State only: the table keeps its name and every row; its content type is relabelled so
that permissions granted on it still apply.
"""

import django.db.models.deletion
from django.db import migrations, models


def relabel_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="healthcheck", model="healthcheck").exists():
        ContentType.objects.filter(app_label="lessons", model="healthcheck").update(
            app_label="healthcheck"
        )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="healthcheck", model="healthcheck").update(
        app_label="lessons"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("lessons", "0007_health_check"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HealthCheck",
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
                        (
                            "token",
                            models.CharField(
                                editable=False,
                                help_text="The secret in the private link.",
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "answers",
                            models.JSONField(
                                default=dict,
                                help_text="Each question's key (theme slug and number): "
                                "green, amber or red.",
                            ),
                        ),
                        (
                            "scores",
                            models.JSONField(
                                default=dict,
                                help_text="Each theme's score from 0 to 100, keyed by the "
                                "theme's slug.",
                            ),
                        ),
                        (
                            "compared_with",
                            models.ForeignKey(
                                blank=True,
                                help_text="The earlier check this one is compared with, if any.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="healthcheck.healthcheck",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "health check",
                        "ordering": ["-created_at"],
                        "db_table": "lessons_healthcheck",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_type, restore_content_type),
    ]
