"""Highlighting in search snippets comes from the engine's matches only, never from content.

Stored text may hold anything a visitor typed, including the private-use characters
the snippets once used as marks, HTML, and escaped HTML. On either engine such text is
shown as text, and only real matches become <mark> elements.
"""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search.query import Search
from tests.factories import make_lesson, make_partnership, make_theme

pytestmark = pytest.mark.django_db

# What a lesson could hold to pass itself off as a match.
FORGERIES = [
    "\ue000forged\ue001",
    "\ue000",
    "\ue001",
    "<mark>forged</mark>",
    "&lt;mark&gt;forged&lt;/mark&gt;",
    "&#60;mark&#62;forged",
    "\ue000<mark>forged</mark>\ue001",
]
WORDS = ["fishers", "restored", "the", "belt", "together", "forged", "coast"]
MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)


def marked_words(snippet):
    return [text.lower() for text in MARKED.findall(str(snippet))]


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    pieces=st.lists(st.sampled_from(FORGERIES + WORDS), min_size=1, max_size=10),
    where=st.integers(min_value=0, max_value=10),
)
@example(pieces=["\ue000forged\ue001"], where=1)
@example(pieces=["<mark>forged</mark>", "\ue000", "\ue001"], where=0)
def test_no_stored_text_can_forge_a_highlight(pieces, where):
    pieces.insert(min(where, len(pieces)), "mangrove")
    text = " ".join(pieces)
    cache.clear()
    with transaction.atomic():
        make_lesson(title="Coastal work", themes=[make_theme()], insight=text)
        make_partnership(name="Coastal partners", story=text)

        hits = Search("mangrove")[0:10]

        assert len(hits) == 2
        for hit in hits:
            marked = marked_words(hit.snippet)
            assert marked and all(word.startswith("mangrove") for word in marked), hit.snippet
            # Past the real marks, everything is text: no element of any kind.
            rest = str(hit.snippet).replace("<mark>", "").replace("</mark>", "")
            assert "<" not in rest and ">" not in rest, hit.snippet
        transaction.set_rollback(True)


def test_the_search_page_shows_marker_characters_as_text_and_marks_real_matches(client):
    make_lesson(
        title="Coastal work",
        themes=[make_theme()],
        insight="Fishers \ue000forged\ue001 the mangrove belt <mark>again</mark> together.",
    )

    response = client.get(reverse("search:search"), {"q": "mangrove"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>mangrove</mark>" in html
    assert "\ue000forged\ue001" in html and "<mark>forged</mark>" not in html
    assert "<mark>again</mark>" not in html


def test_each_search_marks_with_its_own_token():
    first, second = Search("mangrove").marks, Search("mangrove").marks

    assert first != second
    assert first.render(f"a {first.start}b{first.end} c") == "a <mark>b</mark> c"
    assert second.render(f"a {first.start}b{first.end} c") == f"a {first.start}b{first.end} c"
