"""What `dumpdata` writes, `loaddata` reads back the same: every value, every natural key.

tests/test_backup.py runs the README's whole procedure on a built site; these check the
two parts it rests on, for every model and over many values.
"""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.core import serializers
from django.db import transaction
from hypothesis import HealthCheck as Hypothesis
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from alliances.models import Partnership, Role, TaggedPartnership
from core.models import SubmissionRecord
from healthcheck.models import HealthCheck
from lessons.models import Lesson, Quote, Source, TaggedLesson
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

# taggit's generic tagged item, keyed by object id alone: unused here (every tag goes
# through TaggedLesson or TaggedPartnership), so it has no rows to find.
UNUSED = {"taggit.taggeditem"}


@pytest.fixture
def one_of_each(db):
    """A row of every model that has a natural key, through the ways the site makes them."""
    theme = make_theme(title="Work to Build Trust", number=3)
    source = Source.objects.create(title="The 2012 report", slug="report-2012")
    Quote.objects.create(slug="a-quote", text="Trust.", speaker="A. Speaker", source=source)
    partnership = make_partnership(
        name="Water for Towns",
        partners=[(make_organisation(name="Pumps plc"), Role.FUNDER)],
        tags=["water", "Trust"],
    )
    make_lesson(title="Agree early", themes=[theme], tags=["Trust"], partnership=partnership)
    group = Group.objects.create(name="Curators")
    group.permissions.set(Permission.objects.filter(codename__endswith="_lesson"))
    User.objects.create_user("curator").groups.add(group)


def test_every_row_of_a_model_with_a_natural_key_is_found_by_that_key(one_of_each):
    """`--natural-primary` loads a row by looking up its natural key: it must find that row."""
    keyed = [model for model in apps.get_models() if hasattr(model, "natural_key")]
    assert {model._meta.label_lower for model in keyed} >= {
        "alliances.taggedpartnership",
        "lessons.taggedlesson",
        "taggit.tag",
    }
    unfound = []
    for model in keyed:
        if model._meta.label_lower in UNUSED:
            assert not model._default_manager.exists()
            continue
        rows = list(model._default_manager.all()[:200])
        assert rows, f"no {model._meta.label} to check: add one to the scenario"
        manager = model._default_manager
        for row in rows:
            key = row.natural_key()
            try:
                found = manager.get_by_natural_key(*key)
            except Exception as error:  # noqa: BLE001 - every failure is reported below
                unfound.append(f"{model._meta.label} {key!r}: {type(error).__name__}: {error}")
                continue
            if found.pk != row.pk:
                unfound.append(f"{model._meta.label} {key!r} finds {found.pk}, not {row.pk}")
    assert not unfound


# Values -------------------------------------------------------------------------------------

# Any text a visitor can send (PostgreSQL stores no NUL character).
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=80)
MOMENTS = st.datetimes(
    min_value=datetime.datetime(1970, 1, 2),
    max_value=datetime.datetime(2100, 1, 1),
    timezones=st.just(datetime.UTC),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=8,
)


def values(row):
    """A row's stored values; related rows by natural key where they have one."""
    row.refresh_from_db()
    stored = {}
    for field in row._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(row, field.name)
        if field.is_relation and value is not None:
            value = value.natural_key() if hasattr(value, "natural_key") else value.token
        stored[field.name] = value
    for field in row._meta.many_to_many:
        if field.serialize:
            stored[field.name] = sorted(
                item.natural_key() for item in getattr(row, field.name).all()
            )
    return stored


@pytest.mark.slow
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    # A failure is reported as found: shrinking a database round trip takes minutes.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[Hypothesis.function_scoped_fixture, Hypothesis.too_slow],
)
@given(
    text=TEXT,
    moments=st.lists(MOMENTS, min_size=4, max_size=4),
    answers=st.dictionaries(TEXT, JSON, max_size=4),
    natural_primary=st.booleans(),
)
def test_dumped_and_loaded_again_every_value_is_the_same(
    db, text, moments, answers, natural_primary
):
    created, published, updated, checked = moments
    with transaction.atomic():
        theme = make_theme()
        partnership = make_partnership(name="Round trip", story=text, tags=["water", "trust"])
        lesson = make_lesson(
            title="Round trip lesson",
            evidence=text,
            themes=[theme],
            tags=["trust"],
            partnership=partnership,
        )
        for model, row in ((Partnership, partnership), (Lesson, lesson)):
            model.objects.filter(pk=row.pk).update(
                created_at=created, published_at=published, updated_at=updated
            )
        earlier = HealthCheck.objects.create(token="earlier", answers={}, scores={})
        check = HealthCheck.objects.create(
            token="later", answers=answers, scores={"trust": 37.5}, compared_with=earlier
        )
        HealthCheck.objects.filter(pk=check.pk).update(created_at=checked)
        record = SubmissionRecord.objects.create(address_hash="a" * 64, created_at=checked)
        rows = [
            partnership,
            *TaggedPartnership.objects.filter(content_object=partnership),
            lesson,
            *TaggedLesson.objects.filter(content_object=lesson),
            earlier,
            check,
            record,
        ]
        before = [values(row) for row in rows]

        dumped = serializers.serialize(
            "json",
            rows,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=natural_primary,
        )
        for model in (Lesson, Partnership, HealthCheck, SubmissionRecord):
            model.objects.all().delete()
        # As loaddata does: each object saved as it is read, so later ones find it.
        loaded = []
        for item in serializers.deserialize("json", dumped, handle_forward_references=True):
            item.save()
            loaded.append(item)
        for item in loaded:
            if item.deferred_fields:
                item.save_deferred_fields()
        after = [values(item.object) for item in loaded]
        transaction.set_rollback(True)

    assert after == before
