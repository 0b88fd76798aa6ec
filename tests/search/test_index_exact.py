"""The search index stays exact under any sequence of writes, on either engine.

Random sequences of the writes a site sees (forms and the admin saving, publishing and
withdrawing, bulk updates, deletions, tags and partners added, removed, renamed or moved
with queryset.update(), themes and experience changed, partner names hidden) are
followed by searches compared with a plain Python reading of the same rows: what is
published, and holds every word in its indexed text. Counts, facets and filters are
compared too, and the index itself with one rebuilt from scratch.
"""

import itertools
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from taggit.models import Tag

from alliances.models import (
    Organisation,
    Participation,
    Partnership,
    PartnerSignoff,
    Role,
    TaggedPartnership,
)
from core import triggers
from core.services import moderation_publish, moderation_reject
from lessons.models import Experience, Lesson, TaggedLesson
from search.index import INDEXES, LESSON_FACTS_TABLE
from search.query import Search, SearchFilters
from search.triggers import SEARCH_TRIGGERS
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db

# Made-up words no factory default holds, each its own stem on both engines.
WORDS = ["quillo", "zarnak", "brimvel", "tolvask"]
QUERIES = [*WORDS, "quillo zarnak"]
STATUSES = ["published", "pending", "rejected"]
TOKEN = re.compile(r"\w+")
# Titles, names and slugs must be unique; a number makes them so (and is never searched).
_serial = itertools.count(1)

OPERATIONS = [
    "new lesson",
    "new case study",
    "publish",
    "publish (admin)",
    "reject (admin)",
    "withdraw (update)",
    "edit (save)",
    "edit (update)",
    "delete",
    "tag on",
    "tag off",
    "tag renamed",
    "tag link moved (update)",
    "partner on",
    "partner off",
    "partner link moved (update)",
    "organisation renamed",
    "hide partner names",
    "a partner asks to hide its name",
    "a partner's sign-off deleted",
    "themes set",
    "theme link moved (update)",
    "experience (update)",
    "lesson moved to a case study (update)",
]

texts = st.lists(st.sampled_from([*WORDS, "plain"]), max_size=3).map(" ".join)


@pytest.fixture
def world(django_user_model):
    """Three themes, three organisations and a curator: what the writes choose from."""
    return {
        "themes": [make_theme() for _ in range(3)],
        "curator": django_user_model.objects.create_user("curator", is_staff=True),
    }


def pick(queryset, number):
    rows = list(queryset.order_by("pk"))
    return rows[number % len(rows)] if rows else None


