"""The admin login's lockout over HTTP, across gunicorn's worker processes, on SQLite and
(when configured) PostgreSQL: concurrent guesses are all counted, in the database every
worker reads, and lock the account."""

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.servers import gunicorn, manage, production_env
from tests.test_admin_login import INDEX, LIMIT, LOCKOUT_MESSAGE, LOGIN, PASSWORD
from tests.test_concurrency import ENGINES, database

pytestmark = pytest.mark.slow

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE = re.compile(r"csrftoken=([^;]+)")


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_open(opener, request):
    try:
        return opener.open(request, timeout=30)
    except urllib.error.HTTPError as answer:  # not followed redirects, 4xx and 5xx
        return answer


def http_log_in(base_url, username, password):
    """Fetch the admin login form and post it, as a browser would: (status, page)."""
    opener = urllib.request.build_opener(KeepRedirects)
    url = f"{base_url}{LOGIN}"
    form = http_open(opener, urllib.request.Request(url))
    token = TOKEN.search(form.read().decode()).group(1)
    cookie = COOKIE.search(form.headers.get("Set-Cookie", "")).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": INDEX}
    ).encode()
    request = urllib.request.Request(url, data=data, headers={"Cookie": f"csrftoken={cookie}"})
    response = http_open(opener, request)
    return response.status, response.read().decode(errors="replace")


@pytest.mark.parametrize("engine", ENGINES)
def test_thirty_concurrent_guesses_through_gunicorn_workers_lock_the_account(tmp_path, engine):
    guesses, clients = 30, 6
    with database(engine, tmp_path) as (database_settings, connect):
        env = production_env(tmp_path)
        env.pop("DATABASE_URL", None)
        env.update(database_settings)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            *("createsuperuser", "--noinput", "--username", "curator", "--email", "c@x.org"),
        )

        with gunicorn(env, workers=3, log_path=tmp_path / "gunicorn.log") as base_url:
            started = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                answers = list(
                    pool.map(
                        lambda n: http_log_in(base_url, "curator", f"guess-{n}"), range(guesses)
                    )
                )
            seconds = time.perf_counter() - started
            right_status, right_page = http_log_in(base_url, "curator", PASSWORD)

        with connect() as db:
            failures = db.execute(
                "SELECT SUM(failures_since_start) FROM axes_accessattempt"
            ).fetchone()[0]

    statuses = Counter(status for status, _ in answers)
    print(f"{engine}: {guesses} guesses in {seconds:.1f} s from {clients} clients: {statuses}")
    assert set(statuses) <= {200, 429}
    # Requests already past the lock check when the limit was reached still had their
    # password checked: at most one per other concurrent client.
    assert statuses[200] <= LIMIT - 1 + clients - 1
    assert statuses[429] >= guesses - (LIMIT - 1 + clients - 1)
    assert all(LOCKOUT_MESSAGE in page for status, page in answers if status == 429)
    assert right_status == 429 and LOCKOUT_MESSAGE in right_page
    # Every guess was counted, in the database every worker reads.
    assert failures == guesses + 1
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
