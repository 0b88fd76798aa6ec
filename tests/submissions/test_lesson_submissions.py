"""Sharing a lesson: the form, its errors, the robot trap, the hourly limit, the status link."""

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from core import mail as core_mail
from core.models import SubmissionRecord
from core.moderation import ModerationStatus
from lessons.models import Lesson
from submissions import services
from tests.factories import make_lesson, make_partnership, make_theme
from tests.form_data import lesson_data

pytestmark = pytest.mark.django_db

SUBMIT = reverse("submissions:lesson-submit")


@pytest.fixture
def themes(trust):
    return [trust, make_theme(title="Be Transparent", number=6, summary="Measure on two levels.")]


def test_the_form_lists_each_theme_with_its_summary(client, themes):
    response = client.get(SUBMIT)

    html = response.content.decode()
    assert response.status_code == 200
    assert "3. Work to Build Trust — Share information honestly." in html
    assert 'name="website"' in html and 'aria-hidden="true"' in html
    assert "csrfmiddlewaretoken" in html


def test_a_valid_lesson_is_stored_pending_and_invisible(client, themes):
    response = client.post(SUBMIT, lesson_data(themes))

    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:thanks")
    lesson = Lesson.objects.get()
    assert lesson.moderation_status == ModerationStatus.PENDING
    assert list(lesson.themes.all()) == [themes[0]]
    assert sorted(tag.name for tag in lesson.tags.all()) == ["Trust", "local context"]
    assert lesson.contributor_email == "ada@example.org"
    assert len(lesson.status_token) >= 32
    # Invisible to visitors everywhere until published.
    for url in (
        lesson.get_absolute_url(),
        reverse("browse:lesson-list"),
        themes[0].get_absolute_url(),
        reverse("search:search") + "?q=glossary",
        reverse("pages:tag-list"),
        reverse("pages:home"),
    ):
        page = client.get(url)
        assert "Agree what words mean early" not in page.content.decode(), url


def test_the_thank_you_page_gives_a_private_status_link(client, themes):
    client.post(SUBMIT, lesson_data(themes))
    lesson = Lesson.objects.get()

    thanks = client.get(reverse("submissions:thanks"))

    status_url = reverse("submissions:status", args=[lesson.status_token])
    assert status_url in thanks.content.decode()
    status = client.get(status_url)
    assert status.status_code == 200
    assert "Pending review" in status.content.decode()
    # The status page says the status, and nothing else of the submission.
    assert "Agree what words mean early" not in status.content.decode()
    assert "ada@example.org" not in status.content.decode()
    assert status["Cache-Control"] == "private, no-store"


def test_the_status_link_follows_publication_and_rejection(client, themes):
    client.post(SUBMIT, lesson_data(themes))
    lesson = Lesson.objects.get()
    status_url = reverse("submissions:status", args=[lesson.status_token])

    Lesson.objects.publish()
    published = client.get(status_url).content.decode()
    Lesson.objects.reject()
    rejected = client.get(status_url).content.decode()

    assert "Published" in published and lesson.get_absolute_url() in published
    assert "Not published" in rejected


def test_a_guessed_status_link_finds_nothing(client, themes):
    client.post(SUBMIT, lesson_data(themes))

    assert client.get(reverse("submissions:status", args=["guess"])).status_code == 404


