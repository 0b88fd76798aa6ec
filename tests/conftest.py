import pytest
from django.core.cache import cache

from alliances.models import Outcome, Region, Role, Sector
from core.moderation import ModerationStatus
from tests.factories import make_organisation, make_partnership, make_theme


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Serve static files unhashed in tests: the hashed manifest exists only after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rolled-back tests reuse content versions."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def trust(db):
    """Theme 3 of the report, the one most tests file their lessons under."""
    return make_theme(title="Work to Build Trust", number=3, summary="Share information honestly.")


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "c@example.org", "pw-curator-1")


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def case_studies():
    """Three published case studies and one pending, across sectors, regions and outcomes."""
    ministry = make_organisation(name="Ministry of Water", sector=Sector.GOVERNMENT)
    company = make_organisation(name="Pumps plc", sector=Sector.BUSINESS)
    ngo = make_organisation(name="Wells Trust", sector=Sector.CIVIL_SOCIETY)
    water = make_partnership(
        name="Water for Towns",
        region=Region.AFRICA,
        outcome=Outcome.NOT_AS_PLANNED,
        start_year=2005,
        end_year=2009,
        partners=[(ministry, Role.CONVENER), (company, Role.FUNDER)],
        tags=["water"],
    )
    schools = make_partnership(
        name="Schools Online",
        region=Region.ASIA_PACIFIC,
        outcome=Outcome.ON_TRACK,
        start_year=2015,
        partners=[(company, Role.LEAD), (ngo, Role.IMPLEMENTER)],
        tags=["education", "digital"],
    )
    clinics = make_partnership(
        name="Clinic Network",
        region=Region.AFRICA,
        outcome=Outcome.ON_TRACK,
        start_year=2011,
        end_year=2014,
        partners=[(ngo, Role.LEAD)],
        tags=["health", "water"],
    )
    make_partnership(
        name="Pending Pipeline",
        moderation=ModerationStatus.PENDING,
        region=Region.AFRICA,
        outcome=Outcome.ON_TRACK,
        partners=[(ministry, Role.LEAD)],
        tags=["water", "secret-tag"],
    )
    return {"water": water, "schools": schools, "clinics": clinics}
