"""A table of "this helped me" votes, one per visitor per lesson, held by a unique constraint.

New and empty: the counts already shown (helpful_count) are kept as they are.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0009_content_version_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="HelpfulVote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "voter",
                    models.CharField(
                        help_text="A keyed hash of the visitor's address.", max_length=64
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "lesson",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="helpful_votes",
                        to="lessons.lesson",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("lesson", "voter"), name="one_helpful_vote_per_visitor"
                    )
                ],
            },
        ),
    ]
