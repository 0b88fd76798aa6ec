"""/csp-report/: what browsers post is logged, one line a violation; nothing else is.

Both formats browsers send are read; anything else, however broken, gets a 4xx and no
log line, never a 500; a private page's token never reaches the log; and one address
cannot flood it.
"""

import json
import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pages import csp_reports

URL = "/csp-report/"
CSP_REPORT = "application/csp-report"
REPORTS_JSON = "application/reports+json"
PRIVATE_TOKEN = "Zq3xPrivateStatusToken0123456789ab"

# What Chromium and Firefox post with report-uri.
LEGACY_REPORT = {
    "csp-report": {
        "document-uri": f"https://alliances.example.org/submissions/{PRIVATE_TOKEN}/?x=1",
        "referrer": f"https://alliances.example.org/submit/thanks/?token={PRIVATE_TOKEN}",
        "violated-directive": "style-src-attr",
        "effective-directive": "style-src-attr",
        "original-policy": "default-src 'self'; report-uri /csp-report/",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "column-number": 7,
        "source-file": "https://alliances.example.org/static/js/tag-suggest.0123456789ab.js",
        "status-code": 200,
        "script-sample": "color: red",
    }
}
# What the Reporting API posts for report-to: a batch of reports of several types.
REPORTS = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://alliances.example.org/themes/work-to-build-trust/",
        "user_agent": "Mozilla/5.0",
        "body": {
            "documentURL": "https://alliances.example.org/themes/work-to-build-trust/",
            "referrer": "",
            "blockedURL": "https://evil.example.net/steal.js",
            "effectiveDirective": "script-src-elem",
            "originalPolicy": "default-src 'self'",
            "sourceFile": "https://alliances.example.org/themes/work-to-build-trust/",
            "sample": "",
            "disposition": "enforce",
            "statusCode": 200,
            "lineNumber": 40,
            "columnNumber": 3,
        },
    },
    {
        "type": "csp-violation",
        "age": 12,
        "url": f"https://alliances.example.org/health-check/{PRIVATE_TOKEN}/",
        "user_agent": "Mozilla/5.0",
        "body": {
            "documentURL": f"https://alliances.example.org/health-check/{PRIVATE_TOKEN}/",
            "blockedURL": "eval",
            "effectiveDirective": "script-src",
            "disposition": "enforce",
        },
    },
    {"type": "deprecation", "age": 1, "url": "https://alliances.example.org/", "body": {}},
]


@pytest.fixture
def csp_log(caplog):
    caplog.set_level(logging.WARNING, logger="security.csp")
    return caplog


def logged(caplog):
    """The violations logged so far, each parsed back from its line."""
    lines = [record for record in caplog.records if record.name == "security.csp"]
    assert all(record.levelno == logging.WARNING for record in lines)
    return [json.loads(record.getMessage().split(": ", 1)[1]) for record in lines]


def post(client, body, content_type=CSP_REPORT, **extra):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(URL, data, content_type=content_type, **extra)


def test_url_is_named_in_the_pages_app():
    assert reverse("pages:csp-report") == URL


def test_legacy_report_is_logged_with_the_page_named_by_its_pattern(client, db, csp_log):
    response = post(client, LEGACY_REPORT)

    assert response.status_code == 204
    assert response.content == b""
    assert logged(csp_log) == [
        {
            "page": "https://alliances.example.org/submissions/<str:token>/",
            "directive": "style-src-attr",
            "blocked": "inline",
            "source": "https://alliances.example.org/static/js/tag-suggest.0123456789ab.js",
            "line": 12,
            "column": 7,
            "disposition": "enforce",
            "sample": "color: red",
        }
    ]
    assert PRIVATE_TOKEN not in csp_log.text


def test_reporting_api_batch_logs_each_violation_and_skips_other_report_types(client, db, csp_log):
    response = post(client, REPORTS, content_type=REPORTS_JSON)

    assert response.status_code == 204
    first, second = logged(csp_log)
    assert first == {
        "page": "https://alliances.example.org/themes/<slug:slug>/",
        "directive": "script-src-elem",
        "blocked": "https://evil.example.net (a path the site does not serve)",
        "source": "https://alliances.example.org/themes/<slug:slug>/",
        "line": 40,
        "column": 3,
        "disposition": "enforce",
        "sample": "",
    }
    assert second["page"] == "https://alliances.example.org/health-check/<str:token>/"
    assert second["blocked"] == "eval"
    assert PRIVATE_TOKEN not in csp_log.text


def test_a_batch_logs_at_most_ten_violations(client, db, csp_log):
    batch = REPORTS[:1] * 25

    assert post(client, batch, content_type=REPORTS_JSON).status_code == 204
    assert len(logged(csp_log)) == csp_reports.MAX_REPORTS_PER_POST == 10


def test_older_browsers_violated_directive_is_logged_when_there_is_no_effective_one(
    client, db, csp_log
):
    report = {"csp-report": {"violated-directive": "img-src 'self' data:", "blocked-uri": ""}}

    assert post(client, report).status_code == 204
    assert logged(csp_log) == [{"directive": "img-src 'self' data:", "blocked": "(not a URL)"}]


def test_browsers_post_without_a_csrf_token(db, csp_log):
    client = Client(enforce_csrf_checks=True)

    assert post(client, LEGACY_REPORT).status_code == 204
    assert len(logged(csp_log)) == 1


