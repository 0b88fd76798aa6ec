"""The mail outbox: queued in the caller's transaction, sent after commit to a real SMTP server,
each message at most once however many drainers run, retried when the server fails, never
lost, and what it said about whom forgotten once it is delivered."""

import threading
from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core import mail
from core.models import MailStatus, OutgoingMail
from tests.mail_server import free_port, parts


def queue_one(**overrides):
    fields = {
        "to": ["Zoë Ångström <zoe@example.org>"],
        "subject": "Your lesson is published: Agree what words mean early",
        "template": "moderation_published",
        "context": {
            "item": "Agree what words mean early",
            "kind": "lesson",
            "contributor_name": "Zoë Ångström",
            "public_link": "http://127.0.0.1:8000/lessons/agree/",
        },
        **overrides,
    }
    return mail.queue(**fields)


# Queued with the change -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_message_queued_in_a_rolled_back_transaction_is_never_stored():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_one()
        raise RuntimeError("the change failed")

    assert OutgoingMail.objects.count() == 0
    assert mail.drain().sent == 0


@pytest.mark.django_db
def test_a_queued_message_waits_for_the_commit_before_the_sender_is_woken(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = queue_one()

    assert [callback.__name__ for callback in callbacks] == ["wake"]
    assert queued.status == MailStatus.QUEUED
    assert django_mail.outbox == []


@pytest.mark.django_db
def test_a_message_without_recipients_is_not_queued():
    assert queue_one(to=["", ""]) is None
    assert OutgoingMail.objects.count() == 0


# Delivered to a real SMTP server ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_message_arrives_with_both_parts_a_real_sender_and_encoded_names(smtp_inbox, settings):
    settings.DEFAULT_FROM_EMAIL = "Uncommon Alliances — curators <curators@example.org>"
    queued = queue_one()

    assert mail.drain().sent == 1

    [message] = smtp_inbox.messages
    assert message["Subject"] == "Your lesson is published: Agree what words mean early"
    assert parseaddr(str(message["From"])) == (
        "Uncommon Alliances — curators",
        "curators@example.org",
    )
    assert parseaddr(str(message["To"])) == ("Zoë Ångström", "zoe@example.org")
    # Non-ASCII names and subjects travel encoded (RFC 2047): the raw headers are plain ASCII.
    raw_headers = smtp_inbox.envelopes[0].original_content.split(b"\r\n\r\n")[0]
    assert raw_headers.isascii()
    assert b"=?utf-8?" in raw_headers
    assert message["Message-ID"] == queued.message_id
    assert message["Message-ID"].endswith("@example.org>")
    assert message["Date"] is not None
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = parts(message)
    assert "Dear Zoë Ångström," in text
    assert "http://127.0.0.1:8000/lessons/agree/" in text
    assert "<" not in text
    assert '<a href="http://127.0.0.1:8000/lessons/agree/">' in html
    assert smtp_inbox.envelopes[0].rcpt_tos == ["zoe@example.org"]


@pytest.mark.django_db
def test_html_in_the_context_is_escaped_in_the_html_part_and_kept_as_text_in_the_plain_part(
    smtp_inbox,
):
    queue_one(
        template="moderation_not_published",
        context={
            "item": "<b>Bold</b> & title",
            "kind": "lesson",
            "message": "Please remove <script>alert(1)</script>",
        },
    )
    mail.drain()

    text, html = parts(smtp_inbox.messages[0])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Please remove <script>alert(1)</script>" in text
    assert '"<b>Bold</b> & title"' in text


@pytest.mark.django_db
def test_once_sent_a_message_keeps_no_recipient_and_no_body(smtp_inbox):
    queued = queue_one()
    mail.drain()

    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT
    assert queued.sent_at is not None
    assert (queued.to, queued.body_text, queued.body_html, queued.headers) == ([], "", "", {})
    assert queued.subject  # what was sent, for operators: no personal data in it


@pytest.mark.django_db
def test_sent_messages_are_forgotten_after_the_kept_period(smtp_inbox):
    old, recent = queue_one(), queue_one()
    mail.drain()
    OutgoingMail.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - mail.SENT_KEPT - timedelta(minutes=1)
    )

    mail.drain()

    assert list(OutgoingMail.objects.values_list("pk", flat=True)) == [recent.pk]


# Failures: retried with backoff, never lost ---------------------------------------------------


@pytest.mark.django_db
def test_a_refused_message_is_retried_later_and_then_sent_once(smtp_inbox):
    smtp_inbox.refuse = 1
    queued = queue_one()

    drained = mail.drain()

    assert (drained.sent, drained.retrying) == (0, 1)
    queued.refresh_from_db()
    assert queued.status == MailStatus.QUEUED
    assert queued.attempts == 1
    assert "451" in queued.last_error
    assert queued.next_attempt_at > timezone.now()
    assert mail.drain().sent == 0  # not due yet: nothing is hammered

    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    assert mail.drain().sent == 1
    assert len(smtp_inbox.envelopes) == 1


