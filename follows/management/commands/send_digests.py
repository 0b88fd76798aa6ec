"""manage.py send_digests --frequency daily|weekly: queue each subscriber's new items.

Run once a day with ``--frequency daily`` and once a week with ``--frequency weekly`` (the
README shows cron and systemd timers). Safe to run again, or after being killed halfway:
every subscriber gets every new item exactly once (follows/digests.py says how).
"""

from django.core.management.base import BaseCommand

from core import mail
from follows.digests import BATCH, send_digests
from follows.models import Frequency


class Command(BaseCommand):
    help = (
        "Email each confirmed subscriber of this frequency what was published on the list "
        "they follow since their last digest. Idempotent and crash-safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=Frequency.values, required=True)
        parser.add_argument("--batch", type=int, default=BATCH, help="Subscriptions per batch.")
        parser.add_argument(
            "--no-send",
            action="store_true",
            help="Only queue the digests (a running site or send_queued_mail sends them).",
        )

    def handle(self, *args, frequency, batch, no_send, **options):
        run = send_digests(frequency=frequency, batch=max(1, batch))
        self.stdout.write(
            f"Queued {run.sent} {frequency} digest{'s' if run.sent != 1 else ''} for "
            f"{run.subscriptions} subscription{'s' if run.subscriptions != 1 else ''} "
            f"({run.lists} distinct list{'s' if run.lists != 1 else ''})."
        )
        if not no_send:
            drained = mail.drain()
            self.stdout.write(f"Sent {drained.sent}; {drained.retrying} to retry.")
