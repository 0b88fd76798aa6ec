"""Adds, with today's code, what a real site holds besides the report and the sample.

Submissions waiting for review and a rejected one (through the real submission services,
so each leaves its submission-limit record), tags shared by lessons and case studies
(one of them non-ASCII), a case study that hides its partners' names, two health checks
(the second compared with the first), a curator in a group with permissions, admin log
entries, a session, and rows deleted again so that ids have gaps a restore must keep.

Run by tests/test_backup.py with the checkout as the working directory:

    python tests/backup/add_data.py

It prints, as JSON in the form tests/upgrade/snapshot.py reads, the private links, what
must never be shown, and the searches and tags to compare.
"""

import json
import os
import sys

# Import the checkout (the working directory), not this file's directory.
sys.path[0] = os.getcwd()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Curators' emails would be printed with the JSON; this run sends none.
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

from django.contrib.admin.models import CHANGE, LogEntry  # noqa: E402
from django.contrib.auth.models import Group, Permission, User  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from taggit.models import Tag  # noqa: E402

from alliances.models import Organisation, Partnership, Role  # noqa: E402
from core.moderation import ModerationStatus  # noqa: E402
from core.sectors import Sector  # noqa: E402
from healthcheck.scoring import (  # noqa: E402
    health_check_create,
    overall_score,
    theme_questions,
    theme_scores,
)
from lessons.models import Experience, Lesson, Theme  # noqa: E402
from submissions.services import lesson_submit, partnership_submit  # noqa: E402

SHARED_TAG = "watershed stewardship"
ACCENTED_TAG = "Égalité des partenaires"
HIDDEN_PARTNER = "Quorvane Holdings"
# Text a dump must carry exactly: line endings, tabs, accents, emoji, markup, quotes.
AWKWARD_TEXT = "Line one\r\nline two\ttabbed — café, 水, 🚰, <b>\"bold\"</b> & 'quoted' \\ end  "


def contributor(name):
    return {
        "contributor_name": name,
        "contributor_organisation": f"{name}'s cooperative",
        "contributor_sector": Sector.CIVIL_SOCIETY,
        "contributor_email": f"{name.split()[0].lower()}@example.org",
    }


def lesson_data(title, **fields):
    return {
        "title": title,
        "context": f"Water kiosks needed trust with local partners. {title}.",
        "insight": "Trust was built slowly, one meeting at a time.",
        "recommendation": "Agree early who pays for repairs.",
        "experience": Experience.WENT_WRONG,
        **fields,
    }


def partnership_data(name, **fields):
    return {
        "name": name,
        "summary": f"{name}: water, trust and local partners.",
        "story": "A story of water points kept running by local partners.",
        "countries": "Kenya",
        "status": "active",
        "outcome": "mixed",
        **fields,
    }


def answers_for(keys, pattern):
    return {key: pattern[i % len(pattern)] for i, key in enumerate(keys)}


def gaps(themes):
    """Rows made and deleted again, so that the next ids skip some."""
    for model, fields in (
        (Tag, {"name": "short-lived tag", "slug": "short-lived-tag"}),
        (
            Organisation,
            {"name": "Short-lived Org", "slug": "short-lived-org", "sector": "business"},
        ),
    ):
        model.objects.create(**fields).delete()
    gone = Lesson.objects.create(slug="short-lived-lesson", **lesson_data("Short-lived lesson"))
    gone.themes.set(themes[:3])
    gone.tags.add("short-lived lesson tag")
    gone.delete()
    Tag.objects.filter(name="short-lived lesson tag").delete()


def curators(lesson, partnership):
    """A curator in a group with permissions, a superuser, their admin log and a session."""
    group = Group.objects.create(name="Curators")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["lessons", "alliances"])
    )
    curator = User.objects.create_user(
        "curator", "curator@example.org", "a-long-test-password", is_staff=True
    )
    curator.groups.add(group)
    curator.user_permissions.add(Permission.objects.get(codename="view_healthcheck"))
    admin = User.objects.create_superuser("admin", "admin@example.org", "another-test-password")
    for user, item, message in (
        (curator, lesson, "Published it."),
        (admin, partnership, "Rejected: it repeats a published case study."),
    ):
        LogEntry.objects.create(
            user=user,
            content_type=ContentType.objects.get_for_model(item),
            object_id=str(item.pk),
            object_repr=str(item)[:200],
            action_flag=CHANGE,
            change_message=message,
        )
    session = SessionStore()
    session["helped"] = [lesson.pk]
    session.create()


