from django.core.management.base import BaseCommand
from django.db import connections, transaction

from lessons import applied_counts
from lessons.public_count_triggers import rebuild


class Command(BaseCommand):
    help = (
        "Recompute every kept count of published content (lessons per theme, facet and tag "
        "counts, lessons applied per outcome) from the tables, in one transaction. The "
        "triggers keep them exact; this is for after writes made with the triggers off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Which database.")

    def handle(self, *args, database, **options):
        connection = connections[database]
        with transaction.atomic(using=database), connection.cursor() as cursor:
            for statement in [*rebuild(connection), *applied_counts.rebuild(connection)]:
                cursor.execute(statement)
        self.stdout.write(self.style.SUCCESS("Counts recomputed."))
