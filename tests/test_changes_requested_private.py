"""A submission sent back to its contributor for changes is as private as a pending one: on no
page, in no list, feed, sitemap, search, export or API answer, in no count, and it moves no
cached page. Put there by the real service, as a curator's action puts it there: from the
queue, and from the site (a published item sent back, say a disputed case study), with
every public page read, and cached, while it was published."""

import pytest
from django.urls import reverse

from alliances.models import Partnership, Role
from core import services
from core.moderation import ModerationStatus
from core.privacy import new_private_token
from lessons.models import Lesson
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db

SECRET = "Zanzibarquux"


@pytest.fixture(params=[ModerationStatus.PENDING, ModerationStatus.PUBLISHED])
def site(request, curator, client):
    start = request.param
    theme = make_theme(title="Work to Build Trust", number=3)
    public_org = make_organisation(name="Ministry of Water")
    hidden_org = make_organisation(name=f"{SECRET} Cooperative")
    visible = make_partnership(
        name="Water for Towns",
        partners=[(public_org, Role.CONVENER), (make_organisation(), Role.FUNDER)],
        tags=["water"],
    )
    make_lesson(title="Agree what words mean early", themes=[theme], tags=["water"])
    lesson = make_lesson(
        title=f"{SECRET} lesson",
        insight=f"Only {SECRET} knows.",
        themes=[theme],
        tags=["water", f"{SECRET.lower()}-tag"],
        partnership=visible,
        moderation=start,
        status_token=new_private_token(),
    )
    case = make_partnership(
        name=f"{SECRET} case study",
        summary=f"The {SECRET} summary.",
        partners=[(hidden_org, Role.LEAD), (public_org, Role.FUNDER)],
        tags=["water", f"{SECRET.lower()}-tag"],
        moderation=start,
        status_token=new_private_token(),
    )
    shown = {"theme": theme, "lesson": lesson, "case": case, "organisation": hidden_org}
    if start == ModerationStatus.PUBLISHED:
        for address in public_addresses(shown):  # cached while published
            assert client.get(address).status_code == 200, address
        assert client.get(case.get_absolute_url()).status_code == 200
        assert SECRET in client.get(reverse("search:search") + "?q=knows").content.decode()
    for model, item in ((Lesson, lesson), (Partnership, case)):
        services.moderation_request_changes(
            items=model.objects.filter(pk=item.pk), message="Please add a source.", by=curator
        )
        item.refresh_from_db()
        assert item.moderation_status == ModerationStatus.CHANGES_REQUESTED
    return shown


def public_addresses(site):
    theme = site["theme"]
    return [
        "/",
        theme.get_absolute_url(),
        reverse("lessons:theme-list"),
        reverse("browse:lesson-list"),
        reverse("browse:lesson-list") + "?tag=water",
        reverse("browse:partnership-list"),
        reverse("browse:lesson-export", args=["csv"]),
        reverse("browse:lesson-export", args=["json"]),
        reverse("browse:partnership-export", args=["csv"]),
        reverse("browse:partnership-export", args=["json"]),
        reverse("pages:tag-list"),
        reverse("pages:tag-detail", args=["water"]),
        reverse("pages:tag-suggestions") + "?q=zanz",
        reverse("pages:lesson-feed"),
        reverse("pages:partnership-feed"),
        reverse("pages:tag-feed", args=["water"]),
        reverse("pages:theme-feed", args=[theme.slug]),
        reverse("pages:sitemap"),
        *(
            reverse("pages:sitemap-section", args=[section])
            for section in ("pages", "themes", "partnerships", "organisations", "lessons", "tags")
        ),
        reverse("search:search") + "?q=knows",
        reverse("search:search") + "?q=water",
        reverse("insights:insights"),
        "/api/v1/lessons",
        "/api/v1/lessons?q=knows",
        "/api/v1/partnerships",
        "/api/v1/tags",
        f"/api/v1/themes/{theme.slug}",
        "/partnerships/water-for-towns/",
    ]


def test_no_public_page_list_or_answer_shows_it(client, site):
    for address in public_addresses(site):
        response = client.get(address)
        assert response.status_code == 200, address
        body = b"".join(response) if response.streaming else response.content
        assert SECRET.lower() not in body.decode().lower(), address


def test_its_own_pages_and_api_answers_are_not_found(client, site):
    lesson, case, organisation = site["lesson"], site["case"], site["organisation"]
    for address in (
        lesson.get_absolute_url(),
        case.get_absolute_url(),
        organisation.get_absolute_url(),
        reverse("pages:tag-detail", args=[f"{SECRET.lower()}-tag"]),
        f"/api/v1/lessons/{lesson.slug}",
        f"/api/v1/partnerships/{case.slug}",
        f"/api/v1/organisations/{organisation.slug}",
        f"/api/v1/tags/{SECRET.lower()}-tag",
    ):
        assert client.get(address).status_code == 404, address


def test_it_is_in_no_count(client, site):
    from lessons.selectors import site_counts

    counts = site_counts()

    assert counts["lessons"] == 1
    assert counts["partnerships"] == 1
    assert Lesson.objects.published().count() == 1
    assert Partnership.objects.published().count() == 1
