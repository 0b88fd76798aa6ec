"""manage.py export_archive [--full] PATH: the archive to a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.services import ArchiveRefused, archive_export


class Command(BaseCommand):
    help = (
        "Write the open archive (the public knowledge base as a data package) to PATH. With "
        "--full, everything a curator has: pending submissions, contributors' details, "
        "history, subscriptions, users and the admin log — private, to restore the site."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The zip file to write (never overwritten).")
        parser.add_argument(
            "--full", action="store_true", help="Everything, not only the public part (private)."
        )

    def handle(self, *args, path, full=False, **options):
        try:
            built = archive_export(path=path, full_archive=full)
        except ArchiveRefused as error:
            raise CommandError(str(error)) from None
        kind = "Full (private) archive" if full else "Public archive"
        rows = ", ".join(f"{count} {name}" for name, count in built.rows.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"{kind} of content version {built.version} written to {path}: {rows}."
            )
        )
