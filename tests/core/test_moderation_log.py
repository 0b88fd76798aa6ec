"""The moderation log: every publish, rejection, withdrawal and request for changes, made by a
bulk action, a service or a curator's change form, recorded with who, why and when in the
transaction of the change; the contributor emailed (through the outbox) when they gave an
address; and the log shown on the item and as a filterable list."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail as django_mail
from django.db import transaction
from django.urls import reverse
from reversion.models import Version

from core import mail, services
from core.models import ModerationAction, ModerationDecision, OutgoingMail
from core.moderation import ModerationStatus
from core.privacy import new_private_token
from core.selectors import moderation_decisions
from lessons.models import Lesson
from tests.admin_forms import admin_form
from tests.factories import make_lesson, make_partnership, make_theme
from tests.helpers import run_admin_action

pytestmark = pytest.mark.django_db

LESSONS = reverse("admin:lessons_lesson_changelist")
CASE_STUDIES = reverse("admin:alliances_partnership_changelist")
LOG = reverse("admin:core_moderationdecision_changelist")
CURATOR_PERMISSIONS = [
    f"{verb}_{model}"
    for verb in ("view", "change")
    for model in ("lesson", "partnership", "organisation", "participation")
] + ["view_moderationdecision", "view_outgoingmail", "view_theme"]


@pytest.fixture
def staff_curator(django_user_model):
    """A curator as the site's curators are: staff, with the permissions to moderate."""
    user = django_user_model.objects.create_user(
        "mira", "mira@example.org", "pw-mira-1", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(codename__in=CURATOR_PERMISSIONS))
    return user


@pytest.fixture
def staff_client(client, staff_curator):
    client.force_login(staff_curator)
    return client


def submitted_lesson(title="Agree what words mean early", **fields):
    """A lesson a visitor sent in (it has a private link), pending unless said otherwise."""
    fields.setdefault("moderation", ModerationStatus.PENDING)
    fields.setdefault("contributor_email", "ada@example.org")
    fields.setdefault("contributor_name", "Ada Example")
    fields.setdefault("status_token", new_private_token())
    return make_lesson(title=title, themes=[make_theme()], **fields)


def decisions(item):
    return [
        (d.action, d.curator_id, d.message, d.contributor_emailed)
        for d in moderation_decisions(item)
    ]


def delivered():
    """Send what the outbox holds; the messages as Django's test backend received them."""
    mail.drain()
    return django_mail.outbox


# Bulk actions -------------------------------------------------------------------------------


def test_publishing_logs_the_curator_and_emails_the_public_link(staff_client, staff_curator):
    lesson = submitted_lesson()
    silent = submitted_lesson("No address given", contributor_email="")

    run_admin_action(staff_client, LESSONS, "publish_selected", [lesson, silent])

    assert decisions(lesson) == [(ModerationAction.PUBLISHED, staff_curator.pk, "", True)]
    assert decisions(silent) == [(ModerationAction.PUBLISHED, staff_curator.pk, "", False)]
    [message] = delivered()
    assert message.to == ["Ada Example <ada@example.org>"]
    assert message.subject == "Your lesson is published: Agree what words mean early"
    lesson.refresh_from_db()
    assert f"http://127.0.0.1:8000{lesson.get_absolute_url()}" in message.body
    assert staff_client.get(lesson.get_absolute_url()).status_code == 200


def test_rejecting_logs_the_reason_and_emails_it_only_when_the_curator_sends_it(
    staff_client, staff_curator
):
    kept, sent = submitted_lesson("Reason kept"), submitted_lesson("Reason sent")

    run_admin_action(
        staff_client,
        LESSONS,
        "reject_selected",
        [kept],
        apply="1",
        reason="A duplicate.",
        notify="on",
    )
    run_admin_action(
        staff_client,
        LESSONS,
        "reject_selected",
        [sent],
        apply="1",
        reason="Too vague.",
        notify="on",
        send_reason="on",
    )

    assert decisions(kept) == [(ModerationAction.REJECTED, staff_curator.pk, "A duplicate.", True)]
    assert decisions(sent) == [(ModerationAction.REJECTED, staff_curator.pk, "Too vague.", True)]
    without_reason, with_reason = delivered()
    assert without_reason.subject == "Your lesson was not published: Reason kept"
    assert "A duplicate." not in without_reason.body
    assert "A duplicate." not in without_reason.alternatives[0][0]
    assert "Too vague." in with_reason.body
    assert "Too vague." in with_reason.alternatives[0][0]


