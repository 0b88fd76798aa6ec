"""Lists filtered by slugs in their query string: a shared link with an old tag or theme slug
redirects to the same list filtered by the current one."""

import pytest
from taggit.models import Tag

from tests.factories import make_lesson
from tests.helpers import rename

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(trust, water_for_towns):
    make_lesson(title="Agree what words mean", themes=[trust], tags=["water"])
    return {"tag": Tag.objects.get(slug="water"), "theme": trust}


def test_a_list_filtered_by_an_old_tag_or_theme_slug_redirects_with_the_current_ones(client, items):
    rename(items["tag"], "waters")
    rename(items["theme"], "trust-first")

    response = client.get("/lessons/?tag=water&sort=title&theme=work-to-build-trust")
    assert response.status_code == 301
    assert response["Location"] == "/lessons/?tag=waters&sort=title&theme=trust-first"
    response = client.get("/partnerships/?theme=work-to-build-trust&tag=waters&tag=water")
    assert response.status_code == 301
    assert response["Location"] == "/partnerships/?theme=trust-first&tag=waters"
    page = client.get("/lessons/?tag=waters&sort=title&theme=trust-first")
    assert page.status_code == 200
    assert "Agree what words mean" in page.content.decode()


def test_a_list_filtered_by_current_or_unknown_slugs_answers_as_before(client, items):
    rename(items["tag"], "waters")

    for address in ("/lessons/?tag=waters", "/lessons/?tag=never-was", "/lessons/?tag="):
        assert client.get(address).status_code == 200


def test_a_list_filtered_by_an_old_slug_of_a_hidden_tag_does_not_redirect(client, pending_pipeline):
    rename(Tag.objects.get(slug="secret-tag"), "secret-renamed")

    response = client.get("/partnerships/?tag=secret-tag")
    assert response.status_code == 200
    assert b"secret-renamed" not in response.content
