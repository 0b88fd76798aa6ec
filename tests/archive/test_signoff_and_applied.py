"""Partners' sign-off and readers' "I applied this lesson" reports in the open archive: what a
page shows of them is in it (answers, approved comments, published reports and their counts),
nothing else is (contacts, links, unapproved comments, pending notes, a hidden partner's name),
and a mirror loaded from it shows the same pages."""

import zipfile

import pytest
from django.core.management import call_command

from alliances.models import Organisation, PartnerSignoff, Region, SignoffAnswer
from core import services
from core.moderation import ModerationStatus
from core.sectors import Sector
from lessons.models import ApplicationReport, Lesson, Outcome
from lessons.services import lesson_report_applied
from tests.archive.test_import import export, shown, wipe_content
from tests.archive.test_package import rows_of
from tests.factories import make_lesson, make_organisation, make_partnership
from tests.signoff.helpers import with_contacts

pytestmark = pytest.mark.django_db(transaction=True)

PENDING_NOTE = "A note no curator has read yet."
UNAPPROVED = "Our unapproved complaint about the budget."
APPROVED = "We paid for the boats, not the ministry."


@pytest.fixture(autouse=True)
def no_limit(settings):
    settings.APPLIED_REPORTS_PER_HOUR = 10**6


def answer(signoff, value, comment="", *, hide=False, approved=False):
    PartnerSignoff.objects.filter(pk=signoff.pk).update(
        answer=value, comment=comment, hide_name=hide, comment_approved=approved
    )


def report(lesson, outcome, sector, note="", address="192.0.2.1"):
    return lesson_report_applied(
        lesson=lesson,
        outcome=outcome,
        sector=sector,
        region=Region.AFRICA,
        note=note,
        address=address,
    )


@pytest.fixture
def scene(trust, curator):
    partners = [
        make_organisation(name=name, sector=sector)
        for name, sector in [
            ("Lakeshore Ministry", Sector.GOVERNMENT),
            ("Tele Lake Ltd", Sector.BUSINESS),
            ("Quietwater Trust", Sector.PHILANTHROPY),
            ("Nurses of the Lake", Sector.CIVIL_SOCIETY),
        ]
    ]
    lakeshore = make_partnership(
        name="Lakeshore Clinics", partners=[(org, "lead") for org in partners]
    )
    ministry, tele, quiet, nurses = with_contacts(
        lakeshore,
        "ana@ministry.example",
        "bo@tele.example",
        "cy@quiet.example",
        "di@nurses.example",
    )
    answer(ministry, SignoffAnswer.CONFIRMED)
    answer(tele, SignoffAnswer.DISPUTED, APPROVED, approved=True)
    answer(quiet, SignoffAnswer.CONFIRMED, hide=True)
    answer(nurses, SignoffAnswer.DISPUTED, UNAPPROVED)
    solo = make_organisation(name="Solo Works", sector=Sector.BUSINESS)
    agreed = make_partnership(name="All Agreed", partners=[(solo, "lead")])
    (only,) = with_contacts(agreed, "e@solo.example")
    answer(only, SignoffAnswer.CONFIRMED)

    lesson = make_lesson(title="Plan the exit early", themes=[trust], partnership=lakeshore)
    other = make_lesson(title="Meet in person", themes=[trust])
    for number, (outcome, sector) in enumerate(
        [
            (Outcome.HELPED, Sector.ACADEMIA),
            (Outcome.HELPED, Sector.BUSINESS),
            (Outcome.PARTLY, Sector.GOVERNMENT),
            (Outcome.NOT_HELPED, Sector.ACADEMIA),
        ]
    ):
        report(lesson, outcome, sector, address=f"192.0.2.{number + 10}")
    report(lesson, Outcome.HELPED, Sector.ACADEMIA, "We tried it in **schools**.", "192.0.2.30")
    report(other, Outcome.HELPED, Sector.CIVIL_SOCIETY, PENDING_NOTE, "192.0.2.31")
    noted = ApplicationReport.objects.filter(note__startswith="We tried")
    services.moderation_publish(items=noted, by=curator)
    return {"lakeshore": lakeshore, "agreed": agreed, "lesson": lesson, "other": other}


def unpacked(archive, tmp_path):
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(archive) as package:
        package.extractall(folder)
    return folder


