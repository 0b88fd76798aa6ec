"""No input gives a server error: every page type's query parameters and every form, fuzzed.

Hypothesis sends each page every query parameter the site reads (and names it does
not), with values that are valid, typed at random, or hostile: NUL characters, numbers
too large for any column, lone percent signs, invalid UTF-8, digits that are not ASCII,
markup; then a sweep sends each hostile value in all those parameters at once, so none
is left to chance. Path segments that name a tag or a token are fuzzed too. The forms get
a valid submission with any of its fields (the partner formset's management fields
included) replaced by such values. Bounded and derandomized, so CI sees the same inputs
every run; the API has its own schema-driven fuzz in tests/api/test_api.py.
"""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.models import Outcome, PartnerSignoff, Region, Status
from core.sectors import Sector
from healthcheck.scoring import health_check_create
from lessons.models import Experience
from tests.factories import make_lesson
from tests.form_data import lesson_data, partnership_data

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FUZZ = settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FORM_FUZZ = settings(FUZZ, max_examples=40)


class Raw(str):
    """A value already percent-encoded, sent as it is (for bytes that are not UTF-8)."""


HOSTILE = [
    "\x00",
    "a\x00b",
    "99999999999999999999",
    "-99999999999999999999",
    "9" * 400,
    "0",
    "-1",
    "1.5",
    "1e308",
    "NaN",
    "²",
    "٣٤",
    "",
    " ",
    "'",
    '"',
    "\\",
    "%",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "\ue000mark\ue001",
    "\ufeff",
    "🎉",
    "a" * 5000,
    "water",
    "trust",
]
RAW = [Raw("%"), Raw("%zz"), Raw("%ff%fe"), Raw("%ed%a0%80"), Raw("%c0%80"), Raw("%00")]
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30)
# Every query parameter a page of the site reads, and the sitemap's page number.
PARAMETERS = [
    "q",
    "page",
    "sort",
    "kind",
    "theme",
    "experience",
    "tag",
    "sector",
    "region",
    "status",
    "outcome",
    "years_from",
    "years_to",
    "compare",
    "p",
    "confirmed",
    "saved",
    "applied",
]
VALID = [
    *("newest", "helpful", "title", "name", "lessons"),
    *("applied", "helped", "yes"),
    *("lesson", "partnership", "1", "2", "2005", "2014"),
    *Experience.values,
    *Sector.values,
    *Region.values,
    *Status.values,
    *Outcome.values,
    "all",
]


def values(valid=(), *, nul=True):
    """Any value: hostile, valid, random text or a number of any size.

    ``nul=False`` leaves out NUL characters: a query string holding one is turned away
    before any page sees it (tested on every page below), so fuzzing pages with them
    would mostly test that.
    """
    hostile = HOSTILE + RAW
    text = TEXT
    if not nul:
        hostile = [value for value in hostile if "\x00" not in value and value != "%00"]
        text = TEXT.map(lambda value: value.replace("\x00", ""))
    return st.one_of(
        st.sampled_from(hostile),
        st.sampled_from(VALID + list(valid)),
        text,
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
    )


def query_string(params):
    pairs = []
    for name, items in params.items():
        for value in items:
            encoded = value if isinstance(value, Raw) else quote(value, safe="")
            pairs.append(f"{quote(name, safe='')}={encoded}")
    return "&".join(pairs)


def query_params(valid=()):
    names = st.one_of(st.sampled_from(PARAMETERS), TEXT.map(lambda name: name.replace("\x00", "")))
    return st.dictionaries(
        names, st.lists(values(valid, nul=False), min_size=1, max_size=3), max_size=6
    )


