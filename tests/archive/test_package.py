"""The open archive's package: a valid Frictionless data package of public rows only.

Validated by the Frictionless framework's own CLI on the extracted files; every CSV read
back with Python's csv module, and each JSON file equal to its CSV typed per the schema.
"""

import csv
import json
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.models import Role
from archive.package import write_package
from archive.resources import RESOURCES
from core.moderation import ModerationStatus
from core.sectors import Sector
from lessons.models import Quote, Source
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db

SECRETS = (
    "secret@example.org",
    "Hidden Harbour Trust",
    "Pending Pipeline",
    "secret-tag",
    "Rejected lesson",
    "Sent back lesson",
    "pending-org",
)
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def build(path: Path, version: str = "7") -> Path:
    target = path / "archive.zip"
    with target.open("wb") as file:
        write_package(file, version=version, created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    return target


def extract(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(into)
    return into


@pytest.fixture
def scene(trust, case_studies, pending_pipeline):
    """Published content beside every kind that must stay out of the archive."""
    report = Source.objects.create(slug="report", title="The 2012 report")
    Quote.objects.create(
        slug="q", text="Trust, then verify.", speaker="K", source=report, theme=trust
    )
    hidden_partner = make_organisation(name="Hidden Harbour Trust", sector=Sector.PHILANTHROPY)
    hidden = make_partnership(
        name="Quiet Compact",
        hide_partner_names=True,
        partners=[(hidden_partner, Role.FUNDER)],
        contributor_name="Amina",
        contributor_organisation="Hidden Harbour Trust",
        contributor_email="secret@example.org",
    )
    make_lesson(
        title='Shared lesson, with a comma, and "quotes"\nover two lines',
        themes=[trust],
        tags=["water", "Trust"],
        partnership=case_studies["water"],
        source=report,
        contributor_name="Bo",
        contributor_organisation="Wells",
        contributor_email="secret@example.org",
        helpful_count=4,
    )
    make_lesson(title="From the quiet compact", themes=[trust], partnership=hidden)
    make_lesson(title="From a pending case study", themes=[trust], partnership=pending_pipeline)
    pending_org = make_organisation(name="pending-org")
    make_partnership(
        name="Pending with its own org",
        moderation=ModerationStatus.PENDING,
        partners=[(pending_org, Role.LEAD)],
    )
    make_lesson(title="Rejected lesson", moderation=ModerationStatus.REJECTED, tags=["secret-tag"])
    make_lesson(title="Sent back lesson", moderation=ModerationStatus.CHANGES_REQUESTED)
    make_lesson(title="Waiting lesson", moderation=ModerationStatus.PENDING, tags=["secret-tag"])
    return {"hidden": hidden}


def rows_of(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / "data" / f"{name}.csv").open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def typed(value: str, field: dict):
    """A CSV cell as the schema types it, as the JSON holds it."""
    if value == "":
        return None
    if field["type"] == "integer":
        return int(value)
    if field["type"] == "boolean":
        return {"true": True, "false": False}[value]
    return value


def test_the_package_is_valid_by_the_frictionless_validator(scene, tmp_path):
    folder = extract(build(tmp_path), tmp_path / "out")

    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )

    report = json.loads(result.stdout)
    assert report["valid"] is True, json.dumps(report["tasks"], indent=1)[:4000]
    assert result.returncode == 0
    validated = {task["name"] for task in report["tasks"]}
    assert validated == {resource.name for resource in RESOURCES}
    # Every row was read, not just the header (an empty table reports no row count).
    checked = {task["name"]: task["stats"].get("rows", 0) for task in report["tasks"]}
    assert checked == {resource.name: len(rows_of(folder, resource.name)) for resource in RESOURCES}
    assert checked["lessons"] > 0 and checked["partners"] > 0


def test_an_invalid_package_is_refused_by_the_validator(scene, tmp_path):
    """The validator is really reading the files: a broken foreign key fails it."""
    folder = extract(build(tmp_path), tmp_path / "out")
    rows = rows_of(folder, "lesson-themes")
    with (folder / "data" / "lesson-themes.csv").open("a", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\r\n").writerow([999999, rows[0]["theme_id"]])

    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )

    assert json.loads(result.stdout)["valid"] is False
    assert "foreign-key" in result.stdout


def test_the_descriptor_says_version_licence_and_each_resource(scene, tmp_path):
    folder = extract(build(tmp_path, version="42"), tmp_path / "out")
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))

    assert package["profile"] == "tabular-data-package"
    assert package["version"] == "42"
    assert package["created"] == "2026-01-02T03:04:05Z"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert "private" not in package
    lessons = next(item for item in package["resources"] if item["name"] == "lessons")
    assert lessons["path"] == "data/lessons.csv"
    assert (lessons["format"], lessons["mediatype"], lessons["encoding"]) == (
        "csv",
        "text/csv",
        "utf-8",
    )
    assert lessons["schema"]["primaryKey"] == ["id"]
    assert {
        "fields": ["case_study_id"],
        "reference": {"resource": "case-studies", "fields": ["id"]},
    } in lessons["schema"]["foreignKeys"]
    experience = next(f for f in lessons["schema"]["fields"] if f["name"] == "experience")
    assert experience["constraints"]["enum"] == ["worked", "went_wrong"]
    assert "CC-BY-4.0" in (folder / "LICENSE").read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "### lessons (3 rows)" in readme
    assert "&quot;" not in readme


