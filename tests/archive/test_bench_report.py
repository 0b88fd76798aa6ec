"""make bench's line for the open archive build (bench/report.py)."""

from bench.report import archive_lines

MEASURED = {
    "seconds": 56.3,
    "rss_before_mib": 62.1,
    "rss_peak_mib": 127.0,
    "bytes": 27_908_782,
    "rows": {"lessons": 90_017, "case-studies": 9_000, "taggings": 283_029},
}


def test_the_archive_build_is_reported_with_time_memory_and_size():
    [line] = archive_lines({"archive": MEASURED})

    assert "90,017 lessons, 9,000 case studies, 382,046 rows in 3 tables" in line
    assert "56.3 s; 26.6 MiB zip; peak memory 127 MiB (+65 MiB" in line


def test_nothing_is_reported_when_the_build_was_not_measured():
    assert archive_lines({}) == []