def read(response):
    """The whole body, streamed or not, so an error while streaming shows too."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture(autouse=True)
def no_submission_limit(settings):
    """The hourly limits would answer 429 before the forms are reached."""
    settings.SUBMISSIONS_PER_HOUR = 10**6
    settings.HEALTH_CHECKS_PER_HOUR = 10**6
    settings.VOTES_PER_HOUR = 10**6
    settings.SIGNOFFS_PER_HOUR = 10**6
    settings.APPLIED_REPORTS_PER_HOUR = 10**6


# A 429 would hide what the form does with the input behind the limit.
LIMITED = {429: "rate-limited: raise that limit in no_submission_limit, not the assertion"}


@pytest.fixture
def site(trust, case_studies, ministry):
    """Published and pending content of every kind, with emoji and plain tags."""
    trust.guiding_questions = "Do partners keep promises?\nIs information shared?"
    trust.save()
    lesson = make_lesson(
        title="Agree words early",
        themes=[trust],
        tags=["water", "🎉"],
        partnership=case_studies["water"],
    )
    pending = make_lesson(
        title="Pending", themes=[trust], moderation="pending", status_token="t" * 32
    )
    check = health_check_create(
        answers={"x": "green"}, scores={trust.slug: 100.0}, address="192.0.2.1"
    )
    # A partner's private sign-off link on the published case study (signoff/).
    signoff = PartnerSignoff.objects.create(
        participation=case_studies["water"].participations.first(),
        contact_email="partner@example.org",
        token="s" * 32,
        expires_at=timezone.now() + timedelta(days=1),
    )
    return {
        "signoff": signoff,
        "theme": trust,
        "lesson": lesson,
        "pending": pending,
        "partnership": case_studies["water"],
        "organisation": ministry,
        "check": check,
    }


def page_paths(site):
    """One address of every page type, each a real page of `site`."""
    return {
        "home": "/",
        "theme-list": reverse("lessons:theme-list"),
        "theme-detail": site["theme"].get_absolute_url(),
        "lesson-list": reverse("browse:lesson-list"),
        "lesson-detail": site["lesson"].get_absolute_url(),
        "lesson-export-csv": reverse("browse:lesson-export", args=["csv"]),
        "lesson-export-json": reverse("browse:lesson-export", args=["json"]),
        "partnership-list": reverse("browse:partnership-list"),
        "partnership-detail": site["partnership"].get_absolute_url(),
        "partnership-export-csv": reverse("browse:partnership-export", args=["csv"]),
        "partnership-export-json": reverse("browse:partnership-export", args=["json"]),
        "organisation-detail": site["organisation"].get_absolute_url(),
        "tag-list": reverse("pages:tag-list"),
        "tag-detail": reverse("pages:tag-detail", args=["water"]),
        "tag-suggestions": reverse("pages:tag-suggestions"),
        "search": reverse("search:search"),
        "insights": reverse("insights:insights"),
        "health-check": reverse("healthcheck:health-check"),
        "health-check-result": site["check"].get_absolute_url(),
        "submission-status": reverse("submissions:status", args=[site["pending"].status_token]),
        "lesson-submit": reverse("submissions:lesson-submit"),
        "partnership-submit": reverse("submissions:partnership-submit"),
        "lesson-feed": reverse("pages:lesson-feed"),
        "theme-feed": reverse("pages:theme-feed", args=[site["theme"].slug]),
        "tag-feed": reverse("pages:tag-feed", args=["water"]),
        "partnership-feed": reverse("pages:partnership-feed"),
        "sitemap": reverse("pages:sitemap"),
        **{
            f"sitemap-{section}": reverse("pages:sitemap-section", args=[section])
            for section in ("pages", "themes", "partnerships", "organisations", "lessons", "tags")
        },
        "robots": reverse("pages:robots"),
        "signoff-answer": reverse("signoff:answer", args=[site["signoff"].token]),
        "archive": reverse("archive:archive"),
    }


PAGE_TYPES = [
    "home",
    "theme-list",
    "theme-detail",
    "lesson-list",
    "lesson-detail",
    "lesson-export-csv",
    "lesson-export-json",
    "partnership-list",
    "partnership-detail",
    "partnership-export-csv",
    "partnership-export-json",
    "organisation-detail",
    "tag-list",
    "tag-detail",
    "tag-suggestions",
    "search",
    "insights",
    "health-check",
    "health-check-result",
    "submission-status",
    "lesson-submit",
    "partnership-submit",
    "lesson-feed",
    "theme-feed",
    "tag-feed",
    "partnership-feed",
    "sitemap",
    *(
        f"sitemap-{section}"
        for section in ("pages", "themes", "partnerships", "organisations", "lessons", "tags")
    ),
    "robots",
    "signoff-answer",
    "archive",
]


def test_every_page_type_is_fuzzed(site):
    assert sorted(page_paths(site)) == sorted(PAGE_TYPES)


@pytest.mark.parametrize("page", PAGE_TYPES)
def test_no_query_string_gives_a_server_error(client, site, page):
    path = page_paths(site)[page]
    valid = [site["theme"].slug, "water", "🎉", site["check"].token]

    @FUZZ
    @given(params=query_params(valid))
    def check(params):
        response = client.get(f"{path}?{query_string(params)}")
        read(response)
        assert response.status_code < 500

    check()


@pytest.mark.parametrize("page", PAGE_TYPES)
def test_every_parameter_takes_every_hostile_value(client, site, page):
    """A sweep, not a sample: each hostile value in every parameter the site reads at once."""
    path = page_paths(site)[page]
    for value in HOSTILE + RAW:
        if "\x00" in value or value == "%00":
            continue
        response = client.get(f"{path}?{query_string(dict.fromkeys(PARAMETERS, [value]))}")
        read(response)
        assert response.status_code < 500, value


def test_a_nul_in_any_query_string_is_a_bad_request_that_says_why(client, site):
    for page, path in page_paths(site).items():
        for query in ["q=%00", "q=a%00b&page=2", "%00=1", "tag=water&tag%00=x"]:
            response = client.get(f"{path}?{query}")

            assert response.status_code == 400, (page, query)
            assert "NUL character (%00)" in response.content.decode(), (page, query)


@pytest.mark.parametrize("path", ["/tags/%00/", "/lessons/a%00/", "/submissions/%00x/", "/%00"])
def test_a_nul_in_any_path_is_not_found(client, site, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_a_nul_is_refused_in_json_for_a_client_that_reads_json(client, site):
    response = client.get("/api/v1/lessons?q=%00", headers={"accept": "application/json"})

    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]


# Path segments: whatever names a tag, a token or a slug.
SEGMENT_PAGES = {
    "tag-detail": "pages:tag-detail",
    "tag-feed": "pages:tag-feed",
    "theme-feed": "pages:theme-feed",
    "submission-status": "submissions:status",
    "submission-revise": "submissions:revise",
    "health-check-result": "healthcheck:health-check-result",
    "lesson-helpful": "lessons:lesson-helpful",
    "signoff-answer": "signoff:answer",
    "lesson-applied": "lessons:lesson-applied",
}


@pytest.mark.parametrize("page", SEGMENT_PAGES)
def test_no_path_segment_gives_a_server_error(client, site, page):
    prefix = reverse(SEGMENT_PAGES[page], args=["SEGMENT"]).split("SEGMENT")

    @FUZZ
    @given(segment=st.one_of(st.sampled_from(HOSTILE + RAW), TEXT).filter(bool))
    def check(segment):
        encoded = segment if isinstance(segment, Raw) else quote(segment, safe="")
        response = client.get(encoded.join(prefix))
        read(response)
        assert response.status_code < 500

    check()


# Forms ------------------------------------------------------------------------------


def form_fields(base, extra=()):
    """Any of a form's fields (and a few it lacks) set to any value or values."""
    names = st.sampled_from([*base, *extra])
    return st.dictionaries(names, st.lists(values(), min_size=1, max_size=3), max_size=4)


def post(client, path, base, changes):
    return client.post(path, {**base, **changes})


def test_no_lesson_form_input_gives_a_server_error(client, site):
    path = reverse("submissions:lesson-submit")
    base = lesson_data([site["theme"]], partnership=str(site["partnership"].pk))

    @FORM_FUZZ
    @given(changes=form_fields(base, ["unknown", "csrfmiddlewaretoken"]))
    def check(changes):
        response = post(client, path, base, changes)
        assert_stored_or_shown_again(response, changes.get("title", [base["title"]])[-1])

    check()


def assert_stored_or_shown_again(response, typed):
    """A form's answer to any input: stored (302), or shown again with its errors (400)."""
    assert response.status_code in {302, 400}, LIMITED.get(response.status_code)
    if response.status_code == 400:
        html = response.content.decode()
        assert "error-summary" in html
        assert escape(typed) in html  # what was typed is kept


def test_no_case_study_form_input_gives_a_server_error(client, site):
    path = reverse("submissions:partnership-submit")
    base = partnership_data()

    @FORM_FUZZ
    @given(changes=form_fields(base, ["partners-4-name", "partners-19-sector", "unknown"]))
    def check(changes):
        response = post(client, path, base, changes)
        assert_stored_or_shown_again(response, changes.get("name", [base["name"]])[-1])

    check()


def test_no_health_check_input_gives_a_server_error(client, site):
    path = reverse("healthcheck:health-check")
    base = {f"{site['theme'].slug}-1": "green", f"{site['theme'].slug}-2": "red", "compare": ""}

    @FORM_FUZZ
    @given(changes=form_fields(base, ["unknown"]))
    def check(changes):
        response = post(client, path, base, changes)
        assert response.status_code in {302, 400}, LIMITED.get(response.status_code)
        if response.status_code == 400:
            assert "error-summary" in response.content.decode()

    check()


def test_no_helpful_post_gives_a_server_error(client, site):
    path = reverse("lessons:lesson-helpful", args=[site["lesson"].slug])

    @FUZZ
    @given(changes=form_fields({"next": "", "slug": ""}))
    def check(changes):
        response = client.post(path, changes)
        assert response.status_code < 500

    check()


def test_no_signoff_answer_gives_a_server_error(client, site):
    path = reverse("signoff:answer", args=[site["signoff"].token])
    base = {"answer": "disputed", "comment": "We see it differently.", "hide_name": ""}

    @FORM_FUZZ
    @given(changes=form_fields(base, ["unknown"]))
    def check(changes):
        response = post(client, path, base, changes)
        assert response.status_code in {302, 400}, LIMITED.get(response.status_code)
        if response.status_code == 400:
            assert "error-summary" in response.content.decode()

    check()


def test_no_applied_report_input_gives_a_server_error(client, site):
    """ "Did you apply this lesson?": stored (302) or the lesson page again with its errors and
    the note kept (400), whatever is sent."""
    path = reverse("lessons:lesson-applied", args=[site["lesson"].slug])
    base = {"outcome": "helped", "sector": "business", "region": "europe", "note": "It helped."}

    @FORM_FUZZ
    @given(changes=form_fields(base, ["website", "unknown"]))
    def check(changes):
        response = post(client, path, base, changes)
        assert response.status_code in {302, 400}, LIMITED.get(response.status_code)
        if response.status_code == 400:
            html = response.content.decode()
            assert "error-summary" in html
            note = changes.get("note", [base["note"]])[-1].replace("\x00", "").strip()
            if len(note) <= 1000 and note:
                assert escape(note) in html  # what was typed is kept

    check()
