"""A partner a case study hides is named on no public surface, whatever field it arrives by.

The scene: "Coastal Compact", led by a partner and convened by Northfield Council, shared
by Amina Diallo, whose organisation is typed in one of many spellings (the partner's own
name, respelled, or an unrelated one); a lesson from it, shared by Bo Lindqvist of the
same organisation. Every surface that shows either is read: with the names hidden none
shows any partner's name or the contributor's organisation in any spelling, the
contributors' own names still show; with names shown, the credit is as it always was.
"""

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import feedparser
import pytest
from django.utils.text import slugify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.models import Partnership, PartnerSignoff, Role, Sector, SignoffAnswer
from lessons.models import Lesson, Theme
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme
from tests.spellings import compact

pytestmark = pytest.mark.django_db

NEIGHBOUR = "Northfield Council"
AMINA = "Amina Diallo"
BO = "Bo Lindqvist"

# (the partner's name, the contributors' organisation as they typed it)
SPELLINGS = [
    pytest.param("Harbour Trust", "Harbour Trust", id="the-same"),
    pytest.param("Harbour Trust", "  hARBOUR \t TRUST ", id="case-and-spacing"),
    pytest.param("Harbour Trust", "Ｈａｒｂｏｕｒ\u3000Ｔｒｕｓｔ", id="full-width"),
    pytest.param("Harbour Trust", "Harbour\u00a0Trust", id="no-break-space"),
    pytest.param("Harbour Trust", "Har\u200bbour-Trust", id="invisible-and-hyphen"),
    pytest.param("Fondation Société Générale", "FONDATION SOCIETE GENERALE", id="no-accents"),
    pytest.param("Zürich Wasserwerk", "Zu\u0308rich wasserwerk", id="decomposed"),
    pytest.param("绿色基金会", "绿色基金会", id="unspaced-script"),
    pytest.param("Harbour Trust", "Lakeside Cooperative", id="unrelated-organisation"),
]


@dataclass
class Scene:
    partnership: Partnership
    lesson: Lesson
    theme: Theme
    partner_slugs: list[str]
    names: list[str]  # the partners' names and the contributors' organisation


def coastal_compact(*, partner_name, typed, hidden, contributor=AMINA, asked_hidden=False):
    """The scene; ``hidden`` hides every partner's name, ``asked_hidden`` only the lead
    partner's, as its own request through its sign-off link."""
    theme = make_theme(title="Agree the rules")
    partner = make_organisation(
        name=partner_name, slug=slugify(partner_name) or "partner", sector=Sector.BUSINESS
    )
    neighbour = make_organisation(name=NEIGHBOUR, sector=Sector.GOVERNMENT)
    partnership = make_partnership(
        name="Coastal Compact",
        partners=[(partner, Role.LEAD), (neighbour, Role.CONVENER)],
        tags=["coast"],
        hide_partner_names=hidden,
        contributor_name=contributor,
        contributor_organisation=typed,
        contributor_email="amina@example.org",
    )
    lesson = make_lesson(
        title="Agree the ground rules early",
        themes=[theme],
        tags=["coast"],
        partnership=partnership,
        contributor_name=BO,
        contributor_organisation=typed,
    )
    if asked_hidden:
        PartnerSignoff.objects.create(
            participation=partnership.participations.get(organisation=partner),
            answer=SignoffAnswer.CONFIRMED,
            hide_name=True,
        )
        return Scene(partnership, lesson, theme, [partner.slug], [partner_name, typed])
    return Scene(
        partnership, lesson, theme, [partner.slug, neighbour.slug], [partner_name, NEIGHBOUR, typed]
    )


def body(response):
    """The text a reader of the response gets: JSON decoded, entities resolved."""
    assert response.status_code == 200, response
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/json"):
        # A JSON body may spell any character as \\uXXXX: read what it says.
        return json.dumps(json.loads(raw), ensure_ascii=False)
    return html.unescape(raw.decode())


def sitemap_text(client):
    index = client.get("/sitemap.xml")
    texts = [body(index)]
    for loc in ET.fromstring(index.content).iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    ):
        address = urlsplit(loc.text)
        texts.append(body(client.get(f"{address.path}?{address.query}")))
    return "\n".join(texts)


