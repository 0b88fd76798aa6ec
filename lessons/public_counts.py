"""Counts of published content kept current by database triggers: what is counted, declared
once (built into both engines' triggers by lessons/public_count_triggers.py).

``core.models.PublicCount`` holds, for each (scope, value), how many published items have
that value: lessons per theme, case studies per region, lessons per tag, and so on (the
scopes below). Every lesson, case study and organisation (an *owner*) adds 1 to a few
counters (``OWNERS`` says which), and ``CountContribution`` lists what each adds now. A
trigger on each table a count depends on marks the owners a changed row may affect
(``WATCHED``); each marked owner is then recomputed: its old contribution subtracted, its
rows read afresh with a few indexed queries (a case study has a handful of lessons), and
added back. So every write path (forms, services, the admin, bulk updates, deletes,
fixtures) keeps the counts exact in its own transaction, and no page waits for a GROUP BY.
"""

from collections.abc import Callable
from functools import partial

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

from alliances.models import (
    Organisation,
    Participation,
    Partnership,
    PartnerSignoff,
    SignoffAnswer,
    TaggedPartnership,
)
from core.models import CountContribution, CountMark, PublicCount
from core.moderation import ModerationStatus
from lessons.models import Lesson, TaggedLesson

# The scopes: what each counter counts (values are ids as text, or a choice's value).
LESSONS = "lessons"  # published lessons (value "")
LESSON_THEME = "lesson-theme"  # published lessons per theme id
LESSON_EXPERIENCE = "lesson-experience"
LESSON_SECTOR = "lesson-sector"  # lessons whose published case study has a partner in it
LESSON_TAG = "lesson-tag"  # published lessons per tag id
LESSON_APPLIED = "lesson-applied"  # published lessons applied at least once (value "yes")
PARTNERSHIPS = "partnerships"  # published case studies (value "")
PARTNERSHIP_SECTOR = "partnership-sector"
PARTNERSHIP_REGION = "partnership-region"
PARTNERSHIP_STATUS = "partnership-status"
PARTNERSHIP_OUTCOME = "partnership-outcome"
PARTNERSHIP_THEME = "partnership-theme"  # case studies with a published lesson on the theme
PARTNERSHIP_TAG = "partnership-tag"
PARTNERSHIP_START = "partnership-start"  # per start year, for the lowest
PARTNERSHIP_END = "partnership-end"  # per end year (or start year), for the highest
# Case studies every partner of which confirmed the account (value "all"; signoff/).
PARTNERSHIP_CONFIRMED = "partnership-confirmed"
ORGANISATIONS = "organisations"  # organisations named in a published case study (value "")
BUILT = "built"  # present once the counts have been computed from scratch

PUBLISHED = ModerationStatus.PUBLISHED.value


def _table(model: type[Model]) -> str:
    return model._meta.db_table


LESSON = _table(Lesson)
LESSON_THEMES = _table(Lesson.themes.through)
TAGGED_LESSON = _table(TaggedLesson)
PARTNERSHIP = _table(Partnership)
PARTICIPATION = _table(Participation)
TAGGED_PARTNERSHIP = _table(TaggedPartnership)
ORGANISATION = _table(Organisation)
COUNT = _table(PublicCount)
CONTRIBUTION = _table(CountContribution)
MARK = _table(CountMark)
SIGNOFF = _table(PartnerSignoff)
CONFIRMING = ", ".join(
    f"'{answer}'" for answer in (SignoffAnswer.CONFIRMED, SignoffAnswer.CONFIRMED_WITH_COMMENT)
)


# What each owner adds --------------------------------------------------------------------
# Each takes the condition on the owner's id column ("l.id = new.owner_id", "TRUE") and
# returns a query of distinct (owner_id, scope, value) rows.


def _lesson_rows(owner: Callable[[str], str], *, applied: bool = True) -> str:
    lesson = f"{owner('l.id')} AND l.moderation_status = '{PUBLISHED}'"
    # Its published "I applied this lesson" reports (lessons/applied_counts.py).
    applied_rows = [
        f"SELECT l.id, '{LESSON_APPLIED}', 'yes' FROM {LESSON} l "
        f"WHERE {lesson} AND l.applied_count > 0"
    ]
    return " UNION ALL ".join(
        [
            f"SELECT l.id AS owner_id, '{LESSONS}' AS scope, '' AS value FROM {LESSON} l "
            f"WHERE {lesson}",
            f"SELECT l.id, '{LESSON_EXPERIENCE}', l.experience FROM {LESSON} l WHERE {lesson}",
            f"SELECT l.id, '{LESSON_THEME}', CAST(lt.theme_id AS TEXT) FROM {LESSON} l "
            f"JOIN {LESSON_THEMES} lt ON lt.lesson_id = l.id WHERE {lesson}",
            f"SELECT l.id, '{LESSON_TAG}', CAST(t.tag_id AS TEXT) FROM {LESSON} l "
            f"JOIN {TAGGED_LESSON} t ON t.content_object_id = l.id WHERE {lesson}",
            # Only a published case study's partners give a lesson a sector.
            f"SELECT DISTINCT l.id, '{LESSON_SECTOR}', o.sector FROM {LESSON} l "
            f"JOIN {PARTNERSHIP} p ON p.id = l.partnership_id "
            f"JOIN {PARTICIPATION} pa ON pa.partnership_id = p.id "
            f"JOIN {ORGANISATION} o ON o.id = pa.organisation_id "
            f"WHERE {lesson} AND p.moderation_status = '{PUBLISHED}'",
            *(applied_rows if applied else []),
        ]
    )