def test_the_delay_between_attempts_doubles_up_to_a_ceiling():
    delays = [mail.retry_delay(attempt) for attempt in range(1, 10)]
    assert delays[:4] == [timedelta(minutes=minutes) for minutes in (1, 2, 4, 8)]
    assert delays[-1] == mail.LAST_RETRY
    assert delays == sorted(delays)


@pytest.mark.django_db
def test_an_unreachable_server_leaves_every_message_queued(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        free_port(),
        False,
    )
    first, second = queue_one(), queue_one()

    drained = mail.drain()

    assert (drained.sent, drained.retrying) == (0, 2)
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(MailStatus.QUEUED, 1)}
    assert {first.pk, second.pk} == set(OutgoingMail.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_after_the_last_attempt_a_message_stays_failed_until_an_operator_retries_it(
    smtp_inbox, settings, capsys
):
    settings.MAIL_MAX_ATTEMPTS = 2
    smtp_inbox.refuse = 2
    queued = queue_one()
    mail.drain()
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    drained = mail.drain()

    assert drained.failed == 1
    queued.refresh_from_db()
    assert queued.status == MailStatus.FAILED
    assert queued.to == ["Zoë Ångström <zoe@example.org>"]  # kept, so it can still be sent
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    assert mail.drain().sent == 0

    call_command("send_queued_mail", "--retry-failed")

    assert "Queued again: 1 failed email(s)." in capsys.readouterr().out

    assert len(smtp_inbox.envelopes) == 1
    assert OutgoingMail.objects.get().status == MailStatus.SENT


# At most once -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_drainer_that_died_after_its_claim_leaves_the_message_unsent_but_never_lost(smtp_inbox):
    queued = queue_one()
    claimed = mail._claim(timezone.now())  # a drainer claims it, then its process dies
    assert claimed == [queued.pk]

    assert mail.drain().sent == 0  # another drainer never sends a claimed message
    assert smtp_inbox.envelopes == []

    OutgoingMail.objects.update(claimed_at=timezone.now() - mail.SENDING_LEASE - timedelta(1))
    assert mail.drain().sent == 0  # it may have gone out: it is not sent again on its own
    queued.refresh_from_db()
    assert queued.status == MailStatus.FAILED
    assert queued.last_error == mail.INTERRUPTED
    assert smtp_inbox.envelopes == []

    assert mail.retry_failed() == 1
    assert mail.drain().sent == 1
    assert len(smtp_inbox.envelopes) == 1


@pytest.mark.django_db(transaction=True)
def test_two_drainers_at_once_send_each_message_exactly_once(smtp_inbox):
    queued = [queue_one() for _ in range(30)]
    start = threading.Barrier(3)
    results, errors = [], []

    def drainer():
        from django.db import connection

        try:
            start.wait()
            for _ in range(3):
                results.append(mail.drain().sent)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=drainer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(results) == len(queued)
    ids = [message["Message-ID"].strip() for message in smtp_inbox.messages]
    assert sorted(ids) == sorted(item.message_id for item in queued)
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}


@pytest.mark.django_db
def test_of_two_drainers_that_read_the_same_rows_only_the_first_claims_them():
    queued = [queue_one() for _ in range(5)]
    now = timezone.now()
    seen = [item.pk for item in queued]  # both drainers read the same due rows

    first, second = mail._take(seen, now), mail._take(seen, now)

    assert first == seen
    assert second == []


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_rows_another_drainer_holds_are_skipped_not_waited_for():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite's claim is the conditional update")
    held, other = queue_one(), queue_one()
    locked, release, claimed = threading.Event(), threading.Event(), []

    def holder():
        from django.db import connection as own

        try:
            with transaction.atomic():
                list(OutgoingMail.objects.filter(pk=held.pk).select_for_update())
                locked.set()
                release.wait(timeout=30)
        finally:
            own.close()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        claimed = mail._claim(timezone.now())
    finally:
        release.set()
        thread.join()

    assert claimed == [other.pk]
    assert OutgoingMail.objects.get(pk=held.pk).status == MailStatus.QUEUED


# The sender thread --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_sender_thread_delivers_after_commit_with_nothing_else_started(smtp_inbox, settings):
    settings.MAIL_SENDER_THREAD = True
    try:
        with transaction.atomic():
            queue_one()
            assert smtp_inbox.envelopes == []  # not before the commit
        assert smtp_inbox.wait_for(1)
        assert len(smtp_inbox.messages) == 1
    finally:
        settings.MAIL_SENDER_THREAD = False
        mail.stop_sender()


@pytest.mark.django_db
def test_the_command_reports_what_it_sent_and_what_waits(smtp_inbox, capsys):
    queue_one()
    smtp_inbox.refuse = 1
    queue_one()

    call_command("send_queued_mail")

    output = capsys.readouterr().out
    assert "Sent 1; 1 will be retried; 1 queued in all; 0 failed for good." in output
