"""The page cache: public pages answered whole to anonymous visitors, keyed by address and
content version; never a curator's, a private page, a POST or a pending thank-you.

What is stored is read back from the "pages" cache itself (LocMem in tests), so a test
can say what was never stored, not only what was never served.
"""

import re
from urllib.parse import urlencode

import pytest
from django.contrib import messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, HttpResponseNotFound
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from config.urls import urlpatterns as site_urlpatterns
from core.moderation import ModerationStatus
from core.page_cache import (
    CACHE_ALIAS,
    STATUS_HEADER,
    CachedPage,
    cache_public_page,
    csrf_placeholder,
)
from lessons.models import Lesson
from tests.factories import make_lesson, make_theme

pytestmark = pytest.mark.django_db

TOKEN_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def stored_pages() -> list[CachedPage]:
    """Every page in the page cache (LocMem keeps pickles in a dict)."""
    pages = caches[CACHE_ALIAS]
    return [pages.get(key.split(":", 2)[-1]) for key in list(pages._cache)]  # type: ignore[attr-defined]


def token_of(response) -> str:
    found = TOKEN_FIELD.search(response.content)
    assert found, "no CSRF token field on the page"
    return found.group(1).decode()


def without_token(content: bytes) -> bytes:
    return TOKEN_FIELD.sub(b'name="csrfmiddlewaretoken" value=""', content)


@pytest.fixture
def lesson(trust, water_for_towns):
    return make_lesson(
        title="Agree what words mean",
        themes=[trust],
        tags=["water"],
        partnership=water_for_towns,
    )


@pytest.fixture
def public_pages(lesson, trust, water_for_towns, ministry):
    """Every kind of page that opts in, by a name for the test's id."""
    return {
        "home": "/",
        "themes": reverse("lessons:theme-list"),
        "theme": trust.get_absolute_url(),
        "lesson list": reverse("browse:lesson-list"),
        "lesson list, faceted": f"{reverse('browse:lesson-list')}?theme={trust.slug}&sort=title",
        "case-study list": reverse("browse:partnership-list"),
        "lesson": lesson.get_absolute_url(),
        "case study": water_for_towns.get_absolute_url(),
        "organisation": ministry.get_absolute_url(),
        "tags": reverse("pages:tag-list"),
        "tag": reverse("pages:tag-detail", args=["water"]),
        "tag suggestions": f"{reverse('pages:tag-suggestions')}?q=wat",
        "search": f"{reverse('search:search')}?q=words",
        "insights": reverse("insights:insights"),
        "privacy": reverse("pages:privacy"),
        "lesson feed": reverse("pages:lesson-feed"),
        "theme feed": reverse("pages:theme-feed", args=[trust.slug]),
        "tag feed": reverse("pages:tag-feed", args=["water"]),
        "case-study feed": reverse("pages:partnership-feed"),
        "sitemap": reverse("pages:sitemap"),
        "sitemap section": reverse("pages:sitemap-section", args=["lessons"]),
        "robots": reverse("pages:robots"),
    }


PAGE_NAMES = [
    "home",
    "themes",
    "theme",
    "lesson list",
    "lesson list, faceted",
    "case-study list",
    "lesson",
    "case study",
    "organisation",
    "tags",
    "tag",
    "tag suggestions",
    "search",
    "insights",
    "privacy",
    "lesson feed",
    "theme feed",
    "tag feed",
    "case-study feed",
    "sitemap",
    "sitemap section",
    "robots",
]


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


def test_pages_that_never_cache_never_read_the_content_version(client, trust, lesson):
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
def test_whatever_the_query_string_a_cached_answer_is_the_fresh_page(lesson, path, params):
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


def test_a_publication_moves_the_version_and_the_next_visitor_sees_it(trust, lesson):
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


def test_a_withdrawal_leaves_the_cache_at_once(lesson):
    url = lesson.get_absolute_url()
    assert Client().get(url).status_code == 200
    assert Client().get(url)[STATUS_HEADER] == "hit"

    Lesson.objects.filter(pk=lesson.pk).update(moderation_status=ModerationStatus.REJECTED)

    assert Client().get(url).status_code == 404
    listed = Client().get(reverse("browse:lesson-list"))
    assert b"Agree what words mean" not in listed.content


def test_a_pending_submission_never_shows_through_the_cache(client, trust, lesson):
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


# Who and what is never served from the cache, nor stored in it ----------------------------


