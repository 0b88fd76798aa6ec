"""Concurrent visitors submitting lessons through the real form, over HTTP.

Used by the concurrency test (small) and by `make bench` (400 submissions from 8 clients).
Each client fetches the form for its CSRF token, as a browser would, then posts.
Only loopback addresses are allowed as targets.
"""

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
THEME = re.compile(r'name="themes" value="(\d+)"')
COOKIE = re.compile(r"csrftoken=([^;]+)")


@dataclass
class LoadResult:
    statuses: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def stored(self):
        return self.statuses.get(302, 0)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(opener, request, timeout):
    try:
        return opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:  # 3xx (redirects not followed), 4xx, 5xx
        return error


def _client(base_url, numbers, result, lock, timeout):
    opener = urllib.request.build_opener(_NoRedirect)
    form_url = f"{base_url}/submit/lesson/"
    for number in numbers:
        try:
            page = _open(opener, urllib.request.Request(form_url), timeout)
            html = page.read().decode()
            cookie = COOKIE.search(page.headers.get("Set-Cookie", "")).group(1)
            data = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": TOKEN.search(html).group(1),
                    "title": f"Concurrent lesson {number}",
                    "context": f"Load test submission {number}: what happened.",
                    "insight": "Many visitors can share at the same moment.",
                    "recommendation": "Queue writers instead of failing them.",
                    "experience": "worked",
                    "themes": THEME.search(html).group(1),
                    "tags": "load test, concurrency",
                    "website": "",
                }
            ).encode()
            request = urllib.request.Request(
                form_url,
                data=data,
                headers={"Cookie": f"csrftoken={cookie}", "Referer": form_url},
            )
            response = _open(opener, request, timeout)
            body = response.read().decode(errors="replace")
            with lock:
                result.statuses[response.status] += 1
                if response.status != 302:
                    result.errors.append(f"{number}: HTTP {response.status} {body[:200]}")
        except Exception as error:  # a refused or timed-out connection counts as a failure
            with lock:
                result.statuses["exception"] += 1
                result.errors.append(f"{number}: {error!r}")


def post_lessons(base_url, *, clients, total, timeout=30):
    """Post `total` valid lessons from `clients` concurrent clients; returns a LoadResult."""
    host = urllib.parse.urlsplit(base_url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError("Load is only ever sent to this machine's loopback address.")
    result, lock = LoadResult(), threading.Lock()
    shares = [range(start, total, clients) for start in range(clients)]
    threads = [
        threading.Thread(target=_client, args=(base_url, share, result, lock, timeout))
        for share in shares
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result
