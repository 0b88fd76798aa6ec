"""Private pages: links only their holder knows, kept out of caches and search engines."""

import secrets

from django.http import HttpResponse


def new_private_token() -> str:
    """An unguessable token for a private link (a contributor's status page, a health check)."""
    return secrets.token_urlsafe(24)


def private(response: HttpResponse) -> HttpResponse:
    """Mark a response as a private page: never stored by a cache, never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
