"""Whether a text names an organisation, however either is spelt.

Visitors type names freely: "HARBOUR  TRUST", "harbour-trust", "Ｈａｒｂｏｕｒ Ｔｒｕｓｔ",
"Societe Generale" for "Société Générale". What must stay hidden has to be found in all
of them, so both sides are reduced to the same words before they are compared.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Runs of letters and digits; underscores and everything else separate words.
_WORD = re.compile(r"[^\W_]+")

# Scripts written without spaces between words: each of their characters counts as a
# word of its own, so a name is found inside a run of them.
_UNSPACED_SCRIPTS = ("CJK ", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")

# Left out before comparing: accents and other combining marks, and invisible format
# characters (zero-width spaces and joiners, direction marks, soft hyphens).
_DROPPED_CATEGORIES = {"Mn", "Mc", "Me", "Cf"}


@lru_cache(maxsize=4096)
def _is_unspaced(character: str) -> bool:
    return unicodedata.name(character, "").startswith(_UNSPACED_SCRIPTS)


def words(text: str) -> list[str]:
    """The words of ``text`` in one spelling: compatibility forms folded, case folded,
    accents, invisible characters and punctuation left out."""
    # Casefolding can produce new combining marks ("İ" becomes "i" and a dot): fold
    # compatibility forms, then case, then decompose again before dropping the marks.
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    kept = "".join(c for c in folded if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    result = []
    for word in _WORD.findall(kept):
        run = ""
        for character in word:
            if _is_unspaced(character):
                result += [run, character] if run else [character]
                run = ""
            else:
                run += character
        if run:
            result.append(run)
    return result


def mentions(text: str, name: str) -> bool:
    """Whether ``text`` contains ``name`` as whole words, however either is spelt.

    Word breaks may differ ("Acme Foundation", "AcmeFoundation", "A.C.M.E. Foundation"),
    but a name is never found inside a longer word: "UN" is not in "Jane Dunn".
    """
    target = "".join(words(name))
    if not target:
        return False
    text_words = words(text)
    for start in range(len(text_words)):
        joined = ""
        for word in text_words[start:]:
            joined += word
            if joined == target:
                return True
            if not target.startswith(joined):
                break
    return False


def mentions_any(text: str, names: Iterable[str]) -> bool:
    """Whether ``text`` names any of ``names`` (see ``mentions``)."""
    return any(mentions(text, name) for name in names)
