"""The Markdown that `make bench` prints and writes to docs/benchmarks.md, from its figures.

Each table ends with the issue's target for it and whether this run met it.
"""

import os
import platform
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

# The targets (issue 10).
PAGE_GROWTH = 1.3  # median at the largest size / median at the smallest
COLD_GROWTH = 1.5  # first request after a publication, largest / smallest
STATIC_SHARE = 0.5  # cached lesson list's requests/s / a static file's
SEARCH_SPEEDUP = 100  # the search's queries against the scan's
PAGE_SPEEDUP = 30  # the whole search page, nothing cached, against the scan
GENERATE_SECONDS = 60  # generate_sample at 100,000 lessons, SQLite


def machine(postgres_version=None):
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import django

    described = (
        f"{os.cpu_count()} cores ({cpu}), Linux {platform.release()}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    if postgres_version:
        described += f", PostgreSQL {postgres_version}"
    try:
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        described += f"; load average at the end {load}"
    except OSError:
        pass
    return described


def met(ok):
    return "yes" if ok else "**no**"


def _size(size):
    return f"{size:,}"


def _times(ratio):
    return f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.1f}×"


def page_table(engine, small, large, mode):
    """One row per page type: both sizes' median, p95 and queries, the ratio, the target."""
    a_pages, b_pages = engine[small][mode], engine[large][mode]
    lines = [
        f"| page | median ms at {_size(small)} | p95 | queries | median ms at {_size(large)} "
        f"| p95 | queries | ratio | ≤ {PAGE_GROWTH} and same queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, a in a_pages.items():
        b = b_pages[name]
        ratio = b["median_ms"] / a["median_ms"]
        lines.append(
            f"| {name} | {a['median_ms']:.1f} | {a['p95_ms']:.1f} | {a['queries']} "
            f"| {b['median_ms']:.1f} | {b['p95_ms']:.1f} | {b['queries']} | {ratio:.2f} "
            f"| {met(ratio <= PAGE_GROWTH and a['queries'] == b['queries'])} |"
        )
    return lines


def publish_table(engine, small, large):
    a_pages, b_pages = engine[small]["publish"], engine[large]["publish"]
    lines = [
        f"| list page | first request ms at {_size(small)} | queries "
        f"| first request ms at {_size(large)} | queries | ratio | ≤ {COLD_GROWTH} |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, a in a_pages.items():
        b = b_pages[name]
        ratio = b["first_ms"] / a["first_ms"]
        lines.append(
            f"| {name} (`{a['url']}`) | {a['first_ms']:.1f} | {a['queries']} "
            f"| {b['first_ms']:.1f} | {b['queries']} | {ratio:.2f} | {met(ratio <= COLD_GROWTH)} |"
        )
    return lines


def engine_section(title, engine, sizes, generated_note):
    small, large = sizes[0], sizes[-1]
    lines = [
        f"## {title}",
        "",
        "Lessons at each size: "
        + ", ".join(
            f"{engine[s]['counts']['lessons']:,} ({engine[s]['counts']['partnerships']:,} "
            f"case studies; generate_sample took {engine[s]['generate_s']:.1f} s, "
            f"{engine[s]['generate_cpu_s']:.1f} s of processor time)"
            for s in sizes
        )
        + f". {generated_note}".rstrip(),
        "",
        "### Pages rendered (page cache off: `DJANGO_PAGE_CACHE=0`)",
        "",
        *page_table(engine, small, large, "rendered"),
        "",
        "### Pages served (page cache on, as visitors get them)",
        "",
        *page_table(engine, small, large, "served"),
        "",
        "### First request to each list after a publication (page cache on)",
        "",
        *publish_table(engine, small, large),
    ]
    return lines


def search_lines(engine, large):
    found = engine[large]["search"]
    speedup = found["scan_ms"] / found["search_ms"]
    page_speedup = found["scan_ms"] / found["page_ms"]
    reference = found["reference"]
    if isinstance(reference, str):
        same = reference
    else:
        in_place = sum(a == b for a, b in zip(found["top"], reference, strict=False))
        same = f"{met(found['same_top_as_reference'])} ({in_place} of {len(reference)} in place)"
    return [
        f"| search vs icontains scan, “{found['word']}”, {_size(large)} lessons, query against "
        f"query, caches cleared | {found['search_ms']:.1f} ms vs {found['scan_ms']:.1f} ms: "
        f"**{_times(speedup)}**; {found['matches']:,} vs {found['scan_matches']:,} lessons matched "
        f"(search stems words) | ≥ {SEARCH_SPEEDUP}×: {met(speedup >= SEARCH_SPEEDUP)} |",
        f"| its top 10 also matched by the scan | {found['top_found_by_scan']} of "
        f"{len(found['top'])} | all |",
        f"| its top 10 the same, in order, as ranking every match | {same} | yes |",
        f"| whole search page for a word searched for the first time (page cache off, caches "
        f"cleared) vs the scan | {found['page_ms']:.1f} ms: **{_times(page_speedup)}** "
        f"| ≥ {PAGE_SPEEDUP}×: {met(page_speedup >= PAGE_SPEEDUP)} |",
    ]


def digest_lines(results):
    """The follow-by-email digest run (bench/measure_digests.py), if it was measured."""
    digest = results.get("digests")
    if not digest:
        return []
    first, again = digest["first"], digest["again"]
    return [
        f"| `send_digests --frequency daily`: {digest['subscribers']:,} subscribers over "
        f"{digest['lists']} lists, {digest['new_lessons']:,} new lessons | "
        f"{first['seconds']:.1f} s, {first['queries']} queries in {first['batches']} batches "
        f"({first['sent']:,} digests queued) | queries per batch and per list, not per "
        f"subscriber or item |",
        f"| the same run again (nothing new) | {again['seconds']:.1f} s, {again['queries']} "
        f"queries, {again['sent']} queued | nothing sent twice |",
    ]


def archive_lines(results):
    """Building the open archive (bench/measure_archive.py), if it was measured."""
    built = results.get("archive")
    if not built:
        return []
    rows = built["rows"]
    added = built["rss_peak_mib"] - built["rss_before_mib"]
    return [
        f"| `build_archive`: {rows['lessons']:,} lessons, {rows['case-studies']:,} case "
        f"studies, {sum(rows.values()):,} rows in {len(rows)} tables (CSV and JSON, zipped) | "
        f"{built['seconds']:.1f} s; {built['bytes'] / 2**20:.1f} MiB zip; peak memory "
        f"{built['rss_peak_mib']:.0f} MiB ({added:+.0f} MiB over the process before the build) "
        f"| streamed: memory does not grow with the rows |",
    ]


def markdown(data):
    sizes = data["sizes"]
    large = sizes[-1]
    sqlite, load = data["sqlite"], data["throughput"]
    generate = sqlite[large]["generate_s"]
    target_note = ""
    if large >= 100_000:
        target_note = (
            f"Target for {_size(large)} lessons: under {GENERATE_SECONDS} s — "
            f"{met(generate < GENERATE_SECONDS)}."
        )
    share = load["list_cached"]["rps"] / load["static"]["rps"]
    submitted = data["submissions"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py); rerun it to measure your machine.",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on "
        f"{machine(data.get('postgres_version'))}.",
        "",
        "Data: the report's content plus generated sample data. Server time is Django's own "
        "(in-process test client, no network): median and 95th percentile of "
        f"{os.environ.get('BENCH_REQUESTS', 30)} requests after one warm-up, and the queries "
        "of a warm request. 'First request after a publication': a lesson and a case study "
        "published through the moderation service (as the admin's action does), then one "
        f"request to the page; median of {os.environ.get('BENCH_COLD_ROUNDS', 3)} rounds. "
        "Ratios are the largest size over the smallest.",
        "",
        *engine_section("SQLite", sqlite, sizes, target_note),
        "",
        "## Search, throughput and writes (SQLite)",
        "",
        "| measure | result | target |",
        "| --- | --- | --- |",
        *search_lines(sqlite, large),
        *digest_lines(sqlite[large]),
        *archive_lines(sqlite[large]),
        f"| requests/s through gunicorn (config/gunicorn.conf.py, 2 workers, 8 keep-alive "
        f"clients, {float(os.environ.get('BENCH_SECONDS', 5)):.0f} s): lesson list at "
        f"{_size(large)}, page cache on | {load['list_cached']['rps']:.0f}/s "
        f"({load['list_cached']['failed']} failed) | |",
        f"| the same, page cache off | {load['list_rendered']['rps']:.0f}/s "
        f"({load['list_rendered']['failed']} failed) | |",
        f"| one static file (whitenoise) | {load['static']['rps']:.0f}/s "
        f"({load['static']['failed']} failed); cached lesson list / static file = {share:.2f} "
        f"| ≥ {STATIC_SHARE}: {met(share >= STATIC_SHARE)} |",
        f"| 400 lesson submissions, 8 clients, gunicorn 2 workers | {submitted['stored']} "
        f"stored, {submitted['redirected']} answered 302, {submitted['other']} other answers, "
        f"{submitted['locked']} 'database is locked', {submitted['seconds']:.1f} s "
        f"({400 / submitted['seconds']:.0f} submissions/s) | all stored, none locked |",
    ]
    if data["postgresql"]:
        postgres = data["postgresql"]
        lines += [
            "",
            *engine_section(
                f"PostgreSQL {data.get('postgres_version', '')}".strip(), postgres, sizes, ""
            ),
            "",
            "| measure | result | target |",
            "| --- | --- | --- |",
            *search_lines(postgres, large),
            *digest_lines(postgres[large]),
            *archive_lines(postgres[large]),
        ]
    else:
        lines += [
            "",
            "PostgreSQL: not measured (set BENCH_POSTGRES or DATABASE_URL to a server's URL).",
        ]
    return "\n".join(lines)
