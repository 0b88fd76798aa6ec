"""The curators' queue of partner responses: disputes first, comments approved from it, the
count on the admin index and each partner's answer on the case study's change page."""

import pytest
from django.urls import reverse

from alliances.models import PartnerSignoff, SignoffAnswer
from tests.factories import make_organisation, make_partnership
from tests.helpers import page_queries, run_admin_action
from tests.signoff.helpers import with_contacts

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:alliances_partnersignoff_changelist")


def answered(partnership, *answers):
    signoffs = with_contacts(partnership, *[f"p{i}@x.org" for i in range(len(answers))])
    for signoff, (answer, comment) in zip(signoffs, answers, strict=True):
        PartnerSignoff.objects.filter(pk=signoff.pk).update(answer=answer, comment=comment)
    return signoffs


def case_study(size=2, **fields):
    organisations = [make_organisation() for _ in range(size)]
    return make_partnership(partners=[(org, "lead") for org in organisations], **fields)


def test_the_queue_lists_disputes_first_and_filters_by_answer(curator_client):
    partnership = case_study(3, name="Harbour Deal")
    answered(
        partnership,
        (SignoffAnswer.CONFIRMED, ""),
        (SignoffAnswer.DISPUTED, "Our role is wrong."),
        (SignoffAnswer.CONFIRMED_WITH_COMMENT, "Fine."),
    )

    html = curator_client.get(QUEUE).content.decode()
    assert html.index("Our role is wrong.") < html.index("Fine.")
    disputed = curator_client.get(QUEUE, {"answer__exact": "disputed"}).content.decode()
    assert "Our role is wrong." in disputed and "Fine." not in disputed
    waiting = curator_client.get(QUEUE, {"comment": "pending"}).content.decode()
    assert "Our role is wrong." in waiting and "Fine." in waiting
    assert "p0@x.org" not in html  # contacts only on a response's own page


def test_approving_comments_shows_them_on_the_page(curator_client, client):
    partnership = case_study(2, name="Harbour Deal")
    dispute, _ = answered(
        partnership, (SignoffAnswer.DISPUTED, "Our role is wrong."), (SignoffAnswer.NONE, "")
    )
    assert "Our role is wrong." not in client.get(partnership.get_absolute_url()).content.decode()

    response = run_admin_action(curator_client, QUEUE, "approve_comments", [dispute])

    assert "Approved 1 comment" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.comment_approved
    assert "Our role is wrong." in client.get(partnership.get_absolute_url()).content.decode()


def test_the_index_counts_the_responses_waiting(curator_client):
    answered(case_study(2), (SignoffAnswer.DISPUTED, "No."), (SignoffAnswer.CONFIRMED, ""))
    answered(case_study(2, moderation="pending"), (SignoffAnswer.DISPUTED, "Hidden."))

    html = curator_client.get(reverse("admin:index")).content.decode()

    assert "<strong>1</strong> partner response</a> waits for a curator" in html


def test_the_case_study_change_page_shows_each_partners_answer(curator_client):
    partnership = case_study(2)
    answered(partnership, (SignoffAnswer.DISPUTED, "Our role is wrong."))

    html = curator_client.get(
        reverse("admin:alliances_partnership_change", args=[partnership.pk])
    ).content.decode()

    assert "Sees it differently — comment waiting for approval: “Our role is wrong.”" in html
    assert "no contact given" in html


def test_the_queue_costs_the_same_queries_at_two_sizes(curator_client):
    counts = []
    for size in (2, 10):
        partnership = case_study(size)
        answered(partnership, *[(SignoffAnswer.DISPUTED, "Words.")] * size)
        counts.append(page_queries(curator_client, QUEUE))
    assert counts[0] == counts[1]
