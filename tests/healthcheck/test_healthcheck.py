"""The partnership health check: its scoring, its form, its private result and comparisons."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.moderation import ModerationStatus
from healthcheck.models import HealthCheck
from healthcheck.scoring import (
    changes,
    health_check_create,
    overall_score,
    theme_scores,
    weakest_themes,
)
from tests.factories import make_lesson, make_partnership, make_theme

HIDDEN = [ModerationStatus.PENDING, ModerationStatus.REJECTED]

# Four themes of two, three, four and one questions, for scoring without a database.
QUESTIONS = [
    ("motives", ["motives-1", "motives-2"]),
    ("champions", ["champions-1", "champions-2", "champions-3"]),
    ("trust", ["trust-1", "trust-2", "trust-3", "trust-4"]),
    ("skills", ["skills-1"]),
]
THEMES = [
    SimpleNamespace(slug=slug, number=number) for number, (slug, _) in enumerate(QUESTIONS, start=1)
]


def all_answered(value):
    return {key: value for _, keys in QUESTIONS for key in keys}


def test_all_green_scores_100_everywhere_and_no_theme_is_weak():
    scores = theme_scores(QUESTIONS, all_answered("green"))

    assert scores == {"motives": 100, "champions": 100, "trust": 100, "skills": 100}
    assert overall_score(scores) == 100
    assert weakest_themes(scores, THEMES) == []


def test_all_red_scores_0_everywhere():
    scores = theme_scores(QUESTIONS, all_answered("red"))

    assert scores == {"motives": 0, "champions": 0, "trust": 0, "skills": 0}
    assert overall_score(scores) == 0


def test_mixed_answers_score_the_mean_of_each_theme_as_a_percentage():
    answers = {
        "motives-1": "green",
        "motives-2": "amber",  # (2 + 1) / 4 = 75
        "champions-1": "green",
        "champions-2": "red",
        "champions-3": "amber",  # (2 + 0 + 1) / 6 = 50
        "trust-1": "amber",
        "trust-2": "red",
        "trust-3": "red",
        "trust-4": "red",  # 1 / 8 = 12.5
        "skills-1": "green",  # 100
    }

    scores = theme_scores(QUESTIONS, answers)

    assert scores == {"motives": 75, "champions": 50, "trust": 12.5, "skills": 100}
    assert overall_score(scores) == 59.4  # 237.5 / 4 = 59.375
    assert [t.slug for t in weakest_themes(scores, THEMES)] == ["trust", "champions", "motives"]


def test_weakest_themes_are_at_most_three_below_100_with_ties_by_theme_number():
    scores = {"motives": 50, "champions": 25, "trust": 50, "skills": 50}

    weakest = weakest_themes(scores, THEMES)

    assert [t.slug for t in weakest] == ["champions", "motives", "trust"]


def test_weakest_themes_leave_out_themes_scoring_100():
    scores = {"motives": 100, "champions": 100, "trust": 87.5, "skills": 100}

    assert [t.slug for t in weakest_themes(scores, THEMES)] == ["trust"]


def test_changes_pair_each_theme_earlier_and_now():
    rows = changes({"motives": 50, "trust": 75}, {"motives": 75, "trust": 50}, THEMES)

    assert [(r.theme.slug, r.earlier, r.now, r.direction, r.size) for r in rows] == [
        ("motives", 50, 75, "up", 25),
        ("trust", 75, 50, "down", 25),
    ]


# Through the site, with three real themes.


@pytest.fixture
def themes(db):
    return [
        make_theme(
            number=1,
            title="Understand Partnership Motivations",
            guiding_questions="What does each partner want?\nWhere might words differ?",
        ),
        make_theme(
            number=2,
            title="Identify Internal Champions",
            guiding_questions="Who champions it?\n\nWhat could stall us?\n",
        ),
        make_theme(
            number=3,
            title="Work to Build Trust",
            guiding_questions="Do partners keep promises?\nIs information shared?",
        ),
    ]


def answers_for(themes, *values):
    """Post data: each theme's questions all answered with that theme's value."""
    data = {}
    for theme, value in zip(themes, values, strict=True):
        for index in range(1, len(theme.question_list) + 1):
            data[f"{theme.slug}-{index}"] = value
    return data


def check_with(themes, *values, compared_with=None):
    data = answers_for(themes, *values)
    questions = [(t.slug, [k for k in data if k.startswith(t.slug)]) for t in themes]
    return health_check_create(
        answers=data,
        scores=theme_scores(questions, data),
        address="192.0.2.1",
        compared_with=compared_with,
    )


def test_form_asks_every_theme_question_in_order_as_a_fieldset(client, themes):
    response = client.get(reverse("healthcheck:health-check"))

    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(question) for theme in themes for question in theme.question_list]
    assert positions == sorted(positions)
    assert html.count("<legend>Where might words differ?") == 1
    assert html.count('type="radio"') == 3 * 6
    assert 'name="understand-partnership-motivations-2"' in html
    assert 'name="identify-internal-champions-2"' in html  # blank lines don't count


def test_sending_every_answer_stores_the_check_and_leads_to_its_private_result(client, themes):
    data = answers_for(themes, "green", "amber", "red")

    response = client.post(reverse("healthcheck:health-check"), data)

    check = HealthCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"] == check.get_absolute_url()
    assert check.answers == data
    assert check.scores == {
        "understand-partnership-motivations": 100,
        "identify-internal-champions": 50,
        "work-to-build-trust": 0,
    }
    assert len(check.token) >= 32
    assert check.compared_with is None


def test_missing_answers_give_400_with_messages_and_keep_the_chosen_answers(client, themes):
    data = answers_for(themes, "green", "amber", "red")
    del data["work-to-build-trust-2"]
    data["compare"] = "not a token at all"

    response = client.post(reverse("healthcheck:health-check"), data)

    assert response.status_code == 400
    assert not HealthCheck.objects.exists()
    html = response.content.decode()
    assert "There are problems with what you sent" in html
    assert 'href="#id_work-to-build-trust-2">Is information shared?: Choose green' in html
    assert "No earlier check has this link" in html
    assert (
        'name="work-to-build-trust-1" value="red" id="id_work-to-build-trust-1_2" checked' in html
    )
    assert (
        'name="identify-internal-champions-1" value="amber"'
        ' id="id_identify-internal-champions-1_1" checked' in html
    )
    assert 'value="not a token at all"' in html


def test_result_page_is_private_with_chart_table_and_compare_link(client, themes):
    check = check_with(themes, "green", "amber", "red")

    response = client.get(check.get_absolute_url())

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    html = response.content.decode()
    assert '<title id="chart-health-title">' in html
    assert '<desc id="chart-health-desc">1. Understand Partnership Motivations: 100;' in html
    assert '<caption id="chart-health-caption">' in html
    assert "Overall score: <strong>50</strong>" in html
    assert "Keep this link" in html
    assert f"?compare={check.token}" in html
    assert "Check again later and compare" in html


def test_a_guessed_link_is_not_found(client, themes):
    check_with(themes, "green", "amber", "red")

    response = client.get(reverse("healthcheck:health-check-result", args=["guessed-token-123"]))

    assert response.status_code == 404


def test_stored_scores_are_shown_after_a_curator_edits_the_questions(client, themes):
    check = check_with(themes, "green", "amber", "red")
    themes[1].guiding_questions = "A brand new question?"
    themes[1].save()

    html = client.get(check.get_absolute_url()).content.decode()

    assert "2. Identify Internal Champions: 50;" in html


@pytest.mark.parametrize("moderation", HIDDEN)
def test_recommendations_show_only_published_content_most_helpful_first(client, themes, moderation):
    trust = themes[2]
    case = make_partnership(name="Published Compact")
    hidden_case = make_partnership(name="Hidden Compact", moderation=moderation)
    make_lesson(title="Quite helpful", themes=[trust], helpful_count=5, partnership=case)
    make_lesson(title="Most helpful", themes=[trust], helpful_count=9)
    make_lesson(title="Less helpful", themes=[trust], helpful_count=1)
    make_lesson(title="Least helpful", themes=[trust], helpful_count=0)
    make_lesson(title="Hidden but popular", themes=[trust], helpful_count=99, moderation=moderation)
    make_lesson(
        title="On hidden case", themes=[trust], partnership=hidden_case, moderation=moderation
    )
    make_lesson(title="Strong theme lesson", themes=[themes[0]], helpful_count=50)
    check = check_with(themes, "green", "green", "red")

    response = client.get(check.get_absolute_url())

    html = response.content.decode()
    item = response.context["weakest"][0]
    assert [t["theme"] for t in response.context["weakest"]] == [trust]
    assert [lesson.title for lesson in item["lessons"]] == [
        "Most helpful",
        "Quite helpful",
        "Less helpful",
    ]
    assert [p.name for p in item["partnerships"]] == ["Published Compact"]
    assert html.index("Most helpful") < html.index("Quite helpful") < html.index("Less helpful")
    assert "Least helpful" not in html
    assert "Hidden but popular" not in html
    assert "Hidden Compact" not in html
    assert "Strong theme lesson" not in html


def test_a_check_compared_with_an_earlier_one_shows_the_changes(client, themes):
    earlier = check_with(themes, "red", "amber", "green")
    data = answers_for(themes, "green", "amber", "red")
    data["compare"] = f"http://testserver{earlier.get_absolute_url()}"

    response = client.post(reverse("healthcheck:health-check"), data, follow=True)

    check = HealthCheck.objects.exclude(pk=earlier.pk).get()
    assert check.compared_with == earlier
    html = response.content.decode()
    assert "What changed since" in html
    rows = [(c.theme.number, c.earlier, c.now, c.direction) for c in response.context["changes"]]
    assert rows == [(1, 0, 100, "up"), (2, 50, 50, "same"), (3, 100, 0, "down")]
    assert '<span aria-hidden="true">▲</span> up 100 points' in html
    assert '<span aria-hidden="true">=</span> no change' in html
    assert '<span aria-hidden="true">▼</span> down 100 points' in html


def test_the_form_takes_the_token_to_compare_with_from_the_link(client, themes):
    earlier = check_with(themes, "red", "amber", "green")

    html = client.get(f"{reverse('healthcheck:health-check')}?compare={earlier.token}")

    assert f'value="{earlier.token}"' in html.content.decode()

    data = {**answers_for(themes, "amber", "amber", "amber"), "compare": earlier.token}
    client.post(reverse("healthcheck:health-check"), data)
    assert HealthCheck.objects.get(compared_with=earlier).scores[themes[0].slug] == 50


def test_result_page_costs_the_same_queries_at_two_data_sizes(client, themes):
    earlier = check_with(themes, "red", "red", "red")
    check = check_with(themes, "amber", "red", "amber", compared_with=earlier)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(check.get_absolute_url()).status_code == 200
        return len(captured)

    for theme in themes:
        case = make_partnership()
        make_lesson(themes=[theme], partnership=case, tags=["trust"])
    small = queries()
    for theme in themes:
        for _ in range(6):
            case = make_partnership()
            make_lesson(themes=[theme], partnership=case, tags=["trust", "water"])
    large = queries()

    assert small == large


def test_admin_lists_checks_by_date_and_token_prefix_only(admin_client, themes):
    check = check_with(themes, "green", "amber", "red")

    response = admin_client.get(reverse("admin:healthcheck_healthcheck_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"{check.token[:6]}…" in html
    assert check.token not in html
    assert admin_client.get(reverse("admin:healthcheck_healthcheck_add")).status_code == 403


def test_health_checks_per_address_per_hour_are_limited(client, themes, settings):
    settings.HEALTH_CHECKS_PER_HOUR = 2
    data = answers_for(themes, "green", "amber", "red")
    url = reverse("healthcheck:health-check")

    answers = [client.post(url, data) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [302, 302, 429, 429]
    refused = answers[2]
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    text = refused.content.decode()
    assert "We score up to 2 health checks an hour from one place" in text
    assert "This check has not been scored or stored." in text
    assert "submissions" not in text
    assert HealthCheck.objects.count() == 2
    # Another address has its own hour.
    assert client.post(url, data, REMOTE_ADDR="192.0.2.50").status_code == 302
    assert HealthCheck.objects.count() == 3
