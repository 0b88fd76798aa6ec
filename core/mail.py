"""The mail outbox: every email the site sends, queued with the change it tells about.

``queue`` renders a message from its templates (``templates/mail/<template>.txt`` and
``.html``) and stores it as a row in the caller's transaction, so a change that is rolled
back queues nothing. Once the transaction commits, a thread of the web process is woken to
send it (``make run`` with ``DJANGO_EMAIL_HOST`` set delivers with nothing else to start,
and no request ever waits on the mail server); ``manage.py send_queued_mail`` drains the
same queue from cron, which also retries what failed.

Each message is sent at most once, however many drainers run: a drainer first claims rows
(``select_for_update(skip_locked=True)`` on PostgreSQL, a conditional ``UPDATE … WHERE
status = 'queued'`` on SQLite; only one writer can win either), commits the claim, and only
then talks to the mail server. A failed send goes back to the queue with a growing delay,
and after ``MAIL_MAX_ATTEMPTS`` stays as failed for an operator (``--retry-failed``). A
drainer that died between its claim and its result leaves the message "sending": after
``SENDING_LEASE`` it is marked failed (it may have been delivered), never sent again on its
own. Once sent, a message's recipients and body (which may hold a private link) are wiped;
the rest is deleted after ``SENT_KEPT``.
"""

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, connections, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

BATCH = 50
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=2)
SENDING_LEASE = timedelta(minutes=15)
SENT_KEPT = timedelta(days=30)
# How often the sender thread looks for retries that have come due, when nothing wakes it.
POLL_SECONDS = 60.0
INTERRUPTED = (
    "Interrupted while sending: it may have been delivered. "
    "`manage.py send_queued_mail --retry-failed` sends it again."
)


def compose(
    *,
    to: Sequence[str],
    subject: str,
    template: str,
    context: dict | None = None,
    headers: dict[str, str] | None = None,
) -> OutgoingMail | None:
    """Render one email into an unsaved row (``queue`` or ``queue_all`` stores it); None if
    it has no recipient. ``template`` names ``mail/<template>.txt`` and ``.html``."""
    recipients = [address for address in to if address]
    if not recipients:
        return None
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **(context or {})}
    from_email = settings.DEFAULT_FROM_EMAIL
    domain = parseaddr(from_email)[1].rpartition("@")[2] or "localhost"
    return OutgoingMail(
        kind=template,
        to=recipients,
        from_email=from_email,
        subject=" ".join(subject.split())[:300],
        body_text=render_to_string(f"mail/{template}.txt", context),
        body_html=render_to_string(f"mail/{template}.html", context),
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
        message_id=make_msgid(domain=domain),
    )


def queue(
    *,
    to: Sequence[str],
    subject: str,
    template: str,
    context: dict | None = None,
    headers: dict[str, str] | None = None,
) -> OutgoingMail | None:
    """Render and queue one email, sent once the current transaction commits; None if it
    has no recipient. ``template`` names ``mail/<template>.txt`` and ``mail/<template>.html``."""
    mail = compose(to=to, subject=subject, template=template, context=context, headers=headers)
    if mail is None:
        return None
    mail.save()
    transaction.on_commit(wake)
    return mail


def queue_all(mails: Sequence[OutgoingMail]) -> None:
    """Queue many composed emails in one INSERT (a digest's batch), sent after commit."""
    if mails:
        OutgoingMail.objects.bulk_create(mails, batch_size=BATCH * 4)
        transaction.on_commit(wake)


def as_message(mail: OutgoingMail) -> EmailMultiAlternatives:
    """The email a queued row stands for, with both parts."""
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=mail.from_email,
        to=mail.to,
        headers={**mail.headers, "Message-ID": mail.message_id},
    )
    message.attach_alternative(mail.body_html, "text/html")
    return message


@dataclass
class Drained:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _claim(now) -> list[int]:
    """Claim up to a batch of due messages for this drainer, committed before anything is
    sent; another drainer skips them."""
    due = OutgoingMail.objects.filter(status=MailStatus.QUEUED, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Rows another drainer has locked are skipped, not waited for.
            due = due.select_for_update(skip_locked=True)
        return _take(list(due.values_list("pk", flat=True)[:BATCH]), now)


def _take(pks: list[int], now) -> list[int]:
    """Of these rows, claim those still queued: only the drainer whose UPDATE still finds a
    row queued claims it (on SQLite, where no row lock is skipped, this is the guard)."""
    return [
        pk
        for pk in pks
        if OutgoingMail.objects.filter(pk=pk, status=MailStatus.QUEUED).update(
            status=MailStatus.SENDING, claimed_at=now
        )
    ]


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before the next attempt: doubling from a minute, at most two hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY)


