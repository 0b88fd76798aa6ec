"""The hourly limit on anonymous writes, counted in the database, and the visitor's address.

Counted in the database, so the limit holds across server processes and machines; the
address is kept only as a keyed hash.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.models import SubmissionRecord


class RateLimited(Exception):
    """This address has sent the most submissions allowed in an hour."""


def client_address(request: HttpRequest) -> str:
    """The visitor's address: the connection's, or, behind trusted proxies, the address the
    outermost of them saw (X-Forwarded-For is read from the right, never trusted further)."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def address_hash(address: str) -> str:
    """A keyed hash of a visitor's address: enough to count, not to identify."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def rate_check(*, address: str) -> None:
    """Raise RateLimited when this address has used up its hourly submissions."""
    since = timezone.now() - timedelta(hours=1)
    sent = SubmissionRecord.objects.filter(
        address_hash=address_hash(address), created_at__gte=since
    ).count()
    if sent >= settings.SUBMISSIONS_PER_HOUR:
        raise RateLimited


def rate_record(*, address: str) -> None:
    """Count one stored submission against this address's hourly limit."""
    SubmissionRecord.objects.create(address_hash=address_hash(address))


def rate_limited_response(request: HttpRequest) -> HttpResponse:
    """The answer to an address that has sent too many submissions this hour."""
    response = render(
        request,
        "core/rate_limited.html",
        {"limit": settings.SUBMISSIONS_PER_HOUR},
        status=429,
    )
    response["Retry-After"] = "3600"
    return response
