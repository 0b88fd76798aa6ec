"""`make bench`: how the site holds up at 1,000 and at 100,000 lessons.

For each size it builds a fresh SQLite database (the report plus generated sample data,
timing generate_sample) and measures in-process, in a fresh process each time:

- every page type twice: rendered (the page cache off, DJANGO_PAGE_CACHE=0) and served
  (the page cache on), median and 95th percentile with the query count;
- the first request to each list page after a publication made through the moderation
  service;
- full-text search against an icontains scan, and the whole search page for a word
  searched for the first time;
- at the largest size, building the open archive (bench/measure_archive.py): time, peak
  memory and the zip's size.

Then, through gunicorn on loopback with config/gunicorn.conf.py (as `make serve`), the
requests per second of the lesson list at the largest size against a static file, and
400 lesson submissions from 8 concurrent clients. With BENCH_POSTGRES or DATABASE_URL
set, the sizes are built again on that PostgreSQL server, in databases of the bench's
own beside the one named (created, then dropped), and their pages measured the same way.

The tables are printed and written to docs/benchmarks.md with the machine they ran on.
Everything runs on this machine's loopback address, for fixed durations, and stops by
itself; the temporary files go too (BENCH_KEEP=1 keeps them, and the databases).

    BENCH_SIZES=1000,100000 BENCH_REQUESTS=30 BENCH_SECONDS=5 make bench
"""

