"""Where browsers report what the Content Security Policy blocked: logged, never stored.

Anyone can post here, so a report is read as untrusted input. The body is capped before
it is read; anything that is not a report is a 400, never a 500; one address may send
only so many a minute, counted in the cache, so a flood neither fills the log nor
touches the database. Each violation becomes one WARNING line of JSON on the
``security.csp`` logger, with each field cut short and every line break escaped. A page
is named by its URL pattern, not its path, so the token of a private page (a status
link, a health-check result) never reaches the log.
"""

import json
import logging
import re
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.ratelimit import address_hash, client_address

logger = logging.getLogger("security.csp")

# The legacy report-uri format, and the Reporting API's (report-to).
CSP_REPORT = "application/csp-report"
REPORTS_JSON = "application/reports+json"
MAX_BODY_BYTES = 16 * 1024
# A browser batches the Reporting API's reports; more in one post than this are dropped.
MAX_REPORTS_PER_POST = 10
# Posts an address may send a minute: a visitor's browser sends a few a page at most.
POSTS_PER_MINUTE = 30
MAX_FIELD_CHARACTERS = 200
# Each field of a violation: its name in report-uri's format, then in the Reporting API's.
FIELDS = {
    "page": ("document-uri", "documentURL"),
    "directive": ("effective-directive", "effectiveDirective"),
    "blocked": ("blocked-uri", "blockedURL"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "column": ("column-number", "columnNumber"),
    "disposition": ("disposition", "disposition"),
    "sample": ("script-sample", "sample"),
}
# Fields that hold a URL, logged as an origin and a URL pattern; fields that hold a number.
URL_FIELDS = {"page", "blocked", "source"}
NUMBER_FIELDS = {"line", "column"}
# What a browser sends instead of a URL: "inline", "eval", "wasm-eval", "self" ...
KEYWORD = re.compile(r"[a-z][a-z0-9-]{0,39}")


class NotAReport(ValueError):
    """The body is not a CSP violation report."""


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    if not within_rate(request):
        return refusal("Too many reports from this address; try again in a minute.", 429)
    content_type = request.content_type
    if content_type not in (CSP_REPORT, REPORTS_JSON):
        return refusal(f"Send {CSP_REPORT} or {REPORTS_JSON}.", 415)
    # Refused on what it claims before anything is read, and read no further than the cap.
    if declared_length(request) > MAX_BODY_BYTES:
        return refusal("A report may be 16 KB at most.", 413)
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return refusal("A report may be 16 KB at most.", 413)
    try:
        violations = parse_violations(body, content_type)
    except NotAReport as error:
        return refusal(str(error), 400)
    for violation in violations:
        # JSON with ASCII escapes: one line each, whatever the fields hold.
        logger.warning("Content Security Policy violation: %s", json.dumps(violation))
    return HttpResponse(status=204)


def refusal(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def within_rate(request: HttpRequest) -> bool:
    """Count this post against its address's reports this minute; False past the limit."""
    minute = int(time.time() // 60)
    key = f"csp-report:{address_hash(client_address(request))}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        sent = cache.incr(key)
    except ValueError:  # evicted between add and incr: this is the first again
        cache.set(key, 1, timeout=120)
        sent = 1
    return sent <= POSTS_PER_MINUTE


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def parse_violations(body: bytes, content_type: str) -> list[dict]:
    """The violations in a report body, each as the fields worth logging."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise NotAReport("The body is not JSON.") from error
    if content_type == CSP_REPORT:
        report = document.get("csp-report") if isinstance(document, dict) else None
        if not isinstance(report, dict):
            raise NotAReport('The body has no "csp-report" object.')
        violations = [violation_fields(report, legacy=True)]
    else:
        if not isinstance(document, list):
            raise NotAReport("The body is not a list of reports.")
        violations = [
            violation_fields(report["body"], legacy=False)
            for report in document[:MAX_REPORTS_PER_POST]
            if isinstance(report, dict)
            and report.get("type") == "csp-violation"
            and isinstance(report.get("body"), dict)
        ]
    # A violation always names the directive that was broken.
    violations = [violation for violation in violations if "directive" in violation]
    if not violations:
        raise NotAReport("The body reports no violation of a directive.")
    return violations


def violation_fields(report: dict, *, legacy: bool) -> dict:
    """The fields worth logging: short strings and line numbers; anything else left out."""
    fields: dict = {}
    for field, names in FIELDS.items():
        value = report.get(names[0] if legacy else names[1])
        if legacy and field == "directive" and value is None:
            value = report.get("violated-directive")  # what older browsers send
        if field in NUMBER_FIELDS:
            if type(value) is int and 0 <= value < 10**9:
                fields[field] = value
        elif isinstance(value, str):
            value = value[:MAX_FIELD_CHARACTERS]
            fields[field] = url_described(value) if field in URL_FIELDS else value
    return fields


def url_described(value: str) -> str:
    """A URL as its origin and the site's URL pattern for its path; a keyword as it is.

    Static files keep their path (it is public and says which file); a path the site
    does not serve is left out.
    """
    if KEYWORD.fullmatch(value):
        return value  # "inline", "eval", "data", "self", ...
    try:
        url = urlsplit(value)
    except ValueError:
        return "(not a URL)"
    if url.scheme not in ("http", "https"):
        # data:, blob:, chrome-extension: ... say enough on their own.
        return f"{url.scheme}:" if KEYWORD.fullmatch(url.scheme) else "(not a URL)"
    origin = f"{url.scheme}://{url.netloc.rpartition('@')[2]}"
    if url.path.startswith(str(settings.STATIC_URL)):
        return origin + url.path
    try:
        return f"{origin}/{resolve(url.path).route}"
    except Resolver404:
        return f"{origin} (a path the site does not serve)"
