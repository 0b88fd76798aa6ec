"""slug_url: the same address reverse() gives, for any slug, URLconf and script prefix."""

from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.slugs import slug_url

BOUNDED = settings(max_examples=200, derandomize=True, deadline=None, database=None)
URL_NAMES = [
    "lessons:lesson-detail",
    "lessons:theme-detail",
    "alliances:partnership-detail",
    "alliances:organisation-detail",
    "pages:tag-detail",
    "pages:tag-feed",
]


def reversed_or_refused(url_name, slug):
    try:
        return reverse(url_name, kwargs={"slug": slug})
    except NoReverseMatch:
        return NoReverseMatch


def slug_url_or_refused(url_name, slug):
    try:
        return slug_url(url_name, slug)
    except NoReverseMatch:
        return NoReverseMatch


@BOUNDED
@given(
    url_name=st.sampled_from(URL_NAMES),
    slug=st.text(min_size=1, max_size=40) | st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True),
    prefix=st.sampled_from(["/", "/site/", "/a b/"]),
)
@example(url_name="pages:tag-detail", slug="c++", prefix="/")
@example(url_name="pages:tag-detail", slug="a/b", prefix="/")
@example(url_name="lessons:lesson-detail", slug="0slug0", prefix="/")
def test_slug_url_gives_what_reverse_gives(url_name, slug, prefix):
    set_script_prefix(prefix)
    try:
        assert slug_url_or_refused(url_name, slug) == reversed_or_refused(url_name, slug)
    finally:
        clear_script_prefix()
        set_script_prefix("/")


def test_slug_url_follows_a_changed_urlconf():
    with override_settings(ROOT_URLCONF="tests.core.moved_urls"):
        assert slug_url("lessons:lesson-detail", "trust") == "/moved/lessons/trust/"
    assert slug_url("lessons:lesson-detail", "trust") == "/lessons/trust/"