import http.client
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.report import markdown
from bench.servers import (
    BASE_DIR,
    gunicorn,
    manage,
    postgres_database,
    prepare_site,
    production_env,
)
from bench.submit_load import post_lessons

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,100000").split(",")]
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", 5))
LOAD_CLIENTS = 8
POSTGRES_URL = os.environ.get("BENCH_POSTGRES") or os.environ.get("DATABASE_URL")
# Django's test client, which the in-process measures use, asks for the host "testserver".
IN_PROCESS = {"DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}


def log(message):
    print(message, file=sys.stderr, flush=True)


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(env, size):
    """Migrate, load the report and generate ``size`` lessons; the seconds generate_sample
    took, and the processor seconds it used (which other work on the machine does not
    inflate; on PostgreSQL, the server's are not counted)."""
    prepare_site(env)
    started, cpu = time.perf_counter(), children_cpu_seconds()
    manage(
        env, "generate_sample", "--partnerships", str(max(size // 10, 10)), "--lessons", str(size)
    )
    return time.perf_counter() - started, children_cpu_seconds() - cpu


def measure(env, *tasks, page_cache):
    """Run bench/measure_pages.py's tasks in a fresh process with the page cache on or off."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.measure_pages", *tasks],
        cwd=BASE_DIR,
        env={**env, "DJANGO_PAGE_CACHE": "1" if page_cache else "0"},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"measuring {' '.join(tasks)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def measure_size(env, size):
    """Everything measured in-process at one size, on the database ``env`` names."""
    log(f"  {size:,} lessons: generating…")
    generate_s, generate_cpu_s = build(env, size)
    results = {"generate_s": generate_s, "generate_cpu_s": generate_cpu_s}
    log(f"  generated in {results['generate_s']:.1f} s; pages rendered, then served…")
    rendered = measure(env, "pages", "search", page_cache=False)
    served = measure(env, "pages", "publish", page_cache=True)
    results.update(
        rendered=rendered["pages"],
        search=rendered["search"],
        served=served["pages"],
        publish=served["publish"],
        counts=served["counts"],
    )
    return results


def digests(env):
    """send_digests at 10,000 subscribers and 1,000 new lessons (bench/measure_digests.py),
    on the database ``env`` names, in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.measure_digests"],
        cwd=BASE_DIR,
        # Queued only: sending 10,000 emails is the outbox's work, measured apart from this.
        env={**env, "DJANGO_MAIL_SENDER_THREAD": "0"},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"measuring the digests failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def archive(env, workroot):
    """build_archive at this size (bench/measure_archive.py), in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.measure_archive", str(workroot / "archive")],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"measuring the archive build failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def requests_per_second(base_url, path, *, seconds=LOAD_SECONDS, clients=LOAD_CLIENTS):
    """Keep-alive GETs from several threads for a fixed time; successful responses a second."""
    host, port = base_url.removeprefix("http://").split(":")
    done, failed = [0] * clients, [0] * clients
    deadline = time.monotonic() + seconds

    def client(index):
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.monotonic() < deadline:
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    done[index] += 1
                else:
                    failed[index] += 1
            except (OSError, http.client.HTTPException):
                failed[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"rps": sum(done) / (time.monotonic() - started), "failed": sum(failed)}


def throughput(env, workroot):
    """Requests/s through gunicorn: the lesson list with the page cache on and off, and a
    static file served by whitenoise."""
    manifest = json.loads((Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").read_text())
    static_path = "/static/" + manifest["paths"]["css/site.css"]
    results = {}
    for page_cache in (True, False):
        served_env = {**env, "DJANGO_PAGE_CACHE": "1" if page_cache else "0"}
        log_path = workroot / f"gunicorn-read-{int(page_cache)}.log"
        with gunicorn(served_env, workers=2, log_path=log_path) as base_url:
            requests_per_second(base_url, "/lessons/", seconds=1)  # warm the workers
            key = "list_cached" if page_cache else "list_rendered"
            results[key] = requests_per_second(base_url, "/lessons/")
            if page_cache:
                requests_per_second(base_url, static_path, seconds=1)
                results["static"] = requests_per_second(base_url, static_path)
    return results


def submissions(workroot):
    """400 lessons posted through the form by 8 clients, gunicorn on SQLite."""
    env = production_env(workroot / "concurrency", DJANGO_SUBMISSIONS_PER_HOUR="100000")
    env.pop("DATABASE_URL", None)
    prepare_site(env)
    log_path = workroot / "gunicorn-write.log"
    with gunicorn(env, workers=2, log_path=log_path) as base_url:
        load = post_lessons(base_url, clients=8, total=400)
    with sqlite3.connect(Path(env["DJANGO_SQLITE_PATH"])) as db:
        stored = db.execute(
            "SELECT COUNT(*) FROM lessons_lesson WHERE title LIKE 'Concurrent lesson %'"
        ).fetchone()[0]
    return {
        "stored": stored,
        "redirected": load.statuses.get(302, 0),
        "other": sum(v for k, v in load.statuses.items() if k != 302),
        "locked": log_path.read_text().count("database is locked"),
        "seconds": load.seconds,
    }


def postgres_version(url):
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]


def main():
    workroot = Path(tempfile.mkdtemp(prefix="ua-bench-"))
    data = {"sizes": SIZES, "sqlite": {}, "postgresql": {}}
    try:
        log("SQLite:")
        for size in SIZES:
            env = production_env(workroot / f"sqlite-{size}", **IN_PROCESS)
            env.pop("DATABASE_URL", None)
            data["sqlite"][size] = measure_size(env, size)
        log("Digests at 10,000 subscribers…")
        data["sqlite"][SIZES[-1]]["digests"] = digests(env)
        log("The open archive…")
        data["sqlite"][SIZES[-1]]["archive"] = archive(env, workroot / "sqlite-archive")
        log("Load through gunicorn…")
        data["throughput"] = throughput(env, workroot)  # the largest size's site
        log("400 concurrent submissions…")
        data["submissions"] = submissions(workroot)
        if POSTGRES_URL:
            base = POSTGRES_URL.rsplit("/", 1)[1].split("?")[0]
            log("PostgreSQL:")
            for size in SIZES:
                with postgres_database(POSTGRES_URL, f"{base}_bench_{size}") as url:
                    # Read from the bench's own database: the one named need not exist.
                    data["postgres_version"] = postgres_version(url)
                    env = production_env(
                        workroot / f"postgresql-{size}", DATABASE_URL=url, **IN_PROCESS
                    )
                    data["postgresql"][size] = measure_size(env, size)
                    if size == SIZES[-1]:
                        data["postgresql"][size]["digests"] = digests(env)
                        data["postgresql"][size]["archive"] = archive(
                            env, workroot / "postgresql-archive"
                        )
    finally:
        if os.environ.get("BENCH_KEEP"):
            log(f"Kept {workroot}")
        else:
            shutil.rmtree(workroot, ignore_errors=True)
    table = markdown(data)
    print(table)
    docs = BASE_DIR / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "benchmarks.md").write_text(table + "\n")
    if os.environ.get("BENCH_JSON"):  # every figure, for comparing runs
        Path(os.environ["BENCH_JSON"]).write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