def public_texts(client, scene):
    """{surface: what it shows} for every public surface the case study or lesson is on."""
    partnership, lesson, theme = scene.partnership, scene.lesson, scene.theme
    urls = {
        "case-study page": partnership.get_absolute_url(),
        "lesson page": lesson.get_absolute_url(),
        "lesson list": "/lessons/",
        "case-study list": "/partnerships/",
        "theme page": theme.get_absolute_url(),
        "tag page": "/tags/coast/",
        "tag list": "/tags/",
        "search, case study": "/search/?q=coastal",
        "search, lesson": "/search/?q=ground+rules",
        "home": "/",
        "insights": "/insights/",
        "lesson feed": "/feeds/lessons/",
        "theme feed": f"/feeds/themes/{theme.slug}/",
        "tag feed": "/feeds/tags/coast/",
        "case-study feed": "/feeds/partnerships/",
        "API lessons": "/api/v1/lessons",
        "API lesson": f"/api/v1/lessons/{lesson.slug}",
        "API case studies": "/api/v1/partnerships",
        "API case study": f"/api/v1/partnerships/{partnership.slug}",
        "lesson CSV": "/lessons/export.csv",
        "lesson JSON": "/lessons/export.json",
        "case-study CSV": "/partnerships/export.csv",
        "case-study JSON": "/partnerships/export.json",
    }
    texts = {surface: body(client.get(url)) for surface, url in urls.items()}
    texts["sitemap"] = sitemap_text(client)
    assert partnership.name in texts["search, case study"]
    assert lesson.title in texts["search, lesson"]
    return texts


def credits_shown(client, scene):
    """{surface: the credit it gives} for the case study and for the lesson, apart."""
    partnership, lesson = scene.partnership, scene.lesson

    def on_page(url):
        found = re.search(r"<dt>Shared by</dt><dd>(.*?)</dd>", body(client.get(url)), re.S)
        return found.group(1) if found else ""

    def in_feed(url, item):
        feed = feedparser.parse(client.get(url).content)
        [entry] = [e for e in feed.entries if e.link.endswith(item.get_absolute_url())]
        return entry.get("author", "")

    def in_api(url, slug):
        data = json.loads(body(client.get(url)))
        [item] = [i for i in data.get("results", [data]) if i["slug"] == slug]
        return item["credit"]

    def in_export(url, item):
        text = body(client.get(url))
        rows = json.loads(text) if url.endswith("json") else csv.DictReader(io.StringIO(text))
        [row] = [r for r in rows if r["url"].endswith(item.get_absolute_url())]
        return row["credit"]

    slug = partnership.slug
    of_case_study = {
        "page": on_page(partnership.get_absolute_url()),
        "feed": in_feed("/feeds/partnerships/", partnership),
        "API list": in_api("/api/v1/partnerships", slug),
        "API detail": in_api(f"/api/v1/partnerships/{slug}", slug),
        "CSV": in_export("/partnerships/export.csv", partnership),
        "JSON": in_export("/partnerships/export.json", partnership),
    }
    of_lesson = {
        "page": on_page(lesson.get_absolute_url()),
        "feed": in_feed("/feeds/lessons/", lesson),
        "theme feed": in_feed(f"/feeds/themes/{scene.theme.slug}/", lesson),
        "tag feed": in_feed("/feeds/tags/coast/", lesson),
        "API list": in_api("/api/v1/lessons", lesson.slug),
        "API detail": in_api(f"/api/v1/lessons/{lesson.slug}", lesson.slug),
        "CSV": in_export("/lessons/export.csv", lesson),
        "JSON": in_export("/lessons/export.json", lesson),
    }
    return of_case_study, of_lesson


def one_spacing(credits):
    return {surface: " ".join(credit.split()) for surface, credit in credits.items()}


def assert_named_nowhere(client, scene, names):
    """None of ``names``, in any spelling, on any surface; no page of the partners."""
    for surface, text in public_texts(client, scene).items():
        for name in names:
            assert compact(name) not in compact(text), f"{name!r} shown by the {surface}"
    for slug in scene.partner_slugs:
        assert client.get(f"/organisations/{slug}/").status_code == 404
        assert client.get(f"/api/v1/organisations/{slug}").status_code == 404
    for name in names:
        found = body(client.get(f"/search/?{urlencode({'q': name})}"))
        assert scene.partnership.get_absolute_url() not in found
        assert scene.lesson.get_absolute_url() not in found


@pytest.mark.parametrize(("partner_name", "typed"), SPELLINGS)
def test_with_partners_hidden_no_surface_names_one_and_the_contributors_stay_credited(
    client, partner_name, typed
):
    scene = coastal_compact(partner_name=partner_name, typed=typed, hidden=True)

    assert_named_nowhere(client, scene, scene.names)
    of_case_study, of_lesson = credits_shown(client, scene)
    assert of_case_study == dict.fromkeys(of_case_study, AMINA)
    assert of_lesson == dict.fromkeys(of_lesson, BO)


