"""Settings for Uncommon Alliances.

Everything that differs between a laptop and production comes from a
``DJANGO_``-prefixed environment variable (plus the conventional ``DATABASE_URL``).
The defaults are safe for development; with ``DJANGO_DEBUG`` off the site refuses
to start on the development secret key.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is off, so DJANGO_SECRET_KEY must be set to a random value of "
        "50 characters or more (not the development key)."
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles so runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    # Counts failed admin logins and locks out guessing (the login-lockout block below).
    "axes",
    # For its API documentation page's templates and static files (served by us, no CDN).
    "ninja",
    # Every version of curated content, with revert and recovery (core/history.py).
    "reversion",
    # Building blocks, then the two domain apps, then the features and pages above them
    # (docs/architecture.md says which may import which).
    "core",
    "alliances",
    "lessons",
    "browse",
    "search",
    "submissions",
    "signoff",
    "insights",
    "healthcheck",
    "pages",
    "sampledata",
    "archive",
    # Follow by email: subscriptions and their digests (top layer: it reuses browse's lists).
    "follows",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, which answers for static files without calling what lies below
    # it, so static files carry the same policy headers as pages (see "Content Security
    # Policy" below).
    "csp.middleware.CSPMiddleware",
    "core.security_headers.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for anonymous visitors, answered whole from the "pages" cache: below the
    # policy headers (a cached page carries them too) and WhiteNoise (static files never
    # read the content version), above everything a cached page can skip (core/page_cache.py).
    "core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL character in an address is answered before any view reads it
    # (core/request_checks.py); this deep, so its 400 page has the full template context.
    "core.request_checks.NulCharacterMiddleware",
    # Last, as axes asks: it turns a login refused for lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The CSRF token's placeholder in a page stored in the page cache.
                "core.page_cache.csrf_placeholder_context",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite in a local file by default, so the site runs with nothing else installed.
# WAL lets readers carry on while one writer writes; IMMEDIATE takes the write lock
# when a transaction starts, so concurrent writers queue (up to the timeout) instead
# of failing with "database is locked" halfway through.
SQLITE_PATH = Path(os.environ.get("DJANGO_SQLITE_PATH", BASE_DIR / "db.sqlite3"))
SQLITE_DATABASE: dict[str, Any] = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": SQLITE_PATH,
    # Each process keeps its connection, as with PostgreSQL below: opening one reads the
    # whole schema (triggers, search tables), which would cost a cached page most of its time.
    "CONN_MAX_AGE": 60,
    "OPTIONS": {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    },
    # Tests run on a real file too, so WAL and locking behave as they do in production;
    # one per test process, so two test runs on one machine never share a database.
    "TEST": {
        "NAME": Path(tempfile.gettempdir()) / f"uncommon-alliances-test-{os.getpid()}.sqlite3"
    },
}
if os.environ.get("DATABASE_URL"):
    DATABASES: dict[str, Any] = {
        "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)
    }
else:
    DATABASES = {"default": SQLITE_DATABASE}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Backup and restore: dumpdata's JSON keeps times to the microsecond, so a dump loads
# back exactly (core/serializers; the README's "Backup and restore").
SERIALIZATION_MODULES = {"json": "core.serializers.json", "jsonl": "core.serializers.jsonl"}

# Each process keeps its own small cache by default; with several machines, point
# DJANGO_CACHE_URL at a shared Redis (redis://host:6379/0). Cached counts are keyed by
# a content version the database changes on every write, so neither ever serves stale
# or unpublished counts (core/caching.py).
if os.environ.get("DJANGO_CACHE_URL"):
    CACHES: dict[str, Any] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["DJANGO_CACHE_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# The page cache (core/page_cache.py): whole public pages for anonymous visitors, keyed by
# address and content version, in a cache of their own so pages never push counts out.
# DJANGO_PAGE_CACHE=0 turns it off; in Redis when DJANGO_CACHE_URL is set (shared by every
# process), otherwise up to DJANGO_PAGE_CACHE_ENTRIES pages in each process's memory.
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", True)
if os.environ.get("DJANGO_CACHE_URL"):
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages", "TIMEOUT": 60 * 60 * 24}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": 60 * 60 * 24,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("DJANGO_PAGE_CACHE_ENTRIES", 500))},
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Tags are one tag whatever their case: "Trust" and "trust" are the same.
TAGGIT_CASE_INSENSITIVE = True

SITE_NAME = "Uncommon Alliances"

# Submissions: how many one address may send in an hour, and who hears about them.
SUBMISSIONS_PER_HOUR = int(os.environ.get("DJANGO_SUBMISSIONS_PER_HOUR", 5))
# The other anonymous writes, limited per address per hour the same way (core/ratelimit.py).
HEALTH_CHECKS_PER_HOUR = int(os.environ.get("DJANGO_HEALTH_CHECKS_PER_HOUR", 20))
VOTES_PER_HOUR = int(os.environ.get("DJANGO_VOTES_PER_HOUR", 60))
APPLIED_REPORTS_PER_HOUR = int(os.environ.get("DJANGO_APPLIED_REPORTS_PER_HOUR", 10))
# Follow by email (follows/): requests per client address, and per email address, an hour.
FOLLOWS_PER_HOUR = int(os.environ.get("DJANGO_FOLLOWS_PER_HOUR", 10))
FOLLOWS_PER_ADDRESS_PER_HOUR = int(os.environ.get("DJANGO_FOLLOWS_PER_ADDRESS_PER_HOUR", 5))
# How long a confirmation link works; unconfirmed requests are deleted then (purge_expired).
FOLLOW_CONFIRM_HOURS = int(os.environ.get("DJANGO_FOLLOW_CONFIRM_HOURS", 72))
# Digests list what was published this long ago or earlier: one committed mid-run goes next run.
FOLLOW_DIGEST_SETTLE_SECONDS = int(os.environ.get("DJANGO_FOLLOW_DIGEST_SETTLE_SECONDS", 60))
# Partner sign-off (signoff/): answers per client address an hour; how long a link works.
SIGNOFFS_PER_HOUR = int(os.environ.get("DJANGO_SIGNOFFS_PER_HOUR", 20))
SIGNOFF_LINK_DAYS = int(os.environ.get("DJANGO_SIGNOFF_LINK_DAYS", 180))
# How many proxies in front of the app servers append to X-Forwarded-For; 0 trusts none.
TRUSTED_PROXY_HOPS = int(os.environ.get("DJANGO_TRUSTED_PROXY_HOPS", 0))
CURATOR_EMAILS = env_list("DJANGO_CURATOR_EMAILS", [])

# Login lockout (django-axes): after LOGIN_FAILURE_LIMIT failed logins, further logins are
# refused for LOGIN_COOLOFF_MINUTES, counted from the latest attempt.
# - Two separate counts, either of which locks: one per username (guessing one account
#   from many addresses) and one per address (guessing many accounts from one address).
#   A single username-and-address pair would stop neither. The price: anyone can lock a
#   known username for the cool-off; an administrator unlocks it at once (README, Curating).
# - Counted in the database (axes' default handler), so the count holds across gunicorn
#   workers and machines; expired failures are deleted at the next login attempt.
# - The address is read exactly as the submission limit reads it, honouring
#   DJANGO_TRUSTED_PROXY_HOPS, so behind a load balancer it locks the visitor, not the balancer.
# - Successful logins are not logged (AccessLog): the site keeps no record of who signed in
#   from where; only recent failures are kept, and only until the cool-off ends.
LOGIN_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", 5))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", 30))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "admin/login_locked_out.html"

# Email: printed to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Uncommon Alliances <noreply@uncommon-alliances.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The mail outbox (core/mail.py): mail is queued with the change it tells about and sent
# after commit by a thread in the web process; `manage.py send_queued_mail` drains it too.
MAIL_SENDER_THREAD = env_bool("DJANGO_MAIL_SENDER_THREAD", True)
MAIL_MAX_ATTEMPTS = int(os.environ.get("DJANGO_MAIL_MAX_ATTEMPTS", 8))
# The address absolute links in emails start with (no trailing slash).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The open archive (archive/): where build_archive keeps its zips, how many, under which licence.
ARCHIVE_DIR = Path(os.environ.get("DJANGO_ARCHIVE_DIR", SQLITE_PATH.parent / "var" / "archive"))
ARCHIVE_KEEP = int(os.environ.get("DJANGO_ARCHIVE_KEEP", 3))
ARCHIVE_LICENSE = os.environ.get("DJANGO_ARCHIVE_LICENSE", "CC-BY-4.0")

# Production hardening: on whenever DEBUG is off, each switch overridable for a
# deployment that terminates TLS elsewhere.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is hard to undo and binds every subdomain: the domain's owner opts
        # in with DJANGO_SECURE_HSTS_PRELOAD, so its absence is not a deploy warning.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy and the other policy headers, on every response: pages, errors,
# the admin, the API and its docs, feeds and static files (the middleware sits above
# WhiteNoise). django-csp sends the policy; core.security_headers the rest. Every script
# and stylesheet is a file of ours under static/ (the admin's and the API docs' too), so
# nothing inline runs and no nonce is needed. Browsers post what the policy blocks to
# /csp-report/, which logs it on the "security.csp" logger (pages/csp_reports.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        # data: for the small images the admin's and Swagger UI's stylesheets embed.
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        # report-to for browsers with the Reporting API, report-uri for the others.
        "report-uri": [reverse_lazy("pages:csp-report")],
        "report-to": "csp",
    }
}
REPORTING_ENDPOINTS = {"csp": reverse_lazy("pages:csp-report")}
# Browser features no page of ours uses, allowed to no origin.
PERMISSIONS_POLICY_DENIED = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    # FLoC's name, before the Topics API replaced it; some browsers still read it.
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Privacy and retention (templates/pages/privacy.html says what is kept, and for how long).
# How long the hourly limit's records are kept before manage.py purge_expired deletes them:
# at least the hour they are counted over; a day leaves a margin for a late purge.
RATE_RECORDS_KEPT_HOURS = int(os.environ.get("DJANGO_RATE_RECORDS_KEPT_HOURS", 24))
# History (issue 12): how long a deleted item stays recoverable before purge_expired deletes
# its stored versions (which may hold a contributor's details).
HISTORY_DELETED_KEPT_DAYS = int(os.environ.get("DJANGO_HISTORY_DELETED_KEPT_DAYS", 30))
# Where visitors write to see, correct or erase what the site holds about them.
PRIVACY_CONTACT_EMAIL = os.environ.get("DJANGO_PRIVACY_CONTACT_EMAIL") or next(
    iter(CURATOR_EMAILS), ""
)

# Private links' secrets (status pages, health-check results) stay out of every log: the
# request log names the path of each 404 and 500, runserver's names every request, and
# anything else that reaches the console handler is redacted there too. gunicorn's access
# log is redacted by config/gunicorn.conf.py.
LOGGING.setdefault("filters", {})["private_links"] = {"()": "core.privacy.PrivateLinkFilter"}
LOGGING["handlers"]["console"]["filters"] = ["private_links"]
LOGGING.setdefault("formatters", {})["django.server"] = {
    "()": "django.utils.log.ServerFormatter",
    "format": "[{server_time}] {message}",
    "style": "{",
}
LOGGING["handlers"]["django.server"] = {
    "class": "logging.StreamHandler",
    "formatter": "django.server",
    "filters": ["private_links"],
}
LOGGING.setdefault("loggers", {}).update(
    {
        "django.request": {"filters": ["private_links"]},
        # Django's own settings for runserver's log, restated because naming a logger here
        # replaces its handlers.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    }
)
