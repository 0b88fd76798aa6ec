"""A contributor changes their submission as a curator asked, through their private status link:
the same form (prefilled, validated, sanitised, rate-limited), only that item, only while it
awaits their changes; it goes back to the queue marked revised, logged, versioned, and the
curators are told."""

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reversion.models import Version

from alliances.models import Partnership
from core import history, mail, services
from core.models import ModerationAction, SubmissionRecord
from core.moderation import ModerationStatus
from core.selectors import moderation_decisions
from lessons.models import Lesson
from tests.factories import make_theme
from tests.form_data import lesson_data, partnership_data

pytestmark = pytest.mark.django_db

WORDS = "Please say which <em>two</em> partners disagreed,\nand what the glossary held."


@pytest.fixture
def themes(db):
    return [make_theme(title="Work to Build Trust", number=3), make_theme(number=8)]


def submit(client, path, data):
    response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def sent_back(client, themes, curator):
    """A lesson a visitor sent in, which a curator sent back with WORDS."""
    submit(client, reverse("submissions:lesson-submit"), lesson_data(themes))
    lesson = Lesson.objects.get()
    services.moderation_request_changes(
        items=Lesson.objects.filter(pk=lesson.pk), message=WORDS, by=curator
    )
    lesson.refresh_from_db()
    return lesson


def status_url(item):
    return reverse("submissions:status", args=[item.status_token])


def revise_url(item):
    return reverse("submissions:revise", args=[item.status_token])


# The status page ---------------------------------------------------------------------------


def test_the_status_page_shows_the_curators_words_safely_and_the_edit_link(client, sent_back):
    response = client.get(status_url(sent_back))

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Changes requested" in page
    assert "Please say which &lt;em&gt;two&lt;/em&gt; partners disagreed,<br>and what" in page
    assert "<em>two</em>" not in page
    assert f'href="{revise_url(sent_back)}"' in page
    assert "Edit your submission" in page


def test_a_pending_submission_shows_no_edit_link(client, themes):
    submit(client, reverse("submissions:lesson-submit"), lesson_data(themes))
    lesson = Lesson.objects.get()

    page = client.get(status_url(lesson)).content.decode()

    assert "Pending review" in page
    assert "Edit your submission" not in page
    assert revise_url(lesson) not in page


# The edit page: only that item, only while it awaits changes ----------------------------------


def test_the_edit_page_is_the_submission_form_prefilled(client, sent_back):
    response = client.get(revise_url(sent_back))

    page = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert 'value="Agree what words mean early"' in page
    assert "Two partners used *partner* to mean different things.</textarea>" in page
    assert 'value="local context, Trust"' in page
    assert 'value="ada@example.org"' in page
    assert f'action="{revise_url(sent_back)}"' in page
    assert "Please say which &lt;em&gt;two&lt;/em&gt;" in page


@pytest.mark.parametrize(
    "status", [ModerationStatus.PENDING, ModerationStatus.PUBLISHED, ModerationStatus.REJECTED]
)
def test_the_edit_page_refuses_an_item_not_awaiting_changes(client, sent_back, status):
    Lesson.objects.filter(pk=sent_back.pk).update(moderation_status=status)
    before = Lesson.objects.values().get(pk=sent_back.pk)

    shown = client.get(revise_url(sent_back))
    posted = client.post(revise_url(sent_back), lesson_data(list(sent_back.themes.all())))

    assert shown.status_code == posted.status_code == 404
    assert "can be edited here only while a curator has asked you for changes" in (
        shown.content.decode()
    )
    assert Lesson.objects.values().get(pk=sent_back.pk) == before


def test_a_guessed_token_edits_nothing(client, sent_back):
    response = client.post(
        reverse("submissions:revise", args=["guess"]),
        lesson_data(list(sent_back.themes.all()), title="Hijacked"),
    )

    assert response.status_code == 404
    assert not Lesson.objects.filter(title="Hijacked").exists()


# Sending it back ---------------------------------------------------------------------------------


def test_sending_it_back_stores_the_changes_and_returns_it_to_the_queue_marked_revised(
    client, sent_back, themes, settings, curator
):
    settings.CURATOR_EMAILS = ["queue@example.org"]
    mail.drain()
    django_mail.outbox.clear()
    data = lesson_data(
        themes[1:],
        title="Agree what words mean in week one",
        insight="The ministry and **Pumps plc** meant different things.<script>x</script>",
        tags="glossary",
    )

    response = client.post(revise_url(sent_back), data)

    assert response.status_code == 302
    assert response["Location"] == status_url(sent_back)
    lesson = Lesson.objects.get()
    assert lesson.moderation_status == ModerationStatus.PENDING
    assert lesson.revised_at is not None
    assert lesson.title == "Agree what words mean in week one"
    assert list(lesson.themes.all()) == themes[1:]
    assert [tag.name for tag in lesson.tags.all()] == ["glossary"]
    assert [d.action for d in moderation_decisions(lesson)] == [
        ModerationAction.RESUBMITTED,
        ModerationAction.CHANGES_REQUESTED,
    ]
    assert moderation_decisions(lesson)[0].by == "the contributor"
    [version, *_] = Version.objects.get_for_object(lesson)
    assert version.revision.user is None
    assert history.author(version.revision) == "the contributor"
    assert version.field_dict["title"] == "Agree what words mean in week one"
    # Still private: stored, not shown; the page sanitises Markdown as it does for any lesson.
    assert client.get(lesson.get_absolute_url()).status_code == 404
    page = client.get(status_url(lesson)).content.decode()
    assert "Pending review (revised)" in page
    assert "Edit your submission" not in page
    mail.drain()
    [message] = django_mail.outbox
    assert sorted(message.to) == [curator.email, "queue@example.org"]
    assert message.subject == "Revised lesson to review: Agree what words mean in week one"


