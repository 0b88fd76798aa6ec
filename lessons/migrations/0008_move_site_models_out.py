"""The content version now belongs to core, health checks to the healthcheck app.

State only: their tables stay where they are, with every row (see core 0001 and
healthcheck 0001, which adopt them first).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0007_health_check"),
        ("core", "0001_initial"),
        ("healthcheck", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HealthCheck"),
                migrations.DeleteModel(name="ContentVersion"),
            ],
            database_operations=[],
        ),
    ]
