"""Small builders for test data: plain functions, sensible defaults, keyword overrides."""

import itertools

from django.utils import timezone
from django.utils.text import slugify

from alliances.models import (
    Organisation,
    Outcome,
    Participation,
    Partnership,
    Sector,
    Status,
)
from core.moderation import ModerationStatus
from lessons.models import Experience, Lesson, Theme

_sequence = itertools.count(1)


def _unique(prefix):
    return f"{prefix} {next(_sequence)}"


def make_theme(**fields):
    number = fields.pop("number", None) or 100 + next(_sequence)
    title = fields.pop("title", None) or _unique("Theme")
    defaults = {
        "slug": slugify(title),
        "summary": f"Summary of {title}",
        "text": f"Report text for {title}.",
    }
    return Theme.objects.create(number=number, title=title, **{**defaults, **fields})


def make_organisation(**fields):
    name = fields.pop("name", None) or _unique("Organisation")
    defaults = {"slug": slugify(name), "sector": Sector.CIVIL_SOCIETY}
    return Organisation.objects.create(name=name, **{**defaults, **fields})


def make_partnership(*, partners=(), tags=(), moderation=ModerationStatus.PUBLISHED, **fields):
    """A case study, published unless `moderation` says otherwise.

    `moderation` is the moderation status (published, pending, rejected); `status` is the
    case study's own field (forming, active, concluded, dissolved), like any other field.
    `partners` are (organisation, role) pairs.
    """
    name = fields.pop("name", None) or _unique("Partnership")
    defaults = {
        "slug": slugify(name),
        "summary": f"Summary of {name}",
        "status": Status.ACTIVE,
        "outcome": Outcome.ON_TRACK,
        "moderation_status": moderation,
        "published_at": timezone.now() if moderation == ModerationStatus.PUBLISHED else None,
    }
    partnership = Partnership.objects.create(name=name, **{**defaults, **fields})
    for organisation, role in partners:
        Participation.objects.create(partnership=partnership, organisation=organisation, role=role)
    if tags:
        partnership.tags.add(*tags)
    return partnership


def make_lesson(*, themes=(), tags=(), moderation=ModerationStatus.PUBLISHED, **fields):
    """A lesson, published unless `moderation` (its moderation status) says otherwise."""
    title = fields.pop("title", None) or _unique("Lesson")
    defaults = {
        "slug": slugify(title),
        "context": f"What happened in {title}",
        "insight": f"The insight of {title}",
        "recommendation": f"The recommendation of {title}",
        "experience": Experience.WORKED,
        "moderation_status": moderation,
        "published_at": timezone.now() if moderation == ModerationStatus.PUBLISHED else None,
    }
    lesson = Lesson.objects.create(title=title, **{**defaults, **fields})
    lesson.themes.set(themes)
    if tags:
        lesson.tags.add(*tags)
    return lesson
