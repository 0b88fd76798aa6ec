"""What visitors see of partners' sign-off: "Confirmed by n of m" in words, a dispute, the
comments only once approved, and a partner that asked to be hidden named nowhere."""

import pytest
from django.urls import reverse

from alliances.models import PartnerSignoff, SignoffAnswer
from core.moderation import ModerationStatus
from tests.factories import make_lesson, make_organisation, make_partnership
from tests.helpers import found, page_queries
from tests.signoff.helpers import with_contacts

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_partners():
    organisations = [
        make_organisation(name=name, sector=sector)
        for name, sector in [
            ("Zebulon Works", "business"),
            ("Quarrel Trust", "civil_society"),
            ("Ministry of Yarrow", "government"),
            ("Vantor Foundation", "philanthropy"),
        ]
    ]
    partnership = make_partnership(
        name="Four Rivers", partners=[(org, "lead") for org in organisations]
    )
    signoffs = with_contacts(partnership, "z@z.org", "q@q.org", "y@y.org", "v@v.org")
    return partnership, signoffs


def answer(signoff, answer, comment="", hide=False, approved=False):
    PartnerSignoff.objects.filter(pk=signoff.pk).update(
        answer=answer, comment=comment, hide_name=hide, comment_approved=approved
    )


def text(client, url):
    return client.get(url).content.decode()


def test_nothing_is_said_before_any_partner_answers(client, four_partners):
    partnership, _ = four_partners

    html = text(client, partnership.get_absolute_url())

    assert "Confirmed by" not in html and "Disputed" not in html


def test_confirmations_are_counted_in_words_with_the_partners_names(client, four_partners):
    partnership, (zeb, quarrel, yarrow, _) = four_partners
    answer(zeb, SignoffAnswer.CONFIRMED)
    answer(yarrow, SignoffAnswer.CONFIRMED_WITH_COMMENT, "Fair, though late.")

    html = text(client, partnership.get_absolute_url())

    assert "Confirmed by 2 of 4 partners: Zebulon Works, Ministry of Yarrow." in html
    assert "Disputed" not in html
    assert "Fair, though late." not in html  # not approved yet
    answer(yarrow, SignoffAnswer.CONFIRMED_WITH_COMMENT, "Fair, though late.", approved=True)
    html = text(client, partnership.get_absolute_url())
    assert "Ministry of Yarrow (confirmed, with a comment):" in html
    assert "Fair, though late." in html


def test_a_dispute_is_said_and_its_words_wait_for_a_curator(client, four_partners):
    partnership, (zeb, quarrel, _, _) = four_partners
    answer(zeb, SignoffAnswer.CONFIRMED)
    answer(quarrel, SignoffAnswer.DISPUTED, "We never agreed to the budget story.")

    html = text(client, partnership.get_absolute_url())
    assert "Confirmed by 1 of 4 partners: Zebulon Works." in html
    assert "a partner sees this account differently" in html
    assert "We never agreed to the budget story." not in html

    answer(quarrel, SignoffAnswer.DISPUTED, "We never agreed to the budget story.", approved=True)
    html = text(client, partnership.get_absolute_url())
    assert "Quarrel Trust (sees it differently):" in html
    assert "We never agreed to the budget story." in html


def test_no_contact_or_link_is_ever_shown(client, four_partners):
    partnership, signoffs = four_partners
    for signoff in signoffs:
        answer(signoff, SignoffAnswer.CONFIRMED)
    for number, signoff in enumerate(signoffs):
        PartnerSignoff.objects.filter(pk=signoff.pk).update(token=f"secret-token-value-{number}")

    html = text(client, partnership.get_absolute_url())

    assert "Confirmed by 4 of 4 partners" in html
    assert "@" not in html.split("<main")[1].split("</main>")[0]
    assert "secret-token-value" not in html


def test_a_partner_that_asks_to_be_hidden_is_named_nowhere(client, four_partners):
    partnership, (zeb, *_) = four_partners
    make_lesson(title="Bridges need budgets", partnership=partnership)
    answer(zeb, SignoffAnswer.CONFIRMED, hide=True)
    zebulon = zeb.participation.organisation

    pages = [
        partnership.get_absolute_url(),
        reverse("browse:partnership-list"),
        "/feeds/partnerships/",
        "/api/v1/partnerships",
        f"/api/v1/partnerships/{partnership.slug}",
        "/sitemap.xml",
        "/search/?q=Four+Rivers",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "zebulon" not in response.content.decode().lower(), url
    assert client.get(zebulon.get_absolute_url()).status_code == 404
    assert "A partner from business" in text(client, partnership.get_absolute_url())
    assert "Confirmed by 1 of 4 partners: A partner from business." in text(
        client, partnership.get_absolute_url()
    )
    assert found("Zebulon") == []
    assert found("Quarrel") == ["Four Rivers"]


def test_a_hidden_partner_is_found_again_when_it_asks_to_be_shown(client, four_partners):
    partnership, (zeb, *_) = four_partners
    answer(zeb, SignoffAnswer.CONFIRMED, hide=True)
    answer(zeb, SignoffAnswer.CONFIRMED, hide=False)

    assert found("Zebulon") == ["Four Rivers"]
    assert client.get(zeb.participation.organisation.get_absolute_url()).status_code == 200


def test_a_pending_case_studys_answers_show_nowhere(client, ministry, pumps):
    pending = make_partnership(
        name="Quiet Pipeline",
        moderation=ModerationStatus.PENDING,
        partners=[(ministry, "lead"), (pumps, "funder")],
    )
    [signoff, _] = with_contacts(pending, "a@a.org", "b@b.org")
    answer(signoff, SignoffAnswer.CONFIRMED)

    assert client.get(pending.get_absolute_url()).status_code == 404
    assert "Quiet Pipeline" not in text(client, "/api/v1/partnerships")


def test_the_case_study_page_costs_the_same_queries_at_two_sizes(client):
    counts = []
    for size in (2, 8):
        organisations = [make_organisation() for _ in range(size)]
        partnership = make_partnership(partners=[(org, "lead") for org in organisations])
        for signoff in with_contacts(partnership, *[f"p{i}@x.org" for i in range(size)]):
            answer(signoff, SignoffAnswer.DISPUTED, "Words.", approved=True)
        counts.append(page_queries(client, partnership.get_absolute_url()))
    assert counts[0] == counts[1]
