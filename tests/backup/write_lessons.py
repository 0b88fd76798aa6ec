"""Writes lessons until stopped, the way the site is written to: the site at work.

Run by tests/test_backup.py while it backs up the SQLite database underneath:

    python tests/backup/write_lessons.py SECONDS

Turn about: a visitor's submission, posted to the lesson form through the site's own
views, middleware and submission service (pending, its themes, tags, submission-limit
record and curators' email queued in one transaction; its title holds "kestrelsubmit"),
and a published, tagged lesson (its title holds "kestrelwrite", its tag "kestreltag", so
a search in a backup must find exactly the published ones the backup holds). Stops after
SECONDS at the latest.
"""

import os
import sys
import time

# Import the checkout (the working directory), not this file's directory.
sys.path[0] = os.getcwd()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.moderation import ModerationStatus  # noqa: E402
from lessons.models import Experience, Lesson, Theme  # noqa: E402

# Each submission from an address of its own, so the hourly limit never turns one away.
settings.SUBMISSIONS_PER_HOUR = 10**6
settings.MAIL_SENDER_THREAD = False


def submit(client, themes, number):
    """One visitor's lesson, posted to the form; fails loudly unless it was stored."""
    response = client.post(
        "/submit/lesson/",
        {
            "title": f"Kestrelsubmit lesson {os.getpid()} {number}",
            "context": "Sent in while a backup was being taken.",
            "insight": "A backup is one moment of the database.",
            "recommendation": "Back up with SQLite's online backup.",
            "experience": "worked",
            "themes": [themes[0].pk],
            "tags": "kestrelsubmitted",
            "contributor_name": "Kestrel Example",
            "contributor_email": "kestrel@example.org",
            "website": "",
        },
        REMOTE_ADDR=f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}",
    )
    if response.status_code != 302:
        raise SystemExit(f"The submission form answered {response.status_code}, not a redirect.")


def main(seconds):
    themes = list(Theme.objects.order_by("number")[:2])
    client = Client()
    stop_at = time.monotonic() + seconds
    number = 0
    while time.monotonic() < stop_at:
        number += 1
        submit(client, themes, number)
        with transaction.atomic():
            lesson = Lesson.objects.create(
                title=f"Kestrelwrite lesson {number}",
                slug=f"kestrelwrite-{os.getpid()}-{number}",
                context="Written while a backup was being taken.",
                insight="A backup is one moment of the database.",
                recommendation="Back up with SQLite's online backup.",
                experience=Experience.WORKED,
                moderation_status=ModerationStatus.PUBLISHED,
                published_at=timezone.now(),
            )
            lesson.themes.set(themes)
            lesson.tags.add("kestreltag")


if __name__ == "__main__":
    main(float(sys.argv[1]))
