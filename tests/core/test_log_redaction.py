"""Private links' secrets never reach a log: Django's request and runserver logs, and the
redaction every log shares (gunicorn's access log is tested in tests/test_access_log.py)."""

import io
import logging
import secrets
import string
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.privacy import REDACTED, redact_private_links

TOKEN_ALPHABET = string.ascii_letters + string.digits + "-_"
tokens = st.text(TOKEN_ALPHABET, min_size=16, max_size=64)
bounded = settings(
    max_examples=200, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def url_names_taking_a_token(resolver=None, namespace=""):
    """Every URL name in the site whose pattern carries a `token`."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += url_names_taking_a_token(pattern, inner)
        elif isinstance(pattern, URLPattern) and "token" in pattern.pattern.converters:
            names.append(f"{namespace}{pattern.name}")
    return names


PRIVATE_PAGES = url_names_taking_a_token()


@contextmanager
def written_by(logger_name):
    """What the handlers configured in settings.LOGGING write for this logger, as text."""
    handlers = [
        handler
        for handler in logging.getLogger(logger_name).handlers
        if type(handler) is logging.StreamHandler
    ]
    assert handlers, f"no console handler on {logger_name or 'the root logger'}"
    output = io.StringIO()
    streams = [handler.setStream(output) for handler in handlers]
    try:
        yield output
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)


def spellings(path, token):
    """The ways an address reaches a log: as a request line, a referrer, a logged message,
    percent-encoded in part or in whole, or as the health check's `compare` parameter."""
    health_check = reverse("healthcheck:health-check")
    return [
        f"GET {path} HTTP/1.1",
        f'127.0.0.1 - - "GET /themes/ HTTP/1.1" 200 512 "https://site.example{path}" "Firefox"',
        f"Not Found: {path}",
        f"GET {quote(path, safe='')} HTTP/1.1",
        f"GET {''.join(f'%{ord(c):02X}' for c in path)} HTTP/1.1",
        f"GET /%73ubmissions/{token}/ HTTP/1.1",
        f"GET {health_check}?compare={token} HTTP/1.1",
        f"GET {health_check}?theme=3&%63ompare={quote(token)}&x=1 HTTP/1.1",
        f'"POST {health_check} HTTP/1.1" 302 0 "https://site.example{health_check}?compare={token}"',
    ]


def test_every_private_page_is_found_in_the_urlconf():
    assert sorted(PRIVATE_PAGES) == [
        "follows:confirm",
        "follows:manage",
        "follows:unsubscribe",
        "healthcheck:health-check-result",
        "signoff:answer",
        "submissions:revise",
        "submissions:status",
    ]


@pytest.mark.parametrize("name", PRIVATE_PAGES)
@bounded
@given(token=tokens)
def test_no_spelling_of_a_private_link_keeps_its_secret(name, token):
    path = reverse(name, kwargs={"token": token})
    for line in spellings(path, token):
        redacted = redact_private_links(line)
        assert token not in redacted, line
        assert REDACTED in redacted, line


@bounded
@given(
    path=st.sampled_from(
        ["/themes/trust/", "/search/", "/lessons/", "/health-check/", "/submit/lesson/", "/"]
    ),
    query=st.text(string.ascii_letters + string.digits + "%=&+-_.", max_size=40),
)
def test_addresses_without_a_secret_are_logged_exactly_as_they_were(path, query):
    line = f'127.0.0.1 - - "GET {path}?{query} HTTP/1.1" 200 512 "-" "Firefox"'
    if "compare=" in line.lower():
        return
    assert redact_private_links(line) == line


@pytest.mark.django_db
@pytest.mark.parametrize("name", PRIVATE_PAGES)
def test_django_request_log_names_a_missing_private_page_without_its_secret(client, name):
    token = secrets.token_urlsafe(24)

    with written_by("") as output:
        response = client.get(reverse(name, kwargs={"token": token}))

    logged = output.getvalue()
    assert response.status_code == 404
    assert "Not Found: /" in logged
    assert REDACTED in logged
    assert token not in logged


def test_runserver_log_shows_private_pages_redacted():
    token = secrets.token_urlsafe(24)

    with written_by("django.server") as output:
        # What runserver's request handler logs for each request.
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET /health-check/{token}/ HTTP/1.1", "200", "5120"
        )

    logged = output.getvalue()
    assert f'"GET /health-check/{REDACTED}/ HTTP/1.1" 200 5120' in logged
    assert token not in logged


def test_a_traceback_quoting_a_private_link_is_redacted():
    token = secrets.token_urlsafe(24)

    with written_by("") as output:
        try:
            raise LookupError(f"nothing at /submissions/{token}/")
        except LookupError:
            logging.getLogger("django.request").exception("Internal Server Error: /search/")

    logged = output.getvalue()
    assert "LookupError: nothing at /submissions/[redacted]/" in logged
    assert token not in logged
