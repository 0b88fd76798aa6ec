"""Ranked full-text search over published lessons and case studies.

The database's own engine does the work, over the index declared in search/index.py:
SQLite's FTS5 tables or PostgreSQL's text search over GIN-indexed tsvector columns
(both kept current by the triggers of search/triggers.py). Either way a search page
costs a fixed number of queries: one for the counts per kind, one for the facets, one
for the page of hits, one for the snippets of the kinds shown, then the cards' own.
"""

import re
import secrets
from dataclasses import astuple, dataclass, field

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alliances.models import Partnership
from core import caching
from core.moderation import ModerationStatus
from lessons.models import Lesson
from search.index import (
    INDEXES,
    LESSON_FACTS_TABLE,
    LESSON_THEMES_TABLE,
    LESSONS,
    PARTNERSHIPS,
    SearchIndex,
)
from search.triggers import body_sql

LESSON = LESSONS.kind
PARTNERSHIP = PARTNERSHIPS.kind
KINDS = {index.kind: index.label for index in INDEXES.values()}
ALIAS = {LESSON: "l", PARTNERSHIP: "p"}

PUBLISHED = ModerationStatus.PUBLISHED.value

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
class Marks:
    """What the engine puts around each match in a snippet, new for every search.

    Letters and digits around a random token: escaping leaves them as they are, and no
    stored text can hold a token drawn after it was written, so only the engine's marks
    become <mark> elements. (Fixed marks, such as the private-use characters used
    before, could be typed into a lesson to forge highlighting.)
    """

    start: str
    end: str

    @classmethod
    def new(cls) -> "Marks":
        token = secrets.token_hex(12)
        return cls(f"mark{token}start", f"mark{token}end")

    def render(self, text: str | None) -> SafeString:
        """Escape a snippet as text, then highlight the marked matches."""
        html = escape(text or "")
        return mark_safe(html.replace(self.start, "<mark>").replace(self.end, "</mark>"))


class SqliteEngine:
    """SQLite FTS5: bm25 ranking (lower is better) with the declared weights.

    The FTS5 tables hold published rows only, so a match needs no join; the lesson
    filters and facets read ``lesson_search_facts``, one narrow row per lesson.
    """

    def match_string(self, terms: list[str]) -> str:
        return " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)

    def source(self, index: SearchIndex) -> "_Source":
        """The published rows that match, as SQL."""
        fts = index.fts_table
        weights = ", ".join(str(weight) for weight in index.weights)
        return _Source(
            from_sql=f"FROM {fts}",
            row_id=f"{fts}.rowid",
            where=[f"{fts} MATCH %s"],
            rank=f"bm25({fts}, {weights})",
            rank_params=0,
        )

    def lesson_facts(self, row_id: str) -> tuple[str, str, str]:
        """A join, then SQL for a matching lesson's experience and its theme ids (",3,5,")."""
        return f"CROSS JOIN {LESSON_FACTS_TABLE} f ON f.id = {row_id}", "f.experience", "f.themes"

    def lesson_filters(
        self, row_id: str, theme_id: int | None, experience: str
    ) -> tuple[list[str], list]:
        """WHERE conditions (and their parameters) for a lesson's theme and experience."""
        if not theme_id and not experience:
            return [], []
        conditions: list[str] = [f"f.id = {row_id}"]
        params: list = []
        if theme_id:
            conditions.append("f.themes LIKE %s")
            params.append(f"%,{theme_id},%")
        if experience:
            conditions.append("f.experience = %s")
            params.append(experience)
        facts = f"SELECT 1 FROM {LESSON_FACTS_TABLE} f WHERE {' AND '.join(conditions)}"
        return [f"EXISTS ({facts})"], params

    def snippet_sql(
        self, index: SearchIndex, ids: list[int], match: str, marks: Marks
    ) -> tuple[str, list]:
        """SELECT kind, id, snippet for these rows, as SQL and parameters."""
        fts, column = index.fts_table, index.parts.index("body")
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT '{index.kind}', rowid, snippet({fts}, {column}, %s, %s, '…', 28) "
            f"FROM {fts} WHERE {fts} MATCH %s AND rowid IN ({placeholders})"
        )
        return sql, [marks.start, marks.end, match, *ids]


POSTGRES_QUERY = "websearch_to_tsquery('english'::regconfig, %s)"
# After each search's StartSel and StopSel (see Marks).
POSTGRES_HEADLINE_OPTIONS = 'MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'


