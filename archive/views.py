"""/archive/: the open archive's page, and its versioned downloads."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.http import http_date
from django.views.decorators.http import condition, require_safe

from archive.builds import ArchiveFile, archive_for, latest_archive
from archive.package import licence
from archive.resources import RESOURCES
from core.breadcrumbs import breadcrumbs

# A build's name holds its content version, so a build never changes under its address.
FOREVER = 60 * 60 * 24 * 365


@require_safe
def archive(request):
    """What the archive is, its licence and tables, and the newest build to download."""
    context = {
        "latest": latest_archive(),
        "licence": licence(),
        "resources": RESOURCES,
        "site_url": settings.SITE_URL,
        **breadcrumbs("Open archive"),
    }
    return render(request, "archive/archive_page.html", context)


def _build(version: int) -> ArchiveFile | None:
    return archive_for(version)


def _etag(request, version: int) -> str | None:
    found = _build(version)
    return f"{found.version}-{found.size}-{int(found.modified.timestamp())}" if found else None


def _last_modified(request, version: int):
    found = _build(version)
    return found.modified if found else None


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def archive_download(request, version: int):
    """One build, as a file; 404 for a version not built (or pruned)."""
    found = _build(version)
    if found is None:
        raise Http404("No archive of that version is built.")
    try:
        opened = found.path.open("rb")
    except OSError:  # pruned between the look and the open, or unreadable
        raise Http404("No archive of that version is built.") from None
    response = FileResponse(
        opened, as_attachment=True, filename=found.name, content_type="application/zip"
    )
    response["Last-Modified"] = http_date(found.modified.timestamp())
    response["Cache-Control"] = f"public, max-age={FOREVER}, immutable"
    return response