def _partnership_rows(owner: Callable[[str], str]) -> str:
    partnership = f"{owner('p.id')} AND p.moderation_status = '{PUBLISHED}'"
    own = [
        (PARTNERSHIPS, "''"),
        (PARTNERSHIP_REGION, "p.region"),
        (PARTNERSHIP_STATUS, "p.status"),
        (PARTNERSHIP_OUTCOME, "p.outcome"),
    ]
    return " UNION ALL ".join(
        [
            *(
                f"SELECT p.id AS owner_id, '{scope}' AS scope, {value} AS value "
                f"FROM {PARTNERSHIP} p WHERE {partnership}"
                for scope, value in own
            ),
            f"SELECT p.id, '{PARTNERSHIP_START}', CAST(p.start_year AS TEXT) FROM {PARTNERSHIP} p "
            f"WHERE {partnership} AND p.start_year IS NOT NULL",
            f"SELECT p.id, '{PARTNERSHIP_END}', CAST(COALESCE(p.end_year, p.start_year) AS TEXT) "
            f"FROM {PARTNERSHIP} p WHERE {partnership} "
            "AND COALESCE(p.end_year, p.start_year) IS NOT NULL",
            f"SELECT DISTINCT p.id, '{PARTNERSHIP_SECTOR}', o.sector FROM {PARTNERSHIP} p "
            f"JOIN {PARTICIPATION} pa ON pa.partnership_id = p.id "
            f"JOIN {ORGANISATION} o ON o.id = pa.organisation_id WHERE {partnership}",
            f"SELECT DISTINCT p.id, '{PARTNERSHIP_THEME}', CAST(lt.theme_id AS TEXT) "
            f"FROM {PARTNERSHIP} p JOIN {LESSON} l ON l.partnership_id = p.id "
            f"JOIN {LESSON_THEMES} lt ON lt.lesson_id = l.id "
            f"WHERE {partnership} AND l.moderation_status = '{PUBLISHED}'",
            f"SELECT p.id, '{PARTNERSHIP_TAG}', CAST(t.tag_id AS TEXT) FROM {PARTNERSHIP} p "
            f"JOIN {TAGGED_PARTNERSHIP} t ON t.content_object_id = p.id WHERE {partnership}",
            # Confirmed by all: a partner, and none that has not confirmed.
            f"SELECT p.id, '{PARTNERSHIP_CONFIRMED}', 'all' FROM {PARTNERSHIP} p "
            f"WHERE {partnership} AND EXISTS (SELECT 1 FROM {PARTICIPATION} pa "
            "WHERE pa.partnership_id = p.id) "
            f"AND NOT EXISTS (SELECT 1 FROM {PARTICIPATION} pa WHERE pa.partnership_id = p.id "
            f"AND NOT EXISTS (SELECT 1 FROM {SIGNOFF} s WHERE s.participation_id = pa.id "
            f"AND s.answer IN ({CONFIRMING})))",
        ]
    )


def _organisation_rows(owner: Callable[[str], str]) -> str:
    # Named in a published case study that shows its partners' names, where it did not ask
    # for its own name to be hidden (its sign-off).
    return (
        f"SELECT DISTINCT pa.organisation_id AS owner_id, '{ORGANISATIONS}' AS scope, "
        f"'' AS value FROM {PARTICIPATION} pa JOIN {PARTNERSHIP} p ON p.id = pa.partnership_id "
        f"WHERE {owner('pa.organisation_id')} AND p.moderation_status = '{PUBLISHED}' "
        f"AND NOT p.hide_partner_names AND NOT EXISTS (SELECT 1 FROM {SIGNOFF} s "
        "WHERE s.participation_id = pa.id AND s.hide_name)"
    )


OWNERS: dict[str, Callable[[Callable[[str], str]], str]] = {
    "lesson": _lesson_rows,
    "partnership": _partnership_rows,
    "organisation": _organisation_rows,
}


