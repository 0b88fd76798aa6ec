"""What a subscription follows: a theme, a tag, or a filtered list, and what is new on it.

A followed list is its query string, normalised by the list's own facets (browse/facets.py),
so a digest holds exactly what the list shows: the same filters, from ``published()``. Theme
and tag slugs are followed through renames and merges (core/renames.py) when read.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from taggit.models import Tag

from alliances.models import Partnership
from browse import facets
from core import renames
from follows.models import Kind
from lessons.models import Lesson, Theme

SLUG_PARAMETERS = {"theme": Theme, "tag": Tag}
SUMMARY_WORDS = 30


@dataclass(frozen=True)
class Item:
    """One new item of a digest."""

    noun: str
    title: str
    summary: str
    url: str
    published_at: datetime


def _lesson_facets(params: QueryDict):
    return facets.lesson_facets(params)


def _partnership_facets(params: QueryDict):
    return facets.partnership_facets(params)


def _params(query: str) -> QueryDict:
    return QueryDict(query)


def normalise(kind: str, params: QueryDict) -> str | None:
    """The query string a subscription keeps for what the visitor follows; None if it names
    nothing that can be followed (an unknown theme or tag, an unknown kind)."""
    if kind in (Kind.THEME, Kind.TAG):
        slug = params.get(kind, "")
        if not slug or len(slug) > 200:
            return None
        if kind == Kind.THEME:
            known = Theme.objects.filter(slug=slug).exists()
        else:
            known = Tag.objects.filter(slug=slug).exists()
        if not known:
            return None
        return _lesson_facets(QueryDict(urlencode({kind: slug}))).cache_key
    if kind == Kind.LESSONS:
        return _lesson_facets(params).cache_key
    if kind == Kind.PARTNERSHIPS:
        return _partnership_facets(params).cache_key
    return None


class Names:
    """The current slug and name of every theme and tag some queries name, read at once: a
    query per kind, and one more per slug that has since moved (renamed or merged)."""

    def __init__(self, queries):
        params = [_params(query) for query in queries]
        self.current: dict[tuple[str, str], str] = {}
        self.labels: dict[tuple[str, str], str] = {}
        for name, model in SLUG_PARAMETERS.items():
            slugs = {value for each in params for value in each.getlist(name)}
            slugs = {slug for slug in slugs if slug and len(slug) <= 200}
            if not slugs:
                continue
            label = "title" if model is Theme else "name"
            live = dict(model._default_manager.filter(slug__in=slugs).values_list("slug", label))
            moved = {slug: renames.current_slug(model, slug) for slug in slugs - set(live)}
            if any(moved.values()):
                live.update(
                    model._default_manager.filter(
                        slug__in=[slug for slug in moved.values() if slug]
                    ).values_list("slug", label)
                )
            for slug in slugs:
                current = slug if slug not in moved else (moved[slug] or slug)
                self.current[(name, slug)] = current
                if current in live:
                    self.labels[(name, current)] = str(live[current])

    def query(self, query: str) -> QueryDict:
        """The query with every theme or tag slug that has moved replaced by its current one."""
        params = _params(query).copy()
        for name in SLUG_PARAMETERS:
            values = params.getlist(name)
            if values:
                current = [self.current.get((name, value), value) for value in values]
                params.setlist(name, list(dict.fromkeys(current)))
        return params


def current_query(query: str) -> QueryDict:
    """The query with every theme or tag slug followed to its current one (a renamed tag, or
    one merged into another, keeps being followed)."""
    return Names([query]).query(query)


def _new(queryset: QuerySet, since: datetime, until: datetime) -> QuerySet:
    return queryset.filter(published_at__gt=since, published_at__lte=until).order_by(
        "published_at", "pk"
    )


def _lessons(queryset: QuerySet) -> list[Item]:
    rows = queryset.values_list("title", "slug", "insight", "published_at")
    return [
        Item(
            "lesson",
            title,
            truncatewords(insight, SUMMARY_WORDS),
            reverse("lessons:lesson-detail", args=[slug]),
            published_at,
        )
        for title, slug, insight, published_at in rows
    ]


def _partnerships(queryset: QuerySet) -> list[Item]:
    rows = queryset.values_list("name", "slug", "summary", "published_at")
    return [
        Item(
            "case study",
            name,
            truncatewords(summary, SUMMARY_WORDS),
            reverse("alliances:partnership-detail", args=[slug]),
            published_at,
        )
        for name, slug, summary, published_at in rows
    ]


def new_items(
    kind: str, query: str, *, since: datetime, until: datetime, names: "Names | None" = None
) -> list[Item]:
    """What was published on this followed list after ``since`` up to ``until``, oldest
    first: only what is published now, filtered exactly as the list's page filters."""
    params = names.query(query) if names else current_query(query)
    items = []
    if kind in (Kind.THEME, Kind.TAG, Kind.LESSONS):
        chosen = _lesson_facets(params)
        items += _lessons(_new(chosen.filter(Lesson.objects.published()), since, until))
    if kind in (Kind.TAG, Kind.PARTNERSHIPS):
        chosen = _partnership_facets(params)
        items += _partnerships(_new(chosen.filter(Partnership.objects.published()), since, until))
    return sorted(items, key=lambda item: item.published_at)


def _facet_set(kind: str, params: QueryDict):
    return _partnership_facets(params) if kind == Kind.PARTNERSHIPS else _lesson_facets(params)


def describe(kind: str, query: str, names: Names | None = None) -> str:
    """A reader's name for what a subscription follows ("Theme: Work to Build Trust")."""
    names = names or Names([query])
    params = names.query(query)
    if kind in (Kind.THEME, Kind.TAG):
        value = params.get(kind, "")
        label = names.labels.get((kind, value), value)
        return f"{'Theme' if kind == Kind.THEME else 'Tag'}: {label}"
    chosen = []
    for facet in _facet_set(kind, params).facets:
        choices = getattr(facet, "_choices", None)
        labels = {} if callable(choices) or choices is None else dict(choices)
        shown = [
            f"{param.rpartition('_')[2]} {value}"
            if param != facet.name
            else str(labels.get(value) or names.labels.get((facet.name, value), value))
            for param, value in facet.read(params)
        ]
        if shown:
            chosen.append(f"{facet.label}: {', '.join(shown)}")
    title = "Lessons learned" if kind == Kind.LESSONS else "Case studies"
    return f"{title} ({'; '.join(chosen)})" if chosen else f"All {title.lower()}"


def page_url(kind: str, query: str, names: Names | None = None) -> str:
    """The page a subscription follows, with its current slugs."""
    params = (names or Names([query])).query(query)
    if kind == Kind.THEME:
        return reverse("lessons:theme-detail", args=[params.get("theme", "")])
    if kind == Kind.TAG:
        return reverse("pages:tag-detail", args=[params.get("tag", "")])
    name = "browse:lesson-list" if kind == Kind.LESSONS else "browse:partnership-list"
    encoded = params.urlencode()
    return reverse(name) + (f"?{encoded}" if encoded else "")