def test_rejecting_a_published_item_is_a_withdrawal_and_can_be_kept_from_the_contributor(
    staff_client, staff_curator
):
    published = submitted_lesson(moderation=ModerationStatus.PUBLISHED)

    run_admin_action(
        staff_client, LESSONS, "reject_selected", [published], apply="1", reason="Wrong facts."
    )

    assert decisions(published) == [
        (ModerationAction.WITHDRAWN, staff_curator.pk, "Wrong facts.", False)
    ]
    assert OutgoingMail.objects.count() == 0


def test_asking_for_changes_needs_the_curators_words_and_changes_nothing_without_them(
    staff_client,
):
    lesson = submitted_lesson()

    response = run_admin_action(
        staff_client, LESSONS, "request_changes", [lesson], apply="1", message="   "
    )

    assert "Write what should change: the contributor reads it." in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.moderation_status == ModerationStatus.PENDING
    assert decisions(lesson) == []
    assert OutgoingMail.objects.count() == 0


def test_asking_for_changes_sends_pending_submissions_back_with_the_words_and_the_link(
    staff_client, staff_curator
):
    lesson = submitted_lesson()
    rejected = submitted_lesson("Turned down", moderation=ModerationStatus.REJECTED)
    curators_own = make_lesson(title="Written by a curator", moderation=ModerationStatus.PENDING)
    words = "Please name the two partners & say which sector each is from."

    response = run_admin_action(
        staff_client,
        LESSONS,
        "request_changes",
        [lesson, rejected, curators_own],
        apply="1",
        message=words,
        notify="on",
    )

    page = response.content.decode()
    assert "1 item was sent back to its contributor." in page
    assert "2 items were left as they were" in page
    lesson.refresh_from_db()
    assert lesson.moderation_status == ModerationStatus.CHANGES_REQUESTED
    assert decisions(lesson) == [
        (ModerationAction.CHANGES_REQUESTED, staff_curator.pk, words, True)
    ]
    assert decisions(rejected) == decisions(curators_own) == []
    [message] = delivered()
    assert message.subject == "Changes asked for your lesson: Agree what words mean early"
    assert words in message.body
    link = f"http://127.0.0.1:8000/submissions/{lesson.status_token}/"
    assert link in message.body
    assert "Please name the two partners &amp; say" in message.alternatives[0][0]


def test_asking_for_changes_without_email_still_shows_them_on_the_status_page(
    staff_client, staff_curator, client
):
    lesson = submitted_lesson()

    run_admin_action(
        staff_client, LESSONS, "request_changes", [lesson], apply="1", message="Add a source."
    )

    assert decisions(lesson) == [
        (ModerationAction.CHANGES_REQUESTED, staff_curator.pk, "Add a source.", False)
    ]
    assert OutgoingMail.objects.count() == 0


@pytest.mark.parametrize("make", [submitted_lesson, make_partnership], ids=["lesson", "case"])
def test_each_service_records_a_version_in_the_history(curator, make):
    item = make(moderation=ModerationStatus.PENDING)
    model = type(item)

    services.moderation_publish(items=model.objects.filter(pk=item.pk), by=curator)
    services.moderation_reject(items=model.objects.filter(pk=item.pk), reason="No", by=curator)

    versions = Version.objects.get_for_object(item)
    assert [v.revision.get_comment() for v in versions] == ["Rejected: No", "Published."]
    assert {v.revision.user_id for v in versions} == {curator.pk}
    assert versions[0].field_dict["moderation_status"] == ModerationStatus.REJECTED