# Which owners a changed row marks -------------------------------------------------------
# Each mark is (kind, query of owner ids from the row ``r``, columns whose change matters
# to it on an update; None: any column the table's trigger watches).


def _lessons_of(partnership_id: str) -> str:
    return f"SELECT id AS owner FROM {LESSON} WHERE partnership_id = {partnership_id}"


def _row(column: str) -> Callable[[str], str]:
    """The owner named in a column of the changed row, if any."""
    return lambda r: f"SELECT {r}.{column} AS owner WHERE {r}.{column} IS NOT NULL"


Mark = tuple[str, Callable[[str], str], tuple[str, ...] | None]

WATCHED: dict[str, tuple[tuple[str, ...], list[Mark]]] = {
    # table: (columns whose update matters, marks)
    LESSON: (
        ("moderation_status", "experience", "partnership_id", "applied_count"),
        [
            ("lesson", _row("id"), None),
            ("partnership", _row("partnership_id"), ("moderation_status", "partnership_id")),
        ],
    ),
    LESSON_THEMES: (
        ("lesson_id", "theme_id"),
        [
            ("lesson", _row("lesson_id"), None),
            (
                "partnership",
                lambda r: (
                    f"SELECT partnership_id AS owner FROM {LESSON} "
                    f"WHERE id = {r}.lesson_id AND partnership_id IS NOT NULL"
                ),
                None,
            ),
        ],
    ),
    TAGGED_LESSON: (("content_object_id", "tag_id"), [("lesson", _row("content_object_id"), None)]),
    PARTNERSHIP: (
        (
            "moderation_status",
            "region",
            "status",
            "outcome",
            "start_year",
            "end_year",
            "hide_partner_names",
        ),
        [
            ("partnership", _row("id"), None),
            ("lesson", lambda r: _lessons_of(f"{r}.id"), ("moderation_status",)),
            (
                "organisation",
                lambda r: (
                    f"SELECT organisation_id AS owner FROM {PARTICIPATION} "
                    f"WHERE partnership_id = {r}.id"
                ),
                ("moderation_status", "hide_partner_names"),
            ),
        ],
    ),
    PARTICIPATION: (
        ("partnership_id", "organisation_id"),
        [
            ("partnership", _row("partnership_id"), None),
            ("lesson", lambda r: _lessons_of(f"{r}.partnership_id"), None),
            ("organisation", _row("organisation_id"), None),
        ],
    ),
    TAGGED_PARTNERSHIP: (
        ("content_object_id", "tag_id"),
        [("partnership", _row("content_object_id"), None)],
    ),
    # A partner's answer (confirmed by all) and its request to be hidden (organisations).
    SIGNOFF: (
        ("participation_id", "answer", "hide_name"),
        [
            (
                "partnership",
                lambda r: (
                    f"SELECT partnership_id AS owner FROM {PARTICIPATION} "
                    f"WHERE id = {r}.participation_id"
                ),
                None,
            ),
            (
                "organisation",
                lambda r: (
                    f"SELECT organisation_id AS owner FROM {PARTICIPATION} "
                    f"WHERE id = {r}.participation_id"
                ),
                None,
            ),
        ],
    ),
    ORGANISATION: (
        ("sector",),
        [
            ("organisation", _row("id"), None),
            (
                "partnership",
                lambda r: (
                    f"SELECT partnership_id AS owner FROM {PARTICIPATION} "
                    f"WHERE organisation_id = {r}.id"
                ),
                None,
            ),
            (
                "lesson",
                lambda r: (
                    f"SELECT l.id AS owner FROM {LESSON} l JOIN {PARTICIPATION} pa "
                    f"ON pa.partnership_id = l.partnership_id WHERE pa.organisation_id = {r}.id"
                ),
                None,
            ),
        ],
    ),
}


# Before the lessons' applied counts exist ----------------------------------------------
# The triggers are installed part-way through a first migrate (lessons 0011), before
# lessons 0013 adds the ``applied_count`` column: until then they neither read nor watch it.

APPLIED_COLUMN = "applied_count"


def _applied_in_place(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, LESSON)
    return APPLIED_COLUMN in {column.name for column in description}


def owners(connection: BaseDatabaseWrapper) -> dict[str, Callable[[Callable[[str], str]], str]]:
    """OWNERS, as the database's columns allow."""
    if _applied_in_place(connection):
        return OWNERS
    return {**OWNERS, "lesson": partial(_lesson_rows, applied=False)}


def watched(connection: BaseDatabaseWrapper) -> dict[str, tuple[tuple[str, ...], list[Mark]]]:
    """WATCHED, as the database's columns allow."""
    if _applied_in_place(connection):
        return WATCHED
    columns, marks = WATCHED[LESSON]
    return {**WATCHED, LESSON: (tuple(c for c in columns if c != APPLIED_COLUMN), marks)}
