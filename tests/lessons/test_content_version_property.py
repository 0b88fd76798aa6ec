"""Over random sequences of writes, the content version moves exactly when a fact a visitor
can see changes.

What a visitor can see (`public_state`) is read here independently of the triggers: the
published lessons and case studies with every column (but the "this helped me" count),
their themes, tags and partners, the organisations and tags those name, the case study
a published lesson's credit reads (published or not) with its partners, and the themes.
Writes go through the services the forms, the admin and "this helped me" call.
"""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from hypothesis import HealthCheck, event, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from taggit.models import Tag

from alliances.models import Organisation, Participation, Partnership, Role, Sector
from core.caching import content_version
from core.moderation import ModerationStatus
from core.services import contributor_erase, moderation_publish, moderation_reject
from lessons.models import Lesson, Theme
from lessons.services import lesson_mark_helpful
from submissions.services import lesson_submit, partnership_submit
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db

PUBLISHED = ModerationStatus.PUBLISHED
TAGS = ["water", "trust", "health", "secret"]
_names = itertools.count(1)
_addresses = itertools.count(1)


def _address():
    return f"2001:db8::{next(_addresses):x}"


def _rows(queryset, *, leave_out=()):
    return {
        row["id"]: {key: value for key, value in row.items() if key not in leave_out}
        for row in queryset.values()
    }


def public_state():
    """Every fact a visitor can see, as plain data."""
    lessons = Lesson.objects.published()
    credited = Partnership.objects.filter(
        Q(moderation_status=PUBLISHED)
        | Q(pk__in=lessons.exclude(partnership=None).values("partnership"))
    )
    partners = Participation.objects.filter(partnership__in=credited).order_by("pk")
    return {
        "lessons": _rows(lessons, leave_out={"helpful_count"}),
        "lesson themes": sorted(lessons.values_list("pk", "themes")),
        "lesson tags": sorted(lessons.values_list("pk", "tags__name", "tags__slug")),
        "partnerships": _rows(credited),
        "partnership tags": sorted(
            credited.filter(moderation_status=PUBLISHED).values_list(
                "pk", "tags__name", "tags__slug"
            )
        ),
        "partners": list(partners.values("partnership", "role", "contribution", "organisation")),
        "organisations": _rows(Organisation.objects.filter(participations__in=partners).distinct()),
        "themes": _rows(Theme.objects.all()),
    }


# The writes -------------------------------------------------------------------------


def _pick(data, queryset):
    rows = list(queryset.order_by("pk"))
    return data.draw(st.sampled_from(rows), label=queryset.model.__name__) if rows else None


def _item(data):
    model = data.draw(st.sampled_from([Lesson, Partnership]), label="kind")
    return _pick(data, model.objects.all())


def submit_lesson(data, curator):
    lesson_submit(
        data={
            "title": f"Submitted {next(_names)}",
            "context": "c",
            "insight": "i",
            "recommendation": "r",
            "experience": "worked",
        },
        themes=[_pick(data, Theme.objects.all())],
        tags=data.draw(st.lists(st.sampled_from([*TAGS, "brand-new"]), max_size=2)),
        address=_address(),
    )


def submit_case_study(data, curator):
    names = [*Organisation.objects.values_list("name", flat=True)[:3], "New Partner"]
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
    partnership_submit(
        data={
            "name": f"Submitted {next(_names)}",
            "summary": "s",
            "status": "active",
            "outcome": "mixed",
        },
        partners=[{"name": name, "sector": Sector.BUSINESS, "role": Role.LEAD} for name in chosen],
        tags=data.draw(st.lists(st.sampled_from([*TAGS, "brand-new"]), max_size=2)),
        address=_address(),
    )


def publish(data, curator):
    if item := _item(data):
        moderation_publish(items=type(item).objects.filter(pk=item.pk), by=curator)


def reject(data, curator):
    if item := _item(data):
        moderation_reject(items=type(item).objects.filter(pk=item.pk), reason="No", by=curator)


