"""The write limit's records learn their kind: submissions, health checks or votes.

Every record stored so far counted a submission, so the default fills them all with
"submission"; no row is lost or otherwise changed.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="submissionrecord",
            name="kind",
            field=models.CharField(
                choices=[
                    ("submission", "submissions"),
                    ("health-check", "health checks"),
                    ("vote", "“this helped me” votes"),
                ],
                default="submission",
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="submissionrecord",
            index=models.Index(
                fields=["address_hash", "kind", "created_at"], name="limited_write_idx"
            ),
        ),
    ]