def test_the_archive_holds_what_pages_show_of_sign_offs_and_reports(scene, tmp_path):
    folder = unpacked(export(tmp_path), tmp_path)
    everything = "".join(path.read_text() for path in folder.rglob("*") if path.is_file())

    partners = {row["name"]: row for row in rows_of(folder, "partners")}
    assert partners["Lakeshore Ministry"]["signoff"] == "confirmed"
    assert partners["Tele Lake Ltd"]["signoff"] == "disputed"
    assert partners["Tele Lake Ltd"]["signoff_comment"] == APPROVED
    assert partners["Nurses of the Lake"]["signoff"] == "disputed"
    assert partners["Nurses of the Lake"]["signoff_comment"] == ""
    # The partner that asked to be hidden is there by sector only, with no organisation.
    hidden = partners["A partner from philanthropy"]
    assert hidden["organisation_id"] == "" and hidden["signoff"] == "confirmed"
    for secret in ("Quietwater", "@", UNAPPROVED, PENDING_NOTE, "token"):
        assert secret not in everything.replace("@context", ""), secret
    assert "Quietwater Trust" in Organisation.objects.values_list("name", flat=True)

    lessons = {row["title"]: row for row in rows_of(folder, "lessons")}
    counts = ("applied_count", "applied_helped_count", "applied_partly_count")
    assert [lessons["Plan the exit early"][c] for c in counts] == ["5", "3", "1"]
    assert lessons["Plan the exit early"]["applied_not_helped_count"] == "1"
    # The pending note is not counted, and not in the archive.
    assert lessons["Meet in person"]["applied_count"] == "0"
    applications = rows_of(folder, "applications")
    assert len(applications) == 5
    assert {row["lesson_id"] for row in applications} == {str(scene["lesson"].pk)}
    assert [row["note"] for row in applications if row["note"]] == ["We tried it in **schools**."]


def test_a_mirror_shows_the_same_sign_offs_counts_and_notes(scene, client, tmp_path):
    paths = [
        scene["lakeshore"].get_absolute_url(),
        scene["agreed"].get_absolute_url(),
        "/partnerships/",
        "/partnerships/?confirmed=all",
        scene["lesson"].get_absolute_url(),
        scene["other"].get_absolute_url(),
        "/lessons/?sort=applied",
        "/lessons/?sort=helped",
        "/lessons/?applied=yes",
        "/insights/",
        "/search/?q=Tele",
        "/search/?q=Quietwater",
        "/api/v1/partnerships?confirmed=all",
        f"/api/v1/partnerships/{scene['lakeshore'].slug}",
        f"/api/v1/lessons/{scene['lesson'].slug}",
        "/lessons/export.json",
    ]
    before = shown(client, paths)
    assert b"Confirmed by 2 of 4 partners" in before[paths[0]][1]
    assert APPROVED.encode() in before[paths[0]][1]
    assert (
        b"Applied <strong>5</strong> times" in before[paths[4]][1]
        or b"Applied 5 times" in (before[paths[4]][1])
    )
    archive = export(tmp_path)

    wipe_content()
    assert not PartnerSignoff.objects.exists() and not ApplicationReport.objects.exists()
    call_command("import_archive", str(archive), verbosity=0)

    after = shown(client, paths)
    for path in paths:
        assert after[path][0] == before[path][0] == 200, path
        assert after[path][1] == before[path][1], path
    # Nothing private came along: no contact, no link, no unapproved words, no pending note.
    assert not PartnerSignoff.objects.exclude(contact_email="").exists()
    assert not PartnerSignoff.objects.filter(token__isnull=False).exists()
    assert not PartnerSignoff.objects.filter(comment=UNAPPROVED).exists()
    assert not ApplicationReport.objects.filter(note=PENDING_NOTE).exists()
    assert "Quietwater Trust" not in Organisation.objects.values_list("name", flat=True)
    lesson = Lesson.objects.get(slug=scene["lesson"].slug)
    assert (lesson.applied_count, lesson.applied_helped_count) == (5, 3)


def test_merging_the_archive_again_adds_no_sign_off_or_report(scene, tmp_path):
    archive = export(tmp_path)
    call_command("import_archive", str(archive), "--merge", verbosity=0)
    signoffs, reports = PartnerSignoff.objects.count(), ApplicationReport.objects.count()

    call_command("import_archive", str(archive), "--merge", verbosity=0)

    assert (PartnerSignoff.objects.count(), ApplicationReport.objects.count()) == (
        signoffs,
        reports,
    )
    assert ModerationStatus.PENDING in ApplicationReport.objects.values_list(
        "moderation_status", flat=True
    )
