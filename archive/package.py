"""The archive as a zip: a Frictionless tabular data package, streamed.

Each resource's rows are read ``CHUNK_SIZE`` at a time and written as they are read: the
CSV straight into the zip, the JSON into a temporary file copied in after it (a zip takes
one entry at a time). No table is ever held in memory whole.
"""

import csv
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from django.conf import settings
from django.template.loader import render_to_string

from archive.resources import RESOURCES
from archive.schema import Resource

CHUNK_SIZE = 2000
PACKAGE_NAME = "uncommon-alliances"
LICENSES = {
    "CC-BY-4.0": {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0 International",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
    "CC0-1.0": {
        "name": "CC0-1.0",
        "title": "Creative Commons Zero v1.0 Universal",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    },
    "ODbL-1.0": {
        "name": "ODbL-1.0",
        "title": "Open Data Commons Open Database License 1.0",
        "path": "https://opendatacommons.org/licenses/odbl/1-0/",
    },
}


@dataclass(frozen=True)
class Built:
    """What went into a package: its content version and rows per resource."""

    version: str
    created: datetime
    rows: dict[str, int]


def entry(name: str) -> zipfile.ZipInfo:
    """A file in the zip, dated now (UTC) and readable by all once extracted."""
    info = zipfile.ZipInfo(name, date_time=datetime.now(UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def licence() -> dict[str, str]:
    return LICENSES[settings.ARCHIVE_LICENSE]


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value


def _write_resource(archive: zipfile.ZipFile, resource: Resource) -> int:
    """data/<name>.csv and data/<name>.json; returns how many rows."""
    count = 0
    names = [column.name for column in resource.columns]
    with tempfile.TemporaryFile("w+b") as json_file:
        with (
            archive.open(entry(f"data/{resource.name}.csv"), "w", force_zip64=True) as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="") as csv_file,
        ):
            writer = csv.writer(csv_file, lineterminator="\r\n")
            writer.writerow(names)
            json_file.write(b"[")
            separator = "\n"
            for row in resource.rows().iterator(chunk_size=CHUNK_SIZE):
                values = resource.values(row)
                writer.writerow([csv_cell(value) for value in values])
                record = dict(zip(names, values, strict=True))
                json_file.write((separator + json.dumps(record, ensure_ascii=False)).encode())
                separator = ",\n"
                count += 1
            json_file.write(b"\n]\n")
        json_file.seek(0)
        with archive.open(entry(f"data/{resource.name}.json"), "w", force_zip64=True) as raw_json:
            shutil.copyfileobj(json_file, raw_json)
    return count


def descriptor(built: Built, *, private: bool) -> dict[str, Any]:
    """datapackage.json: the package, its licence and each resource's Table Schema."""
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME + ("-full" if private else ""),
        "title": settings.SITE_NAME
        + (" — full archive (private)" if private else " — open archive"),
        "description": (
            "EVERYTHING a curator has, including unpublished submissions, contributors' "
            "details and history: private, not for publication. The data/ tables are the "
            "public part; private/everything.json holds the rest."
            if private
            else "The public knowledge base of multi-sector partnership case studies and "
            "lessons learned: every published case study, lesson, theme, source, quote, "
            "partner, organisation and tag."
        ),
        "version": built.version,
        "created": built.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "homepage": settings.SITE_URL + "/archive/",
        "sources": [
            {
                "title": "Uncommon Alliances: Real Partnerships – Real Experiences – Real "
                "Impacts (conference report, June 4, 2012)",
            },
            {"title": settings.SITE_NAME, "path": settings.SITE_URL + "/"},
        ],
        "contributors": [
            {"title": f"{settings.SITE_NAME} curators and contributors", "role": "author"}
        ],
        "resources": [
            {
                "name": resource.name,
                "title": resource.title,
                "description": resource.description,
                "path": f"data/{resource.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "schema": resource.schema(),
                # The same rows as a JSON array of objects, typed per the schema.
                "json": f"data/{resource.name}.json",
                "rows": built.rows[resource.name],
            }
            for resource in RESOURCES
        ],
    }
    if private:
        # Not licensed for anyone: it holds personal data.
        package["private"] = True
    else:
        package["licenses"] = [licence()]
    return package


def write_package(
    target: IO[bytes],
    *,
    version: str,
    created: datetime,
    private_part: Callable[[zipfile.ZipFile], None] | None = None,
) -> Built:
    """Write the package to a binary file; ``private_part`` adds a full archive's rest."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        rows = {resource.name: _write_resource(archive, resource) for resource in RESOURCES}
        built = Built(version=version, created=created, rows=rows)
        private = private_part is not None
        if private_part is not None:
            private_part(archive)
        package = descriptor(built, private=private)
        archive.writestr(
            entry("datapackage.json"), json.dumps(package, ensure_ascii=False, indent=2)
        )
        context = {"package": package, "resources": RESOURCES, "private": private}
        archive.writestr(entry("README.md"), render_to_string("archive/package_readme.md", context))
        archive.writestr(entry("LICENSE"), render_to_string("archive/package_licence.txt", context))
    return built
