"""Exporting the archive to a file, and importing one into a site."""

import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from taggit.models import Tag

from alliances.models import Organisation, Partnership
from archive import full
from archive.builds import content_version_number, write_archive_file
from archive.mirror import Mirror
from archive.package import Built
from lessons.models import Lesson, Quote, Source, Theme

# A site holding any of these is not empty: an import would mix two sites' content.
CONTENT = (Theme, Source, Quote, Organisation, Partnership, Lesson, Tag)


class ArchiveRefused(Exception):
    """An import that would harm the site, or a file that is not an archive."""


def archive_export(*, path: Path, full_archive: bool = False) -> Built:
    """The public archive (or with ``full_archive`` everything) written to ``path``."""
    if path.exists():
        raise ArchiveRefused(f"{path} already exists; an export never overwrites a file.")
    private_part = full.everything_write if full_archive else None
    return write_archive_file(
        path, version=str(content_version_number()), private_part=private_part
    )


def site_content_rows() -> dict[str, int]:
    """How many rows of each kind of content the site holds (only those it holds)."""
    counts = {model._meta.verbose_name_plural: model.objects.count() for model in CONTENT}
    return {str(name): count for name, count in counts.items() if count}


@dataclass(frozen=True)
class Imported:
    full: bool
    added: dict[str, int]


def archive_import(*, path: Path, merge: bool = False) -> Imported:
    """Load an archive: a full one restores the site exactly, a public one makes a mirror.

    Into an empty site only, unless ``merge``: then only what the site lacks is added,
    matched by slug (tags by name). One transaction: on any failure nothing is kept.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveRefused(f"{path} is not an archive zip: {error}") from None
    with archive:
        names = set(archive.namelist())
        if "datapackage.json" not in names or "data/lessons.csv" not in names:
            raise ArchiveRefused(f"{path} holds no Uncommon Alliances data package.")
        is_full = full.is_full(archive)
        try:
            with transaction.atomic():
                held = site_content_rows()
                if held and not merge:
                    listed = ", ".join(f"{count} {name}" for name, count in held.items())
                    raise ArchiveRefused(
                        f"This site is not empty (it holds {listed}); importing would mix two "
                        "sites. Import into a freshly migrated database, or pass --merge to add "
                        "only what is missing."
                    )
                if is_full and not merge:
                    full.everything_load(archive)
                    added = {}
                else:
                    added = Mirror(archive, merge=merge).load()
        except IntegrityError as error:
            raise ArchiveRefused(
                f"The archive clashes with this site's content, so nothing was imported: {error}"
            ) from None
    statistics_refresh()
    return Imported(full=is_full and not merge, added=added)


def statistics_refresh() -> None:
    """The planner's statistics brought up to date after a bulk load (as generate_sample
    does), so queries are planned, and unordered lists read, as on the archive's site."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
