"""Fixtures every test module may use, and the scenario several of them share.

The shared scenario is a water partnership: a ministry and a pump maker (two sectors)
ran "Water for Towns"; "Pending Pipeline", the same ministry's next case study, waits
for review. Modules add their own rows around it; what they add is theirs alone.
"""

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory

from alliances.models import Outcome, Region, Role, Sector
from core.moderation import ModerationStatus
from tests.factories import make_organisation, make_partnership, make_theme
from tests.mail_server import smtp_server


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Serve static files unhashed in tests: the hashed manifest exists only after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def no_mail_thread(settings):
    """Mail waits in the outbox until a test drains it (core.mail.drain): no sender thread."""
    settings.MAIL_SENDER_THREAD = False


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on 127.0.0.1 that the site's mail goes to: its inbox."""
    with smtp_server(settings) as inbox:
        yield inbox


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (counts and pages): rolled-back tests reuse
    content versions."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


# Themes ---------------------------------------------------------------------------


@pytest.fixture
def trust(db):
    """Theme 3 of the report, the one most tests file their lessons under."""
    return make_theme(title="Work to Build Trust", number=3, summary="Share information honestly.")


@pytest.fixture
def skills(db):
    """Theme 8 of the report."""
    return make_theme(title="Develop Partnership Skills", number=8)


# The water partnership ----------------------------------------------------------------


@pytest.fixture
def ministry(db):
    return make_organisation(name="Ministry of Water", sector=Sector.GOVERNMENT)


@pytest.fixture
def pumps(db):
    return make_organisation(name="Pumps plc", sector=Sector.BUSINESS)


@pytest.fixture
def wells(db):
    return make_organisation(name="Wells Trust", sector=Sector.CIVIL_SOCIETY)


@pytest.fixture
def water_for_towns(ministry, pumps):
    """Published: the ministry convened and Pumps plc funded it, in Africa, 2005 to 2009;
    it did not work out as planned. Tagged "water"."""
    return make_partnership(
        name="Water for Towns",
        region=Region.AFRICA,
        outcome=Outcome.NOT_AS_PLANNED,
        start_year=2005,
        end_year=2009,
        partners=[(ministry, Role.CONVENER), (pumps, Role.FUNDER)],
        tags=["water"],
    )


@pytest.fixture
def pending_pipeline(ministry):
    """Pending review, so never shown or counted: led by the ministry, in Africa from 2001,
    too early to say; tagged "water" and "secret-tag", a tag nothing published carries."""
    return make_partnership(
        name="Pending Pipeline",
        moderation=ModerationStatus.PENDING,
        region=Region.AFRICA,
        outcome=Outcome.TOO_EARLY,
        start_year=2001,
        partners=[(ministry, Role.LEAD)],
        tags=["water", "secret-tag"],
    )


@pytest.fixture
def case_studies(pumps, wells, water_for_towns, pending_pipeline):
    """Three published case studies and one pending, across sectors, regions and outcomes."""
    schools = make_partnership(
        name="Schools Online",
        region=Region.ASIA_PACIFIC,
        outcome=Outcome.ON_TRACK,
        start_year=2015,
        partners=[(pumps, Role.LEAD), (wells, Role.IMPLEMENTER)],
        tags=["education", "digital"],
    )
    clinics = make_partnership(
        name="Clinic Network",
        region=Region.AFRICA,
        outcome=Outcome.ON_TRACK,
        start_year=2011,
        end_year=2014,
        partners=[(wells, Role.LEAD)],
        tags=["health", "water"],
    )
    return {"water": water_for_towns, "schools": schools, "clinics": clinics}


# The admin ------------------------------------------------------------------------------


class AxesAwareClient(Client):
    """Django's test client, whose login() hands authenticate() a request, as django-axes
    requires of every login (axes' own advice for tests); counted like any other login."""

    def login(self, **credentials):
        credentials.setdefault("request", RequestFactory(**self.defaults).get("/"))
        return super().login(**credentials)


@pytest.fixture
def client():
    """pytest-django's client, with a login() that works with the login lockout."""
    return AxesAwareClient()


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "c@example.org", "pw-curator-1")


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client
