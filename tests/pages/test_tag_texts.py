"""Any tag a visitor can type gets a page, and no page fails because of one tag.

Each tag text is sent through the real lesson form, the lesson published, and then
every page that shows or serves the tag is read: emoji, punctuation, right-to-left and
CJK scripts, combining marks and invisible characters alike.
"""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from taggit.models import Tag

from core.tags import tag_key
from lessons.models import Lesson
from submissions.forms import clean_tag_list
from tests.factories import make_lesson
from tests.form_data import lesson_data

pytestmark = pytest.mark.django_db

SUBMIT = reverse("submissions:lesson-submit")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

# What a visitor may type as one tag: anything but the comma and quote that separate
# tags, from every script, with emoji, punctuation, marks and invisible characters.
TAG_TEXT = st.one_of(
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters=',"'),
        min_size=1,
        max_size=24,
    ),
    st.text(
        alphabet="🎉🎈👩‍👧!?.…*#@&%$-_/\\ \u200b\u200d\u0301\ue000\ue001", min_size=1, max_size=8
    ),
    st.text(alphabet="Ελλάδαçğışčřžמרחבاالعربية中文字日本語한국어", min_size=1, max_size=12),
)
FAST = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def the_one_tag(text):
    """The tag name the form makes of `text`, or None when it makes no single tag."""
    names = clean_tag_list(text + ",")
    return names[0] if len(names) == 1 else None


def submit_and_publish(client, theme, text, title):
    response = client.post(SUBMIT, lesson_data([theme], title=title, tags=text + ","))
    assert response.status_code == 302, response.content.decode()[:2000]
    Lesson.objects.filter(title=title).publish()
    return Lesson.objects.get(title=title).tags.get()


def in_a_rolled_back_example(check):
    """Run one example in a savepoint that is then rolled back, with an empty cache."""
    cache.clear()
    with transaction.atomic():
        check()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def no_submission_limit(settings):
    settings.SUBMISSIONS_PER_HOUR = 10**6


@pytest.mark.slow
@FAST
@given(text=TAG_TEXT)
@example(text="🎉")
@example(text="!!!")
@example(text="Çağrı")
@example(text="Ελλάδα")
@example(text="שלום עולם")
@example(text="中文")
@example(text="e\u0301te")
@example(text="\u200b🎉\u200b")
@example(text="\ue000")
def test_any_typed_tag_gets_a_page_and_every_page_links_it(client, trust, text):
    name = the_one_tag(text)
    if name is None:
        return

    def check():
        tag = submit_and_publish(client, trust, text, "Tagged lesson")

        assert tag.name == name
        assert SLUG.fullmatch(tag.slug) and len(tag.slug) <= 100, tag.slug
        url = reverse("pages:tag-detail", args=[tag.slug])
        link = f'href="{url}"'
        for page in [
            reverse("pages:home"),
            reverse("pages:tag-list"),
            reverse("browse:lesson-list"),
            trust.get_absolute_url(),
            url,
        ]:
            response = client.get(page)
            html = response.content.decode()
            assert response.status_code == 200, page
            assert escape(tag.name) in html, page
            if page != url:
                assert link in html, page
        feed = client.get(reverse("pages:tag-feed", args=[tag.slug]))
        assert feed.status_code == 200 and url in feed.content.decode()
        sitemap = client.get(reverse("pages:sitemap-section", args=["tags"]))
        assert sitemap.status_code == 200 and url in sitemap.content.decode()
        listed = client.get("/api/v1/tags", {"page_size": 100})
        assert listed.status_code == 200
        assert {item["slug"]: item["name"] for item in listed.json()["results"]} == {tag.slug: name}
        detail = client.get(f"/api/v1/tags/{tag.slug}")
        assert detail.status_code == 200 and detail.json()["name"] == name

    in_a_rolled_back_example(check)


@pytest.mark.slow
@FAST
@given(first=TAG_TEXT, second=TAG_TEXT)
@example(first="🎉", second="🎈")
@example(first="!!!", second="???")
@example(first="c++", second="c")
@example(first="Ελλάδα", second="ellada")
@example(first="🎉", second="tada")
def test_two_different_tags_stay_two_tags(client, trust, first, second):
    names = the_one_tag(first), the_one_tag(second)
    if None in names or tag_key(names[0]) == tag_key(names[1]):
        return

    def check():
        one = submit_and_publish(client, trust, first, "First lesson")
        two = submit_and_publish(client, trust, second, "Second lesson")

        assert (one.name, two.name) == names
        assert one.pk != two.pk and one.slug != two.slug
        assert Tag.objects.count() == 2
        html = client.get(reverse("pages:tag-list")).content.decode()
        for tag in (one, two):
            assert f'href="{reverse("pages:tag-detail", args=[tag.slug])}"' in html

    in_a_rolled_back_example(check)


def test_the_same_tag_typed_again_in_another_case_or_spacing_is_the_same_tag(client, trust):
    first = submit_and_publish(client, trust, "Local Context", "First lesson")
    second = submit_and_publish(client, trust, "local-context", "Second lesson")
    third = submit_and_publish(client, trust, "LOCAL_context", "Third lesson")

    assert first == second == third
    assert Tag.objects.count() == 1


def test_a_tag_whose_slug_was_blanked_behind_the_sites_back_fails_no_page(client, trust):
    lesson = make_lesson(themes=[trust], tags=["🎉", "water"])
    Tag.objects.filter(name="🎉").update(slug="")  # only a raw write can do this now

    for page in [
        reverse("pages:home"),
        reverse("pages:tag-list"),
        reverse("browse:lesson-list"),
        trust.get_absolute_url(),
        lesson.get_absolute_url(),
    ]:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "🎉" in html and "water" in html, page
        assert f'href="{reverse("pages:tag-detail", args=["water"])}"' in html, page
    sitemap = client.get(reverse("pages:sitemap-section", args=["tags"])).content.decode()
    assert reverse("pages:tag-detail", args=["water"]) in sitemap and "/tags//" not in sitemap
    listed = client.get("/api/v1/tags").json()["results"]
    assert {item["name"] for item in listed} == {"🎉", "water"}