def edit(data, curator):
    if item := _item(data):
        field = "title" if isinstance(item, Lesson) else "name"
        setattr(item, field, f"Edited {next(_names)}")
        item.save()


def delete(data, curator):
    if item := _item(data):
        item.delete()


def tag(data, curator):
    if item := _item(data):
        name = data.draw(st.sampled_from(TAGS), label="tag")
        if data.draw(st.booleans(), label="add"):
            item.tags.add(name)
        else:
            item.tags.remove(name)


def theme_link(data, curator):
    lesson, theme = _pick(data, Lesson.objects.all()), _pick(data, Theme.objects.all())
    if lesson and data.draw(st.booleans(), label="add"):
        lesson.themes.add(theme)
    elif lesson:
        lesson.themes.remove(theme)


def partner(data, curator):
    partnership = _pick(data, Partnership.objects.all())
    organisation = _pick(data, Organisation.objects.all())
    if partnership and data.draw(st.booleans(), label="add"):
        Participation.objects.get_or_create(
            partnership=partnership, organisation=organisation, role=Role.ADVISER
        )
    elif partnership:
        Participation.objects.filter(partnership=partnership, organisation=organisation).delete()


def credit_from(data, curator):
    lesson = _pick(data, Lesson.objects.all())
    if lesson:
        lesson.partnership = _pick(data, Partnership.objects.all())
        lesson.save()


def vote(data, curator):
    if lesson := _pick(data, Lesson.objects.published()):
        lesson_mark_helpful(lesson=lesson, address=_address())


def rename_organisation(data, curator):
    organisation = _pick(data, Organisation.objects.all())
    organisation.name = f"Renamed {next(_names)}"
    organisation.save()


def rename_tag(data, curator):
    if found := _pick(data, Tag.objects.all()):
        found.name = f"{found.name}-{next(_names)}"
        found.save()


def edit_theme(data, curator):
    theme = _pick(data, Theme.objects.all())
    Theme.objects.filter(pk=theme.pk).update(summary=f"Changed {next(_names)}")


def erase_contributor(data, curator):
    if item := _item(data):
        contributor_erase(items=[item], by=curator)


WRITES = [
    submit_lesson,
    submit_case_study,
    publish,
    reject,
    edit,
    delete,
    tag,
    theme_link,
    partner,
    credit_from,
    vote,
    rename_organisation,
    rename_tag,
    edit_theme,
    erase_contributor,
]


def starting_content():
    """A little of everything: each kind in every moderation state, one credited."""
    themes = [make_theme(), make_theme()]
    statuses = len(ModerationStatus.values)
    organisations = [make_organisation(sector=sector) for sector in Sector.values[:statuses]]
    partnerships = [
        make_partnership(
            moderation=moderation,
            tags=[TAGS[n]],
            partners=[(organisations[n], Role.LEAD)],
            contributor_name="Ada",
            contributor_email="ada@example.org",
        )
        for n, moderation in enumerate(ModerationStatus.values)
    ]
    for n, moderation in enumerate(ModerationStatus.values):
        make_lesson(
            moderation=moderation,
            themes=themes[: n + 1],
            tags=TAGS[n : n + 2],
            partnership=partnerships[1 - n % 2],
            contributor_name="Bo",
        )


@hypothesis_settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_version_moves_exactly_when_what_visitors_see_changes(settings, data):
    settings.SUBMISSIONS_PER_HOUR = settings.VOTES_PER_HOUR = 1000
    with transaction.atomic():
        # No password: hashing one would cost more than the whole example.
        curator = get_user_model().objects.create(username="c", is_staff=True, is_superuser=True)
        starting_content()
        for _ in range(data.draw(st.integers(min_value=1, max_value=15), label="steps")):
            write = data.draw(st.sampled_from(WRITES), label="write")
            before, version = public_state(), content_version()
            write(data, curator)
            seen = public_state() != before
            note(f"{write.__name__}: seen={seen}")
            event(f"{write.__name__}: seen={seen}")
            assert (content_version() != version) == seen, write.__name__
        transaction.set_rollback(True)
