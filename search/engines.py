"""How each database engine matches, ranks, filters and cuts snippets, as SQL.

SQLite: FTS5 tables of the published rows, ranked by bm25 with the declared weights;
the lesson filters and facets read ``lesson_search_facts``. PostgreSQL: the GIN-indexed
``search_vector`` columns, ranked by ts_rank. search/query.py builds a search from them.
"""

import secrets
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.index import (
    LESSON_FACTS_TABLE,
    LESSON_THEMES_TABLE,
    LESSONS,
    PARTNERSHIPS,
    SearchIndex,
)
from search.sql import PUBLISHED, body_sql, lesson_facets_sql

ALIAS = {LESSONS.kind: "l", PARTNERSHIPS.kind: "p"}


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


@dataclass(frozen=True)
class Source:
    """One kind's published matching rows, as the engine writes them in SQL."""

    from_sql: str
    row_id: str
    where: list[str]
    rank: str
    rank_params: int  # how many times the rank repeats the match string


def facet_patterns(theme_id: int | None, experience: str) -> list[str]:
    """LIKE patterns a lesson's facets (``,worked,3,5,``) must match for these filters."""
    patterns = []
    if experience:
        patterns.append(f",{experience},%")
    if theme_id:
        patterns.append(f"%,{theme_id},%")
    return patterns


class SqliteEngine:
    """SQLite FTS5: bm25 ranking (lower is better) with the declared weights.

    The FTS5 tables hold published rows only, so a match needs no join; the lesson
    filters and facets read ``lesson_search_facts``, one narrow row per lesson.
    """

    def match_string(self, terms: list[str]) -> str:
        return " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)

    def source(self, index: SearchIndex) -> Source:
        """The published rows that match, as SQL."""
        fts = index.fts_table
        weights = ", ".join(str(weight) for weight in index.weights)
        return Source(
            from_sql=f"FROM {fts}",
            row_id=f"{fts}.rowid",
            where=[f"{fts} MATCH %s"],
            rank=f"bm25({fts}, {weights})",
            rank_params=0,
        )

    def lesson_facets(self, row_id: str) -> tuple[str, str]:
        """A join, then SQL for a matching lesson's facets (``,worked,3,5,``)."""
        return f"CROSS JOIN {LESSON_FACTS_TABLE} f ON f.id = {row_id}", "f.facets"

    def lesson_filters(
        self, row_id: str, theme_id: int | None, experience: str
    ) -> tuple[list[str], list]:
        """WHERE conditions (and their parameters) for a lesson's theme and experience."""
        patterns = facet_patterns(theme_id, experience)
        if not patterns:
            return [], []
        likes = " AND ".join(["f.facets LIKE %s"] * len(patterns))
        facts = f"SELECT 1 FROM {LESSON_FACTS_TABLE} f WHERE f.id = {row_id} AND {likes}"
        return [f"EXISTS ({facts})"], patterns

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

    def source(self, index: SearchIndex) -> Source:
        """The published rows that match, as SQL."""
        alias = ALIAS[index.kind]
        return Source(
            from_sql=f"FROM {index.table} {alias}",
            row_id=f"{alias}.id",
            where=[
                f"{alias}.search_vector @@ {POSTGRES_QUERY}",
                f"{alias}.moderation_status = '{PUBLISHED}'",
            ],
            rank=f"-ts_rank({alias}.search_vector, {POSTGRES_QUERY})",
            rank_params=1,
        )

    def lesson_facets(self, row_id: str) -> tuple[str, str]:
        """A join (none here), then SQL for a matching lesson's facets (``,worked,3,5,``)."""
        alias = ALIAS[LESSONS.kind]
        return "", lesson_facets_sql(connection, row_id, experience=f"{alias}.experience")

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
            conditions.append(f"{ALIAS[LESSONS.kind]}.experience = %s")
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
