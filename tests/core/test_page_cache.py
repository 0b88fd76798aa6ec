"""The page cache: a public page answered whole to anonymous visitors, keyed by its address
and the content version, exactly as it renders, with its headers, until content changes.

What is stored is read back from the "pages" cache itself (LocMem in tests).
"""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.moderation import ModerationStatus
from core.page_cache import STATUS_HEADER
from lessons.models import Lesson
from tests.core.page_cache_helpers import PAGE_NAMES, stored_pages, without_token
from tests.factories import make_lesson

pytestmark = pytest.mark.django_db


# Hits and misses ------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_public_page_is_answered_from_the_cache_with_the_same_body_and_headers(
    public_pages, name
):
    url = public_pages[name]
    first = Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(url)

    assert first.status_code == second.status_code == 200
    assert (first[STATUS_HEADER], second[STATUS_HEADER]) == ("miss", "hit")
    assert without_token(second.content) == without_token(first.content)
    headers = {key: value for key, value in first.headers.items() if key != STATUS_HEADER}
    assert {k: v for k, v in second.headers.items() if k != STATUS_HEADER} == headers
    assert set(second.cookies) == set(first.cookies)
    # The content version, and for a lesson its "this helped me" count; nothing else.
    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) == (2 if name == "lesson" else 1), sql
    assert "contentversion" in sql[0]
    assert name != "lesson" or "helpful_count" in sql[1]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_cached_page_carries_every_policy_header(public_pages, name):
    from tests.test_security_headers import assert_policy_headers

    Client().get(public_pages[name])
    hit = Client().get(public_pages[name])

    assert hit[STATUS_HEADER] == "hit"
    assert_policy_headers(hit)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_miss_reads_the_content_version_once_and_renders_as_without_the_cache(public_pages, name):
    url = public_pages[name]
    with override_settings(PAGE_CACHE_ENABLED=False):
        Client().get(url)  # cached counts warm, as for the miss below
        with CaptureQueriesContext(connection) as without:
            fresh = Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        miss = Client().get(url)

    assert miss[STATUS_HEADER] == "miss"
    assert without_token(miss.content) == without_token(fresh.content)
    versions = [q for q in queries.captured_queries if "contentversion" in q["sql"]]
    assert len(versions) == 1
    others = [q for q in queries.captured_queries if "contentversion" not in q["sql"]]
    assert len(others) == len(
        [q for q in without.captured_queries if "contentversion" not in q["sql"]]
    )


