"""A name is found in a text however either is spelt, and never inside a longer word."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.mentions import mentions, mentions_any, words
from tests.spellings import LATIN, organisation_names, respelled

BOUNDED = settings(max_examples=300, derandomize=True, deadline=None, database=None)

# What may stand around a name in a longer text: a word and a real break.
around = st.sampled_from(["", "Amina Diallo, ", "Shared by ", "(", "Mr. X of "])
after = st.sampled_from(["", ")", ", Lagos", " team", "!"])


@BOUNDED
@given(data=st.data(), name=organisation_names, before=around, behind=after)
def test_a_name_is_found_however_it_is_respelled_and_wherever_it_stands(data, name, before, behind):
    spelled = data.draw(respelled(name))

    assert mentions(f"{before}{spelled}{behind}", name)
    assert mentions(name, spelled)  # and the other way round


@BOUNDED
@given(name=st.text(alphabet=LATIN, min_size=1, max_size=12), letter=st.sampled_from("xqz"))
def test_a_name_is_never_found_inside_a_longer_word(name, letter):
    assert not mentions(f"{letter}{name}", name)
    assert not mentions(f"{name}{letter}", name)


@pytest.mark.parametrize(
    ("text", "name", "found"),
    [
        ("Jane Dunn", "UN", False),
        ("Jane Dunn, UN", "UN", True),
        ("A.C.M.E. Foundation", "Acme Foundation", True),
        ("AcmeFoundation Ltd", "Acme Foundation", True),
        ("Acme", "Acme Foundation", False),
        ("Fondation Societe Generale", "Fondation Société Générale", True),
        ("ＨＡＲＢＯＵＲ　ＴＲＵＳＴ", "Harbour Trust", True),
        ("Har\u200bbour Trust", "Harbour Trust", True),
        ("张伟，绿色基金会", "绿色基金会", True),
        ("张伟绿色基金会的", "绿色基金会", True),
        ("Straße Partners", "STRASSE PARTNERS", True),
        ("Anyone", "", False),
        ("Anyone", "—", False),
    ],
)
def test_examples(text, name, found):
    assert mentions(text, name) is found


def test_any_of_several_names():
    assert mentions_any("Bo, Northfield Council", ["Harbour Trust", "northfield  council"])
    assert not mentions_any("Bo Lindqvist", ["Harbour Trust", "Northfield Council"])
    assert not mentions_any("Bo Lindqvist", [])


def test_words_are_folded_to_one_spelling():
    assert words("  Ｚu\u0308rich—WASSER_werk ") == ["zurich", "wasser", "werk"]