def test_a_failed_change_leaves_no_log_line_no_version_and_no_mail(curator):
    lesson = submitted_lesson()

    with pytest.raises(RuntimeError), transaction.atomic():
        services.moderation_publish(items=Lesson.objects.filter(pk=lesson.pk), by=curator)
        raise RuntimeError("the request failed after the service")

    assert ModerationDecision.objects.count() == 0
    assert OutgoingMail.objects.count() == 0
    assert Version.objects.get_for_object(lesson).count() == 0
    lesson.refresh_from_db()
    assert lesson.moderation_status == ModerationStatus.PENDING


# The change form ----------------------------------------------------------------------------------


def change_url(item):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])


@pytest.mark.parametrize(
    "before, after, action",
    [
        (ModerationStatus.PENDING, ModerationStatus.PUBLISHED, ModerationAction.PUBLISHED),
        (ModerationStatus.PENDING, ModerationStatus.REJECTED, ModerationAction.REJECTED),
        (ModerationStatus.PUBLISHED, ModerationStatus.REJECTED, ModerationAction.WITHDRAWN),
        (ModerationStatus.PUBLISHED, ModerationStatus.PENDING, ModerationAction.WITHDRAWN),
        (ModerationStatus.REJECTED, ModerationStatus.PENDING, ModerationAction.RETURNED),
    ],
)
def test_a_state_changed_in_the_form_is_logged(staff_client, staff_curator, before, after, action):
    lesson = submitted_lesson(moderation=before, rejection_reason="")
    data = admin_form(
        staff_client, change_url(lesson), moderation_status=after, rejection_reason="Off topic."
    )

    response = staff_client.post(change_url(lesson), data)

    assert response.status_code == 302
    message = "Off topic." if after == ModerationStatus.REJECTED else ""
    assert [(a, c, m) for a, c, m, _ in decisions(lesson)] == [(action, staff_curator.pk, message)]


def test_saving_the_form_without_changing_the_state_logs_nothing(staff_client):
    lesson = submitted_lesson()
    data = admin_form(staff_client, change_url(lesson), title="A better title")

    assert staff_client.post(change_url(lesson), data).status_code == 302
    assert decisions(lesson) == []


def test_changes_cannot_be_requested_from_the_form_without_words(staff_client):
    lesson = submitted_lesson()
    data = admin_form(
        staff_client, change_url(lesson), moderation_status=ModerationStatus.CHANGES_REQUESTED
    )

    response = staff_client.post(change_url(lesson), data)

    assert response.status_code == 200
    assert "Ask the contributor for changes…" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.moderation_status == ModerationStatus.PENDING
    assert decisions(lesson) == []


# Where curators read the log -------------------------------------------------------------------


def test_the_items_change_page_lists_its_decisions_newest_first(staff_client, curator):
    lesson = submitted_lesson()
    query = Lesson.objects.filter(pk=lesson.pk)
    services.moderation_request_changes(
        items=query, message="Say <b>who</b> paid.", by=curator, notify=False
    )
    services.moderation_reject(items=query, reason="No answer came.", by=curator)

    page = staff_client.get(change_url(lesson)).content.decode()

    log = page[page.index('class="moderation-log"') :]
    assert log.index("Rejected") < log.index("Changes requested")
    assert "Say &lt;b&gt;who&lt;/b&gt; paid." in log
    assert "No answer came." in log
    assert "by curator" in log


def make_decisions(count, curator, first=0):
    for number in range(first, first + count):
        lesson = submitted_lesson(f"Lesson {number:03}")
        services.moderation_publish(items=Lesson.objects.filter(pk=lesson.pk), by=curator)
        partnership = make_partnership(name=f"Case {number:03}", moderation="pending")
        services.moderation_reject(
            items=type(partnership).objects.filter(pk=partnership.pk), reason="x", by=curator
        )