def pick_row(number):
    """A lesson (even numbers) or a case study (odd), if there is one."""
    model = Lesson if number % 2 == 0 else Partnership
    return pick(model.objects.all(), number // 2)


def apply(operation, a, b, text, world):  # noqa: C901 - one branch per kind of write
    themes = world["themes"]
    row = pick_row(a)
    model = type(row) if row else None
    same = model.objects.filter(pk=row.pk) if row else None
    if operation == "new lesson":
        make_lesson(
            title=f"Lesson {text} {next(_serial)}",
            insight=f"Insight {WORDS[b % 4]}",
            themes=themes[: 1 + b % 3],
            experience=Experience.values[b % 2],
            moderation=STATUSES[a % 3],
            tags=[f"tag {WORDS[a % 4]}"] if b % 2 else [],
            partnership=pick(Partnership.objects.all(), b),
        )
    elif operation == "new case study":
        partnership = make_partnership(
            name=f"Case {text} {next(_serial)}",
            story=f"Story {WORDS[b % 4]}",
            moderation=STATUSES[a % 3],
            hide_partner_names=bool(b % 2),
            tags=[f"tag {WORDS[b % 4]}"] if a % 2 else [],
        )
        organisation = make_organisation(name=f"Organisation {WORDS[a % 4]} {next(_serial)}")
        Participation.objects.create(
            partnership=partnership, organisation=organisation, role=Role.FUNDER
        )
    elif row is None:
        return
    elif operation == "publish":
        same.publish()
    elif operation == "publish (admin)":
        moderation_publish(items=same, by=world["curator"])
    elif operation == "reject (admin)":
        moderation_reject(items=same, reason="", by=world["curator"])
    elif operation == "withdraw (update)":
        same.update(moderation_status=STATUSES[1 + b % 2])
    elif operation == "edit (save)":
        index = INDEXES["lesson" if model is Lesson else "partnership"]
        setattr(row, index.title, f"Edited {text} {next(_serial)}")
        row.save()
    elif operation == "edit (update)":
        same.update(**({"recommendation": text} if model is Lesson else {"summary": text}))
    elif operation == "delete":
        row.delete()
    elif operation == "tag on":
        row.tags.add(f"tag {WORDS[b % 4]}")
    elif operation == "tag off":
        row.tags.clear()
    elif operation == "tag renamed":
        tag = pick(Tag.objects.filter(lessons_taggedlesson_items__isnull=False), b) or pick(
            Tag.objects.all(), b
        )
        if tag:
            tag.name = f"renamed {text} {tag.pk}"
            tag.save()
    elif operation == "tag link moved (update)":
        links = TaggedLesson if model is Lesson else TaggedPartnership
        link, other = pick(links.objects.all(), b), pick(model.objects.all(), b + 1)
        if link and other and not links.objects.filter(content_object=other, tag=link.tag):
            links.objects.filter(pk=link.pk).update(content_object=other)
    elif operation == "partner on" and model is Partnership:
        organisation = pick(Organisation.objects.all(), b)
        if organisation and not row.participations.filter(organisation=organisation).exists():
            Participation.objects.create(
                partnership=row, organisation=organisation, role=Role.OTHER
            )
    elif operation == "partner off" and model is Partnership:
        row.participations.all().delete()
    elif operation == "partner link moved (update)":
        link, other = pick(Participation.objects.all(), b), pick(Partnership.objects.all(), a)
        if link and other:
            Participation.objects.filter(pk=link.pk).update(partnership=other)
    elif operation == "organisation renamed":
        # One whose name a published case study shows, if any: that is what must change.
        shown = Organisation.objects.filter(
            participations__partnership__moderation_status="published",
            participations__partnership__hide_partner_names=False,
        ).distinct()
        organisation = pick(shown, b) or pick(Organisation.objects.all(), b)
        if organisation:
            # "r" + its id: never a name "new case study" gives from the serial.
            organisation.name = f"Organisation {text} r{organisation.pk}"
            organisation.save()
    elif operation == "hide partner names" and model is Partnership:
        same.update(hide_partner_names=not row.hide_partner_names)
    elif operation == "a partner asks to hide its name":
        part = pick(Participation.objects.all(), b)
        if part:
            signoff, _ = PartnerSignoff.objects.get_or_create(participation=part)
            PartnerSignoff.objects.filter(pk=signoff.pk).update(hide_name=not signoff.hide_name)
    elif operation == "a partner's sign-off deleted":
        signoff = pick(PartnerSignoff.objects.all(), b)
        if signoff:
            signoff.delete()
    elif operation == "themes set" and model is Lesson:
        row.themes.set(themes[b % 3 : b % 3 + 1 + a % 2])
    elif operation == "theme link moved (update)":
        links = Lesson.themes.through.objects
        link = pick(links.filter(lesson__moderation_status="published"), b)
        taken = links.filter(lesson_id=link.lesson_id) if link else links.all()
        free = [theme for theme in themes if not taken.filter(theme=theme).exists()]
        if link and free:
            links.filter(pk=link.pk).update(theme=free[a % len(free)])
    elif operation == "experience (update)" and model is Lesson:
        same.update(experience=Experience.values[b % 2])
    elif operation == "lesson moved to a case study (update)" and model is Lesson:
        same.update(partnership=pick(Partnership.objects.all(), b))


def start(themes):
    organisations = [make_organisation(name=f"Organisation {word} start") for word in WORDS[:3]]
    first = make_partnership(
        name="Case quillo start",
        partners=[(organisations[0], Role.LEAD)],
        tags=["tag zarnak"],
    )
    make_partnership(
        name="Case brimvel start",
        partners=[(organisations[1], Role.FUNDER), (organisations[2], Role.OTHER)],
        tags=["tag tolvask"],
        hide_partner_names=True,
    )
    make_lesson(
        title="Lesson quillo start",
        themes=themes[:1],
        tags=["tag zarnak"],
        partnership=first,
    )
    make_lesson(
        title="Lesson zarnak brimvel start",
        themes=themes[:2],
        experience=Experience.WENT_WRONG,
        moderation="pending",
    )
    make_lesson(
        title="Lesson tolvask quillo start",
        themes=themes[1:2],
        experience=Experience.WENT_WRONG,
        tags=["tag quillo"],
        partnership=first,
    )


# The oracle ------------------------------------------------------------------------------


def words_of(*texts):
    return {word.lower() for text in texts for word in TOKEN.findall(text or "")}


@dataclass(frozen=True)
class Row:
    """A published row as a visitor may find it, read plainly from the models."""

    kind: str
    pk: int
    words: frozenset
    themes: frozenset  # a lesson's themes; a case study's published lessons' themes
    experience: str = ""


def published_rows():
    rows = []
    lessons = Lesson.objects.published().prefetch_related("tags", "themes")
    for lesson in lessons:
        texts = [getattr(lesson, column) for column in INDEXES["lesson"].text_columns]
        texts += [tag.name for tag in lesson.tags.all()]
        themes = frozenset(theme.pk for theme in lesson.themes.all())
        rows.append(
            Row("lesson", lesson.pk, frozenset(words_of(*texts)), themes, lesson.experience)
        )
    partnerships = Partnership.objects.published().prefetch_related(
        "tags", "participations__organisation", "participations__signoff"
    )
    for partnership in partnerships:
        texts = [getattr(partnership, column) for column in INDEXES["partnership"].text_columns]
        texts += [tag.name for tag in partnership.tags.all()]
        texts += [
            part.organisation.name
            for part in partnership.participations.all()
            if not part.name_hidden
        ]
        themes = frozenset(
            Lesson.themes.through.objects.filter(
                lesson__partnership=partnership, lesson__moderation_status="published"
            ).values_list("theme_id", flat=True)
        )
        rows.append(Row("partnership", partnership.pk, frozenset(words_of(*texts)), themes))
    return rows


def expected(rows, query, filters):
    """The rows a search must find: published, holding every word, within the filters."""
    return [
        row
        for row in rows
        if words_of(query) <= row.words
        and filters.kind in ("", row.kind)
        and (not filters.theme_id or filters.theme_id in row.themes)
        and (not filters.experience or row.experience == filters.experience)
    ]


def expected_facets(rows, query, filters):
    """Lessons per theme (experience filter applied) and per experience (theme filter)."""
    themes, experiences = Counter(), Counter()
    for row in expected(rows, query, SearchFilters(kind="lesson", experience=filters.experience)):
        themes.update(row.themes)
    for row in expected(rows, query, SearchFilters(kind="lesson", theme_id=filters.theme_id)):
        experiences[row.experience] += 1
    return {"theme": dict(themes), "experience": dict(experiences)}


def index_contents():
    """What the index holds, as the database stores it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            contents = {}
            for index in INDEXES.values():
                cursor.execute(f"SELECT rowid, * FROM {index.fts_table} ORDER BY rowid")
                contents[index.fts_table] = cursor.fetchall()
            cursor.execute(f"SELECT * FROM {LESSON_FACTS_TABLE} ORDER BY id")
            contents[LESSON_FACTS_TABLE] = cursor.fetchall()
            return contents
        contents = {}
        for index in INDEXES.values():
            cursor.execute(f"SELECT id, search_vector::text FROM {index.table} ORDER BY id")
            contents[index.table] = cursor.fetchall()
        return contents


def rebuilt_index_contents():
    with connection.cursor() as cursor:
        for statement in SEARCH_TRIGGERS.rebuild(connection):
            cursor.execute(statement)
    return index_contents()


# The test --------------------------------------------------------------------------------


# Every kind of write in each example, in an order and on rows of its own.
writes = st.permutations(OPERATIONS).flatmap(
    lambda order: st.tuples(
        *(st.tuples(st.just(op), st.integers(0, 7), st.integers(0, 7), texts) for op in order)
    )
)


@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=writes)
def test_searches_match_the_rows_after_any_writes(world, writes):
    # Each example starts from the same few rows (the fixture's themes and curator stay),
    # so that every write has something to act on.
    Lesson.objects.all().delete()
    Partnership.objects.all().delete()
    Organisation.objects.all().delete()
    Tag.objects.all().delete()
    start(world["themes"])
    for number, (operation, a, b, text) in enumerate(writes):
        apply(operation, a, b, text, world)
        # The index as the triggers keep it, and as it is computed from scratch.
        assert index_contents() == rebuilt_index_contents(), writes[: number + 1]
    cache.clear()

    rows = published_rows()
    theme = world["themes"][0]
    for query in QUERIES:
        for filters in [
            SearchFilters(),
            SearchFilters(kind="partnership", theme_id=theme.pk),
            SearchFilters(experience="went_wrong"),
            SearchFilters(kind="lesson", theme_id=theme.pk, experience="worked"),
        ]:
            want = {(row.kind, row.pk) for row in expected(rows, query, filters)}
            search = Search(query, filters)
            assert {(hit.kind, hit.object.pk) for hit in search[0:1000]} == want, (query, filters)
            assert search.count() == len(want), (query, filters)
            if not filters.kind:
                kinds = Counter(kind for kind, _ in want)
                assert search.kind_counts() == {
                    "lesson": kinds["lesson"],
                    "partnership": kinds["partnership"],
                }
            if filters.kind != "partnership":
                facets = expected_facets(rows, query, filters)
                assert search.theme_counts() == facets["theme"], (query, filters)
                assert search.experience_counts() == facets["experience"], (query, filters)


@pytest.mark.django_db(transaction=True)
def test_writes_made_with_the_triggers_dropped_are_indexed_by_the_rebuild(world):
    theme = world["themes"][0]
    with connection.cursor() as cursor:
        for statement in SEARCH_TRIGGERS.drop(connection):
            cursor.execute(statement)
    try:
        assert set(SEARCH_TRIGGERS.names(connection)) <= set(triggers.missing())
        published = make_lesson(title="Lesson quillo", themes=[theme], tags=["tag zarnak"])
        make_lesson(title="Lesson quillo withheld", themes=[theme], moderation="pending")
        assert Search("quillo").count() == 0  # nothing indexed it

        with connection.cursor() as cursor:
            for statement in SEARCH_TRIGGERS.rebuild(connection):
                cursor.execute(statement)
        # Found by the rebuild alone, before any trigger is back (installing refills too).
        assert [hit.object for hit in Search("quillo")[0:10]] == [published]
    finally:
        triggers.install_all()

    assert triggers.missing() == []
    assert [hit.object for hit in Search("quillo")[0:10]] == [published]
    assert Search("zarnak", SearchFilters(theme_id=theme.pk)).count() == 1
    assert index_contents() == rebuilt_index_contents()