def test_pages_that_never_cache_never_read_the_content_version(client, trust, words_lesson):
    urls = [
        reverse("submissions:lesson-submit"),
        reverse("healthcheck:health-check"),
        reverse("browse:lesson-export", args=["csv"]),
        "/api/v1/lessons",
        "/no-such-page/",
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            Client().get(url)
        assert not [q for q in queries.captured_queries if "contentversion" in q["sql"]], url


LIST_PARAMS = st.fixed_dictionaries(
    {},
    optional={
        "theme": st.sampled_from(["work-to-build-trust", "no-such-theme", ""]),
        "experience": st.sampled_from(["worked", "went_wrong", "bogus"]),
        "sort": st.sampled_from(["newest", "title", "helpful", "bogus"]),
        "page": st.sampled_from(["1", "2", "last", "-1", "x"]),
        "q": st.sampled_from(["words", "agree words", '"what words"', "x" * 300]),
    },
)


@hypothesis_settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(path=st.sampled_from(["/lessons/", "/partnerships/", "/search/"]), params=LIST_PARAMS)
def test_whatever_the_query_string_a_cached_answer_is_the_fresh_page(words_lesson, path, params):
    url = f"{path}?{urlencode(params)}" if params else path
    with override_settings(PAGE_CACHE_ENABLED=False):
        fresh = Client().get(url)
    answers = [Client().get(url) for _ in range(2)]

    assert {answer.status_code for answer in answers} == {fresh.status_code}
    for answer in answers:
        assert without_token(answer.content) == without_token(fresh.content)
    sorted_by_votes = path == "/lessons/" and params.get("sort") == "helpful"
    if fresh.status_code == 200 and not sorted_by_votes:
        assert answers[1][STATUS_HEADER] == "hit"
    else:
        assert STATUS_HEADER not in answers[1]


def test_a_publication_moves_the_version_and_the_next_visitor_sees_it(trust, words_lesson):
    url = reverse("browse:lesson-list")
    Client().get(url)
    waiting = make_lesson(title="Write the glossary first", themes=[trust], moderation="pending")
    before = Client().get(url)

    Lesson.objects.filter(pk=waiting.pk).publish()
    after = Client().get(url)

    assert b"Write the glossary first" not in before.content
    assert after[STATUS_HEADER] == "miss"
    assert b"Write the glossary first" in after.content
    assert b"Agree what words mean" in after.content


def test_a_withdrawal_leaves_the_cache_at_once(words_lesson):
    url = words_lesson.get_absolute_url()
    assert Client().get(url).status_code == 200
    assert Client().get(url)[STATUS_HEADER] == "hit"

    Lesson.objects.filter(pk=words_lesson.pk).update(moderation_status=ModerationStatus.REJECTED)

    assert Client().get(url).status_code == 404
    listed = Client().get(reverse("browse:lesson-list"))
    assert b"Agree what words mean" not in listed.content


def test_a_pending_submission_never_shows_through_the_cache(client, trust, words_lesson):
    from tests.form_data import lesson_data

    pages = [reverse("browse:lesson-list"), "/", trust.get_absolute_url(), "/search/?q=glossary"]
    for url in pages:
        Client().get(url)

    sent = client.post(
        reverse("submissions:lesson-submit"),
        lesson_data([trust], title="A pending glossary lesson", insight="A glossary helps."),
    )

    assert sent.status_code == 302
    assert Lesson.objects.get(title="A pending glossary lesson").moderation_status == "pending"
    for url in pages:
        for visitor in (Client(), Client()):
            assert b"A pending glossary lesson" not in visitor.get(url).content
    assert all(b"A pending glossary lesson" not in page.content for page in stored_pages())


def test_head_and_get_are_stored_apart_and_head_has_no_body(words_lesson):
    url = reverse("browse:lesson-list")

    heads = [Client().head(url) for _ in range(2)]
    get = Client().get(url)

    assert [head[STATUS_HEADER] for head in heads] == ["miss", "hit"]
    assert heads[1].content == b""
    assert heads[1]["Content-Length"] == get["Content-Length"]
    assert get[STATUS_HEADER] == "miss"
    assert b"Agree what words mean" in get.content
    assert len(stored_pages()) == 2


def test_each_query_string_is_a_page_of_its_own(trust, words_lesson):
    make_lesson(title="Budget for maintenance", themes=[trust])
    search = reverse("search:search")

    water = [Client().get(search, {"q": "words"}) for _ in range(2)]
    budget = Client().get(search, {"q": "maintenance"})
    water_again = Client().get(f"{search}?q=words")

    assert [answer[STATUS_HEADER] for answer in water] == ["miss", "hit"]
    assert budget[STATUS_HEADER] == "miss" and water_again[STATUS_HEADER] == "hit"
    assert b"Agree what words mean" in water[1].content
    assert b"Budget for maintenance" not in water[1].content
    assert b"Budget for maintenance" in budget.content
    assert b"Agree what words mean" not in budget.content


def test_the_host_and_scheme_are_part_of_the_address(db):
    url = reverse("pages:robots")

    local = Client().get(url, HTTP_HOST="localhost")
    secure = Client().get(url, HTTP_HOST="localhost", secure=True)
    other = Client().get(url)

    assert [a[STATUS_HEADER] for a in (local, secure, other)] == ["miss", "miss", "miss"]
    assert b"http://localhost/sitemap.xml" in local.content
    assert b"https://localhost/sitemap.xml" in secure.content
    assert b"http://testserver/sitemap.xml" in other.content


def test_turned_off_it_neither_stores_nor_serves(settings, words_lesson):
    settings.PAGE_CACHE_ENABLED = False

    answers = [Client().get(words_lesson.get_absolute_url()) for _ in range(2)]

    assert all(answer.status_code == 200 for answer in answers)
    assert all(STATUS_HEADER not in answer for answer in answers)
    assert stored_pages() == []


def test_an_edited_quote_or_source_shows_on_the_next_visit(trust, words_lesson):
    from lessons.models import Quote, Source

    source = Source.objects.create(title="The conference report")
    quote = Quote.objects.create(
        text="Trust takes time.", speaker="A. Speaker", source=source, theme=trust
    )
    Lesson.objects.filter(pk=words_lesson.pk).update(source=source)
    for url in (trust.get_absolute_url(), words_lesson.get_absolute_url()):
        Client().get(url)
        assert Client().get(url)[STATUS_HEADER] == "hit"

    Quote.objects.filter(pk=quote.pk).update(text="Trust takes years.")
    Source.objects.filter(pk=source.pk).update(title="The revised report")

    theme_page = Client().get(trust.get_absolute_url())
    lesson_page = Client().get(words_lesson.get_absolute_url())
    assert b"Trust takes years." in theme_page.content
    assert b"Trust takes time." not in theme_page.content
    assert b"The revised report" in lesson_page.content
    assert b"The conference report" not in lesson_page.content


# Settings ---------------------------------------------------------------------------------

SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "pages = s.CACHES['pages']; "
    "print(s.PAGE_CACHE_ENABLED, pages['BACKEND'].rsplit('.', 1)[-1], pages.get('LOCATION'), "
    "pages.get('KEY_PREFIX'), pages.get('OPTIONS', {}).get('MAX_ENTRIES'))"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ["True", "LocMemCache", "pages", "None", "500"]),
        (
            {"DJANGO_PAGE_CACHE": "0", "DJANGO_PAGE_CACHE_ENTRIES": "50"},
            ["False", "LocMemCache", "pages", "None", "50"],
        ),
        (
            {"DJANGO_CACHE_URL": "redis://cache:6379/0"},
            ["True", "RedisCache", "redis://cache:6379/0", "pages", "None"],
        ),
    ],
)
def test_the_page_cache_is_on_by_default_bounded_in_memory_or_in_redis(env, expected):
    from tests.test_settings import run_django

    result = run_django(env, SHOW_SETTINGS)

    assert result.stdout.split() == expected, result.stderr