def test_the_licence_is_a_setting(scene, tmp_path, settings):
    settings.ARCHIVE_LICENSE = "CC0-1.0"
    folder = extract(build(tmp_path), tmp_path / "out")

    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))

    assert package["licenses"][0]["name"] == "CC0-1.0"
    assert "CC0-1.0" in (folder / "LICENSE").read_text(encoding="utf-8")


def test_every_json_file_holds_the_csv_rows_typed_per_schema(scene, tmp_path):
    folder = extract(build(tmp_path), tmp_path / "out")
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))

    for resource in package["resources"]:
        fields = {field["name"]: field for field in resource["schema"]["fields"]}
        from_csv = [
            {name: typed(value, fields[name]) for name, value in row.items()}
            for row in rows_of(folder, resource["name"])
        ]
        from_json = json.loads((folder / resource["json"]).read_text(encoding="utf-8"))
        assert from_json == from_csv, resource["name"]
        assert resource["rows"] == len(from_csv)


def test_only_published_content_and_public_fields(scene, tmp_path):
    archive = build(tmp_path)
    folder = extract(archive, tmp_path / "out")

    everything = b"".join(
        zipfile.ZipFile(archive).read(name) for name in zipfile.ZipFile(archive).namelist()
    ).decode("utf-8")
    for secret in SECRETS:
        assert secret not in everything, secret
    titles = [row["title"] for row in rows_of(folder, "lessons")]
    assert sorted(titles) == sorted(
        [
            'Shared lesson, with a comma, and "quotes"\nover two lines',
            "From the quiet compact",
            "From a pending case study",
        ]
    )
    assert {row["name"] for row in rows_of(folder, "case-studies")} == {
        "Water for Towns",
        "Schools Online",
        "Clinic Network",
        "Quiet Compact",
    }
    lessons = {row["title"]: row for row in rows_of(folder, "lessons")}
    assert lessons["From a pending case study"]["case_study_id"] == ""
    shared = lessons['Shared lesson, with a comma, and "quotes"\nover two lines']
    assert shared["credit"] == "Bo, Wells"
    assert shared["helpful_count"] == "4"
    assert {row["name"] for row in rows_of(folder, "tags")} == {
        "water",
        "Trust",
        "education",
        "digital",
        "health",
    }
    partners = [
        row
        for row in rows_of(folder, "partners")
        if row["case_study_id"] == str(scene["hidden"].pk)
    ]
    assert partners == [
        {
            "id": partners[0]["id"],
            "case_study_id": str(scene["hidden"].pk),
            "organisation_id": "",
            "name": "A partner from philanthropy",
            "sector": "philanthropy",
            "role": "funder",
            "contribution": "",
            "signoff": "",
            "signoff_comment": "",
        }
    ]
    hidden_row = next(r for r in rows_of(folder, "case-studies") if r["name"] == "Quiet Compact")
    assert hidden_row["credit"] == "Amina"
    assert hidden_row["hide_partner_names"] == "true"


def test_taggings_link_published_items_to_tags_in_the_package(scene, tmp_path):
    folder = extract(build(tmp_path), tmp_path / "out")

    tags = {row["id"]: row["name"] for row in rows_of(folder, "tags")}
    lessons = {row["id"] for row in rows_of(folder, "lessons")}
    links = rows_of(folder, "taggings")

    assert all(link["tag_id"] in tags for link in links)
    assert all((link["lesson_id"] == "") != (link["case_study_id"] == "") for link in links)
    assert {tags[link["tag_id"]] for link in links if link["lesson_id"] in lessons} == {
        "water",
        "Trust",
    }


@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
        min_size=1,
        max_size=80,
    ).filter(lambda value: value.strip() != "")
)
def test_any_text_survives_csv_and_json(text, tmp_path_factory):
    folder = tmp_path_factory.mktemp("any")
    theme = make_theme(title=f"T {text}"[:100], slug="any-text", text=text)
    try:
        out = extract(build(folder), folder / "out")
        row = next(r for r in rows_of(out, "themes") if r["slug"] == "any-text")
        assert row["text"] == text.replace("\r\n", "\n") or row["text"] == text
        json_row = next(
            r
            for r in json.loads((out / "data/themes.json").read_text(encoding="utf-8"))
            if r["slug"] == "any-text"
        )
        assert json_row["text"] == text
    finally:
        theme.delete()
        shutil.rmtree(folder)


def test_the_build_costs_the_same_queries_at_two_sizes(scene, tmp_path):
    """Rows read in chunks, each chunk's prefetches one query: the same count whatever the
    size."""
    with CaptureQueriesContext(connection) as small:
        build(tmp_path)
    for number in range(6):
        make_lesson(title=f"More {number}", tags=[f"t{number}"], published_at=timezone.now())
    with CaptureQueriesContext(connection) as large:
        build(tmp_path)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_extracted_files_are_dated_and_readable(scene, tmp_path):
    archive = build(tmp_path)

    with zipfile.ZipFile(archive) as opened:
        infos = opened.infolist()

    assert {info.filename for info in infos} >= {"datapackage.json", "README.md", "LICENSE"}
    assert all(info.date_time[0] >= 2026 for info in infos)
    assert all((info.external_attr >> 16) & 0o444 == 0o444 for info in infos)
