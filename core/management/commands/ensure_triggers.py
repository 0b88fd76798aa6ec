from django.core.management.base import BaseCommand, CommandError

from core import triggers


class Command(BaseCommand):
    help = (
        "Install every database trigger the apps declare (search index, content version), "
        "dropping and re-creating each one. Safe to run at any time; migrate runs it too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Which database.")

    def handle(self, *args, database, **options):
        installed = triggers.install_all(using=database)
        gone = triggers.missing(using=database)
        if gone:
            raise CommandError(f"Still missing after installing: {', '.join(gone)}")
        self.stdout.write(self.style.SUCCESS(f"Triggers in place: {', '.join(installed)}."))
