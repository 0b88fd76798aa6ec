"""Whole public pages for anonymous visitors, keyed by their address and the content version.

What an anonymous visitor sees on a public page is a function of the page's address
(scheme, host, path and query string) and the content version (core.models.ContentVersion,
moved by database triggers on every public change). So a view that opts in with
``cache_public_page`` is rendered once per address and version, and answered from the
"pages" cache after that by ``PageCacheMiddleware``, which sits above the session, CSRF,
authentication and messages middleware: a hit costs the version's one primary-key query.
The policy headers (CSP, Permissions-Policy, Reporting-Endpoints, X-Frame-Options, HSTS…)
are added by the middleware above it, so a cached page carries them as a fresh one does.

Never served from the cache, never stored in it:
- a request that is not GET or HEAD, or carries a session cookie (a curator, or someone
  who was one: the cheapest sound test that the visitor is anonymous), a messages cookie
  (a thank-you waiting to be shown) or an Authorization header;
- a view that did not opt in (the admin, the API, forms, private pages, exports);
- a response other than 200, or one that sets a cookie other than the CSRF one, queued a
  message, varies on anything but Cookie, says private/no-store/no-cache, or used a CSP
  nonce.

The CSRF token is rendered as a placeholder (a secret derived from SECRET_KEY, so no
content can spell it) into the copy that is stored; each visitor gets a fresh token in its
place, and the CSRF cookie set exactly as Django's CSRF middleware sets it.

What a page shows that changes without moving the content version (a lesson's "this
helped me" count) is checked on each hit: the view records what it showed
(``depends_on``), a reader registered under that name (``register_check``) reads it again.
"""

import hashlib
from collections.abc import Callable
from functools import cache, lru_cache, wraps
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.response import SimpleTemplateResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import cc_delim_re
from django.utils.crypto import salted_hmac

from core.caching import content_version_for_page

CACHE_ALIAS = "pages"
# Part of every key: a release that changes what is stored (CachedPage) changes it, so no
# process ever reads a page stored in another shape (a shared Redis outlives a release).
KEY_FORMAT = "page-1"
STATUS_HEADER = "X-Page-Cache"
# What a stored page may vary on: Cookie, because of the CSRF cookie it is answered with.
VARY_ALLOWED = {"cookie"}
NOT_SHARED = ("private", "no-store", "no-cache")
# Set on the request by the middleware (it may be stored) and by the decorator (it opted
# in, so the template gets the placeholder); on the response by the decorator.
STORABLE = "_page_cache_storable"
RENDERING = "_page_cache_rendering"
COPY = "_page_cache_copy"
CHECKS = "_page_cache_checks"
LEFT_OUT = "_page_cache_left_out"
OPTED_IN = "cache_public_page"  # on the view

Check = tuple[str, Any, Any]  # (reader's name, what it reads, what the page showed)


class CachedPage(NamedTuple):
    """A stored page: its body with the CSRF placeholder, its headers, what to check."""

    content: bytes
    headers: tuple[tuple[str, str], ...]
    has_csrf_token: bool
    checks: tuple[Check, ...]


_check_readers: dict[str, Callable[[Any], Any]] = {}


def register_check(name: str, read: Callable[[Any], Any]) -> None:
    """Name a reader of something pages show that the content version does not cover."""
    _check_readers[name] = read


def depends_on(response: HttpResponseBase, name: str, argument: Any, shown: Any) -> None:
    """Record that the page showed `shown`, which the reader `name` reads for `argument`."""
    setattr(response, CHECKS, (*getattr(response, CHECKS, ()), (name, argument, shown)))


def do_not_store(response: HttpResponseBase) -> None:
    """Keep this response of an opted-in view out of the cache."""
    setattr(response, LEFT_OUT, True)


@cache
def csrf_placeholder() -> str:
    """Where a stored page's CSRF token goes: the same in every process, unguessable."""
    return salted_hmac("core.page_cache", "csrf-token-placeholder").hexdigest()


def csrf_placeholder_context(request: HttpRequest) -> dict[str, str]:
    """Context processor: the placeholder as the token, while an opted-in page renders."""
    return {"csrf_token": csrf_placeholder()} if getattr(request, RENDERING, False) else {}


