"""Private pages: links only their holder knows, kept out of caches, search engines and logs."""

import logging
import re
import secrets
from urllib.parse import unquote

from django.http import HttpResponse

# Where a private link's secret sits in an address: the path segment after these prefixes
# (a contributor's status page, a health check's result), and the parameter that carries a
# health check's token to compare with. tests/core/test_log_redaction.py checks that every
# URL pattern taking a token is covered.
PRIVATE_PATH = re.compile(
    r"(/(?:submissions|health-check|signoff|follow/(?:confirm|unsubscribe|manage))/)[^/?#]+",
    re.IGNORECASE,
)
PRIVATE_PARAMETER = re.compile(r"([?&;]compare=)[^&;#]+", re.IGNORECASE)
REDACTED = "[redacted]"
# A log line is cut into words at spaces and quotes; an address is always within one word.
WORD = re.compile(r"[^\s\"'<>]+")
# Percent-encoding is undone this many times at most, so "%2573ubmissions" is caught too.
MAX_DECODINGS = 3


def new_private_token() -> str:
    """An unguessable token for a private link (a contributor's status page, a health check)."""
    return secrets.token_urlsafe(24)


def private(response: HttpResponse) -> HttpResponse:
    """Mark a response as a private page: never stored by a cache, never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _redact_word(match: re.Match[str]) -> str:
    word = match.group()
    for _ in range(MAX_DECODINGS + 1):
        redacted = PRIVATE_PARAMETER.sub(rf"\1{REDACTED}", PRIVATE_PATH.sub(rf"\1{REDACTED}", word))
        if redacted != word:
            return redacted
        decoded = unquote(word)
        if decoded == word:
            break
        word = decoded
    return match.group()


def redact_private_links(text: str) -> str:
    """The text with every private link's secret replaced by a marker.

    A word that hides a private link behind percent-encoding is decoded, so the secret is
    redacted however the address was spelt; other words are left exactly as they were.
    """
    return WORD.sub(_redact_word, text)


class PrivateLinkFilter(logging.Filter):
    """Keeps private links' secrets out of a log: the server's access log, Django's request log.

    The message is formatted first, so a secret is caught whichever argument carries it, and
    so is a traceback's text (an exception's message may quote the address).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record: the handler reports it as it always would
        redacted = redact_private_links(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_private_links(record.exc_text)
        return True
