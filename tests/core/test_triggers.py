"""Database triggers: declared by the apps, installed by migrate and by ensure_triggers,
and put back, with the search index refilled, wherever they went missing.

These tests drop triggers and empty index tables by hand, and every one ends with
core.triggers.install_all(), so the tests after them find every trigger in place
whatever happened here. Those that write rows and then install run as transactional
tests, committing as they go, the way ensure_triggers runs outside tests: PostgreSQL
refuses to re-create a table's triggers while rows written earlier in the same
transaction still have deferred foreign-key checks pending.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from core import triggers
from core.caching import content_version
from core.moderation import ModerationStatus
from lessons.models import Lesson
from search.index import INDEXES
from search.query import Search
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme
from tests.helpers import found

# One search trigger and one content-version trigger on the lesson table, per engine.
DROPPED = {
    "sqlite": ["lesson_search_insert", "content_version_lessons_lesson_insert"],
    "postgresql": ["lesson_search_vector", "content_version_lessons_lesson_insert"],
}


@pytest.fixture
def restore_triggers():
    """After the test, every declared trigger is installed again."""
    yield
    triggers.install_all()
    assert triggers.missing() == []


def drop_trigger(name, table="lessons_lesson"):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {name} ON {table}")
        else:
            cursor.execute(f"DROP TRIGGER {name}")


def ensure_triggers():
    out = StringIO()
    call_command("ensure_triggers", stdout=out)
    return out.getvalue()


def after_migrate():
    triggers.install_after_migrate(sender=None, using="default")


def publish_new_lesson(title):
    """A published lesson written straight to its table: no themes, no tags."""
    return Lesson.objects.create(
        title=title,
        slug=slugify(title),
        context="c",
        insight="i",
        recommendation="r",
        moderation_status=ModerationStatus.PUBLISHED,
        published_at=timezone.now(),
    )


def declared_names():
    return [name for trigger_set in triggers.registered() for name in trigger_set.names(connection)]


def indexed_rows(index):
    """How many rows the search index holds for one kind."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT count(*) FROM {index.table} WHERE search_vector IS NOT NULL")
        else:
            cursor.execute(f"SELECT count(*) FROM {index.fts_table}")
        return cursor.fetchone()[0]


@pytest.fixture
def boreholes():
    """Two lessons and two case studies, each with a word of its own to be found by."""
    theme = make_theme()
    lessons = [
        make_lesson(title="Borehole maintenance", themes=[theme], insight="Keep spares close."),
        make_lesson(title="Borehole siting", themes=[theme], tags=["hydrology"]),
    ]
    partnerships = [
        make_partnership(name="Borehole Compact", summary="Spares for every pump."),
        make_partnership(
            name="Aquifer Alliance", partners=[(make_organisation(name="Drillers Guild"), "lead")]
        ),
    ]
    return {"lesson": lessons, "partnership": partnerships}


QUERIES = ["borehole", "spares", "hydrology", "drillers", "aquifer"]


@pytest.mark.django_db
def test_every_declared_trigger_is_installed_after_migrate():
    names = declared_names()

    assert len(names) == len(set(names)) > 0
    assert {"search index", "content version"} <= {ts.name for ts in triggers.registered()}
    assert triggers.missing() == []


@pytest.mark.django_db(transaction=True)
def test_ensure_triggers_twice_keeps_every_trigger_and_every_search_result(
    boreholes, restore_triggers
):
    before = {query: found(query) for query in QUERIES}
    rows = {kind: indexed_rows(index) for kind, index in INDEXES.items()}

    first = ensure_triggers()
    second = ensure_triggers()

    assert triggers.missing() == []
    assert {query: found(query) for query in QUERIES} == before
    assert sorted(before["borehole"]) == [
        "Borehole Compact",
        "Borehole maintenance",
        "Borehole siting",
    ]
    assert before["drillers"] == ["Aquifer Alliance"]
    # Nothing was indexed twice.
    assert (
        {kind: indexed_rows(index) for kind, index in INDEXES.items()}
        == rows
        == {
            "lesson": 2,
            "partnership": 2,
        }
    )
    for output in (first, second):
        assert output.startswith("Triggers in place: ")
        assert "content version" in output and "search index" in output


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("reinstall", [after_migrate, ensure_triggers], ids=lambda f: f.__name__)
def test_dropped_triggers_are_named_missing_and_put_back(restore_triggers, reinstall):
    dropped = DROPPED[connection.vendor]
    for name in dropped:
        drop_trigger(name)

    assert sorted(triggers.missing()) == sorted(dropped)
    # While they are missing, a new lesson is not indexed and moves no version.
    version = content_version()
    publish_new_lesson("Cistern cleaning")
    assert found("cistern") == []
    assert content_version() == version

    reinstall()

    assert triggers.missing() == []
    publish_new_lesson("Cistern repairs")
    assert content_version() != version
    # Found, and so is the lesson written while the triggers were missing.
    assert sorted(found("cistern")) == ["Cistern cleaning", "Cistern repairs"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="about SQLite's FTS5 tables")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", INDEXES)
