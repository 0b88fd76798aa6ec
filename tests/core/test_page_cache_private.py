"""The page cache never answers nor stores a curator's page, a private page, a POST, or
an opted-in page that answered for one visitor only (a message, a cookie, a nonce…)."""

import pytest
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotFound
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.test import Client
from django.urls import path, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers

from config.urls import urlpatterns as site_urlpatterns
from core.page_cache import STATUS_HEADER, cache_public_page
from lessons.models import Lesson
from tests.core.page_cache_helpers import PAGE_NAMES, stored_pages
from tests.factories import make_theme

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_curator_is_never_served_nor_stores_a_cached_page(public_pages, curator_client, name):
    url = public_pages[name]
    curator_client.get(url)
    assert stored_pages() == []

    Client().get(url)
    stored = stored_pages()
    answer = curator_client.get(url)

    assert answer.status_code == 200
    assert STATUS_HEADER not in answer
    assert stored_pages() == stored


def test_a_stale_session_cookie_is_enough_to_bypass_the_cache(words_lesson):
    url = reverse("browse:lesson-list")
    Client().get(url)
    visitor = Client()
    visitor.cookies["sessionid"] = "expired-or-forged"

    assert STATUS_HEADER not in visitor.get(url)
    assert STATUS_HEADER not in visitor.get(url, HTTP_AUTHORIZATION="Bearer x")


def test_private_pages_forms_and_machine_reads_are_never_stored(client, trust, words_lesson):
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