@pytest.fixture
def curator(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_superuser("curator", "c@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_curator_is_never_served_nor_stores_a_cached_page(public_pages, curator, name):
    url = public_pages[name]
    curator.get(url)
    assert stored_pages() == []

    Client().get(url)
    stored = stored_pages()
    answer = curator.get(url)

    assert answer.status_code == 200
    assert STATUS_HEADER not in answer
    assert stored_pages() == stored


def test_a_stale_session_cookie_is_enough_to_bypass_the_cache(lesson):
    url = reverse("browse:lesson-list")
    Client().get(url)
    visitor = Client()
    visitor.cookies["sessionid"] = "expired-or-forged"

    assert STATUS_HEADER not in visitor.get(url)
    assert STATUS_HEADER not in visitor.get(url, HTTP_AUTHORIZATION="Bearer x")


def test_private_pages_forms_and_machine_reads_are_never_stored(client, trust, lesson):
    from tests.form_data import lesson_data

    client.post(reverse("submissions:lesson-submit"), lesson_data([trust], title="Mine"))
    status_url = reverse("submissions:status", args=[Lesson.objects.get(title="Mine").status_token])
    answers = {
        url: Client().get(url)
        for url in [
            status_url,
            reverse("submissions:lesson-submit"),
            reverse("submissions:partnership-submit"),
            reverse("healthcheck:health-check"),
            reverse("browse:lesson-export", args=["csv"]),
            reverse("browse:partnership-export", args=["json"]),
            "/api/v1/lessons",
            "/admin/login/",
            reverse("pages:csp-report"),
            f"{reverse('browse:lesson-list')}?sort=helpful",
            "/tags/no-such-tag/",
            "/lessons/no-such-lesson/",
        ]
    }

    assert answers[status_url].status_code == 200
    assert all(STATUS_HEADER not in answer for answer in answers.values())
    assert stored_pages() == []


def test_a_health_check_result_is_never_stored(db):
    from tests.healthcheck.test_healthcheck import check_with

    themes = [make_theme(title="Motives", number=1, guiding_questions="Why?\nWhy not?")]
    check = check_with(themes, "amber")
    answer = Client().get(check.get_absolute_url())

    assert answer.status_code == 200
    assert stored_pages() == []


@pytest.mark.parametrize("name", ["home", "search", "lesson list", "privacy"])
def test_a_post_is_never_answered_from_the_cache_nor_stored(public_pages, name):
    url = public_pages[name]
    Client().get(url)
    stored = stored_pages()

    posted = Client().post(url, {"q": "words"})

    assert STATUS_HEADER not in posted
    assert stored_pages() == stored


def test_head_and_get_are_stored_apart_and_head_has_no_body(lesson):
    url = reverse("browse:lesson-list")

    heads = [Client().head(url) for _ in range(2)]
    get = Client().get(url)

    assert [head[STATUS_HEADER] for head in heads] == ["miss", "hit"]
    assert heads[1].content == b""
    assert heads[1]["Content-Length"] == get["Content-Length"]
    assert get[STATUS_HEADER] == "miss"
    assert b"Agree what words mean" in get.content
    assert len(stored_pages()) == 2


def test_each_query_string_is_a_page_of_its_own(trust, lesson):
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


def test_turned_off_it_neither_stores_nor_serves(settings, lesson):
    settings.PAGE_CACHE_ENABLED = False

    answers = [Client().get(lesson.get_absolute_url()) for _ in range(2)]

    assert all(answer.status_code == 200 for answer in answers)
    assert all(STATUS_HEADER not in answer for answer in answers)
    assert stored_pages() == []


# The CSRF token, "this helped me" and its thank-you -----------------------------------------


def test_each_visitor_of_a_cached_lesson_gets_a_token_of_their_own_and_its_cookie(lesson):
    url = lesson.get_absolute_url()
    visitors = [Client(), Client(), Client()]

    answers = [visitor.get(url) for visitor in visitors]

    assert [answer[STATUS_HEADER] for answer in answers] == ["miss", "hit", "hit"]
    tokens = [token_of(answer) for answer in answers]
    assert len(set(tokens)) == 3
    assert all(len(token) == 64 for token in tokens)
    assert all(csrf_placeholder() not in answer.content.decode() for answer in answers)
    cookies = [answer.cookies["csrftoken"].value for answer in answers]
    assert len(set(cookies)) == 3
    assert all("Cookie" in answer["Vary"] for answer in answers)
    (page,) = stored_pages()
    assert page.has_csrf_token
    assert csrf_placeholder().encode() in page.content
    assert not any(token.encode() in page.content for token in tokens)
    assert not any(name.lower() == "set-cookie" for name, _ in page.headers)


def test_a_returning_visitor_keeps_their_csrf_cookie(lesson):
    url = lesson.get_absolute_url()
    Client().get(url)
    visitor = Client()
    first = visitor.get(url)
    second = visitor.get(url)

    assert second[STATUS_HEADER] == "hit"
    assert visitor.cookies["csrftoken"].value == first.cookies["csrftoken"].value
    assert token_of(first) != token_of(second)  # masked afresh, same secret


def test_a_visitor_served_from_the_cache_can_say_this_helped_me(lesson):
    url = lesson.get_absolute_url()
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.50")

    page = visitor.get(url)
    voted = visitor.post(
        reverse("lessons:lesson-helpful", args=[lesson.slug]),
        {"csrfmiddlewaretoken": token_of(page)},
    )
    thanked = visitor.get(url)

    assert page[STATUS_HEADER] == "hit"
    assert voted.status_code == 302
    assert Lesson.objects.get(pk=lesson.pk).helpful_count == 1
    # The thank-you rides in the messages cookie: rendered fresh, never stored.
    assert STATUS_HEADER not in thanked
    assert b"we counted that this lesson helped you" in thanked.content
    assert b"<strong>1</strong> practitioner found this helpful" in thanked.content
    assert all(b"we counted that" not in page.content for page in stored_pages())
    # Every other visitor sees the new count too, though votes leave the version alone.
    other = Client().get(url)
    assert b"<strong>1</strong> practitioner found this helpful" in other.content
    assert other[STATUS_HEADER] == "miss"
    assert Client().get(url)[STATUS_HEADER] == "hit"


def test_a_post_without_the_token_is_still_refused(lesson):
    Client().get(lesson.get_absolute_url())
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(lesson.get_absolute_url())

    refused = visitor.post(reverse("lessons:lesson-helpful", args=[lesson.slug]))

    assert refused.status_code == 403
    assert Lesson.objects.get(pk=lesson.pk).helpful_count == 0


def test_a_pending_message_is_shown_fresh_whatever_the_cache_holds(lesson):
    url = reverse("browse:lesson-list")
    Client().get(url)
    visitor = Client(REMOTE_ADDR="192.0.2.51")
    visitor.post(reverse("lessons:lesson-helpful", args=[lesson.slug]))

    with_message = visitor.get(url)
    after = visitor.get(url)

    assert STATUS_HEADER not in with_message
    assert b"we counted that this lesson helped you" in with_message.content
    assert after[STATUS_HEADER] == "hit"
    assert b"we counted that" not in after.content
    assert all(b"we counted that" not in page.content for page in stored_pages())


# Views that opt in but answer something only one visitor may see, and the site's URLs.


def _page(request, text="A page"):
    return render(request, "base.html", {"breadcrumb_trail": [(text, None)]})


def queues_a_message(request):
    messages.info(request, "A note for this visitor only")
    return _page(request)


def sets_a_cookie(request):
    response = _page(request)
    response.set_cookie("tracking", "1")
    return response


def asks_for_the_token_itself(request):
    return HttpResponse(f"<p>{get_token(request)}</p>")


def uses_a_csp_nonce(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


def varies_on_language(request):
    response = _page(request)
    patch_vary_headers(response, ["Accept-Language"])
    return response


def says_private(request):
    response = _page(request)
    patch_cache_control(response, private=True)
    return response


def not_found(request):
    return HttpResponseNotFound("gone")


ONE_VISITOR_ONLY = {
    "queues-a-message": queues_a_message,
    "sets-a-cookie": sets_a_cookie,
    "asks-for-the-token-itself": asks_for_the_token_itself,
    "uses-a-csp-nonce": uses_a_csp_nonce,
    "varies-on-language": varies_on_language,
    "says-private": says_private,
    "not-found": not_found,
}
urlpatterns = [
    *site_urlpatterns,
    path("plain/", cache_public_page(_page)),
    *(path(f"{name}/", cache_public_page(view)) for name, view in ONE_VISITOR_ONLY.items()),
]


@pytest.mark.parametrize("name", ONE_VISITOR_ONLY)
def test_an_opted_in_view_answering_for_one_visitor_only_is_not_stored(settings, db, name):
    settings.ROOT_URLCONF = __name__

    answers = [Client().get(f"/{name}/") for _ in range(2)]
    plain = [Client().get("/plain/") for _ in range(2)]

    assert all(STATUS_HEADER not in answer for answer in answers)
    assert [answer[STATUS_HEADER] for answer in plain] == ["miss", "hit"]
    assert len(stored_pages()) == 1
    if name == "queues-a-message":
        assert all(b"A note for this visitor only" in answer.content for answer in answers)


def test_an_edited_quote_or_source_shows_on_the_next_visit(trust, lesson):
    from lessons.models import Quote, Source

    source = Source.objects.create(title="The conference report")
    quote = Quote.objects.create(
        text="Trust takes time.", speaker="A. Speaker", source=source, theme=trust
    )
    Lesson.objects.filter(pk=lesson.pk).update(source=source)
    for url in (trust.get_absolute_url(), lesson.get_absolute_url()):
        Client().get(url)
        assert Client().get(url)[STATUS_HEADER] == "hit"

    Quote.objects.filter(pk=quote.pk).update(text="Trust takes years.")
    Source.objects.filter(pk=source.pk).update(title="The revised report")

    theme_page = Client().get(trust.get_absolute_url())
    lesson_page = Client().get(lesson.get_absolute_url())
    assert b"Trust takes years." in theme_page.content
    assert b"Trust takes time." not in theme_page.content
    assert b"The revised report" in lesson_page.content
    assert b"The conference report" not in lesson_page.content
