"""Ranked full-text search over published lessons and case studies.

The database's own engine does the work, over the index declared in search/index.py:
SQLite's FTS5 tables or PostgreSQL's text search over GIN-indexed tsvector columns
(both kept current by the triggers of search/triggers.py). Either way a search page
costs a fixed number of queries: one for the counts per kind, one for the facets, one
for the page of hits, one for the snippets of the kinds shown, then the cards' own.
"""

import re
from collections import Counter
from dataclasses import astuple, dataclass, field

from django.db import connection
from django.utils.safestring import SafeString

from alliances.models import Partnership
from core import caching
from lessons.models import Lesson
from search.engines import Marks, Source, engine
from search.index import INDEXES, LESSON_THEMES_TABLE, LESSONS, PARTNERSHIPS
from search.sql import PUBLISHED

LESSON = LESSONS.kind
PARTNERSHIP = PARTNERSHIPS.kind
KINDS = {index.kind: index.label for index in INDEXES.values()}

# Words and "quoted phrases"; anything else (operators, brackets, stray quotes) is dropped.
TERM = re.compile(r'"([^"]*)"|(\S+)')
WORD = re.compile(r"\w", re.UNICODE)
# Control characters separate words: a NUL would end an FTS5 string early, and
# PostgreSQL refuses it in any text.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def parse_terms(query: str) -> list[str]:
    """The words and quoted phrases of a visitor's query, all of which must match."""
    terms = []
    for phrase, word in TERM.findall(CONTROL.sub(" ", query or "")):
        text = " ".join((phrase or word).replace('"', " ").split())
        if WORD.search(text):
            terms.append(text)
    return terms


@dataclass(frozen=True)
class SearchFilters:
    """What a visitor has narrowed the search to."""

    kind: str = ""
    theme_id: int | None = None
    experience: str = ""


@dataclass
class SearchHit:
    kind: str
    object: Lesson | Partnership
    snippet: SafeString

    @property
    def is_lesson(self):
        return self.kind == LESSON


@dataclass
class _Part:
    """One kind's matching rows as SQL: FROM, WHERE and its parameters, and the rank."""

    kind: str
    source: Source
    where: list[str]
    params: list = field(default_factory=list)

    @property
    def sql_where(self):
        return " AND ".join(self.where)

    def ranked_sql(self) -> tuple[str, list]:
        sql = (
            f"SELECT '{self.kind}' AS kind, {self.source.row_id} AS id, "
            f"{self.source.rank} AS rank {self.source.from_sql} WHERE {self.sql_where}"
        )
        return sql, [*[self.params[0]] * self.source.rank_params, *self.params]


