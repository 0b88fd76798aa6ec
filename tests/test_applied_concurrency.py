""" "I applied this lesson" counted exactly under concurrency: 200 reports on one lesson,
released together at gunicorn's worker processes, are stored and counted exactly once each
— on SQLite and (when configured) on PostgreSQL.

Each report comes from an address of its own (the site trusts one proxy hop and reads
X-Forwarded-For), so the per-address hourly limit is not what is tested here: it stays at
its default, and every report is within it. The lesson's counters are moved by the
database's triggers in each report's transaction (lessons/applied_counts.py).
"""

import re
import threading
import urllib.parse
import urllib.request
from collections import Counter

import pytest

from bench.servers import gunicorn, manage, prepare_site, production_env
from tests.test_concurrency import ENGINES, database
from tests.test_limits_concurrency import _open, form_page

pytestmark = pytest.mark.slow

REPORTS = 200
OUTCOMES = ("helped", "partly", "not_helped")
LESSON_LINK = re.compile(r'href="(/lessons/[^"/]+/)"')


@pytest.mark.parametrize("engine", ENGINES)
def test_two_hundred_concurrent_reports_on_one_lesson_count_exactly_once_each(tmp_path, engine):
    with database(engine, tmp_path, suffix="applied") as (settings, connect):
        env = production_env(tmp_path, DJANGO_TRUSTED_PROXY_HOPS="1")
        env.pop("DATABASE_URL", None)
        env.update(settings)
        prepare_site(env)
        manage(env, "generate_sample", "--lessons", "4", "--partnerships", "1", "--seed", "3")
        log_path = tmp_path / "gunicorn.log"
        with gunicorn(env, workers=4, log_path=log_path) as base_url:
            site = type("Site", (), {"base_url": base_url})()
            _status, _headers, listing = _open(urllib.request.Request(base_url + "/lessons/"))
            lesson_path = LESSON_LINK.search(listing).group(1)
            _html, cookie, token = form_page(site, lesson_path)
            answers = _report_at_once(base_url, lesson_path, cookie, token)
            _status, _headers, page = _open(urllib.request.Request(base_url + lesson_path))
        log = log_path.read_text()

        slug = lesson_path.strip("/").split("/")[-1]
        db = connect()
        try:
            counts = db.execute(
                "SELECT applied_count, applied_helped_count, applied_partly_count, "
                "applied_not_helped_count, id FROM lessons_lesson WHERE slug = "
                + ("%s" if engine == "postgresql" else "?"),
                (slug,),
            ).fetchone()
            reports = db.execute(
                "SELECT outcome, COUNT(*) FROM lessons_applicationreport "
                "WHERE lesson_id = " + ("%s" if engine == "postgresql" else "?") + " "
                "AND moderation_status = 'published' GROUP BY outcome",
                (counts[4],),
            ).fetchall()
        finally:
            db.close()

    assert Counter(status for status, _headers, _body in answers) == {302: REPORTS}
    expected = Counter(OUTCOMES[number % 3] for number in range(REPORTS))
    assert dict(reports) == dict(expected)
    assert counts[:4] == (
        REPORTS,
        expected["helped"],
        expected["partly"],
        expected["not_helped"],
    )
    assert f"Applied <strong>{REPORTS}</strong> times" in page
    assert "Traceback" not in log
    assert "database is locked" not in log


def _report_at_once(base_url, lesson_path, cookie, token):
    start = threading.Barrier(REPORTS)
    answers = [None] * REPORTS

    def send(number):
        data = {
            "csrfmiddlewaretoken": token,
            "outcome": OUTCOMES[number % 3],
            "sector": "business",
            "region": "europe",
            "note": "",
            "website": "",
        }
        request = urllib.request.Request(
            f"{base_url}{lesson_path}applied/",
            data=urllib.parse.urlencode(data).encode(),
            headers={
                "Cookie": f"csrftoken={cookie}",
                "Referer": base_url + lesson_path,
                # An address of its own for each report (10.1.0.0 to 10.1.0.199).
                "X-Forwarded-For": f"10.1.{number // 250}.{number % 250}",
            },
        )
        start.wait()
        answers[number] = _open(request)

    threads = [threading.Thread(target=send, args=(number,)) for number in range(REPORTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers
