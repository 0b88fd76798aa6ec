"""Writes published, tagged lessons one transaction at a time until stopped: the site at work.

Run by tests/test_backup.py while it backs up the SQLite database underneath:

    python tests/backup/write_lessons.py SECONDS

Each lesson's title holds the word "kestrelwrite" and each carries the tag "kestreltag",
so a search in a backup must find exactly the lessons the backup holds. Stops after
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

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.moderation import ModerationStatus  # noqa: E402
from lessons.models import Experience, Lesson, Theme  # noqa: E402


def main(seconds):
    themes = list(Theme.objects.order_by("number")[:2])
    stop_at = time.monotonic() + seconds
    number = 0
    while time.monotonic() < stop_at:
        number += 1
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
