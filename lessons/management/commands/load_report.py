from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from core import history
from lessons.models import Theme

REPORT_FIXTURE = settings.BASE_DIR / "fixtures" / "uncommon_alliances_report.json"


class Command(BaseCommand):
    help = (
        "Load the 2012 report's content (themes, source, quotes, lessons) into an empty "
        "database. Skips a database that already has themes, so curators' edits survive."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when themes exist: rows are matched by natural key and "
            "overwritten with the report's text, never duplicated.",
        )

    def handle(self, *args, force=False, **options):
        if Theme.objects.exists() and not force:
            self.stdout.write("The report's content is already loaded; nothing to do.")
            return
        # One revision for the whole report: every theme, quote, source and lesson it writes
        # gets a version (core/history.py), so a curator can see and undo what a --force
        # reload overwrote.
        with history.revision(by="manage.py load_report", comment="Loaded the 2012 report."):
            call_command("loaddata", REPORT_FIXTURE, verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS(f"Loaded the report: {Theme.objects.count()} themes."))
