import pytest
from django.db import IntegrityError, transaction

from alliances.models import Participation, Partnership, Role
from tests.factories import make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def test_a_partnership_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_partnership(start_year=2012, end_year=2010)

    assert not Partnership.objects.exists()


def test_an_organisation_takes_each_role_once_per_partnership():
    organisation = make_organisation()
    partnership = make_partnership(partners=[(organisation, Role.FUNDER)])

    Participation.objects.create(
        partnership=partnership, organisation=organisation, role=Role.CONVENER
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            partnership=partnership, organisation=organisation, role=Role.FUNDER
        )

    assert partnership.participations.count() == 2


def test_featured_published_partnerships():
    featured = make_partnership(featured=True)
    make_partnership(featured=True, moderation="pending")
    make_partnership()

    assert list(Partnership.objects.published().featured()) == [featured]