def log_queries(client, params=None):
    from tests.helpers import page_queries

    return page_queries(client, LOG, params)


def test_the_log_list_costs_the_same_queries_at_two_sizes(staff_client, curator):
    make_decisions(2, curator)
    small = log_queries(staff_client)
    make_decisions(20, curator, first=2)

    assert log_queries(staff_client) == small


def test_the_log_list_filters_by_action_curator_and_kind(staff_client, curator, staff_curator):
    make_decisions(2, curator)
    lesson = submitted_lesson("Mira's pick")
    services.moderation_publish(items=Lesson.objects.filter(pk=lesson.pk), by=staff_curator)

    rejected = staff_client.get(LOG, {"action__exact": "rejected"}).content.decode()
    by_mira = staff_client.get(LOG, {"by": str(staff_curator.pk)}).content.decode()
    lessons = staff_client.get(LOG, {"kind": "lesson"}).content.decode()

    assert "Case 000" in rejected and "Lesson 000" not in rejected
    assert "Mira&#x27;s pick" in by_mira and "Lesson 000" not in by_mira
    assert "Lesson 001" in lessons and "Case 001" not in lessons
    assert "3 moderation decisions" in lessons


def test_the_log_cannot_be_written_by_hand(staff_client, curator):
    make_decisions(1, curator)
    decision = ModerationDecision.objects.first()

    assert staff_client.get(reverse("admin:core_moderationdecision_add")).status_code == 403
    url = reverse("admin:core_moderationdecision_delete", args=[decision.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 403
    assert ModerationDecision.objects.count() == 2


def test_the_admin_index_shows_the_queue_and_how_long_the_oldest_has_waited(staff_client):
    from datetime import timedelta

    from django.utils import timezone

    submitted_lesson("Old one", created_at=timezone.now() - timedelta(days=3, hours=2))
    submitted_lesson("New one")
    submitted_lesson("Back with them", moderation=ModerationStatus.CHANGES_REQUESTED)
    make_partnership(name="Pending case", moderation="pending")

    page = staff_client.get(reverse("admin:index")).content.decode()

    assert "<strong>2</strong> lessons" in page
    assert "<strong>1</strong> case study" in page
    assert "The oldest has waited <strong>3\xa0days, 2\xa0hours</strong>" in page
    assert "<strong>1</strong> is back with its contributor for changes." in page


def test_the_confirmation_says_which_published_items_leave_the_site(staff_client):
    pending = submitted_lesson()
    published = submitted_lesson("Already out", moderation=ModerationStatus.PUBLISHED)

    both = run_admin_action(staff_client, LESSONS, "request_changes", [pending, published])
    only_pending = run_admin_action(staff_client, LESSONS, "request_changes", [pending])

    warning = "published now and will be taken off the site until a curator publishes"
    page = both.content.decode()
    assert f"This item is {warning} it again:</strong> “Already out”." in page
    assert "“Agree what words mean early”." not in page
    assert warning not in only_pending.content.decode()
    assert "What should the contributor change?" in only_pending.content.decode()
    published.refresh_from_db()
    assert published.moderation_status == ModerationStatus.PUBLISHED


def test_a_published_submission_sent_back_is_withdrawn_and_its_contributor_told(
    staff_client, staff_curator
):
    published = submitted_lesson("Already out", moderation=ModerationStatus.PUBLISHED)

    response = run_admin_action(
        staff_client,
        LESSONS,
        "request_changes",
        [published],
        apply="1",
        message="Add a source.",
        notify="on",
    )

    assert "1 item was sent back to its contributor." in response.content.decode()
    published.refresh_from_db()
    assert published.moderation_status == ModerationStatus.CHANGES_REQUESTED
    assert decisions(published) == [
        (ModerationAction.CHANGES_REQUESTED, staff_curator.pk, "Add a source.", True)
    ]
    [message] = delivered()
    assert "it is not shown on the site" in message.body and "Add a source." in message.body