def test_curators_are_emailed_once_the_submission_is_stored(
    client, themes, settings, django_user_model, django_capture_on_commit_callbacks
):
    settings.CURATOR_EMAILS = ["queue@example.org"]
    django_user_model.objects.create_user("c", "curator@example.org", "x", is_staff=True)
    django_user_model.objects.create_user("v", "visitor@example.org", "x")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(SUBMIT, lesson_data(themes))
    # Queued in the submission's transaction; the sender is woken only after it commits.
    assert [callback.__name__ for callback in callbacks] == ["wake"]
    assert mail.outbox == []

    core_mail.drain()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["curator@example.org", "queue@example.org"]
    assert message.subject == "New lesson to review: Agree what words mean early"
    lesson = Lesson.objects.get()
    assert f"{settings.SITE_URL}/admin/lessons/lesson/{lesson.pk}/change/" in message.body


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title": ""}, "title", "Give the lesson a title."),
        ({"themes": []}, "themes", "Choose at least one theme this lesson is about."),
        ({"experience": ""}, "experience", "Choose whether it worked or went wrong."),
        ({"experience": "maybe"}, "experience", "Select a valid choice."),
        ({"context": "x" * 5001}, "context", "at most 5000 characters"),
        ({"title": "t" * 201}, "title", "at most 200 characters"),
        ({"contributor_email": "not-an-email"}, "contributor_email", "valid email"),
        ({"tags": ", ".join(f"tag{n}" for n in range(11))}, "tags", "at most 10 tags"),
        ({"tags": "a" * 51}, "tags", "under 50 characters"),
        ({"partnership": "999999"}, "partnership", "Select a valid choice"),
    ],
)
def test_invalid_input_is_returned_with_a_message_and_nothing_lost(
    client, themes, overrides, field, message
):
    data = lesson_data(themes, **overrides)

    response = client.post(SUBMIT, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem with what you sent" in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert message in " ".join(response.context["form"].errors[field])
    # What the visitor typed is still there.
    assert "Ministry of Examples" in html
    if overrides.get("title") != "":
        assert "Agree what words mean early" in html or "t" * 201 in html
    assert not Lesson.objects.exists()
    assert not SubmissionRecord.objects.exists()


def test_a_pending_partnership_cannot_be_chosen(client, themes):
    hidden = make_partnership(name="Hidden case", moderation="pending")
    shown = make_partnership(name="Shown case")

    page = client.get(SUBMIT).content.decode()
    response = client.post(SUBMIT, lesson_data(themes, partnership=str(hidden.pk)))

    assert "Shown case" in page and "Hidden case" not in page
    assert response.status_code == 400
    assert client.post(SUBMIT, lesson_data(themes, partnership=str(shown.pk))).status_code == 302
    assert Lesson.objects.get().partnership == shown


def test_the_honeypot_stores_nothing(client, themes):
    response = client.post(SUBMIT, lesson_data(themes, website="http://spam.example"))

    assert response.status_code == 302
    assert not Lesson.objects.exists()
    thanks = client.get(reverse("submissions:thanks")).content.decode()
    assert "/submissions/" not in thanks


def test_submissions_per_address_per_hour_are_limited(client, themes, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    for number in range(2):
        assert client.post(SUBMIT, lesson_data(themes, title=f"Lesson {number}")).status_code == 302

    response = client.post(SUBMIT, lesson_data(themes, title="One too many"))

    assert response.status_code == 429
    assert 3590 <= int(response["Retry-After"]) <= 3600
    assert "Please try again later" in response.content.decode()
    assert Lesson.objects.count() == 2
    assert not Lesson.objects.filter(title="One too many").exists()
    # Another address is not affected.
    other = client.post(SUBMIT, lesson_data(themes, title="From elsewhere"), REMOTE_ADDR="10.1.1.1")
    assert other.status_code == 302


def test_a_failed_save_stores_nothing_at_all(themes, monkeypatch):
    def broken_add(*tags):
        raise RuntimeError("the tag table is unavailable")

    monkeypatch.setattr(Lesson, "tags", property(lambda self: type("T", (), {"add": broken_add})))
    data = {
        "title": "Whole or nothing",
        "context": "c",
        "insight": "i",
        "recommendation": "r",
        "experience": "worked",
    }

    with pytest.raises(RuntimeError):
        services.lesson_submit(data=data, themes=themes, tags=["Trust"], address="192.0.2.9")

    assert not Lesson.objects.exists()
    assert not Lesson.themes.through.objects.exists()
    assert not SubmissionRecord.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize(
    "text, tags",
    [
        ("Trust, local context", ["Trust", "local context"]),
        ('"local context" trust', ["local context", "trust"]),
        ("water trust", ["trust", "water"]),
        (' "a, b", c ', ["a, b", "c"]),
        ("  ,  , ", []),
    ],
)
def test_tags_are_parsed_with_commas_quotes_and_any_case(text, tags):
    from submissions.forms import clean_tag_list

    assert sorted(clean_tag_list(text)) == sorted(tags)


def test_tags_differing_only_in_case_are_given_once():
    from submissions.forms import clean_tag_list

    assert [tag.casefold() for tag in clean_tag_list("Trust, trust, TRUST")] == ["trust"]


def test_a_new_tag_matches_an_existing_one_in_another_case(client, themes):
    make_lesson(themes=themes, tags=["Local Context"])

    client.post(SUBMIT, lesson_data(themes, tags="local context"))

    assert Tag.objects.filter(name__iexact="local context").count() == 1


def test_an_anonymous_contributor_is_not_credited(client, themes):
    client.post(SUBMIT, lesson_data(themes, publish_anonymously="on"))
    Lesson.objects.publish()
    lesson = Lesson.objects.get()

    html = client.get(lesson.get_absolute_url()).content.decode()

    assert "Ada Example" not in html and "Ministry of Examples" not in html
    assert "ada@example.org" not in html


def test_a_named_contributor_is_credited_but_their_email_never_shown(client, themes):
    client.post(SUBMIT, lesson_data(themes))
    Lesson.objects.publish()
    lesson = Lesson.objects.get()

    html = client.get(lesson.get_absolute_url()).content.decode()

    assert "Ada Example, Ministry of Examples" in html
    assert "ada@example.org" not in html


def test_a_tag_typed_with_spaces_finds_the_existing_hyphenated_tag(client, themes):
    make_lesson(themes=themes, tags=["local-context"])

    client.post(SUBMIT, lesson_data(themes, tags="Local Context, trust"))

    lesson = Lesson.objects.get(title="Agree what words mean early")
    assert sorted(tag.name for tag in lesson.tags.all()) == ["local-context", "trust"]
    assert not Tag.objects.filter(slug__startswith="local-context_").exists()


def test_error_messages_are_tied_to_their_inputs(client, themes):
    response = client.post(SUBMIT, lesson_data(themes, title=""))

    html = response.content.decode()
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert 'id="id_title_error"' in html


def test_caught_spam_is_limited_like_a_submission_and_its_sessions_with_it(themes, settings):
    settings.SUBMISSIONS_PER_HOUR = 3
    spam = lesson_data(themes, website="http://spam.example")

    answers = [Client().post(SUBMIT, spam) for _ in range(6)]

    assert [answer.status_code for answer in answers] == [302] * 3 + [429] * 3
    assert "We accept up to 3 submissions an hour" in answers[-1].content.decode()
    assert not Lesson.objects.exists()
    assert Session.objects.count() == 3