class PostgresEngine:
    """PostgreSQL text search: ts_rank over the weighted search_vector columns, negated so
    that lower is better, as with bm25. The GIN indexes cover published rows only."""

    def match_string(self, terms: list[str]) -> str:
        return " ".join(f'"{term}"' if " " in term else term for term in terms)

    def source(self, index: SearchIndex) -> "_Source":
        """The published rows that match, as SQL."""
        alias = ALIAS[index.kind]
        return _Source(
            from_sql=f"FROM {index.table} {alias}",
            row_id=f"{alias}.id",
            where=[
                f"{alias}.search_vector @@ {POSTGRES_QUERY}",
                f"{alias}.moderation_status = '{PUBLISHED}'",
            ],
            rank=f"-ts_rank({alias}.search_vector, {POSTGRES_QUERY})",
            rank_params=1,
        )

    def lesson_facts(self, row_id: str) -> tuple[str, str, str]:
        """A join, then SQL for a matching lesson's experience and its theme ids (",3,5,")."""
        themes = (
            f"(SELECT string_agg(lt.theme_id::text, ',') FROM {LESSON_THEMES_TABLE} lt "
            f"WHERE lt.lesson_id = {row_id})"
        )
        return "", "l.experience", f"',' || coalesce({themes}, '') || ','"

    def lesson_filters(
        self, row_id: str, theme_id: int | None, experience: str
    ) -> tuple[list[str], list]:
        """WHERE conditions (and their parameters) for a lesson's theme and experience."""
        conditions: list[str] = []
        params: list = []
        if theme_id:
            conditions.append(
                f"EXISTS (SELECT 1 FROM {LESSON_THEMES_TABLE} lt "
                f"WHERE lt.lesson_id = {row_id} AND lt.theme_id = %s)"
            )
            params.append(theme_id)
        if experience:
            conditions.append("l.experience = %s")
            params.append(experience)
        return conditions, params

    def snippet_sql(
        self, index: SearchIndex, ids: list[int], match: str, marks: Marks
    ) -> tuple[str, list]:
        """SELECT kind, id, headline for these rows, as SQL and parameters."""
        placeholders = ", ".join(["%s"] * len(ids))
        options = f"StartSel={marks.start}, StopSel={marks.end}, {POSTGRES_HEADLINE_OPTIONS}"
        sql = (
            f"SELECT '{index.kind}', id, ts_headline('english'::regconfig, {body_sql(index)}, "
            f"{POSTGRES_QUERY}, %s) FROM {index.table} WHERE id IN ({placeholders})"
        )
        return sql, [match, options, *ids]


def engine() -> SqliteEngine | PostgresEngine:
    return PostgresEngine() if connection.vendor == "postgresql" else SqliteEngine()


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


@dataclass(frozen=True)
class _Source:
    """One kind's published matching rows, as the engine writes them in SQL."""

    from_sql: str
    row_id: str
    where: list[str]
    rank: str
    rank_params: int  # how many times the rank repeats the match string


@dataclass
class _Part:
    """One kind's matching rows as SQL: FROM, WHERE and its parameters, and the rank."""

    kind: str
    source: _Source
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

    def _count_facets(self):
        """One pass over the matching lessons, grouped by (experience, theme ids)."""
        part = self._lesson_part(theme=False, experience=False)
        join, experience, themes = self.engine.lesson_facts(part.source.row_id)
        sql = (
            f"SELECT experience, themes, COUNT(*) FROM (SELECT {experience} AS experience, "
            f"{themes} AS themes {part.source.from_sql} {join} WHERE {part.sql_where}) matches "
            "GROUP BY experience, themes"
        )
        facets: dict[str, dict] = {"theme": {}, "experience": {}}
        theme_id, chosen = self.filters.theme_id, self.filters.experience
        for experience_value, theme_ids, total in self._fetch(sql, part.params):
            ids = {int(value) for value in theme_ids.split(",") if value}
            if not chosen or experience_value == chosen:
                for value in ids:
                    facets["theme"][value] = facets["theme"].get(value, 0) + total
            if not theme_id or theme_id in ids:
                counts = facets["experience"]
                counts[experience_value] = counts.get(experience_value, 0) + total
        return facets

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
        rows = self._cached("search-page", lambda: self._ranked(start, page.stop), start, page.stop)
        return self._hits(rows)

    def _ranked(self, start: int, stop: int) -> list[tuple[str, int, float]]:
        """(kind, id, rank) of the hits start to stop, best first."""
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
