"""manage.py build_archive: the open archive of the current content version, for /archive/."""

from django.core.management.base import BaseCommand

from archive.builds import archive_build


class Command(BaseCommand):
    help = (
        "Build the open archive (a zip of the public knowledge base) for the current content "
        "version into DJANGO_ARCHIVE_DIR, unless it is already built. Run it after "
        "publications or on a timer; /archive/ offers the newest build."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Build again even if this version is built."
        )

    def handle(self, *args, force=False, **options):
        result = archive_build(force=force)
        archive = result.archive
        if not result.built:
            self.stdout.write(f"Content version {archive.version} is already built: {archive.path}")
            return
        rows = ", ".join(f"{count} {name}" for name, count in result.rows.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {archive.path} ({archive.size:,} bytes, content version "
                f"{archive.version}): {rows}."
            )
        )
