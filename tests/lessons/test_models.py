import pytest
from taggit.models import Tag

from core.moderation import ModerationStatus
from lessons.models import Lesson
from tests.factories import make_lesson, make_partnership, make_theme

pytestmark = pytest.mark.django_db


def test_tags_differing_only_in_case_are_one_tag():
    theme = make_theme()
    first = make_lesson(themes=[theme], tags=["Trust"])
    second = make_lesson(themes=[theme], tags=["trust"])
    partnership = make_partnership(tags=["TRUST"])

    assert Tag.objects.count() == 1
    tag = Tag.objects.get()
    assert tag.name == "Trust"
    assert set(Lesson.objects.filter(tags=tag)) == {first, second}
    assert list(partnership.tags.all()) == [tag]


def test_adding_a_tag_again_in_another_case_does_not_double_it():
    lesson = make_lesson(themes=[make_theme()], tags=["Local context"])

    lesson.tags.add("local CONTEXT", "Trust")

    assert sorted(tag.name for tag in lesson.tags.all()) == ["Local context", "Trust"]


def test_published_queryset_holds_only_published_lessons():
    theme = make_theme()
    published = make_lesson(themes=[theme])
    make_lesson(themes=[theme], moderation=ModerationStatus.PENDING)
    make_lesson(themes=[theme], moderation=ModerationStatus.REJECTED)

    assert list(Lesson.objects.published()) == [published]
    assert list(Lesson.objects.published().for_theme(theme)) == [published]


def test_publishing_sets_the_date_and_rejecting_withdraws():
    lesson = make_lesson(themes=[make_theme()], moderation=ModerationStatus.PENDING)

    assert Lesson.objects.filter(pk=lesson.pk).publish() == 1
    lesson.refresh_from_db()
    assert lesson.is_published and lesson.published_at is not None

    assert Lesson.objects.filter(pk=lesson.pk).reject("Duplicate of another lesson") == 1
    lesson.refresh_from_db()
    assert lesson.moderation_status == ModerationStatus.REJECTED
    assert lesson.rejection_reason == "Duplicate of another lesson"
    assert not Lesson.objects.published().exists()


def test_saving_as_published_in_a_form_stamps_the_publication_date():
    lesson = make_lesson(themes=[make_theme()], moderation=ModerationStatus.PENDING)

    lesson.moderation_status = ModerationStatus.PUBLISHED
    lesson.save()

    assert lesson.published_at is not None


def test_natural_keys_are_slugs():
    theme = make_theme(title="Be Transparent", number=6)
    lesson = make_lesson(title="Measure twice", themes=[theme])

    assert Lesson.objects.get_by_natural_key("measure-twice") == lesson
    assert theme.natural_key() == ("be-transparent",)
