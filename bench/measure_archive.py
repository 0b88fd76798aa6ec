"""Building the open archive at scale: ``python -m bench.measure_archive DIRECTORY``.

On the database the environment names (built by bench/run.py), in this fresh process,
builds the archive of the current content version into DIRECTORY (archive.builds, as
``manage.py build_archive`` does) and prints JSON: the seconds it took, the process's
peak resident memory before and after (ru_maxrss: what the build added is the
difference, since the rows are streamed and never held whole), the zip's size and the
rows written per table.
"""

import json
import os
import resource
import sys
import time


def peak_rss_mib() -> float:
    # Linux reports kibibytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(directory: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_ARCHIVE_DIR"] = directory
    import django

    django.setup()
    from archive.builds import archive_build, content_version_number

    content_version_number()  # connected, models loaded: the baseline
    before = peak_rss_mib()
    started = time.perf_counter()
    result = archive_build(force=True)
    seconds = time.perf_counter() - started
    json.dump(
        {
            "seconds": seconds,
            "rss_before_mib": before,
            "rss_peak_mib": peak_rss_mib(),
            "bytes": result.archive.size,
            "rows": result.rows,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1])
