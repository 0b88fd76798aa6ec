"""No input to following by email gives a server error: the follow form, the manage page's
posts, and every private link's token, fuzzed like tests/test_fuzz.py fuzzes the rest."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from follows.models import Subscriber
from tests.factories import make_theme
from tests.follows.helpers import confirmed
from tests.test_fuzz import FORM_FUZZ, FUZZ, HOSTILE, RAW, TEXT, Raw, form_fields, read

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_no_follow_form_input_gives_a_server_error(client):
    theme = make_theme()
    base = {
        "email": "ada@example.org",
        "kind": "theme",
        "query": f"theme={theme.slug}",
        "frequency": "weekly",
    }

    @FORM_FUZZ
    @given(changes=form_fields(base, ["unknown"]))
    def check(changes):
        response = client.post(reverse("follows:follow"), {**base, **changes})
        assert response.status_code in {302, 400}
        if response.status_code == 400:
            html = response.content.decode()
            assert "error-summary" in html
            typed = changes.get("email", [base["email"]])[-1]
            if "\x00" not in typed:
                assert escape(typed.strip()) in html

    check()


def test_no_follow_page_query_gives_a_server_error(client):
    @FUZZ
    @given(
        kind=st.one_of(st.sampled_from(HOSTILE + ["theme", "lessons"]), TEXT),
        query=st.one_of(st.sampled_from(HOSTILE), TEXT),
    )
    def check(kind, query):
        response = client.get(reverse("follows:follow"), {"kind": kind, "query": query})
        assert response.status_code < 500

    check()


def test_no_manage_post_gives_a_server_error(client):
    theme = make_theme()
    subscription = confirmed("ada@example.org", query=f"theme={theme.slug}", client=client)
    path = reverse("follows:manage", args=[subscription.subscriber.token])
    base = {"action": "change", "subscription": str(subscription.pk), "frequency": "daily"}

    @FORM_FUZZ
    @given(changes=form_fields(base, ["unknown"]))
    def check(changes):
        changes.pop("action", None)  # ending or erasing would leave nothing to fuzz
        response = client.post(path, {**base, **changes})
        assert response.status_code < 500
        assert Subscriber.objects.exists()

    check()


@pytest.mark.parametrize("name", ["follows:confirm", "follows:unsubscribe", "follows:manage"])
def test_no_token_gives_a_server_error(client, name):
    prefix = reverse(name, args=["SEGMENT"]).split("SEGMENT")

    @FUZZ
    @given(segment=st.one_of(st.sampled_from(HOSTILE + RAW), TEXT).filter(bool))
    def check(segment):
        encoded = segment if isinstance(segment, Raw) else quote(segment, safe="")
        for method in (client.get, client.post):
            response = method(encoded.join(prefix))
            read(response)
            assert response.status_code < 500

    check()