class Search:
    """A search for `query` narrowed by `filters`; sliceable, so Django's Paginator pages it."""

    def __init__(self, query: str, filters: SearchFilters | None = None) -> None:
        self.terms = parse_terms(query)
        self.filters = filters or SearchFilters()
        self.engine = engine()
        self.match = self.engine.match_string(self.terms)
        self.marks = Marks.new()
        self._counts: dict[str, int] | None = None
        self._facets: dict[str, dict] | None = None
        self._version: str | None = None

    def _cached(self, name, compute, *extra):
        """What this query and these filters find, cached per content version.

        The content version moves with every public change, and everything here is read
        from published rows only, so an entry never outlives what it counted.
        """
        if self._version is None:
            self._version = caching.content_version() or ""
        key = "|".join(str(part) for part in (self.match, *astuple(self.filters), *extra))
        return caching.cached(name, key, compute, version=self._version or None)

    def __bool__(self) -> bool:
        return bool(self.terms)

    # Building the SQL ------------------------------------------------------------

    def _lesson_part(self, *, theme=True, experience=True):
        source = self.engine.source(LESSONS)
        where, params = list(source.where), [self.match]
        filters, filter_params = self.engine.lesson_filters(
            source.row_id,
            self.filters.theme_id if theme else None,
            self.filters.experience if experience else "",
        )
        return _Part(LESSON, source, where + filters, params + filter_params)

    def _partnership_part(self, *, theme=True, experience=True):
        source = self.engine.source(PARTNERSHIPS)
        where, params = list(source.where), [self.match]
        if theme and self.filters.theme_id:
            where.append(
                f"EXISTS (SELECT 1 FROM {LESSONS.table} pl JOIN {LESSON_THEMES_TABLE} lt "
                f"ON lt.lesson_id = pl.id WHERE pl.partnership_id = {source.row_id} "
                "AND pl.moderation_status = %s AND lt.theme_id = %s)"
            )
            params += [PUBLISHED, self.filters.theme_id]
        if experience and self.filters.experience:
            # "What worked / went wrong" describes lessons, not whole case studies.
            where.append("1 = 0")
        return _Part(PARTNERSHIP, source, where, params)

    def _parts(self, **exclude):
        kinds = [self.filters.kind] if self.filters.kind in KINDS else list(KINDS)
        builders = {LESSON: self._lesson_part, PARTNERSHIP: self._partnership_part}
        return [builders[kind](**exclude) for kind in kinds]

    def _fetch(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # Counts and facets -----------------------------------------------------------

    def kind_counts(self) -> dict[str, int]:
        """Matches per kind, with the theme and experience filters applied."""
        if self._counts is None:
            self._counts = dict.fromkeys(KINDS, 0)
            if self.terms:
                self._counts.update(self._cached("search-counts", self._count_kinds))
        return self._counts

    def _count_kinds(self):
        parts = [self._lesson_part(), self._partnership_part()]
        sql = " UNION ALL ".join(
            f"SELECT '{part.kind}', COUNT(*) {part.source.from_sql} WHERE {part.sql_where}"
            for part in parts
        )
        return dict(self._fetch(sql, [param for part in parts for param in part.params]))

    def count(self) -> int:
        counts = self.kind_counts()
        if self.filters.kind in KINDS:
            return counts[self.filters.kind]
        return sum(counts.values())

    def facet_counts(self) -> dict[str, dict]:
        """Matching lessons per theme id and per "worked / went wrong", in one query.

        Each facet is counted with the other filters applied, not its own.
        """
        if self._facets is None:
            self._facets = {"theme": {}, "experience": {}}
            if self.terms and self.filters.kind != PARTNERSHIP:
                self._facets = self._cached("search-facets", self._count_facets)
        return self._facets

    def _count_facets(self) -> dict[str, dict]:
        """One pass over the matching lessons, grouped by their facets (",worked,3,5,")."""
        part = self._lesson_part(theme=False, experience=False)
        join, facets_sql = self.engine.lesson_facets(part.source.row_id)
        sql = (
            f"SELECT facets, COUNT(*) FROM (SELECT {facets_sql} AS facets "
            f"{part.source.from_sql} {join} WHERE {part.sql_where}) matches GROUP BY facets"
        )
        themes: Counter[int] = Counter()
        experiences: Counter[str] = Counter()
        theme_id, chosen = self.filters.theme_id, self.filters.experience
        for facets, total in self._fetch(sql, part.params):
            experience, *theme_ids = (value for value in facets.split(",") if value)
            ids = {int(value) for value in theme_ids}
            if not chosen or experience == chosen:
                themes.update(dict.fromkeys(ids, total))
            if not theme_id or theme_id in ids:
                experiences[experience] += total
        return {"theme": dict(themes), "experience": dict(experiences)}

    def theme_counts(self) -> dict[int, int]:
        """Matching lessons per theme id, with the other filters applied."""
        return self.facet_counts()["theme"]

    def experience_counts(self) -> dict[str, int]:
        """Matching lessons per "worked / went wrong", with the other filters applied."""
        return self.facet_counts()["experience"]

    # The page of hits ------------------------------------------------------------

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[SearchHit]:
        if not isinstance(page, slice):
            raise TypeError("A search is read a page (a slice) at a time.")
        if not self.terms or page.stop is None or page.stop <= (page.start or 0):
            return []
        start = page.start or 0
        rows = self._cached("search-page", lambda: self.ranked(start, page.stop), start, page.stop)
        return self._hits(rows)

    def ranked(self, start: int, stop: int) -> list[tuple[str, int, float]]:
        """(kind, id, rank) of the hits start to stop, best first (read, not cached)."""
        parts = [part.ranked_sql() for part in self._parts()]
        sql = " UNION ALL ".join(sql for sql, _ in parts) + (
            " ORDER BY rank, kind, id LIMIT %s OFFSET %s"
        )
        params = [param for _, part_params in parts for param in part_params]
        return self._fetch(sql, [*params, stop - start, start])

    def _hits(self, rows):
        ids = {kind: [row_id for row_kind, row_id, _ in rows if row_kind == kind] for kind in KINDS}
        cards = {
            LESSON: Lesson.objects.published().for_cards(),
            PARTNERSHIP: Partnership.objects.published().for_cards(),
        }
        objects = {kind: cards[kind].in_bulk(ids[kind]) if ids[kind] else {} for kind in KINDS}
        snippets = self._snippets(ids)
        return [
            SearchHit(kind, objects[kind][row_id], self.marks.render(snippets.get((kind, row_id))))
            for kind, row_id, _ in rows
            if row_id in objects[kind]
        ]

    def _snippets(self, ids):
        """{(kind, id): snippet} for the hits on this page, in one query."""
        parts = [
            self.engine.snippet_sql(INDEXES[kind], ids[kind], self.match, self.marks)
            for kind in KINDS
            if ids[kind]
        ]
        if not parts:
            return {}
        sql = " UNION ALL ".join(part_sql for part_sql, _ in parts)
        params = [param for _, part_params in parts for param in part_params]
        return {(kind, row_id): text for kind, row_id, text in self._fetch(sql, params)}
