"""manage.py purge_expired: delete what the site keeps only for a while.

Run it from cron or the systemd timer in docs/deploy/ (the README says how); it is safe to run
at any time and as often as wanted.
"""

from datetime import timedelta
from importlib import import_module

from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core import history, retention
from core.models import SubmissionRecord

# The longest window core/ratelimit.py counts records over: deleting younger records would
# let an address send more than its limit.
LONGEST_RATE_WINDOW = timedelta(hours=1)


def expired_sessions_count() -> int | None:
    """How many expired sessions are stored, or None for a store that cannot say."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return None
    return store.get_model_class().objects.filter(expire_date__lt=timezone.now()).count()


class Command(BaseCommand):
    help = (
        "Delete submission-limit records older than DJANGO_RATE_RECORDS_KEPT_HOURS (24 by "
        "default), failed-login records past their lockout, expired sessions, and the stored "
        "versions of items deleted more than DJANGO_HISTORY_DELETED_KEPT_DAYS (30) ago. Safe "
        "to run at any time, as often as wanted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rate-records-hours",
            type=int,
            default=settings.RATE_RECORDS_KEPT_HOURS,
            help="Delete submission-limit records older than this many hours "
            f"(default {settings.RATE_RECORDS_KEPT_HOURS}; at least the limit's window).",
        )

        parser.add_argument(
            "--deleted-kept-days",
            type=int,
            default=settings.HISTORY_DELETED_KEPT_DAYS,
            help="Delete every stored version of items deleted more than this many days ago "
            f"(default {settings.HISTORY_DELETED_KEPT_DAYS}); they can no longer be recovered.",
        )

    def handle(self, *args, rate_records_hours, deleted_kept_days, **options):
        kept_for = timedelta(hours=rate_records_hours)
        if kept_for < LONGEST_RATE_WINDOW:
            raise CommandError(
                f"Submission-limit records must be kept for at least "
                f"{LONGEST_RATE_WINDOW.total_seconds() / 3600:g} hour(s), the window the "
                f"limit counts over; {rate_records_hours} would let addresses exceed it."
            )
        if deleted_kept_days < 0:
            raise CommandError("--deleted-kept-days cannot be negative.")
        removed, _ = SubmissionRecord.objects.filter(
            created_at__lt=timezone.now() - kept_for
        ).delete()
        self.stdout.write(
            f"Removed {removed} submission-limit record{'s' if removed != 1 else ''} "
            f"older than {rate_records_hours} hours."
        )

        # Failed admin logins (django-axes) matter only while they can still lock someone out.
        attempts, _ = AccessAttempt.objects.filter(
            attempt_time__lt=timezone.now() - settings.AXES_COOLOFF_TIME
        ).delete()
        self.stdout.write(
            f"Removed {attempts} failed-login record{'s' if attempts != 1 else ''} "
            "past their lockout."
        )

        # A deleted item's versions keep it recoverable, and may hold a contributor's details:
        # kept for the recovery window, then gone with everything they held.
        forgotten = history.forget_deleted(
            before=timezone.now() - timedelta(days=deleted_kept_days)
        )
        self.stdout.write(
            f"Removed {forgotten} stored version{'s' if forgotten != 1 else ''} of items "
            f"deleted more than {deleted_kept_days} days ago."
        )

        for what, purge in retention.PURGES:
            removed = purge()
            self.stdout.write(f"Removed {removed} {what}.")

        expired = expired_sessions_count()
        call_command("clearsessions")
        if expired is None:
            self.stdout.write("Removed expired sessions (this session store does not count).")
        else:
            self.stdout.write(f"Removed {expired} expired session{'s' if expired != 1 else ''}.")
