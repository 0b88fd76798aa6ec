"""Adds, with the OLD code's models, what a real database holds besides the report and the
sample: submissions waiting for review, a rejected one, tags shared by a lesson and a case
study, a case study that hides its partners' names, and two health checks.

Run by tests/test_upgrade.py with the old tree as the working directory:

    python tests/upgrade/add_old_data.py

It prints, as JSON, what the snapshots need to know about these rows: the private links,
the titles that must never be found, and the searches and tags to compare. It only ever
runs against the code of the base commit, so it may use that code's models freely.
"""

import json
import os
import sys

# Import the tree this runs in (the working directory), not this file's directory.
sys.path[0] = os.getcwd()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from collections import Counter  # noqa: E402

from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag  # noqa: E402

from alliances.models import (  # noqa: E402
    Organisation,
    Outcome,
    Participation,
    Partnership,
    Role,
    Status,
)
from alliances.moderation import ModerationStatus, new_status_token  # noqa: E402
from alliances.sectors import Sector  # noqa: E402
from lessons import healthcheck  # noqa: E402
from lessons.models import Experience, Lesson, Theme  # noqa: E402

PUBLISHED, PENDING, REJECTED = (
    ModerationStatus.PUBLISHED,
    ModerationStatus.PENDING,
    ModerationStatus.REJECTED,
)
SHARED_TAG = "watershed stewardship"
HIDDEN_PARTNER = "Quorvane Holdings"


def contributor(name):
    return {
        "contributor_name": name,
        "contributor_organisation": f"{name}'s cooperative",
        "contributor_sector": Sector.CIVIL_SOCIETY,
        "contributor_email": f"{name.split()[0].lower()}@example.org",
    }


def lesson(title, slug, status, themes, tags=(), **fields):
    item = Lesson(
        title=title,
        slug=slug,
        context=f"Water kiosks needed trust with local partners. {title}.",
        insight="Trust was built slowly, one meeting at a time.",
        recommendation="Agree early who pays for repairs.",
        experience=Experience.WENT_WRONG,
        moderation_status=status,
        **fields,
    )
    item.full_clean()
    item.save()
    item.themes.set(themes)
    if tags:
        item.tags.add(*tags)
    return item


def partnership(name, slug, status, partners, tags=(), **fields):
    item = Partnership(
        name=name,
        slug=slug,
        summary=f"{name}: water, trust and local partners.",
        story="A story of water points kept running by local partners.",
        countries="Kenya",
        status=Status.ACTIVE,
        outcome=Outcome.MIXED,
        moderation_status=status,
        **fields,
    )
    item.full_clean()
    item.save()
    for organisation, role in partners:
        Participation.objects.create(partnership=item, organisation=organisation, role=role)
    if tags:
        item.tags.add(*tags)
    return item


def answers_for(keys, pattern):
    return {key: pattern[i % len(pattern)] for i, key in enumerate(keys)}


