"""The full archive's private part: everything a curator has, as Django's own dump.

Written by ``dumpdata`` over the whole app registry (so a model added later is in it with
no change here), with the README's "Backup and restore" exclusions and its reasons:
content types and permissions are recreated by ``migrate`` and named by natural key,
sessions and failed logins matter only briefly, and the content version, the search
index and the kept counts are derived (the triggers rebuild them). Times keep their
microseconds (core/serializers/), ids are kept, so a restore is exact.
"""

import shutil
import tempfile
import zipfile
from pathlib import Path

from django.core.management import call_command

from archive.package import entry
from core import triggers

EVERYTHING = "private/everything.json"

# The README's dumpdata exclusions ("Backup and restore"), for the same reasons.
EXCLUDED = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "core.contentversion",
    "axes",
    "core.publiccount",
    "core.countcontribution",
    "core.countmark",
)


def everything_write(archive: zipfile.ZipFile) -> None:
    """Dump every model of every app into the zip, through a temporary file (streamed)."""
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "everything.json"
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=list(EXCLUDED),
            output=str(dump),
            verbosity=0,
        )
        with (
            dump.open("rb") as source,
            archive.open(entry(EVERYTHING), "w", force_zip64=True) as target,
        ):
            shutil.copyfileobj(source, target)


def is_full(archive: zipfile.ZipFile) -> bool:
    return EVERYTHING in archive.namelist()


def everything_load(archive: zipfile.ZipFile) -> None:
    """Load the dump with every trigger set suspended, then rebuilt (search, counts, the
    content version): one transaction, so a failure leaves the database as it was."""
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "everything.json"
        with archive.open(EVERYTHING) as source, dump.open("wb") as target:
            shutil.copyfileobj(source, target)
        with triggers.suspended():
            call_command("loaddata", str(dump), verbosity=0)