def cache_public_page(view):
    """Opt a view into the page cache: what it shows depends only on its address and the
    content version, for anonymous visitors."""

    @wraps(view)
    def public_page(request, *args, **kwargs):
        if not getattr(request, STORABLE, False):
            return view(request, *args, **kwargs)
        setattr(request, RENDERING, True)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            setattr(request, RENDERING, False)
            raise
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.add_post_render_callback(lambda rendered: _keep_copy(request, rendered))
        else:
            _keep_copy(request, response)
        return response

    setattr(public_page, OPTED_IN, True)
    return public_page


def _keep_copy(request: HttpRequest, response: HttpResponseBase) -> None:
    """Keep the body with its placeholder for the cache; give this visitor a real token."""
    setattr(request, RENDERING, False)
    if response.streaming or not isinstance(response, HttpResponse):
        return
    content = response.content
    has_token = csrf_placeholder().encode() in content
    # A token the view asked for itself is in the body for real: that body is this visitor's.
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        setattr(response, COPY, (content, has_token))
    if has_token:
        response.content = content.replace(csrf_placeholder().encode(), get_token(request).encode())


class PageCacheMiddleware:
    """Answer opted-in public pages from the cache; store them on their first request."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Sets the CSRF cookie on a cached page as it does on a fresh one.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not (settings.PAGE_CACHE_ENABLED and anonymous_read(request) and opted_in(request)):
            return self.get_response(request)
        with content_version_for_page() as version:
            if version is None:
                return self.get_response(request)
            return self.answer_or_store(request, version)

    def answer_or_store(self, request: HttpRequest, version: str) -> HttpResponseBase:
        key = page_key(request, version)
        pages = caches[CACHE_ALIAS]
        page = pages.get(key)
        if page is not None and still_current(page):
            return self.answer(request, page)
        setattr(request, STORABLE, True)
        response = self.get_response(request)
        copy = getattr(response, COPY, None)
        if copy is not None and storable(request, response):
            content, has_token = copy
            headers = tuple(
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in {"content-length", STATUS_HEADER.lower()}
            )
            pages.set(key, CachedPage(content, headers, has_token, getattr(response, CHECKS, ())))
            response.headers[STATUS_HEADER] = "miss"
        return response

    def answer(self, request: HttpRequest, page: CachedPage) -> HttpResponse:
        response = HttpResponse(page.content)
        for name, value in page.headers:
            response.headers[name] = value
        if page.has_csrf_token:
            self.csrf.process_request(request)  # the visitor's own CSRF cookie, if any
            token = get_token(request).encode()
            response.content = page.content.replace(csrf_placeholder().encode(), token)
            self.csrf.process_response(request, response)
        response.headers["Content-Length"] = str(len(response.content))
        response.headers[STATUS_HEADER] = "hit"
        return response


def anonymous_read(request: HttpRequest) -> bool:
    """A GET or HEAD from a visitor with no session, no pending message, no credentials."""
    return (
        request.method in ("GET", "HEAD")
        # Empty, a cookie holds nothing: it is what deleting one leaves in some clients.
        and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        and not request.COOKIES.get(CookieStorage.cookie_name)
        and "HTTP_AUTHORIZATION" not in request.META
    )


def opted_in(request: HttpRequest) -> bool:
    """Whether the view at this path opted in (other paths never read the content version)."""
    return _view_opted_in(get_urlconf() or settings.ROOT_URLCONF, request.path_info)


@lru_cache(maxsize=4096)
def _view_opted_in(urlconf: str, path: str) -> bool:
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return getattr(match.func, OPTED_IN, False)


def page_key(request: HttpRequest, version: str) -> str:
    """The page's address as this visitor asked for it, at this content version."""
    address = f"{KEY_FORMAT}\n{version}\n{request.method}\n{request.scheme}://{request.get_host()}"
    address += request.get_full_path()
    return hashlib.sha256(address.encode()).hexdigest()


def still_current(page: CachedPage) -> bool:
    """Whether everything the page showed beyond the content version is still so."""
    for name, argument, shown in page.checks:
        read = _check_readers.get(name)
        if read is None or read(argument) != shown:
            return False
    return True


def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether this response is the same for every anonymous visitor, token aside."""
    if response.status_code != 200 or getattr(response, LEFT_OUT, False):
        return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    if len(messages.get_messages(request)) or getattr(request, "_csp_nonce", None):
        return False
    varies = {field.strip().lower() for field in cc_delim_re.split(response.get("Vary", ""))}
    if varies - VARY_ALLOWED - {""}:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(directive in cache_control for directive in NOT_SHARED)
