"""The credit rule, written once on the models: where partners are hidden, no credit names one.

A case study that hides its partners' names, and any lesson from it, credits only the
contributor's name: never their organisation, and not a name that spells out a partner
or that organisation. Everywhere else the credit is what it always was.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.models import Partnership, Role
from core.moderation import ModerationStatus
from lessons.models import Lesson
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme
from tests.spellings import compact, organisation_names, respelled

pytestmark = pytest.mark.django_db

CONTRIBUTORS = ["Amina Diallo", "Bo Lindqvist", "Chen Wei", "Ngozi Okafor-Ibe", "José Núñez"]


def fresh(item):
    """``item`` read again, as a page reads it: nothing cached on it."""
    return type(item).objects.get(pk=item.pk)


@settings(
    max_examples=80,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    partner_name=organisation_names,
    contributor=st.sampled_from(CONTRIBUTORS),
    typed_as=st.sampled_from(["the partner, respelled", "another organisation", "nothing"]),
    name_carries_partner=st.booleans(),
    hidden=st.booleans(),
)
def test_no_credit_names_a_hidden_partner_however_it_is_typed(
    db, data, partner_name, contributor, typed_as, name_carries_partner, hidden
):
    typed = {
        "the partner, respelled": lambda: data.draw(respelled(partner_name)),
        "another organisation": lambda: "Lakeside Cooperative",
        "nothing": lambda: "",
    }[typed_as]()
    name = contributor
    if name_carries_partner:
        name = f"{contributor} ({data.draw(respelled(partner_name))})"

    with transaction.atomic():
        partner = make_organisation(name=partner_name, slug="the-partner")
        credited = {"contributor_name": name, "contributor_organisation": typed}
        partnership = make_partnership(
            partners=[(partner, Role.LEAD)], hide_partner_names=hidden, **credited
        )
        lesson = make_lesson(themes=[make_theme()], partnership=partnership, **credited)
        credits = [fresh(partnership).credit, fresh(lesson).credit]
        transaction.set_rollback(True)

    if not hidden:
        assert credits == [f"{name}, {typed}" if typed else name] * 2
    elif name_carries_partner:
        assert credits == ["", ""]
    elif all(compact(hidden) not in compact(name) for hidden in (partner_name, typed) if hidden):
        assert credits == [name, name]
    else:  # the name shares letters with a partner's, though not its words: either is safe
        assert set(credits) <= {"", name}


@pytest.mark.parametrize("moderation", list(ModerationStatus))
def test_a_lesson_keeps_the_organisation_back_whatever_its_case_study_s_moderation(moderation):
    partnership = make_partnership(hide_partner_names=True, moderation=moderation)
    lesson = make_lesson(
        partnership=partnership, contributor_name="Bo", contributor_organisation="Harbour Trust"
    )

    assert fresh(lesson).credit == "Bo"


@pytest.mark.parametrize("hidden", [True, False])
def test_an_anonymous_contributor_is_never_credited(hidden):
    partnership = make_partnership(
        hide_partner_names=hidden,
        contributor_name="Amina",
        contributor_organisation="Harbour Trust",
        publish_anonymously=True,
    )

    assert fresh(partnership).credit == ""


def test_a_case_study_hiding_names_keeps_the_organisation_back_even_with_no_partner_listed():
    partnership = make_partnership(
        hide_partner_names=True, contributor_name="Amina", contributor_organisation="Harbour Trust"
    )

    assert fresh(partnership).credit == "Amina"


def test_elsewhere_the_credit_is_as_before():
    credited = {"contributor_name": "Bo", "contributor_organisation": "Harbour Trust"}
    named = make_partnership(partners=[(make_organisation(name="Harbour Trust"), Role.LEAD)])

    assert fresh(make_lesson(**credited)).credit == "Bo, Harbour Trust"
    assert fresh(make_lesson(partnership=named, **credited)).credit == "Bo, Harbour Trust"
    assert fresh(make_partnership(**credited)).credit == "Bo, Harbour Trust"
    assert fresh(make_lesson(contributor_name="Bo")).credit == "Bo"


def queries_read(client, url):
    """How many queries a response costs, read to its end (exports stream)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content) if response.streaming else response.content
    return len(queries)


def grow_hidden_credits(count, theme):
    """`count` case studies hiding their two partners, each with a credited lesson."""
    for _ in range(count):
        partners = [(make_organisation(), Role.LEAD), (make_organisation(), Role.FUNDER)]
        credited = {"contributor_name": "Bo", "contributor_organisation": "Harbour Trust"}
        partnership = make_partnership(partners=partners, hide_partner_names=True, **credited)
        make_lesson(themes=[theme], tags=["coast"], partnership=partnership, **credited)


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/lessons/",
        "/feeds/tags/coast/",
        "/feeds/partnerships/",
        "/lessons/export.csv",
        "/partnerships/export.json",
        "/api/v1/lessons",
        "/api/v1/partnerships",
    ],
)
def test_credits_cost_the_same_queries_at_any_size(client, url):
    theme = make_theme()
    grow_hidden_credits(3, theme)
    small = queries_read(client, url)
    grow_hidden_credits(27, theme)
    large = queries_read(client, url)

    assert small == large
    assert {lesson.credit for lesson in Lesson.objects.for_credit()} == {"Bo"}
    assert {partnership.credit for partnership in Partnership.objects.for_cards()} == {"Bo"}
