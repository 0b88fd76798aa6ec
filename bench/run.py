"""`make bench`: how the site holds up at 1,000 and at 100,000 lessons. Prints one table.

For each size it builds a fresh SQLite database (the report plus generated sample data),
times every page type in-process (median and 95th percentile of repeated requests, with
the query count), and compares full-text search with a plain icontains scan. Then,
through gunicorn on loopback, it measures requests per second for the lesson list and
for a static file, and posts 400 lessons from 8 concurrent clients.

The table is also written to docs/benchmarks.md with the machine it ran on. Everything
runs on this machine's loopback address and stops by itself.

    BENCH_SIZES=1000,100000 BENCH_REQUESTS=30 BENCH_SECONDS=5 make bench
"""

import http.client
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.servers import BASE_DIR, gunicorn, manage, prepare_site, production_env
from bench.submit_load import post_lessons

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,100000").split(",")]
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", 5))
LOAD_CLIENTS = 8


def build(size, workdir):
    env = production_env(workdir, DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver")
    env.pop("DATABASE_URL", None)
    prepare_site(env)
    started = time.perf_counter()
    manage(
        env, "generate_sample", "--partnerships", str(max(size // 10, 10)), "--lessons", str(size)
    )
    return env, time.perf_counter() - started


def measure_pages(env):
    output = subprocess.run(
        [sys.executable, "-m", "bench.measure_pages"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


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
    return sum(done) / (time.monotonic() - started), sum(failed)


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import django

    return (
        f"{os.cpu_count()} cores ({cpu}), Linux {platform.release()}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def main():
    workroot = Path(tempfile.mkdtemp(prefix="ua-bench-"))
    sizes, generation = {}, {}
    for size in SIZES:
        print(f"Building {size:,} lessons…", file=sys.stderr)
        env, seconds = build(size, workroot / str(size))
        generation[size] = seconds
        print(f"  generated in {seconds:.1f} s; timing pages…", file=sys.stderr)
        sizes[size] = (env, measure_pages(env))

    small, large = SIZES[0], SIZES[-1]
    large_env = sizes[large][0]
    print("Load through gunicorn…", file=sys.stderr)
    with gunicorn(large_env, workers=2, log_path=workroot / "gunicorn-read.log") as base_url:
        manifest = json.loads(
            (Path(large_env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").read_text()
        )
        static_path = "/static/" + manifest["paths"]["css/site.css"]
        requests_per_second(base_url, "/lessons/", seconds=1)  # warm the workers
        list_rps, list_failed = requests_per_second(base_url, "/lessons/")
        static_rps, static_failed = requests_per_second(base_url, static_path)

    print("400 concurrent submissions…", file=sys.stderr)
    concurrency_env = production_env(workroot / "concurrency", DJANGO_SUBMISSIONS_PER_HOUR="100000")
    concurrency_env.pop("DATABASE_URL", None)
    prepare_site(concurrency_env)
    log_path = workroot / "gunicorn-write.log"
    with gunicorn(concurrency_env, workers=2, log_path=log_path) as base_url:
        load = post_lessons(base_url, clients=8, total=400)
    with sqlite3.connect(Path(concurrency_env["DJANGO_SQLITE_PATH"])) as db:
        stored = db.execute(
            "SELECT COUNT(*) FROM lessons_lesson WHERE title LIKE 'Concurrent lesson %'"
        ).fetchone()[0]
    locked = log_path.read_text().count("database is locked")

    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        "Data: the report's content plus generated sample data; lessons at each size: "
        + ", ".join(
            f"{sizes[s][1]['_counts']['lessons']:,} ({sizes[s][1]['_counts']['partnerships']:,} "
            f"case studies, generated in {generation[s]:.1f} s)"
            for s in SIZES
        )
        + ". Server time is Django's own (in-process test client, no network), "
        f"median and 95th percentile of {os.environ.get('BENCH_REQUESTS', 30)} requests after "
        "one warm-up, so cached facet and tag counts are warm; 'cold' is the first request.",
        "",
        f"| page | median ms at {small:,} | p95 ms | queries | median ms at {large:,} | p95 ms "
        f"| queries | cold ms at {large:,} | ratio of medians |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    small_pages, large_pages = sizes[small][1], sizes[large][1]
    for name, a in small_pages.items():
        if name.startswith("_"):
            continue
        b = large_pages[name]
        lines.append(
            f"| {name} | {a['median_ms']:.1f} | {a['p95_ms']:.1f} | {a['queries']} "
            f"| {b['median_ms']:.1f} | {b['p95_ms']:.1f} | {b['queries']} | {b['cold_ms']:.0f} "
            f"| {b['median_ms'] / a['median_ms']:.2f} |"
        )
    scan = large_pages["_search_vs_scan"]
    lines += [
        "",
        "| measure | result |",
        "| --- | --- |",
        f"| full-text search vs icontains scan, “{scan['word']}”, {large:,} lessons "
        f"| {scan['fts_ms']:.1f} ms vs {scan['scan_ms']:.1f} ms: "
        f"**{scan['scan_ms'] / scan['fts_ms']:.0f}× faster**; {scan['fts_matches']:,} vs "
        f"{scan['scan_lesson_matches']:,} lessons matched (search stems words); "
        f"{scan['fts_top_lessons_found_by_scan']} of its top {scan['fts_top_lessons']} also "
        "found by the scan |",
        # Issue 10 (search): the whole page, rendered, with no counts, facets or page cached.
        f"| search page for “{scan['word']}”, nothing cached, vs the scan, {large:,} lessons "
        f"| {scan['page_cold_ms']:.1f} ms vs {scan['scan_ms']:.1f} ms: "
        f"**{scan['scan_ms'] / scan['page_cold_ms']:.0f}× faster** |",
        f"| requests/s through gunicorn (2 workers, {LOAD_CLIENTS} keep-alive clients, "
        f"{LOAD_SECONDS:.0f} s): lesson list at {large:,} | {list_rps:.0f}/s "
        f"({list_failed} failed) |",
        f"| requests/s, one static file (whitenoise) | {static_rps:.0f}/s ({static_failed} "
        f"failed); lesson list / static file = {list_rps / static_rps:.2f} |",
        f"| 400 lesson submissions, 8 clients, gunicorn 2 workers, SQLite | {stored} stored, "
        f"{load.statuses.get(302, 0)} answered 302, "
        f"{sum(v for k, v in load.statuses.items() if k != 302)} other answers, "
        f"{locked} 'database is locked', {load.seconds:.1f} s "
        f"({400 / load.seconds:.0f} submissions/s) |",
    ]
    table = "\n".join(lines)
    print(table)
    docs = BASE_DIR / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "benchmarks.md").write_text(
        "# Benchmarks\n\nWritten by `make bench` (bench/run.py); rerun it to measure your "
        "machine.\n\n" + table + "\n"
    )


if __name__ == "__main__":
    main()
