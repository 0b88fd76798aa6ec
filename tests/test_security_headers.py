"""Every kind of response carries the Content Security Policy and the other policy headers.

Pages, errors, the admin, the API and its docs, feeds, the report endpoint itself, and
static files as production serves them: collected into a STATIC_ROOT by the real
(hashed, compressed) storage and answered by WhiteNoise, which sits below the header
middleware.
"""

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings
from django.urls import path, reverse
from whitenoise.middleware import WhiteNoiseFileResponse  # type: ignore[import-untyped]

from config import settings as project_settings
from config.urls import urlpatterns as site_urlpatterns
from tests.factories import make_lesson, make_theme

# The whole policy, directive by directive: nothing inline, nothing from elsewhere.
EXPECTED_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
    "report-uri": {"/csp-report/"},
    "report-to": {"csp"},
}
DENIED_FEATURES = {"camera", "microphone", "geolocation", "browsing-topics", "payment", "usb"}


def boom(request):
    raise RuntimeError("a bug in a view")


# The site's URLs plus one view that fails, for the 500 page.
urlpatterns = [*site_urlpatterns, path("boom/", boom)]


def policy_of(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def assert_policy_headers(response):
    assert policy_of(response) == EXPECTED_POLICY
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["Reporting-Endpoints"] == 'csp="/csp-report/"'
    features = dict(
        re.fullmatch(r"([a-z-]+)=\((.*)\)", item.strip()).groups()
        for item in response["Permissions-Policy"].split(",")
    )
    assert set(features) >= DENIED_FEATURES
    assert set(features.values()) == {""}  # each allowed to no origin
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def curator_client(client, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    curator = django_user_model.objects.create_superuser("curator", "c@example.org", "pw")
    client.force_login(curator)
    return client


@pytest.fixture
def lesson(db):
    return make_lesson(title="Agree what words mean", themes=[make_theme(title="Trust")])


@pytest.mark.parametrize(
    ("url", "status", "shows"),
    [
        ("/", 200, b"Uncommon Alliances"),
        ("/no-such-page/", 404, b"We could not find that page"),
        ("/admin/login/", 200, b"Log in"),
        ("/admin/", 302, b""),
        ("/api/v1/themes", 200, b"Trust"),
        ("/api/v1/docs", 200, b"swagger-ui"),
        ("/api/v1/openapi.json", 200, b"openapi"),
        ("/feeds/lessons/", 200, b"Agree what words mean"),
        ("/sitemap.xml", 200, b"sitemapindex"),
        ("/robots.txt", 200, b"Sitemap"),
    ],
)
def test_response_carries_the_policy_headers(client, lesson, url, status, shows):
    response = client.get(url)

    assert response.status_code == status
    assert shows in response.content
    assert_policy_headers(response)


def test_admin_change_form_carries_the_policy_headers(curator_client, lesson):
    response = curator_client.get(reverse("admin:lessons_lesson_change", args=[lesson.pk]))

    assert response.status_code == 200
    assert b"Agree what words mean" in response.content
    assert_policy_headers(response)


def test_report_endpoint_answers_with_the_policy_headers(client, db):
    response = client.post(
        reverse("pages:csp-report"), b"not json", content_type="application/csp-report"
    )

    assert response.status_code == 400
    assert_policy_headers(response)


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_carries_the_policy_headers(client, db):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert_policy_headers(response)


# Static files, as production serves them ----------------------------------------------

STATIC_FILES = [
    "css/site.css",
    "css/admin.css",
    "js/tag-suggest.js",
    "img/favicon.svg",
    "admin/js/SelectBox.js",
    "ninja/swagger-ui-init.js",
]


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """collectstatic with the production storage, once for this module."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=production_storages()):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def production_storages():
    """The storages config/settings.py sets, whatever the tests' fixtures put in their place."""
    return project_settings.STORAGES


@pytest.mark.parametrize("name", STATIC_FILES)
def test_static_file_served_by_whitenoise_carries_the_policy_headers(
    client, settings, collected_static, name
):
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = production_storages()
    url = staticfiles_storage.url(name)
    # The hashed name production links to, answered by WhiteNoise rather than a view.
    assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url

    response = client.get(url, headers={"accept-encoding": "gzip"})

    assert response.status_code == 200
    assert isinstance(response, WhiteNoiseFileResponse)
    assert "immutable" in response["Cache-Control"]
    assert_policy_headers(response)
