"""The submission limit's records now belong to core (which adopts the table first).

State only: the table stays where it is, with every row.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("alliances", "0004_published_indexes"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SubmissionRecord")],
            database_operations=[],
        ),
    ]
