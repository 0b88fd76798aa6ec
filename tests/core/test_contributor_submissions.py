"""Which submissions are one contributor's, across lessons and case studies, whatever the case
or spacing their details were typed in: the set a curator's erasure acts on."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.models import Partnership
from core.moderation import moderated_models
from core.selectors import contributor_submissions
from lessons.models import ApplicationReport, Lesson
from tests.factories import make_lesson, make_partnership

pytestmark = pytest.mark.django_db

bounded = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_every_kind_visitors_submit_is_searched():
    # A report of applying a lesson keeps no contributor, but is moderated like the rest.
    kinds = [ApplicationReport, Lesson, Partnership]
    assert sorted(moderated_models(), key=str) == sorted(kinds, key=str)


local_parts = st.text("abcdefghijklmnopqrstuvwxyz0123456789._+-%", min_size=1, max_size=12).filter(
    lambda text: not text.startswith(".") and not text.endswith(".") and ".." not in text
)
domains = st.text("abcdefghijklmnopqrstuvwxyzéüøß", min_size=1, max_size=10).map(
    lambda name: f"{name}.org"
)
names = st.text(
    st.characters(categories=["Lu", "Ll"], exclude_characters="ßẞİıſ"), min_size=1, max_size=12
)


def respelt(text, flips):
    """The text with the letters at `flips` in the other case."""
    return "".join(
        char.swapcase() if index in flips and char.swapcase().swapcase() == char else char
        for index, char in enumerate(text)
    )


def in_a_rolled_back_transaction(test):
    """Each generated example starts from the same database."""

    def run(*args, **kwargs):
        with transaction.atomic():
            test(*args, **kwargs)
            transaction.set_rollback(True)

    return run


@bounded
@given(
    local=local_parts,
    domain=domains,
    other_local=local_parts,
    flips=st.lists(st.sets(st.integers(0, 30)), min_size=3, max_size=3),
)
@in_a_rolled_back_transaction
def test_one_email_in_any_case_is_one_contributor(local, domain, other_local, flips):
    email = f"{local}@{domain}"
    other = f"{other_local}@{domain}"
    selected = make_lesson(contributor_email=email)
    same = [
        make_lesson(contributor_email=respelt(email, flips[0])),
        make_partnership(contributor_email=respelt(email, flips[1])),
    ]
    different = make_partnership(contributor_email=respelt(other, flips[2]))
    nameless = make_lesson(contributor_email="", contributor_name="")

    found = contributor_submissions(items=[selected])

    expected = {selected, *same} | ({different} if other.lower() == email.lower() else set())
    assert set(found) == expected
    assert nameless not in found


@bounded
@given(name=names, organisation=names, spacing=st.sampled_from([" ", "  ", "\t", " \n "]))
@in_a_rolled_back_transaction
def test_without_an_email_one_name_and_organisation_in_any_case_is_one_contributor(
    name, organisation, spacing
):
    first, last = f"{name} Example", f"Dr {name}"
    selected = make_partnership(
        contributor_name=first, contributor_organisation=organisation, contributor_sector="business"
    )
    same = make_lesson(
        contributor_name=spacing.join(first.upper().split()),
        contributor_organisation=f" {organisation.lower()} ",
    )
    other_name = make_lesson(contributor_name=last, contributor_organisation=organisation)
    with_email = make_partnership(
        contributor_name=first, contributor_organisation=organisation, contributor_email="a@b.org"
    )

    found = contributor_submissions(items=[selected])

    assert set(found) == {selected, same}
    assert other_name not in found
    assert with_email not in found
