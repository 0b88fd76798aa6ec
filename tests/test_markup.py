"""Every page type is valid HTML, as the current W3C Nu HTML Checker (vnu.jar) reads it.

The checker is the official vnu-jar package of the npm registry, pinned to one release and
the checksum of its jar, fetched once with npm into .cache/ and run on the system Java: one
JVM start checks every page, which keeps this to seconds.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser.site_content import PAGE_TYPES, build_site_content

# A newer release: `npm view vnu-jar version` (`make upgrade` prints it), then the jar's
# sha256 from `npm pack vnu-jar@<version>` (build/dist/vnu.jar in the package).
VNU_VERSION = "26.9.27"
VNU_JAR_SHA256 = "22f15dd39a33bed929d2a5c0cddf5946849a647eca9272bf4d5d00bc7e7a4d47"
VNU_JAR = settings.BASE_DIR / ".cache" / "vnu-jar" / VNU_VERSION / "vnu.jar"
# Django serves 500.html as a file, without the template engine, so it is checked as one.
SERVER_ERROR_PAGE = settings.BASE_DIR / "templates" / "500.html"


def missing_tool(message):
    # CI sets this and installs Java and npm, so there a missing tool fails instead of skipping.
    if os.environ.get("UA_REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def java_or_skip():
    java = shutil.which("java")
    if java is None:
        missing_tool("java not found on PATH, so vnu.jar cannot run: apt-get install default-jre")
    return java


def sha256_of(path):
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def fetch_vnu_jar():
    """The pinned vnu.jar from the npm registry into the cache; fails on a wrong checksum."""
    npm = shutil.which("npm")
    if npm is None:
        missing_tool(
            f"npm not found on PATH, so vnu-jar {VNU_VERSION} cannot be fetched: "
            "apt-get install npm"
        )
    with tempfile.TemporaryDirectory() as folder:
        packed = subprocess.run(
            [npm, "pack", f"vnu-jar@{VNU_VERSION}", "--silent"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if packed.returncode != 0:
            missing_tool(f"npm pack vnu-jar@{VNU_VERSION} failed:\n{packed.stderr}")
        with tarfile.open(Path(folder) / packed.stdout.split()[-1]) as package:
            member = package.extractfile("package/build/dist/vnu.jar")
            assert member is not None
            fetched = Path(folder) / "vnu.jar"
            fetched.write_bytes(member.read())
        if sha256_of(fetched) != VNU_JAR_SHA256:
            pytest.fail(
                f"vnu-jar {VNU_VERSION} from npm does not match the pinned sha256 "
                f"{VNU_JAR_SHA256}: refusing to run it",
                pytrace=False,
            )
        VNU_JAR.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(fetched, VNU_JAR)


def vnu_jar():
    """The pinned checker's jar, fetched if the cache lacks it, checked every time."""
    if not VNU_JAR.is_file():
        fetch_vnu_jar()
    if sha256_of(VNU_JAR) != VNU_JAR_SHA256:
        pytest.fail(
            f"{VNU_JAR} does not match the pinned sha256 {VNU_JAR_SHA256}: "
            "delete it to fetch it again",
            pytrace=False,
        )
    return VNU_JAR