def test_a_case_studys_partners_and_tags_are_replaced_exactly(client, curator):
    submit(client, reverse("submissions:partnership-submit"), partnership_data())
    partnership = Partnership.objects.get()
    services.moderation_request_changes(
        items=Partnership.objects.all(), message="Add the NGO.", by=curator
    )
    partners = [
        ("Ministry of Water", "government", "convener"),
        ("Wells Trust", "civil_society", "implementer"),
        ("Ministry of Water", "government", "convener"),
    ]

    page = client.get(revise_url(partnership)).content.decode()
    assert 'value="Pumps plc"' in page
    response = client.post(
        revise_url(partnership), partnership_data(partners, tags="wells", name="Wells for Towns")
    )

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.name == "Wells for Towns"
    assert sorted(
        (p.organisation.name, p.role)
        for p in partnership.participations.select_related("organisation")
    ) == [("Ministry of Water", "convener"), ("Wells Trust", "implementer")]
    assert [tag.name for tag in partnership.tags.all()] == ["wells"]
    assert partnership.moderation_status == ModerationStatus.PENDING


def test_bad_input_keeps_what_they_typed_and_changes_nothing(client, sent_back):
    before = Lesson.objects.values().get(pk=sent_back.pk)
    data = lesson_data(
        list(sent_back.themes.all()), title="", insight="My carefully typed insight ✍️"
    )

    response = client.post(revise_url(sent_back), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Give the lesson a title." in page
    assert "My carefully typed insight ✍️</textarea>" in page
    assert Lesson.objects.values().get(pk=sent_back.pk) == before
    assert [d.action for d in moderation_decisions(sent_back)] == [
        ModerationAction.CHANGES_REQUESTED
    ]


def test_the_robot_trap_stores_nothing(client, sent_back):
    data = lesson_data(list(sent_back.themes.all()), title="Spam", website="http://spam.example")

    response = client.post(revise_url(sent_back), data)

    assert response.status_code == 302
    sent_back.refresh_from_db()
    assert sent_back.title == "Agree what words mean early"
    assert sent_back.moderation_status == ModerationStatus.CHANGES_REQUESTED


def test_sending_back_counts_against_the_hourly_limit(client, sent_back, settings):
    settings.SUBMISSIONS_PER_HOUR = SubmissionRecord.objects.count()  # the first submission's

    response = client.post(revise_url(sent_back), lesson_data(list(sent_back.themes.all())))

    assert response.status_code == 429
    sent_back.refresh_from_db()
    assert sent_back.moderation_status == ModerationStatus.CHANGES_REQUESTED
    assert [d.action for d in moderation_decisions(sent_back)] == [
        ModerationAction.CHANGES_REQUESTED
    ]


def test_a_second_send_finds_it_already_back_in_the_queue(client, sent_back):
    data = lesson_data(list(sent_back.themes.all()), title="Once")
    client.post(revise_url(sent_back), data)

    again = client.post(revise_url(sent_back), {**data, "title": "Twice"})

    assert again.status_code == 404
    assert Lesson.objects.get().title == "Once"


FUZZ = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)


def test_no_input_to_the_edit_form_gives_a_server_error(client, sent_back, settings):
    settings.SUBMISSIONS_PER_HOUR = 10_000
    base = lesson_data(list(sent_back.themes.all()))
    names = st.sampled_from([*base, "unknown", "partnership"])

    @FUZZ
    @given(changes=st.dictionaries(names, st.lists(TEXT, min_size=1, max_size=2), max_size=4))
    def check(changes):
        Lesson.objects.filter(pk=sent_back.pk).update(
            moderation_status=ModerationStatus.CHANGES_REQUESTED
        )
        response = client.post(revise_url(sent_back), {**base, **changes})
        assert response.status_code in {302, 400}
        if response.status_code == 400:
            typed = changes.get("title", [base["title"]])[-1]
            assert escape(typed.replace("\x00", "")) in response.content.decode() or "\x00" in typed

    check()


def test_curators_find_it_marked_revised_in_the_list_and_its_filter(client, sent_back, curator):
    from tests.factories import make_lesson

    client.post(revise_url(sent_back), lesson_data(list(sent_back.themes.all())))
    make_lesson(title="Never sent back", moderation=ModerationStatus.PENDING)
    client.force_login(curator)
    changelist = reverse("admin:lessons_lesson_changelist")

    revised = client.get(changelist, {"revised": "yes"}).content.decode()
    not_revised = client.get(changelist, {"revised": "no"}).content.decode()

    assert "Agree what words mean early" in revised
    assert "Never sent back" not in revised
    assert "Never sent back" in not_revised
    assert "Agree what words mean early" not in not_revised
    assert 'class="sortable column-revised' in revised
    assert 'alt="True"' in revised