@pytest.mark.parametrize(
    ("send", "status", "says"),
    [
        (lambda c: c.get(URL), 405, b""),
        (lambda c: post(c, LEGACY_REPORT, content_type="application/json"), 415, b"Send"),
        (lambda c: post(c, LEGACY_REPORT, content_type="text/plain"), 415, b"Send"),
        (lambda c: post(c, REPORTS, content_type=CSP_REPORT), 400, b'no "csp-report"'),
        (lambda c: post(c, LEGACY_REPORT, content_type=REPORTS_JSON), 400, b"not a list"),
        (lambda c: post(c, REPORTS[2:], content_type=REPORTS_JSON), 400, b"no violation"),
        (lambda c: post(c, {"csp-report": {"blocked-uri": "inline"}}), 400, b"no violation"),
        (lambda c: post(c, b"\xff\xfe{", content_type=CSP_REPORT), 400, b"not JSON"),
        (lambda c: post(c, b"[" * 16_000, content_type=REPORTS_JSON), 400, b"not JSON"),
        (lambda c: post(c, {"csp-report": "inline"}), 400, b'no "csp-report"'),
    ],
)
def test_what_is_not_a_report_is_refused_and_not_logged(client, db, csp_log, send, status, says):
    response = send(client)

    assert response.status_code == status
    assert says in response.content
    if status != 405:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert logged(csp_log) == []


def test_body_over_16_kb_is_refused_with_413_and_not_logged(client, db, csp_log):
    padded = {"csp-report": {**LEGACY_REPORT["csp-report"], "script-sample": "x" * 17_000}}

    response = post(client, padded)

    assert response.status_code == 413
    assert b"16 KB" in response.content
    assert logged(csp_log) == []


def test_body_declared_over_16_kb_is_refused_before_it_is_read(client, db, csp_log):
    response = post(client, LEGACY_REPORT, CONTENT_LENGTH="100000")

    assert response.status_code == 413
    assert logged(csp_log) == []


def test_long_and_odd_fields_are_cut_short_and_kept_on_one_line(client, db, csp_log):
    report = {
        "csp-report": {
            "effective-directive": "script-src\n2025-01-01 CRITICAL forged line" + "x" * 500,
            "script-sample": "\u2028\r\n\x00" + "y" * 500,
            "line-number": "12",
            "column-number": 10**12,
            "document-uri": ["not", "a", "string"],
            "blocked-uri": "javascript:alert(1)",
        }
    }

    assert post(client, report).status_code == 204

    [record] = [r for r in csp_log.records if r.name == "security.csp"]
    message = record.getMessage()
    assert "\n" not in message and "\r" not in message and "\u2028" not in message
    [violation] = logged(csp_log)
    assert len(violation["directive"]) == csp_reports.MAX_FIELD_CHARACTERS
    assert len(violation["sample"]) == csp_reports.MAX_FIELD_CHARACTERS
    assert violation["blocked"] == "javascript:"
    assert set(violation) == {"directive", "sample", "blocked"}


def test_an_address_may_send_only_so_many_reports_a_minute(client, db, csp_log):
    limit = csp_reports.POSTS_PER_MINUTE
    statuses = [post(client, LEGACY_REPORT).status_code for _ in range(limit + 5)]

    assert statuses == [204] * limit + [429] * 5
    assert len(logged(csp_log)) == limit
    # Another address is counted on its own.
    assert post(client, LEGACY_REPORT, REMOTE_ADDR="198.51.100.7").status_code == 204


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5)
    ),
    max_leaves=30,
)
# Text a field may hold: anything, or a URL of ours with any path at all.
field_texts = st.text(max_size=300) | st.text(max_size=80).map(
    lambda path: f"https://alliances.example.org/{path}"
)


def violations(*, legacy):
    """A violation in one format: a directive, and any of the other fields, any value."""
    names = {
        field: legacy_name if legacy else name
        for field, (legacy_name, name) in csp_reports.FIELDS.items()
    }
    return st.fixed_dictionaries(
        {names.pop("directive"): field_texts},
        optional=dict.fromkeys(names.values(), field_texts | json_values),
    )


reports = st.one_of(
    violations(legacy=True).map(lambda violation: (CSP_REPORT, {"csp-report": violation})),
    st.lists(
        violations(legacy=False).map(lambda body: {"type": "csp-violation", "body": body}),
        min_size=1,
        max_size=4,
    ).map(lambda batch: (REPORTS_JSON, batch)),
)


@hypothesis_settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(content_type_and_report=reports)
def test_any_report_of_either_format_is_logged_one_line_a_violation(
    client, db, csp_log, content_type_and_report
):
    cache.clear()  # the examples share one address; the limit is tested above
    csp_log.clear()
    content_type, report = content_type_and_report

    response = post(client, report, content_type=content_type)

    assert response.status_code == 204
    lines = logged(csp_log)
    assert len(lines) == (1 if content_type == CSP_REPORT else len(report))
    for line in lines:
        assert set(line) <= set(csp_reports.FIELDS)
        assert all(
            len(str(value)) <= 2 * csp_reports.MAX_FIELD_CHARACTERS for value in line.values()
        )


@hypothesis_settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=st.one_of(
        st.binary(max_size=600),
        json_values.map(lambda value: json.dumps(value).encode()),
        reports.map(lambda pair: json.dumps(pair[1]).encode()[: len(json.dumps(pair[1])) // 2]),
    ),
    content_type=st.sampled_from([CSP_REPORT, REPORTS_JSON]),
)
def test_no_body_gets_a_server_error(client, db, body, content_type):
    cache.clear()

    response = post(client, body, content_type=content_type)

    # (The test client sends an empty body without its content type.)
    assert response.status_code in ({204, 400} if body else {415})
