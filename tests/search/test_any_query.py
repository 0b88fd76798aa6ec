"""Any text is a search: the engine is never handed something it cannot parse.

The search page never sees a NUL (core/request_checks.py turns such an address away),
but Search itself takes any text, whoever calls it, on either engine.
"""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search.query import Search, parse_terms
from tests.factories import make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def mangrove(trust):
    return make_lesson(title="Mangrove belt", themes=[trust])


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # read only
)
@given(query=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40))
@example(query="a\x00b")
@example(query='"\x00"')
@example(query="mangrove\x00")
@example(query='" OR NEAR( * ^ - :')
def test_any_query_text_searches_without_error(mangrove, query):
    results = Search(query)

    assert results.count() >= 0
    assert isinstance(results[0:5], list)
    assert all("\x00" not in term for term in parse_terms(query))


def test_a_nul_separates_words_like_a_space(mangrove):
    assert Search("mangrove\x00belt").count() == 1
