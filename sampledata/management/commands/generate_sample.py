"""Fill the database with realistic sample data: organisations, case studies, lessons and tags.

    python manage.py generate_sample --partnerships 1000 --lessons 10000 [--seed 2012] [--clear]

The data is made up but reads like the real thing, so that pages, search, facets and pagination
can be tried at any size. The same seed always gives the same rows; dates are counted back from
midnight today, so the sample stays recent. Every row carries ``is_sample=True`` and a slug
starting ``sample-``: ``--clear`` removes exactly these and never touches the report's content or
anything a curator entered.

Speed matters here (10,000 case studies and 100,000 lessons should load in under a minute on
SQLite), so rows are built in memory and written with one prepared INSERT per table, in one
transaction with the database's triggers suspended (core.triggers.suspended): what they maintain
is rebuilt once at the end instead of row by row.
"""

import random
import time
from argparse import ArgumentParser

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core import triggers
from lessons.models import Theme
from sampledata.generation import generate
from sampledata.writers import clear_sample, sample_counts

DEFAULT_SEED = 2012


class Command(BaseCommand):
    help = (
        "Generate realistic, repeatable sample organisations, case studies, lessons and tags, "
        "marked as sample data. --clear removes exactly the sample rows first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--partnerships", type=int, default=0, help="How many case studies.")
        parser.add_argument("--lessons", type=int, default=0, help="How many lessons.")
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"The same seed gives the same data (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--clear", action="store_true", help="Remove existing sample data (and only that)."
        )

    def handle(
        self, *args, partnerships: int, lessons: int, seed: int, clear: bool, **options
    ) -> None:
        if partnerships < 0 or lessons < 0:
            raise CommandError("--partnerships and --lessons cannot be negative.")
        if not (clear or partnerships or lessons):
            raise CommandError("Nothing to do: give --partnerships and --lessons, or --clear.")
        started = time.perf_counter()
        parts = []
        # One transaction, with the database's triggers suspended: nothing is indexed or counted
        # row by row, and on the way out the search index and the content version are rebuilt.
        with triggers.suspended():
            if clear:
                removed = clear_sample()
                parts.append(
                    f"Removed {removed['lessons']} lessons, {removed['partnerships']} "
                    f"partnerships and {removed['organisations']} organisations."
                )
            elif any((existing := sample_counts()).values()):
                raise CommandError(
                    f"Sample data already exists ({existing['lessons']} lessons, "
                    f"{existing['partnerships']} partnerships, {existing['organisations']} "
                    "organisations). Pass --clear to replace it."
                )
            if partnerships or lessons:
                parts.append(self._generate(seed, partnerships, lessons, options["verbosity"]))
        # After a bulk load, fresh statistics let the query planner pick the right indexes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        parts.append(f"({time.perf_counter() - started:.1f}s)")
        self.stdout.write(self.style.SUCCESS(" ".join(parts)))

    def _generate(
        self, seed: int, partnership_count: int, lesson_count: int, verbosity: int
    ) -> str:
        """Load the report if its themes are missing, then the sample; the summary line."""
        if not Theme.objects.exists():
            call_command("load_report", stdout=self.stdout, verbosity=verbosity)
        counts = generate(random.Random(seed), partnership_count, lesson_count)
        return (
            f"Created {counts['organisations']} organisations, {partnership_count} partnerships "
            f"({counts['participations']} participations), {lesson_count} lessons, "
            f"{counts['tags']} tag links and {counts['new tags']} new tags."
        )