def test_ensure_triggers_refills_an_emptied_sqlite_index(boreholes, restore_triggers, kind):
    index = INDEXES[kind]
    names = [getattr(row, index.title) for row in boreholes[kind]]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {index.fts_table}")
    assert [found(f'"{name}"', kind=kind) for name in names] == [[], []]
    assert Search(f'"{names[0]}"').count() == 0  # and that count is now cached
    version = content_version()

    ensure_triggers()

    assert indexed_rows(index) == 2
    assert [found(f'"{name}"', kind=kind) for name in names] == [[name] for name in names]
    # The refill moves the content version, so no count cached before it survives.
    assert content_version() != version
    assert Search(f'"{names[0]}"').count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="about PostgreSQL's tsvectors")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", INDEXES)
def test_ensure_triggers_refills_blanked_postgresql_vectors(boreholes, restore_triggers, kind):
    index = INDEXES[kind]
    blanked, kept = boreholes[kind]
    names = [getattr(blanked, index.title), getattr(kept, index.title)]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {index.table} SET search_vector = NULL WHERE id = %s", [blanked.pk])
    assert [found(f'"{name}"', kind=kind) for name in names] == [[], [names[1]]]

    ensure_triggers()

    assert indexed_rows(index) == 2
    assert [found(f'"{name}"', kind=kind) for name in names] == [[name] for name in names]


# suspended(): a bulk load with no trigger firing per row, everything rebuilt after it ---------


@pytest.mark.django_db  # some sets read the database to say what to drop or rebuild
def test_every_registered_set_says_how_to_drop_its_triggers_and_rebuild():
    for trigger_set in triggers.registered():
        assert list(trigger_set.drop(connection)), trigger_set.name
        assert list(trigger_set.rebuild(connection)), trigger_set.name


@pytest.mark.django_db
def test_suspended_drops_every_declared_trigger_and_puts_them_all_back():
    with triggers.suspended():
        assert sorted(triggers.missing()) == sorted(declared_names())

    assert triggers.missing() == []


@pytest.mark.django_db
def test_what_is_written_while_suspended_is_searchable_and_moves_the_version_afterwards(
    boreholes,
):
    drillers = make_organisation(name="Well Sinkers Union")
    version = content_version()

    with triggers.suspended():
        make_lesson(title="Cistern cleaning", themes=[make_theme()], tags=["rainwater"])
        make_partnership(name="Cistern Compact", partners=[(drillers, "lead")])
        boreholes["lesson"][0].delete()
        boreholes["lesson"][1].tags.add("groundwater")
        # Nothing fires meanwhile: not indexed yet, and no version moved.
        assert found("cistern") == []
        assert content_version() == version

    assert sorted(found("cistern")) == ["Cistern Compact", "Cistern cleaning"]
    assert found("rainwater") == ["Cistern cleaning"]
    assert found("sinkers") == ["Cistern Compact"]
    assert found("groundwater") == ["Borehole siting"]
    # Rebuilt from scratch: what was indexed before stays, what was deleted is gone.
    assert sorted(found("borehole")) == ["Borehole Compact", "Borehole siting"]
    assert found("drillers") == ["Aquifer Alliance"]
    assert content_version() != version
    assert triggers.missing() == []


@pytest.mark.django_db
def test_an_error_while_suspended_rolls_back_the_rows_and_keeps_every_trigger(boreholes):
    version = content_version()

    with pytest.raises(RuntimeError), triggers.suspended():
        make_lesson(title="Cistern cleaning", themes=[make_theme()])
        raise RuntimeError("the load failed")

    assert triggers.missing() == []
    assert not Lesson.objects.filter(title="Cistern cleaning").exists()
    assert content_version() == version
    # The triggers work as before.
    publish_new_lesson("Cistern repairs")
    assert found("cistern") == ["Cistern repairs"]
    assert content_version() != version