@transaction.atomic
def main():
    themes = list(Theme.objects.order_by("number"))
    gaps(themes)
    sample_org = Organisation.objects.order_by("name").first()
    common_tag = (
        Tag.objects.exclude(name__in=["trust", "water"])
        .annotate(uses=Count("lessons_taggedlesson_items", distinct=True))
        .order_by("-uses", "name")
        .first()
    )
    address = "203.0.113.7"

    pending_lesson = lesson_submit(
        data=lesson_data(
            "Quillwort kiosks: a pending lesson about water and trust",
            evidence=AWKWARD_TEXT,
            **contributor("Amina Quillwort"),
        ),
        themes=themes[:2],
        tags=[common_tag.name, "quillwort"],
        address=address,
    )
    rejected_lesson = lesson_submit(
        data=lesson_data(
            "Zorbitane pumps: a rejected lesson about water and trust",
            **contributor("Jonas Zorbitane"),
        ),
        themes=themes[2:3],
        tags=["zorbitane"],
        address="198.51.100.23",
    )
    Lesson.objects.filter(pk=rejected_lesson.pk).reject("It repeats a lesson already published.")
    pending_partnership = partnership_submit(
        data=partnership_data(
            "Quillbrook water trust (pending case study)",
            publish_anonymously=True,
            **contributor("Rosa Quillbrook"),
        ),
        partners=[
            {"name": "Quillbrook Water Board", "sector": Sector.GOVERNMENT, "role": Role.LEAD},
            {"name": sample_org.name, "sector": sample_org.sector, "role": Role.FUNDER},
        ],
        tags=[SHARED_TAG, "quillbrook"],
        address=address,
    )
    hidden_names = partnership_submit(
        data=partnership_data(
            "Lake basin water partnership with partners unnamed",
            hide_partner_names=True,
            story=AWKWARD_TEXT,
        ),
        partners=[
            {"name": HIDDEN_PARTNER, "sector": Sector.BUSINESS, "role": Role.LEAD},
            {"name": sample_org.name, "sector": sample_org.sector, "role": Role.IMPLEMENTER},
        ],
        tags=[SHARED_TAG, ACCENTED_TAG],
        address="192.0.2.44",
    )
    Partnership.objects.filter(pk=hidden_names.pk).publish()
    tagged_lesson = lesson_submit(
        data=lesson_data(
            "Shared watershed tags keep local partners honest", partnership=hidden_names
        ),
        themes=themes[3:5],
        tags=[SHARED_TAG, common_tag.name, "Local Partners", ACCENTED_TAG],
        address="192.0.2.44",
    )
    Lesson.objects.filter(pk=tagged_lesson.pk).publish()
    # A theme taken off again: the lesson-theme table has a gap too.
    tagged_lesson.themes.add(themes[6])
    tagged_lesson.themes.remove(themes[6])

    keys = [key for _, questions in theme_questions(themes) for key, _ in questions]
    by_theme = [(t.slug, [k for k, _ in q]) for t, q in theme_questions(themes)]
    first_answers = answers_for(keys, ["red", "amber", "green", "red"])
    first = health_check_create(
        answers=first_answers,
        scores=theme_scores(by_theme, first_answers),
        address="192.0.2.1",
    )
    second_answers = answers_for(keys, ["green", "amber", "green"])
    second = health_check_create(
        answers=second_answers,
        scores=theme_scores(by_theme, second_answers),
        address="192.0.2.1",
        compared_with=first,
    )
    curators(tagged_lesson, pending_partnership)

    named = (
        Organisation.objects.filter(
            participations__partnership__moderation_status=ModerationStatus.PUBLISHED,
            participations__partnership__hide_partner_names=False,
        )
        .annotate(shown_in=Count("participations__partnership", distinct=True))
        .order_by("-shown_in", "name")
        .first()
    )
    hidden = [pending_lesson, rejected_lesson, pending_partnership]
    shared_slug = Tag.objects.get(name=SHARED_TAG).slug
    accented_slug = Tag.objects.get(name=ACCENTED_TAG).slug
    return {
        "searches": [
            {"q": "water"},
            {"q": "trust"},
            {"q": '"local partners"'},
            {"q": f'"{named.name}"'},
            {"q": common_tag.name},
            {"q": f'"{SHARED_TAG}"'},
            {"q": "égalité"},
            {"q": "trust", "kind": "lesson", "experience": "went_wrong"},
            {"q": "water", "kind": "partnership"},
        ],
        # Words only unpublished items hold, and a partner whose name is hidden.
        "searches finding nothing": [
            {"q": "quillwort"},
            {"q": "zorbitane"},
            {"q": "quillbrook"},
            {"q": "quorvane"},
        ],
        "tags": [common_tag.slug, shared_slug, accented_slug],
        "never_shown": [str(item) for item in hidden] + [HIDDEN_PARTNER, "Quillbrook Water Board"],
        "status_tokens": {
            "pending lesson": pending_lesson.status_token,
            "pending case study": pending_partnership.status_token,
            "rejected lesson": rejected_lesson.status_token,
        },
        "health_checks": {"first": first.token, "second": second.token},
        "health_check_overall": {
            "first": overall_score(first.scores),
            "second": overall_score(second.scores),
        },
        "pages": {
            tagged_lesson.get_absolute_url(): 200,
            hidden_names.get_absolute_url(): 200,
            f"/tags/{shared_slug}/": 200,
            f"/tags/{accented_slug}/": 200,
            pending_lesson.get_absolute_url(): 404,
            rejected_lesson.get_absolute_url(): 404,
            pending_partnership.get_absolute_url(): 404,
            f"/organisations/{Organisation.objects.get(name=HIDDEN_PARTNER).slug}/": 404,
            "/organisations/quillbrook-water-board/": 404,
        },
    }


if __name__ == "__main__":
    json.dump(main(), sys.stdout, indent=2, sort_keys=True)
