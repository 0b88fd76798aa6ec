"""Names, and the other ways visitors type them: for the tests that hidden names stay hidden.

``respelled(name)`` draws the same name in another case, with accents decomposed,
full-width letters, invisible characters and other word breaks; ``compact`` is an
independent, deliberately over-strict reading of "this text shows that name".
"""

import unicodedata

from hypothesis import strategies as st

# Letters whose upper case folds back to the same letters (no final sigma, no dotless i).
LATIN = "abcdefghijklmnopqrstuvwxyzéèêëüöäåñçøæœßáíóúãõâîôûÿ"
GREEK = "αβγδεζηθικλμνξοπρστυφχψω"
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщыэюя"
DIGITS = "0123456789"
# Written without spaces between words.
UNSPACED = "绿色基金会水务合作伙伴みずのかいしゃ"

spaced_words = st.text(alphabet=LATIN + GREEK + CYRILLIC + DIGITS, min_size=1, max_size=8)
unspaced_words = st.text(alphabet=UNSPACED, min_size=1, max_size=4)
organisation_names = st.lists(spaced_words | unspaced_words, min_size=1, max_size=4).map(" ".join)

# Between the words of a name: spaces of every kind, punctuation, or nothing at all.
WORD_BREAKS = ["", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "-", ".", "/", "_", " & ", "·"]
# Characters nobody sees.
INVISIBLE = ["", "\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"]


def full_width(text):
    """ASCII letters, digits and punctuation in their full-width forms ("Ａ" for "A")."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


CHARACTER_FORMS = {
    "as typed": lambda c: c,
    "upper case": str.upper,
    "decomposed": lambda c: unicodedata.normalize("NFD", c),
    "full width": full_width,
    "full width, upper case": lambda c: full_width(c.upper()),
}


@st.composite
def respelled(draw, name):
    """``name`` as someone else might type it."""
    words = []
    for word in name.split(" "):
        characters = []
        for character in word:
            form = CHARACTER_FORMS[draw(st.sampled_from(sorted(CHARACTER_FORMS)))]
            characters.append(form(character) + draw(st.sampled_from(INVISIBLE)))
        words.append("".join(characters))
    spelled = words[0]
    for word in words[1:]:
        spelled += draw(st.sampled_from(WORD_BREAKS)) + word
    return spelled


def compact(text):
    """Only the letters and digits of ``text``, in one case, without accents.

    "Is the compact name inside the compact page?" over-reads on purpose: it also finds
    a name split across words, so a page passing it shows the name in no spelling.
    """
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in folded if c.isalnum() and not unicodedata.combining(c))
