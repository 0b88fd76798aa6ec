"""Print, as JSON, what a site shows the public: the HTML of every page type and the API.

Run by test_round_trip.py in another process against a site's own database (its
DJANGO_SQLITE_PATH or DATABASE_URL). Which items are read is chosen by slug from the
published content, so two sites holding the same public content read the same pages.
Each page is kept whole (its CSRF token taken out: it differs per visitor).
"""

import hashlib
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from taggit.models import Tag  # noqa: E402

from alliances.models import Organisation, Partnership  # noqa: E402
from lessons.models import Lesson, Theme  # noqa: E402
from lessons.selectors import tags_in_use  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
PER_KIND = 5


def paths() -> list[str]:
    lessons = list(Lesson.objects.published().order_by("slug")[:PER_KIND])
    partnerships = list(Partnership.objects.published().order_by("slug")[:PER_KIND])
    hidden = list(Partnership.objects.published().filter(hide_partner_names=True)[:2])
    organisations = list(
        Organisation.objects.with_published_partnerships().order_by("slug")[:PER_KIND]
    )
    tags = list(tags_in_use().order_by("slug")[:PER_KIND])
    themes = list(Theme.objects.order_by("number"))
    words = ["trust", "water", "partnership", "funding"]
    found = [
        "/",
        "/themes/",
        "/lessons/",
        "/lessons/?page=3",
        "/lessons/?experience=went_wrong&sort=helpful",
        "/lessons/?sector=business",
        "/partnerships/",
        "/partnerships/?region=africa",
        "/partnerships/?outcome=mixed&sort=name",
        "/tags/",
        "/insights/",
        "/sitemap.xml",
        "/sitemap-lessons.xml",
        "/sitemap-partnerships.xml",
        "/feeds/lessons/",
        "/feeds/partnerships/",
        "/api/v1/themes",
        "/api/v1/tags?page_size=100",
        "/api/v1/lessons?page_size=100",
        "/api/v1/lessons?page_size=100&sort=helpful",
        "/api/v1/partnerships?page_size=100",
        "/api/v1/partnerships?page_size=100&sector=business",
        *(f"/search/?{urlencode({'q': word})}" for word in words),
    ]
    for theme in themes:
        found += [theme.get_absolute_url(), f"/lessons/?theme={theme.slug}"]
        found += [f"/api/v1/themes/{theme.slug}", f"/feeds/themes/{theme.slug}/"]
    for item in [*lessons, *partnerships, *hidden, *organisations]:
        found.append(item.get_absolute_url())
    found += [f"/api/v1/lessons/{lesson.slug}" for lesson in lessons]
    found += [f"/api/v1/partnerships/{item.slug}" for item in [*partnerships, *hidden]]
    found += [f"/api/v1/organisations/{item.slug}" for item in organisations]
    for tag in tags:
        found += [f"/tags/{tag.slug}/", f"/api/v1/tags/{tag.slug}", f"/lessons/?tag={tag.slug}"]
    assert Tag.objects.exists()
    return found


def main() -> None:
    client = Client()
    pages = {}
    for path in paths():
        response = client.get(path)
        text = CSRF.sub("", response.getvalue().decode())
        pages[path] = {
            "status": response.status_code,
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "text": text,
        }
    json.dump(pages, sys.stdout)


if __name__ == "__main__":
    main()
