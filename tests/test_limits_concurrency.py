"""Each hourly limit on anonymous writes holds when one address sends many at the same moment.

Twenty requests from one address are released together at gunicorn's worker processes,
on SQLite and (when configured) on PostgreSQL: exactly the limit is stored, the rest are
answered 429 with nothing stored. The site trusts one proxy hop, so each test speaks from
an address of its own through X-Forwarded-For and the limits of one test leave the next
alone.
"""

import hashlib
import hmac
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass

import pytest

from bench.servers import gunicorn, manage, prepare_site, production_env
from tests.test_concurrency import ENGINES, database

pytestmark = pytest.mark.slow

LIMIT = 5
AT_ONCE = 20
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE = re.compile(r"csrftoken=([^;]+)")
THEME = re.compile(r'name="themes" value="(\d+)"')
GREEN = re.compile(r'name="([^"]+)" value="green"')


@dataclass
class Site:
    engine: str
    base_url: str
    connect: object
    secret_key: str
    log_path: object

    def query(self, sql, params=()):
        db = self.connect()
        if self.engine == "postgresql":
            # psycopg reads %s placeholders, and a % of its own only when there are some.
            sql = sql.replace("%", "%%").replace("?", "%s")
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def count(self, sql, params=()):
        return self.query(sql, params)[0][0]

    def address_hash(self, address):
        """The site's keyed hash of an address (core.ratelimit.address_hash)."""
        return hmac.new(self.secret_key.encode(), address.encode(), hashlib.sha256).hexdigest()

    def records(self, kind, address):
        """Writes of this kind the limit counted from this address."""
        sql = "SELECT COUNT(*) FROM alliances_submissionrecord WHERE kind = ? AND address_hash = ?"
        return self.count(sql, (kind, self.address_hash(address)))

    def votes(self, address):
        sql = "SELECT COUNT(*) FROM lessons_helpfulvote WHERE voter = ?"
        return self.count(sql, (self.address_hash(address),))


@pytest.fixture(scope="module", params=ENGINES)
def site(request, tmp_path_factory):
    engine = request.param
    workdir = tmp_path_factory.mktemp(f"limits-{engine}")
    with database(engine, workdir, suffix="limits") as (settings, connect):
        env = production_env(
            workdir,
            DJANGO_SUBMISSIONS_PER_HOUR=str(LIMIT),
            DJANGO_HEALTH_CHECKS_PER_HOUR=str(LIMIT),
            DJANGO_VOTES_PER_HOUR=str(LIMIT),
            DJANGO_TRUSTED_PROXY_HOPS="1",
        )
        env.pop("DATABASE_URL", None)
        env.update(settings)
        prepare_site(env)
        manage(env, "generate_sample", "--lessons", "12", "--partnerships", "2", "--seed", "5")
        log_path = workdir / "gunicorn.log"
        with gunicorn(env, workers=4, log_path=log_path) as base_url:
            yield Site(engine, base_url, connect, env["DJANGO_SECRET_KEY"], log_path)
        log = log_path.read_text()
    assert "Traceback" not in log
    assert "database is locked" not in log


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(request):
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(request, timeout=60)
    except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx alike
        response = error
    return response.status, response.headers, response.read().decode(errors="replace")


def form_page(site, path):
    """The form's page, and the CSRF cookie and token that let it be posted."""
    _status, headers, html = _open(urllib.request.Request(site.base_url + path))
    cookie = COOKIE.search(headers.get("Set-Cookie", "")).group(1)
    return html, cookie, TOKEN.search(html).group(1)