@transaction.atomic
def main():
    themes = list(Theme.objects.order_by("number"))
    sample_org = Organisation.objects.order_by("name").first()
    # The tag most lessons carry, other than words searched for anyway.
    common_tag = (
        Tag.objects.exclude(name__in=["trust", "water"])
        .annotate(uses=Count("lessons_taggedlesson_items", distinct=True))
        .order_by("-uses", "name")
        .first()
    )

    pending_lesson = lesson(
        "Quillwort kiosks: a pending lesson about water and trust",
        "upgrade-pending-lesson",
        PENDING,
        themes[:2],
        tags=[common_tag.name, "quillwort"],
        status_token=new_status_token(),
        **contributor("Amina Quillwort"),
    )
    rejected_lesson = lesson(
        "Zorbitane pumps: a rejected lesson about water and trust",
        "upgrade-rejected-lesson",
        REJECTED,
        themes[2:3],
        tags=["zorbitane"],
        status_token=new_status_token(),
        rejection_reason="It repeats a lesson already published.",
        **contributor("Jonas Zorbitane"),
    )
    new_partner = Organisation.objects.create(
        name="Quillbrook Water Board", slug="quillbrook-water-board", sector=Sector.GOVERNMENT
    )
    pending_partnership = partnership(
        "Quillbrook water trust (pending case study)",
        "upgrade-pending-partnership",
        PENDING,
        [(new_partner, Role.LEAD), (sample_org, Role.FUNDER)],
        tags=[SHARED_TAG, "quillbrook"],
        status_token=new_status_token(),
        publish_anonymously=True,
        **contributor("Rosa Quillbrook"),
    )
    hidden_partner = Organisation.objects.create(
        name=HIDDEN_PARTNER, slug="quorvane-holdings", sector=Sector.BUSINESS, country="Kenya"
    )
    hidden_names = partnership(
        "Lake basin water partnership with partners unnamed",
        "upgrade-hidden-partners",
        PUBLISHED,
        [(hidden_partner, Role.LEAD), (sample_org, Role.IMPLEMENTER)],
        tags=[SHARED_TAG],
        hide_partner_names=True,
        published_at=timezone.now(),
    )
    tagged_lesson = lesson(
        "Shared watershed tags keep local partners honest",
        "upgrade-shared-tags",
        PUBLISHED,
        themes[3:5],
        tags=[SHARED_TAG, common_tag.name, "Local Partners"],
        partnership=hidden_names,
        published_at=timezone.now(),
    )

    keys = [key for _, questions in healthcheck.theme_questions(themes) for key, _ in questions]
    by_theme = [(t.slug, [k for k, _ in q]) for t, q in healthcheck.theme_questions(themes)]
    first_answers = answers_for(keys, ["red", "amber", "green", "red"])
    first = healthcheck.health_check_create(
        answers=first_answers, scores=healthcheck.theme_scores(by_theme, first_answers)
    )
    second_answers = answers_for(keys, ["green", "amber", "green"])
    second = healthcheck.health_check_create(
        answers=second_answers,
        scores=healthcheck.theme_scores(by_theme, second_answers),
        compared_with=first,
    )

    # What to search for: words of the sample and of the rows above, a partner named in
    # the most published case studies, a common tag and the most common country.
    named = (
        Organisation.objects.filter(
            participations__partnership__moderation_status=PUBLISHED,
            participations__partnership__hide_partner_names=False,
        )
        .annotate(shown_in=Count("participations__partnership", distinct=True))
        .order_by("-shown_in", "name")
        .first()
    )
    countries = Counter(
        country.strip()
        for text in Partnership.objects.filter(moderation_status=PUBLISHED).values_list(
            "countries", flat=True
        )
        for country in text.split(",")
        if country.strip()
    )
    country = sorted(countries.items(), key=lambda item: (-item[1], item[0]))[0][0]
    searches = [
        {"q": "water"},
        {"q": "trust"},
        {"q": '"local partners"'},
        {"q": f'"{named.name}"'},
        {"q": common_tag.name},
        {"q": country},
        {"q": f'"{SHARED_TAG}"'},
        {"q": "trust", "kind": "lesson", "experience": "went_wrong"},
        {"q": "water", "kind": "partnership"},
    ]
    # Words only unpublished items hold, and a partner whose name is hidden: never found.
    searches_finding_nothing = [
        {"q": "quillwort"},
        {"q": "zorbitane"},
        {"q": "quillbrook"},
        {"q": "quorvane"},
    ]
    hidden = [pending_lesson, rejected_lesson, pending_partnership]
    shared_slug = Tag.objects.get(name=SHARED_TAG).slug
    return {
        "searches": searches,
        "searches finding nothing": searches_finding_nothing,
        "tags": [common_tag.slug, shared_slug],
        "hidden_titles": [str(item) for item in hidden],
        "never_shown": [str(item) for item in hidden] + [HIDDEN_PARTNER, new_partner.name],
        "status_tokens": {
            "pending lesson": pending_lesson.status_token,
            "pending case study": pending_partnership.status_token,
            "rejected lesson": rejected_lesson.status_token,
        },
        "health_checks": {"first": first.token, "second": second.token},
        "health_check_overall": {
            "first": healthcheck.overall_score(first.scores),
            "second": healthcheck.overall_score(second.scores),
        },
        "pages": {
            "/lessons/upgrade-shared-tags/": 200,
            "/partnerships/upgrade-hidden-partners/": 200,
            f"/tags/{shared_slug}/": 200,
            "/lessons/upgrade-pending-lesson/": 404,
            "/lessons/upgrade-rejected-lesson/": 404,
            "/partnerships/upgrade-pending-partnership/": 404,
            "/organisations/quorvane-holdings/": 404,
            "/organisations/quillbrook-water-board/": 404,
        },
        "shared tag on": [tagged_lesson.slug, hidden_names.slug],
    }


if __name__ == "__main__":
    json.dump(main(), sys.stdout, indent=2, sort_keys=True)
