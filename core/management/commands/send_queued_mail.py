"""manage.py send_queued_mail: send every queued email that is due, now.

The web process sends mail from a thread of its own after each change commits; run this from
cron (every few minutes) as well, so retries go out while the site is idle and mail queued
while no web process ran is sent. Safe to run beside the thread and beside itself: each
message is claimed by one sender and sent at most once.
"""

from django.core.management.base import BaseCommand

from core import mail
from core.models import MailStatus, OutgoingMail


class Command(BaseCommand):
    help = "Send the queued emails that are due (and, if asked, retry those that failed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Queue again every email that failed for good (or was interrupted), first.",
        )

    def handle(self, *args, retry_failed=False, **options):
        if retry_failed:
            requeued = mail.retry_failed()
            self.stdout.write(f"Queued again: {requeued} failed email(s).")
        drained = mail.drain()
        waiting = OutgoingMail.objects.filter(status=MailStatus.QUEUED).count()
        failed = OutgoingMail.objects.filter(status=MailStatus.FAILED).count()
        self.stdout.write(
            f"Sent {drained.sent}; {drained.retrying} will be retried; "
            f"{waiting} queued in all; {failed} failed for good."
        )
        if failed:
            self.stderr.write(
                f"{failed} email(s) failed for good: see the admin's outgoing emails, "
                "then run with --retry-failed."
            )
