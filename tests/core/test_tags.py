"""Tag slugs: made for any name by every way a tag is created, never empty, never shared.

The pages themselves are read in tests/pages/test_tag_texts.py; here are the slug rule,
taggit's own API, the admin's tag fields and Tag admin, and the migration that fixes
tags stored before.
"""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st
from taggit.models import Tag

from core.tags import tag_key, tag_name_clean, tag_slug, tag_slug_free
from lessons.models import Lesson
from tests.admin_forms import admin_form
from tests.factories import make_lesson

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=120)
BOUNDED = settings(max_examples=200, derandomize=True, deadline=None, database=None)


@BOUNDED
@given(name=ANY_TEXT, number=st.none() | st.integers(min_value=2, max_value=10**6))
@example(name="", number=None)
@example(name="!!!", number=None)
@example(name="中" * 100, number=999)
def test_every_name_has_a_plain_ascii_slug_that_fits(name, number):
    slug = tag_slug(name, number)

    assert SLUG.fullmatch(slug), slug
    assert len(slug) <= 100
    assert slug == tag_slug(name, number)  # stable: the same name, the same slug


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Çağrı", "cagri"),
        ("Ελλάδα", "ellada"),
        ("中文", "zhongwen"),
        ("Local Context", "local-context"),
        ("water/sanitation", "water-sanitation"),
        ("🎉", "tada"),
    ],
)
def test_names_in_any_script_are_spelt_in_ascii(name, slug):
    assert tag_slug(name) == slug


def test_a_name_with_nothing_to_spell_gets_a_hashed_slug_of_its_own():
    slugs = {tag_slug(name) for name in ["!!!", "???", "…", "\u200b", "!!!!"]}

    assert len(slugs) == 5
    assert all(slug.startswith("tag-") for slug in slugs)


def test_a_taken_slug_is_numbered():
    assert tag_slug_free("Trust", {"trust", "trust-2"}) == "trust-3"


@pytest.mark.parametrize(
    "typed, stored",
    [(" \u200bwater\u200b ", "water"), ("local\tcontext", "local context"), ("\x00", "")],
)
def test_names_are_stored_without_invisible_ends(typed, stored):
    assert tag_name_clean(typed) == stored


def test_names_differing_in_case_spaces_or_hyphens_are_one_tag_and_nothing_else():
    assert tag_key("Local Context") == tag_key("local-context") == tag_key("LOCAL_context")
    assert tag_key("c++") != tag_key("c")
    assert tag_key("🎉") != tag_key("🎈")


# taggit's own API ---------------------------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=40, derandomize=True, deadline=None, database=None)
@given(names=st.lists(ANY_TEXT.map(tag_name_clean).filter(bool), min_size=2, max_size=4))
@example(names=["🎉", "🎈", "!!!", "???"])
@example(names=["Ελλάδα", "ellada", "ΕΛΛΆΔΑ"])
def test_tags_made_through_taggit_each_get_a_slug_of_their_own(names):
    from django.db import transaction

    with transaction.atomic():
        lesson = make_lesson()
        lesson.tags.add(*names)
        Tag.objects.get_or_create(name="made directly " + names[0])

        tags = list(Tag.objects.all())
        assert all(SLUG.fullmatch(tag.slug) for tag in tags), [tag.slug for tag in tags]
        assert len({tag.slug for tag in tags}) == len(tags)
        transaction.set_rollback(True)


# The admin --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_curator_tagging_a_lesson_in_the_admin_gets_valid_slugs(curator_client, trust):
    lesson = make_lesson(themes=[trust])
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])

    response = curator_client.post(
        url, admin_form(curator_client, url, tags="🎈, ✨✨, Çağrı, !!!")
    )

    assert response.status_code == 302
    slugs = {tag.name: tag.slug for tag in Lesson.objects.get().tags.all()}
    assert slugs["🎈"] == "balloon" and slugs["Çağrı"] == "cagri"
    assert slugs["!!!"].startswith("tag-") and SLUG.fullmatch(slugs["✨✨"])


@pytest.mark.django_db
def test_a_tag_too_long_for_its_column_is_an_error_in_the_admin_not_a_crash(curator_client, trust):
    lesson = make_lesson(themes=[trust])
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])

    response = curator_client.post(url, admin_form(curator_client, url, tags="x" * 101))

    assert response.status_code == 200
    assert "Keep each tag to 100 characters" in response.content.decode()
    assert not Tag.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name, slug", [("🎉", "tada"), ("Ελλάδα", "ellada"), ("!!!", None)])
def test_a_tag_added_in_the_tag_admin_with_no_slug_gets_one(curator_client, name, slug):
    url = reverse("admin:taggit_tag_add")

    response = curator_client.post(url, {"name": name, "slug": ""})

    assert response.status_code == 302
    tag = Tag.objects.get()
    assert tag.slug == slug if slug else tag.slug.startswith("tag-")


@pytest.mark.django_db
def test_a_slug_cleared_in_the_tag_admin_is_made_again_not_stored_empty(curator_client):
    Tag.objects.create(name="🎉")
    taken = Tag.objects.create(name="!!!")
    url = reverse("admin:taggit_tag_change", args=[taken.pk])

    response = curator_client.post(url, {"name": "tada", "slug": ""})

    assert response.status_code == 302
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["tada", "tada-2"]


# Tags stored before --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_gives_only_empty_slugs_a_new_one():
    migration = importlib.import_module("core.migrations.0003_tag_slugs_not_empty")
    kept = {
        "Ελλάδα": "ελλάδα",  # a unicode slug taggit made before: its address keeps working
        "tada": "tada",
        "Water": "water_1",
    }
    for name, slug in kept.items():
        Tag.objects.create(name=name, slug=slug)
    blank = Tag.objects.create(name="🎉", slug="x")
    Tag.objects.filter(pk=blank.pk).update(slug="")

    migration.fill_empty_slugs(apps, None)

    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert slugs == {**kept, "🎉": "tada-2"}
