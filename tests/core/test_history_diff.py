"""The diff and the revert over many inputs: the word diff spells both texts exactly, the
field-by-field comparison lists exactly the fields that differ (by label, choices and tags by
name, everything escaped), and reverting to any version brings its content back whole."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from reversion.models import Version

from core import history
from core.history_diff import compare, render_words, word_diff
from core.history_restore import history_revert
from core.moderation import ModerationStatus
from lessons.models import Experience, Lesson
from tests.factories import make_lesson, make_theme

pytestmark = pytest.mark.django_db

TEXT = st.lists(
    st.sampled_from([*"ab c\n<>&\"'é.,", "water", "trust", "  ", "<script>"]), max_size=20
).map("".join)


@hypothesis_settings(max_examples=300, derandomize=True, deadline=None)
@given(old=TEXT, new=TEXT)
def test_the_word_diff_spells_both_texts(old, new):
    runs = word_diff(old, new)

    assert "".join(text for op, text in runs if op != "insert") == old
    assert "".join(text for op, text in runs if op != "delete") == new
    rendered = str(render_words(runs))
    assert "<script" not in rendered.replace("&lt;script", "")
    plain = re.sub(r'<span class="visually-hidden">(removed|added): </span>', "", rendered)
    shown = html.unescape(re.sub(r"</?(ins|del)>", "", plain))
    assert shown == "".join(text for _, text in runs)


def test_removed_and_added_words_are_marked_for_screen_readers_too():
    rendered = str(render_words(word_diff("Share plans early.", "Share budgets early.")))

    assert rendered == (
        "Share "
        '<del><span class="visually-hidden">removed: </span>plans</del>'
        '<ins><span class="visually-hidden">added: </span>budgets</ins>'
        " early."
    )


TAGS = ["water", "trust", "health", "budgets"]
STATE = st.fixed_dictionaries(
    {
        "title": st.sampled_from(["Agree on words", "Agree on <b>words</b>", "Share plans"]),
        "context": TEXT,
        "experience": st.sampled_from(Experience.values),
        "tags": st.sets(st.sampled_from(TAGS)),
        "themes": st.sets(st.integers(min_value=0, max_value=2), min_size=1),
    }
)
LABELS = {
    "title": "Title",
    "context": "What happened",
    "experience": "Worked or went wrong",
    "tags": "Tags",
    "themes": "Themes",
}


def _write(lesson, state, themes):
    lesson.title, lesson.context, lesson.experience = (
        state["title"],
        state["context"],
        state["experience"],
    )
    with history.revision(comment="edit"):
        lesson.save()
        lesson.themes.set([themes[n] for n in state["themes"]])
        lesson.tags.set(sorted(state["tags"]))
    return Version.objects.get_for_object(lesson).order_by("-pk").first()


def _content(lesson):
    lesson.refresh_from_db()
    return {
        "title": lesson.title,
        "context": lesson.context,
        "experience": lesson.experience,
        "tags": set(lesson.tags.names()),
        "themes": {n for n, theme in enumerate(THEMES_SEEN) if theme in lesson.themes.all()},
    }


THEMES_SEEN: list = []


@hypothesis_settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(states=st.lists(STATE, min_size=2, max_size=4), data=st.data())
def test_the_diff_lists_exactly_what_differs_and_a_revert_brings_any_version_back(states, data):
    with transaction.atomic():
        curator = get_user_model().objects.create(username="c", is_staff=True)
        themes = [make_theme(title=f"Theme {n}", number=n + 1) for n in range(3)]
        THEMES_SEEN[:] = themes
        lesson = make_lesson(themes=[themes[0]], moderation=ModerationStatus.PUBLISHED)
        Lesson.objects.filter(pk=lesson.pk).update(helpful_count=5)
        lesson.refresh_from_db()
        recorded = [_write(lesson, state, themes) for state in states]

        first, second = data.draw(
            st.lists(st.integers(0, len(states) - 1), min_size=2, max_size=2, unique=True)
        )
        changes = compare(recorded[first], recorded[second])
        expected = {LABELS[name] for name in LABELS if states[first][name] != states[second][name]}
        note(f"{first} -> {second}: {[change.label for change in changes]}")
        assert {change.label for change in changes} == expected
        for change in changes:
            for shown in (change.before, change.after, change.words or ""):
                assert "<b>" not in shown  # the title's markup is shown, never rendered

        chosen = data.draw(st.integers(0, len(states) - 1), label="revert to")
        history_revert(version=recorded[chosen], by=curator)
        assert _content(lesson) == {**states[chosen], "tags": set(states[chosen]["tags"])}
        assert lesson.moderation_status == ModerationStatus.PUBLISHED
        assert lesson.helpful_count == 5
        # The revert is a new version, and comparing it with the chosen one shows nothing.
        newest = Version.objects.get_for_object(lesson).order_by("-pk").first()
        assert newest.revision.comment.startswith("Reverted")
        assert compare(recorded[chosen], newest) == []
        transaction.set_rollback(True)
