"""search/index.py is the one place that says what is searchable, on either engine.

Every column its declarations list is indexed and re-indexed when an UPDATE changes
it; no other text column of the row is ever searchable. The cases are read from the
declarations, so a column added to one is tested without a change here.
"""

import pytest
from django.apps import apps
from django.db.models import CharField, F, TextField

from search.index import INDEXES
from tests.factories import make_lesson, make_partnership, make_theme
from tests.helpers import found

pytestmark = pytest.mark.django_db

# A word no factory default contains, so a hit can only come from where a test wrote it.
WORD = "quillowort"
TITLE = "Plain heading"

MODELS = {
    kind: next(model for model in apps.get_models() if model._meta.db_table == index.table)
    for kind, index in INDEXES.items()
}


def undeclared_text_columns(kind):
    """The row's own free-text columns that its declaration leaves out (choices are not text)."""
    declared = set(INDEXES[kind].text_columns)
    return [
        field.column
        for field in MODELS[kind]._meta.concrete_fields
        if isinstance(field, CharField | TextField)
        and not field.choices
        and field.column not in declared
    ]


DECLARED = [(kind, column) for kind, index in INDEXES.items() for column in index.text_columns]
UNDECLARED = [(kind, column) for kind in INDEXES for column in undeclared_text_columns(kind)]


def case_id(case):
    kind, column = case
    return f"{kind}.{column}"


def make_row(kind):
    """One published row of `kind` titled TITLE, with none of WORD in it."""
    if kind == "lesson":
        return make_lesson(title=TITLE, themes=[make_theme()])
    return make_partnership(name=TITLE)


def test_the_cases_cover_every_declared_index_and_a_private_column():
    assert {kind for kind, _ in DECLARED} == set(INDEXES) == {kind for kind, _ in UNDECLARED}
    assert ("lesson", "contributor_name") in UNDECLARED
    assert ("lesson", "contributor_email") in UNDECLARED
    assert ("lesson", "context") in DECLARED


@pytest.mark.parametrize("case", DECLARED, ids=case_id)
def test_a_word_written_to_a_declared_column_is_found_after_an_update(case):
    kind, column = case
    row = make_row(kind)
    assert found(WORD) == []

    MODELS[kind].objects.filter(pk=row.pk).update(**{column: f"Words with {WORD} among them"})

    row.refresh_from_db()
    name = getattr(row, INDEXES[kind].title)
    assert found(WORD, kind=kind) == [name]
    assert found(WORD) == [name]


@pytest.mark.parametrize("case", UNDECLARED, ids=case_id)
def test_a_word_only_in_an_undeclared_column_is_never_found(case):
    kind, column = case
    index = INDEXES[kind]
    row = make_row(kind)

    # The title is written too (unchanged), so the row is re-indexed from its new values.
    MODELS[kind].objects.filter(pk=row.pk).update(**{column: WORD, index.title: F(index.title)})

    assert MODELS[kind].objects.filter(pk=row.pk, **{column: WORD}).exists()
    assert found(WORD) == []
    assert found(f'"{TITLE}"', kind=kind) == [TITLE]
