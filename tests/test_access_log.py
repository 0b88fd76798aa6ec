"""gunicorn, started as `make serve` starts it, keeps private links' secrets out of its log."""

import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.servers import BASE_DIR, free_port, manage, prepare_site, production_env
from core.privacy import REDACTED

pytestmark = pytest.mark.slow

# A pending lesson with a status link, and a health check with its result link.
CREATE_PRIVATE_ITEMS = """
from healthcheck.scoring import health_check_create
from lessons.models import Lesson, Theme
lesson = Lesson.objects.create(
    title="Private lesson", slug="private-lesson", context="c", insight="i",
    recommendation="r", experience="worked", status_token="{status_token}",
)
scores = {{theme.slug: 50 for theme in Theme.objects.all()}}
check = health_check_create(answers={{"x": "green"}}, scores=scores, address="192.0.2.1")
print(check.token)
"""


@contextmanager
def served(env, log_path):
    """gunicorn with the project's configuration file, as `make serve` and the unit run it."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-c",
        "config/gunicorn.conf.py",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while fetch(f"{base_url}/robots.txt") != 200:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {log_path}")
                time.sleep(0.2)
            yield base_url
        finally:
            process.terminate()
            process.wait(timeout=20)


def fetch(url, **headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5):
            return 200
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_access_and_error_logs_show_private_links_redacted(tmp_path):
    env = production_env(tmp_path)
    env.pop("DATABASE_URL", None)
    prepare_site(env)
    status_token = secrets.token_urlsafe(24)
    created = manage(env, "shell", "-c", CREATE_PRIVATE_ITEMS.format(status_token=status_token))
    check_token = created.split()[-1]
    unknown_token = secrets.token_urlsafe(24)
    log_path = tmp_path / "gunicorn.log"

    with served(env, log_path) as site:
        answers = [
            fetch(f"{site}/submissions/{status_token}/"),
            fetch(f"{site}/health-check/{check_token}/"),
            fetch(f"{site}/health-check/?compare={check_token}"),
            fetch(f"{site}/%73ubmissions/{status_token}/"),
            fetch(f"{site}/submissions/{unknown_token}/"),
            fetch(f"{site}/themes/", Referer=f"{site}/health-check/{check_token}/"),
        ]

    log = log_path.read_text()
    assert answers == [200, 200, 200, 200, 404, 200]
    for token in (status_token, check_token, unknown_token):
        assert token not in log
    assert f'"GET /submissions/{REDACTED}/ HTTP/1.1" 200' in log
    assert f'"GET /health-check/{REDACTED}/ HTTP/1.1" 200' in log
    assert f'"GET /health-check/?compare={REDACTED} HTTP/1.1" 200' in log
    assert f'"GET /submissions/{REDACTED}/ HTTP/1.1" 404' in log
    assert f"Not Found: /submissions/{REDACTED}/" in log  # Django's request log
    assert '"GET /themes/ HTTP/1.1" 200' in log
    assert f'"{site}/health-check/{REDACTED}/"' in log  # the referrer