def post_at_once(site, posts, *, address, form_path):
    """Send every (path, data) together from one address; the (status, headers, body) of each."""
    _html, cookie, token = form_page(site, form_path)
    start = threading.Barrier(len(posts))
    answers = [None] * len(posts)

    def send(number, path, data):
        request = urllib.request.Request(
            site.base_url + path,
            data=urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode(),
            headers={
                "Cookie": f"csrftoken={cookie}",
                "Referer": site.base_url + form_path,
                "X-Forwarded-For": address,
            },
        )
        start.wait()
        answers[number] = _open(request)

    threads = [
        threading.Thread(target=send, args=(number, path, data))
        for number, (path, data) in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def assert_limit_held(answers, *, wording):
    statuses = Counter(status for status, _headers, _body in answers)
    assert statuses == {302: LIMIT, 429: AT_ONCE - LIMIT}
    for status, headers, body in answers:
        if status == 429:
            assert 3500 <= int(headers["Retry-After"]) <= 3600
            assert wording in body
            assert "Traceback" not in body


def test_concurrent_submissions_from_one_address_store_exactly_the_limit(site):
    address = "198.51.100.11"
    html, _cookie, _token = form_page(site, "/submit/lesson/")
    theme = THEME.search(html).group(1)
    posts = [
        (
            "/submit/lesson/",
            {
                "title": f"Racing lesson {number}",
                "context": f"Submission {number} of a burst from one address.",
                "insight": "A limit counted outside the write's transaction can be overrun.",
                "recommendation": "Count and store in one transaction, one at a time.",
                "experience": "worked",
                "themes": theme,
                "tags": "concurrency",
                "website": "",
            },
        )
        for number in range(AT_ONCE)
    ]

    answers = post_at_once(site, posts, address=address, form_path="/submit/lesson/")

    assert_limit_held(answers, wording=f"up to {LIMIT} submissions an hour")
    stored = site.query("SELECT COUNT(*) FROM lessons_lesson WHERE title LIKE 'Racing lesson %'")
    assert stored[0][0] == LIMIT
    assert site.records("submission", address) == LIMIT


def test_concurrent_health_checks_from_one_address_store_exactly_the_limit(site):
    address = "198.51.100.12"
    html, _cookie, _token = form_page(site, "/health-check/")
    answers_given = dict.fromkeys(GREEN.findall(html), "green")
    assert len(answers_given) > 10
    before = site.count("SELECT COUNT(*) FROM lessons_healthcheck")

    answers = post_at_once(
        site,
        [("/health-check/", answers_given)] * AT_ONCE,
        address=address,
        form_path="/health-check/",
    )

    assert_limit_held(answers, wording=f"up to {LIMIT} health checks an hour")
    assert site.count("SELECT COUNT(*) FROM lessons_healthcheck") == before + LIMIT
    assert site.records("health-check", address) == LIMIT


def published_lessons(site):
    return site.query(
        "SELECT slug, helpful_count FROM lessons_lesson "
        "WHERE moderation_status = 'published' ORDER BY slug"
    )


def test_concurrent_votes_on_many_lessons_from_one_address_count_exactly_the_limit(site):
    address = "198.51.100.13"
    lessons = dict(published_lessons(site)[:AT_ONCE])
    assert len(lessons) == AT_ONCE
    sessions = site.count("SELECT COUNT(*) FROM django_session")

    answers = post_at_once(
        site,
        [(f"/lessons/{slug}/helpful/", {}) for slug in lessons],
        address=address,
        form_path=f"/lessons/{next(iter(lessons))}/",
    )

    assert_limit_held(answers, wording=f"up to {LIMIT} “this helped me” an hour")
    after = dict(published_lessons(site))
    gained = {slug: after[slug] - count for slug, count in lessons.items()}
    assert sorted(gained.values()) == [0] * (AT_ONCE - LIMIT) + [1] * LIMIT
    assert site.votes(address) == LIMIT
    assert site.records("vote", address) == LIMIT
    assert site.count("SELECT COUNT(*) FROM django_session") == sessions


def test_concurrent_votes_on_one_lesson_from_one_address_count_once(site):
    address = "198.51.100.14"
    slug, count = published_lessons(site)[-1]
    sessions = site.count("SELECT COUNT(*) FROM django_session")

    answers = post_at_once(
        site,
        [(f"/lessons/{slug}/helpful/", {})] * AT_ONCE,
        address=address,
        form_path=f"/lessons/{slug}/",
    )

    assert Counter(status for status, _headers, _body in answers) == {302: AT_ONCE}
    assert dict(published_lessons(site))[slug] == count + 1
    assert site.votes(address) == 1
    assert site.records("vote", address) == 1
    assert site.count("SELECT COUNT(*) FROM django_session") == sessions
