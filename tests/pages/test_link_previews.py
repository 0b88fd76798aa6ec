"""Link previews: every page without its own preview shows as the website."""

import pytest
from django.urls import reverse

from tests.helpers import SITE, read_head

pytestmark = pytest.mark.django_db


def test_other_pages_preview_as_the_website(client, trust):
    home, _ = read_head(client, reverse("pages:home"))
    themed, _ = read_head(client, f"{trust.get_absolute_url()}?utm_source=x")
    lessons, _ = read_head(client, reverse("browse:lesson-list"))

    assert home.meta["og:type"] == "website"
    assert home.meta["og:url"] == f"{SITE}/"
    assert themed.meta["og:type"] == "website"
    assert themed.meta["og:title"] == "Theme 3: Work to Build Trust"
    assert themed.meta["og:url"] == SITE + trust.get_absolute_url()
    assert lessons.meta["og:title"] == "Lessons learned"