@pytest.mark.parametrize(("partner_name", "typed"), SPELLINGS)
def test_with_partners_named_the_contributors_organisation_is_credited_as_before(
    client, partner_name, typed
):
    scene = coastal_compact(partner_name=partner_name, typed=typed, hidden=False)

    of_case_study, of_lesson = credits_shown(client, scene)
    organisation = " ".join(typed.split())
    assert one_spacing(of_case_study) == dict.fromkeys(of_case_study, f"{AMINA}, {organisation}")
    assert one_spacing(of_lesson) == dict.fromkeys(of_lesson, f"{BO}, {organisation}")
    texts = public_texts(client, scene)
    assert partner_name in texts["case-study page"]
    assert NEIGHBOUR in texts["API case study"]
    assert client.get(f"/organisations/{scene.partner_slugs[0]}/").status_code == 200


@pytest.mark.parametrize(
    "contributor",
    [
        "Harbour Trust",
        "Amina Diallo (HARBOUR TRUST)",
        "amina.diallo@harbour-trust",
        "Amina of Northfield  Council",
        "Amina Diallo, Lakeside Cooperative",
    ],
)
def test_a_contributor_name_that_names_a_hidden_partner_is_not_shown_either(client, contributor):
    scene = coastal_compact(
        partner_name="Harbour Trust",
        typed="Lakeside Cooperative",
        hidden=True,
        contributor=contributor,
    )

    assert_named_nowhere(client, scene, scene.names)
    of_case_study, of_lesson = credits_shown(client, scene)
    assert of_case_study == dict.fromkeys(of_case_study, "")
    assert of_lesson == dict.fromkeys(of_lesson, BO)


def test_hiding_partners_later_takes_the_organisation_off_every_credit_at_once(client):
    scene = coastal_compact(partner_name="Harbour Trust", typed="harbour trust", hidden=False)
    of_case_study, of_lesson = credits_shown(client, scene)
    assert set(of_case_study.values()) == {f"{AMINA}, harbour trust"}

    Partnership.objects.filter(pk=scene.partnership.pk).update(hide_partner_names=True)

    assert_named_nowhere(client, scene, scene.names)
    of_case_study, of_lesson = credits_shown(client, scene)
    assert set(of_case_study.values()) == {AMINA}
    assert set(of_lesson.values()) == {BO}


@pytest.mark.parametrize(("partner_name", "typed"), SPELLINGS)
def test_a_partner_that_asked_to_be_hidden_is_named_nowhere_and_the_others_still_are(
    client, partner_name, typed
):
    scene = coastal_compact(partner_name=partner_name, typed=typed, hidden=False, asked_hidden=True)

    assert_named_nowhere(client, scene, scene.names)
    texts = public_texts(client, scene)
    assert NEIGHBOUR in texts["case-study page"] and NEIGHBOUR in texts["API case study"]
    assert client.get(f"/organisations/{slugify(NEIGHBOUR)}/").status_code == 200
    of_case_study, of_lesson = credits_shown(client, scene)
    assert of_case_study == dict.fromkeys(of_case_study, AMINA)
    assert of_lesson == dict.fromkeys(of_lesson, BO)


# Names of every script and shape after a made-up word (so that no other text on a page,
# such as a date, could hold the name by chance): letters, digits, marks, spaces, dashes.
partner_names = st.text(
    st.characters(categories=("L", "N", "Mn", "Zs", "Pd", "Po")), min_size=1, max_size=30
).map(lambda tail: " ".join(f"Qorvath {tail}".split()))


@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(partner_name=partner_names, asked=st.booleans())
def test_any_partner_name_asked_hidden_is_shown_nowhere(client, partner_name, asked):
    from django.core.cache import caches

    from alliances.models import Organisation
    from core import history

    for each in caches.all():
        each.clear()
    with history.revision(by=None, comment="Reset the scene."):
        Lesson.objects.all().delete()
        Partnership.objects.all().delete()
        Organisation.objects.all().delete()
        Theme.objects.all().delete()
    scene = coastal_compact(
        partner_name=partner_name,
        typed="Lakeside Cooperative",
        hidden=not asked,
        asked_hidden=asked,
    )

    assert_named_nowhere(client, scene, scene.names)