def _record_failure(mail: OutgoingMail, error: Exception, drained: Drained) -> None:
    attempts = mail.attempts + 1
    gave_up = attempts >= settings.MAIL_MAX_ATTEMPTS
    OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.SENDING).update(
        status=MailStatus.FAILED if gave_up else MailStatus.QUEUED,
        attempts=attempts,
        next_attempt_at=timezone.now() + retry_delay(attempts),
        claimed_at=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    if gave_up:
        drained.failed += 1
        logger.error("Gave up sending mail %s after %d attempts: %s", mail.pk, attempts, error)
    else:
        drained.retrying += 1
        logger.warning("Sending mail %s failed (attempt %d): %s", mail.pk, attempts, error)


def _record_sent(mail: OutgoingMail) -> None:
    OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.SENDING).update(
        status=MailStatus.SENT,
        attempts=mail.attempts + 1,
        sent_at=timezone.now(),
        claimed_at=None,
        last_error="",
        # What is no longer needed once delivered: who it went to and what it said.
        to=[],
        body_text="",
        body_html="",
        headers={},
    )


def _expire(now) -> None:
    """Mark failed what a dead drainer left sending; forget sent messages after a while."""
    OutgoingMail.objects.filter(
        status=MailStatus.SENDING, claimed_at__lt=now - SENDING_LEASE
    ).update(status=MailStatus.FAILED, claimed_at=None, last_error=INTERRUPTED)
    OutgoingMail.objects.filter(status=MailStatus.SENT, sent_at__lt=now - SENT_KEPT).delete()


def drain() -> Drained:
    """Send every message that is due, batch by batch, until none is left to claim."""
    drained = Drained()
    _expire(timezone.now())
    while pks := _claim(timezone.now()):
        mails = list(OutgoingMail.objects.filter(pk__in=pks).order_by("pk"))
        smtp = get_connection()
        try:
            smtp.open()
        except Exception as error:  # the server is unreachable: every claimed one waits
            for mail in mails:
                _record_failure(mail, error, drained)
            break
        try:
            for mail in mails:
                try:
                    smtp.send_messages([as_message(mail)])
                except Exception as error:
                    _record_failure(mail, error, drained)
                else:
                    _record_sent(mail)
                    drained.sent += 1
        finally:
            smtp.close()
    return drained


def retry_failed() -> int:
    """Put every failed message back in the queue, due now; returns how many."""
    return OutgoingMail.objects.filter(status=MailStatus.FAILED).update(
        status=MailStatus.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )


# The sender thread ----------------------------------------------------------------------

_wake_up = threading.Event()
_sender_lock = threading.Lock()
_sender: dict[str, int | None] = {"pid": None}


def wake() -> None:
    """Have the sender thread drain the queue now (starting it if this process has none)."""
    if settings.MAIL_SENDER_THREAD:
        start_sender()
        _wake_up.set()


def start_sender(**_signal) -> None:
    """Start this process's sender thread, once (a forked worker starts its own)."""
    if not settings.MAIL_SENDER_THREAD or _sender["pid"] == os.getpid():
        return  # every request asks: the answer is almost always "already running"
    with _sender_lock:
        if _sender["pid"] == os.getpid():
            return
        _sender["pid"] = os.getpid()
        threading.Thread(target=_send_forever, name="mail-sender", daemon=True).start()
    _wake_up.set()  # what was queued before this process started is sent too


def _send_forever() -> None:
    while settings.MAIL_SENDER_THREAD:
        _wake_up.wait(timeout=POLL_SECONDS)
        _wake_up.clear()
        if not settings.MAIL_SENDER_THREAD:
            break
        try:
            drain()
        except Exception:
            logger.exception("Sending queued mail failed; it stays queued.")
        finally:
            connections.close_all()  # this thread's connections only
    with _sender_lock:
        _sender["pid"] = None


def stop_sender() -> None:
    """Let the sender thread end (it ends once the setting is off and it is woken)."""
    _wake_up.set()