def nu_checker_errors(java, jar, files):
    """The checker's errors for these files, as its JSON messages."""
    command = [java, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout"]
    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=120
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu.jar gave no JSON report (exit {result.returncode}):\n{result.stderr}")
    return [message for message in messages if message["type"] != "info"]


def describe(error):
    line = error.get("lastLine", "?")
    extract = " ".join(error.get("extract", "").split())
    return f"{Path(error.get('url', '?')).name}:{line}: {error['message']}\n    {extract}"


def pages_reached_by_posting(client, site):
    """(name, response, status, heading) for each page only a sent form reaches."""
    lesson_submit = reverse("submissions:lesson-submit")
    yield (
        "lesson-submit-with-errors",
        client.post(lesson_submit, {"title": "Agree what words mean early"}),
        400,
        "There are problems with what you sent",
    )
    partners = {
        "partners-TOTAL_FORMS": "4",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "Orchard Books Ltd",
    }
    yield (
        "partnership-submit-with-errors",
        client.post(reverse("submissions:partnership-submit"), partners),
        400,
        "There are problems with what you sent",
    )
    lesson = {
        "title": "Agree what words mean early",
        "context": "Three partners meant three things by impact.",
        "insight": "Shared words hide different meanings.",
        "recommendation": "Write a glossary in the first month.",
        "experience": "went_wrong",
        "themes": [site.theme.pk],
        "tags": "trust, language",
    }
    yield (
        "submission-thanks",
        client.post(lesson_submit, lesson, follow=True),
        200,
        "Your private status link",
    )
    # A curator asks for changes: the status page, the edit page and its errors.
    from django.contrib.auth import get_user_model

    from core.services import moderation_request_changes
    from lessons.models import Lesson

    curator = get_user_model().objects.create_user("markup-curator", is_staff=True)
    sent = Lesson.objects.filter(title=lesson["title"])
    moderation_request_changes(items=sent, message="Name the partners.\nAnd a source.", by=curator)
    token = sent.get().status_token
    status = reverse("submissions:status", args=[token])
    revise = reverse("submissions:revise", args=[token])
    yield "submission-changes-requested", client.get(status), 200, "Edit your submission"
    yield "submission-revise", client.get(revise), 200, "Edit your lesson"
    yield (
        "submission-revise-with-errors",
        client.post(revise, {**lesson, "title": ""}),
        400,
        "There is a problem with what you sent",
    )
    client.post(revise, lesson)
    yield "submission-not-editable", client.get(revise), 404, "cannot be edited"
    # "Did you apply this lesson?": the lesson page again with the form's errors.
    applied = reverse("lessons:lesson-applied", args=[site.lesson.slug])
    yield (
        "lesson-applied-with-errors",
        client.post(applied, {"note": "We applied it **twice**."}),
        400,
        "There are problems with what you sent",
    )
    yield from signoff_pages(client)


def signoff_pages(client):
    """A partner's private sign-off page (blank, with errors, answered), an unknown link,
    and a case study whose partners answered (one dispute approved for showing)."""
    from datetime import timedelta

    from django.db.models import Count
    from django.utils import timezone

    from alliances.models import Partnership, PartnerSignoff

    partnership = (
        Partnership.objects.published()
        .annotate(partners=Count("participations"))
        .filter(partners__gte=2)
        .order_by("pk")
        .first()
    )
    first, second = partnership.participations.order_by("pk")[:2]
    expires = timezone.now() + timedelta(days=1)
    PartnerSignoff.objects.create(participation=first, token="m" * 32, expires_at=expires)
    PartnerSignoff.objects.create(
        participation=second,
        token="n" * 32,
        expires_at=expires,
        answer="disputed",
        comment="We led it.\nNot them.",
        comment_approved=True,
    )
    page = reverse("signoff:answer", args=["m" * 32])
    yield "signoff-answer", client.get(page), 200, "Is this account of"
    yield (
        "signoff-answer-with-errors",
        client.post(page, {"answer": "disputed"}),
        400,
        "Say what you see differently",
    )
    client.post(page, {"answer": "commented", "comment": "Fair."})
    yield "signoff-answered", client.get(f"{page}?saved=1"), 200, "your answer is saved"
    unknown = reverse("signoff:answer", args=["unknown"])
    yield "signoff-unknown", client.get(unknown), 404, "We could not find this sign-off link"
    yield (
        "partnership-signed-off",
        client.get(partnership.get_absolute_url()),
        200,
        "Do the partners agree with this account?",
    )


@pytest.mark.django_db
def test_every_page_type_is_valid_html(client, tmp_path):
    java = java_or_skip()
    jar = vnu_jar()
    site = build_site_content()
    pages = []
    for page_type, (path, heading) in PAGE_TYPES.items():
        response = client.get(path(site))
        assert response.status_code == (404 if page_type == "not-found" else 200), page_type
        assert heading in response.content.decode(), page_type
        page = tmp_path / f"{page_type}.html"
        page.write_bytes(response.content)
        pages.append(page)
    for name, response, status, heading in pages_reached_by_posting(client, site):
        assert response.status_code == status, name
        assert heading in response.content.decode(), name
        page = tmp_path / f"{name}.html"
        page.write_bytes(response.content)
        pages.append(page)
    pages.append(Path(shutil.copy(SERVER_ERROR_PAGE, tmp_path / "server-error.html")))

    errors = nu_checker_errors(java, jar, pages)

    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(map(describe, errors))
