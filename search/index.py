"""What full-text search indexes: declared once, for both kinds and both engines.

Only published rows are searchable: on SQLite only they are in the index at all.
search/sqlite_index.py and search/postgres_index.py build the SQLite FTS5 tables and
the PostgreSQL tsvector columns, with the triggers that keep them current, from these
declarations; search/query.py ranks, counts and cuts snippets from them; the
sample-data generator blanks exactly these columns before a large delete.
"""

from dataclasses import dataclass

from alliances.models import (
    Organisation,
    Participation,
    Partnership,
    PartnerSignoff,
    TaggedPartnership,
)
from lessons.models import Lesson, TaggedLesson


@dataclass(frozen=True)
class SearchIndex:
    """One searchable kind: its table, the text indexed and how much each part weighs.

    Parts, in this order: the title column, the body (``body`` columns joined, which is
    also what snippets are cut from), the names of its tags, and, for case studies, the
    names of its partners unless it hides them. ``weights`` are bm25 weights on SQLite;
    ``pg_weights`` the letters of ts_rank's weights on PostgreSQL, for the same parts.
    """

    kind: str
    label: str
    table: str
    fts_table: str
    title: str
    body: tuple[str, ...]
    tag_table: str
    weights: tuple[float, ...]
    pg_weights: tuple[str, ...]
    partners: bool = False

    @property
    def parts(self) -> tuple[str, ...]:
        """The FTS5 columns, in order; snippets come from ``body``."""
        return ("title", "body", "tags", "partners") if self.partners else ("title", "body", "tags")

    @property
    def text_columns(self) -> list[str]:
        """The row's own columns whose change re-indexes it."""
        return [self.title, *self.body]


LESSONS = SearchIndex(
    kind="lesson",
    label="Lessons",
    table=Lesson._meta.db_table,
    fts_table="lesson_search",
    title="title",
    body=("context", "insight", "recommendation", "evidence"),
    tag_table=TaggedLesson._meta.db_table,
    weights=(10.0, 1.0, 4.0),
    pg_weights=("A", "B", "C"),
)

PARTNERSHIPS = SearchIndex(
    kind="partnership",
    label="Case studies",
    table=Partnership._meta.db_table,
    fts_table="partnership_search",
    title="name",
    body=("summary", "story", "partnership_success", "intervention_impact", "countries"),
    tag_table=TaggedPartnership._meta.db_table,
    weights=(10.0, 1.0, 4.0, 2.0),
    pg_weights=("A", "B", "C", "C"),
    partners=True,
)

INDEXES = {index.kind: index for index in (LESSONS, PARTNERSHIPS)}

# Where a case study's partner names come from.
PARTICIPATION_TABLE = Participation._meta.db_table
ORGANISATION_TABLE = Organisation._meta.db_table
# A partner that asked for its name to be hidden (its sign-off) is not indexed by name.
SIGNOFF_TABLE = PartnerSignoff._meta.db_table

# What the lesson facets and filters read on SQLite: one narrow row per published lesson,
# its experience and its theme ids (",3,5,"), kept by the same triggers as the index.
LESSON_THEMES_TABLE = Lesson.themes.through._meta.db_table
LESSON_FACTS_TABLE = "lesson_search_facts"
