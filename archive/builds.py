"""The built archives: one zip per content version in ``settings.ARCHIVE_DIR``.

A build is written to a hidden temporary file in the same directory and renamed into
place once whole, so a visitor (or the web server) never sees half a file. The content
version is read before and after: if a publication landed during the build, the build is
thrown away and made again from the new version, so a file's name never lies about what
it holds. The newest ``ARCHIVE_KEEP`` builds are kept.
"""

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from archive.package import PACKAGE_NAME, Built, write_package
from core.models import ContentVersion

FILE_PATTERN = re.compile(rf"^{PACKAGE_NAME}-(?P<version>\d+)\.zip$")
ATTEMPTS = 3


@dataclass(frozen=True)
class ArchiveFile:
    """One built archive on disk."""

    path: Path
    version: int
    size: int
    modified: datetime

    @property
    def name(self) -> str:
        return self.path.name


def file_name(version: int) -> str:
    return f"{PACKAGE_NAME}-{version}.zip"


def content_version_number() -> int:
    """The content version now: every public change moves it (lessons/content_version.py)."""
    number = ContentVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    return number or 0


def _described(path: Path) -> ArchiveFile | None:
    match = FILE_PATTERN.match(path.name)
    if match is None:
        return None
    try:
        stat = path.stat()
    except OSError:  # pruned by a build since the directory was listed, or unreadable
        return None
    modified = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
    return ArchiveFile(path, int(match["version"]), stat.st_size, modified)


def built_archives() -> list[ArchiveFile]:
    """Every whole build, newest first."""
    try:
        found = [_described(path) for path in Path(settings.ARCHIVE_DIR).iterdir()]
    except OSError:  # none built yet (no directory), or one the site may not read
        return []
    return sorted(
        (item for item in found if item is not None),
        key=lambda item: (item.modified, item.version),
        reverse=True,
    )


def latest_archive() -> ArchiveFile | None:
    archives = built_archives()
    return archives[0] if archives else None


def archive_for(version: int) -> ArchiveFile | None:
    return _described(Path(settings.ARCHIVE_DIR) / file_name(version))


def write_archive_file(path: Path, *, version: str, private_part=None) -> Built:
    """The package written to ``path`` through a temporary file beside it, renamed when whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            built = write_package(
                file, version=version, created=timezone.now(), private_part=private_part
            )
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return built


@dataclass(frozen=True)
class BuildResult:
    archive: ArchiveFile
    built: bool  # False when this version was already built
    rows: dict[str, int]


def archive_build(*, force: bool = False) -> BuildResult:
    """The archive of the current content version, built unless it already is."""
    for _ in range(ATTEMPTS):
        version = content_version_number()
        existing = archive_for(version)
        if existing is not None and not force:
            return BuildResult(existing, built=False, rows={})
        target = Path(settings.ARCHIVE_DIR) / file_name(version)
        handle, temporary = tempfile.mkstemp(dir=_ensure_dir(), prefix=".build-", suffix=".zip")
        os.close(handle)
        try:
            built = write_archive_file(Path(temporary), version=str(version))
            if content_version_number() != version:
                continue  # published to during the build: build the new version instead
            os.replace(temporary, target)
        finally:
            Path(temporary).unlink(missing_ok=True)
        archives_prune()
        described = _described(target)
        assert described is not None
        return BuildResult(described, built=True, rows=built.rows)
    raise RuntimeError(
        f"The content changed during each of {ATTEMPTS} builds; run build_archive again."
    )


def _ensure_dir() -> Path:
    directory = Path(settings.ARCHIVE_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def archives_prune() -> list[Path]:
    """Delete all but the newest ``ARCHIVE_KEEP`` builds; returns what was deleted."""
    removed = []
    for old in built_archives()[max(settings.ARCHIVE_KEEP, 1) :]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed
