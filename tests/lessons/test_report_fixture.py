"""The report's content loads faithfully, into an empty database, and never twice."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from taggit.models import Tag

from lessons.models import Lesson, Quote, Source, TaggedLesson, Theme

REPORT_THEMES = [
    "Understand Partnership Motivations",
    "Identify Internal Champions",
    "Work to Build Trust",
    "Capitalize on Competitive Advantages",
    "Create Local Solutions to Global Challenges",
    "Be Transparent",
    "Break with Convention",
    "Develop Partnership Skills",
]
SEED = (
    settings.BASE_DIR.parent / "shared" / "seed" / "uncommon-alliances-conference-report-2012.txt"
)


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Theme, Source, Quote, Lesson, Tag, TaggedLesson)
    }


def normalise_quotes(text):
    return text.replace("“", '"').replace("”", '"').replace("’", "'")


@pytest.mark.django_db
def test_report_loads_into_an_empty_database_with_the_eight_themes_in_order():
    assert Theme.objects.count() == 0

    call_command("load_report", verbosity=0)

    themes = list(Theme.objects.order_by("number"))
    assert [theme.title for theme in themes] == REPORT_THEMES
    assert [theme.number for theme in themes] == list(range(1, 9))
    assert all(theme.text and theme.summary and theme.question_list for theme in themes)


@pytest.mark.django_db
def test_loading_the_report_twice_duplicates_nothing():
    call_command("load_report", verbosity=0)
    first = row_counts()

    call_command("load_report", verbosity=0)
    call_command("load_report", "--force", verbosity=0)
    call_command("loaddata", "fixtures/uncommon_alliances_report.json", verbosity=0)

    assert row_counts() == first
    assert first["Theme"] == 8
    assert first["Quote"] == 3


@pytest.mark.django_db
def test_load_report_leaves_a_curators_edits_alone_unless_forced():
    call_command("load_report", verbosity=0)
    Theme.objects.filter(number=1).update(summary="Edited by a curator")

    call_command("load_report", verbosity=0)
    assert Theme.objects.get(number=1).summary == "Edited by a curator"

    call_command("load_report", "--force", verbosity=0)
    assert Theme.objects.get(number=1).summary != "Edited by a curator"


@pytest.mark.django_db
def test_every_theme_has_a_published_lesson_citing_the_report():
    call_command("load_report", verbosity=0)
    report = Source.objects.get()

    for theme in Theme.objects.all():
        lessons = Lesson.objects.published().for_theme(theme)
        assert lessons.exists(), theme.title
        assert all(lesson.source == report for lesson in lessons)
    assert not Lesson.objects.exclude(source=report).exists()
    assert not Lesson.objects.exclude(partnership=None).exists()


@pytest.mark.django_db
def test_quotes_are_attributed_to_the_reports_three_speakers_on_their_themes():
    call_command("load_report", verbosity=0)

    placement = {quote.speaker: quote.theme.number for quote in Quote.objects.all()}

    assert placement == {"Kris Balderston": 4, "John Forrer": 7, "Steven Lerman": 8}


@pytest.mark.skipif(
    not SEED.exists(), reason="the report's text (shared/seed) is not beside this checkout"
)
@pytest.mark.django_db
def test_theme_texts_and_quotes_are_the_reports_own_words():
    call_command("load_report", verbosity=0)
    report = normalise_quotes(" ".join(Path(SEED).read_text(encoding="utf-8").split()))
    # The report's layout sets John Forrer's quote as a sidebar in the middle of a
    # sentence of theme 4; read the theme's text as the sentence runs.
    forrer_sidebar = report[report.index('"... the goal') : report.index("preconceptions they")]
    assert "--John Forrer" in forrer_sidebar
    report = report.replace(forrer_sidebar, "")

    for theme in Theme.objects.all():
        assert f"{theme.number}. {theme.title}" in report
        for paragraph in theme.paragraphs:
            assert normalise_quotes(" ".join(paragraph.split())) in report, theme.title
    for quote in Quote.objects.all():
        assert normalise_quotes(quote.text) in report, quote.speaker
