"""The hourly limits on anonymous writes, counted in the database, and the visitor's address.

Every write a visitor can make without an account (a submission, a health check, a
"this helped me") takes one of its address's hourly writes of that kind with
``rate_take``, inside the transaction that stores it. Counted in the database, so a
limit holds across server processes and machines; the address is kept only as a keyed
hash. Concurrent writes from one address are taken one at a time, so a limit holds
exactly however many arrive at once: on PostgreSQL under an advisory lock on the address
and kind; on SQLite because its transactions begin IMMEDIATE (config/settings.py), which
makes every writer wait for the one before it to finish.
"""

import hashlib
import hmac
import ipaddress
import math
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.models import LimitedWrite, SubmissionRecord

WINDOW = timedelta(hours=1)
# Each kind's limit is read when it is used, so a setting changed in a test applies.
HOURLY_LIMIT_SETTINGS = {
    LimitedWrite.SUBMISSION: "SUBMISSIONS_PER_HOUR",
    LimitedWrite.HEALTH_CHECK: "HEALTH_CHECKS_PER_HOUR",
    LimitedWrite.VOTE: "VOTES_PER_HOUR",
    LimitedWrite.FOLLOW: "FOLLOWS_PER_HOUR",
    LimitedWrite.FOLLOW_ADDRESS: "FOLLOWS_PER_ADDRESS_PER_HOUR",
    LimitedWrite.SIGNOFF: "SIGNOFFS_PER_HOUR",
    LimitedWrite.APPLIED: "APPLIED_REPORTS_PER_HOUR",
}


class RateLimited(Exception):
    """This address has made the most writes of this kind allowed in an hour."""

    def __init__(self, kind: LimitedWrite, *, limit: int, retry_after: int):
        super().__init__(f"{limit} {kind.label} an hour from one address is the limit")
        self.kind = kind
        self.limit = limit
        self.retry_after = retry_after


def _ip_address(text: str) -> str | None:
    """``text`` as a plain IP address, without a port or brackets; None if it is not one."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1] or [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 192.0.2.7:51234
        text = text.partition(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The visitor's address: the connection's, or, behind trusted proxies, the address the
    outermost of them saw (X-Forwarded-For is read from the right, never trusted further).

    Always a plain IP address: whatever a proxy forwards that is not one (a port, brackets,
    junk) falls back to the connection's address, so every limit and the login lockout
    store something their address columns accept.
    """
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops and (address := _ip_address(forwarded[-hops])):
            return address
    return request.META.get("REMOTE_ADDR", "")


def address_hash(address: str) -> str:
    """A keyed hash of a visitor's address: enough to count, not to identify."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def hourly_limit(kind: LimitedWrite) -> int:
    """How many writes of this kind one address may make in an hour."""
    return getattr(settings, HOURLY_LIMIT_SETTINGS[kind])


def _take_in_turn(hashed: str, kind: LimitedWrite) -> None:
    """Wait until no other transaction is taking this address's writes of this kind."""
    if connection.vendor == "postgresql":
        # A signed 64-bit key for the (address, kind) pair, held until the transaction ends.
        digest = hashlib.sha256(f"{kind}:{hashed}".encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    # SQLite: the IMMEDIATE transaction already holds the database's one write lock.


def rate_take(*, kind: LimitedWrite, address: str) -> None:
    """Count one write of this kind from this address, or raise RateLimited if the hour's
    are used up.

    Call inside the transaction that stores the write, so the count, the record and the
    write commit together or not at all, and concurrent writes are counted one at a time.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("rate_take() must run inside the transaction that stores the write.")
    hashed = address_hash(address)
    _take_in_turn(hashed, kind)
    now = timezone.now()
    recent = SubmissionRecord.objects.filter(
        address_hash=hashed, kind=kind, created_at__gt=now - WINDOW
    )
    limit = hourly_limit(kind)
    if recent.count() >= limit:
        oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
        frees_at = (oldest or now) + WINDOW
        retry_after = max(1, math.ceil((frees_at - now).total_seconds()))
        raise RateLimited(kind, limit=limit, retry_after=retry_after)
    SubmissionRecord.objects.create(address_hash=hashed, kind=kind, created_at=now)


def rate_limited_response(request: HttpRequest, limited: RateLimited) -> HttpResponse:
    """The answer to an address that has used up its hourly writes of one kind."""
    minutes = math.ceil(limited.retry_after / 60)
    context = {"kind": limited.kind, "limit": limited.limit, "minutes": minutes}
    response = render(request, "core/rate_limited.html", context, status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response
