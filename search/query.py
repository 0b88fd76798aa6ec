"""Ranked full-text search over published lessons and case studies.

The database's own engine does the work, over the index declared in search/index.py:
SQLite's FTS5 tables or PostgreSQL's text search over GIN-indexed tsvector columns
(both kept current by the triggers of search/triggers.py). Either way a search page
costs a fixed number of queries: one for the counts per kind, one for the facets, one
for the page of hits, one for the snippets of the kinds shown, then the cards' own.
"""

import re
import secrets
from dataclasses import dataclass, field

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alliances.models import Partnership
from core import caching
from core.moderation import ModerationStatus
from lessons.models import Lesson
from search.index import INDEXES, LESSONS, PARTNERSHIPS, SearchIndex
from search.triggers import body_sql

LESSON = LESSONS.kind
PARTNERSHIP = PARTNERSHIPS.kind
KINDS = {index.kind: index.label for index in INDEXES.values()}
ALIAS = {LESSON: "l", PARTNERSHIP: "p"}

PUBLISHED = ModerationStatus.PUBLISHED.value
LESSON_THEMES = Lesson.themes.through._meta.db_table

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
    """SQLite FTS5: bm25 ranking (lower is better) with the declared weights."""

    def match_string(self, terms: list[str]) -> str:
        return " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)

    def source(self, index: SearchIndex) -> tuple[str, str, str]:
        """FROM, the match condition and the rank, as SQL."""
        fts, alias = index.fts_table, ALIAS[index.kind]
        weights = ", ".join(str(weight) for weight in index.weights)
        return (
            # CROSS JOIN keeps the full-text match as the outer loop; left to itself,
            # SQLite's planner may scan the content table and re-run the match per row.
            f"FROM {fts} CROSS JOIN {index.table} {alias} ON {alias}.id = {fts}.rowid",
            f"{fts} MATCH %s",
            f"bm25({fts}, {weights})",
        )

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
    that lower is better, as with bm25."""

    def match_string(self, terms: list[str]) -> str:
        return " ".join(f'"{term}"' if " " in term else term for term in terms)

    def source(self, index: SearchIndex) -> tuple[str, str, str]:
        """FROM, the match condition and the rank, as SQL."""
        alias = ALIAS[index.kind]
        return (
            f"FROM {index.table} {alias}",
            f"{alias}.search_vector @@ {POSTGRES_QUERY}",
            f"-ts_rank({alias}.search_vector, {POSTGRES_QUERY})",
        )

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


@dataclass
class _Part:
    """One kind's matching rows as SQL: FROM, WHERE and its parameters, and the rank."""

    kind: str
    source: str
    where: list[str]
    params: list = field(default_factory=list)
    rank: str = ""
    rank_params: list = field(default_factory=list)

    @property
    def sql_where(self):
        return " AND ".join(self.where)


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

    def _cached(self, name, compute):
        """Counts for this query and these filters, cached per content version."""
        if self._version is None:
            self._version = caching.content_version() or ""
        key = f"{self.match}|{self.filters.kind}|{self.filters.theme_id}|{self.filters.experience}"
        return caching.cached(name, key, compute, version=self._version or None)

    def __bool__(self) -> bool:
        return bool(self.terms)

    # Building the SQL ------------------------------------------------------------

    def _lesson_part(self, *, theme=True, experience=True):
        source, match_sql, rank = self.engine.source(LESSONS)
        where = [match_sql, "l.moderation_status = %s"]
        params = [self.match, PUBLISHED]
        if theme and self.filters.theme_id:
            where.append(
                f"EXISTS (SELECT 1 FROM {LESSON_THEMES} lt "
                "WHERE lt.lesson_id = l.id AND lt.theme_id = %s)"
            )
            params.append(self.filters.theme_id)
        if experience and self.filters.experience:
            where.append("l.experience = %s")
            params.append(self.filters.experience)
        return _Part(LESSON, source, where, params, rank, [self.match] * rank.count("%s"))

    def _partnership_part(self, *, theme=True, experience=True):
        source, match_sql, rank = self.engine.source(PARTNERSHIPS)
        where = [match_sql, "p.moderation_status = %s"]
        params = [self.match, PUBLISHED]
        if theme and self.filters.theme_id:
            where.append(
                f"EXISTS (SELECT 1 FROM {LESSONS.table} pl JOIN {LESSON_THEMES} lt "
                "ON lt.lesson_id = pl.id WHERE pl.partnership_id = p.id "
                "AND pl.moderation_status = %s AND lt.theme_id = %s)"
            )
            params += [PUBLISHED, self.filters.theme_id]
        if experience and self.filters.experience:
            # "What worked / went wrong" describes lessons, not whole case studies.
            where.append("1 = 0")
        return _Part(PARTNERSHIP, source, where, params, rank, [self.match] * rank.count("%s"))

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
            f"SELECT '{part.kind}', COUNT(*) {part.source} WHERE {part.sql_where}" for part in parts
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
        facets = {"theme": {}, "experience": {}}
        by_theme = self._lesson_part(theme=False)
        by_experience = self._lesson_part(experience=False)
        sql = (
            f"SELECT 'theme', CAST(lt.theme_id AS TEXT), COUNT(*) {by_theme.source} "
            f"JOIN {LESSON_THEMES} lt ON lt.lesson_id = l.id "
            f"WHERE {by_theme.sql_where} GROUP BY lt.theme_id "
            f"UNION ALL SELECT 'experience', l.experience, COUNT(*) "
            f"{by_experience.source} WHERE {by_experience.sql_where} "
            "GROUP BY l.experience"
        )
        for facet, value, total in self._fetch(sql, [*by_theme.params, *by_experience.params]):
            facets[facet][int(value) if facet == "theme" else value] = total
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
        parts = self._parts()
        sql = (
            " UNION ALL ".join(
                f"SELECT '{part.kind}' AS kind, {ALIAS[part.kind]}.id AS id, "
                f"{part.rank} AS rank {part.source} WHERE {part.sql_where}"
                for part in parts
            )
            + " ORDER BY rank, kind, id LIMIT %s OFFSET %s"
        )
        params = [p for part in parts for p in (*part.rank_params, *part.params)]
        rows = self._fetch(sql, [*params, page.stop - start, start])
        return self._hits(rows)

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
