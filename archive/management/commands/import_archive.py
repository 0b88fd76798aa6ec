"""manage.py import_archive PATH [--merge]: an archive into this site."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.services import ArchiveRefused, archive_import


class Command(BaseCommand):
    help = (
        "Load an archive made by export_archive or build_archive into this site, which must "
        "hold no content (migrate a new database first). A full archive restores the site "
        "exactly; a public one makes a read-only mirror of its public pages and API. With "
        "--merge, add only what the site lacks (matched by slug, tags by name). One "
        "transaction: on any error nothing is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The archive's zip file.")
        parser.add_argument(
            "--merge",
            action="store_true",
            help="Into a site with content: add what it lacks, never duplicating.",
        )

    def handle(self, *args, path, merge=False, **options):
        try:
            imported = archive_import(path=path, merge=merge)
        except ArchiveRefused as error:
            raise CommandError(str(error)) from None
        if imported.full:
            self.stdout.write(self.style.SUCCESS(f"Restored the full archive {path}."))
            return
        added = ", ".join(f"{count} {name}" for name, count in imported.added.items())
        self.stdout.write(self.style.SUCCESS(f"Imported the public archive {path}: added {added}."))
